// The acceptance scripts of the fidelity prompt set (prompts.ts): one probe per element the
// sentence asks for, in the order prompts.ts lists them, each with the sentence's words for it.
// Written on 2026-12-03 from the sentences alone, before the bench runs whose rows carry their
// counts (rows of earlier commits have none). An element is delivered when its probe passes;
// named when it is not and a "not built" line of the run's fidelity list holds one of its words;
// silently missing otherwise.
import {
  action,
  belongsTo,
  changed,
  childrenListed,
  date,
  filteredBy,
  filteredInWords,
  flagTrue,
  madeSo,
  oneOf,
  range,
  resource,
  survivesRestart,
  unique,
} from './elements.js';
import { act, collection, create, fieldOf, get, pick, type Api, type Collection } from './probes.js';
import { HELD_OUT_ACCEPTANCE } from './held-out.js';
import type { Check } from './types.js';

export type { Check };

const LEND = ['lend', 'lent', 'borrow', 'checkout'];
const now = Date.now();
const at = (hours: number) => new Date(now + hours * 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z');

export const ACCEPTANCE: Record<string, Check[]> = {
  // The plain prompts: the sentence's noun, an item read back as it was sent.
  todo: [{ words: ['todo'], probe: resource(['todo']) }],
  bookstore: [{ words: ['book'], probe: resource(['book']) }],
  notes: [{ words: ['note'], probe: resource(['note']) }],
  inventory: [{ words: ['item', 'product', 'inventor', 'stock'], probe: resource(['item', 'product', 'inventor', 'stock']) }],
  events: [{ words: ['event'], probe: resource(['event']) }],
  gym: [
    { words: ['member'], probe: resource(['member']) },
    { words: ['class'], probe: resource(['class']) },
    { words: ['email', 'unique'], probe: unique(['member'], ['email']) },
    { words: ['level', 'basic', 'silver', 'gold'], probe: oneOf(['member'], ['level'], ['basic', 'silver', 'gold']) },
    { words: ['date'], probe: date(['class'], ['date']) },
    { words: ['capacity'], probe: range(['class'], ['capacity'], 1, 30) },
    { words: ['date', 'given'], probe: filteredBy(['class'], ['date'], '2026-05-01', '2026-05-02') },
  ],
  clinic: [
    { words: ['owner'], probe: resource(['owner']) },
    { words: ['pet'], probe: resource(['pet']) },
    { words: ['owner', 'belong'], probe: belongsTo(['pet'], ['owner']) },
    { words: ['species', 'dog', 'cat', 'bird'], probe: oneOf(['pet'], ['species'], ['dog', 'cat', 'bird']) },
    { words: ['birth', 'date'], probe: date(['pet'], ['birth']) },
    { words: ['pets', 'owner'], probe: childrenListed(['owner'], ['pet']) },
  ],
  library: [
    { words: ['tool'], probe: resource(['tool']) },
    { words: ['name', 'unique'], probe: unique(['tool'], ['name']) },
    { words: ['condition', 'good', 'worn', 'broken'], probe: oneOf(['tool'], ['condition'], ['good', 'worn', 'broken']) },
    { words: ['lent', 'lend'], probe: action(['tool'], LEND, changed) },
    {
      words: ['returned', 'return'],
      // Returned after being lent: it reads back as it did before it was lent.
      probe: async (api) => {
        let before: unknown;
        const back = (_b: unknown, after: unknown) =>
          JSON.stringify(after) === JSON.stringify(before) ? null : `it reads ${JSON.stringify(after)}, before lending ${JSON.stringify(before)}`;
        await action(['tool'], ['return'], back, async (api2, c, id) => {
          before = await get(api2, `/${c.plural}/${id}`);
          await act(api2, c, pick(c.actions, LEND, `an action of /${c.plural} that lends`), id);
        })(api);
      },
    },
    {
      words: ['available'],
      probe: filteredInWords(['tool'], ['avail'], async (api, c) => ({
        yes: [(await create(api, c)).id],
        no: [await madeSo(api, c, { action: LEND, flag: ['lent', 'borrow', 'out'], value: true })],
      })),
    },
    { words: ['restart', 'survives'], probe: survivesRestart(['tool']) },
  ],
  recipes: [
    { words: ['recipe'], probe: resource(['recipe']) },
    { words: ['ingredient'], probe: resource(['ingredient']) },
    { words: ['preparation', 'time', 'minutes'], probe: range(['recipe'], ['prep', 'time', 'minute'], 1, 600) },
    { words: ['difficulty', 'easy', 'medium', 'hard'], probe: oneOf(['recipe'], ['difficulty'], ['easy', 'medium', 'hard']) },
    {
      words: ['ingredients', 'belong', 'recipe'],
      probe: async (api) => {
        await belongsTo(['ingredient'], ['recipe'])(api);
        await childrenListed(['recipe'], ['ingredient'])(api);
      },
    },
    {
      words: ['quick'],
      probe: filteredInWords(['recipe'], ['quick', 'fast', 'short'], async (api, c) => {
        const f = fieldOf(c, ['prep', 'time', 'minute']);
        return { yes: [(await create(api, c, { [f]: 10 })).id], no: [(await create(api, c, { [f]: 45 })).id] };
      }),
    },
  ],
  parking: [
    { words: ['spot'], probe: resource(['spot']) },
    { words: ['booking'], probe: resource(['booking']) },
    { words: ['number', 'unique'], probe: unique(['spot'], ['number']) },
    { words: ['size', 'small', 'regular', 'large'], probe: oneOf(['spot'], ['size'], ['small', 'regular', 'large']) },
    { words: ['spot', 'booking'], probe: belongsTo(['booking'], ['spot']) },
    {
      words: ['start', 'end', 'time'],
      probe: async (api) => {
        await date(['booking'], ['start'])(api);
        await date(['booking'], ['end'])(api);
      },
    },
    { words: ['cancelled', 'cancel'], probe: action(['booking'], ['cancel'], flagTrue(['cancel'])) },
    {
      words: ['active'],
      probe: filteredInWords(['booking'], ['active', 'current'], async (api, c) => {
        // Both bookings span the present; only the cancelled one is not active.
        const times = spanningNow(c.properties);
        return {
          yes: [(await create(api, c, times)).id],
          no: [await madeSo(api, c, { action: ['cancel'], flag: ['cancel'], value: true }, times)],
        };
      }),
    },
  ],
  courses: [
    { words: ['course'], probe: resource(['course']) },
    { words: ['lesson'], probe: resource(['lesson']) },
    { words: ['level'], probe: range(['course'], ['level'], 1, 5) },
    {
      words: ['lessons', 'belong', 'course'],
      probe: async (api) => {
        await belongsTo(['lesson'], ['course'])(api);
        await childrenListed(['course'], ['lesson'])(api);
      },
    },
    { words: ['publish', 'date'], probe: date(['lesson'], ['publish']) },
    { words: ['published', 'publish'], probe: action(['lesson'], ['publish'], flagTrue(['publish'])) },
    {
      words: ['published'],
      probe: filteredInWords(['lesson'], ['publish'], async (api, c) => {
        // Both publish dates are past; only the lesson the action published is published.
        const past = pastDates(c.properties);
        return {
          yes: [await madeSo(api, c, { action: ['publish'], flag: ['publish'], value: true }, past)],
          no: [(await create(api, c, past)).id],
        };
      }),
    },
  ],
  fleet: [
    { words: ['van'], probe: resource(['van']) },
    { words: ['trip'], probe: resource(['trip']) },
    { words: ['plate', 'unique'], probe: unique(['van'], ['plate']) },
    { words: ['mileage'], probe: range(['van'], ['mileage'], 0) },
    { words: ['van', 'trips'], probe: belongsTo(['trip'], ['van']) },
    { words: ['status', 'planned', 'road', 'done'], probe: oneOf(['trip'], ['status'], ['planned', 'on the road', 'done']) },
    {
      words: ['status'],
      probe: async (api) => {
        const trips = collection(api, ['trip']);
        const values: string[] = trips.properties[fieldOf(trips, ['status'])]?.enum ?? ['planned', 'done'];
        await filteredBy(['trip'], ['status'], values[0], values[values.length - 1])(api);
      },
    },
    { words: ['restart', 'survives'], probe: survivesRestart(['van']) },
  ],
  garden: [
    { words: ['plot'], probe: resource(['plot']) },
    { words: ['plant'], probe: resource(['plant']) },
    { words: ['code', 'unique'], probe: unique(['plot'], ['code']) },
    { words: ['area', 'square', 'metres'], probe: range(['plot'], ['area'], 1, 100) },
    { words: ['plot', 'plants'], probe: belongsTo(['plant'], ['plot']) },
    { words: ['planting', 'date'], probe: date(['plant'], ['plant']) },
    { words: ['watered', 'water'], probe: action(['plant'], ['water'], flagTrue(['water'])) },
    {
      words: ['need', 'water'],
      probe: filteredInWords(['plant'], ['need', 'dry', 'thirst'], async (api, c) => ({
        yes: [await madeSoOrNot(api, c)],
        no: [await madeSo(api, c, { action: ['water'], flag: ['water'], value: true })],
      })),
    },
  ],
  ...HELD_OUT_ACCEPTANCE,
};

/** A plant that was never watered: its watered flag, if it has one, false. */
async function madeSoOrNot(api: Api, c: Collection): Promise<number> {
  const flag = Object.keys(c.properties).find((k) => c.properties[k].type === 'boolean' && k.toLowerCase().includes('water'));
  return (await create(api, c, flag ? { [flag]: false } : {})).id;
}

/** Start and end fields set one hour around now, in each one's format. */
function spanningNow(properties: Record<string, any>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, s] of Object.entries(properties)) {
    const hours = /start|begin|from/i.test(k) ? -1 : /end|until|to$/i.test(k) ? 1 : null;
    if (hours === null || (s.format !== 'date' && s.format !== 'date-time')) continue;
    out[k] = s.format === 'date' ? at(hours * 24).slice(0, 10) : at(hours);
  }
  return out;
}

/** Every date field set a month in the past. */
function pastDates(properties: Record<string, any>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, s] of Object.entries(properties))
    if (s.format === 'date' || s.format === 'date-time') out[k] = s.format === 'date' ? at(-720).slice(0, 10) : at(-720);
  return out;
}
