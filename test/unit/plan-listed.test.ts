// "list the …" in the sentence, read by code: a filter by a field's value, by a flag, or in words
// for the model to write, when the model's plan left it out; a resource made of an adjective is dropped.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fidelityLines, fidelityOf } from '../../core/fidelity.js';
import { knownFilterBody } from '../../core/plan-compare.js';
import { mended, resource } from '../support/mended-plan.js';

const text = (name: string) => ({ name, type: 'string' as const, required: true });

test('"on a given date" and "by status": a filter by that field', () => {
  const gym = mended('REST API for a gym: classes with a title and a date; list the classes on a given date', [
    resource('class', 'classes', [
      { name: 'title', type: 'string', required: true },
      { name: 'date', type: 'date', required: true },
    ]),
  ]);
  assert.deepEqual(gym.plan.resources[0]!.filters, [{ name: 'date', field: 'date' }]);
  assert.match(gym.notes, /class\.filters \+ date: the request says "list the classes on a given date"/);
  const fleet = mended('REST API for trips with a status of planned or done; list the trips by status', [
    resource('trip', 'trips', [{ name: 'status', type: 'enum', values: ['planned', 'done'], required: true }]),
  ]);
  assert.deepEqual(fleet.plan.resources[0]!.filters, [{ name: 'status', field: 'status' }]);
});

test('"that are available": the flag of that name when there is one, else a filter in words', () => {
  const withFlag = mended('REST API for tools with a name and an available flag; list the tools that are available', [
    resource('tool', 'tools', [
      { name: 'name', type: 'string', required: true },
      { name: 'available', type: 'boolean', required: false, default: true },
    ]),
  ]);
  assert.deepEqual(withFlag.plan.resources[0]!.filters, [{ name: 'available', field: 'available' }]);
  const inWords = mended('REST API for a garden: plants with a name; list the plants that need water', [
    resource('plant', 'plants', [{ name: 'name', type: 'string', required: true }]),
  ]);
  assert.deepEqual(inWords.plan.resources[0]!.filters, [{ name: 'needWater', description: 'the request lists them as "list the plants that need water"' }]);
  // Any "need(s) X", not only the words seen first ("the orders that need baking" was named "need").
  const baking = mended('REST API for a bakery: orders with a pickup date; list the orders that need baking', [
    resource('order', 'orders', [{ name: 'pickupDate', type: 'date', required: true }]),
  ]);
  assert.deepEqual(
    baking.plan.resources[0]!.filters.map((f) => f.name),
    ['needBaking'],
  );
});

test('"the active bookings" where cancel sets cancelled: the ones not cancelled, a body code writes; a stand-in flag of the state\'s name is dropped', () => {
  const sentence = 'REST API for bookings with a start time; a booking can be cancelled; list the active bookings';
  const { plan, notes } = mended(sentence, [
    resource('booking', 'bookings', [{ name: 'startTime', type: 'datetime', required: true }], {
      filters: [{ name: 'active', description: 'bookings whose start time is before now' }],
    }),
  ]);
  const booking = plan.resources[0]!;
  assert.deepEqual(booking.filters, [{ name: 'active', description: 'cancelled is false' }]);
  assert.equal(knownFilterBody(booking, booking.filters[0]!), '\treturn x.Cancelled == nil || !*x.Cancelled');
  assert.match(notes, /booking\.filters active → "cancelled is false": the request says "list the active bookings"/);
  // The 0.5B's library: an `available` flag nothing sets, beside the `lent` that lend sets.
  const library = mended('REST API for a tool library: tools with a unique name that can be lent and returned; list the tools that are available', [
    resource(
      'tool',
      'tools',
      [
        { name: 'name', type: 'string', required: true, unique: true },
        { name: 'available', type: 'boolean', required: false, default: false },
      ],
      { filters: [{ name: 'available', field: 'available' }] },
    ),
  ]);
  const tool = library.plan.resources[0]!;
  assert.deepEqual(tool.filters, [{ name: 'available', description: 'lent is false' }]);
  assert.deepEqual(
    tool.fields.map((f) => f.name),
    ['name', 'lent'],
  );
  assert.match(library.notes, /tool field available dropped: no action sets it, and "available" reads as lent is false/);
  // "un-" states: the participle's flag is false.
  const invoices = mended('REST API for invoices with an amount; an invoice can be paid; list the unpaid invoices', [
    resource('invoice', 'invoices', [{ name: 'amount', type: 'number', required: true }]),
  ]);
  assert.deepEqual(invoices.plan.resources[0]!.filters, [{ name: 'unpaid', description: 'paid is false' }]);
  // No action moves the state: the model's words stay the model's to write.
  const rooms = mended('REST API for rooms with a number and a cancelled flag; list the active rooms', [
    resource('room', 'rooms', [
      { name: 'number', type: 'integer', required: true },
      { name: 'cancelled', type: 'boolean', required: false },
    ]),
  ]);
  assert.deepEqual(rooms.plan.resources[0]!.filters, [{ name: 'active', description: 'the request lists them as "list the active rooms"' }]);
});

test('"the plants that need water" with a watered flag: the ones not watered, a body code writes, whatever the model described', () => {
  const sentence = 'REST API for a garden: plants with a name and a watered flag; a plant can be watered; list the plants that need water';
  const { plan, notes } = mended(sentence, [
    resource(
      'plant',
      'plants',
      [
        { name: 'name', type: 'string', required: true },
        { name: 'watered', type: 'boolean', required: false, default: false },
      ],
      {
        filters: [{ name: 'needWater', description: 'plants not watered in the last 3 days' }],
      },
    ),
  ]);
  const plant = plan.resources[0]!;
  assert.deepEqual(plant.filters, [{ name: 'needWater', description: 'watered is false' }]);
  assert.match(notes, /plant\.filters needWater → "watered is false": the request says "list the plants that need water"/);
  assert.equal(knownFilterBody(plant, plant.filters[0]!), '\treturn x.Watered == nil || !*x.Watered');
  assert.match(fidelityLines(fidelityOf(sentence, plan)).join('\n'), /GET \/plants\?needWater=true \(watered is false; written by code\)/);
  const required = { ...plant, fields: [plant.fields[0]!, { name: 'watered', type: 'boolean' as const, required: true }] };
  assert.equal(knownFilterBody(required, { name: 'dry', description: 'watered is false' }), '\treturn !x.Watered');
  assert.equal(knownFilterBody(required, { name: 'wet', description: 'watered is true' }), '\treturn x.Watered');
  assert.equal(knownFilterBody(required, { name: 'named', description: 'name is false' }), null, 'only a flag');
});

test('"the free rooms": the resource the model made of "free" is dropped and rooms get the filter', () => {
  const room = resource('room', 'rooms', [{ name: 'number', type: 'integer', required: true }]);
  const { plan, notes } = mended('REST API for a hotel: rooms with a number; list the free rooms', [
    room,
    resource('free', 'frees', [{ name: 'number', type: 'integer', required: true }]),
  ]);
  assert.deepEqual(
    plan.resources.map((r) => r.name),
    ['room'],
  );
  assert.deepEqual(plan.resources[0]!.filters, [{ name: 'free', description: 'the request lists them as "list the free rooms"' }]);
  assert.match(notes, /resource "free" dropped/);
  const recipe = resource('recipe', 'recipes', [{ name: 'title', type: 'string', required: true }]);
  const quick = mended('REST API for recipes with a title; list the quick recipes (under 30 minutes)', [
    recipe,
    resource('quickrecipe', 'quickrecipes', [{ name: 'title', type: 'string', required: true }]),
  ]);
  assert.deepEqual(
    quick.plan.resources.map((r) => [r.name, r.filters.map((f) => f.name)]),
    [['recipe', ['quick']]],
  );
});

test('what the plan already holds, a nested list and a bare "list the todos" change nothing', () => {
  const filtered = mended('REST API for bookings; list the active bookings', [
    resource('booking', 'bookings', [{ name: 'plate', type: 'string', required: true }], { filters: [{ name: 'active', description: 'not cancelled' }] }),
  ]);
  assert.deepEqual(filtered.plan.resources[0]!.filters, [{ name: 'active', description: 'not cancelled' }]);
  const nested = mended('REST API for owners and pets that belong to an owner; list the pets of an owner', [
    resource('owner', 'owners', [{ name: 'name', type: 'string', required: true }]),
    resource('pet', 'pets', [{ name: 'owner', type: 'string', required: true }], { parent: 'owner' }),
  ]);
  assert.deepEqual(nested.plan.resources[1]!.filters, []);
  const plain = mended('REST API for todo list; list the todos', [resource('todo', 'todos', [{ name: 'title', type: 'string', required: true }])]);
  assert.deepEqual(plain.plan.resources[0]!.filters, []);
});

test('"an email" is a thing to store, not a message to send; "sends an email" is named as sending', async () => {
  const { fidelityOf } = await import('../../core/fidelity.js');
  // The plan made from a sentence without the email (with it, code puts the field in: plan-stated.test.ts).
  const { plan } = mended('REST API for a hotel: guests with a name', [resource('guest', 'guests', [{ name: 'name', type: 'string', required: true }])]);
  const missing = fidelityOf('REST API for a hotel: guests with a name and an email', plan).requirements.filter((r) => !r.where);
  assert.deepEqual(missing, [{ asked: 'email', where: null, why: 'nothing in the plan is named after these words of the request' }]);
  const sends = fidelityOf('REST API for guests that sends an email to each guest', plan).requirements.filter((r) => !r.where);
  assert.ok(
    sends.some((r) => r.asked.includes('sends') && /sending messages/.test(r.why ?? '')),
    JSON.stringify(sends),
  );
});

test('"quick" by preparationTime: a number has no equal value that means quick, so the filter is in words, not a plan refused', () => {
  const { plan, notes } = mended('REST API for recipes with a title and a preparation time in minutes; list the quick recipes (under 30 minutes)', [
    resource(
      'recipe',
      'recipes',
      [
        { name: 'title', type: 'string', required: true },
        { name: 'preparationTime', type: 'number', required: true },
      ],
      { filters: [{ name: 'quick', field: 'preparationTime' }] },
    ),
  ]);
  // In words first (the mend), then the comparison the sentence states ("under 30 minutes").
  assert.deepEqual(plan.resources[0]!.filters, [{ name: 'quick', description: 'preparationTime < 30' }]);
  assert.match(notes, /resources\[0\]\.filters\[0\] {"name":"quick","field":"preparationTime"} → {"name":"quick","description"/);
});

test('an "action" named list… is a listing: dropped beside the filter code read from "list the …", else made a filter', () => {
  const garden = mended('REST API for a garden: plants with a name and a watered flag; list the plants that need water', [
    resource('plant', 'plants', [{ name: 'name', type: 'string', required: true }], {
      actions: [{ name: 'listPlantsThatNeedWater', description: 'lists the plants whose watered flag is false' }],
    }),
  ]);
  const plant = garden.plan.resources[0]!;
  assert.deepEqual(plant.actions, []);
  assert.deepEqual(
    plant.filters.map((f) => f.name),
    ['needWater'],
  );
  assert.match(garden.notes, /plant\.actions\.listPlantsThatNeedWater dropped: a listing is a filter, here needWater/);
  const shop = mended('REST API for a shop: products with a name and an available flag', [
    resource(
      'product',
      'products',
      [
        { name: 'name', type: 'string', required: true },
        { name: 'available', type: 'boolean', required: false },
      ],
      {
        actions: [
          { name: 'listAvailable', description: 'lists the available products' },
          { name: 'listProductsOnSale', description: 'the products on sale' },
        ],
      },
    ),
  ]);
  assert.deepEqual(shop.plan.resources[0]!.filters, [
    { name: 'available', field: 'available' },
    { name: 'onSale', description: 'the products on sale' },
  ]);
});

test('a filter by a field the resource lacks, or by the equal value of a date-time, is dropped and named, not asked again (the 0.5B failed parking three times on these)', () => {
  const { plan, notes } = mended('REST API for parking: spots with a number, and bookings of a spot with a start time; list the active bookings', [
    resource('spot', 'spots', [{ name: 'number', type: 'integer', required: true }], { filters: [{ name: 'startTime', field: 'startTime' }] }),
    resource('booking', 'bookings', [{ name: 'startTime', type: 'datetime', required: true }], {
      filters: [{ name: 'startTime' }, { name: 'spotId', field: 'spotId' }],
    }),
  ]);
  const [spot, booking] = plan.resources;
  assert.deepEqual(spot!.filters, []);
  assert.deepEqual(
    booking!.filters.map((f) => f.name),
    ['spotId', 'active'],
  );
  assert.match(notes, /resources\[0\]\.filters\[0\] "startTime" dropped: startTime is not a field of spot/);
  assert.match(notes, /resources\[1\]\.filters\[0\] "startTime" dropped: a startTime of equal value is no list anyone asks for/);
});

test('an "action" that names a CRUD route (delete, removeTodo, create, getTodo, update) is that route: dropped and named; "archive" and "addTag" stay', () => {
  const { plan, notes } = mended('REST API for todo list', [
    resource('todo', 'todos', [{ name: 'title', type: 'string', required: true }], {
      actions: [
        { name: 'delete', description: 'removes the task from the list' },
        { name: 'removeTodo', description: 'removes it' },
        { name: 'archive', description: 'sets archived to true' },
        { name: 'create', description: 'creates a new todo' },
        { name: 'getTodo', description: 'reads a todo' },
        { name: 'update', description: "updates a todo's details" },
        { name: 'addTag', description: 'adds a tag to the todo' },
      ],
    }),
  ]);
  assert.deepEqual(
    plan.resources[0]!.actions.map((a) => a.name),
    ['archive', 'addTag'],
  );
  assert.match(notes, /todo\.actions\.delete dropped: DELETE \/todos\/\{id\} removes an item already/);
  assert.match(notes, /todo\.actions\.create dropped: POST \/todos creates an item already/);
  assert.match(notes, /todo\.actions\.getTodo dropped: GET \/todos\/\{id\} reads an item already/);
  assert.match(notes, /todo\.actions\.update dropped: PUT \/todos\/\{id\} replaces an item already/);
});

test('"list the quick recipes (under 30 minutes)": the filter is the comparison the sentence states, and code writes its body', async () => {
  const sentence = 'REST API for recipes: a preparation time in minutes from 1 to 600 and a serving count; list the quick recipes (under 30 minutes)';
  const { plan, notes } = mended(sentence, [
    resource(
      'recipe',
      'recipes',
      [
        { name: 'title', type: 'string', required: true },
        { name: 'preparationTime', type: 'integer', required: false, min: 1, max: 600 },
        { name: 'servingCount', type: 'integer', required: true },
      ],
      { filters: [{ name: 'quick', description: 'recipes that are quick to make' }] },
    ),
  ]);
  const recipe = plan.resources[0]!;
  assert.deepEqual(recipe.filters, [{ name: 'quick', description: 'preparationTime < 30' }]);
  assert.match(notes, /recipe\.filters quick → "preparationTime < 30": the request says "list the quick recipes \(under 30 minutes\)"/);
  const { behaviourContract } = await import('../../core/go/behaviour.js');
  const quick = behaviourContract(plan).holes.find((h) => h.name === 'Recipe.Quick')!;
  assert.equal(quick.knownBody, '\treturn x.PreparationTime != nil && *x.PreparationTime < 30');
  const { fidelityOf } = await import('../../core/fidelity.js');
  assert.ok(fidelityOf(sentence, plan).requirements.some((q) => /GET \/recipes\?quick=true \(preparationTime < 30; written by code\)/.test(q.where ?? '')));
  // Two number fields and no unit that tells them apart: left to the model.
  const unclear = mended('REST API for recipes: a preparation time and a serving count; list the big recipes (over 4)', [
    resource('recipe', 'recipes', [
      { name: 'preparationTime', type: 'integer', required: true },
      { name: 'servingCount', type: 'integer', required: true },
    ]),
  ]);
  assert.doesNotMatch(unclear.notes, /filters big →/);
});

test('"list the expenses above 100": a comparison code writes, named after the field; a count per page is no comparison', async () => {
  const { fidelityOf, fidelityLines } = await import('../../core/fidelity.js');
  const sentence = 'REST API to track my expenses with an amount, a category and a date; list the expenses above 100';
  const expense = resource('expense', 'expenses', [
    { name: 'amount', type: 'number', required: true },
    { name: 'date', type: 'date', required: true },
  ]);
  const { plan, notes } = mended(sentence, [expense]);
  assert.deepEqual(plan.resources[0]!.filters, [{ name: 'amountAbove100', description: 'amount > 100' }]);
  assert.match(notes, /expense\.filters \+ amountAbove100 → "amount > 100": the request says "list the expenses above 100"/);
  const lines = fidelityLines(fidelityOf(sentence, plan));
  assert.ok(
    lines.some((l) => /^✓ .*above.* → GET \/expenses\?amountAbove100=true \(amount > 100; written by code\)/.test(l)),
    lines.join('\n'),
  );
  assert.ok(!lines.some((l) => l.startsWith('✗')), lines.join('\n'));
  // The field the clause names wins over the only-number rule; "per page" counts items, not a field.
  const room = resource('room', 'rooms', [
    { name: 'beds', type: 'integer', required: true },
    { name: 'price', type: 'number', required: true },
  ]);
  const rooms = mended('REST API for rooms with beds and a price; list the rooms with a price under 80', [room]);
  assert.deepEqual(rooms.plan.resources[0]!.filters, [{ name: 'priceUnder80', description: 'price < 80' }]);
  const paged = mended('REST API for rooms with beds and a price; list the rooms up to 20 per page', [room]);
  assert.deepEqual(paged.plan.resources[0]!.filters, []);
});

test('"the repairs that are ready" with a status of waiting or ready: a filter by the enum, code\'s, not one in words', () => {
  const sentence = 'REST API for repairs with a status of waiting, in progress or ready; list the repairs that are ready';
  const { plan, notes } = mended(sentence, [
    resource('repair', 'repairs', [{ name: 'status', type: 'enum', values: ['waiting', 'in_progress', 'ready'], required: true }]),
  ]);
  assert.deepEqual(plan.resources[0]!.filters, [{ name: 'status', field: 'status' }]);
  assert.match(notes, /repair\.filters \+ status: the request says "list the repairs that are ready"/);
});

test('"the orders that are not delivered yet": delivered is false, by code; "find books by author" a filter by value; "out of stock" and "a todo list where todos…" name no filter "out" or "where"', () => {
  const orders = mended('orders with a total; orders can be shipped and then delivered; list the orders that are not delivered yet', [
    resource('order', 'orders', [text('total')]),
  ]).plan;
  assert.deepEqual(orders.resources[0]!.filters, [{ name: 'notDelivered', description: 'delivered is false' }]);
  const books = mended('REST API for books with a title and an author; find books by author', [
    resource('book', 'books', [text('title'), text('author')]),
  ]).plan;
  assert.deepEqual(books.resources[0]!.filters, [{ name: 'author', field: 'author' }]);
  const stock = mended('REST API for products with a name and a stock; list the products that are out of stock', [
    resource('product', 'products', [text('name')]),
  ]).plan;
  assert.deepEqual(
    stock.resources[0]!.filters.map((f) => f.name),
    ['outOfStock'],
  );
  const todos = mended('REST API for a todo list where todos have a title and can be completed; list the completed todos', [
    resource('todo', 'todos', [text('title')]),
  ]).plan;
  assert.deepEqual(todos.resources[0]!.filters, [{ name: 'completed', field: 'completed' }]);
});

test('the request’s subject is the whole API’s, and "phone number", "email address" are one field each: none is listed as missing', () => {
  const sentence = 'REST API for a bike repair shop: customers with a name, a phone number and an email address';
  const { plan } = mended(sentence, [resource('customer', 'customers', [text('name'), text('phone'), { ...text('email'), format: 'email' }])]);
  // The model's module fits the sentence without its last word ("shop"); code keeps a module that fits.
  const requirements = fidelityOf(sentence, { ...plan, module: 'bike-repair-api' }).requirements;
  assert.deepEqual(
    requirements.filter((r) => !r.where),
    [],
  );
  assert.ok(
    requirements.some((r) => r.asked === 'bike repair shop' && r.where === 'the module bike-repair-api'),
    JSON.stringify(requirements),
  );
  assert.ok(
    requirements.some((r) => r.asked === 'phone number' && r.where?.startsWith('field phone ')),
    JSON.stringify(requirements),
  );
  assert.ok(
    requirements.some((r) => r.asked === 'email address' && r.where?.startsWith('field email ')),
    JSON.stringify(requirements),
  );
  // A tail after a word that names no field is still a word of its own: "a serial number" with no serial field.
  const serial = fidelityOf('REST API for bikes with a serial number', { ...plan, module: 'bikes-api' }).requirements;
  assert.ok(
    serial.some((r) => !r.where && /serial, number/.test(r.asked)),
    JSON.stringify(serial),
  );
  // An out-of-scope subject stays out of scope: "a chess engine".
  const chess = fidelityOf('REST API for a chess engine', { ...plan, module: 'chess-api' });
  assert.ok(
    chess.requirements.some((r) => r.asked === 'engine' && /computation/.test(r.why ?? '')),
    JSON.stringify(chess.requirements),
  );
});

test('"the jobs that are not done yet" with a status of waiting, in progress or done: status is not done, a body code writes', () => {
  const sentence = 'REST API for repair jobs with a description and a status of waiting, in progress or done; list the jobs that are not done yet';
  const status = { name: 'status', type: 'enum', required: true, values: ['waiting', 'in_progress', 'done'] };
  const { plan, notes } = mended(sentence, [resource('job', 'jobs', [text('description'), status])]);
  const job = plan.resources[0]!;
  assert.deepEqual(job.filters, [{ name: 'notDone', description: 'status is not done' }]);
  assert.match(notes, /job\.filters \+ notDone: "status is not done": the request says "list the jobs that are not done yet"/);
  assert.equal(knownFilterBody(job, job.filters[0]!), '\treturn string(x.Status) != "done"');
  // An optional status is a pointer: one never set is not done.
  const optional = { ...job, fields: job.fields.map((f) => (f.name === 'status' ? { ...f, required: false } : f)) };
  assert.equal(knownFilterBody(optional, job.filters[0]!), '\treturn x.Status == nil || string(*x.Status) != "done"');
  assert.ok(
    fidelityOf(sentence, plan).requirements.some((r) => r.where === 'GET /jobs?notDone=true (status is not done; written by code)'),
    JSON.stringify(fidelityOf(sentence, plan).requirements),
  );
  // A value the enum does not have stays a filter in words, the model's.
  assert.equal(knownFilterBody(job, { name: 'notClosed', description: 'status is not closed' }), null);
});

test('a bare action "list" (the 0.5B’s POST /pets/{id}/list for "list the pets by species") is the listing: dropped beside the filter', () => {
  const { plan, notes } = mended('REST API for pets with a name and a species of dog, cat or bird; list the pets by species', [
    resource('pet', 'pets', [text('name'), { name: 'species', type: 'enum', required: true, values: ['dog', 'cat', 'bird'] }], {
      actions: [{ name: 'list', description: 'lists pets by species; a closed repair cannot be closed again' }],
    }),
  ]);
  assert.deepEqual(plan.resources[0]!.actions, []);
  assert.deepEqual(plan.resources[0]!.filters, [{ name: 'species', field: 'species' }]);
  assert.match(notes, /pet\.actions\.list dropped: a listing is a filter, here species/);
});

test('from never-used sentences: "a number of servings", "a license plate", "Build me a backend" are no missing words; "(name, SKU unique, …)" makes sku unique and no field "unique"', () => {
  const recipes = 'Build me a backend where users can post recipes with a title and a number of servings from 1 to 12';
  const recipe = mended(recipes, [resource('recipe', 'recipes', [text('title'), { name: 'servings', type: 'integer', required: true }])]).plan;
  const missing = fidelityOf(recipes, recipe).requirements.filter((r) => !r.where);
  assert.deepEqual(
    missing.map((r) => r.asked),
    ['users, post'],
    'users and post are words of their own; me, number are not',
  );
  const parking = 'REST API for a parking garage: cars with a license plate that must be unique';
  const cars = mended(parking, [resource('car', 'cars', [{ ...text('plate'), unique: true }])]).plan;
  assert.ok(
    fidelityOf(parking, cars).requirements.some((r) => /\blicense\b/.test(r.asked) && r.where?.startsWith('field plate ')),
    JSON.stringify(fidelityOf(parking, cars).requirements),
  );
  const inventory = 'Inventory service: products (name, SKU unique, quantity at least 0)';
  const { plan, notes } = mended(inventory, [
    resource('product', 'products', [text('name'), text('sku'), { name: 'unique', type: 'string', required: false }]),
  ]);
  assert.deepEqual(
    plan.resources[0]!.fields.map((f) => [f.name, f.unique ?? false]),
    [
      ['name', false],
      ['sku', true],
      ['quantity', false],
    ],
  );
  assert.match(notes, /"unique" dropped: a rule's word, not a field of a product/);
});
