// The scripted Ollama speaks Ollama's wire format and misbehaves exactly as asked.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import {
  startScriptedOllama,
  TODO_PLAN,
  whenFile,
  withOverrides,
  todoApiResponder,
  type Fault,
  type ScriptedOllama,
  type ScriptedOllamaOptions,
} from '../support/scripted-ollama.js';

const MODEL = 'codellama:7b';
const HANDLERS = 'internal/handlers/todo_handler.go';
const GOOD_HANDLERS = 'package handlers\n\n// good handlers\nfunc Good() {}\n';
const RFC3339_NANO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/;

let fixtureDir: string;
let variantsDir: string;
let tmp: string;

before(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'scripted-ollama-'));
  fixtureDir = path.join(tmp, 'fixture');
  variantsDir = path.join(tmp, 'variants');
  mkdirSync(path.join(fixtureDir, 'internal/handlers'), { recursive: true });
  mkdirSync(variantsDir);
  writeFileSync(path.join(fixtureDir, HANDLERS), GOOD_HANDLERS);
  writeFileSync(path.join(variantsDir, 'todo_handler.compile-error.go'), 'package handlers\n\nfunc Broken( {\n');
});
after(() => rmSync(tmp, { recursive: true, force: true }));

const prompt = (file?: string) => `Write the file.\n\n${file ? `File: ${file}\n\n` : ''}Standard library only.`;
const chatBody = (file?: string, extra: Record<string, unknown> = {}) => ({
  model: MODEL,
  messages: [
    { role: 'system', content: 'You are a Go engineer.' },
    { role: 'user', content: prompt(file) },
  ],
  ...extra,
});

async function withServer(opts: ScriptedOllamaOptions, fn: (s: ScriptedOllama) => Promise<void>): Promise<void> {
  const server = await startScriptedOllama({ fixtureDir, ...opts });
  try {
    await fn(server);
  } finally {
    await server.close();
  }
}

async function post(url: string, body: unknown) {
  const res = await request(url, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  return { status: res.statusCode, type: String(res.headers['content-type']), text: await res.body.text() };
}

const lines = (text: string) => text.split('\n').filter((l) => l !== '');
const contentOf = (chunks: Array<{ message?: { content: string }; response?: string }>) => chunks.map((c) => c.message?.content ?? c.response ?? '').join('');

describe('scripted ollama: endpoints', () => {
  let s: ScriptedOllama;
  before(async () => (s = await startScriptedOllama({ fixtureDir, models: [MODEL, 'smollm2:135m'] })));
  after(() => s.close());

  it('GET / says Ollama is running', async () => {
    const res = await request(`${s.url}/`);
    assert.equal(res.statusCode, 200);
    assert.equal(await res.body.text(), 'Ollama is running');
  });

  it('GET /api/version', async () => {
    const res = await request(`${s.url}/api/version`);
    assert.match(String(res.headers['content-type']), /^application\/json/);
    assert.deepEqual(await res.body.json(), { version: '0.19.0' });
  });

  it('GET /api/tags lists the models in ListResponse shape', async () => {
    const body = (await (await fetch(`${s.url}/api/tags`)).json()) as { models: Array<Record<string, unknown>> };
    assert.deepEqual(
      body.models.map((m) => m.name),
      [MODEL, 'smollm2:135m'],
    );
    const m = body.models[0]!;
    assert.equal(m.model, MODEL);
    assert.match(String(m.modified_at), RFC3339_NANO);
    assert.equal(typeof m.size, 'number');
    assert.match(String(m.digest), /^[0-9a-f]{64}$/);
    const d = m.details as Record<string, unknown>;
    for (const k of ['format', 'family', 'parameter_size', 'quantization_level']) assert.equal(typeof d[k], 'string', k);
  });

  it('POST /api/show: details for a known model, 404 error body for an unknown one', async () => {
    const ok = await post(`${s.url}/api/show`, { model: MODEL });
    assert.equal(ok.status, 200);
    const shown = JSON.parse(ok.text) as Record<string, unknown>;
    assert.equal((shown.details as Record<string, unknown>).format, 'gguf');
    assert.equal(typeof shown.modelfile, 'string');
    const latest = await post(`${s.url}/api/show`, { model: 'smollm2:135m' });
    assert.equal(latest.status, 200);
    const missing = await post(`${s.url}/api/show`, { model: 'nope:1b' });
    assert.equal(missing.status, 404);
    assert.match(missing.type, /^application\/json/);
    assert.deepEqual(JSON.parse(missing.text), { error: "model 'nope:1b' not found" });
  });

  it("anything else is gin's plain 404", async () => {
    for (const [method, p] of [
      ['GET', '/api/nothing'],
      ['GET', '/api/chat'],
      ['POST', '/'],
    ] as const) {
      const res = await request(`${s.url}${p}`, { method });
      assert.equal(res.statusCode, 404, `${method} ${p}`);
      assert.equal(await res.body.text(), '404 page not found');
    }
  });

  it("an unknown model on chat and generate: 404 with Ollama's exact text", async () => {
    const chat = await post(`${s.url}/api/chat`, { ...chatBody(HANDLERS), model: 'llama9:70b' });
    assert.equal(chat.status, 404);
    assert.deepEqual(JSON.parse(chat.text), { error: "model 'llama9:70b' not found" });
    const gen = await post(`${s.url}/api/generate`, { model: 'llama9', prompt: 'hi', stream: false });
    assert.equal(gen.status, 404);
    assert.deepEqual(JSON.parse(gen.text), { error: "model 'llama9' not found" });
  });

  it('bad requests: 400 with an error body', async () => {
    assert.deepEqual(JSON.parse((await post(`${s.url}/api/chat`, { messages: [] })).text), { error: 'model is required' });
    const res = await request(`${s.url}/api/chat`, { method: 'POST', body: '' });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(await res.body.json(), { error: 'missing request body' });
  });
});

describe('scripted ollama: answers', () => {
  let s: ScriptedOllama;
  before(async () => (s = await startScriptedOllama({ fixtureDir })));
  after(() => s.close());

  it('streams NDJSON chunks of ~4 characters; the last has done:true and the metrics', async () => {
    const res = await post(`${s.url}/api/chat`, chatBody(HANDLERS));
    assert.equal(res.status, 200);
    assert.equal(res.type, 'application/x-ndjson');
    assert.ok(res.text.endsWith('\n'));
    const chunks = lines(res.text).map((l) => JSON.parse(l));
    const last = chunks.pop();
    assert.ok(chunks.length > 10);
    for (const c of chunks) {
      assert.deepEqual(Object.keys(c), ['model', 'created_at', 'message', 'done']);
      assert.equal(c.done, false);
      assert.equal(c.message.role, 'assistant');
      assert.ok(c.message.content.length <= 4);
      assert.match(c.created_at, RFC3339_NANO);
    }
    assert.deepEqual(Object.keys(last), [
      'model',
      'created_at',
      'message',
      'done_reason',
      'done',
      'total_duration',
      'load_duration',
      'prompt_eval_count',
      'prompt_eval_duration',
      'eval_count',
      'eval_duration',
    ]);
    assert.equal(last.done, true);
    assert.equal(last.done_reason, 'stop');
    assert.equal(last.message.content, '');
    assert.equal(last.eval_count, chunks.length);
    const promptChars = chatBody(HANDLERS).messages.reduce((n, m) => n + m.content.length, 0);
    assert.equal(last.prompt_eval_count, Math.ceil(promptChars / 4));
    for (const k of ['total_duration', 'load_duration', 'prompt_eval_duration', 'eval_duration']) assert.ok(Number.isInteger(last[k]) && last[k] > 0, k);
    const content = contentOf(chunks);
    assert.match(content, /^Here is [^\n]+:\n\n```go\n/);
    assert.ok(content.includes(`\`\`\`go\n${GOOD_HANDLERS}\`\`\``));
  });

  it('answers one JSON object with "stream": false', async () => {
    const res = await post(`${s.url}/api/chat`, chatBody(HANDLERS, { stream: false }));
    assert.equal(res.status, 200);
    assert.match(res.type, /^application\/json/);
    assert.equal(lines(res.text).length, 1);
    const body = JSON.parse(res.text);
    assert.equal(body.done, true);
    assert.equal(body.done_reason, 'stop');
    assert.ok(body.message.content.includes(GOOD_HANDLERS));
    assert.ok(body.eval_count > 1);
  });

  it('answers the plan when the request has a format (schema or "json")', async () => {
    for (const format of ['json', { type: 'object', properties: { module: { type: 'string' } } }]) {
      const res = await post(`${s.url}/api/chat`, { ...chatBody(), format, stream: false });
      assert.deepEqual(JSON.parse(JSON.parse(res.text).message.content), TODO_PLAN);
    }
    const streamed = await post(`${s.url}/api/chat`, { ...chatBody(), format: 'json' });
    assert.deepEqual(JSON.parse(contentOf(lines(streamed.text).map((l) => JSON.parse(l)))), TODO_PLAN);
  });

  it('generates a README when the fixture has none, fenced as markdown', async () => {
    const body = JSON.parse((await post(`${s.url}/api/chat`, chatBody('README.md', { stream: false }))).text);
    assert.match(body.message.content, /```markdown\n# todo-api\n[\s\S]*GET \/todos\/\{id\}[\s\S]*\n```\n$/);
  });

  it('a missing fixture file is a loud 500', async () => {
    const res = await post(`${s.url}/api/chat`, chatBody('internal/nowhere.go', { stream: false }));
    assert.equal(res.status, 500);
    assert.match(JSON.parse(res.text).error, /no fixture for internal\/nowhere\.go/);
  });

  it('/api/generate streams "response" pieces and a final chunk with context', async () => {
    const res = await post(`${s.url}/api/generate`, { model: MODEL, prompt: prompt(HANDLERS) });
    const chunks = lines(res.text).map((l) => JSON.parse(l));
    const last = chunks.pop();
    assert.deepEqual(Object.keys(chunks[0]), ['model', 'created_at', 'response', 'done']);
    assert.ok(contentOf(chunks).includes(GOOD_HANDLERS));
    assert.equal(last.done, true);
    assert.equal(last.done_reason, 'stop');
    assert.ok(Array.isArray(last.context));
    const one = JSON.parse((await post(`${s.url}/api/generate`, { model: MODEL, prompt: prompt(HANDLERS), stream: false })).text);
    assert.ok(one.response.includes(GOOD_HANDLERS));
  });

  it('num_predict cuts the answer with done_reason "length"', async () => {
    const body = JSON.parse((await post(`${s.url}/api/chat`, chatBody(HANDLERS, { stream: false, options: { num_predict: 5 } }))).text);
    assert.equal(body.done_reason, 'length');
    assert.equal(body.eval_count, 5);
    assert.equal(body.message.content.length, 20);
  });

  it('a final assistant message is continued, and the answer ends before a stop sequence', async () => {
    const answer = 'Here it is:\n```go\nfunc Add(a, b int) int {\n\ts := a + b\n\treturn s\n}\n```\n';
    await withServer({ respond: () => answer }, async (own) => {
      const messages = [...chatBody().messages, { role: 'assistant', content: '```go\nfunc Add(a, b int) int {\n' }];
      const body = JSON.parse((await post(`${own.url}/api/chat`, { model: MODEL, messages, stream: false, options: { stop: ['\n}\n'] } })).text);
      assert.equal(body.message.content, '\ts := a + b\n\treturn s');
      assert.equal(body.done_reason, 'stop');
      const plain = JSON.parse((await post(`${own.url}/api/chat`, { model: MODEL, messages: chatBody().messages, stream: false })).text);
      assert.equal(plain.message.content, answer, 'without a final assistant message or stop, the whole answer');
    });
  });

  it('empty messages load the model', async () => {
    const body = JSON.parse((await post(`${s.url}/api/chat`, { model: MODEL, messages: [] })).text);
    assert.equal(body.done_reason, 'load');
  });
});

describe('scripted ollama: overrides and call counting', () => {
  it('an override with times answers that many matching calls, then the base', async () => {
    const respond = withOverrides(todoApiResponder({ fixtureDir }), [
      { when: whenFile(HANDLERS), times: 1, answer: '```go\npackage handlers\nfunc Broken( {\n```\n' },
      { when: (req) => req.lastUserMessage.includes('magic'), answer: (req) => `echo ${req.model}` },
    ]);
    const seen: number[] = [];
    await withServer({ respond, onCall: (c) => seen.push(c.index) }, async (s) => {
      const ask = async (body: unknown) => JSON.parse((await post(`${s.url}/api/chat`, body)).text).message.content as string;
      assert.match(await ask(chatBody('internal/models/none.go', { stream: false, messages: [{ role: 'user', content: 'magic' }] })), /^echo codellama:7b$/);
      assert.match(await ask(chatBody(HANDLERS, { stream: false })), /Broken\(/);
      assert.ok((await ask(chatBody(HANDLERS, { stream: false }))).includes(GOOD_HANDLERS));
      assert.ok((await ask(chatBody(HANDLERS, { stream: false }))).includes(GOOD_HANDLERS));
      assert.equal(s.calls.length, 4);
      assert.deepEqual(seen, [0, 1, 2, 3]);
      assert.deepEqual(
        s.calls.map((c) => [c.path, c.model, c.file]),
        [
          ['/api/chat', MODEL, undefined],
          ['/api/chat', MODEL, HANDLERS],
          ['/api/chat', MODEL, HANDLERS],
          ['/api/chat', MODEL, HANDLERS],
        ],
      );
      assert.equal(s.calls[1]!.lastUserMessage, prompt(HANDLERS));
      assert.ok(s.calls.every((c) => typeof c.at === 'number' && c.at > 0));
    });
  });

  it('a fault override without text streams the base answer up to the fault', async () => {
    const respond = withOverrides(todoApiResponder({ fixtureDir }), [{ when: whenFile(HANDLERS), times: 1, answer: { fault: 'errorLine', afterChunks: 2 } }]);
    await withServer({ respond }, async (s) => {
      const chunks = lines((await post(`${s.url}/api/chat`, chatBody(HANDLERS))).text).map((l) => JSON.parse(l));
      assert.equal(contentOf(chunks.slice(0, 2)), 'Here is ');
      assert.equal(s.calls[0]!.fault, 'errorLine');
    });
  });
});

/** Streams a chat and records when each byte arrived and how it ended. */
async function watch(url: string, body: unknown, ms: number) {
  const res = await request(`${url}/api/chat`, { method: 'POST', body: JSON.stringify(body) });
  const arrivals: number[] = [];
  let text = '';
  let ended = false;
  let error: Error | undefined;
  res.body.on('data', (b: Buffer) => {
    arrivals.push(Date.now());
    text += b.toString();
  });
  res.body.on('end', () => (ended = true));
  res.body.on('error', (e: Error) => (error = e));
  await new Promise((resolve) => setTimeout(resolve, ms));
  return { res, arrivals, text: () => text, ended: () => ended, error: () => error };
}

describe('scripted ollama: faults', () => {
  const answer = 'x'.repeat(40); // 10 chunks of 4
  const faulty = (fault: Fault): ScriptedOllamaOptions => ({ respond: () => ({ ...fault, text: answer }) });

  it('stall: a few chunks, then silence for over a second with the socket open', async () => {
    await withServer(faulty({ fault: 'stall', afterChunks: 3 }), async (s) => {
      const w = await watch(s.url, chatBody(), 1600);
      assert.equal(w.res.statusCode, 200);
      assert.equal(lines(w.text()).length, 3);
      assert.ok(Date.now() - w.arrivals.at(-1)! > 1000, 'no byte for over a second');
      assert.equal(w.ended(), false);
      assert.equal(w.error(), undefined);
      w.res.body.destroy();
    });
  });

  it('stall: close() ends a stalled stream and the client sees it', async () => {
    const s = await startScriptedOllama(faulty({ fault: 'stall', afterChunks: 1 }));
    const w = await watch(s.url, chatBody(), 200);
    const t0 = Date.now();
    await s.close();
    assert.ok(Date.now() - t0 < 1000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(w.error(), 'the client sees the stream break');
    assert.equal(w.ended(), false);
  });

  it('reset: the client sees a socket error mid-stream', async () => {
    await withServer(faulty({ fault: 'reset', afterChunks: 2 }), async (s) => {
      const res = await request(`${s.url}/api/chat`, { method: 'POST', body: JSON.stringify(chatBody()) });
      const socketError = (err: Error & { code?: string }) => /UND_ERR_SOCKET|ECONNRESET|terminated|other side closed/i.test(`${err.code} ${err.message}`);
      await assert.rejects(res.body.text(), socketError);
      // Not streamed: the reset comes before any answer.
      const one = request(`${s.url}/api/chat`, { method: 'POST', body: JSON.stringify(chatBody(undefined, { stream: false })) });
      await assert.rejects(one, socketError);
    });
  });

  it('http500: status 500 with an error body', async () => {
    await withServer(faulty({ fault: 'http500', message: 'boom' }), async (s) => {
      const res = await post(`${s.url}/api/chat`, chatBody());
      assert.equal(res.status, 500);
      assert.match(res.type, /^application\/json/);
      assert.deepEqual(JSON.parse(res.text), { error: 'boom' });
    });
  });

  it('garbage: one non-JSON line in an otherwise complete stream', async () => {
    await withServer(faulty({ fault: 'garbage', afterChunks: 4 }), async (s) => {
      const all = lines((await post(`${s.url}/api/chat`, chatBody())).text);
      const bad = all.filter((l) => {
        try {
          JSON.parse(l);
          return false;
        } catch {
          return true;
        }
      });
      assert.equal(bad.length, 1);
      assert.equal(all.indexOf(bad[0]!), 4);
      assert.equal(JSON.parse(all.at(-1)!).done, true);
    });
  });

  it('errorLine: an {"error"} line after some chunks ends the stream, no done line', async () => {
    await withServer(faulty({ fault: 'errorLine', afterChunks: 3, message: 'model runner crashed' }), async (s) => {
      const res = await post(`${s.url}/api/chat`, chatBody());
      assert.equal(res.status, 200);
      const all = lines(res.text).map((l) => JSON.parse(l));
      assert.equal(all.length, 4);
      assert.deepEqual(all.at(-1), { error: 'model runner crashed' });
      assert.ok(all.every((c) => c.done !== true));
      const one = await post(`${s.url}/api/chat`, chatBody(undefined, { stream: false }));
      assert.equal(one.status, 500);
      assert.deepEqual(JSON.parse(one.text), { error: 'model runner crashed' });
    });
  });

  it('oversized: streams N bytes of content', async () => {
    await withServer(faulty({ fault: 'oversized', bytes: 3_000_000 }), async (s) => {
      const chunks = lines((await post(`${s.url}/api/chat`, chatBody())).text).map((l) => JSON.parse(l));
      const last = chunks.pop();
      assert.equal(Buffer.byteLength(contentOf(chunks)), 3_000_000);
      assert.equal(last.eval_count, chunks.length);
    });
  });

  it('slow: paces chunks at tokensPerSecond, per call or for every call', async () => {
    await withServer(faulty({ fault: 'slow', tokensPerSecond: 20 }), async (s) => {
      const t0 = Date.now();
      const chunks = lines((await post(`${s.url}/api/chat`, chatBody())).text);
      assert.equal(chunks.length, 11);
      assert.ok(Date.now() - t0 >= 450, `took ${Date.now() - t0} ms`);
    });
    await withServer({ respond: () => answer, tokensPerSecond: 40 }, async (s) => {
      const w = await watch(s.url, chatBody(), 600);
      assert.equal(w.ended(), true);
      const spread = w.arrivals.at(-1)! - w.arrivals[0]!;
      assert.ok(spread >= 150, `spread ${spread} ms`);
      assert.equal(s.calls[0]!.fault, 'slow');
    });
  });

  it("a global fault applies to calls with the responder's text", async () => {
    await withServer({ fault: (_req, i) => (i === 0 ? { fault: 'http500' } : undefined) }, async (s) => {
      assert.equal((await post(`${s.url}/api/chat`, chatBody(HANDLERS))).status, 500);
      assert.equal((await post(`${s.url}/api/chat`, chatBody(HANDLERS))).status, 200);
    });
  });
});

describe('scripted ollama: its own process', () => {
  const main = fileURLToPath(new URL('../support/scripted-ollama-main.ts', import.meta.url));

  async function run(args: string[]) {
    const child = spawn(process.execPath, ['--import', 'tsx', main, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    const url = await new Promise<string>((resolve, reject) => {
      const rl = createInterface({ input: child.stdout! });
      rl.on('line', (line) => {
        if (line.startsWith('listening ')) resolve(line.slice('listening '.length));
      });
      child.once('exit', (code) => reject(new Error(`exited with ${code} before listening`)));
    });
    const stop = async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    };
    return { url, child, stop };
  }

  it('prints `listening <url>`, appends one line per call to --calls-file, keeps "once" across restarts', async () => {
    const callsFile = path.join(tmp, 'calls.jsonl');
    const args = ['--port', '0', '--fixture', fixtureDir, '--variants', variantsDir, '--scenario', 'broken-handlers-once', '--calls-file', callsFile];
    const first = await run(args);
    try {
      assert.match(first.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(await (await fetch(first.url)).text(), 'Ollama is running');
      const ask = async (url: string) => JSON.parse((await post(`${url}/api/chat`, chatBody(HANDLERS, { stream: false }))).text).message.content as string;
      assert.match(await ask(first.url), /func Broken\(/);
      assert.ok((await ask(first.url)).includes(GOOD_HANDLERS));
    } finally {
      await first.stop();
    }
    const second = await run(args);
    try {
      const res = JSON.parse((await post(`${second.url}/api/chat`, chatBody(HANDLERS, { stream: false }))).text);
      assert.ok(res.message.content.includes(GOOD_HANDLERS), 'the once was spent by the first process');
    } finally {
      await second.stop();
    }
    const records = readFileSync(callsFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(records.length, 3);
    assert.deepEqual(
      records.map((r) => r.file),
      [HANDLERS, HANDLERS, HANDLERS],
    );
    assert.equal(new Set(records.map((r) => r.pid)).size, 2);
  });

  it('refuses an unknown scenario with exit code 2', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', main, '--scenario', 'nope'], { stdio: 'ignore' });
    assert.equal(await new Promise((resolve) => child.once('exit', resolve)), 2);
  });
});
