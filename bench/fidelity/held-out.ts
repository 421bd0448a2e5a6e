// The held-out prompts: sentences written on 2026-12-04, after the plan writer and its mends were
// built, in domains neither the fidelity set nor the prompts' examples use, with their acceptance
// scripts written in the same hour, before any run. Nothing of the product was tuned on them:
// their rows say how the product does on sentences it has not seen. Elements are probed as in
// acceptance.ts (elements.ts, probes.ts).
import { action, belongsTo, changed, childrenListed, date, filteredBy, filteredInWords, flagTrue, madeSo, oneOf, range, resource, unique } from './elements.js';
import { act, collection, create, fieldOf, get, Missing, pick, refused, squash } from './probes.js';
import type { Check, FidelityPrompt } from './types.js';

export const HELD_OUT_PROMPTS: FidelityPrompt[] = [
  {
    id: 'rental',
    sentence:
      'Build a REST API to manage a car rental fleet: cars have a plate number that must be unique, a brand and a daily price between 10 and 500; a car can be rented and returned; list the available cars',
    elements: [
      { kind: 'resource', description: 'cars at /cars' },
      { kind: 'unique', description: 'a second car with the same plate is refused' },
      { kind: 'range', description: 'a daily price outside 10 to 500 is refused' },
      { kind: 'action', description: 'rent a car: it changes' },
      { kind: 'action', description: 'return a rented car: it reads as before it was rented' },
      { kind: 'filter', description: 'the available cars: a new one is listed, a rented one is not' },
    ],
  },
  {
    id: 'hotel',
    sentence:
      'REST API for a hotel with rooms and bookings; a booking belongs to a room and has a guest name, a check-in date and a check-out date; bookings can be cancelled',
    elements: [
      { kind: 'resource', description: 'rooms at /rooms' },
      { kind: 'resource', description: 'bookings at /bookings' },
      { kind: 'relation', description: 'a booking of a missing room is refused' },
      { kind: 'date', description: 'a booking has a check-in date' },
      { kind: 'date', description: 'a booking has a check-out date' },
      { kind: 'action', description: 'cancel a booking: it is cancelled afterwards' },
    ],
  },
  {
    id: 'bugs',
    sentence:
      'REST API for a bug tracker: bugs have a title, a severity of low, medium, high or critical, and a status of open, in progress or closed, open by default; list the bugs by severity',
    elements: [
      { kind: 'resource', description: 'bugs at /bugs' },
      { kind: 'enum', description: 'severity is low, medium, high or critical' },
      { kind: 'enum', description: 'status is open, in progress or closed' },
      { kind: 'default', description: 'a bug created without a status is open' },
      { kind: 'filter', description: 'bugs filtered by severity' },
    ],
  },
  {
    id: 'tickets',
    sentence:
      'REST API for an event ticketing system: events have a name, a date and a number of seats from 1 to 5000; tickets belong to an event and have a holder email; list the tickets of an event',
    elements: [
      { kind: 'resource', description: 'events at /events' },
      { kind: 'resource', description: 'tickets at /tickets' },
      { kind: 'date', description: 'an event has a date' },
      { kind: 'range', description: 'seats outside 1 to 5000 are refused' },
      { kind: 'relation', description: 'a ticket of a missing event is refused' },
      { kind: 'relation', description: "the tickets of an event at /events/{id}/tickets hold exactly that event's tickets" },
      { kind: 'format', description: 'a holder email that is not an email is refused' },
    ],
  },
  {
    id: 'archive',
    sentence: 'Simple API for notes with a title and a body; notes can be archived; list the archived notes',
    elements: [
      { kind: 'resource', description: 'notes at /notes' },
      { kind: 'action', description: 'archive a note: it is archived afterwards' },
      { kind: 'filter', description: 'the archived notes: an archived one is listed, a new one is not' },
    ],
  },
  {
    id: 'watchlist',
    sentence: 'API for my movie watchlist',
    elements: [{ kind: 'resource', description: 'movies (or films) at their path' }],
  },
];

const RENT = ['rent', 'hire', 'checkout', 'lend'];

export const HELD_OUT_ACCEPTANCE: Record<string, Check[]> = {
  rental: [
    { words: ['car'], probe: resource(['car']) },
    { words: ['plate', 'unique'], probe: unique(['car'], ['plate']) },
    { words: ['daily', 'price'], probe: range(['car'], ['price', 'daily', 'rate'], 10, 500) },
    { words: ['rented', 'rent'], probe: action(['car'], RENT, changed) },
    {
      words: ['returned', 'return'],
      probe: async (api) => {
        const c = collection(api, ['car']);
        const { id } = await create(api, c);
        const before = await get(api, `/${c.plural}/${id}`);
        await act(api, c, pick(c.actions, RENT, `an action of /${c.plural} that rents`), id);
        await act(api, c, pick(c.actions, ['return'], `an action of /${c.plural} that returns`), id);
        const after = await get(api, `/${c.plural}/${id}`);
        if (JSON.stringify(after) !== JSON.stringify(before))
          throw new Missing(`returned, it reads ${JSON.stringify(after)}; before renting ${JSON.stringify(before)}`);
      },
    },
    {
      words: ['available'],
      probe: filteredInWords(['car'], ['avail'], async (api, c) => ({
        yes: [(await create(api, c)).id],
        no: [await madeSo(api, c, { action: RENT, flag: ['rent', 'hire'], value: true })],
      })),
    },
  ],
  hotel: [
    { words: ['room'], probe: resource(['room']) },
    { words: ['booking'], probe: resource(['booking']) },
    { words: ['booking', 'room', 'belongs'], probe: belongsTo(['booking'], ['room']) },
    { words: ['check-in', 'checkin', 'check'], probe: date(['booking'], ['checkin', 'check_in', 'arrival']) },
    { words: ['check-out', 'checkout', 'check'], probe: date(['booking'], ['checkout', 'check_out', 'departure']) },
    { words: ['cancelled', 'cancel'], probe: action(['booking'], ['cancel'], flagTrue(['cancel'])) },
  ],
  bugs: [
    { words: ['bug'], probe: resource(['bug']) },
    { words: ['severity', 'low', 'medium', 'high', 'critical'], probe: oneOf(['bug'], ['severity'], ['low', 'medium', 'high', 'critical']) },
    { words: ['status', 'open', 'progress', 'closed'], probe: oneOf(['bug'], ['status'], ['open', 'in progress', 'closed']) },
    {
      words: ['default', 'open'],
      probe: async (api) => {
        const c = collection(api, ['bug']);
        const f = fieldOf(c, ['status']);
        const { body } = await create(api, c);
        delete body[f];
        const r = await api.call('POST', `/${c.plural}`, body);
        if (r.status !== 201 || squash(String(r.json?.[f])) !== 'open')
          throw new Missing(`a bug without ${f}: POST answered ${r.status}, ${f} ${JSON.stringify(r.json?.[f])}`);
      },
    },
    { words: ['severity'], probe: filteredBy(['bug'], ['severity'], 'critical', 'low') },
  ],
  tickets: [
    { words: ['event'], probe: resource(['event']) },
    { words: ['ticket'], probe: resource(['ticket']) },
    { words: ['date'], probe: date(['event'], ['date']) },
    { words: ['seats'], probe: range(['event'], ['seat'], 1, 5000) },
    { words: ['tickets', 'belong', 'event'], probe: belongsTo(['ticket'], ['event']) },
    { words: ['tickets', 'event'], probe: childrenListed(['event'], ['ticket']) },
    {
      words: ['holder', 'email'],
      probe: async (api) => {
        const c = collection(api, ['ticket']);
        const f = fieldOf(c, ['email', 'holder']);
        const { body } = await create(api, c);
        await refused(api, c, { ...body, [f]: 'not an email' }, `${f} "not an email"`);
      },
    },
  ],
  archive: [
    { words: ['note'], probe: resource(['note']) },
    { words: ['archived', 'archive'], probe: action(['note'], ['archiv'], flagTrue(['archiv'])) },
    {
      words: ['archived'],
      probe: filteredInWords(['note'], ['archiv'], async (api, c) => ({
        yes: [await madeSo(api, c, { action: ['archiv'], flag: ['archiv'], value: true })],
        no: [(await create(api, c)).id],
      })),
    },
  ],
  watchlist: [{ words: ['movie', 'film'], probe: resource(['movie', 'film', 'watch']) }],
};
