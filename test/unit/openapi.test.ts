// openapi.yaml as code writes it from the plan (core/openapi.ts): a valid OpenAPI 3.1 document
// (checked by a validator from npm, not by our own code) with every route and every status code of
// docs/generated-api.md, and every rule of the plan as a schema constraint.
import { Validator } from '@seriousme/openapi-schema-validator';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { openApiFor } from '../../core/openapi.js';
import { EDGE_PLAN, LIBRARY_PLAN, TODO_PLAN } from '../../core/go/sample-plans.js';
import type { Plan } from '../../core/plan.js';
import { schemathesisConfig } from '../support/schemathesis.js';

interface Operation {
  operationId: string;
  parameters?: Record<string, unknown>[];
  requestBody?: { required: boolean; content: Record<string, { schema: { $ref: string } }> };
  responses: Record<
    string,
    { content?: Record<string, { schema: Record<string, unknown> }>; headers?: Record<string, { required: boolean; schema: { pattern: string } }> }
  >;
  'x-rules-in-words'?: string[];
}
type Doc = {
  openapi: string;
  info: { title: string };
  paths: Record<string, Record<string, Operation> & { parameters?: { $ref: string }[] }>;
  components: {
    parameters: Record<string, { name: string; in: string; description?: string; schema: Record<string, unknown> }>;
    schemas: Record<string, Record<string, any>>;
  };
};

const METHODS = ['get', 'post', 'put', 'delete'];

/** The document, validated, with integers as BigInt so int64 bounds compare exactly. */
async function documentFor(plan: Plan): Promise<Doc> {
  const text = openApiFor(plan);
  const result = await new Validator().validate(text);
  assert.equal(result.valid, true, JSON.stringify(result.errors));
  return parse(text, { intAsBigInt: true }) as Doc;
}

const operations = (doc: Doc) =>
  Object.entries(doc.paths).flatMap(([route, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, op]) => ({ key: `${method.toUpperCase()} ${route}`, op: op as Operation })),
  );

/** "METHOD /path STATUS" for every response the document lists. */
const responses = (doc: Doc) => operations(doc).flatMap(({ key, op }) => Object.keys(op.responses).map((status) => `${key} ${status}`));

/** A query parameter of an operation, its $ref resolved. */
function queryParameters(doc: Doc, op: Operation): Record<string, Record<string, unknown>> {
  const params = (op.parameters ?? []).map((p) =>
    typeof p.$ref === 'string'
      ? doc.components.parameters[p.$ref.replace('#/components/parameters/', '')]
      : (p as { name: string; in: string; schema: Record<string, unknown> }),
  );
  return Object.fromEntries(params.filter((p) => p.in === 'query').map((p) => [p.name, p.schema]));
}

const INT64_MAX = 9223372036854775807n;

describe('openapi.yaml from the plan', () => {
  test('a todo plan: valid OpenAPI 3.1, every status code of the contract, the rules as constraints', async () => {
    const doc = await documentFor(TODO_PLAN);
    assert.equal(doc.openapi, '3.1.0');
    assert.equal(doc.info.title, 'todo-api');
    assert.deepEqual(responses(doc).sort(), [
      'DELETE /todos/{id} 204',
      'DELETE /todos/{id} 400',
      'DELETE /todos/{id} 404',
      'GET /todos 200',
      'GET /todos 400',
      'GET /todos/{id} 200',
      'GET /todos/{id} 400',
      'GET /todos/{id} 404',
      'POST /todos 201',
      'POST /todos 400',
      'POST /todos 413',
      'PUT /todos/{id} 200',
      'PUT /todos/{id} 400',
      'PUT /todos/{id} 404',
      'PUT /todos/{id} 413',
    ]);
    assert.deepEqual(
      operations(doc).map(({ op }) => op.operationId),
      ['listTodos', 'createTodo', 'getTodo', 'replaceTodo', 'deleteTodo'],
    );
    const { Todo, TodoInput, Error } = doc.components.schemas;
    assert.deepEqual(Error, {
      type: 'object',
      description: Error.description,
      required: ['error'],
      additionalProperties: false,
      properties: { error: { type: 'string' } },
    });
    assert.deepEqual(TodoInput, {
      type: 'object',
      required: ['title'],
      additionalProperties: false,
      properties: { title: { type: 'string', minLength: 1n }, done: { type: 'boolean', default: false } },
    });
    assert.deepEqual(Todo.required, ['id', 'title', 'done']);
    assert.equal(Todo.additionalProperties, false);
    assert.deepEqual(Todo.properties.id, { type: 'integer', format: 'int64', minimum: 1n, maximum: INT64_MAX, readOnly: true });
    // Every error answer is {error}; 201 says where the item is; 204 has no body.
    for (const { key, op } of operations(doc))
      for (const [status, response] of Object.entries(op.responses)) {
        if (status >= '400') assert.deepEqual(response.content?.['application/json'].schema, { $ref: '#/components/schemas/Error' }, `${key} ${status}`);
        if (status === '204') assert.equal(response.content, undefined);
      }
    const created = doc.paths['/todos'].post.responses['201'];
    assert.equal(created.headers?.Location.required, true);
    assert.equal(created.headers?.Location.schema.pattern, '^/todos/[1-9][0-9]*$');
    assert.deepEqual(doc.paths['/todos'].post.requestBody, {
      required: true,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/TodoInput' } } },
    });
    assert.deepEqual(doc.paths['/todos/{id}'].parameters, [{ $ref: '#/components/parameters/Id' }]);
    assert.deepEqual(doc.components.parameters.Id, {
      name: 'id',
      in: 'path',
      required: true,
      description: doc.components.parameters.Id.description,
      schema: { type: 'integer', format: 'int64', minimum: 1n, maximum: INT64_MAX },
    });
    assert.deepEqual(queryParameters(doc, doc.paths['/todos'].get), {
      limit: { type: 'integer', minimum: 1n, maximum: 1000n, default: 100n },
      offset: { type: 'integer', format: 'int64', minimum: 0n, maximum: INT64_MAX, default: 0n },
      done: { type: 'boolean' },
    });
  });

  test('authors and books: nested list, action, 409 and 422 where they apply, every field rule, filters by value and in words', async () => {
    const doc = await documentFor(LIBRARY_PLAN);
    const all = responses(doc);
    assert.deepEqual(
      all.filter((r) => r.startsWith('GET /authors/{id}/books') || r.startsWith('POST /books/{id}/checkout')),
      [
        'GET /authors/{id}/books 200',
        'GET /authors/{id}/books 400',
        'GET /authors/{id}/books 404',
        'POST /books/{id}/checkout 200',
        'POST /books/{id}/checkout 400',
        'POST /books/{id}/checkout 404',
        'POST /books/{id}/checkout 409',
      ],
    );
    // 409: a unique value taken (both have one), an author with books, an action refusing; 422: a book's author missing.
    assert.deepEqual(
      all.filter((r) => / (409|422)$/.test(r)),
      [
        'POST /authors 409',
        'PUT /authors/{id} 409',
        'DELETE /authors/{id} 409',
        'POST /books 409',
        'POST /books 422',
        'PUT /books/{id} 409',
        'PUT /books/{id} 422',
        'POST /books/{id}/checkout 409',
      ],
    );
    assert.deepEqual(
      all.filter((r) => r.endsWith(' 413')),
      ['POST /authors 413', 'PUT /authors/{id} 413', 'POST /books 413', 'PUT /books/{id} 413'],
      'only bodies are too large',
    );
    assert.equal(doc.paths['/books/{id}/checkout'].post.requestBody, undefined);
    assert.deepEqual(doc.paths['/books/{id}/checkout'].parameters, [{ $ref: '#/components/parameters/Id' }]);
    assert.deepEqual(doc.paths['/books'].post['x-rules-in-words'], ['titleNotIsbn']);
    assert.deepEqual(doc.paths['/books/{id}'].put['x-rules-in-words'], ['titleNotIsbn']);
    assert.equal(doc.paths['/books/{id}/checkout'].post['x-rules-in-words'], undefined);
    assert.equal(doc.paths['/authors'].post['x-rules-in-words'], undefined);
    assert.deepEqual(
      operations(doc).map(({ op }) => op.operationId),
      [
        'listAuthors',
        'createAuthor',
        'getAuthor',
        'replaceAuthor',
        'deleteAuthor',
        'listBooksOfAuthor',
        'listBooks',
        'createBook',
        'getBook',
        'replaceBook',
        'deleteBook',
        'checkoutBook',
      ],
    );

    const { AuthorInput, Book, BookInput } = doc.components.schemas;
    assert.deepEqual(AuthorInput.required, ['name', 'email']);
    assert.equal(AuthorInput.additionalProperties, false);
    assert.deepEqual(AuthorInput.properties.name, { type: 'string', minLength: 2n, maxLength: 100n });
    assert.deepEqual(AuthorInput.properties.email, { type: 'string', minLength: 1n, format: 'email', description: AuthorInput.properties.email.description });
    assert.match(AuthorInput.properties.email.description, /Unique.*409/);
    assert.deepEqual(AuthorInput.properties.website, { type: 'string', format: 'uri', pattern: '^https?://[^/?#]' });

    assert.deepEqual(BookInput.required, ['authorId', 'title', 'isbn']);
    assert.equal(BookInput.additionalProperties, false);
    assert.match(BookInput.description, /titleNotIsbn/);
    const p = BookInput.properties;
    assert.deepEqual(Object.keys(p), ['authorId', 'title', 'isbn', 'genre', 'published', 'pages', 'rating', 'available', 'lastBorrowedAt']);
    assert.deepEqual(p.authorId, { type: 'integer', format: 'int64', minimum: 1n, maximum: INT64_MAX, description: p.authorId.description });
    assert.match(p.authorId.description, /422/);
    assert.deepEqual(p.title, { type: 'string', minLength: 1n, maxLength: 200n });
    assert.deepEqual(p.isbn, { type: 'string', minLength: 1n, description: p.isbn.description });
    assert.match(p.isbn.description, /Unique/);
    assert.deepEqual(p.genre, { type: 'string', enum: ['fiction', 'science', 'history'], default: 'fiction' });
    assert.deepEqual(p.published, { type: 'string', format: 'date' });
    assert.deepEqual(p.pages, { type: 'integer', format: 'int64', minimum: 1n, maximum: 5000n });
    assert.deepEqual(p.rating, { type: 'number', format: 'double', minimum: 0n, maximum: 5n });
    assert.deepEqual(p.available, { type: 'boolean', default: true });
    assert.deepEqual(p.lastBorrowedAt, { type: 'string', format: 'date-time' });
    // An item always has its id, its required fields, its parent's id and the fields with a default.
    assert.deepEqual(Book.required, ['id', 'authorId', 'title', 'isbn', 'genre', 'available']);
    assert.equal(Book.additionalProperties, false);
    assert.equal(Book.properties.id.readOnly, true);

    const list = queryParameters(doc, doc.paths['/books'].get);
    assert.deepEqual(list, queryParameters(doc, doc.paths['/authors/{id}/books'].get), 'a nested list takes the same parameters');
    assert.deepEqual(Object.keys(list), ['limit', 'offset', 'genre', 'authorId', 'published', 'recent']);
    assert.deepEqual(list.genre, { type: 'string', enum: ['fiction', 'science', 'history'] });
    // A filter takes any value of the field's type; one outside its min (a parent id of 0) matches nothing.
    assert.deepEqual(list.authorId, { type: 'integer', format: 'int64', minimum: -9223372036854775808n, maximum: INT64_MAX });
    assert.deepEqual(list.published, { type: 'string', format: 'date' });
    assert.deepEqual(list.recent, { type: 'boolean' });
    assert.deepEqual(doc.paths['/authors/{id}/books'].get.responses['200'].content?.['application/json'].schema, {
      type: 'array',
      items: { $ref: '#/components/schemas/Book' },
    });
  });

  test('names and rules Go or YAML could trip on: a resource called date, a module path, a string filter, defaults of each type', async () => {
    const doc = await documentFor(EDGE_PLAN);
    assert.equal(doc.info.title, 'example.com/edge/api');
    const ids = operations(doc).map(({ op }) => op.operationId);
    assert.equal(new Set(ids).size, ids.length);
    const { DateInput } = doc.components.schemas;
    assert.deepEqual(DateInput.required, ['day', 'kind', 'count']);
    assert.deepEqual(DateInput.properties.note, { type: 'string', maxLength: 10n }, 'an optional string may be empty');
    assert.deepEqual(DateInput.properties.count, { type: 'integer', format: 'int64', minimum: -5n, maximum: 5n });
    assert.deepEqual(DateInput.properties.score, { type: 'number', format: 'double', default: 1.5 });
    assert.deepEqual(DateInput.properties.start, { type: 'string', format: 'date', default: '2024-01-01' });
    assert.deepEqual(DateInput.properties.kind, { type: 'string', enum: ['in_person', 'online'] });
    assert.deepEqual(queryParameters(doc, doc.paths['/dates'].get).note, { type: 'string' });
    assert.deepEqual(doc.components.schemas.Date.required, ['id', 'day', 'kind', 'count', 'score', 'start']);
  });

  test('an action named like a standard operation gets an operationId of its own', async () => {
    const plan: Plan = {
      module: 'odd-api',
      resources: [
        {
          name: 'note',
          plural: 'notes',
          fields: [{ name: 'text', type: 'string', required: true }],
          filters: [],
          actions: [{ name: 'get', description: 'x' }],
          rules: [],
        },
      ],
      notBuilt: [],
    };
    const doc = await documentFor(plan);
    const ids = operations(doc).map(({ op }) => op.operationId);
    assert.equal(new Set(ids).size, ids.length);
    assert.equal(doc.paths['/notes/{id}/get'].post.operationId, 'getNoteAction');
  });

  test("Schemathesis's statuses for each operation, from the document (test/support/schemathesis.ts)", () => {
    const config = schemathesisConfig(openApiFor(LIBRARY_PLAN));
    const blocks = config
      .split('[[operations]]')
      .slice(1)
      .map((b) => b.trim().split('\n'));
    const byIds = Object.fromEntries(
      blocks.map(([ids, ...rest]) => [
        ids.replace('include-operation-id = ', ''),
        rest.map((l) => l.replace(/^checks\.|\.expected-statuses/g, '')).join(' | '),
      ]),
    );
    assert.deepEqual(byIds, {
      '["listAuthors", "getAuthor", "deleteAuthor", "listBooks", "getBook", "deleteBook", "checkoutBook"]':
        'negative_data_rejection = ["400", "5xx"] | positive_data_acceptance = ["2xx", "404", "409", "413", "422", "5xx"]',
      '["createAuthor"]': 'negative_data_rejection = ["400", "409", "413", "5xx"] | positive_data_acceptance = ["2xx", "404", "409", "413", "422", "5xx"]',
      '["replaceAuthor"]':
        'negative_data_rejection = ["400", "404", "409", "413", "5xx"] | positive_data_acceptance = ["2xx", "404", "409", "413", "422", "5xx"]',
      '["listBooksOfAuthor"]': 'negative_data_rejection = ["400", "404", "5xx"] | positive_data_acceptance = ["2xx", "404", "409", "413", "422", "5xx"]',
      '["createBook"]':
        'negative_data_rejection = ["400", "409", "422", "413", "5xx"] | positive_data_acceptance = ["400", "2xx", "404", "409", "413", "422", "5xx"]',
      '["replaceBook"]':
        'negative_data_rejection = ["400", "404", "409", "422", "413", "5xx"] | positive_data_acceptance = ["400", "2xx", "404", "409", "413", "422", "5xx"]',
    });
  });
});
