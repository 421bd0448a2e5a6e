// internal/models/models.go: one struct per resource, its enums, and the function that decodes a
// request body into it (unknown keys, null and wrong JSON types refused, defaults applied).
// Validate and the shared helpers are in validate.ts.
import { goName, type Resource } from '../plan.js';
import { appliesDefault } from './mutants.js';
import { aligned, goFile, goNumber, goString, type GoContext, type GoField, type GoResource, withArticle } from './names.js';
import { modelHelpers, validateFunc } from './validate.js';

function structOf(g: GoResource): string {
  const rows = [
    ['ID', 'int64', '`json:"id"`'],
    ...g.fields.map((f) => [f.go, `${f.pointer ? '*' : ''}${f.type}`, `\`json:"${f.json}${f.pointer ? ',omitempty' : ''}"\``]),
  ];
  return [
    `// ${g.T} is one ${g.r.name} of the API, as JSON. Optional fields are pointers: a nil one is left out.`,
    `type ${g.T} struct {`,
    ...aligned(rows),
    '}',
  ].join('\n');
}

/** The Go name of one value of an enum: `TodoStatusInProgress`. */
export const enumConst = (f: GoField, value: string) => `${f.type}${goName(value)}`;

function enumOf(r: Resource, f: GoField): string {
  const values = f.field.values ?? [];
  const consts = aligned(values.map((v) => [enumConst(f, v), f.type, `= ${goString(v)}`]));
  return `// ${f.type} is the ${f.json} of ${withArticle(r.name)}: one of the constants below.
type ${f.type} string

// The values ${withArticle(r.name)}'s ${f.json} may take.
const (
${consts.join('\n')}
)

// Valid reports whether v is one of ${f.type}'s values.
func (v ${f.type}) Valid() bool {
	switch v {
	case ${values.map((v) => enumConst(f, v)).join(', ')}:
		return true
	}
	return false
}`;
}

/** What a JSON value of the field's type is, for the message when it is something else. */
const KINDS: Record<GoField['field']['type'], string> = {
  string: 'a string',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  date: 'a date YYYY-MM-DD',
  datetime: 'a date-time (RFC 3339)',
  enum: 'a string',
};

function decodeCase(f: GoField): string {
  const decode = (target: string) => `err = decodeField(raw, ${goString(f.json)}, ${goString(KINDS[f.field.type])}, ${target})`;
  const lines = f.pointer ? [`x.${f.go} = new(${f.type})`, decode(`x.${f.go}`)] : [decode(`&x.${f.go}`)];
  return [`\t\tcase ${goString(f.json)}:`, ...lines.map((l) => `\t\t\t${l}`)].join('\n');
}

/** The Go value of a field's default. */
function defaultValue(f: GoField): string {
  const d = f.field.default!;
  if (f.field.type === 'enum') return enumConst(f, String(d));
  if (f.field.type === 'date') return `mustDate(${goString(String(d))})`;
  if (typeof d === 'number') return goNumber(d);
  return typeof d === 'boolean' ? String(d) : goString(d);
}

function decodeFunc(ctx: GoContext, g: GoResource): string {
  const at = (kind: string, f: GoField) => `${kind}:${g.r.name}.${f.json}`;
  const required = g.fields
    .filter((f) => f.field.required && ctx.keeps(at('required', f)))
    .map((f) => `\tif _, ok := fields[${goString(f.json)}]; !ok {\n\t\treturn x, errors.New(${goString(`${f.json} is required`)})\n\t}`);
  const defaults = g.fields
    .filter((f) => appliesDefault(f.field) && ctx.keeps(at('default', f)))
    .map((f) => `\tif x.${f.go} == nil {\n\t\tx.${f.go} = PointerTo[${f.type}](${defaultValue(f)})\n\t}`);
  return `// Decode${g.T} reads a request body as ${withArticle(g.r.name)}: one JSON object holding its fields and nothing
// else. Null, a wrong JSON type, an unknown key (id included) and a missing required field are
// refused; an optional field left out takes its default, if it has one.
func Decode${g.T}(data []byte) (${g.T}, error) {
	var x ${g.T}
	fields, err := decodeObject(data)
	if err != nil {
		return x, err
	}
	for _, key := range sortedKeys(fields) {
		raw := fields[key]
		switch key {
		case "id":
			return x, errors.New("id is set by the server, not by the body")
${g.fields.map(decodeCase).join('\n')}
		default:
			return x, fmt.Errorf("unknown field %q", key)
		}
		if err != nil {
			return x, err
		}
	}
${[...required, ...defaults].join('\n')}
	return x, nil
}`;
}

/** internal/models/models.go. */
export function modelsGo(ctx: GoContext): string {
  const parts = ctx.resources.flatMap((g) => [
    structOf(g),
    ...g.fields.filter((f) => f.field.type === 'enum').map((f) => enumOf(g.r, f)),
    decodeFunc(ctx, g),
    validateFunc(ctx, g),
  ]);
  const header = `// Package models holds the API's resources, their JSON form and their declared rules. The
// behaviour described in words (actions, filters and rules in words) is in behaviour.go.`;
  return `${header}\n${goFile('models', [...parts, modelHelpers(ctx)].join('\n\n'))}`;
}
