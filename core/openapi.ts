// openapi.yaml (OpenAPI 3.1) for the generated project, written by code from the plan: every route
// of docs/generated-api.md, every status code the contract says the server sends on it, the error
// body, and every rule of the plan as a schema constraint, so a tool that reads only this document
// (Schemathesis, test/support/schemathesis.ts) can tell a server that keeps the contract from one
// that does not. What no schema keyword can say (unique values, rules in words) is said in words,
// and rules in words are listed in `x-rules-in-words` on the operations they can refuse.
import { DEFAULT_PAGE, MAX_BODY_BYTES, MAX_PAGE, childrenOf, fieldsWithParent, parentField, routesOf, type Plan, type Resource } from './plan.js';
import { filterParameter, inputSchema, INT64_MAX, itemSchema, type Schema } from './openapi-schemas.js';
import { toYaml } from './yaml.js';

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const ref = (kind: 'schemas' | 'parameters', name: string): Schema => ({ $ref: `#/components/${kind}/${name}` });
const json = (schema: Schema) => ({ 'application/json': { schema } });
const ERROR = ref('schemas', 'Error');

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

/** A create's 201: the item with its new id, and where it lives. */
function created(r: Resource): Schema {
  return {
    description: `The ${r.name} created, with its new id.`,
    headers: {
      Location: {
        description: `/${r.plural}/{id} of the new ${r.name}.`,
        required: true,
        schema: { type: 'string', pattern: `^/${r.plural}/[1-9][0-9]*$` },
      },
    },
    content: json(ref('schemas', capital(r.name))),
  };
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
      responses: { '201': created(r), ...bodyFailures(r) },
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
