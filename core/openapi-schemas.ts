// The JSON schemas of openapi.yaml's items, inputs and filter parameters: every rule of the plan
// that a schema keyword can say (core/openapi.ts puts them in the document).
import { fieldsWithParent, parentField, type Field, type Filter, type Resource } from './plan.js';
import type { Yaml } from './yaml.js';

export type Schema = { [key: string]: Yaml | undefined };

/** The largest int64, exactly (a JS number would round it); ids and integers are Go int64s. */
export const INT64_MAX = 9223372036854775807n;
export const INT64_MIN = -9223372036854775808n;

/** The JSON schema of a field's value with every rule of the plan a schema keyword can say. */
export function fieldSchema(f: Field, r: Resource): Schema {
  const s: Schema = {};
  switch (f.type) {
    case 'string': {
      s.type = 'string';
      // A required string must not be empty; a plan's min only ever raises that.
      const min = Math.max(f.min ?? 0, f.required ? 1 : 0);
      if (min > 0) s.minLength = min;
      if (f.max !== undefined) s.maxLength = f.max;
      if (f.format === 'email') s.format = 'email';
      if (f.format === 'url') {
        s.format = 'uri';
        // The contract's url is absolute http or https with a host, a subset of `uri`.
        s.pattern = '^https?://[^/?#]';
      }
      break;
    }
    case 'integer':
      // Go int64: without a plan's bound, the type's own (a larger number is a wrong type: 400).
      Object.assign(s, { type: 'integer', format: 'int64', minimum: f.min ?? INT64_MIN, maximum: f.max ?? INT64_MAX });
      break;
    case 'number':
      Object.assign(s, { type: 'number', format: 'double' });
      if (f.min !== undefined) s.minimum = f.min;
      if (f.max !== undefined) s.maximum = f.max;
      break;
    case 'boolean':
      s.type = 'boolean';
      break;
    case 'date':
      Object.assign(s, { type: 'string', format: 'date' });
      break;
    case 'datetime':
      Object.assign(s, { type: 'string', format: 'date-time' });
      break;
    case 'enum':
      Object.assign(s, { type: 'string', enum: f.values ?? [] });
      break;
  }
  if (f.default !== undefined) s.default = f.default;
  const notes: string[] = [];
  if (r.parent && f.name === parentField(r.parent)) {
    s.minimum = 1;
    notes.push(`The id of its ${r.parent}: one that does not exist is refused (422).`);
  }
  if (f.unique) notes.push(`Unique: a second ${r.name} with the same value is refused (409).`);
  if (notes.length) s.description = notes.join(' ');
  return s;
}

/** `Todo`: an item as the server answers it: its id, its fields, nothing else. */
export function itemSchema(r: Resource): Schema {
  const fields = fieldsWithParent(r);
  // Optional fields never set are left out; one with a default always has a value.
  const present = fields.filter((f) => f.required || f.default !== undefined).map((f) => f.name);
  return {
    type: 'object',
    required: ['id', ...present],
    additionalProperties: false,
    properties: {
      id: { type: 'integer', format: 'int64', minimum: 1, maximum: INT64_MAX, readOnly: true },
      ...Object.fromEntries(fields.map((f) => [f.name, fieldSchema(f, r)])),
    },
  };
}

/** `TodoInput`: a request body: the fields by name and nothing else (no id). */
export function inputSchema(r: Resource): Schema {
  const fields = fieldsWithParent(r);
  const required = fields.filter((f) => f.required).map((f) => f.name);
  const rules = r.rules.map((rule) => `${rule.name}: ${rule.description}`);
  return {
    type: 'object',
    ...(rules.length ? { description: `Also refused (400) unless: ${rules.join('; ')}` } : {}),
    ...(required.length ? { required } : {}),
    additionalProperties: false,
    properties: Object.fromEntries(fields.map((f) => [f.name, fieldSchema(f, r)])),
  };
}

/** The query parameter of a filter: by value, the field's type, not its min/max (nor a parent id's 1): a value outside them matches nothing. */
export function filterParameter(filter: Filter, r: Resource): Schema {
  const field = filter.field ? fieldsWithParent(r).find((f) => f.name === filter.field) : undefined;
  let schema: Schema;
  let description: string;
  if (!field) {
    schema = { type: 'boolean' };
    description = `true: only the ${r.plural} that are ${filter.name} (${filter.description ?? ''}); false: the others.`;
  } else {
    if (field.type === 'integer') schema = { type: 'integer', format: 'int64', minimum: INT64_MIN, maximum: INT64_MAX };
    else if (field.type === 'boolean') schema = { type: 'boolean' };
    else if (field.type === 'enum') schema = { type: 'string', enum: field.values ?? [] };
    else if (field.type === 'date') schema = { type: 'string', format: 'date' };
    else schema = { type: 'string' };
    description = `Only the ${r.plural} whose ${field.name} equals this value.`;
  }
  return { name: filter.name, in: 'query', required: false, description, schema };
}
