// The items the model sorts for a filter in words, and what code keeps of its answer.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  afterItems,
  agreed,
  checkExamples,
  exampleItems,
  examplesFrom,
  itemLine,
  itemsToSort,
  sortableFilters,
  verdictOf,
} from '../../core/filter-examples.js';
import { checkPlan } from '../../core/plan-check.js';
import type { Resource } from '../../core/plan.js';

const BOOKING: Resource = {
  name: 'booking',
  plural: 'bookings',
  parent: 'spot',
  fields: [
    { name: 'spotId', type: 'integer', required: true },
    { name: 'plate', type: 'string', required: true },
    { name: 'start', type: 'datetime', required: true },
    { name: 'end', type: 'datetime', required: true },
    { name: 'cancelled', type: 'boolean', required: false },
    { name: 'size', type: 'enum', required: true, values: ['small', 'regular', 'large'] },
  ],
  filters: [{ name: 'active', description: 'bookings that are going on now and not cancelled' }],
  actions: [{ name: 'cancel', description: 'sets cancelled to true' }],
  rules: [],
};

test('the items: a base spanning now, each flag on, the dates moved past, long past and future, the other enum values', () => {
  const items = exampleItems(BOOKING);
  assert.deepEqual(items[0], { cancelled: false, size: 'small', start: 'now-1h', end: 'now+1h' });
  assert.deepEqual(
    items.slice(1).map((i) => Object.fromEntries(Object.entries(i).filter(([k, v]) => items[0]![k] !== v))),
    [
      { cancelled: true },
      { start: 'now-3h', end: 'now-2h' },
      { start: 'now-400d', end: 'now-399d' },
      { start: 'now+30d', end: 'now+31d' },
      { size: 'regular' },
      { size: 'large' },
    ],
  );
  // Free text, numbers and the parent's id are never set: the model would sort on noise.
  for (const i of items) assert.deepEqual(Object.keys(i).sort(), ['cancelled', 'end', 'size', 'start']);
  const shown = itemLine(items[0]!, new Date('2026-12-04T06:00:00Z'));
  assert.equal(shown, 'cancelled: false, size: "small", start: "2026-12-04T05:00:00Z" (1 hour ago), end: "2026-12-04T07:00:00Z" (in 1 hour)');
});

test('a lone date is a day ago in the base item, then long ago and a month ahead', () => {
  const r: Resource = { ...BOOKING, parent: undefined, fields: [{ name: 'due', type: 'date', required: true }] };
  assert.deepEqual(exampleItems(r), [{ due: 'today-1d' }, { due: 'today-400d' }, { due: 'today+30d' }]);
});

test('the verdicts: one per item, some listed and some not; anything else is refused with the reason', () => {
  const items = exampleItems(BOOKING)
    .slice(0, 3)
    .map((set) => ({ set }));
  assert.deepEqual(
    ['{"listed": true}', '{"listed":false}', '{"listed": "no"}', '{"module": "todo-api"}', '[true]', 'sure!'].map((a) => verdictOf(a)),
    [true, false, null, null, null, null],
  );
  const ok = examplesFrom(items, [true, false, false]);
  assert.ok('examples' in ok);
  assert.deepEqual(
    ok.examples.map((e) => [e.set, e.listed]),
    items.map((item, i) => [item.set, i === 0]),
  );
  assert.deepEqual(examplesFrom(items, [true, true, true]), { why: 'the model listed every item' });
  assert.deepEqual(examplesFrom(items, [false, false, false]), { why: 'the model left out every item' });
  // An item without an agreed verdict is left out; more than half of them leaves none.
  const most = examplesFrom(items, [true, null, false]);
  assert.ok('examples' in most);
  assert.deepEqual(
    most.examples.map((e) => e.listed),
    [true, false],
  );
  assert.deepEqual(examplesFrom(items, [true, null, null]), { why: 'the model contradicted itself, or did not answer, on 2 of 3 items' });
  // Asked both ways: "listed" and "left out" must disagree to be a verdict.
  assert.equal(verdictOf('{"leftOut": true}', 'leftOut'), true);
  assert.equal(verdictOf('{"listed": true}', 'leftOut'), null);
  assert.deepEqual([agreed(true, false), agreed(false, true), agreed(false, false), agreed(true, true), agreed(null, false)], [true, false, null, null, null]);
});

test('a plan the user edits may carry examples: valid ones are kept, a wrong one is a one-line error', () => {
  const errors: string[] = [];
  const kept = checkExamples(
    [{ set: { cancelled: true, start: 'now-2h', end: '2026-12-05T10:00:00Z' }, listed: false }],
    BOOKING.fields,
    ['cancel'],
    'at',
    errors,
  );
  assert.deepEqual(errors, []);
  assert.equal(kept?.length, 1);
  checkExamples([{ set: { colour: 'red', size: 'huge', start: 'yesterday' }, listed: 'no', after: 'delete' }], BOOKING.fields, ['cancel'], 'f', errors);
  assert.deepEqual(errors, [
    'f.examples[0].listed must be true or false',
    'f.examples[0].after must name an action of this resource (cancel), or be left out',
    'f.examples[0].set.colour is not a field',
    'f.examples[0].set.size: "huge" is not a valid enum',
    'f.examples[0].set.start: "yesterday" is not a valid datetime (or now-2h, today+30d)',
  ]);
  const plan = { module: 'parking', resources: [{ ...BOOKING, parent: undefined, filters: [{ ...BOOKING.filters[0]!, examples: kept }] }], notBuilt: [] };
  const checked = checkPlan(plan);
  assert.ok(checked.ok, JSON.stringify(checked));
  assert.deepEqual(checked.plan.resources[0]!.filters[0]!.examples, kept);
  // A filter that has examples is not asked about again; one with none is.
  assert.deepEqual(
    sortableFilters(checked.plan.resources[0]!, () => false),
    [],
  );
  assert.deepEqual(
    sortableFilters(BOOKING, () => false).map((f) => f.name),
    ['active'],
  );
});

// "a booking can be cancelled; list the active bookings": whether cancelling moves a booking out of
// the active ones is the sentence's, so the model is asked about an item after each action.
test('after each action: an item in the other state for an action that sets one, the base item for any other', () => {
  const r: Resource = {
    ...BOOKING,
    actions: [
      { name: 'cancel', description: 'sets cancelled to true' },
      { name: 'reopen', description: 'sets cancelled to false' },
      { name: 'extend', description: 'moves the end one hour later' },
      { name: 'shrink', description: 'sets size to small' },
    ],
  };
  const base = exampleItems(r)[0]!;
  assert.deepEqual(afterItems(r), [
    { set: { ...base, cancelled: false }, after: 'cancel' },
    { set: { ...base, cancelled: true }, after: 'reopen' },
    { set: base, after: 'extend' },
  ]);
  // A filter in words: the plain items, then those after the actions.
  const items = itemsToSort(r, r.filters[0]!);
  assert.equal(items.filter((i) => i.after === undefined).length, exampleItems(r).length);
  assert.deepEqual(items.slice(-3), afterItems(r));
});

test('a filter by a flag is asked about only after actions, and one-way verdicts stand when no plain item was asked', () => {
  const tool: Resource = {
    name: 'tool',
    plural: 'tools',
    fields: [
      { name: 'available', type: 'boolean', required: false },
      { name: 'lent', type: 'boolean', required: false },
    ],
    filters: [{ name: 'available', field: 'available' }],
    actions: [
      { name: 'lend', description: 'sets lent to true' },
      { name: 'return', description: 'sets lent to false' },
    ],
    rules: [],
  };
  assert.deepEqual(
    sortableFilters(tool, () => false).map((f) => f.name),
    ['available'],
  );
  assert.deepEqual(
    sortableFilters({ ...tool, actions: [] }, () => false),
    [],
  );
  // An action that sets the filter's own flag: code knows where it leaves the item, so the model is not asked.
  const done: Resource = { ...tool, filters: [{ name: 'lent', field: 'lent' }] };
  assert.deepEqual(
    sortableFilters(done, () => false),
    [],
  );
  const items = itemsToSort(tool, tool.filters[0]!);
  assert.deepEqual(items, [
    { set: { available: false, lent: false }, after: 'lend' },
    { set: { available: false, lent: true }, after: 'return' },
  ]);
  const kept = examplesFrom(items, [false, false]);
  assert.ok('examples' in kept);
  assert.deepEqual(
    kept.examples.map((e) => [e.after, e.listed]),
    [
      ['lend', false],
      ['return', false],
    ],
  );
  // With plain items, all one way is still no use.
  const words = itemsToSort(BOOKING, BOOKING.filters[0]!);
  assert.deepEqual(
    examplesFrom(
      words,
      words.map(() => true),
    ),
    { why: 'the model listed every item' },
  );
});
