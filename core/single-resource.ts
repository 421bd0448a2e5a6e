// What today's code writer builds of a plan: its first resource, with plain fields (text,
// numbers, flags) and the five CRUD routes over an in-memory map. Until the writer of
// docs/generated-api.md (core/go/) replaces it, the plan is reduced to this, and the fidelity
// list (core/fidelity.ts) names everything the reduction leaves out, so nothing is dropped
// without a word.
import { goName, type Field, type Plan } from './plan.js';

export interface FieldSpec {
  name: string; // Go exported field name, e.g. Title
  type: 'string' | 'int' | 'int64' | 'float64' | 'bool';
  json: string; // json tag, e.g. title
  required: boolean;
}

export interface EndpointSpec {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  status: number;
}

/** The single-resource spec today's writer (activities/guided/contract.ts, the whole-file prompts) takes. */
export interface ApiSpec {
  module: string;
  resource: string;
  plural: string;
  fields: FieldSpec[];
  endpoints: EndpointSpec[];
}

const GO_TYPES: Record<Field['type'], FieldSpec['type']> = {
  string: 'string',
  integer: 'int',
  number: 'float64',
  boolean: 'bool',
  date: 'string',
  datetime: 'string',
  enum: 'string',
};

/** The endpoints of docs/DESIGN.md for a plural. */
export function standardEndpoints(plural: string): EndpointSpec[] {
  return [
    { method: 'GET', path: `/${plural}`, status: 200 },
    { method: 'POST', path: `/${plural}`, status: 201 },
    { method: 'GET', path: `/${plural}/{id}`, status: 200 },
    { method: 'PUT', path: `/${plural}/{id}`, status: 200 },
    { method: 'DELETE', path: `/${plural}/{id}`, status: 204 },
  ];
}

/** The spec today's writer builds from a plan. */
export function singleResourceSpec(plan: Plan): ApiSpec {
  const r = plan.resources[0]!;
  return {
    module: plan.module,
    resource: r.name,
    plural: r.plural,
    fields: r.fields.map((f) => ({ name: goName(f.name), type: GO_TYPES[f.type], json: f.name, required: f.required && f.type !== 'boolean' })),
    endpoints: standardEndpoints(r.plural),
  };
}

/** The part of a plan today's writer builds, as a plan: what the fidelity list compares with. */
export function builtOf(plan: Plan): Plan {
  const r = plan.resources[0]!;
  const plain = (f: Field): Field => ({ name: f.name, type: GO_TYPES[f.type] === 'string' ? 'string' : f.type, required: f.required && f.type !== 'boolean' });
  return {
    module: plan.module,
    resources: [{ name: r.name, plural: r.plural, fields: r.fields.map(plain), filters: [], actions: [], rules: [] }],
    notBuilt: plan.notBuilt,
  };
}
