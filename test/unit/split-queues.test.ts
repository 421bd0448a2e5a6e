// Two kinds of work, two task queues: -serve's values, the model queue's name, and what a
// worker with its own model server does to a model call's input (endpoint and cache).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UsageError } from '../../client/flags.js';
import { parseArgs } from '../../client/args.js';
import { servedInput, withModelEndpoint } from '../../worker/model-endpoint.js';
import { modelTaskQueue } from '../../core/task-queues.js';

const llm = { serverUrl: 'http://cli-host:11434', model: 'm', options: {}, callTimeoutMs: 1, stallTimeoutMs: 1, maxOutputBytes: 1 };

describe('-serve and the model queue', () => {
  test('worker -serve takes a comma list of workflows, workspace, model; all three by default', () => {
    assert.equal(parseArgs(['worker']).flags.serve, 'workflows,workspace,model');
    assert.equal(parseArgs(['worker', '-serve', 'model']).flags.serve, 'model');
    assert.throws(
      () => parseArgs(['worker', '-serve', 'model,gpu']),
      (e: unknown) => e instanceof UsageError && /-serve takes a comma list/.test(e.message),
    );
    assert.throws(() => parseArgs(['worker', '-serve', 'model,model']), UsageError);
    assert.throws(() => parseArgs(['-serve', 'model']), /-serve is for worker/);
  });

  test('the model queue is named after the run’s queue', () => {
    assert.equal(modelTaskQueue('overnight-llm'), 'overnight-llm-model');
  });
});

describe('a model worker’s own endpoint and cache', () => {
  test('its URL and API replace the run’s in `llm` and in `serverUrl`; its cache replaces dbPath', () => {
    const endpoint = { serverUrl: 'http://gpu-box:8000', api: 'openai' as const, cacheDbPath: '/state/llm-cache.db' };
    assert.deepEqual(servedInput({ prompt: 'p', dbPath: '/run/poc.db', llm }, endpoint), {
      prompt: 'p',
      dbPath: '/state/llm-cache.db',
      llm: { ...llm, serverUrl: 'http://gpu-box:8000', api: 'openai' },
    });
    assert.deepEqual(servedInput({ serverUrl: 'http://cli-host:11434', api: 'openai', since: 's' }, { serverUrl: 'http://ollama:11434' }), {
      serverUrl: 'http://ollama:11434',
      since: 's',
    });
  });

  test('its -llm-server replaces the run’s (in `llm` and in a preflight input); a worker without one drops the run’s, to detect its own', () => {
    const runLlm = { ...llm, api: 'openai' as const, server: 'tgi' as const };
    const vllm = { serverUrl: 'http://gpu-box:8000', api: 'openai' as const, server: 'vllm' as const };
    assert.deepEqual(servedInput({ llm: runLlm }, vllm), { llm: { ...llm, serverUrl: 'http://gpu-box:8000', api: 'openai', server: 'vllm' } });
    assert.deepEqual(servedInput({ serverUrl: 'u', api: 'openai', server: 'tgi', model: 'm' }, vllm), {
      serverUrl: 'http://gpu-box:8000',
      api: 'openai',
      server: 'vllm',
      model: 'm',
    });
    const detecting = { serverUrl: 'http://gpu-box:8000', api: 'openai' as const };
    assert.deepEqual(servedInput({ llm: runLlm }, detecting), { llm: { ...llm, serverUrl: 'http://gpu-box:8000', api: 'openai' } });
    assert.deepEqual(servedInput({ serverUrl: 'u', api: 'openai', server: 'tgi' }, detecting), { serverUrl: 'http://gpu-box:8000', api: 'openai' });
  });

  test('a worker with no endpoint of its own serves the run’s, unchanged', async () => {
    const echo = { planApi: async (input: unknown) => input };
    assert.equal(withModelEndpoint(echo, {}), echo);
    const input = { dbPath: '/run/poc.db', llm };
    assert.deepEqual(await withModelEndpoint(echo, { cacheDbPath: '/c.db' }).planApi(input as never), { ...input, dbPath: '/c.db' });
  });
});
