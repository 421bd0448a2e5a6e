// chatOnce, preflight and waitForModelServer over the OpenAI-compatible API (llm.api 'openai')
// against the scripted Ollama's /v1: the same streaming, usage, cut-off, cache, caps and
// failures as the native API, the API key sent as a bearer token and shown nowhere.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { cacheKey } from '../../activities/llm/chat.js';
import { waitForModelServer } from '../../activities/llm/wait-for-model-server.js';
import { API_KEY_VARIABLE } from '../../activities/llm/openai.js';
import { preflight } from '../../activities/preflight.js';
import { MODEL_SERVER_GONE, type PreflightResult } from '../../core/types.js';
import { MODELS_FILE, chatInput, cleanUpChatInputs, closedPort, failure, quietEnv, runChat, withServer } from '../support/chat-activity.js';
import { FIXTURE_DIR, tmpDir } from '../support/run-fixtures.js';
import { fencedAnswer } from '../support/scripted-ollama.js';

after(cleanUpChatInputs);
afterEach(() => delete process.env[API_KEY_VARIABLE]);

const OPENAI = { api: 'openai' as const };
const EXPECTED = fencedAnswer(MODELS_FILE, readFileSync(path.join(FIXTURE_DIR, MODELS_FILE), 'utf8'));

describe('chatOnce over the OpenAI-compatible API', () => {
  it('streams the answer from /v1/chat/completions, with usage from the usage chunk and growing heartbeats', async () => {
    await withServer({}, async (server) => {
      const input = chatInput(server, OPENAI);
      const { beats, result } = runChat(input);
      const out = await result;
      assert.equal(out.content, EXPECTED);
      assert.equal(out.cutOff, false);
      const promptChars = input.messages.reduce((n, m) => n + m.content.length, 0);
      assert.equal(out.usage.tokensIn, Math.ceil(promptChars / 4)); // usage.prompt_tokens
      assert.equal(out.usage.tokensOut, Math.ceil(Array.from(EXPECTED).length / 4)); // usage.completion_tokens
      assert.equal(out.usage.cached, false);
      assert.deepEqual(
        server.requests.map((r) => `${r.method} ${r.path}`),
        ['POST /v1/chat/completions'],
      );
      assert.equal(server.calls[0]!.path, '/v1/chat/completions');
      assert.equal(server.calls[0]!.seed, input.llm.options.seed, 'the seed reached the model');
      assert.ok(beats.length >= 3, `only ${beats.length} heartbeats`);
      for (let i = 1; i < beats.length; i++) assert.ok(beats[i]!.tokens > beats[i - 1]!.tokens, 'tokens must grow');
      assert.equal(beats.at(-1)!.bytes, Buffer.byteLength(EXPECTED));
    });
  });

  it('an answer stopped at num_predict (max_tokens, finish_reason "length") is cut off', async () => {
    await withServer({}, async (server) => {
      const input = chatInput(server, { ...OPENAI });
      input.llm = { ...input.llm, options: { ...input.llm.options, num_predict: 5 } };
      const out = await runChat(input).result;
      assert.equal(out.cutOff, true);
      assert.equal(out.usage.tokensOut, 5);
      assert.equal(out.content, Array.from(EXPECTED).slice(0, 20).join(''));
    });
  });

  it("answers again from the cache, keyed apart from the native API's answers; native keys are as before", async () => {
    await withServer({}, async (server) => {
      const openai = chatInput(server, OPENAI);
      const first = await runChat(openai).result;
      const second = await runChat(openai).result;
      assert.equal(server.calls.length, 1, 'the cached call must not reach the server');
      assert.deepEqual([second.content, second.usage.cached, second.usage.tokensIn], [first.content, true, first.usage.tokensIn]);
      // The same question over the native API, in the same mirror: asked anew, then cached on its own.
      const native = { ...openai, llm: { ...openai.llm, api: undefined } };
      assert.equal((await runChat(native).result).usage.cached, false);
      assert.equal(server.calls.at(-1)!.path, '/api/chat');
      assert.equal((await runChat(native).result).usage.cached, true);
      assert.equal((await runChat(openai).result).usage.cached, true);
      assert.equal(server.calls.length, 2);
      // An explicit 'ollama' is the native API: the keys cached before `api` existed still match.
      const key = (api?: 'ollama' | 'openai') => cacheKey({ ...openai.llm, api }, openai.messages, undefined);
      const { model, options } = openai.llm;
      const before = createHash('sha256')
        .update(JSON.stringify({ model, options, messages: openai.messages, format: null }))
        .digest('hex');
      assert.equal(key(undefined), before, 'a native key is what it was before -llm-api existed');
      assert.equal(key('ollama'), before);
      assert.notEqual(key('openai'), key(undefined));
    });
  });

  it('sends $OVERNIGHT_LLM_API_KEY as a bearer token, read at call time, and shows it nowhere', async () => {
    const KEY = 'sk-test-0123456789abcdef';
    await withServer({ apiKey: KEY }, async (server) => {
      process.env[API_KEY_VARIABLE] = KEY;
      const out = await runChat(chatInput(server, OPENAI)).result;
      assert.equal(out.content, EXPECTED);
      assert.equal(server.requests.at(-1)!.authorization, `Bearer ${KEY}`);
      assert.ok(!JSON.stringify(out).includes(KEY));
    });
  });

  it('a refused key is Unauthorized, not retryable, says to set the variable, and does not echo the key', async () => {
    const WRONG = 'sk-wrong-fedcba9876543210';
    await withServer({ apiKey: 'sk-right' }, async (server) => {
      process.env[API_KEY_VARIABLE] = WRONG;
      const f = await failure(runChat(chatInput(server, OPENAI)).result);
      assert.equal(f.type, 'Unauthorized');
      assert.equal(f.nonRetryable, true);
      assert.match(f.message, new RegExp(`^the model server at ${server.url} refused the request \\(401\\): .*set ${API_KEY_VARIABLE}`));
      assert.ok(!f.message.includes(WRONG), f.message);
      delete process.env[API_KEY_VARIABLE];
      assert.match((await failure(runChat(chatInput(server, OPENAI)).result)).message, /didn't provide an API key/);
    });
  });

  it('a closed port is the same MODEL_SERVER_GONE failure (the workflow waits for it), in words for any server', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const f = await failure(runChat(chatInput({ url }, OPENAI)).result);
    assert.equal(f.type, MODEL_SERVER_GONE);
    assert.equal(f.nonRetryable, true);
    assert.equal(f.message, `the model server at ${url} is not reachable: start it (or pass -ollama URL)`);
  });

  it('an unknown model is ModelNotFound without `ollama pull` advice', async () => {
    await withServer({}, async (server) => {
      const f = await failure(runChat(chatInput(server, { ...OPENAI, model: 'nosuchmodel:1b' })).result);
      assert.equal(f.type, 'ModelNotFound');
      assert.equal(f.nonRetryable, true);
      assert.match(f.message, /model "nosuchmodel:1b" not found at the model server .*\/v1\/models/);
      assert.doesNotMatch(f.message, /ollama pull/);
    });
  });

  it('a 404 that names no model (no such endpoint there) is InvalidRequest, not retried, and says what -ollama takes', async () => {
    await withServer({}, async (server) => {
      const f = await failure(runChat(chatInput({ url: `${server.url}/elsewhere` }, OPENAI)).result);
      assert.equal(f.type, 'InvalidRequest');
      assert.equal(f.nonRetryable, true);
      assert.match(f.message, /has no \/v1\/chat\/completions \(404: 404 page not found\): is it an OpenAI-compatible server\?/);
    });
  });

  it('a prompt that used all of num_ctx is PromptTruncated, by the prompt tokens the server reports', async () => {
    await withServer({}, async (server) => {
      const input = chatInput(server, OPENAI);
      input.llm = { ...input.llm, options: { ...input.llm.options, num_ctx: 512 } };
      input.messages[1]!.content += '\n' + 'A line of context the model must see. '.repeat(200);
      const f = await failure(runChat(input).result);
      assert.equal(f.type, 'PromptTruncated');
      assert.match(f.message, /num_ctx 512 tokens.*raise -num-ctx/);
    });
  });

  it('an answer over maxOutputBytes is OutputTooLarge and not cached', async () => {
    const cap = 256 * 1024;
    await withServer({ fault: (_req, i) => (i === 0 ? { fault: 'oversized', bytes: 4 * 1024 * 1024 } : undefined) }, async (server) => {
      const input = chatInput(server, { ...OPENAI, maxOutputBytes: cap });
      const { beats, result } = runChat(input);
      const f = await failure(result);
      assert.equal(f.type, 'OutputTooLarge');
      assert.equal(f.nonRetryable, true);
      assert.ok(beats.at(-1)!.bytes < cap + 256 * 1024, `kept reading to ${beats.at(-1)!.bytes} bytes`);
      assert.equal((await runChat(input).result).usage.cached, false);
      assert.equal(server.calls.length, 2);
    });
  });

  it('a stalled stream is OllamaStalled, retryable, within a few seconds', async () => {
    await withServer({ fault: { fault: 'stall', afterChunks: 3 } }, async (server) => {
      const t0 = Date.now();
      const f = await failure(runChat(chatInput(server, { ...OPENAI, stallTimeoutMs: 1500 })).result);
      const elapsed = Date.now() - t0;
      assert.equal(f.type, 'OllamaStalled');
      assert.equal(f.nonRetryable, false);
      assert.match(f.message, /^the model server at .* stalled: no token for 1500 ms$/);
      assert.ok(elapsed >= 1400 && elapsed < 5000, `stall detected after ${elapsed} ms`);
    });
  });

  it("an error inside the stream (Ollama's /v1 sends an empty chunk and ends without [DONE]) is a retryable failure", async () => {
    await withServer({ fault: { fault: 'errorLine', afterChunks: 2, message: 'CUDA error: out of memory' } }, async (server) => {
      const f = await failure(runChat(chatInput(server, OPENAI)).result);
      assert.equal(f.type, 'OllamaError');
      assert.equal(f.nonRetryable, false);
      assert.match(f.message, /closed the stream before it was done/);
    });
  });

  it('an HTTP 500 is a retryable OllamaError carrying the server message', async () => {
    await withServer({ fault: { fault: 'http500', message: 'llama runner process has terminated' } }, async (server) => {
      const f = await failure(runChat(chatInput(server, OPENAI)).result);
      assert.equal(f.type, 'OllamaError');
      assert.equal(f.nonRetryable, false);
      assert.match(f.message, /answered \(500\): llama runner process has terminated/);
    });
  });
});

describe('preflight and waitForModelServer over the OpenAI-compatible API', () => {
  const check = (url: string, model = 'codellama:7b') =>
    quietEnv().run(preflight, {
      serverUrl: url,
      api: 'openai' as const,
      model,
      outputDir: path.join(tmpDir('preflight-openai'), 'out'),
      allowNonEmptyOutput: false,
      skipValidation: true,
    }) as Promise<PreflightResult>;

  it('passes when GET /v1/models lists the model (given with /v1 or without), says which API, and probes the continuation', async () => {
    await withServer({ models: ['codellama:7b', 'llama3'] }, async (server) => {
      assert.deepEqual(await check(server.url), {
        goVersion: 'skipped',
        ollamaVersion: 'OpenAI-compatible API',
        modelDigest: '',
        prefill: "prefill mode: continues (Ollama's /v1 (GET /api/version) continued a prefilled answer)",
      });
      await check(`${server.url}/v1`, 'llama3');
      // The model list, then the server told apart and probed once per model (server-profile.ts).
      const each = ['GET /v1/models', 'GET /v1/models', 'GET /api/version', 'POST /v1/chat/completions'];
      assert.deepEqual(
        server.requests.map((r) => `${r.method} ${r.path}`),
        [...each, ...each],
      );
    });
  });

  it('a model not listed is ModelNotFound naming what the server has; no server is MODEL_SERVER_GONE', async () => {
    await withServer({ models: ['codellama:7b'] }, async (server) => {
      const f = await failure(check(server.url, 'qwen2.5-coder:7b'));
      assert.equal(f.type, 'ModelNotFound');
      assert.equal(f.nonRetryable, true);
      assert.match(f.message, /^model "qwen2\.5-coder:7b" is not served by the model server at .*: it serves codellama:7b \(pass one with -model\)$/);
    });
    const gone = await failure(check(`http://127.0.0.1:${await closedPort()}`));
    assert.equal(gone.type, MODEL_SERVER_GONE);
    assert.equal(gone.nonRetryable, true);
  });

  it('waitForModelServer probes /v1/models when the API is openai', async () => {
    await withServer({}, async (server) => {
      const since = new Date().toISOString();
      const done = await quietEnv().run(waitForModelServer, { serverUrl: server.url, api: 'openai' as const, since, untilMs: Date.now() + 10_000 });
      assert.deepEqual(done, { probes: 1 });
      assert.deepEqual(
        server.requests.map((r) => `${r.method} ${r.path}`),
        ['GET /v1/models'],
      );
    });
  });
});
