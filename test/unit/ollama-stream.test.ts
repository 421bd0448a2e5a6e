// Ollama streams /api/chat as NDJSON. The client must survive any chunking of the bytes,
// turn error lines and error answers into OllamaStatusError, and refuse a cut-off stream.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OllamaClient, OllamaStatusError, ndjsonLines, parseStreamLine, type ChatRequest, type ChatResponse } from '../../activities/llm/ollama.js';

async function collect(chunks: (Buffer | string)[]): Promise<string[]> {
  async function* source() {
    for (const c of chunks) yield c;
  }
  const lines: string[] = [];
  for await (const line of ndjsonLines(source())) lines.push(line);
  return lines;
}

describe('ndjsonLines', () => {
  test('lines split mid-line across chunks are joined', async () => {
    const text = '{"a":1}\n{"b":2}\n{"c":3}\n';
    const bytes = Buffer.from(text);
    const chunks = [bytes.subarray(0, 3), bytes.subarray(3, 9), bytes.subarray(9, 10), bytes.subarray(10)];
    assert.deepEqual(await collect(chunks), ['{"a":1}', '{"b":2}', '{"c":3}']);
  });

  test('a UTF-8 character split across chunks is decoded whole', async () => {
    const text = '{"message":{"content":"café"}}\n{"message":{"content":"日本"}}\n';
    const bytes = Buffer.from(text, 'utf8');
    const e = bytes.indexOf(Buffer.from('é'));
    const jp = bytes.indexOf(Buffer.from('日'));
    // 'é' is 2 bytes: cut between them; '日' is 3 bytes: cut after the first one and after the second one.
    const chunks = [bytes.subarray(0, e + 1), bytes.subarray(e + 1, jp + 1), bytes.subarray(jp + 1, jp + 2), bytes.subarray(jp + 2)];
    const lines = await collect(chunks);
    assert.deepEqual(lines, ['{"message":{"content":"café"}}', '{"message":{"content":"日本"}}']);
    assert.ok(!lines.join('').includes('\ufffd'), 'no replacement characters');
  });

  test('every byte in its own chunk still decodes', async () => {
    const text = '{"x":"héllo ☕"}\n{"y":2}\n';
    const bytes = Buffer.from(text);
    const chunks = [...bytes].map((b) => Buffer.from([b]));
    assert.deepEqual(await collect(chunks), ['{"x":"héllo ☕"}', '{"y":2}']);
  });

  test('blank lines (and CRLF) are skipped', async () => {
    assert.deepEqual(await collect(['\n\n{"a":1}\r\n\r\n  \n{"b":2}\n\n']), ['{"a":1}', '{"b":2}']);
  });

  test('the last line without a trailing newline is still yielded', async () => {
    assert.deepEqual(await collect([Buffer.from('{"a":1}\n{"done":'), Buffer.from('true}')]), ['{"a":1}', '{"done":true}']);
  });

  test('an empty stream yields nothing', async () => {
    assert.deepEqual(await collect([]), []);
  });
});

describe('parseStreamLine', () => {
  test('a normal chunk', () => {
    const chunk = parseStreamLine(
      '{"model":"codellama:7b","created_at":"2024-01-01T00:00:00Z","message":{"role":"assistant","content":"package"},"done":false}',
    );
    assert.equal(chunk.done, false);
    assert.equal(chunk.model, 'codellama:7b');
    assert.deepEqual(chunk.message, { role: 'assistant', content: 'package' });
  });

  test('a final chunk keeps its metrics', () => {
    const chunk = parseStreamLine(
      '{"model":"m","created_at":"t","message":{"role":"assistant","content":""},"done":true,"done_reason":"stop","eval_count":42,"prompt_eval_count":7}',
    );
    assert.equal(chunk.done, true);
    assert.equal(chunk.eval_count, 42);
    assert.equal(chunk.prompt_eval_count, 7);
    assert.equal(chunk.done_reason, 'stop');
  });

  test('a chunk without message gets an empty assistant message', () => {
    assert.deepEqual(parseStreamLine('{"done":false}').message, { role: 'assistant', content: '' });
  });

  test('an {"error": …} line is an OllamaStatusError with that message', () => {
    assert.throws(
      () => parseStreamLine('{"error":"an error was encountered while running the model: unexpected EOF"}'),
      (err: unknown) => {
        assert.ok(err instanceof OllamaStatusError);
        assert.equal((err as Error).message, 'an error was encountered while running the model: unexpected EOF');
        return true;
      },
    );
  });

  test('non-JSON is an Error mentioning malformed', () => {
    for (const line of ['<html>502 Bad Gateway</html>', '{"done":tru', 'null', '42']) {
      assert.throws(
        () => parseStreamLine(line),
        (err: unknown) => {
          assert.ok(err instanceof Error);
          assert.ok(!(err instanceof OllamaStatusError));
          assert.match((err as Error).message, /malformed/);
          return true;
        },
      );
    }
  });

  test('JSON without "done" is an Error', () => {
    assert.throws(() => parseStreamLine('{"model":"m","message":{"role":"assistant","content":"x"}}'), /"done"/);
    assert.throws(() => parseStreamLine('{"done":"yes"}'), /"done"/);
  });
});

// ---- a tiny Ollama on node:http ----

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;
let server: Server;
let baseUrl: string;
let handler: Handler = (_req, _body, res) => res.end();
const received: { method?: string; url?: string; body: unknown }[] = [];

before(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      received.push({ method: req.method, url: req.url, body: body ? JSON.parse(body) : undefined });
      handler(req, body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const MODEL = 'codellama:7b';
const PIECES = ['package ', 'models\n\n', 'type Todo struct {', '}\n', 'café ☕'];

function chunkLine(content: string, i: number): string {
  return JSON.stringify({ model: MODEL, created_at: `2024-06-01T12:00:0${i}.123456789Z`, message: { role: 'assistant', content }, done: false }) + '\n';
}
const FINAL = {
  model: MODEL,
  created_at: '2024-06-01T12:00:09.5Z',
  message: { role: 'assistant', content: '' },
  done: true,
  done_reason: 'stop',
  total_duration: 5_043_500_667,
  load_duration: 5_025_959,
  prompt_eval_count: 26,
  prompt_eval_duration: 325_953_000,
  eval_count: 290,
  eval_duration: 4_709_213_000,
};

/** Streams like Ollama: one write per line, some lines split across writes, with a pause. */
function streamChat(opts: { final: boolean }): Handler {
  return (_req, _body, res) => {
    res.writeHead(200, { 'Content-Type': 'application/x-ndjson', 'Transfer-Encoding': 'chunked' });
    const lines = PIECES.map(chunkLine);
    if (opts.final) lines.push(JSON.stringify(FINAL) + '\n');
    const bytes = Buffer.from(lines.join(''), 'utf8');
    // Cut at awkward places: mid-line, and inside the multi-byte 'é'.
    const e = bytes.indexOf(Buffer.from('é')) + 1;
    const cuts = [0, 17, 80, e, bytes.length];
    assert.ok(
      cuts.every((c, k) => k === 0 || c > cuts[k - 1]),
      'cuts are increasing',
    );
    let i = 0;
    const next = () => {
      if (i >= cuts.length - 1) return void res.end();
      res.write(bytes.subarray(cuts[i], cuts[i + 1]));
      i++;
      setTimeout(next, 5);
    };
    next();
  };
}

const REQ: ChatRequest = {
  model: MODEL,
  messages: [{ role: 'user', content: 'Write the model.\n\nFile: internal/models/todo.go' }],
  options: { temperature: 0.2, seed: 42 },
};

describe('OllamaClient.chat against a local NDJSON server', () => {
  test('calls onChunk per line and resolves with the final chunk', async () => {
    handler = streamChat({ final: true });
    received.length = 0;
    const seen: ChatResponse[] = [];
    const last = await new OllamaClient(baseUrl + '/').chat(REQ, (c) => seen.push(c));
    assert.equal(seen.length, PIECES.length + 1);
    assert.deepEqual(
      seen.slice(0, -1).map((c) => c.message.content),
      PIECES,
    );
    assert.equal(seen.map((c) => c.message.content).join(''), PIECES.join(''));
    assert.ok(seen.slice(0, -1).every((c) => c.done === false));
    assert.equal(last.done, true);
    assert.equal(last.eval_count, 290);
    assert.equal(last.prompt_eval_count, 26);
    assert.deepEqual(last, seen.at(-1));
    // and the request went to /api/chat, streaming, with the messages and options
    assert.equal(received.length, 1);
    assert.equal(received[0].method, 'POST');
    assert.equal(received[0].url, '/api/chat');
    const body = received[0].body as ChatRequest & { stream?: boolean }; // the client always streams
    assert.equal(body.stream, true);
    assert.equal(body.model, MODEL);
    assert.deepEqual(body.messages, REQ.messages);
    assert.deepEqual(body.options, REQ.options);
  });

  test("a 404 model-not-found answer is an OllamaStatusError(404) with Ollama's message", async () => {
    handler = (_req, _body, res) => {
      res.writeHead(404, { 'Content-Type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ error: "model 'x' not found" }));
    };
    let chunks = 0;
    await assert.rejects(
      new OllamaClient(baseUrl).chat({ ...REQ, model: 'x' }, () => chunks++),
      (err: unknown) => {
        assert.ok(err instanceof OllamaStatusError, String(err));
        assert.equal((err as OllamaStatusError).statusCode, 404);
        assert.equal((err as Error).message, "model 'x' not found");
        return true;
      },
    );
    assert.equal(chunks, 0);
  });

  test('a 500 with a plain-text body keeps the text as the message', async () => {
    handler = (_req, _body, res) => {
      res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end('llama runner process has terminated: signal: killed\n');
    };
    await assert.rejects(
      new OllamaClient(baseUrl).chat(REQ, () => {}),
      (err: unknown) => {
        assert.ok(err instanceof OllamaStatusError);
        assert.equal((err as OllamaStatusError).statusCode, 500);
        assert.match((err as Error).message, /llama runner process has terminated/);
        return true;
      },
    );
  });

  test('a stream that ends without done:true rejects', async () => {
    handler = streamChat({ final: false });
    const seen: ChatResponse[] = [];
    await assert.rejects(
      new OllamaClient(baseUrl).chat(REQ, (c) => seen.push(c)),
      /before it was done/,
    );
    assert.equal(seen.length, PIECES.length, 'the chunks that did arrive were still seen');
  });

  test('an error line in the middle of the stream rejects with its message', async () => {
    handler = (_req, _body, res) => {
      res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
      res.write(chunkLine('package', 0));
      res.end(JSON.stringify({ error: 'an error was encountered while running the model: CUDA out of memory' }) + '\n');
    };
    await assert.rejects(
      new OllamaClient(baseUrl).chat(REQ, () => {}),
      (err: unknown) => {
        assert.ok(err instanceof OllamaStatusError);
        assert.match((err as Error).message, /CUDA out of memory/);
        return true;
      },
    );
  });

  test('garbage in the stream rejects as malformed', async () => {
    handler = (_req, _body, res) => {
      res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
      res.write(chunkLine('package', 0));
      res.end('\u0000\u0001garbage\n');
    };
    await assert.rejects(
      new OllamaClient(baseUrl).chat(REQ, () => {}),
      /malformed/,
    );
  });
});
