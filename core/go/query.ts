// A list's query in handlers.go: its filters (by value: ?done=true; in words: ?overdue=true, the
// model's method), limit and offset. Unknown parameters, repeated ones and bad values are 400.
// A filter's mutant still reads and checks its parameter, and then ignores it.
import { DEFAULT_PAGE, goName, MAX_PAGE, type Filter } from '../plan.js';
import { goString, qualified, type GoContext, type GoField, type GoResource } from './names.js';

/** The statements that read a filter's value into `v` (returning 400 on a bad one). */
function readValue(f: GoField): string[] {
  const name = goString(f.json);
  const check = ['if err != nil {', '\treturn nil, p, err', '}'];
  switch (f.field.type) {
    case 'boolean':
      return [`v, err := boolParam(${name}, s[0])`, ...check];
    case 'integer':
      return [`v, err := intParam(${name}, s[0])`, ...check];
    case 'enum':
      return [`v, err := enumParam[${qualified(f, false)}](${name}, ${goString((f.field.values ?? []).join(', '))}, s[0])`, ...check];
    case 'date':
      return [`v, err := dayParam(${name}, s[0])`, ...check];
    case 'string':
      return ['v := s[0]'];
    default:
      throw new Error(`a ${f.field.type} field cannot be filtered by value (the plan check refuses it)`);
  }
}

/** The Go test that item x's field equals v. */
function equals(f: GoField): string {
  const x = `x.${f.go}`;
  const eq = f.field.type === 'date' ? `${x}.String() == v.String()` : `${f.pointer ? `*${x}` : x} == v`;
  return f.pointer ? `${x} != nil && ${eq}` : eq;
}

function filterBlock(ctx: GoContext, g: GoResource, filter: Filter): string {
  const item = `models.${g.T}`;
  const field = filter.field !== undefined ? g.fields.find((f) => f.json === filter.field) : undefined;
  const read = field ? readValue(field) : [`v, err := boolParam(${goString(filter.name)}, s[0])`, 'if err != nil {', '\treturn nil, p, err', '}'];
  const test = field
    ? [`tests = append(tests, func(x ${item}) bool { return ${equals(field)} })`]
    : ['now := time.Now()', `tests = append(tests, func(x ${item}) bool { return x.${goName(filter.name)}(now) == v })`];
  const use = ctx.keeps(`filter:${g.r.name}.${filter.name}`) ? test : ['_ = v'];
  return [`if s, ok := q[${goString(filter.name)}]; ok {`, ...[...read, ...use].map((l) => `\t${l}`), '}'].map((l) => `\t${l}`).join('\n');
}

/** `func tFilters(q url.Values) ([]func(models.T) bool, page, error)`: a resource's list query. */
export function filtersFunc(ctx: GoContext, g: GoResource): string {
  const item = `models.${g.T}`;
  const names = g.r.filters.map((f) => goString(f.name));
  return `// ${g.r.name}Filters reads the query of a list of ${g.r.plural}: the tests an item must pass, and the page.
func ${g.r.name}Filters(q url.Values) ([]func(${item}) bool, page, error) {
	p, err := listQuery(q${names.map((n) => `, ${n}`).join('')})
	if err != nil {
		return nil, p, err
	}
	var tests []func(${item}) bool
${g.r.filters.map((f) => `${filterBlock(ctx, g, f)}\n`).join('')}	return tests, p, nil
}`;
}

/** The page of a list, or (pagination's mutant) all of it. */
export function paged(ctx: GoContext, g: GoResource, items: string): string {
  return ctx.keeps(`pagination:${g.r.name}`) ? `paginate(${items}, p)` : items;
}

export const QUERY_HELPERS = `// page is a list's window: ?limit= (1 to ${MAX_PAGE}, default ${DEFAULT_PAGE}) and ?offset= (from 0, default 0).
type page struct {
	limit, offset int
}

// listQuery refuses unknown and repeated parameters, and reads the page.
func listQuery(q url.Values, filters ...string) (page, error) {
	for name, values := range q {
		if name != "limit" && name != "offset" && !slices.Contains(filters, name) {
			return page{}, fmt.Errorf("unknown query parameter %q", name)
		}
		if len(values) != 1 {
			return page{}, fmt.Errorf("query parameter %q must be given once", name)
		}
	}
	p := page{limit: ${DEFAULT_PAGE}}
	var err error
	if s, ok := q["limit"]; ok {
		if p.limit, err = strconv.Atoi(wholeNumber(s[0])); err != nil || p.limit < 1 || p.limit > ${MAX_PAGE} {
			return p, errors.New("limit must be an integer from 1 to ${MAX_PAGE}")
		}
	}
	if s, ok := q["offset"]; ok {
		if p.offset, err = strconv.Atoi(wholeNumber(s[0])); err != nil || p.offset < 0 {
			return p, errors.New("offset must be an integer from 0")
		}
	}
	return p, nil
}

// paginate returns the page's window of items.
func paginate[T any](items []T, p page) []T {
	if p.offset >= len(items) {
		return []T{}
	}
	items = items[p.offset:]
	if len(items) > p.limit {
		items = items[:p.limit]
	}
	return items
}

// keep returns the items that pass every test, in order.
func keep[T any](items []T, tests []func(T) bool) []T {
	out := make([]T, 0, len(items))
	for _, x := range items {
		if passes(x, tests) {
			out = append(out, x)
		}
	}
	return out
}

func passes[T any](x T, tests []func(T) bool) bool {
	for _, test := range tests {
		if !test(x) {
			return false
		}
	}
	return true
}

// boolParam reads true or false.
func boolParam(name, s string) (bool, error) {
	switch s {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, fmt.Errorf("%s must be true or false", name)
}

// wholeNumber is s without a zero fraction: JSON Schema, and so openapi.yaml, counts 7.0 as the integer 7.
func wholeNumber(s string) string {
	if i := strings.IndexByte(s, '.'); i > 0 && i < len(s)-1 && strings.Trim(s[i+1:], "0") == "" {
		return s[:i]
	}
	return s
}

// intParam reads an integer that fits an int64.
func intParam(name, s string) (int64, error) {
	n, err := strconv.ParseInt(wholeNumber(s), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%s must be an integer", name)
	}
	return n, nil
}

// enumValue is an enum type of package models.
type enumValue interface {
	~string
	Valid() bool
}

// enumParam reads one of an enum's values.
func enumParam[T enumValue](name, values, s string) (T, error) {
	v := T(s)
	if !v.Valid() {
		return v, fmt.Errorf("%s must be one of %s", name, values)
	}
	return v, nil
}`;

/** dayParam, only where a day is filtered on (it names the models' day type). */
export const dayParamHelper = (ctx: GoContext) => `// dayParam reads a day, YYYY-MM-DD.
func dayParam(name, s string) (models.${ctx.date}, error) {
	d, err := models.Parse${ctx.date}(s)
	if err != nil {
		return d, fmt.Errorf("%s must be a date YYYY-MM-DD", name)
	}
	return d, nil
}`;
