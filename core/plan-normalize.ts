// Near-misses of the plan schema that code mends without asking the model again: a server that
// ignores `format` (not every OpenAI-compatible one enforces it) or a small model answers the
// old one-resource shape, `"name": "DueDate"`, `"type": "int"`, `"required": "true"`, filters as
// plain strings, no plural. Each mend is named, for status.json; what is left goes to checkPlan,
// which stays the authority.
import { jsonName, pluralOf } from './plan.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

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

/** Words a module name may carry that say nothing about the request's subject. */
const GENERIC_MODULE_WORDS = new Set(['api', 'rest', 'go', 'golang', 'service', 'server', 'app', 'http', 'crud', 'backend', 'web']);
const ARTICLES = new Set(['a', 'an', 'the', 'my', 'our', 'some', 'simple', 'small']);

/** A module name from the request's subject: "REST API for a bookstore" → bookstore-api; null when it gives nothing. */
export function moduleFromRequest(request: string): string | null {
  const lower = request.toLowerCase();
  const subject = lower.includes(' for ') ? lower.slice(lower.indexOf(' for ') + 5) : lower;
  const kept = subject
    .split(/[:;,.]/)[0]!
    .split(/[^a-z0-9]+/)
    .filter((w) => w && !ARTICLES.has(w) && !GENERIC_MODULE_WORDS.has(w))
    .slice(0, 3);
  return kept.length && /^[a-z]/.test(kept[0]!) ? `${kept.join('-')}-api` : null;
}

/** A module named after nothing in the request is the prompt's example copied ("library-api" for a gym). */
function moduleFitsRequest(module: string, request: string, resources: unknown[]): boolean {
  const lower = request.toLowerCase();
  const names = resources.map((r) => (isObject(r) && typeof r.name === 'string' ? r.name : ''));
  const own = module.split(/[^a-z0-9]+/).filter((w) => w && !GENERIC_MODULE_WORDS.has(w));
  return own.length === 0 || own.some((w) => lower.includes(w) || names.some((n) => n && (n.includes(w) || w.includes(n))));
}

type Mend = (what: string, from: unknown, to: unknown) => void;

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
  linkParents(resources, notes);
  if (Array.isArray(plan.resources)) plan.resources = dropUnasked(plan.resources, request, notes);
  if (Array.isArray(plan.resources) && request !== undefined) statedInSentence(plan.resources, request, notes);
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
  if (typeof r.name === 'string' && /^[a-z][a-z0-9]*$/.test(r.name) && (r.plural === undefined || r.plural === r.name || r.plural === '')) {
    mend(`${at}.plural`, r.plural ?? null, pluralOf(r.name));
    r.plural = pluralOf(r.name);
  }
  for (const key of ['filters', 'actions', 'rules'] as const) if (r[key] === undefined || r[key] === null) r[key] = [];
  if (Array.isArray(r.fields)) r.fields = r.fields.flatMap((f, i) => normalizeField(f, `${at}.fields[${i}]`, String(r.name ?? 'item'), mend, notes));
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
    r.filters = r.filters.map((f) => {
      if (!isObject(f)) return f;
      if (typeof f.field === 'string' && f.field !== f.name && fieldNames.has(f.field) && !f.description) return { name: f.field, field: f.field };
      if (f.field === undefined && fieldNames.has(f.name)) return { ...f, field: f.name };
      if (f.field !== undefined && !fieldNames.has(f.field) && typeof f.description === 'string') {
        const { field: _dropped, ...inWords } = f;
        return inWords;
      }
      return f;
    });
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
  if (typeof f.name === 'string' && /^[A-Za-z][A-Za-z0-9 _-]*$/.test(f.name) && jsonName(f.name) !== f.name) {
    mend(`${at}.name`, f.name, jsonName(f.name));
    f.name = jsonName(f.name);
  }
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
  return [f];
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

/**
 * The sentence decides the API: when it names some of the planned resources, a resource it does
 * not name and none of those belongs to is the model's addition (seen: users with passwords for
 * "REST API for todo list") and is dropped, named in the notes. A resource left with no fields
 * (its only field was an id) is dropped too.
 */
function dropUnasked(resources: unknown[], request: string | undefined, notes: string[]): unknown[] {
  const nameOf = (r: unknown) => (isObject(r) && typeof r.name === 'string' ? r.name : '');
  let kept = resources.filter((r) => {
    if (!isObject(r) || !Array.isArray(r.fields) || r.fields.length > 0 || resources.length === 1) return true;
    notes.push(`resource ${JSON.stringify(nameOf(r))} dropped: it has no fields besides its id`);
    return false;
  });
  if (request === undefined) return kept;
  const words = new Set(
    request
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter(Boolean),
  );
  const named = (r: unknown) => {
    const n = nameOf(r);
    const plural = isObject(r) && typeof r.plural === 'string' ? r.plural : '';
    return n !== '' && (words.has(n) || words.has(plural) || [...words].some((w) => w.length >= 4 && (w.startsWith(n) || n.startsWith(w))));
  };
  const asked = kept.filter(named);
  if (asked.length === 0) return kept;
  const parents = new Set(asked.map((r) => (isObject(r) && typeof r.parent === 'string' ? r.parent : '')));
  kept = kept.filter((r) => {
    if (named(r) || parents.has(nameOf(r))) return true;
    notes.push(`resource ${JSON.stringify(nameOf(r))} dropped: the request does not ask for it`);
    return false;
  });
  return kept;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const fieldsOf = (r: Record<string, unknown>) => (Array.isArray(r.fields) ? r.fields.filter(isObject) : []);

/**
 * What the sentence states in so many words and the plan left out, code puts in, each named:
 * "pets that belong to an owner" (the relation), "a unique email", "a capacity from 1 to 30",
 * "a mileage of at least 0". Only where a field or resource of that very name is planned: code
 * does not guess what the sentence means, it reads what it says.
 */
function statedInSentence(resources: unknown[], request: string, notes: string[]): void {
  const text = request.toLowerCase();
  const all = resources.filter(isObject);
  const byWord = (w: string) => all.find((r) => r.name === w || r.plural === w || r.name === w.replace(/s$/, ''));
  for (const m of text.matchAll(/([a-z]+) (?:that |which |who )?belongs? to (?:a |an |the |one )?([a-z]+)/g)) {
    const child = byWord(m[1]!);
    const parent = byWord(m[2]!);
    if (child && parent && child !== parent && child.parent === undefined && parent.parent !== child.name) {
      child.parent = parent.name;
      child.fields = fieldsOf(child).filter((f) => f.name !== `${String(parent.name)}Id`);
      notes.push(`${String(child.name)}.parent → "${String(parent.name)}": the request says "${m[0]}"`);
    }
  }
  for (const r of all) {
    for (const f of fieldsOf(r)) {
      const name = typeof f.name === 'string' ? f.name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase() : '';
      if (!name) continue;
      const at = `${String(r.name)}.${String(f.name)}`;
      if (!f.unique && f.type !== 'boolean' && new RegExp(`\\bunique ${escape(name)}\\b`).test(text)) {
        f.unique = true;
        delete f.default;
        notes.push(`${at}.unique → true: the request says "unique ${name}"`);
      }
      if (f.type !== 'integer' && f.type !== 'number') continue;
      const range = new RegExp(`\\b${escape(name)}\\b[a-z ]{0,30}?(?:from|between) (-?\\d+(?:\\.\\d+)?) (?:to|and) (-?\\d+(?:\\.\\d+)?)`).exec(text);
      const least = new RegExp(`\\b${escape(name)}\\b[a-z ]{0,20}?(?:of )?at least (-?\\d+(?:\\.\\d+)?)`).exec(text);
      if (range && f.min === undefined && f.max === undefined) {
        [f.min, f.max] = [Number(range[1]), Number(range[2])];
        notes.push(`${at} min/max → ${range[1]}/${range[2]}: the request says "${range[0]}"`);
      } else if (least && f.min === undefined) {
        f.min = Number(least[1]);
        notes.push(`${at}.min → ${least[1]}: the request says "${least[0]}"`);
      }
    }
  }
}
