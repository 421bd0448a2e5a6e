// What an acceptance script asks of a generated API, over HTTP. Names are found by the sentence's
// words in the API's own openapi.yaml (a collection whose path holds "pet", a field that holds
// "birth"), never taken from the pipeline's report. A probe resolves when the element is
// delivered and throws Missing, saying what the API did, when it is not.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

export class Missing extends Error {}

type Json = any;

export interface Api {
  call(method: string, route: string, body?: unknown): Promise<{ status: number; json: Json }>;
  /** Stops the server and starts it again on the same data. */
  restart(): Promise<void>;
  doc: Json;
}

export interface Collection {
  plural: string;
  /** The item's writable properties (the POST body's schema). */
  properties: Record<string, Json>;
  actions: string[];
  /** Query parameters of GET /plural, by name. */
  params: Record<string, Json>;
}

export type Probe = (api: Api) => Promise<void>;

export function readOpenApi(outputDir: string): Json {
  return parse(readFileSync(path.join(outputDir, 'openapi.yaml'), 'utf8'));
}

const hasWord = (name: string, words: string[]) => words.some((w) => name.toLowerCase().includes(w));

/** The one collection whose path holds one of `words`. */
export function collection(api: Api, words: string[]): Collection {
  const paths = Object.keys(api.doc?.paths ?? {});
  const holding = paths.filter((p) => /^\/[^/{]+$/.test(p) && hasWord(p, words) && api.doc.paths[p].post);
  // "recipe" names /recipes, not /quickrecipes too: a path that starts with the word wins over one that only holds it.
  const starting = holding.filter((p) => words.some((w) => p.toLowerCase().startsWith(`/${w}`)));
  const found = starting.length === 1 ? starting : holding;
  if (found.length !== 1) throw new Missing(`no single collection path holds ${words.join(' or ')} (paths: ${paths.join(', ')})`);
  const plural = found[0]!.slice(1);
  const resolve = (s: Json): Json => (s?.$ref ? api.doc.components.schemas[s.$ref.split('/').pop()] : s);
  const body = resolve(api.doc.paths[`/${plural}`].post.requestBody?.content?.['application/json']?.schema) ?? {};
  const actions = paths
    .map((p) => new RegExp(`^/${plural}/\\{id\\}/(\\w+)$`).exec(p)?.[1])
    .filter((a): a is string => !!a && !!api.doc.paths[`/${plural}/{id}/${a}`].post);
  const params: Record<string, Json> = {};
  for (const p of api.doc.paths[`/${plural}`].get?.parameters ?? []) {
    const param = p.$ref ? api.doc.components.parameters[p.$ref.split('/').pop()] : p;
    if (param?.in === 'query') params[param.name] = param.schema ?? {};
  }
  return { plural, properties: body.properties ?? {}, actions, params };
}

/** The one name among `names` that holds one of `words`; of several, the one `prefer` singles out (ownerId beside owner). */
export function pick(names: string[], words: string[], what: string, prefer?: (name: string) => boolean): string {
  const holding = names.filter((n) => hasWord(n, words));
  const preferred = prefer ? holding.filter(prefer) : [];
  const found = holding.length > 1 && preferred.length === 1 ? preferred : holding;
  if (found.length !== 1) throw new Missing(`${what}: ${found.length} names hold ${words.join(' or ')} (among ${names.join(', ') || 'none'})`);
  return found[0]!;
}

export const fieldOf = (c: Collection, words: string[], what = `a field of /${c.plural}`, prefer?: (schema: Json) => boolean) =>
  pick(Object.keys(c.properties), words, what, prefer && ((name) => prefer(c.properties[name])));

/** A field that refers to an item of `parent` (ownerId for /owners), found by the parent's name. */
export function referenceTo(api: Api, c: Collection, parent: Collection): string {
  const singular = parentSingular(api, parent);
  return pick(
    Object.keys(c.properties).filter((f) => c.properties[f].type === 'integer'),
    [singular.toLowerCase()],
    `/${c.plural}'s reference to /${parent.plural}`,
    (f) => f.toLowerCase() === `${singular.toLowerCase()}id`,
  );
}

function parentSingular(api: Api, c: Collection): string {
  const ref: string | undefined = api.doc.paths[`/${c.plural}`].post.requestBody?.content?.['application/json']?.schema?.$ref;
  return ref
    ? ref
        .split('/')
        .pop()!
        .replace(/Input$/, '')
    : c.plural.replace(/s$/, '');
}

let counter = 0;

/** A value the schema accepts; strings and numbers differ on every call, so unique fields do not collide. */
export function valueFor(schema: Json): unknown {
  const n = ++counter;
  if (schema.enum) return schema.enum[0];
  if (schema.type === 'boolean') return false;
  if (schema.type === 'integer' || schema.type === 'number') {
    // A bound beyond ±1e9 (an int64's own, as some plans give) is no bound a probe needs, and JSON numbers lose digits past 2^53.
    const min = Math.max(schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : 1), -1e9);
    const max = Math.min(schema.maximum ?? min + 1000, min + 1000);
    return min + (n % (max - min + 1));
  }
  if (schema.format === 'date') return `2026-0${1 + (n % 9)}-1${n % 10}`;
  if (schema.format === 'date-time') return `2026-0${1 + (n % 9)}-1${n % 10}T10:00:00Z`;
  if (schema.format === 'email') return `someone${n}@example.com`;
  if (schema.format === 'uri' || schema.format === 'url') return `https://example.com/${n}`;
  const text = `value ${n} abcdefgh`;
  return text.slice(0, Math.max(schema.minLength ?? 1, Math.min(schema.maxLength ?? text.length, text.length)));
}

/** Creates an item of `c`: every property filled, a reference to another collection made real first. */
export async function create(api: Api, c: Collection, overrides: Record<string, unknown> = {}): Promise<{ id: number; body: Record<string, unknown> }> {
  const body: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(c.properties)) {
    if (name in overrides) continue;
    const parent = /Id$/.test(name) && schema.type === 'integer' ? parentFor(api, name) : null;
    body[name] = parent ? (await create(api, parent)).id : valueFor(schema);
  }
  Object.assign(body, overrides);
  const r = await api.call('POST', `/${c.plural}`, body);
  if (r.status !== 201 || typeof r.json?.id !== 'number')
    throw new Missing(`POST /${c.plural} ${JSON.stringify(body)} answered ${r.status} ${JSON.stringify(r.json)}`);
  return { id: r.json.id, body };
}

function parentFor(api: Api, field: string): Collection | null {
  const word = field.replace(/Id$/, '').toLowerCase();
  for (const p of Object.keys(api.doc.paths)) {
    if (!/^\/[^/{]+$/.test(p) || !api.doc.paths[p].post) continue;
    const c = collection(api, [p.slice(1)]);
    if (parentSingular(api, c).toLowerCase() === word) return c;
  }
  return null;
}

/** POST that must be refused (a 4xx), with what was sent. */
export async function refused(api: Api, c: Collection, body: Record<string, unknown>, what: string): Promise<void> {
  const r = await api.call('POST', `/${c.plural}`, body);
  if (r.status < 400 || r.status >= 500) throw new Missing(`${what} was not refused: POST /${c.plural} answered ${r.status} ${JSON.stringify(r.json)}`);
}

export async function get(api: Api, route: string): Promise<Json> {
  const r = await api.call('GET', route);
  if (r.status !== 200) throw new Missing(`GET ${route} answered ${r.status} ${JSON.stringify(r.json)}`);
  return r.json;
}

/** The ids a list route returns, at most 1000 of them. */
export async function idsOf(api: Api, route: string): Promise<number[]> {
  const sep = route.includes('?') ? '&' : '?';
  const list = await get(api, `${route}${sep}limit=1000`);
  if (!Array.isArray(list)) throw new Missing(`GET ${route} is not a list: ${JSON.stringify(list).slice(0, 200)}`);
  return list.map((x: Json) => x.id);
}

/** The list holds every id of `yes` and none of `no` (other items, made by other probes, may be there too). */
export async function listHolds(api: Api, route: string, yes: number[], no: number[]): Promise<void> {
  const ids = await idsOf(api, route);
  const lacking = yes.filter((id) => !ids.includes(id));
  const extra = no.filter((id) => ids.includes(id));
  if (lacking.length || extra.length)
    throw new Missing(`GET ${route}: ${lacking.length ? `lacks ${lacking.join(', ')}` : ''}${extra.length ? ` holds ${extra.join(', ')} it should not` : ''}`);
}

/** POST an action on an item; it must answer 2xx. */
export async function act(api: Api, c: Collection, action: string, id: number): Promise<void> {
  const r = await api.call('POST', `/${c.plural}/${id}/${action}`);
  if (r.status < 200 || r.status > 299) throw new Missing(`POST /${c.plural}/${id}/${action} answered ${r.status} ${JSON.stringify(r.json)}`);
}

/** Letters and digits only, lower case: "on the road", "on_the_road" and "onTheRoad" are one value. */
export const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Two values are the same: equal, or the same instant for dates. */
export function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'string' && typeof b === 'string' && /^\d{4}-\d\d-\d\d/.test(a)) return Date.parse(a) === Date.parse(b);
  return false;
}
