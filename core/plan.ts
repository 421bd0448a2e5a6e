// The plan: what the API the sentence asks for is made of. The model writes it from the sentence
// (through PLAN_SCHEMA, core/plan-schema.ts), code checks and mends it (core/plan-check.ts), and
// everything after it derives from it: the Go code (core/go/), openapi.yaml, the tests, and the
// fidelity list that says where each thing the sentence asked for lives (core/fidelity.ts).
// Pure data and pure functions: core/ imports no other folder of the project.

/** The JSON types a field can have; each maps to one Go type and one OpenAPI schema. */
export const FIELD_TYPES = ['string', 'integer', 'number', 'boolean', 'date', 'datetime', 'enum'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export const STRING_FORMATS = ['email', 'url'] as const;
export type StringFormat = (typeof STRING_FORMATS)[number];

/** One field of a resource besides its id. `name` is its JSON name, lower camelCase. */
export interface Field {
  name: string;
  type: FieldType;
  /** A create or update without it is refused (400). */
  required: boolean;
  /** enum: the values it may take. */
  values?: string[];
  /** integer, number: the smallest and largest value; string: the shortest and longest length. */
  min?: number;
  max?: number;
  /** string: a format the value must have. */
  format?: StringFormat;
  /** No two items may have the same value (409 on a second one). */
  unique?: boolean;
  /** The value an item gets when a create leaves the field out. */
  default?: string | number | boolean;
}

/** A list query: by a field's value (`field` set: `?done=true`), or defined in words (`?overdue=true`). */
export interface Filter {
  /** The query parameter; a field's name for a filter by value. */
  name: string;
  /** The field it compares, for a filter by value. */
  field?: string;
  /** What an item must be to match, in words, for a filter the model writes. */
  description?: string;
  /** Items the model sorted into listed or not (core/filter-examples.ts), some after an action: the tests hold the filter and the actions to them. */
  examples?: FilterExample[];
}

/**
 * One example item of a filter: the values code set (dates relative to now: `now-1h`, `today+30d`),
 * the action called on it after it was created, if any, and whether the list then holds it.
 */
export interface FilterExample {
  set: Record<string, string | number | boolean>;
  after?: string;
  listed: boolean;
}

/** An action on one item: `POST /{plural}/{id}/{name}`; its effect in words, written by the model. */
export interface Action {
  name: string;
  description: string;
}

/** A rule over an item that no field rule can say ("the end is after the start"), written by the model. */
export interface Rule {
  name: string;
  description: string;
}

export interface Resource {
  /** Singular, lower case: `todo`. */
  name: string;
  /** Its plural, the URL's segment: `todos`. */
  plural: string;
  fields: Field[];
  /** The resource this one belongs to: each item holds `<parent>Id`, checked to exist, and is listed at `/{parents}/{id}/{plural}`. */
  parent?: string;
  filters: Filter[];
  actions: Action[];
  rules: Rule[];
}

/** Something the sentence asks for that the plan cannot hold, and why. */
export interface NotBuilt {
  what: string;
  why: string;
}

export interface Plan {
  /** The Go module path: `todo-api`. */
  module: string;
  resources: Resource[];
  notBuilt: NotBuilt[];
}

/** How the generated API keeps its data: SQLite through database/sql (default), or a map that a restart empties. */
export const STORES = ['sqlite', 'memory'] as const;
export type Store = (typeof STORES)[number];

/** Lists are paged with `?limit=` (1 to MAX_PAGE, default DEFAULT_PAGE) and `?offset=`. */
export const DEFAULT_PAGE = 100;
export const MAX_PAGE = 1000;
/** Request bodies larger than this are refused (413). */
export const MAX_BODY_BYTES = 1 << 20;

export const MAX_RESOURCES = 5;
export const MAX_FIELDS = 12;

export const RESOURCE_PATTERN = /^[a-z][a-z0-9]{0,29}$/;
/** Go's keywords: a resource's name may become a variable's. */
export const GO_KEYWORDS = new Set(
  'break case chan const continue default defer else fallthrough for func go goto if import interface map package range return select struct switch type var'.split(
    ' ',
  ),
);
export const FIELD_NAME_PATTERN = /^[a-z][A-Za-z0-9]{0,39}$/;

const words = (s: string) =>
  s
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);

/** `due_date`, `due date`, `dueDate` → `DueDate`; Go's initialisms kept (`userId` → `UserID`, `url` → `URL`). */
export function goName(s: string): string {
  return words(s)
    .map((w) => (GO_INITIALISMS.has(w.toLowerCase()) ? w.toUpperCase() : w.charAt(0).toUpperCase() + w.slice(1)))
    .join('');
}
const GO_INITIALISMS = new Set(['id', 'url', 'http', 'api', 'json', 'sql', 'uuid', 'ip', 'uri', 'html']);

/** `DueDate`, `due date`, `due_date` → `dueDate`. */
export function jsonName(s: string): string {
  const w = words(s);
  return w.map((part, i) => (i === 0 ? part.toLowerCase() : part.charAt(0).toUpperCase() + part.slice(1).toLowerCase())).join('');
}

/** A field's name as a sentence writes it: `dueDate` → `due date`, `isbn10` → `isbn10`; anything not a string → ''. */
export const spacedName = (name: unknown): string => (typeof name === 'string' ? name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase() : '');

/** English plural of a lower-case word: todo → todos, box → boxes, category → categories. */
export function pluralOf(word: string): string {
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(word)) return `${word}es`;
  return `${word}s`;
}

/** The field an item of a child resource holds its parent's id in: `authorId`. */
export const parentField = (parent: string) => `${parent}Id`;

export function resourceNamed(plan: Plan, name: string): Resource | undefined {
  return plan.resources.find((r) => r.name === name);
}

/** The resources that belong to `r`. */
export const childrenOf = (plan: Plan, r: Resource) => plan.resources.filter((c) => c.parent === r.name);

/** A field of a resource by name, the parent's id field included. */
export function fieldsWithParent(r: Resource): Field[] {
  return r.parent ? [{ name: parentField(r.parent), type: 'integer', required: true, min: 1 }, ...r.fields] : r.fields;
}

/** A noun with its indefinite article: "an author", "a book". */
export const withArticle = (word: string) => `${/^[aeiou]/.test(word) ? 'an' : 'a'} ${word}`;

/** The routes a resource is served at, as OpenAPI paths, in a fixed order. */
export function routesOf(plan: Plan, r: Resource): { method: 'GET' | 'POST' | 'PUT' | 'DELETE'; path: string; status: number; what: string }[] {
  const base = `/${r.plural}`;
  const item = `${base}/{id}`;
  return [
    { method: 'GET', path: base, status: 200, what: `list ${r.plural}` },
    { method: 'POST', path: base, status: 201, what: `create ${withArticle(r.name)}` },
    { method: 'GET', path: item, status: 200, what: `get ${withArticle(r.name)}` },
    { method: 'PUT', path: item, status: 200, what: `replace ${withArticle(r.name)}` },
    { method: 'DELETE', path: item, status: 204, what: `delete ${withArticle(r.name)}` },
    ...r.actions.map((a) => ({ method: 'POST' as const, path: `${item}/${a.name}`, status: 200, what: `${a.name}: ${a.description}` })),
    ...childrenOf(plan, r).map((c) => ({
      method: 'GET' as const,
      path: `${item}/${c.plural}`,
      status: 200,
      what: `list the ${c.plural} of ${withArticle(r.name)}`,
    })),
  ];
}

/** A JSON object (not an array, not null): what a plan and its parts must be. */
export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

// A resource of a plan still being checked (the model's JSON): its fields, filters and actions that are objects.
export const fieldsOf = (r: Record<string, unknown>) => (Array.isArray(r.fields) ? (r.fields as unknown[]).filter(isObject) : []);
export const filtersOf = (r: Record<string, unknown>) => (Array.isArray(r.filters) ? (r.filters as unknown[]).filter(isObject) : []);
export const actionsOf = (r: Record<string, unknown>) => (Array.isArray(r.actions) ? (r.actions as unknown[]).filter(isObject) : []);

/**
 * An action whose whole description is setting a state: a flag to true or false, or an enum to one
 * of its values ("sets done to true", as code words the actions it puts in for "can be marked
 * done"): no understanding is needed, so code writes its body.
 */
export function stateSetBy(r: Resource, a: Action): { field: Field; value: boolean | string } | null {
  const m = /^sets (\w+) to ([a-z0-9_]+)(?: \(the request says "[^"]*"\))?\.?$/.exec(a.description);
  const field = m ? r.fields.find((f) => f.name === m[1]) : undefined;
  if (field?.type === 'boolean' && (m![2] === 'true' || m![2] === 'false')) return { field, value: m![2] === 'true' };
  if (field?.type === 'enum' && field.values!.includes(m![2]!)) return { field, value: m![2]! };
  return null;
}

const IRREGULAR: Record<string, string> = {
  people: 'person',
  children: 'child',
  men: 'man',
  women: 'woman',
  mice: 'mouse',
  geese: 'goose',
  teeth: 'tooth',
  feet: 'foot',
};

/** The singulars a word may be the plural of: shelves → shelf, shelfe; stories → story; people → person. */
export function singularsOf(w: string): string[] {
  if (IRREGULAR[w]) return [IRREGULAR[w]];
  const out = [w];
  if (w.endsWith('ies')) out.push(`${w.slice(0, -3)}y`);
  if (w.endsWith('ves')) out.push(`${w.slice(0, -3)}f`, `${w.slice(0, -3)}fe`);
  if (w.endsWith('es')) out.push(w.slice(0, -2));
  if (w.endsWith('s')) out.push(w.slice(0, -1));
  return out;
}
