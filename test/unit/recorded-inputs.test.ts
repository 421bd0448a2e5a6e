// Inputs recorded by 0.1.0 (docs/versioning.md): a run started then, and the activities it
// scheduled, name the model server's URL `ollamaUrl`; this release reads them as `serverUrl`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MODEL_SERVER_GONE, MODEL_SERVER_GONE_TYPES, serverName, withServerUrl } from '../../core/types.js';

test("a 0.1.0 run's input and its activities' inputs get serverUrl, at the top and in llm", () => {
  const run = { prompt: 'p', llm: { ollamaUrl: 'http://127.0.0.1:11434', model: 'm' } };
  assert.deepEqual(withServerUrl(run), { prompt: 'p', llm: { serverUrl: 'http://127.0.0.1:11434', model: 'm' } });
  assert.deepEqual(withServerUrl({ ollamaUrl: 'http://h:1', since: 's' }), { serverUrl: 'http://h:1', since: 's' });
});

test("today's inputs pass unchanged, and so does what is not an object", () => {
  const today = { llm: { serverUrl: 'http://h:1', model: 'm' }, serverUrl: 'http://h:1' };
  assert.deepEqual(withServerUrl(today), today);
  assert.equal(withServerUrl('text'), 'text');
  assert.equal(withServerUrl(null), null);
});

test("a model server's absence keeps 0.1.0's failure type readable; messages name the server one way", () => {
  assert.deepEqual([...MODEL_SERVER_GONE_TYPES], [MODEL_SERVER_GONE, 'OllamaUnreachable']);
  assert.equal(serverName('http://h:8000', 'openai'), 'the model server at http://h:8000');
  assert.equal(serverName('http://h:11434', undefined), 'Ollama');
});
