// The OpenAI-compatible servers told apart and asked in their own terms: detection from what
// each exposes, the request fields that make each continue a prefilled answer, structured
// output in each shape, SSE events of several `data:` lines, an answer that starts over with
// prose, and -llm-server on the command line.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { answerStart, continuedAnswer, bodyFromAnswer } from '../../activities/guided/go-source.js';
import { OpenAiClient, chatCompletionRequest, sseData } from '../../activities/llm/openai.js';
import { continuesCount, PREFILL_PROBE } from '../../activities/llm/server-profile.js';
import { detectServer } from '../../activities/llm/server-kinds.js';
import { llmServerOf } from '../../client/flag-values.js';
import { UsageError } from '../../client/flags.js';
import { parseArgs } from '../../client/args.js';
import type { FunctionHole } from '../../activities/guided/contract.js';

async function collect(text: string): Promise<string[]> {
  async function* source() {
    // Split anywhere, as a network does.
    for (let i = 0; i < text.length; i += 5) yield Buffer.from(text.slice(i, i + 5));
  }
  const out: string[] = [];
  for await (const data of sseData(source())) out.push(data);
  return out;
}

describe('sseData through eventsource-parser', () => {
  test('an event of several `data:` lines is one payload, its lines joined with a newline', async () => {
    const data = await collect('data: {"choices":\ndata: [], "n": 1}\n\ndata: [DONE]\n\n');
    assert.deepEqual(data, ['{"choices":\n[], "n": 1}', '[DONE]']);
    assert.deepEqual(JSON.parse(data[0]!), { choices: [], n: 1 });
  });

  test("llama.cpp's `error:` line is passed on as data; a last event without its blank line still arrives", async () => {
    assert.deepEqual(await collect('error: {"code":500,"message":"x"}\n\ndata: [DONE]'), ['{"code":500,"message":"x"}', '[DONE]']);
  });
});

describe('requests in each server’s terms', () => {
  const prefilled = [
    { role: 'user' as const, content: 'write it' },
    { role: 'assistant' as const, content: '```go\n' },
  ];
  const plain = prefilled.slice(0, 1);
  const vllm = { kind: 'vllm' as const, fields: { continue_final_message: true, add_generation_prompt: false } };

  test('a prefilled request to vLLM carries continue_final_message and add_generation_prompt: false; a plain one neither', () => {
    const req = chatCompletionRequest('m', prefilled, {}, undefined, undefined, vllm);
    assert.equal(req.continue_final_message, true);
    assert.equal(req.add_generation_prompt, false);
    const asked = chatCompletionRequest('m', plain, {}, undefined, undefined, vllm);
    assert.equal('continue_final_message' in asked || 'add_generation_prompt' in asked, false);
  });

  test("TGI's structured output is its grammar ({type: json_object, value: schema}); the others' a named json_schema", () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } } };
    assert.deepEqual(chatCompletionRequest('m', plain, {}, schema, undefined, { kind: 'tgi', fields: {} }).response_format, {
      type: 'json_object',
      value: schema,
    });
    for (const kind of ['vllm', 'sglang', 'llama-server', 'ollama', 'unknown'] as const)
      assert.deepEqual(chatCompletionRequest('m', plain, {}, schema, undefined, { kind, fields: {} }).response_format, {
        type: 'json_schema',
        json_schema: { name: 'answer', schema },
      });
  });

  test('the probe tells a continued count from one started over', () => {
    assert.equal(continuesCount(' 7, 8, 9'), true);
    assert.equal(continuesCount('7,8'), true);
    assert.equal(continuesCount('1, 2, 3, 4, 5, 6, 7'), false);
    assert.equal(continuesCount('Sure! 1, 2'), false);
    assert.ok(PREFILL_PROBE.start.trim().endsWith('6,'));
  });
});

describe('detectServer', () => {
  let server: Server;
  let url: string;
  let routes: Record<string, unknown> = {};
  before(async () => {
    server = createServer((req, res) => {
      const body = routes[`${req.method} ${req.url}`];
      res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body ?? { detail: 'Not Found' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const models = (owner: string) => ({ object: 'list', data: [{ id: 'm', object: 'model', created: 0, owned_by: owner }] });
  const cases: [string, Record<string, unknown>, string, RegExp][] = [
    ['vLLM', { 'GET /v1/models': models('vllm') }, 'vllm', /owned_by "vllm"/],
    ['SGLang', { 'GET /v1/models': models('sglang') }, 'sglang', /owned_by "sglang"/],
    ['llama-server', { 'GET /v1/models': models('llamacpp') }, 'llama-server', /owned_by "llamacpp"/],
    ["Ollama's /v1", { 'GET /v1/models': models('library'), 'GET /api/version': { version: '0.19.0' } }, 'ollama', /\/api\/version/],
    [
      'TGI',
      { 'GET /v1/models': models('Qwen/Qwen2.5-Coder'), 'GET /info': { model_id: 'Qwen/Qwen2.5-Coder', router: 'text-generation-router' } },
      'tgi',
      /\/info/,
    ],
    ['llama-server without owned_by', { 'GET /v1/models': models('x'), 'GET /props': { default_generation_settings: {} } }, 'llama-server', /\/props/],
    ['an unknown server', { 'GET /v1/models': models('someone') }, 'unknown', /no sign/],
  ];
  for (const [name, table, kind, evidence] of cases)
    test(`${name} is told by what it exposes`, async () => {
      routes = table;
      const found = await detectServer(new OpenAiClient(url));
      assert.equal(found.kind, kind);
      assert.match(found.evidence, evidence);
    });
});

describe('an answer that starts over with prose', () => {
  const GET: FunctionHole = { name: 'Get', signature: 'func (r *TodoRepository) Get(id int) (models.Todo, error)', steps: [] };
  const own = 'Here is the function:\n\n```go\nfunc (r *TodoRepository) Get(id int) (models.Todo, error) {\n\treturn r.items[id], nil';

  test('keeps its code and drops its prose: nothing is glued onto the given start', () => {
    const text = continuedAnswer(answerStart(GET), own);
    assert.ok(!text.includes('Here is'), text);
    assert.equal(text.indexOf('```go\nfunc'), 0);
    assert.equal(bodyFromAnswer(text, GET).body, '\treturn r.items[id], nil');
  });

  test('asked without a start (no prefill), the whole answer is read the same way', () => {
    assert.equal(bodyFromAnswer(continuedAnswer('', own), GET).body, '\treturn r.items[id], nil');
  });

  test('a body that continues the start is still glued onto it, a closing fence after code included', () => {
    const body = '\tx, ok := r.items[id]\n\tif !ok {\n\t\treturn models.Todo{}, ErrNotFound\n\t}\n\treturn x, nil\n}\n```\nfunc other() {}';
    assert.equal(continuedAnswer(answerStart(GET), body).startsWith(answerStart(GET) + '\tx, ok'), true);
  });
});

describe('-llm-server', () => {
  test('defaults to auto (detected) and takes each server; the run input names it only with -llm-api openai and not auto', () => {
    assert.equal(parseArgs([], {}).flags['llm-server'], 'auto');
    const { flags } = parseArgs(['-llm-api', 'openai', '-llm-server', 'vllm'], {});
    assert.deepEqual(llmServerOf(flags), { api: 'openai', server: 'vllm' });
    assert.deepEqual(llmServerOf(parseArgs(['-llm-api', 'openai'], {}).flags), { api: 'openai' });
    assert.deepEqual(llmServerOf(parseArgs([], {}).flags), {});
  });

  test('another value, or a server without -llm-api openai, is a one-line usage error', () => {
    assert.throws(
      () => parseArgs(['-llm-api', 'openai', '-llm-server', 'lmstudio'], {}),
      (err: unknown) => err instanceof UsageError && err.message === '-llm-server must be auto, ollama, llama-server, vllm, sglang, tgi, not "lmstudio"',
    );
    assert.throws(() => parseArgs(['-llm-server', 'vllm'], {}), /-llm-server names an OpenAI-compatible server: pass -llm-api openai too/);
  });
});
