// The helpers of internal/store/sqlite.go that do not depend on the plan: reading every row,
// transactions, the existence checks, UNIQUE errors as ErrConflict, nullable columns.
export const SQLITE_HELPERS = `// rowScanner is a *sql.Row or *sql.Rows.
type rowScanner interface {
	Scan(dest ...any) error
}

// queryAll runs query and reads every row with scan.
func queryAll[T any](ctx context.Context, db *sql.DB, scan func(rowScanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		x, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// inTx runs fn in one transaction, committed when fn returns nil.
func (s *SQLite) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// ensure returns fail(kind, format, args) unless query (SELECT EXISTS …) for id answers want.
func ensure(ctx context.Context, tx *sql.Tx, want bool, query string, id int64, kind error, format string, args ...any) error {
	var found bool
	if err := tx.QueryRowContext(ctx, query, id).Scan(&found); err != nil {
		return err
	}
	if found != want {
		return fail(kind, format, args...)
	}
	return nil
}

// writeError turns a broken UNIQUE constraint into ErrConflict naming the field.
func writeError(err error) error {
	const marker = "UNIQUE constraint failed: "
	if err == nil {
		return nil
	}
	msg := err.Error()
	i := strings.Index(msg, marker)
	if i < 0 {
		return err
	}
	column := msg[i+len(marker):]
	column = column[strings.Index(column, ".")+1:]
	if j := strings.IndexAny(column, " ,()"); j >= 0 {
		column = column[:j]
	}
	return fail(ErrConflict, "%s is already taken", column)
}

// valueOf is a nullable column's value: nil, or *p.
func valueOf[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

// enumText is a nullable enum column's value.
func enumText[T ~string](p *T) any {
	if p == nil {
		return nil
	}
	return string(*p)
}

// dayText is a nullable day column's value, YYYY-MM-DD.
func dayText[T fmt.Stringer](p *T) any {
	if p == nil {
		return nil
	}
	return (*p).String()
}

// timeText is a nullable date-time column's value, RFC 3339.
func timeText(p *time.Time) any {
	if p == nil {
		return nil
	}
	return p.Format(time.RFC3339Nano)
}

// parseTime reads a date-time column.
func parseTime(s string) (time.Time, error) {
	return time.Parse(time.RFC3339Nano, s)
}

// optional reads a nullable text column with parse.
func optional[T any](s sql.NullString, parse func(string) (T, error)) (*T, error) {
	if !s.Valid {
		return nil, nil
	}
	v, err := parse(s.String)
	if err != nil {
		return nil, err
	}
	return &v, nil
}`;
