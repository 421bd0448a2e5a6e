// The checks a plan must pass before any name in it reaches a path, a go.mod, Go code or a
// prompt: the model's plan, and a plan the user edits (`approve -edit`). Every problem is one
// line that says what to change.
import {
  FIELD_NAME_PATTERN,
  FIELD_TYPES,
  GO_KEYWORDS,
  goName,
  isObject,
  MAX_FIELDS,
  MAX_RESOURCES,
  parentField,
  RESOURCE_PATTERN,
  STRING_FORMATS,
  type Action,
  type Field,
  type Filter,
  type NotBuilt,
  type Plan,
  type Resource,
  type Rule,
} from './plan.js';
import { normalizePlan } from './plan-normalize.js';
import { checkExamples } from './filter-examples.js';

// A Go module path such as todo-api or github.com/acme/todo-api; no '..', spaces or quotes.
const MODULE_PATTERN = /^[a-z0-9]([a-z0-9-]|\.(?!\.)){0,59}(\/[a-z0-9][a-z0-9_-]{0,39}){0,3}$/;
const ENUM_VALUE_PATTERN = /^[a-z][a-z0-9_]{0,29}$/;
/** Query parameters and Go names code itself uses. */
const RESERVED = new Set(['id', 'limit', 'offset', 'validate']);

export type PlanCheck = { ok: true; plan: Plan; notes?: string[] } | { ok: false; errors: string[] };

const text = (v: unknown, max = 200) => typeof v === 'string' && v.trim().length >= 1 && v.length <= max;

/** Checks a parsed plan; the plan in its canonical form, or every problem found. */
export function checkPlan(value: unknown): PlanCheck {
  const errors: string[] = [];
  if (!isObject(value)) return { ok: false, errors: ['the plan must be a JSON object'] };
  const { module, resources, notBuilt } = value;
  if (typeof module !== 'string' || !MODULE_PATTERN.test(module)) errors.push(`"module" must match ${MODULE_PATTERN.source}, e.g. "todo-api"`);
  if (!Array.isArray(resources) || resources.length < 1 || resources.length > MAX_RESOURCES) {
    errors.push(`"resources" must be an array of 1 to ${MAX_RESOURCES} resources`);
    return { ok: false, errors };
  }
  const checked = resources.map((r, i) => checkResource(r, `resources[${i}]`, errors));
  const names = checked.map((r) => r.name);
  const plurals = checked.map((r) => r.plural);
  names.forEach((n, i) => {
    if (names.indexOf(n) !== i || plurals.includes(n)) errors.push(`resources[${i}].name "${n}" is used twice: every resource needs its own name and plural`);
  });
  plurals.forEach((p, i) => {
    if (plurals.indexOf(p) !== i) errors.push(`resources[${i}].plural "${p}" is used twice`);
  });
  checked.forEach((r, i) => checkParent(r, checked, `resources[${i}]`, errors));
  const missing: NotBuilt[] = [];
  if (notBuilt !== undefined && !Array.isArray(notBuilt)) errors.push('"notBuilt" must be an array of {"what", "why"}');
  else
    (notBuilt ?? []).forEach((n: unknown, i: number) => {
      if (!isObject(n) || !text(n.what) || !text(n.why)) errors.push(`notBuilt[${i}] must be {"what": "…", "why": "…"}`);
      else missing.push({ what: n.what as string, why: n.why as string });
    });
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, plan: { module: module as string, resources: checked, notBuilt: missing } };
}

function checkResource(value: unknown, at: string, errors: string[]): Resource {
  if (!isObject(value)) {
    errors.push(`${at} must be an object`);
    return { name: '', plural: '', fields: [], filters: [], actions: [], rules: [] };
  }
  const { name, plural, parent } = value;
  if (typeof name !== 'string' || !RESOURCE_PATTERN.test(name) || GO_KEYWORDS.has(name))
    errors.push(`${at}.name must be one lower-case word (letters and digits), e.g. "todo"`);
  if (typeof plural !== 'string' || !RESOURCE_PATTERN.test(plural) || plural === name || GO_KEYWORDS.has(plural))
    errors.push(`${at}.plural must be one lower-case word different from its name, e.g. "todos"`);
  if (parent !== undefined && (typeof parent !== 'string' || !RESOURCE_PATTERN.test(parent))) errors.push(`${at}.parent must be the name of another resource`);
  const fields = checkFields(value.fields, at, errors);
  const goNames = new Set(['ID', ...fields.map((f) => goName(f.name))]);
  if (typeof parent === 'string') goNames.add(goName(parentField(parent)));
  const actionNames = Array.isArray(value.actions) ? value.actions.filter(isObject).map((a) => String(a.name)) : [];
  const filters = checkList<Filter>(value.filters, `${at}.filters`, errors, (f, where) => {
    const field = fields.find((x) => x.name === f.field) ?? (typeof parent === 'string' && f.field === parentField(parent) ? { type: 'integer' } : undefined);
    if (f.field !== undefined && !field) errors.push(`${where}.field "${String(f.field)}" is not a field of ${String(name)}`);
    if (f.field === undefined && !text(f.description))
      errors.push(`${where} must name a "field" to filter by, or say in "description" what a matching item is`);
    if (field?.type === 'datetime' || field?.type === 'number')
      errors.push(`${where}: a ${field.type} field cannot be filtered by equal value; describe the filter in words`);
    const examples = checkExamples(f.examples, fields, actionNames, where, errors);
    const kept = examples ? { examples } : {};
    if (f.field !== undefined) return { name: f.name as string, field: f.field as string, ...kept };
    return { name: f.name as string, description: f.description as string, ...kept };
  });
  const actions = checkList<Action>(value.actions, `${at}.actions`, errors, (a, where) => {
    if (!text(a.description)) errors.push(`${where}.description must say what the action does to the ${String(name)}`);
    return { name: a.name as string, description: a.description as string };
  });
  const rules = checkList<Rule>(value.rules, `${at}.rules`, errors, (r, where) => {
    if (!text(r.description)) errors.push(`${where}.description must say what a valid ${String(name)} is`);
    return { name: r.name as string, description: r.description as string };
  });
  // Actions, filters in words and rules become Go methods of the resource's type: one name each.
  for (const [kind, list] of [
    ['actions', actions],
    ['filters', filters.filter((f) => !f.field)],
    ['rules', rules],
  ] as const) {
    for (const e of list) {
      if (goNames.has(goName(e.name))) errors.push(`${at}.${kind} "${e.name}" has the name of a field or another element: give it its own name`);
      goNames.add(goName(e.name));
    }
  }
  const base = { name: name as string, plural: plural as string, fields, filters, actions, rules };
  return typeof parent === 'string' ? { ...base, parent } : base;
}

function checkFields(value: unknown, at: string, errors: string[]): Field[] {
  if (!Array.isArray(value) || value.length < 1 || value.length > MAX_FIELDS) {
    errors.push(`${at}.fields must be an array of 1 to ${MAX_FIELDS} fields`);
    return [];
  }
  const seen = new Set<string>();
  return value.map((f, i) => {
    const where = `${at}.fields[${i}]`;
    if (!isObject(f)) {
      errors.push(`${where} must be an object`);
      return { name: '', type: 'string', required: false };
    }
    const { name, type, required } = f;
    if (typeof name !== 'string' || !FIELD_NAME_PATTERN.test(name) || RESERVED.has(name.toLowerCase()))
      errors.push(`${where}.name must be a lower camelCase JSON name other than id, limit or offset, e.g. "dueDate"`);
    else if (seen.has(goName(name))) errors.push(`${where}.name "${name}" is repeated`);
    if (typeof name === 'string') seen.add(goName(name));
    if (!(FIELD_TYPES as readonly unknown[]).includes(type)) errors.push(`${where}.type must be one of ${FIELD_TYPES.join(', ')}`);
    if (typeof required !== 'boolean') errors.push(`${where}.required must be true or false`);
    const field: Field = { name: name as string, type: type as Field['type'], required: required as boolean };
    checkFieldRules(f, field, where, errors);
    return field;
  });
}

/** The optional rules of a field, each only where its type can have it; copied into `field`. */
function checkFieldRules(f: Record<string, unknown>, field: Field, where: string, errors: string[]): void {
  const { type } = field;
  if (type === 'enum') {
    const values = f.values;
    if (!Array.isArray(values) || values.length < 2 || values.length > 12 || !values.every((v) => typeof v === 'string' && ENUM_VALUE_PATTERN.test(v)))
      errors.push(`${where}.values must list 2 to 12 lower-case values for an enum, e.g. ["low", "medium", "high"]`);
    else if (new Set(values).size !== values.length) errors.push(`${where}.values repeats a value`);
    else field.values = values as string[];
  } else if (f.values !== undefined) errors.push(`${where}.values is only for an enum field`);
  for (const key of ['min', 'max'] as const) {
    if (f[key] === undefined) continue;
    if (typeof f[key] !== 'number' || !Number.isFinite(f[key])) errors.push(`${where}.${key} must be a number`);
    else if (type !== 'integer' && type !== 'number' && type !== 'string') errors.push(`${where}.${key} is only for integer, number and string fields`);
    else if ((type === 'integer' || type === 'string') && !Number.isInteger(f[key])) errors.push(`${where}.${key} must be a whole number`);
    else if (type === 'string' && (f[key] as number) < 0) errors.push(`${where}.${key} is a length: it cannot be negative`);
    else field[key] = f[key] as number;
  }
  if (field.min !== undefined && field.max !== undefined && field.min > field.max) errors.push(`${where}: min is larger than max`);
  if (f.format !== undefined) {
    if (type !== 'string' || !(STRING_FORMATS as readonly unknown[]).includes(f.format)) errors.push(`${where}.format must be email or url, on a string field`);
    else field.format = f.format as Field['format'];
  }
  if (f.unique !== undefined) {
    if (typeof f.unique !== 'boolean' || type === 'boolean') errors.push(`${where}.unique must be true or false, and not on a boolean`);
    else if (f.unique) field.unique = true;
  }
  if (f.default !== undefined) {
    const problem = defaultProblem(f.default, field);
    if (problem) errors.push(`${where}.default ${problem}`);
    else if (field.unique) errors.push(`${where}: a unique field cannot have a default (the second item would repeat it)`);
    else field.default = f.default as Field['default'];
  }
}

/** Why a default does not fit its field, or null when it does. */
function defaultProblem(value: unknown, field: Field): string | null {
  const { type } = field;
  const inRange = (n: number) => (field.min === undefined || n >= field.min) && (field.max === undefined || n <= field.max);
  if (type === 'boolean') return typeof value === 'boolean' ? null : 'must be true or false';
  if (type === 'integer' || type === 'number') {
    if (typeof value !== 'number' || (type === 'integer' && !Number.isInteger(value))) return `must be ${type === 'integer' ? 'a whole number' : 'a number'}`;
    return inRange(value) ? null : 'is outside min/max';
  }
  if (typeof value !== 'string') return 'must be a string';
  if (type === 'enum') return field.values?.includes(value) ? null : 'must be one of the values';
  if (type === 'date') return /^\d{4}-\d{2}-\d{2}$/.test(value) ? null : 'must be a date YYYY-MM-DD';
  if (type === 'datetime') return 'cannot be set for a date-time';
  return inRange(value.length) && !field.format ? null : 'does not fit the field (its length or format)';
}

function checkList<T>(value: unknown, at: string, errors: string[], check: (e: Record<string, unknown>, where: string) => T): T[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > 6) {
    errors.push(`${at} must be an array of at most 6`);
    return [];
  }
  const names = new Set<string>();
  return value.map((e, i) => {
    const where = `${at}[${i}]`;
    if (!isObject(e) || typeof e.name !== 'string' || !FIELD_NAME_PATTERN.test(e.name) || RESERVED.has(e.name.toLowerCase())) {
      errors.push(`${where}.name must be a lower camelCase word other than id, limit or offset, e.g. "overdue"`);
      return check(isObject(e) ? e : {}, where);
    }
    if (names.has(e.name)) errors.push(`${where}.name "${e.name}" is repeated`);
    names.add(e.name);
    return check(e, where);
  });
}

function checkParent(r: Resource, all: Resource[], at: string, errors: string[]): void {
  if (r.parent === undefined) return;
  if (r.parent === r.name || !all.some((p) => p.name === r.parent)) {
    errors.push(`${at}.parent "${r.parent}" must be the name of another resource of the plan`);
    return;
  }
  const seen = new Set([r.name]);
  for (let p = all.find((x) => x.name === r.parent); p; p = all.find((x) => x.name === p!.parent)) {
    if (seen.has(p.name)) return void errors.push(`${at}.parent makes a circle (${[...seen].join(' → ')} → ${p.name})`);
    seen.add(p.name);
  }
  if (r.fields.some((f) => f.name === parentField(r.parent!))) errors.push(`${at}: leave out the field ${parentField(r.parent)}; "parent" adds it`);
  const clash = all.find((p) => p.name === r.parent)?.actions.find((a) => a.name === r.plural);
  if (clash) errors.push(`${at}: the action "${clash.name}" of ${r.parent} has the route of its ${r.plural}`);
}

/**
 * Parses the model's answer text as a plan, mends near-misses (plan-normalize.ts; `request`, the
 * user's sentence, names the module when the model's name is not about it), checks it; JSON errors
 * are reported like schema errors.
 */
export function parsePlan(answer: string, request?: string): PlanCheck {
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
  const checked = checkPlan(value);
  return checked.ok && notes.length ? { ...checked, notes } : checked;
}
