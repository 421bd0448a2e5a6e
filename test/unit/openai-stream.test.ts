// The OpenAI-compatible client: server-sent events split anywhere, `data: [DONE]`, error
// events, lines over the cap; our model options in OpenAI's terms; one form of the base URL;
// the API key sent as a bearer token and never shown back; -llm-api on the command line.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OpenAiClient, OpenAiStatusError, chatCompletionRequest, openAiBaseUrl, sseData, type ChatCompletionChunk } from '../../activities/llm/openai.js';
import { UsageError } from '../../client/flags.js';
import { parseArgs } from '../../client/args.js';

async function collect(pieces: (Buffer | string)[], maxLineChars?: number): Promise<string[]> {
  async function* source() {
    for (const p of pieces) yield p;
  }
  const out: string[] = [];
  for await (const data of sseData(source(), maxLineChars)) out.push(data);
  return out;
}

const chunk = (content: string, finish: string | null = null) =>
  JSON.stringify({
    id: 'chatcmpl-1',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'm',
    choices: [{ index: 0, delta: { role: 'assistant', content }, finish_reason: finish }],
  });
const USAGE = JSON.stringify({
  id: 'chatcmpl-1',
  object: 'chat.completion.chunk',
  created: 1,
  model: 'm',
  choices: [],
  usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 },
});
const STREAM = `data: ${chunk('pack')}\n\ndata: ${chunk('age ☕')}\n\ndata: ${chunk('', 'length')}\n\ndata: ${USAGE}\n\ndata: [DONE]\n\n`;

describe('sseData', () => {
  test('events split at every byte (a UTF-8 character included) come out whole, [DONE] as the last', async () => {
    const bytes = Buffer.from(STREAM);
    const data = await collect([...bytes].map((b) => Buffer.from([b])));
    assert.deepEqual(data, [chunk('pack'), chunk('age ☕'), chunk('', 'length'), USAGE, '[DONE]']);
  });

  test('comments, event/id/retry fields and CRLF are skipped; `data:` without a space works', async () => {
    const data = await collect([': keep-alive\r\n\r\nevent: message\nid: 7\nretry: 1000\ndata:{"a":1}\r\n\r\n', 'data: [DONE]\n\n']);
    assert.deepEqual(data, ['{"a":1}', '[DONE]']);
  });

  test('a line that is no SSE field is malformed (a proxy error page, say)', async () => {
    await assert.rejects(collect([`data: ${chunk('a')}\n\n<html><body>502 Bad Gateway</body></html>\n`]), /malformed stream line: <html>/);
  });

  test('an event over the cap throws before it ends', async () => {
    await assert.rejects(collect(['data: "', 'x'.repeat(600), 'x'.repeat(600)], 1000), /the model server sent a stream event longer than 1000 characters/);
  });
});

describe('chatCompletionRequest', () => {
  const messages = [{ role: 'user' as const, content: 'hi' }];
  test('temperature, seed, num_predict → max_tokens and stop map; num_ctx has no field; usage is asked for', () => {
    assert.deepEqual(chatCompletionRequest('m', messages, { temperature: 0.2, seed: 42, num_ctx: 8192, num_predict: 4096 }, undefined, ['\n}\n']), {
      model: 'm',
      messages,
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.2,
      seed: 42,
      max_tokens: 4096,
      stop: ['\n}\n'],
    });
  });

  test("Ollama's no-limit num_predict (-1, -2) and an empty stop list are left out", () => {
    const req = chatCompletionRequest('m', messages, { num_predict: -1 }, undefined, []);
    assert.equal('max_tokens' in req, false);
    assert.equal('stop' in req, false);
  });

  test('format: "json" is a json_object, a schema a named json_schema', () => {
    assert.deepEqual(chatCompletionRequest('m', messages, {}, 'json').response_format, { type: 'json_object' });
    const schema = { type: 'object', required: ['a'], properties: { a: { type: 'string' } } };
    assert.deepEqual(chatCompletionRequest('m', messages, {}, schema).response_format, { type: 'json_schema', json_schema: { name: 'answer', schema } });
  });
});

test('openAiBaseUrl: with or without /v1 and slashes, one form', () => {
  for (const url of ['http://h:8000', 'http://h:8000/', 'http://h:8000/v1', 'http://h:8000/v1/', 'http://h:8000//v1//'])
    assert.equal(openAiBaseUrl(url), 'http://h:8000');
  assert.equal(openAiBaseUrl('https://h/proxy/v1'), 'https://h/proxy');
  assert.equal(new OpenAiClient('http://h:8000/v1/').baseUrl, 'http://h:8000');
});

describe('-llm-api', () => {
  test('defaults to ollama, takes openai', () => {
    assert.equal(parseArgs([], {}).flags['llm-api'], 'ollama');
    assert.equal(parseArgs(['-llm-api', 'openai'], {}).flags['llm-api'], 'openai');
  });
  test('anything else is a one-line usage error naming the flag and the values', () => {
    assert.throws(
      () => parseArgs(['-llm-api=vllm'], {}),
      (err: unknown) => err instanceof UsageError && err.message === '-llm-api must be ollama or openai, not "vllm"',
    );
  });
});

describe('OpenAiClient.chat against a local SSE server', () => {
  let server: Server;
  let baseUrl: string;
  let handler: (req: IncomingMessage, res: ServerResponse) => void;
  const seen: IncomingMessage[] = [];
  before(async () => {
    server = createServer((req, res) => {
      seen.push(req);
      req.resume();
      req.on('end', () => handler(req, res));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const REQ = chatCompletionRequest('m', [{ role: 'user', content: 'hi' }], { temperature: 0 });
  const sse = (text: string) => (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, { 'Content-Type': 'text/event-stream' });
    // In pieces that cut events anywhere.
    for (let i = 0; i < text.length; i += 7) res.write(text.slice(i, i + 7));
    res.end();
  };

  test('sees every chunk, ends at [DONE] with the last finish_reason and the usage, sends the key as a bearer token', async () => {
    handler = sse(STREAM);
    const chunks: ChatCompletionChunk[] = [];
    const end = await new OpenAiClient(baseUrl, 'sk-test-123').chat(REQ, (c) => chunks.push(c));
    assert.equal(chunks.map((c) => c.choices[0]?.delta.content ?? '').join(''), 'package ☕');
    assert.deepEqual(end, { finishReason: 'length', usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 } });
    const req = seen.at(-1)!;
    assert.equal(req.url, '/v1/chat/completions');
    assert.equal(req.headers.authorization, 'Bearer sk-test-123');
  });

  test('without a key no Authorization header is sent', async () => {
    handler = sse(STREAM);
    await new OpenAiClient(baseUrl, undefined).chat(REQ, () => {});
    assert.equal(seen.at(-1)!.headers.authorization, undefined);
  });

  test('a stream that ends without [DONE] rejects', async () => {
    handler = sse(`data: ${chunk('pack')}\n\n`);
    await assert.rejects(
      new OpenAiClient(baseUrl, undefined).chat(REQ, () => {}),
      /closed the stream before it was done/,
    );
  });

  test("error events (OpenAI's data: {error} and llama.cpp's error: line) reject with their message", async () => {
    handler = sse(`data: ${chunk('a')}\n\ndata: {"error":{"message":"CUDA out of memory","type":"api_error"}}\n\n`);
    await assert.rejects(
      new OpenAiClient(baseUrl, undefined).chat(REQ, () => {}),
      (err: unknown) => err instanceof OpenAiStatusError && /CUDA out of memory/.test(err.message),
    );
    handler = sse(`error: {"code":500,"message":"llama.cpp failed","type":"server_error"}\n\n`);
    await assert.rejects(
      new OpenAiClient(baseUrl, undefined).chat(REQ, () => {}),
      /llama\.cpp failed/,
    );
  });

  test('an error answer is an OpenAiStatusError with its status and message, never showing the key back', async () => {
    handler = (_req, res) => {
      res.writeHead(401, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'Incorrect API key provided: sk-secret-456.', type: 'invalid_request_error' } }));
    };
    await assert.rejects(
      new OpenAiClient(baseUrl, 'sk-secret-456').chat(REQ, () => {}),
      (err: unknown) => {
        assert.ok(err instanceof OpenAiStatusError);
        assert.equal(err.statusCode, 401);
        assert.equal(err.message, 'Incorrect API key provided: [API key].');
        return true;
      },
    );
  });
});
