// Near-misses of the plan schema that code mends without asking the model again: a server that
// ignores `format` (not every OpenAI-compatible one enforces it) or a small model answers the
// old one-resource shape, `"name": "DueDate"`, `"type": "int"`, `"required": "true"`, filters as
// plain strings, no plural. Each mend is named, for status.json; what is left goes to checkPlan,
// which stays the authority.
import { isObject, jsonName, pluralOf, singularsOf, withArticle } from './plan.js';
import { dropUnasked, listNounKept, moduleFitsRequest, moduleFromRequest, notBuiltAsked, statedInSentence } from './plan-request.js';
import { flagsByState, formatKept, type Mend } from './plan-fields.js';

const TYPE_ALIASES: Record<string, string> = {
  int: 'integer',
  int32: 'integer',
  int64: 'integer',
  long: 'integer',
  float: 'number',
  float32: 'number',
  float64: 'number',
  double: 'number',
  decimal: 'number',
  bool: 'boolean',
  text: 'string',
  str: 'string',
  timestamp: 'datetime',
  time: 'datetime',
  'date-time': 'datetime',
  date_time: 'datetime',
  'time.time': 'datetime',
};

/** The plan with near-misses mended, and one note per mend. */
export function normalizePlan(value: unknown, request?: string): { value: unknown; notes: string[] } {
  if (!isObject(value)) return { value, notes: [] };
  const notes: string[] = [];
  const mend: Mend = (what, from, to) => notes.push(`${what} ${JSON.stringify(from)} → ${JSON.stringify(to)}`);
  const plan: Record<string, unknown> = { ...value };
  // The one-resource shape of earlier plans: {module, resource, plural, fields, endpoints}.
  if (plan.resources === undefined && typeof plan.resource === 'string') {
    const { resource, plural, fields, endpoints: _e, ...rest } = plan;
    notes.push('one resource given at the top level → resources[0]');
    Object.assign(plan, { ...rest, resources: [{ name: resource, plural, fields }] });
    for (const k of ['resource', 'plural', 'fields', 'endpoints']) delete plan[k];
  }
  if (plan.notBuilt === undefined) plan.notBuilt = [];
  if (Array.isArray(plan.resources)) plan.resources = plan.resources.map((r, i) => normalizeResource(r, `resources[${i}]`, mend, notes));
  const resources = Array.isArray(plan.resources) ? plan.resources : [];
  const first = isObject(resources[0]) && typeof resources[0].name === 'string' ? resources[0].name : null;
  if (typeof plan.module === 'string' && /^[A-Za-z][\w -]*$/.test(plan.module.trim())) {
    const module = plan.module
      .trim()
      .toLowerCase()
      .replace(/[\s_]+/g, '-');
    if (module !== plan.module) mend('module', plan.module, module);
    plan.module = module;
    const fromRequest = request === undefined ? null : moduleFromRequest(request);
    if (fromRequest && /^[a-z][a-z0-9-]*$/.test(module) && !moduleFitsRequest(module, request!, resources)) {
      notes.push(`module ${JSON.stringify(module)} → ${JSON.stringify(fromRequest)}: named after the request, not the prompt's example`);
      plan.module = fromRequest;
    }
  } else if (plan.module === undefined && first) {
    mend('module', null, `${first}-api`);
    plan.module = `${first}-api`;
  }
  if (Array.isArray(plan.resources)) plan.resources = mergeRepeated(plan.resources, notes);
  linkParents(Array.isArray(plan.resources) ? plan.resources : [], notes);
  if (Array.isArray(plan.resources)) plan.resources = dropUnasked(plan.resources, request, notes);
  if (Array.isArray(plan.resources) && request !== undefined) listNounKept(plan.resources, request, notes);
  if (Array.isArray(plan.resources) && request !== undefined) statedInSentence(plan.resources, request, notes);
  if (Array.isArray(plan.resources)) relationSaidOnce(plan.resources, notes);
  if (Array.isArray(plan.notBuilt) && request !== undefined) plan.notBuilt = notBuiltAsked(plan.notBuilt, request, notes);
  return { value: plan, notes };
}

function normalizeResource(value: unknown, at: string, mend: Mend, notes: string[]): unknown {
  if (!isObject(value)) return value;
  const r: Record<string, unknown> = { ...value };
  for (const key of ['name', 'plural', 'parent'] as const) {
    const v = r[key];
    if (typeof v === 'string' && /^[A-Za-z][A-Za-z0-9]*$/.test(v) && v !== v.toLowerCase()) {
      mend(`${at}.${key}`, v, v.toLowerCase());
      r[key] = v.toLowerCase();
    }
  }
  if (r.parent === '' || r.parent === null) delete r.parent;
  // A plural that is not this name's ("rehearsal" at /repairs, the plan prompt's example) is the name's own plural.
  const ownPlural =
    typeof r.plural === 'string' && typeof r.name === 'string' && (singularsOf(r.plural).includes(r.name) || r.plural.startsWith(r.name.slice(0, 3)));
  if (
    typeof r.name === 'string' &&
    /^[a-z][a-z0-9]*$/.test(r.name) &&
    (r.plural === undefined || r.plural === r.name || r.plural === '' || (/^[a-z]+$/.test(String(r.plural)) && !ownPlural))
  ) {
    mend(`${at}.plural`, r.plural ?? null, pluralOf(r.name));
    r.plural = pluralOf(r.name);
  }
  for (const key of ['filters', 'actions', 'rules'] as const) if (r[key] === undefined || r[key] === null) r[key] = [];
  if (Array.isArray(r.fields)) r.fields = r.fields.flatMap((f, i) => normalizeField(f, `${at}.fields[${i}]`, String(r.name ?? 'item'), mend, notes));
  flagsByState(r, at, mend);
  // Filters and actions given as plain names.
  const word = (s: string) => (/^[A-Za-z][A-Za-z0-9 _-]*$/.test(s) ? jsonName(s) : s);
  if (Array.isArray(r.filters)) r.filters = r.filters.map((f) => (typeof f === 'string' ? { name: word(f) } : f));
  if (Array.isArray(r.actions))
    r.actions = r.actions.map((a) => (typeof a === 'string' ? { name: word(a), description: `${a} the ${String(r.name ?? 'item')}` } : a));
  for (const key of ['filters', 'actions', 'rules'] as const) {
    if (!Array.isArray(r[key])) continue;
    r[key] = (r[key] as unknown[]).map((e, i) => {
      // Only words are mended ("Mark Done" → markDone); anything else stays for the checks to report.
      if (!isObject(e) || typeof e.name !== 'string' || /^[a-z][A-Za-z0-9]*$/.test(e.name) || !/^[A-Za-z][A-Za-z0-9 _-]*$/.test(e.name)) return e;
      const name = jsonName(e.name);
      mend(`${at}.${key}[${i}].name`, e.name, name);
      return { ...e, name };
    });
  }
  // A filter by value named after its field, as the contract has it.
  if (Array.isArray(r.filters) && Array.isArray(r.fields)) {
    const fieldNames = new Set(r.fields.map((f) => (isObject(f) ? f.name : undefined)));
    const byValueless = new Set(
      r.fields.filter((f) => isObject(f) && (f.type === 'number' || f.type === 'datetime')).map((f) => (f as Record<string, unknown>).name),
    );
    r.filters = r.filters
      .map((f, i) => {
        if (!isObject(f)) return f;
        // "quick" by preparationTime: no equal value of a number means quick; the filter is in words, its body the model's.
        if (typeof f.name === 'string' && typeof f.field === 'string' && f.name !== f.field && byValueless.has(f.field)) {
          const description =
            typeof f.description === 'string' && f.description.trim() ? f.description : `${f.name} ${String(r.plural ?? 'items')}, by their ${f.field}`;
          mend(`${at}.filters[${i}]`, { name: f.name, field: f.field }, { name: f.name, description });
          return { name: f.name, description };
        }
        if (typeof f.field === 'string' && f.field !== f.name && fieldNames.has(f.field) && !f.description) return { name: f.field, field: f.field };
        if (f.field === undefined && fieldNames.has(f.name)) return { ...f, field: f.name };
        if (f.field !== undefined && !fieldNames.has(f.field) && typeof f.description === 'string') {
          const { field: _dropped, ...inWords } = f;
          return inWords;
        }
        return f;
      })
      .map((f, i) => {
        // A filter by a field this resource lacks (another resource's), or by the equal value of a
        // date-time or a number, which no one asks for: not built, and said so, rather than asked again.
        // A parent's id ("ownerId") may become a field only later, when the relation is read from the
        // sentence; a bad name stays for the checks to report.
        if (!isObject(f) || typeof f.field !== 'string' || /[a-z]Id$/.test(f.field) || !/^[a-z][A-Za-z0-9]{0,40}$/.test(String(f.name))) return f;
        if (fieldNames.has(f.field) && !byValueless.has(f.field)) return f;
        const why = fieldNames.has(f.field) ? `a ${f.field} of equal value is no list anyone asks for` : `${f.field} is not a field of ${String(r.name)}`;
        notes.push(`${at}.filters[${i}] ${JSON.stringify(f.name)} dropped: ${why}`);
        return undefined;
      })
      .filter((f) => f !== undefined);
  }
  return r;
}

function normalizeField(value: unknown, at: string, resource: string, mend: Mend, notes: string[]): unknown[] {
  if (!isObject(value)) return [value];
  const f: Record<string, unknown> = { ...value };
  // The one-resource shape named a field twice: a Go name and its JSON tag; the JSON name is the field's name now.
  if (typeof f.json === 'string' && /^[a-z][A-Za-z0-9]*$/.test(f.json)) f.name = f.json;
  else if (f.name === undefined && typeof f.json === 'string') f.name = f.json;
  delete f.json;
  if (typeof f.name === 'string' && f.name.toLowerCase() === 'id') {
    notes.push(`${at} "${f.name}" dropped: every ${resource} has its numeric id already`);
    return [];
  }
  // "(name, SKU unique, …)" planned as a field `unique`: a rule's word, no field (the sentence's reading puts the rule on its field).
  if (typeof f.name === 'string' && /^(?:unique|required|optional|mandatory)$/i.test(f.name)) {
    notes.push(`${at} "${f.name}" dropped: a rule's word, not a field of ${withArticle(resource)}`);
    return [];
  }
  if (typeof f.name === 'string' && /^[A-Za-z][A-Za-z0-9 _-]*$/.test(f.name) && jsonName(f.name) !== f.name) {
    mend(`${at}.name`, f.name, jsonName(f.name));
    f.name = jsonName(f.name);
  }
  normalizeFieldType(f, at, mend, notes);
  normalizeFieldRules(f, at, mend, notes);
  return [f];
}

/** The field's type: the model's aliases, an enum's values (and one without values is text). */
function normalizeFieldType(f: Record<string, unknown>, at: string, mend: Mend, notes: string[]): void {
  if (typeof f.type === 'string') {
    const alias = TYPE_ALIASES[f.type.toLowerCase()] ?? (f.type !== f.type.toLowerCase() ? f.type.toLowerCase() : undefined);
    if (alias) {
      mend(`${at}.type`, f.type, alias);
      f.type = alias;
    }
  }
  if (f.type === 'string' && Array.isArray(f.values) && f.values.length > 0) {
    mend(`${at}.type`, 'string', 'enum');
    f.type = 'enum';
  }
  if (Array.isArray(f.values))
    f.values = f.values.map((v) =>
      typeof v === 'string'
        ? v
            .trim()
            .toLowerCase()
            .replace(/[\s-]+/g, '_')
        : v,
    );
  if (f.type !== 'enum' && Array.isArray(f.values) && f.values.length === 0) delete f.values;
  // An enum the model gave no values (seen: "classes" as an enum) can only be text.
  if (f.type === 'enum' && (!Array.isArray(f.values) || f.values.length < 2)) {
    mend(`${at}.type`, 'enum (without values)', 'string');
    f.type = 'string';
    delete f.values;
    if (f.default !== undefined) delete f.default;
  }
  if (f.type === 'enum' && f.default !== undefined && Array.isArray(f.values) && !f.values.includes(f.default)) {
    notes.push(`${at}.default ${JSON.stringify(f.default)} dropped: it is not one of the values`);
    delete f.default;
  }
}

/** The field's rules: required, a range, unique, a format, a default, as the checks expect them. */
function normalizeFieldRules(f: Record<string, unknown>, at: string, mend: Mend, notes: string[]): void {
  if (f.required === 'true' || f.required === 'false' || f.required === undefined) {
    const required = f.required === 'true';
    if (f.required !== undefined) mend(`${at}.required`, f.required, required);
    f.required = required;
  }
  for (const key of ['min', 'max'] as const) {
    if (typeof f[key] === 'string' && f[key] !== '' && Number.isFinite(Number(f[key]))) {
      mend(`${at}.${key}`, f[key], Number(f[key]));
      f[key] = Number(f[key]);
    }
    if (f[key] === null) delete f[key];
  }
  if (typeof f.min === 'number' && typeof f.max === 'number' && f.min > f.max) {
    mend(`${at} min/max`, [f.min, f.max], [f.max, f.min]);
    [f.min, f.max] = [f.max, f.min];
  }
  for (const key of ['unique', 'format', 'default'] as const) if (f[key] === null || f[key] === '') delete f[key];
  if (f.unique === false) delete f.unique;
  if (typeof f.type === 'string' && /^(?:email|url|uri)$/i.test(f.type)) {
    // "type": "email" is a string in that format.
    mend(`${at}.type`, f.type, 'string');
    f.format = f.type;
    f.type = 'string';
  }
  if (f.format !== undefined) formatKept(f, at, mend, notes);
  // A JSON body cannot tell false from a missing bool in a small model's mind: a required bool
  // refuses nothing a user would send. It becomes optional with false as its default.
  if (f.type === 'boolean' && f.required === true) {
    notes.push(`${at}.required true → false (default false): a boolean's false is a value, not a missing field`);
    f.required = false;
    if (f.default === undefined) f.default = false;
  }
  if (f.type === 'boolean' && f.unique) {
    notes.push(`${at}.unique dropped: a boolean has two values`);
    delete f.unique;
  }
}

/** A field `authorId` (or `author`) of an integer type naming another resource is the relation to it. */
function linkParents(resources: unknown[], notes: string[]): void {
  const names = new Set(resources.map((r) => (isObject(r) ? r.name : undefined)).filter((n): n is string => typeof n === 'string'));
  for (const r of resources) {
    if (!isObject(r) || r.parent !== undefined || !Array.isArray(r.fields)) continue;
    const index = r.fields.findIndex(
      (f) => isObject(f) && typeof f.name === 'string' && f.type === 'integer' && names.has(f.name.replace(/Id$/, '')) && f.name.endsWith('Id'),
    );
    if (index < 0) continue;
    const field = r.fields[index] as Record<string, unknown>;
    const parent = String(field.name).replace(/Id$/, '');
    if (parent === r.name) continue;
    notes.push(`${String(r.name)}.${String(field.name)} → parent "${parent}": it holds a ${parent}'s id`);
    r.parent = parent;
    r.fields = r.fields.filter((_, i) => i !== index);
  }
}

/** A child holds its parent's id in `<parent>Id`, which code adds: a field `ownerId` (or a number `owner`) beside it says the relation twice. */
function relationSaidOnce(resources: unknown[], notes: string[]): void {
  for (const r of resources) {
    if (!isObject(r) || typeof r.parent !== 'string' || !Array.isArray(r.fields)) continue;
    const parent = r.parent;
    // `owner` only as a number: as text it may be the owner's name.
    const twice = (f: unknown) =>
      isObject(f) &&
      (((f.name === `${parent}Id` || f.name === `${parent}ID`) && f.type !== 'boolean' && f.type !== 'enum') || (f.name === parent && f.type === 'integer'));
    const kept = r.fields.filter((f) => !twice(f));
    if (kept.length === r.fields.length || kept.length === 0) continue;
    notes.push(`${String(r.name)}: a field for its ${r.parent} dropped: it belongs to ${r.parent} already (field ${r.parent}Id)`);
    r.fields = kept;
  }
}

/**
 * A resource planned twice under one name (seen: the real 0.5B gave "todo" twice for a todo list)
 * is one resource: the later one's fields, filters, actions and rules that the first lacks join it.
 */
function mergeRepeated(resources: unknown[], notes: string[]): unknown[] {
  const kept: Record<string, unknown>[] = [];
  const out: unknown[] = [];
  resources.forEach((r, i) => {
    if (!isObject(r) || typeof r.name !== 'string') return void out.push(r);
    const same = kept.find((k) => k.name === r.name || k.plural === r.name || (typeof r.plural === 'string' && k.name === r.plural));
    if (!same) return void (kept.push(r), out.push(r));
    for (const key of ['fields', 'filters', 'actions', 'rules'] as const) {
      const mine = Array.isArray(same[key]) ? (same[key] as unknown[]) : [];
      const names = new Set(mine.map((e) => (isObject(e) ? e.name : e)));
      const theirs = Array.isArray(r[key]) ? (r[key] as unknown[]).filter((e) => !names.has(isObject(e) ? e.name : e)) : [];
      same[key] = [...mine, ...theirs];
    }
    notes.push(`resources[${i}] "${r.name}" merged into the ${JSON.stringify(same.name)} planned before it: one resource, planned twice`);
  });
  return out;
}
