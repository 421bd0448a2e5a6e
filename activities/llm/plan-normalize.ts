// Near-misses of the plan schema that code can mend without asking the model again: a server
// that ignores `format`'s patterns (not every OpenAI-compatible one enforces them) or a small
// model answers `"name": "title"`, `"type": "integer"`, `"required": "true"`, no plural. Each
// mend is named, for status.json; what is left goes to checkSpec, which stays the authority.

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const TYPE_ALIASES: Record<string, string> = {
  integer: 'int',
  number: 'float64',
  float: 'float64',
  double: 'float64',
  float32: 'float64',
  boolean: 'bool',
  text: 'string',
  str: 'string',
  date: 'string',
  time: 'string',
  datetime: 'string',
  'time.time': 'string',
};

const words = (s: string) =>
  s
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[\s_-]+/)
    .filter(Boolean);

/** `title`, `due_date`, `due date`, `dueDate` → `Title`, `DueDate`. */
export const exportedName = (s: string) =>
  words(s)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
/** `Title`, `DueDate`, `due date` → `title`, `dueDate`. */
export const jsonTag = (s: string) => {
  const name = exportedName(s);
  return name.charAt(0).toLowerCase() + name.slice(1);
};

/** English plural of a lower-case word: todo → todos, box → boxes, category → categories. */
export function pluralOf(word: string): string {
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(word)) return `${word}es`;
  return `${word}s`;
}

/** Words a module name may carry that say nothing about the request's subject. */
const GENERIC_MODULE_WORDS = new Set(['api', 'rest', 'go', 'golang', 'service', 'server', 'app', 'http', 'crud', 'backend', 'web']);
const ARTICLES = new Set(['a', 'an', 'the', 'my', 'our', 'some', 'simple', 'small']);

/**
 * A module name from the request's subject: "REST API for a bookstore" → bookstore-api. Null when
 * the request gives nothing to name it by.
 */
export function moduleFromRequest(request: string): string | null {
  const lower = request.toLowerCase();
  const subject = lower.includes(' for ') ? lower.slice(lower.lastIndexOf(' for ') + 5) : lower;
  const kept = subject
    .split(/[^a-z0-9]+/)
    .filter((w) => w && !ARTICLES.has(w) && !GENERIC_MODULE_WORDS.has(w))
    .slice(0, 3);
  return kept.length && /^[a-z]/.test(kept[0]!) ? `${kept.join('-')}-api` : null;
}

/**
 * Whether the module is named after something in the request (or the resource it stores): a small
 * model copies the prompt's example ("library-api" for a bookstore), which no word of the request backs.
 */
function moduleFitsRequest(module: string, request: string, resource: unknown): boolean {
  const lower = request.toLowerCase();
  const own = module.split(/[^a-z0-9]+/).filter((w) => w && !GENERIC_MODULE_WORDS.has(w));
  return own.length === 0 || own.some((w) => lower.includes(w) || w === resource || (typeof resource === 'string' && resource.includes(w)));
}

/** The plan with near-misses mended, and one note per mend. Anything else is left for checkSpec to report. */
export function normalizePlan(value: unknown, request?: string): { value: unknown; notes: string[] } {
  if (!isObject(value)) return { value, notes: [] };
  const notes: string[] = [];
  const plan = { ...value };
  const mend = (what: string, from: unknown, to: unknown) => notes.push(`${what} ${JSON.stringify(from)} → ${JSON.stringify(to)}`);
  if (typeof plan.resource === 'string' && /^[A-Za-z][A-Za-z0-9]*$/.test(plan.resource) && plan.resource !== plan.resource.toLowerCase()) {
    mend('resource', plan.resource, plan.resource.toLowerCase());
    plan.resource = plan.resource.toLowerCase();
  }
  if (typeof plan.plural === 'string' && /^[A-Za-z][A-Za-z0-9]*$/.test(plan.plural) && plan.plural !== plan.plural.toLowerCase()) {
    mend('plural', plan.plural, plan.plural.toLowerCase());
    plan.plural = plan.plural.toLowerCase();
  }
  if (
    typeof plan.resource === 'string' &&
    /^[a-z][a-z0-9]*$/.test(plan.resource) &&
    (plan.plural === undefined || plan.plural === plan.resource || plan.plural === '')
  ) {
    mend('plural', plan.plural ?? null, pluralOf(plan.resource));
    plan.plural = pluralOf(plan.resource);
  }
  if (typeof plan.module === 'string' && /^[A-Za-z][\w -]*$/.test(plan.module.trim())) {
    const module = plan.module
      .trim()
      .toLowerCase()
      .replace(/[\s_]+/g, '-');
    if (module !== plan.module) mend('module', plan.module, module);
    plan.module = module;
    const fromRequest = request === undefined ? null : moduleFromRequest(request);
    if (fromRequest && /^[a-z][a-z0-9-]*$/.test(module) && !moduleFitsRequest(module, request!, plan.resource)) {
      notes.push(`module ${JSON.stringify(module)} → ${JSON.stringify(fromRequest)}: named after the request, not the prompt's example`);
      plan.module = fromRequest;
    }
  } else if (plan.module === undefined && typeof plan.resource === 'string' && /^[a-z][a-z0-9]*$/.test(plan.resource)) {
    mend('module', null, `${plan.resource}-api`);
    plan.module = `${plan.resource}-api`;
  }
  if (Array.isArray(plan.fields)) {
    plan.fields = plan.fields.flatMap((f: unknown, i: number) => {
      if (!isObject(f)) return [f];
      const field = { ...f };
      const at = `fields[${i}]`;
      if (String(field.name ?? '').toLowerCase() === 'id' || field.json === 'id') {
        notes.push(`${at} "${String(field.name ?? field.json)}" dropped: every ${String(plan.resource ?? 'item')} has its numeric id already`);
        return [];
      }
      if (field.name === undefined && typeof field.json === 'string') field.name = field.json;
      if (typeof field.name === 'string' && /^[A-Za-z][A-Za-z0-9 _-]*$/.test(field.name) && exportedName(field.name) !== field.name) {
        mend(`${at}.name`, field.name, exportedName(field.name));
        field.name = exportedName(field.name);
      }
      if (
        (field.json === undefined || (typeof field.json === 'string' && /^[A-Z][A-Za-z0-9]*$/.test(field.json))) &&
        typeof field.name === 'string' &&
        /^[A-Z][A-Za-z0-9]*$/.test(field.name)
      ) {
        const tag = jsonTag(typeof field.json === 'string' ? field.json : field.name);
        mend(`${at}.json`, field.json ?? null, tag);
        field.json = tag;
      }
      const alias = typeof field.type === 'string' ? TYPE_ALIASES[field.type.toLowerCase()] : undefined;
      if (alias) {
        mend(`${at}.type`, field.type, alias);
        field.type = alias;
      }
      if (field.required === 'true' || field.required === 'false' || field.required === undefined) {
        const required = field.required === 'true';
        mend(`${at}.required`, field.required ?? null, required);
        field.required = required;
      }
      // A JSON body cannot tell false from a missing bool once Go has decoded it: a "required"
      // bool makes the API refuse false (seen: "status is required" for {"status": false}).
      if (field.type === 'bool' && field.required === true) {
        notes.push(`${at}.required true → false: a bool's false is a value, not a missing field`);
        field.required = false;
      }
      return [field];
    });
  }
  return { value: plan, notes };
}
