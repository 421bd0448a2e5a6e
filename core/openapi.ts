// openapi.yaml (OpenAPI 3.1) for the generated project, written by code from the plan: every route
// of docs/generated-api.md, every status code the contract says the server sends on it, the error
// body, and every rule of the plan as a schema constraint, so a tool that reads only this document
// (Schemathesis, test/support/schemathesis.ts) can tell a server that keeps the contract from one
// that does not. What no schema keyword can say (unique values, rules in words) is said in words,
// and rules in words are listed in `x-rules-in-words` on the operations they can refuse.
import {
  DEFAULT_PAGE,
  MAX_BODY_BYTES,
  MAX_PAGE,
  childrenOf,
  fieldsWithParent,
  parentField,
  routesOf,
  type Field,
  type Filter,
  type Plan,
  type Resource,
} from './plan.js';

/** The largest int64, exactly (a JS number would round it); ids and integers are Go int64s. */
const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

type Yaml = string | number | bigint | boolean | Yaml[] | { [key: string]: Yaml | undefined };
type Schema = { [key: string]: Yaml | undefined };

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const ref = (kind: 'schemas' | 'parameters', name: string): Schema => ({ $ref: `#/components/${kind}/${name}` });
const json = (schema: Schema) => ({ 'application/json': { schema } });
const ERROR = ref('schemas', 'Error');

/** The JSON schema of a field's value with every rule of the plan a schema keyword can say. */
function fieldSchema(f: Field, r: Resource): Schema {
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
function itemSchema(r: Resource): Schema {
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
function inputSchema(r: Resource): Schema {
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
function filterParameter(filter: Filter, r: Resource): Schema {
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

const listParameters = (r: Resource): Schema[] => [ref('parameters', 'Limit'), ref('parameters', 'Offset'), ...r.filters.map((f) => filterParameter(f, r))];

const error = (description: string): Schema => ({ description, content: json(ERROR) });

/** The responses of a create or replace, besides its success. */
function bodyFailures(r: Resource): Schema {
  const unique = fieldsWithParent(r).filter((f) => f.unique);
  const rules = r.rules.map((rule) => rule.name);
  const out: Schema = {
    '400': error(
      `The body is not a ${r.name}: not one JSON object, an unknown key, null, a wrong type, a missing required field, a value outside its rules${rules.length ? `, or a rule refuses it (${rules.join(', ')})` : ''}.`,
    ),
  };
  if (unique.length) out['409'] = error(`Another ${r.name} has the same ${unique.map((f) => f.name).join(' or ')}.`);
  out['413'] = error(`The body is larger than ${MAX_BODY_BYTES} bytes.`);
  if (r.parent) out['422'] = error(`No ${r.parent} has that ${parentField(r.parent)}.`);
  return out;
}

const badId = error('The id is not an integer from 1 to 9223372036854775807.');

/** operationIds, one per route; an action whose id would repeat a standard one gets `Action` after it. */
function operationIds(plan: Plan): Map<string, string> {
  const ids = new Map<string, string>();
  for (const r of plan.resources) {
    const R = capital(r.name);
    ids.set(`GET /${r.plural}`, `list${capital(r.plural)}`);
    ids.set(`POST /${r.plural}`, `create${R}`);
    ids.set(`GET /${r.plural}/{id}`, `get${R}`);
    ids.set(`PUT /${r.plural}/{id}`, `replace${R}`);
    ids.set(`DELETE /${r.plural}/{id}`, `delete${R}`);
    for (const c of childrenOf(plan, r)) ids.set(`GET /${r.plural}/{id}/${c.plural}`, `list${capital(c.plural)}Of${R}`);
  }
  const taken = new Set(ids.values());
  for (const r of plan.resources) {
    for (const a of r.actions) {
      let id = `${a.name}${capital(r.name)}`;
      while (taken.has(id)) id += 'Action';
      taken.add(id);
      ids.set(`POST /${r.plural}/{id}/${a.name}`, id);
    }
  }
  return ids;
}

function operation(plan: Plan, r: Resource, method: string, path: string, summary: string, id: string): Schema {
  const R = capital(r.name);
  const item: Schema = { description: `The ${r.name}.`, content: json(ref('schemas', R)) };
  const body = { required: true, content: json(ref('schemas', `${R}Input`)) };
  const ruleNames = r.rules.map((rule) => rule.name);
  const base: Schema = { operationId: id, summary, tags: [r.plural] };
  const isItem = path.endsWith('/{id}');
  if (method === 'GET' && path === `/${r.plural}`)
    return {
      ...base,
      parameters: listParameters(r),
      responses: {
        '200': {
          description: `The ${r.plural} that match, ordered by id, after offset, at most limit.`,
          content: json({ type: 'array', items: ref('schemas', R) }),
        },
        '400': error('A query parameter has a value it cannot take.'),
      },
    };
  if (method === 'POST' && path === `/${r.plural}`)
    return {
      ...base,
      ...(ruleNames.length ? { 'x-rules-in-words': ruleNames } : {}),
      requestBody: body,
      responses: {
        '201': {
          description: `The ${r.name} created, with its new id.`,
          headers: {
            Location: {
              description: `/${r.plural}/{id} of the new ${r.name}.`,
              required: true,
              schema: { type: 'string', pattern: `^/${r.plural}/[1-9][0-9]*$` },
            },
          },
          content: json(ref('schemas', R)),
        },
        ...bodyFailures(r),
      },
    };
  if (method === 'GET' && isItem) return { ...base, responses: { '200': item, '400': badId, '404': error(`No ${r.name} has this id.`) } };
  if (method === 'PUT' && isItem) {
    const { '400': bad, ...rest } = bodyFailures(r);
    return {
      ...base,
      ...(ruleNames.length ? { 'x-rules-in-words': ruleNames } : {}),
      requestBody: body,
      responses: {
        '200': { description: `The ${r.name} replaced.`, content: json(ref('schemas', R)) },
        '400': error(`${(bad as Schema).description} Or the id is not an integer ≥ 1.`),
        '404': error(`No ${r.name} has this id.`),
        ...rest,
      },
    };
  }
  if (method === 'DELETE' && isItem) {
    const children = childrenOf(plan, r);
    return {
      ...base,
      responses: {
        '204': { description: 'Deleted; no body.' },
        '400': badId,
        '404': error(`No ${r.name} has this id.`),
        ...(children.length ? { '409': error(`The ${r.name} still has ${children.map((c) => c.plural).join(' or ')}.`) } : {}),
      },
    };
  }
  const child = plan.resources.find((c) => c.parent === r.name && path === `/${r.plural}/{id}/${c.plural}`);
  if (child)
    return {
      ...base,
      tags: [child.plural],
      parameters: listParameters(child),
      responses: {
        '200': {
          description: `The ${r.name}'s ${child.plural} that match, ordered by id, after offset, at most limit.`,
          content: json({ type: 'array', items: ref('schemas', capital(child.name)) }),
        },
        '400': error('The id is not an integer ≥ 1, or a query parameter has a value it cannot take.'),
        '404': error(`No ${r.name} has this id.`),
      },
    };
  // An action: no body.
  return {
    ...base,
    responses: {
      '200': { description: `The ${r.name} after the action.`, content: json(ref('schemas', R)) },
      '400': badId,
      '404': error(`No ${r.name} has this id.`),
      '409': error(`The action refuses (its message), or the ${r.name} after it would break one of its rules; nothing is saved.`),
    },
  };
}

/** The plan's API as an OpenAPI 3.1 document, in YAML. */
export function openApiFor(plan: Plan): string {
  const ids = operationIds(plan);
  const paths: Record<string, Schema> = {};
  for (const r of plan.resources) {
    for (const route of routesOf(plan, r)) {
      const item = (paths[route.path] ??= route.path.includes('{id}') ? { parameters: [ref('parameters', 'Id')] } : {});
      const id = ids.get(`${route.method} ${route.path}`) ?? `${route.method.toLowerCase()}${capital(r.name)}`;
      item[route.method.toLowerCase()] = operation(plan, r, route.method, route.path, route.what, id);
    }
  }
  const schemas: Record<string, Schema> = {
    Error: {
      type: 'object',
      description: 'Every error: unknown routes (404) and wrong methods (405, with Allow) included.',
      required: ['error'],
      additionalProperties: false,
      properties: { error: { type: 'string' } },
    },
  };
  for (const r of plan.resources) {
    schemas[capital(r.name)] = itemSchema(r);
    schemas[`${capital(r.name)}Input`] = inputSchema(r);
  }
  const doc: Schema = {
    openapi: '3.1.0',
    info: {
      title: plan.module,
      description: `${plan.resources.map((r) => r.plural).join(', ')}: a REST API generated by overnight-llm from its plan.`,
      version: '0.1.0',
    },
    tags: plan.resources.map((r) => ({ name: r.plural })),
    paths,
    components: {
      parameters: {
        Id: {
          name: 'id',
          in: 'path',
          required: true,
          description: 'An id: an integer from 1 that fits an int64.',
          schema: { type: 'integer', format: 'int64', minimum: 1, maximum: INT64_MAX },
        },
        Limit: {
          name: 'limit',
          in: 'query',
          required: false,
          description: 'How many items at most.',
          schema: { type: 'integer', minimum: 1, maximum: MAX_PAGE, default: DEFAULT_PAGE },
        },
        Offset: {
          name: 'offset',
          in: 'query',
          required: false,
          description: 'How many matching items to skip.',
          schema: { type: 'integer', format: 'int64', minimum: 0, maximum: INT64_MAX, default: 0 },
        },
      },
      schemas,
    },
  };
  return toYaml(doc, '') + '\n';
}

/** A YAML scalar: plain when that is unambiguous, else JSON-quoted (a JSON string is a YAML one). */
function scalar(v: string | number | bigint | boolean): string {
  if (typeof v !== 'string') return String(v);
  return /^[A-Za-z_/$][\w ./{}$-]*$/.test(v) && !/ $/.test(v) && !/^(true|false|null|yes|no|on|off|y|n|~)$/i.test(v) ? v : JSON.stringify(v);
}

/** Block-style YAML of plain data; `indent` is the current line's. */
function toYaml(value: Yaml, indent: string): string {
  if (Array.isArray(value)) {
    if (!value.length) return '[]';
    return value
      .map((v) => {
        if (typeof v !== 'object') return `${indent}- ${scalar(v)}`;
        const inner = toYaml(v, `${indent}  `);
        return `${indent}- ${inner.trimStart()}`;
      })
      .join('\n');
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value).filter((e): e is [string, Yaml] => e[1] !== undefined);
    if (!entries.length) return '{}';
    return entries
      .map(([k, v]) => {
        if (typeof v !== 'object' || (Array.isArray(v) && !v.length) || (!Array.isArray(v) && !Object.keys(v).length))
          return `${indent}${scalar(k)}: ${typeof v === 'object' ? toYaml(v, '') : scalar(v)}`;
        return `${indent}${scalar(k)}:\n${toYaml(v, `${indent}  `)}`;
      })
      .join('\n');
  }
  return scalar(value);
}
