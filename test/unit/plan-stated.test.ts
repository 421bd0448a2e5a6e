// Relations and actions the sentence states in so many words (core/sentence.ts): code puts them
// into the model's plan when it left them out (core/plan-request.ts, core/plan-actions.ts), and
// the fidelity list names the ones the plan still cannot hold (core/fidelity.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { behaviourContract } from '../../core/go/index.js';
import { fidelityOf } from '../../core/fidelity.js';
import { stateSetBy, type Plan } from '../../core/plan.js';
import { mended, resource } from '../support/mended-plan.js';

const text = (name: string) => ({ name, type: 'string', required: true });
const parentsOf = (plan: Plan) => Object.fromEntries(plan.resources.map((r) => [r.name, r.parent ?? null]));
/** The fidelity list's ✗ lines, but for the catch-all of words nothing is named after. */
const missing = (sentence: string, plan: Plan) =>
  fidelityOf(sentence, plan).requirements.filter((r) => r.where === null && !r.why?.startsWith('nothing in the plan is named after'));

test('"trips of a van", "plants in a plot", "each pet has an owner", "authors and their books": the child belongs to the parent', () => {
  const cases: [string, object[], Record<string, string | null>][] = [
    [
      'REST API for a fleet: vans with a plate, and trips of a van with a destination',
      [resource('van', 'vans', [text('plate')]), resource('trip', 'trips', [text('destination')])],
      { van: null, trip: 'van' },
    ],
    [
      'plots with a code, and plants in a plot with a name',
      [resource('plot', 'plots', [text('code')]), resource('plant', 'plants', [text('name')])],
      { plot: null, plant: 'plot' },
    ],
    [
      'owners with a name; each pet has an owner',
      [resource('owner', 'owners', [text('name')]), resource('pet', 'pets', [text('name')])],
      { owner: null, pet: 'owner' },
    ],
    [
      'REST API for authors and their books',
      [resource('author', 'authors', [text('name')]), resource('book', 'books', [text('title')])],
      { author: null, book: 'author' },
    ],
    [
      'spots with a number, and bookings of a parking spot',
      [resource('spot', 'spots', [text('number')]), resource('booking', 'bookings', [text('plate')])],
      { spot: null, booking: 'spot' },
    ],
  ];
  for (const [sentence, resources, parents] of cases) {
    const { plan, notes } = mended(sentence, resources);
    assert.deepEqual(parentsOf(plan), parents, sentence);
    assert.match(notes, /\.parent → "\w+": the request says "/, sentence);
    assert.deepEqual(missing(sentence, plan), [], sentence);
  }
});

test('"the author of a post" is the post\'s, not a relation of authors to posts; a word that is no resource makes none', () => {
  const { plan } = mended('posts with a title, and the author of a post with a name', [
    resource('post', 'posts', [text('title')]),
    resource('author', 'authors', [text('name')]),
  ]);
  assert.deepEqual(parentsOf(plan), { post: null, author: null });
  const gym = mended('REST API for a gym: classes on a given date with a title', [resource('class', 'classes', [text('title')])]);
  assert.deepEqual(parentsOf(gym.plan), { class: null });
});

test('the relation said twice: a spotId or a number spot beside the parent code adds is dropped', () => {
  const { plan, notes } = mended('spots with a number, and bookings of a spot with a plate', [
    resource('spot', 'spots', [text('number')]),
    resource('booking', 'bookings', [{ name: 'spot', type: 'integer', required: true }, text('plate')]),
  ]);
  assert.deepEqual(
    plan.resources[1]!.fields.map((f) => f.name),
    ['plate'],
  );
  assert.match(notes, /booking: a field for its spot dropped/);
});

test('"a booking can be cancelled": a flag, false until the action code writes sets it', () => {
  const { plan, notes } = mended('REST API for bookings with a plate; a booking can be cancelled', [resource('booking', 'bookings', [text('plate')])]);
  const booking = plan.resources[0]!;
  assert.deepEqual(booking.fields[1], { name: 'cancelled', type: 'boolean', required: false, default: false });
  assert.deepEqual(
    booking.actions.map((a) => a.name),
    ['cancel'],
  );
  assert.deepEqual(stateSetBy(booking, booking.actions[0]!), { field: booking.fields[1], value: true });
  assert.match(notes, /booking\.actions \+ cancel: the request says "booking can be cancelled"/);
  // Code writes its body: no hole is left for the model.
  assert.match(behaviourContract(plan).holes[0]!.knownBody!, /x\.Cancelled = PointerTo\(true\)/);
});

test('"tools … that can be lent and returned": lend sets lent, return clears it', () => {
  const sentence = 'REST API for a tool library: tools with a name and a condition of good or worn, that can be lent and returned';
  const { plan } = mended(sentence, [resource('tool', 'tools', [text('name'), { name: 'condition', type: 'enum', required: true, values: ['good', 'worn'] }])]);
  const tool = plan.resources[0]!;
  assert.deepEqual(
    tool.actions.map((a) => [a.name, stateSetBy(tool, a)?.field.name, stateSetBy(tool, a)?.value]),
    [
      ['lend', 'lent', true],
      ['return', 'lent', false],
    ],
  );
  assert.deepEqual(missing(sentence, plan), []);
});

test('an enum holding the state is set instead of a new flag; an action the model planned is kept; "assigned to a member" is not a flag', () => {
  const status = { name: 'status', type: 'enum', required: true, values: ['active', 'cancelled'] };
  const byEnum = mended('orders with a status; an order can be cancelled', [resource('order', 'orders', [status])]).plan.resources[0]!;
  assert.deepEqual(
    byEnum.fields.map((f) => f.name),
    ['status'],
  );
  assert.deepEqual(stateSetBy(byEnum, byEnum.actions[0]!), { field: byEnum.fields[0], value: 'cancelled' });
  const planned = mended('orders with a status; an order can be cancelled', [
    resource('order', 'orders', [status], { actions: [{ name: 'cancelOrder', description: 'sets status to cancelled unless already cancelled' }] }),
  ]).plan.resources[0]!;
  assert.deepEqual(
    planned.actions.map((a) => a.name),
    ['cancelOrder'],
  );
  const assigned = mended('tasks with a title that can be assigned to a member', [resource('task', 'tasks', [text('title')])]).plan.resources[0]!;
  assert.deepEqual([assigned.fields.length, assigned.actions.length], [1, 0]);
});

test('a child the model made a text field of its parent becomes its own resource, under the parent, with the fields the sentence lists', () => {
  const sentence = 'REST API for recipes with a title, and ingredients that belong to a recipe with a name and a quantity';
  const { plan, notes } = mended(sentence, [resource('recipe', 'recipes', [text('title'), text('ingredients')])]);
  const ingredient = plan.resources.find((r) => r.name === 'ingredient');
  assert.deepEqual(
    [ingredient?.plural, ingredient?.parent, ingredient?.fields.map((f) => `${f.name}:${f.type}`)],
    ['ingredients', 'recipe', ['name:string', 'quantity:integer']],
  );
  assert.deepEqual(
    plan.resources[0]!.fields.map((f) => f.name),
    ['title'],
    "the parent's stand-in field goes",
  );
  assert.match(notes, /resources \+ ingredient .*the request says "ingredients that belong to a recipe"/);
  assert.deepEqual(missing(sentence, plan), []);
  // No fields listed: a name, said so; "everything that belongs to a user" is no kind of item.
  const bare = mended('REST API for projects with a title, and tasks that belong to a project', [resource('project', 'projects', [text('title')])]);
  assert.deepEqual(
    bare.plan.resources.find((r) => r.name === 'task')?.fields.map((f) => f.name),
    ['name'],
  );
  const none = mended('REST API for users with a name, and everything that belongs to a user', [resource('user', 'users', [text('name')])]);
  assert.equal(none.plan.resources.length, 1);
});

test('what the plan still cannot hold is named: a second parent', () => {
  const two = 'shelves with a label, rooms with a name, and books on a shelf and books in a room';
  const shelved = mended(two, [
    resource('shelf', 'shelves', [text('label')]),
    resource('room', 'rooms', [text('name')]),
    resource('book', 'books', [text('title')]),
  ]);
  assert.equal(parentsOf(shelved.plan).book, 'shelf');
  assert.deepEqual(
    missing(two, shelved.plan).map((r) => r.why),
    ['book belongs to a shelf in the plan, and a resource belongs to at most one other'],
  );
});

test('"guests with a name and an email", "pets … with a species of dog, cat or bird, and a birth date": a field the plan dropped is put back, typed by its words', () => {
  const sentence =
    'REST API for a clinic: owners with a name and a phone, pets that belong to an owner with a name and a species of dog, cat or bird, and a birth date';
  const { plan, notes } = mended(sentence, [resource('owner', 'owners', [text('name')]), resource('pet', 'pets', [text('name')])]);
  const [owner, pet] = plan.resources;
  assert.deepEqual(
    owner!.fields.map((f) => [f.name, f.type]),
    [
      ['name', 'string'],
      ['phone', 'string'],
    ],
  );
  assert.deepEqual(pet!.fields.slice(1), [
    { name: 'species', type: 'enum', required: false, values: ['dog', 'cat', 'bird'] },
    { name: 'birthDate', type: 'date', required: false },
  ]);
  assert.match(notes, /pet\.birthDate: a date field the plan left out: the request says "a birth date"/);
  assert.deepEqual(missing(sentence, plan), []);
});

test('the rules the sentence gives a field: a range, at least, unique, an email; minutes are a number of them; a time a date-time', () => {
  const sentence =
    'recipes with a title and a preparation time in minutes from 1 to 600; bookings with a unique code, a start time, a price of at least 0 and an email';
  const { plan } = mended(sentence, [resource('recipe', 'recipes', [text('title')]), resource('booking', 'bookings', [text('code')])]);
  const fields = Object.fromEntries(plan.resources.flatMap((r) => r.fields.map((f) => [`${r.name}.${f.name}`, f])));
  assert.deepEqual(fields['recipe.preparationTime'], { name: 'preparationTime', type: 'integer', required: false, min: 1, max: 600 });
  assert.equal(fields['booking.code']!.unique, true);
  assert.equal(fields['booking.startTime']!.type, 'datetime');
  assert.deepEqual([fields['booking.price']!.type, fields['booking.price']!.min], ['number', 0]);
  assert.equal(fields['booking.email']!.format, 'email');
});

test('"a plate number that must be unique" is unique text, "a number of seats from 1 to 5000" a count of seats, a door number a number', () => {
  const sentence =
    'cars have a plate number that must be unique, a brand and a phone number; events have a name, a door number and a number of seats from 1 to 5000';
  const { plan } = mended(sentence, [resource('car', 'cars', [text('plateNumber')]), resource('event', 'events', [text('name')])]);
  const fields = Object.fromEntries(plan.resources.flatMap((r) => r.fields.map((f) => [`${r.name}.${f.name}`, f])));
  assert.deepEqual(fields['car.plateNumber'], { name: 'plateNumber', type: 'string', required: true, unique: true });
  assert.equal(fields['car.phoneNumber']!.type, 'string');
  assert.deepEqual([fields['event.seats']!.type, fields['event.seats']!.min, fields['event.seats']!.max], ['integer', 1, 5000]);
  assert.equal(fields['event.number'], undefined, 'no field named "number"');
  assert.equal(fields['event.doorNumber']!.type, 'integer');
});

test('bounds and rules in words: greater than, less than, up to, cannot be negative, positive; qualifiers in parentheses', () => {
  const sentence =
    'products with name (required), a SKU (unique), price (positive), stock up to 1000 and a quantity in stock that cannot be negative; orders with a quantity less than 50, an amount greater than 0 and a positive total';
  const { plan } = mended(sentence, [resource('product', 'products', [text('name')]), resource('order', 'orders', [text('name')])]);
  const rules = Object.fromEntries(
    plan.resources.flatMap((r) => r.fields.map((f) => [`${r.name}.${f.name}`, [f.type, f.required, f.unique ?? false, f.min ?? null, f.max ?? null]])),
  );
  assert.deepEqual(rules, {
    'product.name': ['string', true, false, null, null],
    'product.sku': ['string', false, true, null, null],
    'product.price': ['number', false, false, 0, null],
    'product.stock': ['integer', false, false, null, 1000],
    'product.quantity': ['integer', false, false, 0, null],
    'order.name': ['string', true, false, null, null],
    'order.quantity': ['integer', false, false, null, 49],
    'order.amount': ['number', false, false, 0, null],
    'order.total': ['number', false, false, 0, null],
  });
  const asked = fidelityOf(sentence, plan)
    .requirements.filter((r) => r.where === null)
    .map((r) => r.asked);
  assert.deepEqual(asked, [], 'every bound placed: "greater", "cannot", "negative", "positive", "less" name the fields\' ranges');
});

test('"departments have a unique name": the departments\' name, not every resource\'s', () => {
  const sentence = 'REST API for employees with a first name and a salary of at least 0; departments have a unique name';
  const { plan } = mended(sentence, [resource('employee', 'employees', [text('name')]), resource('department', 'departments', [text('name')])]);
  assert.deepEqual(
    plan.resources.map((r) => [r.name, r.fields.find((f) => f.name === 'name')!.unique ?? false]),
    [
      ['employee', false],
      ['department', true],
    ],
  );
});

test('clauses as people write them: "each song has …", "several items with …", "year of publication" in a terse list, "vegetarian or not", "tasks are assigned to a project"', () => {
  const fieldsOf = (sentence: string, names: [string, string][]) => {
    const { plan } = mended(
      sentence,
      names.map(([n, p]) => resource(n, p, [text('name')])),
    );
    return Object.fromEntries(
      plan.resources.map((r) => [
        r.parent ? `${r.name} of ${r.parent}` : r.name,
        r.fields.filter((f) => f.name !== 'name').map((f) => [f.name, f.type, f.min ?? null, f.max ?? null]),
      ]),
    );
  };
  assert.deepEqual(
    fieldsOf('REST API for playlists and songs: a playlist has many songs, each song has a title and a duration in seconds', [
      ['playlist', 'playlists'],
      ['song', 'songs'],
    ]),
    {
      playlist: [],
      'song of playlist': [
        ['title', 'string', null, null],
        ['duration', 'integer', null, null],
      ],
    },
  );
  assert.deepEqual(
    fieldsOf('REST API for orders; each order has several items with a product name and a quantity of at least 1', [
      ['order', 'orders'],
      ['item', 'items'],
    ]),
    {
      order: [],
      'item of order': [
        ['productName', 'string', null, null],
        ['quantity', 'integer', 1, null],
      ],
    },
  );
  assert.deepEqual(fieldsOf('books with title, author, year of publication and a rating from 1 to 5', [['book', 'books']]), {
    book: [
      ['title', 'string', null, null],
      ['author', 'string', null, null],
      ['year', 'integer', null, null],
      ['rating', 'number', 1, 5],
    ],
  });
  assert.deepEqual(fieldsOf('dishes with a name, a price and a category (starter, main or dessert), vegetarian or not', [['dish', 'dishes']]), {
    dish: [
      ['price', 'number', null, null],
      ['category', 'enum', null, null],
      ['vegetarian', 'boolean', null, null],
    ],
  });
  assert.deepEqual(
    Object.keys(
      fieldsOf('projects and tasks; tasks are assigned to a project and have a deadline', [
        ['project', 'projects'],
        ['task', 'tasks'],
      ]),
    ),
    ['project', 'task of project'],
  );
  assert.deepEqual(
    Object.keys(
      fieldsOf('members and tasks; tasks can be assigned to a member', [
        ['member', 'members'],
        ['task', 'tasks'],
      ]),
    ),
    ['member', 'task'],
    'an action with an object, not a relation',
  );
});

test('"members can borrow and return books", "people can adopt pets": actions on the object\'s items, by code; not "book a class" beside bookings, nor "rate movies from 1 to 5"', () => {
  const plan = (sentence: string, names: [string, string][]) =>
    mended(
      sentence,
      names.map(([n, p]) => resource(n, p, [text('name')])),
    ).plan;
  const books = plan('REST API for a library where members can borrow and return books; list the books that are borrowed', [
    ['member', 'members'],
    ['book', 'books'],
  ]).resources[1]!;
  assert.deepEqual(
    books.actions.map((a) => [a.name, a.description.replace(/ \(the request says .*$/, '')]),
    [
      ['borrow', 'sets borrowed to true'],
      ['return', 'sets borrowed to false'],
    ],
  );
  assert.deepEqual(books.filters, [{ name: 'borrowed', field: 'borrowed' }]);
  const pets = plan('REST API for a shelter: pets with a name; people can adopt pets; list the available pets', [['pet', 'pets']]).resources[0]!;
  assert.deepEqual([pets.actions.map((a) => a.name), pets.filters], [['adopt'], [{ name: 'available', description: 'adopted is false' }]]);
  const gym = plan('REST API for a gym where members can book classes and bookings have a date', [
    ['member', 'members'],
    ['class', 'classes'],
    ['booking', 'bookings'],
  ]);
  assert.deepEqual(
    gym.resources.flatMap((r) => r.actions),
    [],
    'booking a class is a booking',
  );
  const movies = plan('REST API for movies; users can rate movies from 1 to 5', [
    ['movie', 'movies'],
    ['user', 'users'],
  ]);
  assert.deepEqual(
    movies.resources.flatMap((r) => r.actions),
    [],
    'a rating needs a value',
  );
});

test('"with priorities (low, medium, high) and due dates", "a pet store with pets that have … a status (available, pending, sold)", "a title and notes"', () => {
  const fields = (sentence: string, name: string, plural: string) =>
    mended(sentence, [resource(name, plural, [text('name')])])
      .plan.resources[0]!.fields.filter((f) => f.name !== 'name')
      .map((f) => [f.name, f.type, f.values ?? null]);
  assert.deepEqual(fields('REST API for a todo list with priorities (low, medium, high) and due dates', 'todo', 'todos'), [
    ['priority', 'enum', ['low', 'medium', 'high']],
    ['dueDate', 'date', null],
  ]);
  assert.deepEqual(fields('Build a REST API for a pet store with pets that have a name, a category and a status (available, pending, sold)', 'pet', 'pets'), [
    ['category', 'string', null],
    ['status', 'enum', ['available', 'pending', 'sold']],
  ]);
  assert.deepEqual(fields('tasks with a title and notes', 'task', 'tasks'), [
    ['title', 'string', null],
    ['notes', 'string', null],
  ]);
  assert.deepEqual(fields('readings with a temperature in celsius', 'reading', 'readings'), [['temperature', 'number', null]]);
});

test('a planned field is the stated one by its telling word, and gets the type the sentence gives it', () => {
  const sentence = 'members with a level of basic, silver or gold and a join date; bookings with a licence plate';
  const { plan, notes } = mended(sentence, [
    resource('member', 'members', [text('level'), text('joinDate')]),
    resource('booking', 'bookings', [text('licensePlate')]),
  ]);
  assert.deepEqual(plan.resources[0]!.fields, [
    { name: 'level', type: 'enum', required: true, values: ['basic', 'silver', 'gold'] },
    { name: 'joinDate', type: 'date', required: true },
  ]);
  assert.deepEqual(
    plan.resources[1]!.fields.map((f) => f.name),
    ['licensePlate'],
    '"licence plate" is licensePlate, not a second field',
  );
  assert.match(notes, /member\.level\.type string → enum: the request says "a level of basic, silver or gold"/);
});

test('a terse list ("products with name, price and stock") is read too; "books with authors" is a relation, not a field', () => {
  const shop = mended('REST API for a shop: products with name, price and stock', [resource('product', 'products', [text('name')])]);
  assert.deepEqual(
    shop.plan.resources[0]!.fields.map((f) => [f.name, f.type]),
    [
      ['name', 'string'],
      ['price', 'number'],
      ['stock', 'integer'],
    ],
  );
  const books = mended('REST API for books with authors', [resource('book', 'books', [text('title')]), resource('author', 'authors', [text('name')])]);
  assert.deepEqual(
    books.plan.resources.map((r) => r.fields.length),
    [1, 1],
  );
});

test('a planned action whose words name no field ("cancels a booking") gets code\'s reading of the sentence, under its own name', () => {
  const { plan, notes } = mended('bookings with a plate; a booking can be cancelled', [
    resource('booking', 'bookings', [text('plate')], {
      actions: [{ name: 'cancel', description: 'cancels a booking; a cancelled booking cannot be cancelled again' }],
    }),
  ]);
  const booking = plan.resources[0]!;
  assert.deepEqual(
    booking.actions.map((a) => [a.name, stateSetBy(booking, a)?.field.name, stateSetBy(booking, a)?.value]),
    [['cancel', 'cancelled', true]],
  );
  assert.match(notes, /booking\.actions\.cancel: its description names no field of booking/);
});

test('a planned action that only moves a date ("sets endTime to current time", the 1.5B\'s cancel) gets code\'s reading: a state the item shows; one that sets a state is kept', () => {
  const sentence = 'bookings with a plate, a start time and an end time; a booking can be cancelled';
  const times = [text('plate'), { name: 'startTime', type: 'datetime', required: true }, { name: 'endTime', type: 'datetime', required: true }];
  const { plan, notes } = mended(sentence, [
    resource('booking', 'bookings', times, {
      actions: [{ name: 'cancel', description: 'sets endTime to current time; a cancelled booking cannot be cancelled again' }],
    }),
  ]);
  const booking = plan.resources[0]!;
  assert.deepEqual(
    booking.actions.map((a) => [a.name, stateSetBy(booking, a)?.field.name, stateSetBy(booking, a)?.value]),
    [['cancel', 'cancelled', true]],
  );
  assert.match(notes, /booking\.actions\.cancel: its description only sets endTime, and a cancelled booking would not read as cancelled/);
  // "sets status to finished" where finished is none of status's values: code's reading, a finished flag.
  const repair = mended('repairs with a status of waiting or ready; a repair can be finished', [
    resource('repair', 'repairs', [{ name: 'status', type: 'enum', values: ['waiting', 'ready'], required: true }], {
      actions: [{ name: 'finish', description: 'sets status to finished' }],
    }),
  ]);
  const finish = repair.plan.resources[0]!;
  assert.deepEqual(
    finish.actions.map((a) => [a.name, stateSetBy(finish, a)?.field.name, stateSetBy(finish, a)?.value]),
    [['finish', 'finished', true]],
  );
  assert.match(repair.notes, /repair\.actions\.finish: its description sets status to finished, which is not one of its values/);
  const flagged = mended(sentence, [
    resource('booking', 'bookings', [...times, { name: 'status', type: 'enum', values: ['active', 'cancelled'], required: true }], {
      actions: [{ name: 'cancel', description: 'sets status to cancelled and endTime to now' }],
    }),
  ]).plan.resources[0]!;
  assert.deepEqual(
    flagged.actions.map((a) => a.description),
    ['sets status to cancelled and endTime to now'],
  );
});

test(`"a status of planned, on the road or done": the sentence's values replace the model's reading of them; an int priority with stated values becomes the enum`, () => {
  const sentence = 'trips with a destination and a status of planned, on the road or done; tasks with a priority of low, medium or high';
  const { plan, notes } = mended(sentence, [
    resource('trip', 'trips', [
      text('destination'),
      { name: 'status', type: 'enum', required: true, values: ['planned', 'on_road', 'done'], default: 'on_road' },
    ]),
    resource('task', 'tasks', [{ name: 'priority', type: 'integer', required: true, min: 1, max: 3 }]),
  ]);
  const [trip, task] = plan.resources;
  assert.deepEqual(trip!.fields[1], { name: 'status', type: 'enum', required: true, values: ['planned', 'on_the_road', 'done'] });
  assert.match(notes, /trip\.status\.values planned, on_road, done → planned, on_the_road, done: the request says "a status of planned, on the road or done"/);
  assert.deepEqual(task!.fields[0], { name: 'priority', type: 'enum', required: true, values: ['low', 'medium', 'high'] });
  // The same values in another order are left as the model planned them.
  const same = mended('tools with a condition of good, worn or broken', [
    resource('tool', 'tools', [{ name: 'condition', type: 'enum', required: true, values: ['broken', 'good', 'worn'] }]),
  ]);
  assert.deepEqual(same.plan.resources[0]!.fields[0]!.values, ['broken', 'good', 'worn']);
});

test('"a check-in date and a check-out date", "an e-mail": hyphenated words are read; check-in is not check-out', () => {
  const sentence = 'REST API for a hotel: rooms with a number, and reservations of a room with a guest name, a check-in date and a check-out date';
  // The 0.5B planned neither date; with one of them planned, the other is still put back.
  const { plan, notes } = mended(sentence, [
    resource('room', 'rooms', [{ name: 'number', type: 'integer', required: true }]),
    resource('reservation', 'reservations', [text('guestName'), { name: 'checkOutDate', type: 'date', required: true }]),
  ]);
  const reservation = plan.resources.find((r) => r.name === 'reservation')!;
  assert.deepEqual(
    reservation.fields.filter((f) => f.type === 'date').map((f) => f.name),
    ['checkOutDate', 'checkInDate'],
  );
  assert.match(notes, /reservation\.checkInDate: a date field the plan left out: the request says "a check-in date"/);
  assert.deepEqual(missing(sentence, plan), []);
  const guests = mended('REST API for guests with a name and an e-mail', [resource('guest', 'guests', [text('name')])]);
  assert.deepEqual(guests.plan.resources[0]!.fields[1], { name: 'email', type: 'string', required: false, format: 'email' });
});

test('"open by default", "a quantity that defaults to 1": the default the sentence gives a field, planned or put back; one that does not fit is not read', () => {
  const sentence = 'REST API for tickets with a title, a status of open, pending or closed, open by default, and a priority from 1 to 5 (9 by default)';
  const { plan, notes } = mended(sentence, [
    resource('ticket', 'tickets', [text('title'), { name: 'status', type: 'enum', values: ['open', 'pending', 'closed'], required: true }]),
  ]);
  const [, status, priority] = plan.resources[0]!.fields;
  assert.deepEqual(status, { name: 'status', type: 'enum', values: ['open', 'pending', 'closed'], required: false, default: 'open' });
  assert.match(notes, /ticket\.status\.default → "open", required → false: the request says "a status of open, pending or closed, open by default"/);
  // 9 is outside 1 to 5: no default is read, the range is.
  assert.deepEqual(priority, { name: 'priority', type: 'integer', required: false, min: 1, max: 5 });
  const orders = mended('REST API for orders with a quantity that defaults to 1 and a note', [resource('order', 'orders', [text('note')])]);
  assert.deepEqual(
    orders.plan.resources[0]!.fields.find((f) => f.name === 'quantity'),
    { name: 'quantity', type: 'integer', required: false, default: 1 },
  );
});

test('lists in parentheses: "a species (dog, cat or rabbit)" is an enum, "movies (title, year between 1900 and 2100, rating 1-10)" their fields', () => {
  const shelter = 'REST API for an animal shelter where each animal has a name, a species (dog, cat or rabbit), an age from 0 to 30 and an adopted flag';
  const animals = mended(shelter, [resource('animal', 'animals', [text('name')])]);
  assert.deepEqual(animals.plan.resources[0]!.fields.slice(1), [
    { name: 'species', type: 'enum', required: false, values: ['dog', 'cat', 'rabbit'] },
    { name: 'age', type: 'integer', required: false, min: 0, max: 30 },
    { name: 'adopted', type: 'boolean', required: false },
  ]);
  assert.deepEqual(missing(shelter, animals.plan), []);
  const watchlist = 'REST API for a movie watchlist with movies (title, year between 1900 and 2100, rating 1-10) and a watched flag';
  const movies = mended(watchlist, [resource('movie', 'movies', [text('title')])]);
  assert.deepEqual(
    movies.plan.resources[0]!.fields.map((f) => [f.name, f.type, f.min, f.max]),
    [
      ['title', 'string', undefined, undefined],
      ['year', 'integer', 1900, 2100],
      ['rating', 'number', 1, 10],
      ['watched', 'boolean', undefined, undefined],
    ],
  );
});

test('"pets that belong to an owner" with a text field owner beside the relation: dropped, ownerId links them; "pets with an owner name" keeps its field', () => {
  const sentence = 'REST API for a vet clinic: owners with a name, pets that belong to an owner with a name and a species';
  const owner = resource('owner', 'owners', [{ name: 'name', type: 'string', required: true }]);
  const pet = (fields: object[]) => resource('pet', 'pets', [{ name: 'name', type: 'string', required: true }, ...fields]);
  const { plan, notes } = mended(sentence, [
    owner,
    pet([
      { name: 'owner', type: 'string', required: true },
      { name: 'species', type: 'string', required: true },
    ]),
  ]);
  const pets = plan.resources.find((r) => r.name === 'pet')!;
  assert.equal(pets.parent, 'owner');
  assert.deepEqual(
    pets.fields.map((f) => f.name),
    ['name', 'species'],
  );
  assert.match(notes, /pet\.owner dropped: ownerId links each pet to its owner/);
  // The sentence lists the field for pets itself ("an owner name", planned as owner): kept.
  const kept = mended('REST API for owners with a name, and pets with a name and an owner name; pets belong to an owner', [
    owner,
    pet([{ name: 'owner', type: 'string', required: true }]),
  ]).plan;
  assert.equal(kept.resources.find((r) => r.name === 'pet')!.parent, 'owner');
  assert.ok(kept.resources.find((r) => r.name === 'pet')!.fields.some((f) => f.name === 'owner'));
});

test('what the 0.5B made of a verb is dropped: "list the expenses" no /lists, "talks can be scheduled" no /schedules, "members can book classes" no /books; "a todo list" still names its list', () => {
  const text = (name: string) => ({ name, type: 'string', required: true });
  const expenses = mended('I need an API to track my expenses: each expense has an amount and a note; list the expenses by note', [
    resource('expense', 'expenses', [{ name: 'amount', type: 'number', required: true }, text('note')]),
    resource('list', 'lists', [text('note')]),
  ]);
  assert.deepEqual(
    expenses.plan.resources.map((r) => r.name),
    ['expense'],
  );
  assert.match(expenses.notes, /resource "list" dropped: the request does not ask for it/);
  const talks = mended('REST API for a conference: talks with a title, rooms with a name; talks can be scheduled; list the talks that are not scheduled yet', [
    resource('talk', 'talks', [text('title')]),
    resource('room', 'rooms', [text('name')]),
    resource('schedule', 'schedules', [text('title')]),
  ]);
  assert.deepEqual(
    talks.plan.resources.map((r) => r.name),
    ['talk', 'room'],
  );
  const gym = mended('Backend for a gym: members with a name, classes with a title; members can book classes', [
    resource('member', 'members', [text('name')]),
    resource('class', 'classes', [text('title')]),
    resource('book', 'books', [text('member'), text('class')]),
  ]);
  assert.deepEqual(
    gym.plan.resources.map((r) => r.name),
    ['member', 'class'],
  );
  // The noun stays a noun: lists of a shopping app, and a booking the sentence names.
  const shopping = mended('REST API for shopping lists with a name and items that belong to a list with a quantity; list the items of a list', [
    resource('list', 'lists', [text('name')]),
    resource('item', 'items', [{ name: 'quantity', type: 'integer', required: true }], { parent: 'list' }),
  ]);
  assert.deepEqual(
    shopping.plan.resources.map((r) => r.name),
    ['list', 'item'],
  );
});

test('the sentence’s bound wins over the model’s: "an amount that cannot be negative" planned ≥ -10000 is ≥ 0', () => {
  const { plan, notes } = mended('REST API for expenses with an amount that cannot be negative and a note', [
    resource('expense', 'expenses', [
      { name: 'amount', type: 'number', required: true, min: -10000, max: 10000 },
      { name: 'note', type: 'string', required: true },
    ]),
  ]);
  const amount = plan.resources[0]!.fields.find((f) => f.name === 'amount')!;
  assert.equal(amount.min, 0);
  assert.equal(amount.max, 10000, 'a bound the sentence does not give stays the model’s');
  assert.match(notes, /expense\.amount min\/max -10000\/10000 → 0\/10000/);
});

test('"repair jobs that belong to a customer with a description, a price …": the fields are the jobs’, though the model planned a repair (the prompt’s example)', () => {
  const sentence =
    'REST API for a bike repair shop: customers with a name, repair jobs that belong to a customer with a description, a price from 0 to 5000 and a status of waiting, in progress or done';
  const { plan, notes } = mended(sentence, [
    resource('customer', 'customers', [{ name: 'name', type: 'string', required: true }]),
    resource('repair', 'repairs', [{ name: 'cost', type: 'number', required: true }]),
  ]);
  const job = plan.resources.find((r) => r.name === 'job');
  assert.ok(job, `${JSON.stringify(plan.resources.map((r) => r.name))}\n${notes}`);
  assert.equal(job.parent, 'customer');
  assert.deepEqual(
    job.fields.map((f) => [f.name, f.type, f.min, f.max, f.values]),
    [
      ['description', 'string', undefined, undefined, undefined],
      ['price', 'number', 0, 5000, undefined],
      ['status', 'enum', undefined, undefined, ['waiting', 'in_progress', 'done']],
    ],
  );
});
