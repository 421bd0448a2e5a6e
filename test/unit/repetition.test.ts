// A looping answer is recognised once the loop is evident; real text with repeats in it is not a loop.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { loopStart } from '../../core/repetition.js';

test('a block of lines repeated back to back: the first pass is kept', () => {
  const head = '# API\n\nIt stores todos.\n\n';
  const block = '## Usage\nRun it with go run ./cmd/server and call /todos.\n';
  const text = head + block.repeat(6);
  assert.equal(text.slice(0, loopStart(text)!), head + block);
});

test('a few words repeated within a line: the first pass is kept', () => {
  const text = 'The fields are title, ' + 'and the title, '.repeat(30);
  const kept = text.slice(0, loopStart(text)!);
  assert.ok(kept.startsWith('The fields are title, and th') && kept.length <= 'The fields are title, and the title, '.length, kept);
});

test('real files are not loops: Go code, a Markdown table, a blank run, two repeats', () => {
  const go = readFileSync(new URL('../fixtures/todo-api/internal/handlers/todo_handler.go', import.meta.url), 'utf8');
  assert.equal(loopStart(go), null);
  const table = '| a | b |\n|---|---|\n' + Array.from({ length: 30 }, (_, i) => `| ${i} | ${i * i} |`).join('\n') + '\n';
  assert.equal(loopStart(table), null);
  assert.equal(loopStart('text\n' + '\n'.repeat(500)), null);
  assert.equal(loopStart('## Usage\nRun it with go run ./cmd/server and call /todos.\n'.repeat(2)), null);
});

test('the loop is cut where it began, whichever rotation of the block is found at the end', () => {
  const head = '# todo-api\n\nA REST API for todos.\n\n';
  const block = '## Usage\n\nRun it with go run ./cmd/server.\n\n';
  for (let extra = 0; extra < block.length; extra += 7) {
    const text = head + block.repeat(8) + block.slice(0, extra);
    assert.equal(text.slice(0, loopStart(text) ?? text.length).trimEnd(), (head + block).trimEnd(), `cut at ${extra}`);
  }
});
