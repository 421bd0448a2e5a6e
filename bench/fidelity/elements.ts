// One probe per kind of element a sentence asks for, built from the sentence's words (see
// probes.ts for how names are found). Each says what the user would check by hand: the value
// read back, the refused request, the action's effect on a later GET, the list holding exactly
// the right items, the item still there after a restart.
import {
  act,
  collection,
  create,
  fieldOf,
  get,
  listHolds,
  Missing,
  pick,
  referenceTo,
  refused,
  same,
  squash,
  type Api,
  type Collection,
  type Probe,
} from './probes.js';

/** Items of the collection can be created and read back as sent, alone and in the list. */
export const resource =
  (words: string[]): Probe =>
  async (api) => {
    const c = collection(api, words);
    const { id, body } = await create(api, c);
    const got = await get(api, `/${c.plural}/${id}`);
    for (const [k, v] of Object.entries(body))
      if (!same(got[k], v)) throw new Missing(`GET /${c.plural}/${id}: ${k} is ${JSON.stringify(got[k])}, sent ${JSON.stringify(v)}`);
    await listHolds(api, `/${c.plural}`, [id], []);
  };

/** A second item with the same value of the field is refused. */
export const unique =
  (of: string[], field: string[]): Probe =>
  async (api) => {
    const c = collection(api, of);
    const f = fieldOf(c, field);
    const first = await create(api, c);
    const second = await create(api, c).catch(() => null);
    const body = { ...(second?.body ?? first.body), [f]: first.body[f] };
    await refused(api, c, body, `a second ${c.plural} item with ${f} ${JSON.stringify(first.body[f])}`);
  };

/** The field takes exactly the sentence's values; each is accepted, another is refused. */
export const oneOf =
  (of: string[], field: string[], values: string[]): Probe =>
  async (api) => {
    const c = collection(api, of);
    const f = fieldOf(c, field);
    const declared: string[] = c.properties[f].enum ?? [];
    if (declared.map(squash).sort().join() !== values.map(squash).sort().join())
      throw new Missing(`${f} takes ${declared.length ? declared.join(', ') : 'any value'}, not ${values.join(', ')}`);
    for (const v of declared) await create(api, c, { [f]: v });
    const { body } = await create(api, c);
    await refused(api, c, { ...body, [f]: 'not-one-of-them' }, `${f} "not-one-of-them"`);
  };

/** Values at the bounds are accepted, one step outside is refused. */
export const range =
  (of: string[], field: string[], min: number, max?: number): Probe =>
  async (api) => {
    const c = collection(api, of);
    const f = fieldOf(c, field);
    for (const v of max === undefined ? [min] : [min, max]) await create(api, c, { [f]: v });
    const { body } = await create(api, c);
    for (const v of max === undefined ? [min - 1] : [min - 1, max + 1]) await refused(api, c, { ...body, [f]: v }, `${f} ${v}`);
  };

/** The field is a date (or a date-time): one is read back, text that is not a date is refused. */
export const date =
  (of: string[], field: string[]): Probe =>
  async (api) => {
    const c = collection(api, of);
    const f = fieldOf(c, field, undefined, (s) => s.format === 'date' || s.format === 'date-time');
    const format = c.properties[f].format;
    if (format !== 'date' && format !== 'date-time') throw new Missing(`${f} is ${c.properties[f].type}${format ? ` (${format})` : ''}, not a date`);
    const value = format === 'date' ? '2026-03-14' : '2026-03-14T09:30:00Z';
    const { id, body } = await create(api, c, { [f]: value });
    if (!same((await get(api, `/${c.plural}/${id}`))[f], value)) throw new Missing(`${f} ${value} is not read back`);
    await refused(api, c, { ...body, [f]: 'next tuesday' }, `${f} "next tuesday"`);
  };

/** A child refers to its parent: an item of an existing parent is made, one of a missing parent is refused. */
export const belongsTo =
  (child: string[], parent: string[]): Probe =>
  async (api) => {
    const c = collection(api, child);
    const p = collection(api, parent);
    const ref = referenceTo(api, c, p);
    const owner = await create(api, p);
    const { body } = await create(api, c, { [ref]: owner.id });
    await refused(api, c, { ...body, [ref]: 987654321 }, `a ${ref} that no item of /${p.plural} has`);
  };

/** GET /parents/{id}/children holds exactly that parent's children. */
export const childrenListed =
  (parent: string[], child: string[]): Probe =>
  async (api) => {
    const p = collection(api, parent);
    const c = collection(api, child);
    const route = Object.keys(api.doc.paths).find((r) => r === `/${p.plural}/{id}/${c.plural}` && api.doc.paths[r].get);
    if (!route) throw new Missing(`no GET /${p.plural}/{id}/${c.plural}`);
    const ref = referenceTo(api, c, p);
    const [one, two] = [await create(api, p), await create(api, p)];
    const mine = [(await create(api, c, { [ref]: one.id })).id, (await create(api, c, { [ref]: one.id })).id];
    const theirs = (await create(api, c, { [ref]: two.id })).id;
    const listed = (await get(api, `/${p.plural}/${one.id}/${c.plural}`)).map((x: { id: number }) => x.id).sort();
    if (listed.join() !== mine.sort().join())
      throw new Missing(`GET /${p.plural}/${one.id}/${c.plural} holds ${listed.join(', ')}; its children are ${mine.join(', ')} (not ${theirs})`);
  };

/** GET /items?<param>=v returns the items whose field is v and not the others. */
export const filteredBy =
  (of: string[], field: string[], a: unknown, b: unknown): Probe =>
  async (api) => {
    const c = collection(api, of);
    const f = fieldOf(c, field);
    const param = pick(Object.keys(c.params), [f.toLowerCase(), ...field], `a query parameter of GET /${c.plural} for ${f}`);
    const [x, y] = [(await create(api, c, { [f]: a })).id, (await create(api, c, { [f]: b })).id];
    await listHolds(api, `/${c.plural}?${param}=${encodeURIComponent(String(a))}`, [x], [y]);
  };

/** How a probe puts an item in the state a filter in words selects: returns the items that must and must not be listed. */
export type Setup = (api: Api, c: Collection) => Promise<{ yes: number[]; no: number[] }>;

/** GET /items?<param>=true holds the items `setup` says it must, and not the others. */
export const filteredInWords =
  (of: string[], param: string[], setup: Setup): Probe =>
  async (api) => {
    const c = collection(api, of);
    const name = pick(Object.keys(c.params), param, `a query parameter of GET /${c.plural} for ${param.join(' or ')}`);
    const { yes, no } = await setup(api, c);
    await listHolds(api, `/${c.plural}?${name}=true`, yes, no);
  };

/** POST /items/{id}/<action> answers 2xx and `effect` holds on the item before and after. */
export const action =
  (
    of: string[],
    words: string[],
    effect: (before: any, after: any) => string | null,
    prepare?: (api: Api, c: Collection, id: number) => Promise<void>,
  ): Probe =>
  async (api) => {
    const c = collection(api, of);
    const a = pick(c.actions, words, `an action of /${c.plural}`);
    const { id } = await create(api, c);
    await prepare?.(api, c, id);
    const before = await get(api, `/${c.plural}/${id}`);
    await act(api, c, a, id);
    const wrong = effect(before, await get(api, `/${c.plural}/${id}`));
    if (wrong) throw new Missing(`after POST /${c.plural}/${id}/${a}: ${wrong}`);
  };

/** The action changed the item. */
export const changed = (before: object, after: object) => (JSON.stringify(before) === JSON.stringify(after) ? 'the item reads back unchanged' : null);

/** The item has a boolean field holding one of `words`, true after the action. */
export const flagTrue = (words: string[]) => (_before: object, after: Record<string, unknown>) => {
  const flags = Object.keys(after).filter((k) => typeof after[k] === 'boolean' && words.some((w) => k.toLowerCase().includes(w)));
  if (flags.length === 0) return changed(_before, after);
  return flags.every((k) => after[k] === true) ? null : `${flags.join(', ')} is not true`;
};

/** An item made here is still there, unchanged, after the server restarts. */
export const survivesRestart =
  (of: string[]): Probe =>
  async (api) => {
    const c = collection(api, of);
    const { id } = await create(api, c);
    const before = await get(api, `/${c.plural}/${id}`);
    await api.restart();
    const r = await api.call('GET', `/${c.plural}/${id}`);
    if (r.status !== 200 || JSON.stringify(r.json) !== JSON.stringify(before))
      throw new Missing(`after a restart GET /${c.plural}/${id} answered ${r.status} ${JSON.stringify(r.json)}`);
  };

/** Puts an item in a state by its action when there is one, else by a boolean field at creation. */
export async function madeSo(
  api: Api,
  c: Collection,
  how: { action: string[]; flag: string[]; value: boolean },
  overrides: Record<string, unknown> = {},
): Promise<number> {
  const a = c.actions.find((x) => how.action.some((w) => x.toLowerCase().includes(w)));
  if (a) {
    const { id } = await create(api, c, overrides);
    await act(api, c, a, id);
    return id;
  }
  const flag = Object.keys(c.properties).find((k) => c.properties[k].type === 'boolean' && how.flag.some((w) => k.toLowerCase().includes(w)));
  if (!flag) throw new Missing(`/${c.plural} has no action holding ${how.action.join(' or ')} and no flag holding ${how.flag.join(' or ')}`);
  return (await create(api, c, { ...overrides, [flag]: how.value })).id;
}
