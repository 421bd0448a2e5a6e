// The plan's JSON schema (sent to Ollama as `format`) and the checks the answer must pass
// before any name in it reaches a path, a go.mod or a prompt.
import type { ApiSpec, EndpointSpec, FieldSpec } from '../../workflows/types.js';
import { RESOURCE_PATTERN } from '../../workflows/layout.js';
import { normalizePlan } from './plan-normalize.js';

const GO_TYPES = ['string', 'int', 'int64', 'float64', 'bool'] as const;
// A Go module path such as todo-api or github.com/acme/todo-api; no '..', spaces or quotes.
const MODULE_PATTERN = /^[a-z0-9]([a-z0-9-]|\.(?!\.)){0,59}(\/[a-z0-9][a-z0-9_-]{0,39}){0,3}$/;
const FIELD_NAME_PATTERN = /^[A-Z][A-Za-z0-9]{0,39}$/;
const JSON_TAG_PATTERN = /^[a-z][A-Za-z0-9_]{0,39}$/;
const GO_KEYWORDS = new Set([
  'break',
  'case',
  'chan',
  'const',
  'continue',
  'default',
  'defer',
  'else',
  'fallthrough',
  'for',
  'func',
  'go',
  'goto',
  'if',
  'import',
  'interface',
  'map',
  'package',
  'range',
  'return',
  'select',
  'struct',
  'switch',
  'type',
  'var',
]);

// Ollama turns the schema into a grammar the model cannot step out of. Patterns and bounds on
// every string and array keep a small model to names the checks accept, and make the answer
// finite: without them a 135M model was seen filling its whole context with one plan.
// (The grammar's regex subset has no lookahead: the checks below stay the authority.)
export const PLAN_SCHEMA = {
  type: 'object',
  properties: {
    module: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,39}$' },
    resource: { type: 'string', pattern: RESOURCE_PATTERN.source },
    plural: { type: 'string', pattern: RESOURCE_PATTERN.source },
    fields: {
      type: 'array',
      minItems: 1,
      maxItems: 12,
      items: {
        type: 'object',
        properties: {
          name: { type: 'string', pattern: FIELD_NAME_PATTERN.source },
          type: { type: 'string', enum: [...GO_TYPES] },
          json: { type: 'string', pattern: JSON_TAG_PATTERN.source },
          required: { type: 'boolean' },
        },
        required: ['name', 'type', 'json', 'required'],
      },
    },
    endpoints: {
      type: 'array',
      maxItems: 10,
      items: {
        type: 'object',
        properties: {
          method: { type: 'string', enum: ['GET', 'POST', 'PUT', 'DELETE'] },
          path: { type: 'string', pattern: '^/[a-z0-9/{}]{1,59}$' },
          status: { type: 'integer', minimum: 100, maximum: 599 },
        },
        required: ['method', 'path', 'status'],
      },
    },
  },
  required: ['module', 'resource', 'plural', 'fields', 'endpoints'],
} as const;

/** The endpoints of DESIGN.md for a plural; the contract, whatever the model proposed. */
export function standardEndpoints(plural: string): EndpointSpec[] {
  return [
    { method: 'GET', path: `/${plural}`, status: 200 },
    { method: 'POST', path: `/${plural}`, status: 201 },
    { method: 'GET', path: `/${plural}/{id}`, status: 200 },
    { method: 'PUT', path: `/${plural}/{id}`, status: 200 },
    { method: 'DELETE', path: `/${plural}/{id}`, status: 204 },
  ];
}

export type SpecCheck = { ok: true; spec: ApiSpec; notes?: string[] } | { ok: false; errors: string[] };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks a parsed plan; returns the normalized spec or every problem found. */
export function checkSpec(value: unknown): SpecCheck {
  const errors: string[] = [];
  if (!isObject(value)) return { ok: false, errors: ['the plan must be a JSON object'] };
  const { module, resource, plural, fields } = value;
  if (typeof module !== 'string' || !MODULE_PATTERN.test(module)) errors.push(`"module" must match ${MODULE_PATTERN.source}, e.g. "todo-api"`);
  if (typeof resource !== 'string' || !RESOURCE_PATTERN.test(resource) || GO_KEYWORDS.has(resource))
    errors.push(`"resource" must be one lower-case word (letters and digits), e.g. "todo"`);
  if (typeof plural !== 'string' || !RESOURCE_PATTERN.test(plural) || plural === resource)
    errors.push(`"plural" must be one lower-case word different from "resource", e.g. "todos"`);
  const checked: FieldSpec[] = [];
  if (!Array.isArray(fields) || fields.length < 1 || fields.length > 12) errors.push('"fields" must be an array of 1 to 12 fields');
  else {
    const seen = new Set<string>(['ID']);
    const tags = new Set<string>();
    fields.forEach((f, i) => {
      if (!isObject(f)) return void errors.push(`fields[${i}] must be an object`);
      const { name, type, json, required } = f;
      if (typeof name !== 'string' || !FIELD_NAME_PATTERN.test(name)) errors.push(`fields[${i}].name must be an exported Go name, e.g. "Title"`);
      else if (seen.has(name)) errors.push(`fields[${i}].name "${name}" is repeated or reserved`);
      if (typeof type !== 'string' || !(GO_TYPES as readonly string[]).includes(type)) errors.push(`fields[${i}].type must be one of ${GO_TYPES.join(', ')}`);
      if (typeof json !== 'string' || !JSON_TAG_PATTERN.test(json) || json === 'id')
        errors.push(`fields[${i}].json must be a lower camelCase tag other than "id"`);
      else if (tags.has(json)) errors.push(`fields[${i}].json "${json}" is repeated: every field needs its own tag`);
      if (typeof json === 'string') tags.add(json);
      if (typeof required !== 'boolean') errors.push(`fields[${i}].required must be true or false`);
      if (typeof name === 'string') seen.add(name);
      checked.push({ name, type, json, required } as FieldSpec);
    });
  }
  if (errors.length > 0) return { ok: false, errors };
  const spec: ApiSpec = {
    module: module as string,
    resource: resource as string,
    plural: plural as string,
    fields: checked,
    endpoints: standardEndpoints(plural as string),
  };
  return { ok: true, spec };
}

/**
 * Parses the model's answer text as a plan, mends near-misses (plan-normalize.ts; `request`, the
 * user's sentence, names the module when the model's name is not about it), checks it; JSON errors
 * are reported like schema errors.
 */
export function parsePlan(answer: string, request?: string): SpecCheck {
  const start = answer.indexOf('{');
  const end = answer.lastIndexOf('}');
  if (start < 0 || end <= start) return { ok: false, errors: ['the answer holds no JSON object'] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer.slice(start, end + 1));
  } catch (err) {
    return { ok: false, errors: [`the answer is not valid JSON: ${(err as Error).message}`] };
  }
  const { value, notes } = normalizePlan(parsed, request);
  const checked = checkSpec(value);
  return checked.ok && notes.length ? { ...checked, notes } : checked;
}
