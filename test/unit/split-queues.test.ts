// Two kinds of work, two task queues: -serve's values, the model queue's name, and what a
// worker with its own model server and cache does to a model call.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UsageError } from '../../client/flags.js';
import { parseArgs } from '../../client/args.js';
import { createModelActivities, onServer, servesCalls, servesProbes } from '../../activities/model-activities.js';
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

describe('a model worker’s own server and cache', () => {
  /** An activity that answers with the input it was served. */
  const echo =
    <I>() =>
    async (input: I) =>
      input;

  test('its URL and API replace the run’s in a model call’s `llm`; its cache replaces dbPath', async () => {
    const owns = { server: { serverUrl: 'http://gpu-box:8000', api: 'openai' as const }, cacheDbPath: '/state/llm-cache.db' };
    assert.deepEqual(await servesCalls(owns)(echo<{ prompt: string; dbPath: string; llm: typeof llm }>())({ prompt: 'p', dbPath: '/run/poc.db', llm }), {
      prompt: 'p',
      dbPath: '/state/llm-cache.db',
      llm: { ...llm, serverUrl: 'http://gpu-box:8000', api: 'openai' },
    });
  });

  test('its URL replaces the run’s in a question to the server (the wait, the preflight); Ollama’s API is not written out', async () => {
    assert.deepEqual(
      await servesProbes({ server: { serverUrl: 'http://ollama:11434' } })(echo<{ serverUrl: string; api?: 'openai'; since: string }>())({
        serverUrl: 'http://cli-host:11434',
        api: 'openai' as const,
        since: 's',
      }),
      {
        serverUrl: 'http://ollama:11434',
        since: 's',
      },
    );
  });

  test('its -llm-server replaces the run’s; a worker without one drops the run’s, to detect its own', () => {
    const runLlm = { ...llm, api: 'openai' as const, server: 'tgi' as const };
    const vllm = { serverUrl: 'http://gpu-box:8000', api: 'openai' as const, server: 'vllm' as const };
    assert.deepEqual(onServer(runLlm, vllm), { ...llm, serverUrl: 'http://gpu-box:8000', api: 'openai', server: 'vllm' });
    const detecting = { serverUrl: 'http://gpu-box:8000', api: 'openai' as const };
    assert.deepEqual(onServer(runLlm, detecting), { ...llm, serverUrl: 'http://gpu-box:8000', api: 'openai' });
  });

  test('a worker with no server of its own serves the run’s, unchanged, and keeps the run’s cache unless it has one', async () => {
    const input = { dbPath: '/run/poc.db', llm: { ...llm, api: 'openai' as const, server: 'vllm' as const } };
    assert.deepEqual(await servesCalls({})(echo<typeof input>())(input), input);
    assert.deepEqual(await servesCalls({ cacheDbPath: '/c.db' })(echo<typeof input>())(input), { ...input, dbPath: '/c.db' });
  });

  test('the model set holds the model calls only', () => {
    const names = Object.keys(createModelActivities()).sort();
    assert.deepEqual(names, [
      'answerFile',
      'behaviourCandidate',
      'checkModelServer',
      'filterExamples',
      'functionCandidate',
      'planApi',
      'proposeTestCases',
      'waitForModelServer',
      'waitForOllama',
    ]);
  });
});
