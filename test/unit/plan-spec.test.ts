// The plan's names reach paths, go.mod and prompts: checkSpec must let a good plan through,
// normalised to the contract, and report every bad field of a bad one.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PLAN_SCHEMA, checkSpec, parsePlan, standardEndpoints, type SpecCheck } from '../../activities/llm/plan-spec.js';
import type { FieldSpec } from '../../workflows/types.js';

const GOOD = {
  module: 'todo-api',
  resource: 'todo',
  plural: 'todos',
  fields: [
    { name: 'Title', type: 'string', json: 'title', required: true },
    { name: 'Done', type: 'bool', json: 'done', required: false },
    { name: 'Priority', type: 'int', json: 'priority', required: false },
    { name: 'DueAt', type: 'int64', json: 'dueAt', required: false },
    { name: 'Estimate', type: 'float64', json: 'estimate_hours', required: false },
  ],
  endpoints: [{ method: 'GET', path: '/todos', status: 200 }],
};

const CONTRACT = [
  { method: 'GET', path: '/todos', status: 200 },
  { method: 'POST', path: '/todos', status: 201 },
  { method: 'GET', path: '/todos/{id}', status: 200 },
  { method: 'PUT', path: '/todos/{id}', status: 200 },
  { method: 'DELETE', path: '/todos/{id}', status: 204 },
];

/** GOOD with some top-level keys replaced. */
const plan = (over: Record<string, unknown>) => ({ ...structuredClone(GOOD), ...over });
/** GOOD with field 0 changed. */
const withField = (over: Record<string, unknown>) => plan({ fields: [{ ...GOOD.fields[0], ...over }, GOOD.fields[1]] });

function errorsOf(result: SpecCheck): string[] {
  assert.equal(result.ok, false, 'expected the plan to be refused');
  return (result as { ok: false; errors: string[] }).errors;
}

/** Refused, with an error mentioning `needle`. */
function assertReported(value: unknown, needle: RegExp): string[] {
  const errors = errorsOf(checkSpec(value));
  assert.ok(
    errors.some((e) => needle.test(e)),
    `expected an error matching ${needle}, got ${JSON.stringify(errors)}`,
  );
  return errors;
}

describe('checkSpec: a good plan', () => {
  test('passes and keeps module, resource, plural and fields', () => {
    const result = checkSpec(structuredClone(GOOD));
    assert.equal(result.ok, true, JSON.stringify(result));
    const { spec } = result as { ok: true; spec: import('../../workflows/types.js').ApiSpec };
    assert.equal(spec.module, 'todo-api');
    assert.equal(spec.resource, 'todo');
    assert.equal(spec.plural, 'todos');
    assert.deepEqual(spec.fields, GOOD.fields);
  });

  test('endpoints are the 5 standard ones, whatever the model sent', () => {
    const variants: unknown[] = [
      GOOD.endpoints,
      [],
      [{ method: 'PATCH', path: '/../../etc', status: 999 }],
      'all of them',
      undefined,
      [...CONTRACT, ...CONTRACT, { method: 'DELETE', path: '/todos', status: 200 }],
    ];
    for (const endpoints of variants) {
      const result = checkSpec(plan({ endpoints }));
      assert.equal(result.ok, true, `endpoints ${JSON.stringify(endpoints)}: ${JSON.stringify(result)}`);
      assert.deepEqual((result as { ok: true; spec: { endpoints: unknown } }).spec.endpoints, CONTRACT);
    }
  });

  test('endpoints follow the plural', () => {
    const result = checkSpec(plan({ resource: 'book', plural: 'books' }));
    assert.equal(result.ok, true);
    assert.deepEqual(
      (result as { ok: true; spec: { endpoints: { path: string }[] } }).spec.endpoints.map((e) => e.path),
      ['/books', '/books', '/books/{id}', '/books/{id}', '/books/{id}'],
    );
    assert.deepEqual(
      standardEndpoints('books').map((e) => `${e.method} ${e.status}`),
      ['GET 200', 'POST 201', 'GET 200', 'PUT 200', 'DELETE 204'],
    );
  });

  test('extra keys the model invents are not carried into the spec', () => {
    const result = checkSpec({ ...structuredClone(GOOD), database: 'postgres', fields: [{ ...GOOD.fields[0], validate: 'min=3' }] });
    assert.equal(result.ok, true);
    const spec = (result as unknown as { ok: true; spec: Record<string, unknown> & { fields: object[] } }).spec;
    assert.deepEqual(Object.keys(spec).sort(), ['endpoints', 'fields', 'module', 'plural', 'resource']);
    assert.deepEqual(Object.keys(spec.fields[0]).sort(), ['json', 'name', 'required', 'type']);
  });

  test('module paths with slashes are fine', () => {
    assert.equal(checkSpec(plan({ module: 'acme/todo-api' })).ok, true);
  });

  test('the schema sent to Ollama requires every top-level key and limits field types', () => {
    assert.deepEqual([...PLAN_SCHEMA.required].sort(), ['endpoints', 'fields', 'module', 'plural', 'resource']);
    assert.deepEqual([...PLAN_SCHEMA.properties.fields.items.properties.type.enum], ['string', 'int', 'int64', 'float64', 'bool']);
  });
});

describe('checkSpec: each bad field is reported', () => {
  test('not an object', () => {
    for (const v of [null, [], 'todo', 42]) assert.deepEqual(errorsOf(checkSpec(v)), ['the plan must be a JSON object']);
  });

  for (const module of ['../evil', 'todo/../x', 'Todo-API', 'todo api', '', '-todo', 42])
    test(`module ${JSON.stringify(module)}`, () => void assertReported(plan({ module }), /"module"/));

  for (const resource of ['Todo', '../x', 'func', 'type', 'package', 'to do', 'todo-item', '', 'a/b', 7])
    test(`resource ${JSON.stringify(resource)}`, () => void assertReported(plan({ resource, plural: 'things' }), /"resource"/));

  test('plural equal to resource', () => void assertReported(plan({ plural: 'todo' }), /"plural"/));
  for (const plural of ['Todos', '../todos', 'to dos', '', 'todos/x'])
    test(`plural ${JSON.stringify(plural)}`, () => void assertReported(plan({ plural }), /"plural"/));

  test('field name in lower case', () => void assertReported(withField({ name: 'title' }), /fields\[0\]\.name/));
  test('field name with a space or punctuation', () => {
    assertReported(withField({ name: 'Due Date' }), /fields\[0\]\.name/);
    assertReported(withField({ name: 'Title;' }), /fields\[0\]\.name/);
  });
  test('duplicate field name', () => {
    const errors = assertReported(plan({ fields: [GOOD.fields[0], { ...GOOD.fields[1], name: 'Title' }] }), /fields\[1\]\.name "Title" is repeated/);
    assert.ok(!errors.some((e) => e.startsWith('fields[0]')), 'the first one is fine');
  });
  test('field named ID (the id is implicit)', () => void assertReported(withField({ name: 'ID' }), /fields\[0\]\.name "ID"/));
  test('bad type string[]', () => void assertReported(withField({ type: 'string[]' }), /fields\[0\]\.type/));
  test('bad types time.Time and float32', () => {
    assertReported(withField({ type: 'time.Time' }), /fields\[0\]\.type must be one of string, int, int64, float64, bool/);
    assertReported(withField({ type: 'float32' }), /fields\[0\]\.type/);
  });
  test('json tag "id"', () => void assertReported(withField({ json: 'id' }), /fields\[0\]\.json/));
  test('json tag with characters that break a struct tag', () => {
    assertReported(withField({ json: 'title"' }), /fields\[0\]\.json/);
    assertReported(withField({ json: 'title,omitempty' }), /fields\[0\]\.json/);
    assertReported(withField({ json: '' }), /fields\[0\]\.json/);
  });
  test('required not a boolean', () => {
    assertReported(withField({ required: 'yes' }), /fields\[0\]\.required/);
    assertReported(withField({ required: 1 }), /fields\[0\]\.required/);
    assertReported(withField({ required: undefined }), /fields\[0\]\.required/);
  });
  test('a field that is not an object', () => void assertReported(plan({ fields: ['Title string'] }), /fields\[0\] must be an object/));
  test('too many fields', () => {
    const fields = Array.from({ length: 13 }, (_, i) => ({ name: `F${i}`, type: 'string', json: `f${i}`, required: false }));
    assertReported(plan({ fields }), /"fields" must be an array of 1 to 12/);
    assert.equal(checkSpec(plan({ fields: fields.slice(0, 12) })).ok, true, '12 is the limit');
  });
  test('no fields', () => {
    assertReported(plan({ fields: [] }), /"fields"/);
    assertReported(plan({ fields: 'Title' }), /"fields"/);
  });

  test('several problems are all reported at once', () => {
    const errors = errorsOf(
      checkSpec({
        module: 'Bad Module',
        resource: 'func',
        plural: 'func',
        fields: [{ name: 'id', type: 'string[]', json: 'id', required: 'no' }],
        endpoints: [],
      }),
    );
    for (const needle of [/"module"/, /"resource"/, /"plural"/, /fields\[0\]\.name/, /fields\[0\]\.type/, /fields\[0\]\.json/, /fields\[0\]\.required/])
      assert.ok(
        errors.some((e) => needle.test(e)),
        `missing ${needle} in ${JSON.stringify(errors)}`,
      );
  });
});

describe('parsePlan', () => {
  test('prose around the JSON is ignored', () => {
    const answer = `Sure! Here is the plan:\n\n\`\`\`json\n${JSON.stringify(GOOD, null, 2)}\n\`\`\`\n\nLet me know if you want more fields.`;
    const result = parsePlan(answer);
    assert.equal(result.ok, true, JSON.stringify(result));
    assert.equal((result as { ok: true; spec: { resource: string } }).spec.resource, 'todo');
  });

  test('bare JSON works', () => assert.equal(parsePlan(JSON.stringify(GOOD)).ok, true));

  test('invalid JSON is reported as such', () => {
    const errors = errorsOf(parsePlan('{"module": "todo-api", "resource": "todo",}'));
    assert.equal(errors.length, 1);
    assert.match(errors[0], /not valid JSON/);
  });

  test('no JSON at all is reported as such', () => {
    for (const answer of ['I cannot help with that.', '', '} backwards {']) {
      const errors = errorsOf(parsePlan(answer));
      assert.deepEqual(errors, ['the answer holds no JSON object']);
    }
  });

  test('valid JSON with bad fields is reported with the schema errors', () => {
    const errors = errorsOf(parsePlan(`Plan: ${JSON.stringify(plan({ resource: '../x' }))}`));
    assert.ok(errors.some((e) => /"resource"/.test(e)));
  });
});

describe('parsePlan: near-misses code mends, each named', () => {
  test('lower-case field names, Go-cased json tags, type and required words, a missing plural and module', () => {
    const answer = JSON.stringify({
      resource: 'Category',
      fields: [
        { name: 'title', type: 'text', json: 'Title', required: 'true' },
        { name: 'due_date', type: 'datetime', required: 'false' },
        { json: 'priority', type: 'integer' },
        { name: 'ID', type: 'int', json: 'id', required: true },
      ],
      endpoints: [],
    });
    const result = parsePlan(answer);
    assert.equal(result.ok, true, JSON.stringify(result));
    const { spec, notes } = result as { ok: true; spec: ApiSpecLike; notes: string[] };
    assert.equal(spec.resource, 'category');
    assert.equal(spec.plural, 'categories');
    assert.equal(spec.module, 'category-api');
    assert.deepEqual(spec.fields, [
      { name: 'Title', type: 'string', json: 'title', required: true },
      { name: 'DueDate', type: 'string', json: 'dueDate', required: false },
      { name: 'Priority', type: 'int', json: 'priority', required: false },
    ]);
    for (const note of [
      'fields[0].name "title" → "Title"',
      'fields[0].json "Title" → "title"',
      'fields[1].type "datetime" → "string"',
      'plural null → "categories"',
      'fields[3] "ID" dropped',
    ])
      assert.ok(
        notes.some((n) => n.startsWith(note)),
        `no note ${note} in ${JSON.stringify(notes)}`,
      );
  });

  test('a required bool is mended to optional: false is a value the API must take', () => {
    const result = parsePlan(
      JSON.stringify(
        plan({
          fields: [
            { name: 'Title', type: 'string', json: 'title', required: true },
            { name: 'Status', type: 'boolean', json: 'status', required: true },
          ],
        }),
      ),
    );
    assert.equal(result.ok, true, JSON.stringify(result));
    const { spec, notes } = result as { ok: true; spec: ApiSpecLike; notes: string[] };
    assert.deepEqual(
      (spec.fields as FieldSpec[]).map((f) => [f.json, f.type, f.required]),
      [
        ['title', 'string', true],
        ['status', 'bool', false],
      ],
    );
    assert.ok(notes.includes("fields[1].required true → false: a bool's false is a value, not a missing field"), JSON.stringify(notes));
  });

  test("a module copied from the prompt's example is named after the request instead; a module the request backs is kept", () => {
    const moduleOf = (module: string, request: string, resource = 'book') => {
      const result = parsePlan(JSON.stringify(plan({ module, resource, plural: `${resource}s` })), request);
      assert.equal(result.ok, true, JSON.stringify(result));
      return [(result as { spec: ApiSpecLike }).spec.module, (result as { notes?: string[] }).notes ?? []] as const;
    };
    const [copied, notes] = moduleOf('library-api', 'REST API for a bookstore');
    assert.equal(copied, 'bookstore-api');
    assert.deepEqual(notes, ['module "library-api" → "bookstore-api": named after the request, not the prompt\'s example']);
    assert.equal(moduleOf('library-api', 'Build me a REST API for the recipe collection', 'recipe')[0], 'recipe-collection-api');
    // Backed by the request or the resource: kept, with no note.
    assert.deepEqual(moduleOf('book-api', 'REST API for a bookstore'), ['book-api', []]);
    assert.deepEqual(moduleOf('todo-api', 'REST API for todo list', 'todo'), ['todo-api', []]);
    assert.deepEqual(moduleOf('event-api', 'REST API for events', 'event'), ['event-api', []]);
    assert.deepEqual(moduleOf('shelf-api', 'REST API for a bookstore'), [
      'bookstore-api',
      [`module "shelf-api" → "bookstore-api": named after the request, not the prompt's example`],
    ]);
    // No request given (or nothing in it to name by): the model's module stands.
    assert.equal(moduleOf('library-api', '')[0], 'library-api');
    assert.equal(moduleOf('library-api', 'REST API for a')[0], 'library-api');
  });

  test('unsafe names are not mended into safe ones: they are still reported', () => {
    for (const bad of [{ resource: '../x' }, { module: '../evil' }, { resource: 'func', plural: 'funcs' }]) {
      assert.equal(parsePlan(JSON.stringify(plan(bad))).ok, false, JSON.stringify(bad));
    }
    assert.equal((parsePlan(JSON.stringify(GOOD)) as { notes?: string[] }).notes, undefined, 'a good plan has no notes');
  });
});

interface ApiSpecLike {
  module: string;
  resource: string;
  plural: string;
  fields: unknown[];
}
