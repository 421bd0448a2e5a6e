// internal/store/sqlite.go: the -store sqlite implementation (database/sql, modernc.org/sqlite,
// no cgo). One column per field, the schema created at open, UNIQUE in the schema; the parent
// and children checks run in the same transaction as the write. One connection serves every call
// in turn, which makes the store safe for concurrent use without SQLITE_BUSY.
import { SQLITE_HELPERS } from './sqlite-helpers.js';
import { goFile, goString, type GoContext, type GoField, type GoResource, withArticle } from './names.js';

const SQL_TYPES: Record<GoField['field']['type'], string> = {
  string: 'TEXT',
  integer: 'INTEGER',
  number: 'REAL',
  boolean: 'INTEGER',
  date: 'TEXT',
  datetime: 'TEXT',
  enum: 'TEXT',
};

const q = (name: string) => `"${name}"`;

function createTable(ctx: GoContext, g: GoResource): string[] {
  const columns = g.fields.map((f) => {
    const unique = f.field.unique && ctx.keeps(`unique:${g.r.name}.${f.json}`) ? ' UNIQUE' : '';
    return `${q(f.json)} ${SQL_TYPES[f.field.type]}${f.pointer ? '' : ' NOT NULL'}${unique}`;
  });
  const table = `CREATE TABLE IF NOT EXISTS ${q(g.r.plural)} (${[`"id" INTEGER PRIMARY KEY AUTOINCREMENT`, ...columns].join(', ')})`;
  const parent = g.fields.find((f) => f.isParent);
  const index = parent ? [`CREATE INDEX IF NOT EXISTS ${q(`${g.r.plural}_${parent.json}`)} ON ${q(g.r.plural)} (${q(parent.json)})`] : [];
  return [table, ...index];
}

/** The Go value written to the field's column (a text for days, date-times and enums). */
function argOf(f: GoField): string {
  const x = `x.${f.go}`;
  const t = f.field.type;
  if (f.pointer) return t === 'date' ? `dayText(${x})` : t === 'datetime' ? `timeText(${x})` : t === 'enum' ? `enumText(${x})` : `valueOf(${x})`;
  return t === 'date' ? `${x}.String()` : t === 'datetime' ? `${x}.Format(time.RFC3339Nano)` : t === 'enum' ? `string(${x})` : x;
}

/** scanT: one row of `SELECT "id", <columns>`; days and date-times go through text. */
function scanFunc(ctx: GoContext, g: GoResource): string {
  const texts = g.fields.map((f, i) => ({ f, v: `col${i}`, text: f.field.type === 'date' || f.field.type === 'datetime' }));
  const vars = texts.filter((c) => c.text).map((c) => `\tvar ${c.v} ${c.f.pointer ? 'sql.NullString' : 'string'}`);
  const dests = ['&x.ID', ...texts.map((c) => (c.text ? `&${c.v}` : `&x.${c.f.go}`))];
  const parse = (c: (typeof texts)[number]) => {
    const parser = c.f.field.type === 'date' ? `models.Parse${ctx.date}` : 'parseTime';
    const call = c.f.pointer ? `optional(${c.v}, ${parser})` : `${parser}(${c.v})`;
    return `\tif x.${c.f.go}, err = ${call}; err != nil {\n\t\treturn x, err\n\t}`;
  };
  return `// scan${g.T} reads one row of SELECT "id", ${g.r.name}Columns.
func scan${g.T}(row rowScanner) (models.${g.T}, error) {
	var x models.${g.T}
${vars.join('\n')}${vars.length ? '\n' : ''}	err := row.Scan(${dests.join(', ')})
	if err != nil {
		return x, err
	}
${[...texts.filter((c) => c.text).map(parse), '\treturn x, nil'].join('\n')}
}`;
}

/** `if err := ensure(…); err != nil { return err }`, one line of checking in a transaction. */
const ensure = (want: boolean, query: string, id: string, kind: string, message: string, ...args: string[]) =>
  `\t\tif err := ensure(ctx, tx, ${want}, \`${query}\`, ${id}, ${kind}, ${[goString(message), ...args].join(', ')}); err != nil {\n\t\t\treturn err\n\t\t}`;
const existsIn = (table: string, column = 'id') => `SELECT EXISTS(SELECT 1 FROM ${q(table)} WHERE ${q(column)} = ?)`;

function writeMethods(ctx: GoContext, g: GoResource): string {
  const { T } = g;
  const r = g.r.name;
  const table = g.r.plural;
  const pf = g.fields.find((f) => f.isParent);
  const parentCheck =
    g.parent && pf && ctx.keeps(`parent:${r}.${g.parent.name}`)
      ? `${ensure(true, existsIn(g.parent.plural), `x.${pf.go}`, 'ErrNoParent', `${g.parent.name} %d does not exist`, `x.${pf.go}`)}\n`
      : '';
  const found = (id: string) => `${ensure(true, existsIn(table), id, 'ErrNotFound', `${r} %d not found`, id)}\n`;
  const children = g.children
    .filter((c) => ctx.keeps(`children:${r}.${c.name}`))
    .map((c) => `${ensure(false, existsIn(c.plural, `${r}Id`), 'id', 'ErrConflict', `${r} %d still has ${c.plural}`, 'id')}\n`)
    .join('');
  const placeholders = g.fields.map(() => '?').join(', ');
  const sets = g.fields.map((f) => `${q(f.json)} = ?`).join(', ');
  return `// Create${T} saves x as a new ${r} with the next id.
func (s *SQLite) Create${T}(ctx context.Context, x models.${T}) (models.${T}, error) {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
${parentCheck}		res, err := tx.ExecContext(ctx, \`INSERT INTO ${q(table)} (\`+${r}Columns+\`) VALUES (${placeholders})\`, ${r}Args(x)...)
		if err != nil {
			return writeError(err)
		}
		x.ID, err = res.LastInsertId()
		return err
	})
	if err != nil {
		return models.${T}{}, err
	}
	return x, nil
}

// Update${T} replaces the ${r} x.ID with x.
func (s *SQLite) Update${T}(ctx context.Context, x models.${T}) (models.${T}, error) {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
${found('x.ID')}${parentCheck}		_, err := tx.ExecContext(ctx, \`UPDATE ${q(table)} SET ${sets} WHERE "id" = ?\`, append(${r}Args(x), x.ID)...)
		return writeError(err)
	})
	if err != nil {
		return models.${T}{}, err
	}
	return x, nil
}

// Delete${T} removes the ${r} with that id.
func (s *SQLite) Delete${T}(ctx context.Context, id int64) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
${found('id')}${children}		_, err := tx.ExecContext(ctx, \`DELETE FROM ${q(table)} WHERE "id" = ?\`, id)
		return err
	})
}`;
}

function methods(ctx: GoContext, g: GoResource): string {
  const { T, Ts } = g;
  const r = g.r.name;
  const select = `\`SELECT "id", \`+${r}Columns+\` FROM ${q(g.r.plural)}`;
  return `// ${r}Columns are the columns of ${withArticle(r)} besides its id, in the order of ${r}Args.
const ${r}Columns = \`${g.fields.map((f) => q(f.json)).join(', ')}\`

// ${r}Args are the values of ${r}Columns for x.
func ${r}Args(x models.${T}) []any {
	return []any{${g.fields.map(argOf).join(', ')}}
}

${scanFunc(ctx, g)}

// List${Ts} returns every ${r}, ordered by id.
func (s *SQLite) List${Ts}(ctx context.Context) ([]models.${T}, error) {
	return queryAll(ctx, s.db, scan${T}, ${select} ORDER BY "id"\`)
}

// Get${T} returns the ${r} with that id.
func (s *SQLite) Get${T}(ctx context.Context, id int64) (models.${T}, error) {
	x, err := scan${T}(s.db.QueryRowContext(ctx, ${select} WHERE "id" = ?\`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return x, fail(ErrNotFound, ${goString(`${r} %d not found`)}, id)
	}
	return x, err
}

${writeMethods(ctx, g)}`;
}

/** internal/store/sqlite.go. */
export function sqliteGo(ctx: GoContext): string {
  const schema = ctx.resources.flatMap((g) => createTable(ctx, g)).map((s) => `\t\`${s}\`,`);
  const body = `// SQLite keeps every item in one SQLite database. Ids start at 1 and are never reused.
type SQLite struct {
	db *sql.DB
}

// schema creates what does not exist yet: a table per resource, an index per parent column.
var schema = []string{
${schema.join('\n')}
}

// OpenSQLite opens the database at path (created when missing, ":memory:" for none) and its tables.
func OpenSQLite(ctx context.Context, path string) (*SQLite, error) {
	db, err := sql.Open("sqlite", path)
	if err != nil {
		return nil, err
	}
	// One connection: calls take turns, so a check and the write after it see the same data.
	db.SetMaxOpenConns(1)
	for _, stmt := range append([]string{"PRAGMA busy_timeout = 5000"}, schema...) {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			_ = db.Close()
			return nil, fmt.Errorf("opening %s: %w", path, err)
		}
	}
	return &SQLite{db: db}, nil
}

// Close closes the database.
func (s *SQLite) Close() error {
	return s.db.Close()
}

${ctx.resources.map((g) => methods(ctx, g)).join('\n\n')}

${SQLITE_HELPERS}`;
  return goFile('store', body, [goString(`${ctx.module}/internal/models`), '_ "modernc.org/sqlite"']);
}
