// The parts of test/support/check-api.ts that need no Go toolchain and no server: where the
// spec comes from, the request body, the coverage total.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { coverageTotal, fieldsFromModels, pluralFromHandlers, sampleBody, specFromOutput, type CheckSpec } from '../support/check-api.js';

const FIXTURE_DIR = fileURLToPath(new URL('../fixtures/todo-api/', import.meta.url));

const TODO_FIELDS: CheckSpec['fields'] = [
  { name: 'ID', type: 'int', json: 'id', required: true },
  { name: 'Title', type: 'string', json: 'title', required: true },
  { name: 'Description', type: 'string', json: 'description', required: true },
  { name: 'Completed', type: 'bool', json: 'completed', required: true },
];

test('specFromOutput reads module and resource from the marker, plural and fields from the Go files', (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'check-api-unit-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(FIXTURE_DIR, dir, { recursive: true });
  assert.throws(() => specFromOutput(dir), /no \.overnight-llm\.json/);
  writeFileSync(path.join(dir, '.overnight-llm.json'), JSON.stringify({ workflowId: 'w', module: 'todo-api', resource: 'todo' }));
  assert.deepEqual(specFromOutput(dir), { module: 'todo-api', resource: 'todo', plural: 'todos', fields: TODO_FIELDS });
  // Recorded ones win over what the files say.
  writeFileSync(
    path.join(dir, '.overnight-llm.json'),
    JSON.stringify({ module: 'todo-api', resource: 'todo', plural: 'tasks', fields: TODO_FIELDS.slice(1, 2) }),
  );
  assert.deepEqual(specFromOutput(dir), { module: 'todo-api', resource: 'todo', plural: 'tasks', fields: TODO_FIELDS.slice(1, 2) });
});

test("specFromOutput reads -strategy plan's marker (its resources) and its handlers.go and models.go", (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'check-api-unit-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(path.join(dir, 'internal/handlers'), { recursive: true });
  mkdirSync(path.join(dir, 'internal/models'), { recursive: true });
  writeFileSync(path.join(dir, '.overnight-llm.json'), JSON.stringify({ workflowId: 'w', module: 'library', resources: ['book', 'author'] }));
  writeFileSync(
    path.join(dir, 'internal/handlers/handlers.go'),
    'a.mux.HandleFunc("GET /books", a.listBooks)\na.mux.HandleFunc("GET /authors", a.listAuthors)\n',
  );
  writeFileSync(
    path.join(dir, 'internal/models/models.go'),
    'type Author struct {\n\tName string `json:"name"`\n}\n\ntype Book struct {\n\tID int64 `json:"id"`\n\tTitle string `json:"title"`\n\tLost *bool `json:"lost,omitempty"`\n}\n',
  );
  assert.deepEqual(specFromOutput(dir), {
    module: 'library',
    resource: 'book',
    plural: 'books',
    fields: [
      { name: 'ID', type: 'int64', json: 'id', required: true },
      { name: 'Title', type: 'string', json: 'title', required: true },
      { name: 'Lost', type: 'bool', json: 'lost', required: false },
    ],
  });
});

test('fieldsFromModels maps Go types, omitempty and skips what a sample cannot fill', () => {
  const source = `package models

import "time"

type Helper struct{ X int }

type Book struct {
	ID        int64     \`json:"id"\`
	Title     string    \`json:"title" validate:"required"\`
	Price     float32   \`json:"price,omitempty"\`
	InStock   *bool     \`json:"in_stock"\`
	CreatedAt time.Time \`json:"created_at"\`
	Secret    string    \`json:"-"\`
}
`;
  assert.deepEqual(fieldsFromModels(source, 'book'), [
    { name: 'ID', type: 'int64', json: 'id', required: true },
    { name: 'Title', type: 'string', json: 'title', required: true },
    { name: 'Price', type: 'float64', json: 'price', required: false },
    { name: 'InStock', type: 'bool', json: 'in_stock', required: true },
  ]);
  assert.deepEqual(fieldsFromModels('package models\n', 'book'), []);
});

test('pluralFromHandlers reads Go 1.22 patterns and older HandleFunc paths', () => {
  assert.equal(pluralFromHandlers('mux.HandleFunc("GET /books/{id}", h.Get)'), 'books');
  assert.equal(pluralFromHandlers('http.HandleFunc("/events/", h.ServeHTTP)'), 'events');
  assert.equal(pluralFromHandlers('package handlers'), null);
});

test('sampleBody fills every field but the id', () => {
  const fields: CheckSpec['fields'] = [
    ...TODO_FIELDS,
    { name: 'Price', type: 'float64', json: 'price', required: false },
    { name: 'Qty', type: 'int64', json: 'qty', required: true },
  ];
  assert.deepEqual(sampleBody({ resource: 'todo', plural: 'todos', fields }), {
    title: 'sample title',
    description: 'sample description',
    completed: true,
    price: 1.5,
    qty: 7,
  });
  assert.equal(sampleBody({ resource: 'todo', plural: 'todos', fields }, true).completed, false, 'the PUT sends false: an API must take it as a value');
});

test('coverageTotal reads the total line of go tool cover -func', () => {
  assert.equal(coverageTotal('todo-api/x.go:3:\tf\t50.0%\ntotal:\t\t(statements)\t\t72.4%\n'), 72.4);
  assert.equal(coverageTotal('cover: open cover.out: no such file'), null);
});
