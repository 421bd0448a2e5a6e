// The plan a sentence becomes: what it can hold, what code mends, what it refuses, and the
// fidelity list that names where each asked-for thing lives or that it is not built.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { moduleFromRequest } from '../../core/plan-request.js';
import { checkPlan, parsePlan } from '../../core/plan-check.js';
import { fidelityLines, fidelityOf } from '../../core/fidelity.js';
import { goName, jsonName, routesOf, type Plan } from '../../core/plan.js';
import { PLAN_SCHEMA } from '../../core/plan-schema.js';
import { copiedFromExample, exampleElementsDropped, exampleResources, exampleWords, workedExampleParts } from '../../core/plan-example.js';

const library = {
  module: 'library-api',
  resources: [
    { name: 'author', plural: 'authors', fields: [{ name: 'name', type: 'string', required: true, max: 80 }], filters: [], actions: [] },
    {
      name: 'book',
      plural: 'books',
      parent: 'author',
      fields: [
        { name: 'title', type: 'string', required: true, min: 1, max: 200 },
        { name: 'isbn', type: 'string', required: true, unique: true },
        { name: 'genre', type: 'enum', values: ['novel', 'poetry', 'essay'], required: false, default: 'novel' },
        { name: 'published', type: 'date', required: false },
        { name: 'rating', type: 'integer', required: false, min: 1, max: 5 },
        { name: 'contact', type: 'string', required: false, format: 'email' },
        { name: 'onLoan', type: 'boolean', required: false, default: false },
      ],
      filters: [
        { name: 'genre', field: 'genre' },
        { name: 'recent', description: 'published in the last year' },
      ],
      actions: [{ name: 'lend', description: 'sets onLoan to true; a book on loan cannot be lent again' }],
      rules: [{ name: 'poetryIsShort', description: 'a poetry book has a title of at most 40 characters' }],
    },
  ],
  notBuilt: [{ what: 'reader logins', why: 'authentication is not built' }],
};

test('a plan holds several resources, typed fields with rules, a relation, filters, actions and rules in words', () => {
  const checked = checkPlan(library);
  assert.ok(checked.ok, JSON.stringify(checked));
  const book = checked.plan.resources[1]!;
  assert.equal(book.parent, 'author');
  assert.deepEqual(
    book.fields.find((f) => f.name === 'genre'),
    { name: 'genre', type: 'enum', required: false, values: ['novel', 'poetry', 'essay'], default: 'novel' },
  );
  assert.deepEqual(
    book.fields.find((f) => f.name === 'rating'),
    { name: 'rating', type: 'integer', required: false, min: 1, max: 5 },
  );
  assert.deepEqual(book.filters, [
    { name: 'genre', field: 'genre' },
    { name: 'recent', description: 'published in the last year' },
  ]);
  // The routes follow from it: the action and the parent's nested list.
  const paths = routesOf(checked.plan, checked.plan.resources[0]!).map((r) => `${r.method} ${r.path}`);
  assert.ok(paths.includes('GET /authors/{id}/books'), paths.join(', '));
  assert.ok(routesOf(checked.plan, book).some((r) => r.method === 'POST' && r.path === '/books/{id}/lend'));
});

test('the schema the model answers through lists every field type and keeps arrays bounded', () => {
  const fieldType = PLAN_SCHEMA.properties.resources.items.properties.fields.items.properties.type.enum;
  assert.deepEqual([...fieldType], ['string', 'integer', 'number', 'boolean', 'date', 'datetime', 'enum']);
  assert.equal(PLAN_SCHEMA.properties.resources.maxItems, 5);
});

test('every broken rule is refused with a line that says what to change', () => {
  const broken = structuredClone(library) as any;
  broken.resources[1].parent = 'publisher';
  broken.resources[1].fields[2].values = [];
  broken.resources[1].fields[4].min = 9;
  broken.resources[1].actions[0].name = 'onLoan';
  broken.resources[0].filters = [{ name: 'famous' }];
  const checked = checkPlan(broken);
  assert.equal(checked.ok, false);
  const errors = (checked as { errors: string[] }).errors.join('\n');
  assert.match(errors, /parent "publisher" must be the name of another resource/);
  assert.match(errors, /values must list 2 to 12 lower-case values for an enum/);
  assert.match(errors, /min is larger than max/);
  assert.match(errors, /actions "onLoan" has the name of a field/);
  assert.match(errors, /filters\[0\] must name a "field" to filter by, or say in "description"/);
});

test('a parent circle, a default outside its range and a unique default are refused', () => {
  const circle = structuredClone(library) as any;
  circle.resources[0].parent = 'book';
  assert.match((checkPlan(circle) as { errors: string[] }).errors.join('\n'), /makes a circle/);
  const bad = structuredClone(library) as any;
  bad.resources[1].fields[4].default = 9;
  bad.resources[1].fields[1].default = 'x';
  const errors = (checkPlan(bad) as { errors: string[] }).errors.join('\n');
  assert.match(errors, /default is outside min\/max/);
  assert.match(errors, /a unique field cannot have a default/);
});

test("near-misses are mended and named: the old one-resource shape, Go types, names, filters as strings, a parent's id field", () => {
  const answer = JSON.stringify({
    module: 'Garden API',
    resources: [
      { name: 'Bed', fields: [{ name: 'Name', type: 'text', required: 'true' }] },
      {
        name: 'plant',
        plural: 'plant',
        fields: [
          { name: 'due_date', type: 'time.Time' },
          { name: 'bedId', type: 'int', required: true },
          { name: 'watered', type: 'bool', required: true },
          { name: 'kind', type: 'string', values: ['Herb', 'tree'] },
        ],
        filters: ['watered'],
        actions: ['water'],
      },
    ],
  });
  const checked = parsePlan(answer, 'REST API for a garden: beds and their plants');
  assert.ok(checked.ok, JSON.stringify(checked));
  const [bed, plant] = checked.plan.resources;
  assert.equal(checked.plan.module, 'garden-api');
  assert.equal(bed!.plural, 'beds');
  assert.equal(plant!.plural, 'plants');
  assert.equal(plant!.parent, 'bed');
  assert.deepEqual(
    plant!.fields.map((f) => `${f.name}:${f.type}:${f.required}`),
    ['dueDate:datetime:false', 'watered:boolean:false', 'kind:enum:false'],
  );
  assert.deepEqual(plant!.fields[2]!.values, ['herb', 'tree']);
  assert.deepEqual(plant!.filters, [{ name: 'watered', field: 'watered' }]);
  assert.equal(plant!.actions[0]!.name, 'water');
  const notes = checked.notes!.join('\n');
  assert.match(notes, /bedId → parent "bed"/);
  assert.match(notes, /type "int" → "integer"/);
  assert.match(notes, /required true → false \(default false\)/);

  // A format the plan cannot hold is mended or dropped and named, not asked again (the 0.5B's "sku").
  const formats = parsePlan(
    JSON.stringify({
      module: 'inventory-api',
      resources: [
        {
          name: 'item',
          plural: 'items',
          fields: [
            { name: 'title', type: 'string', required: true },
            { name: 'sku', type: 'string', format: 'sku' },
            { name: 'site', type: 'string', format: 'URI' },
            { name: 'arrived', type: 'string', format: 'date-time' },
            { name: 'count', type: 'integer', format: 'int32' },
            { name: 'contact', type: 'Email' },
          ],
        },
      ],
    }),
  );
  assert.ok(formats.ok, JSON.stringify(formats));
  assert.deepEqual(
    formats.plan.resources[0]!.fields.map((f) => `${f.name}:${f.type}:${f.format ?? ''}`),
    ['title:string:', 'sku:string:', 'site:string:url', 'arrived:datetime:', 'count:integer:', 'contact:string:email'],
  );
  assert.match(formats.notes!.join('\n'), /fields\[1\]\.format "sku" dropped: a format is email or url/);

  // "a watered flag": the 0.5B's wateredFlag is the state watered, and what names it follows.
  const flag = parsePlan(
    JSON.stringify({
      module: 'garden-api',
      resources: [
        {
          name: 'plant',
          plural: 'plants',
          fields: [
            { name: 'name', type: 'string', required: true },
            { name: 'wateredFlag', type: 'boolean', required: false },
          ],
          filters: [{ name: 'wateredFlag', field: 'wateredFlag' }],
          actions: [{ name: 'water', description: 'sets wateredFlag to true' }],
        },
      ],
    }),
    'REST API for plants with a name and a watered flag; a plant can be watered',
  );
  assert.ok(flag.ok, JSON.stringify(flag));
  const watered = flag.plan.resources[0]!;
  assert.deepEqual(
    watered.fields.map((f) => f.name),
    ['name', 'watered'],
  );
  assert.deepEqual(watered.filters, [{ name: 'watered', field: 'watered' }]);
  assert.equal(watered.actions[0]!.description, 'sets watered to true');
  assert.match(flag.notes!.join('\n'), /fields\[1\]\.name "wateredFlag" → "watered"/);

  const old = parsePlan(
    JSON.stringify({
      module: 'notes-api',
      resource: 'note',
      plural: 'notes',
      fields: [{ name: 'Title', type: 'string', json: 'title', required: true }],
      endpoints: [],
    }),
  );
  assert.ok(old.ok);
  assert.equal(old.plan.resources[0]!.fields[0]!.name, 'title');
});

test('hostile answers: no JSON, not JSON, an array, a path in a name', () => {
  assert.deepEqual(parsePlan('I cannot help with that'), { ok: false, errors: ['the answer holds no JSON object'] });
  assert.match((parsePlan('{"module": }') as { errors: string[] }).errors[0]!, /not valid JSON/);
  assert.equal(checkPlan([]).ok, false);
  const evil = structuredClone(library) as any;
  evil.resources[0].plural = '../../etc';
  evil.module = 'x"; rm -rf /';
  const errors = (checkPlan(evil) as { errors: string[] }).errors.join('\n');
  assert.match(errors, /"module" must match/);
  assert.match(errors, /plural must be one lower-case word/);
});

test('Go and JSON names: initialisms, separators', () => {
  assert.equal(goName('authorId'), 'AuthorID');
  assert.equal(goName('website_url'), 'WebsiteURL');
  assert.equal(jsonName('Due Date'), 'dueDate');
  assert.equal(jsonName('due_date'), 'dueDate');
});

test('fidelity: every asked-for thing has its place or a reason, including what the model left out without a word', () => {
  const sentence =
    'REST API for a library: authors and their books with a unique isbn, a genre of novel, poetry or essay and a rating from 1 to 5; lend a book; reader logins; shelves with a location';
  const checked = checkPlan(library);
  assert.ok(checked.ok);
  const fidelity = fidelityOf(sentence, checked.plan as Plan);
  assert.equal(fidelity.buildable, true);
  const lines = fidelityLines(fidelity);
  const text = lines.join('\n');
  assert.match(text, /✓ unique isbn → field isbn of \/books \(required, string, unique\)/);
  assert.match(text, /✓ .*lend.* → POST \/books\/\{id\}\/lend/);
  assert.match(text, /✓ books.* → GET \/authors\/\{id\}\/books/);
  assert.match(text, /✗ reader logins: not built — authentication is not built/);
  // Shelves are nowhere in the plan and the model did not say so: code does.
  assert.match(text, /✗ shelves, location: not built — nothing in the plan is named after these words/);
});

test('fidelity: a sentence that asks only for what is not built ends at the plan, with one line', () => {
  const checked = checkPlan({
    module: 'chess-api',
    resources: [{ name: 'game', plural: 'games', fields: [{ name: 'moves', type: 'string', required: true }], filters: [], actions: [] }],
    notBuilt: [],
  });
  assert.ok(checked.ok);
  const f = fidelityOf('a chess engine', checked.plan);
  assert.equal(f.buildable, false);
  assert.match(f.message!, /^the request asks for computation beyond storing and serving data, which overnight-llm does not build/);
  assert.equal(f.message!.includes('\n'), false);
  // A plain sentence is buildable, and a todo plan answers its nouns.
  const todo = checkPlan({
    module: 'todo-api',
    resources: [{ name: 'todo', plural: 'todos', fields: [{ name: 'title', type: 'string', required: true }], filters: [], actions: [] }],
    notBuilt: [],
  });
  assert.ok(todo.ok);
  const plain = fidelityOf('REST API for todo list', todo.plan);
  assert.equal(plain.buildable, true);
  assert.deepEqual(
    plain.requirements.filter((r) => r.where === null),
    [],
  );
});

test("a model's additions are dropped and named: a resource the sentence does not ask for, an enum without values, a default outside them", () => {
  const answer = JSON.stringify({
    module: 'todo-api',
    resources: [
      {
        name: 'todo',
        plural: 'todos',
        fields: [
          { name: 'title', type: 'string', required: true },
          { name: 'status', type: 'enum', required: false },
        ],
        filters: [],
        actions: [],
      },
      { name: 'user', plural: 'users', fields: [{ name: 'password', type: 'string', required: true }], filters: [], actions: [] },
      { name: 'tag', plural: 'tags', fields: [{ name: 'id', type: 'integer', required: true }], filters: [], actions: [] },
    ],
    notBuilt: [],
  });
  const checked = parsePlan(answer, 'REST API for todo list');
  assert.ok(checked.ok, JSON.stringify(checked));
  assert.deepEqual(
    checked.plan.resources.map((r) => r.name),
    ['todo'],
  );
  assert.equal(checked.plan.resources[0]!.fields[1]!.type, 'string');
  const notes = checked.notes!.join('\n');
  assert.match(notes, /resource "user" dropped: the request does not ask for it/);
  assert.match(notes, /resource "tag" dropped: it has no fields besides its id/);
  // A chess engine planned as engines and moves is still not something to build.
  const chess = checkPlan({
    module: 'chess-engine',
    resources: [{ name: 'engine', plural: 'engines', fields: [{ name: 'version', type: 'string', required: true }], filters: [], actions: [] }],
    notBuilt: [],
  });
  assert.ok(chess.ok);
  assert.equal(fidelityOf('a chess engine', chess.plan).buildable, false);
});

test("one resource planned twice is one resource: the second's new fields join the first, and the merge is named", () => {
  // Seen with the real 0.5B over /v1: "todo" twice, the second with a field the first lacks.
  const todo = (fields: object[], actions: object[] = []) => ({ name: 'todo', plural: 'todos', fields, filters: [], actions });
  const answer = JSON.stringify({
    module: 'todo-api',
    resources: [
      todo([{ name: 'title', type: 'string', required: true }]),
      todo(
        [
          { name: 'title', type: 'string', required: false },
          { name: 'done', type: 'boolean', required: false },
        ],
        [{ name: 'complete', description: 'marks it done' }],
      ),
      { name: 'todos', plural: 'todoss', fields: [{ name: 'due', type: 'date', required: false }], filters: [], actions: [] },
    ],
    notBuilt: [],
  });
  const checked = parsePlan(answer, 'REST API for todo list');
  assert.ok(checked.ok, JSON.stringify(checked));
  assert.equal(checked.plan.resources.length, 1);
  const [only] = checked.plan.resources;
  assert.deepEqual(
    only!.fields.map((f) => [f.name, f.required]),
    [
      ['title', true],
      ['done', false],
      ['due', false],
    ],
  );
  assert.deepEqual(
    only!.actions.map((a) => a.name),
    ['complete'],
  );
  assert.equal(checked.notes!.filter((n) => /merged into the "todo" planned before it/.test(n)).length, 2);
});

test('"can be marked done", "mark a book as read": the flag and the action that sets it are put in, and named', () => {
  const one = (name: string, fields: object[], actions: object[] = []) => ({ name, plural: `${name}s`, fields, filters: [], actions });
  const todo = parsePlan(
    JSON.stringify({ module: 'todo-api', resources: [one('todo', [{ name: 'title', type: 'string', required: true }])], notBuilt: [] }),
    'REST API for a todo list where a todo has a title and can be marked done',
  );
  assert.ok(todo.ok, JSON.stringify(todo));
  const [t] = todo.plan.resources;
  assert.deepEqual(
    t!.fields.find((f) => f.name === 'done'),
    { name: 'done', type: 'boolean', required: false, default: false },
  );
  assert.deepEqual(
    t!.actions.map((a) => a.name),
    ['markDone'],
  );
  assert.match(t!.actions[0]!.description, /sets done to true/);
  assert.ok(todo.notes!.some((n) => /todo\.actions \+ markDone: the request says "marked done"/.test(n)));
  // The flag the plan has is the one set; a resource named in the phrase is the one marked.
  const books = parsePlan(
    JSON.stringify({
      module: 'shelf-api',
      resources: [
        one('shelf', [{ name: 'label', type: 'string', required: true }]),
        one('book', [
          { name: 'title', type: 'string', required: true },
          { name: 'isRead', type: 'boolean', required: false },
        ]),
      ],
      notBuilt: [],
    }),
    'REST API for shelves and books; mark a book as read',
  );
  assert.ok(books.ok, JSON.stringify(books));
  const book = books.plan.resources.find((r) => r.name === 'book')!;
  assert.deepEqual(
    book.actions.map((a) => [a.name, a.description.split(' (')[0]]),
    [['markRead', 'sets isRead to true']],
  );
  assert.equal(book.fields.length, 2);
  assert.deepEqual(books.plan.resources.find((r) => r.name === 'shelf')!.actions, []);
  // An action the plan already has for it is kept alone: "completed" is the plan's "complete".
  const done = parsePlan(
    JSON.stringify({
      module: 'todo-api',
      resources: [one('todo', [{ name: 'title', type: 'string', required: true }], [{ name: 'complete', description: 'marks it complete' }])],
      notBuilt: [],
    }),
    'REST API for todos that can be marked as completed and archived',
  );
  assert.ok(done.ok);
  assert.deepEqual(
    done.plan.resources[0]!.actions.map((a) => a.name),
    ['complete'],
  );
});

test('fidelity: a resource named by an irregular plural is the one the sentence asks for ("people" is person, "shelves" is shelf)', () => {
  const checked = checkPlan({
    module: 'club-api',
    resources: [
      { name: 'person', plural: 'persons', fields: [{ name: 'name', type: 'string', required: true }], filters: [], actions: [] },
      { name: 'shelf', plural: 'shelfs', fields: [{ name: 'label', type: 'string', required: true }], filters: [], actions: [] },
    ],
    notBuilt: [],
  });
  assert.ok(checked.ok);
  const f = fidelityOf('REST API for people and shelves', checked.plan);
  assert.deepEqual(
    f.requirements.filter((r) => r.where === null),
    [],
  );
  assert.ok(f.requirements.some((r) => r.asked === 'people' && r.where?.startsWith('/persons')));
});

test('what the sentence states in so many words and the plan left out is put in, and named', () => {
  const answer = JSON.stringify({
    module: 'clinic-api',
    resources: [
      { name: 'owner', plural: 'owners', fields: [{ name: 'email', type: 'string', required: true }], filters: [], actions: [] },
      {
        name: 'pet',
        plural: 'pets',
        fields: [
          { name: 'name', type: 'string', required: true },
          { name: 'weight', type: 'number', required: false },
          { name: 'visits', type: 'integer', required: false },
        ],
        filters: [],
        actions: [],
      },
    ],
    notBuilt: [],
  });
  const sentence =
    'REST API for a vet clinic: owners with a unique email, pets that belong to an owner with a name, a weight from 0.5 to 90 and visits of at least 0';
  const checked = parsePlan(answer, sentence);
  assert.ok(checked.ok, JSON.stringify(checked));
  const [owner, pet] = checked.plan.resources;
  assert.equal(owner!.fields[0]!.unique, true);
  assert.equal(pet!.parent, 'owner');
  assert.deepEqual([pet!.fields[1]!.min, pet!.fields[1]!.max], [0.5, 90]);
  assert.equal(pet!.fields[2]!.min, 0);
  assert.match(checked.notes!.join('\n'), /pet.parent → "owner": the request says "pets that belong to an owner"/);
  const lines = fidelityLines(fidelityOf(sentence, checked.plan)).join('\n');
  assert.match(lines, /^✓ owners? .*belong.* → pet belongs to an owner: field ownerId, checked to exist$/m, 'the words of a relation are placed with it');
  // A sentence that does not say it adds nothing.
  const plain = parsePlan(answer, 'REST API for a vet clinic: owners and pets');
  assert.ok(plain.ok);
  assert.equal(plain.plan.resources[1]!.parent, undefined);
  assert.equal(plain.plan.resources[0]!.fields[0]!.unique, undefined);
});

test('fidelity: data that survives a restart is SQLite by default, and -store memory says it is not built', () => {
  const todo = checkPlan({
    module: 'todo-api',
    resources: [{ name: 'todo', plural: 'todos', fields: [{ name: 'title', type: 'string', required: true }], filters: [], actions: [] }],
    notBuilt: [],
  });
  assert.ok(todo.ok);
  const sentence = 'REST API for todos that survive a restart';
  assert.match(fidelityLines(fidelityOf(sentence, todo.plan)).join('\n'), /✓ survive restart → stored in SQLite \(DB_PATH\)/);
  assert.match(fidelityLines(fidelityOf(sentence, todo.plan, 'memory')).join('\n'), /✗ survive restart: not built — persistence: -store memory/);
  assert.doesNotMatch(fidelityLines(fidelityOf('REST API for todos', todo.plan)).join('\n'), /SQLite/);
});

test('the plan prompt asks for the request and shows an example from another domain than the ones people test with', async () => {
  const { readFileSync } = await import('node:fs');
  const text = readFileSync(new URL('../../prompts/plan.txt', import.meta.url), 'utf8');
  assert.equal(text.match(/\{\{request\}\}/g)?.length, 2);
  assert.match(text, /"notBuilt"/);
  // The example must be valid itself: a small model copies it.
  const example = /the answer would be:\n(\{.*\})\n/.exec(text)?.[1];
  assert.ok(example);
  const checked = parsePlan(example!);
  assert.ok(checked.ok, JSON.stringify(checked));
  assert.equal(checked.plan.resources[1]!.parent, 'car');
});

test("fidelity against today's code writer: what it builds of a plan, partly, and what it does not", async () => {
  const { builtOf, singleResourceSpec } = await import('../../core/single-resource.js');
  const checked = checkPlan(library);
  assert.ok(checked.ok);
  const spec = singleResourceSpec(checked.plan);
  assert.equal(spec.resource, 'author');
  assert.deepEqual(spec.fields, [{ name: 'Name', type: 'string', json: 'name', required: true }]);
  const sentence = 'REST API for a library: authors with a name, and their books with a unique isbn; lend a book';
  const text = fidelityLines(fidelityOf(sentence, checked.plan, 'memory', builtOf(checked.plan))).join('\n');
  assert.match(text, /^✓ authors → \/authors: GET, POST, GET, PUT, DELETE$/m);
  assert.match(
    text,
    /^~ name → field name of \/authors \(required, string\) \(only partly: planned as field name of \/authors \(required, string, length ≤ 80\)/m,
  );
  assert.match(text, /^✗ unique isbn: not built — planned as field isbn of \/books/m);
  assert.match(text, /^✗ lend: not built — planned as POST \/books\/\{id\}\/lend/m);
});

test("parsePlan: prose around the JSON is ignored; a module copied from the prompt's example is named after the request; extra keys are not carried", () => {
  const plan = {
    module: 'garage-api',
    resources: [
      {
        name: 'member',
        plural: 'members',
        fields: [{ name: 'email', type: 'string', required: true, nickname: 'x' }],
        filters: [],
        actions: [],
        colour: 'red',
      },
    ],
    notBuilt: [],
  };
  const checked = parsePlan(`Here is the plan:\n${JSON.stringify(plan)}\nHope it helps.`, 'REST API for a gym: members with an email');
  assert.ok(checked.ok, JSON.stringify(checked));
  assert.equal(checked.plan.module, 'gym-api');
  assert.match(checked.notes!.join('\n'), /module "garage-api" → "gym-api": named after the request, not the prompt's example/);
  assert.deepEqual(Object.keys(checked.plan.resources[0]!), ['name', 'plural', 'fields', 'filters', 'actions', 'rules']);
  assert.deepEqual(Object.keys(checked.plan.resources[0]!.fields[0]!), ['name', 'type', 'required', 'format'], 'no nickname; "an email" is one');
  // A module the request backs is kept.
  const kept = parsePlan(JSON.stringify({ ...plan, module: 'member-api' }), 'REST API for a gym: members with an email');
  assert.ok(kept.ok);
  assert.equal(kept.plan.module, 'member-api');
});

test('unsafe names are not mended into safe ones: they are still reported', () => {
  const evil = {
    module: 'x',
    resources: [
      { name: 'todo', plural: 'todos', fields: [{ name: 'a"`b', type: 'string', required: true }], filters: [{ name: '../x', field: 'a' }], actions: [] },
    ],
    notBuilt: [],
  };
  const checked = parsePlan(JSON.stringify(evil));
  assert.equal(checked.ok, false);
  const errors = (checked as { errors: string[] }).errors.join('\n');
  assert.match(errors, /fields\[0\]\.name must be a lower camelCase JSON name/);
  assert.match(errors, /filters\[0\]\.name must be a lower camelCase word/);
});

test("copiedFromExample: the example's resources are a copy only where the request names none of them", () => {
  const example = ['car', 'repair'];
  const garage = [
    { name: 'car', plural: 'cars' },
    { name: 'repair', plural: 'repairs' },
  ];
  assert.deepEqual(copiedFromExample(garage, 'REST API for inventory', example), ['cars', 'repairs']);
  assert.deepEqual(copiedFromExample(garage, 'REST API for a car dealership with a repair shop', example), []);
  assert.deepEqual(copiedFromExample([garage[0]!, { name: 'item', plural: 'items' }], 'REST API for inventory items', example), ['cars']);
  assert.deepEqual(copiedFromExample([{ name: 'item', plural: 'items' }], 'REST API for inventory', example), []);
  // A request in another language names its books in its own words: no copy can be told (the e2e batch of user-paths.test.ts).
  const library = [{ name: 'book', plural: 'books' }];
  assert.deepEqual(copiedFromExample(library, 'API REST pour une bibliothèque de prêt', ['book', 'author']), []);
  assert.deepEqual(copiedFromExample(library, '図書館の貸し出しを管理する REST API', ['book', 'author']), []);
  assert.deepEqual(copiedFromExample(library, 'REST API for a library', ['book', 'author']), ['books'], 'in English it still is one');
});

test('"REST API for todo list": a single resource the sentence does not name takes the noun before "list"; "reading list" is left alone', () => {
  const task = { name: 'task', plural: 'tasks', fields: [{ name: 'title', type: 'string', required: true }], filters: [], actions: [], rules: [] };
  const plan = (resources: object[]) => JSON.stringify({ module: 'todo-api', resources, notBuilt: [] });
  const todo = parsePlan(plan([task]), 'REST API for todo list');
  assert.ok(todo.ok);
  assert.deepEqual([todo.plan.resources[0]!.name, todo.plan.resources[0]!.plural], ['todo', 'todos']);
  assert.match(todo.notes!.join('\n'), /resource "task" → "todo": the request asks for a todo list/);
  for (const sentence of ['REST API for a reading list', 'REST API for my task list', 'REST API for a shopping list']) {
    const kept = parsePlan(plan([task]), sentence);
    assert.ok(kept.ok);
    assert.equal(kept.plan.resources[0]!.name, 'task', sentence);
  }
});

test("the bare plan prompt (asked after a copy) keeps the request and names none of the plan prompt's examples", () => {
  const prompt = (name: string) => readFileSync(new URL(`../../prompts/${name}.txt`, import.meta.url), 'utf8');
  const template = prompt('plan');
  assert.deepEqual(exampleResources(template), ['car', 'repair', 'book', 'author', 'todo']);
  assert.deepEqual(exampleWords(template), ['overdue', 'mark done', 'cancel']);
  const bare = prompt('plan-bare');
  assert.equal(bare.match(/\{\{request\}\}/g)?.length, 2);
  for (const word of [...exampleResources(template), ...exampleWords(template), 'garage', 'logins'])
    assert.doesNotMatch(bare, new RegExp(`\\b${word}`, 'i'), word);
});

test("a filter or an action named by the plan prompt's example that the request does not say is dropped and named", () => {
  const checked = parsePlan(
    JSON.stringify({
      module: 'inventory-api',
      resources: [
        {
          name: 'item',
          plural: 'items',
          fields: [{ name: 'name', type: 'string', required: true }],
          filters: [{ name: 'overdue', description: 'past its due date' }],
          actions: [
            { name: 'markDone', description: 'marks it done' },
            { name: 'cancel', description: 'cancels it' },
          ],
        },
      ],
    }),
  );
  assert.ok(checked.ok);
  const words = ['overdue', 'mark done', 'cancel'];
  const inventory = exampleElementsDropped(checked.plan, 'REST API for inventory items', words);
  assert.deepEqual(inventory.plan.resources[0]!.filters, []);
  assert.deepEqual(inventory.plan.resources[0]!.actions, []);
  assert.equal(inventory.notes.length, 3);
  assert.match(inventory.notes[0]!, /item filter overdue dropped: the plan prompt's example/);
  const asked = exampleElementsDropped(checked.plan, 'REST API for orders: list the overdue orders; an order can be cancelled or marked done', words);
  assert.deepEqual(asked.notes, []);
  assert.equal(asked.plan.resources[0]!.actions.length, 2);
});

test("the worked example's fields and actions copied into a resource the request names are dropped with what uses them (a band's rehearsals got a cost and a close action)", () => {
  const template = readFileSync(new URL('../../prompts/plan.txt', import.meta.url), 'utf8');
  const worked = workedExampleParts(template);
  assert.deepEqual(worked, { fields: ['plate', 'colour', 'cost', 'closed'], elements: ['closed', 'close'], bounds: [10000], uniques: ['plate'] });
  const checked = parsePlan(
    JSON.stringify({
      module: 'band-api',
      resources: [
        {
          name: 'rehearsal',
          plural: 'rehearsals',
          fields: [
            { name: 'date', type: 'date', required: true },
            { name: 'cost', type: 'number', required: true, min: 0 },
            { name: 'closed', type: 'boolean', required: false },
          ],
          filters: [{ name: 'closed', field: 'closed' }],
          actions: [{ name: 'close', description: 'sets closed to true' }],
        },
      ],
    }),
  );
  assert.ok(checked.ok);
  const words = [...exampleWords(template), ...worked.elements];
  const band = exampleElementsDropped(checked.plan, 'REST API for a band: rehearsals with a date that can be cancelled', words, worked);
  const r = band.plan.resources[0]!;
  assert.deepEqual(
    r.fields.map((f) => f.name),
    ['date'],
  );
  assert.deepEqual([r.filters, r.actions], [[], []]);
  assert.equal(band.notes.length, 4, band.notes.join('\n'));
  assert.match(band.notes[0]!, /rehearsal field cost dropped: the plan prompt's example/);
  // Said by the request, they stay: a garage whose repairs have a cost and can be closed.
  const garage = exampleElementsDropped(checked.plan, 'REST API for a garage: repairs with a date and a cost; a repair can be closed', words, worked);
  assert.deepEqual(garage.notes, []);
});

test("the worked example's bound copied onto a field the request gives none (a repair's price and description ≤ 10000) is dropped and named; a request that writes it keeps it", () => {
  const worked = workedExampleParts(readFileSync(new URL('../../prompts/plan.txt', import.meta.url), 'utf8'));
  const checked = parsePlan(
    JSON.stringify({
      module: 'repairs-api',
      resources: [
        {
          name: 'repair',
          plural: 'repairs',
          fields: [
            { name: 'description', type: 'string', required: true, max: 10000 },
            { name: 'price', type: 'number', required: true, min: 0, max: 10000 },
          ],
        },
      ],
    }),
  );
  assert.ok(checked.ok);
  const bikes = exampleElementsDropped(checked.plan, 'REST API for a bike shop: repairs with a description and a price of at least 0', [], worked);
  assert.deepEqual(
    bikes.plan.resources[0]!.fields.map((f) => [f.name, f.min, f.max]),
    [
      ['description', undefined, undefined],
      ['price', 0, undefined],
    ],
  );
  assert.match(bikes.notes.join('\n'), /repair field price max 10000 dropped: the plan prompt's example's bound/);
  // The example's unique plate, copied onto a booking's licence plate the request does not call unique.
  const booking = parsePlan(
    JSON.stringify({
      module: 'parking-api',
      resources: [{ name: 'booking', plural: 'bookings', fields: [{ name: 'licencePlate', type: 'string', required: true, unique: true }] }],
    }),
  );
  assert.ok(booking.ok);
  const parking = exampleElementsDropped(booking.plan, 'REST API for parking: spots with a unique number, and bookings with a licence plate', [], worked);
  assert.equal(parking.plan.resources[0]!.fields[0]!.unique, undefined);
  assert.match(parking.notes.join('\n'), /booking field licencePlate unique dropped: the plan prompt's example's rule/);
  for (const unique of [
    'bookings with a unique licence plate',
    'bookings whose licence plates are unique',
    'bookings with a licence plate that must be unique',
  ]) {
    assert.equal(exampleElementsDropped(booking.plan, `REST API for parking: ${unique}`, [], worked).plan.resources[0]!.fields[0]!.unique, true, unique);
  }
  for (const said of ['a price up to 10,000', 'a price from 0 to 10000', 'a price of at most 10k']) {
    const kept = exampleElementsDropped(checked.plan, `REST API for a bike shop: repairs with a description and ${said}`, [], worked);
    assert.equal(kept.plan.resources[0]!.fields[1]!.max, 10000, said);
  }
});

test('what the model says is not built stays only where the request asks for it; its own inventions are dropped and named', () => {
  const answer = (notBuilt: object[]) =>
    JSON.stringify({
      module: 'shop-api',
      resources: [{ name: 'order', plural: 'orders', fields: [{ name: 'total', type: 'number', required: true }] }],
      notBuilt,
    });
  const shop = parsePlan(
    answer([
      { what: 'card payments', why: 'payments are not built' },
      { what: 'logins', why: 'authentication is not built' },
      { what: 'Create a new person with the given details.', why: 'not possible in this API' },
    ]),
    'REST API for a shop: orders with a total, paid by card',
  );
  assert.ok(shop.ok, JSON.stringify(shop));
  assert.deepEqual(
    shop.plan.notBuilt.map((n) => n.what),
    ['card payments'],
  );
  assert.match(shop.notes!.join('\n'), /notBuilt "logins" dropped: the request does not ask for it/);
  // Without the request (the plan file edited by hand) nothing is dropped.
  const byHand = parsePlan(answer([{ what: 'logins', why: 'not built' }]));
  assert.ok(byHand.ok);
  assert.equal(byHand.plan.notBuilt.length, 1);
});

test("a plural that is not the name's own (the 0.5B's rehearsal at /repairs, the prompt's example) is the name's plural, named; irregular plurals stay", () => {
  const plural = (name: string, given: string) => {
    const r = parsePlan(
      JSON.stringify({ module: 'band-api', resources: [{ name, plural: given, fields: [{ name: 'title', type: 'string', required: true }] }] }),
    );
    assert.ok(r.ok, JSON.stringify(r));
    return { plural: r.plan.resources[0]!.plural, notes: (r.notes ?? []).join('\n') };
  };
  const rehearsal = plural('rehearsal', 'repairs');
  assert.equal(rehearsal.plural, 'rehearsals');
  assert.match(rehearsal.notes, /resources\[0\]\.plural "repairs" → "rehearsals"/);
  for (const [name, given] of [
    ['person', 'people'],
    ['shelf', 'shelves'],
    ['quiz', 'quizzes'],
    ['cactus', 'cacti'],
    ['child', 'children'],
  ] as const)
    assert.equal(plural(name, given).plural, given, name);
});

test('a module named after the request when the model copied the example: its subject, not the verbs or the clause after it', () => {
  const names = Object.fromEntries(
    [
      'Build a REST API to manage a car rental fleet: cars have a plate',
      'REST API for a library where members can borrow books',
      'REST API for a todo list with priorities',
      'an API to track expenses with an amount',
      'REST API for a gym: members with an email',
    ].map((r) => [r, moduleFromRequest(r)]),
  );
  assert.deepEqual(Object.values(names), ['car-rental-fleet-api', 'library-api', 'todo-list-api', 'expenses-api', 'gym-api']);
});
