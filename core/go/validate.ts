// Validate, per resource: every declared rule of its fields, then its rules in words (the
// model's methods). And the helpers models.go shares: PointerTo, the Date type, body decoding,
// the email and URL formats. Each check is one `if`, so a mutant removes exactly one.
import { appliesDefault, checksMin } from './mutants.js';
import { goNumber, goString, type GoContext, type GoField, type GoResource, withArticle } from './names.js';
import { goName } from '../plan.js';

const refuse = (test: string, message: string) => `\tif ${test} {\n\t\treturn errors.New(${goString(message)})\n\t}`;

/** The `if` statements of one field's declared rules, each tagged with the mutant that removes it. */
function fieldChecks(g: GoResource, f: GoField): { id: string; code: string }[] {
  const { field } = f;
  const at = `${g.r.name}.${f.json}`;
  const x = `x.${f.go}`;
  const v = f.pointer ? `*${x}` : x;
  const guard = f.pointer ? `${x} != nil && ` : '';
  // A value-typed string or enum holds "" when it is missing: the required check's business.
  const set = f.pointer ? `${x} != nil` : `${x} != ""`;
  const size = field.type === 'string' ? `utf8.RuneCountInString(${v})` : v;
  const unit = field.type === 'string' ? ' characters long' : '';
  const out: { id: string; code: string }[] = [];
  if (field.required && (field.type === 'string' || field.type === 'enum'))
    out.push({ id: `required:${at}`, code: refuse(`${x} == ""`, `${f.json} is required`) });
  if (checksMin(field))
    out.push({ id: `min:${at}`, code: refuse(`${guard}${size} < ${goNumber(field.min!)}`, `${f.json} must be at least ${field.min}${unit}`) });
  if (field.max !== undefined)
    out.push({ id: `max:${at}`, code: refuse(`${guard}${size} > ${goNumber(field.max)}`, `${f.json} must be at most ${field.max}${unit}`) });
  if (field.format === 'email') out.push({ id: `format:${at}`, code: refuse(`${set} && !isEmail(${v})`, `${f.json} must be an email address`) });
  if (field.format === 'url') out.push({ id: `format:${at}`, code: refuse(`${set} && !isURL(${v})`, `${f.json} must be an absolute http or https URL`) });
  if (field.type === 'enum')
    out.push({ id: `enum:${at}`, code: refuse(`${set} && !${x}.Valid()`, `${f.json} must be one of ${(field.values ?? []).join(', ')}`) });
  return out;
}

/** `func (x T) Validate() error` for one resource. */
export function validateFunc(ctx: GoContext, g: GoResource): string {
  const checks = g.fields.flatMap((f) => fieldChecks(g, f));
  const rules = g.r.rules.map((rule) => ({
    id: `rule:${g.r.name}.${rule.name}`,
    code: `\tif err := x.${goName(rule.name)}(); err != nil {\n\t\treturn err\n\t}`,
  }));
  const body = [...checks, ...rules].filter((c) => ctx.keeps(c.id)).map((c) => c.code);
  return `// Validate checks the declared rules of ${withArticle(g.r.name)}, then its rules in words: the first one broken
// is the error. Uniqueness and the parent's existence are the store's to check.
func (x ${g.T}) Validate() error {
${[...body, '\treturn nil'].join('\n')}
}`;
}

const DECODING = `// PointerTo returns a pointer to a copy of v: optional fields are pointers (x.Field = PointerTo(value)).
func PointerTo[T any](v T) *T {
	return &v
}

// decodeObject reads a body that must be exactly one JSON object.
func decodeObject(data []byte) (map[string]json.RawMessage, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	var fields map[string]json.RawMessage
	if err := dec.Decode(&fields); err != nil || fields == nil {
		return nil, errors.New("the body must be one JSON object")
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("the body must be one JSON object and nothing after it")
	}
	return fields, nil
}

// decodeField reads one field's JSON value into dst; null and a value of another JSON type are refused.
func decodeField[T any](raw json.RawMessage, name, kind string, dst *T) error {
	if bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		return fmt.Errorf("%s must not be null", name)
	}
	if err := json.Unmarshal(raw, dst); err != nil {
		// JSON Schema counts 2.0 and 2e0 as integers: a whole number written so is taken as one.
		f, ferr := strconv.ParseFloat(string(bytes.TrimSpace(raw)), 64)
		if ferr != nil || f != math.Trunc(f) || math.Abs(f) > 1<<53 || json.Unmarshal([]byte(strconv.FormatInt(int64(f), 10)), dst) != nil {
			return fmt.Errorf("%s must be %s", name, kind)
		}
	}
	return nil
}

// sortedKeys lists a body's keys in order, so the problem reported first is always the same one.
func sortedKeys(fields map[string]json.RawMessage) []string {
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}`;

const dateType = (D: string) => `// ${D} is a calendar day, written in JSON as "YYYY-MM-DD"; its time is midnight UTC.
type ${D} struct{ time.Time }

// Parse${D} reads a day written YYYY-MM-DD.
func Parse${D}(s string) (${D}, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return ${D}{}, fmt.Errorf("%q is not a date YYYY-MM-DD", s)
	}
	return ${D}{t}, nil
}

// String writes the day as YYYY-MM-DD.
func (d ${D}) String() string {
	return d.Format(time.DateOnly)
}

// MarshalJSON writes the day as the JSON string "YYYY-MM-DD".
func (d ${D}) MarshalJSON() ([]byte, error) {
	return json.Marshal(d.String())
}

// UnmarshalJSON reads the JSON string "YYYY-MM-DD".
func (d *${D}) UnmarshalJSON(data []byte) error {
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return err
	}
	parsed, err := Parse${D}(s)
	if err != nil {
		return err
	}
	*d = parsed
	return nil
}`;

const mustDate = (D: string) => `// mustDate is a day the code itself writes (a default), known to be valid.
func mustDate(s string) ${D} {
	d, err := Parse${D}(s)
	if err != nil {
		panic(err)
	}
	return d
}`;

const IS_EMAIL = `// isEmail reports whether s is a bare email address, name@domain, without a display name.
func isEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s
}`;

const IS_URL = `// isURL reports whether s is an absolute http or https URL with a host.
func isURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}`;

/** The helpers models.go needs, only those its fields use. */
export function modelHelpers(ctx: GoContext): string {
  const fields = ctx.resources.flatMap((g) => g.fields.map((f) => f.field));
  const dates = fields.filter((f) => f.type === 'date');
  return [
    DECODING,
    ...(dates.length ? [dateType(ctx.date)] : []),
    ...(dates.some(appliesDefault) ? [mustDate(ctx.date)] : []),
    ...(fields.some((f) => f.format === 'email') ? [IS_EMAIL] : []),
    ...(fields.some((f) => f.format === 'url') ? [IS_URL] : []),
  ].join('\n\n');
}
