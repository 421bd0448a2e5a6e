import { test } from 'node:test';
import assert from 'node:assert/strict';
import { totalCoverage } from '../../activities/go/coverage.js';

// Captured from `go tool cover -func=cover.out` on test/fixtures/todo-api (Go 1.26).
const FUNC_OUTPUT = [
  'todo-api/cmd/server/main.go:13:\t\t\tmain\t\t\t0.0%',
  'todo-api/internal/handlers/todo_handler.go:20:\tNewTodoHandler\t\t100.0%',
  'todo-api/internal/handlers/todo_handler.go:118:\twriteRepoError\t\t75.0%',
  'todo-api/internal/repository/todo_repo.go:73:\tDelete\t\t\t100.0%',
  'total:\t\t\t\t\t\t(statements)\t\t93.3%',
  '',
].join('\n');

test('reads the total line of go tool cover -func', () => {
  assert.equal(totalCoverage(FUNC_OUTPUT), 93.3);
});

test('reads whole and zero percentages', () => {
  assert.equal(totalCoverage('total:\t(statements)\t100%\n'), 100);
  assert.equal(totalCoverage('total:\t(statements)\t0.0%'), 0);
});

test('is null when there is no total line', () => {
  assert.equal(totalCoverage(''), null);
  assert.equal(totalCoverage('todo-api/cmd/server/main.go:13:\tmain\t0.0%\n'), null);
  assert.equal(totalCoverage('cover: open cover.out: no such file or directory\n'), null);
});

test('ignores a function that happens to be called total', () => {
  assert.equal(totalCoverage('todo-api/internal/x.go:3:\ttotal\t50.0%\n'), null);
});
