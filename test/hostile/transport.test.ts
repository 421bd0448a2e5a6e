// Hostile streams to a whole file's activities: 11 cases (the layer's total is in support.ts).
// What answers as Ollama misbehaves: error lines, junk lines, endless lines, resets, stalls,
// drips, HTTP errors, an unknown model, an answer past the output cap. Each ends in time with
// a failure that says what happened and whether a retry can help; nothing is written.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { closeMirrors } from '../../lib/db.js';
import { KiB, MiB, caseTimeout, runCase, type ExpectFailure, type HostileCase } from './support.js';

const fails = (type: string, nonRetryable: boolean, message: RegExp): { failure: ExpectFailure } => ({ failure: { type, nonRetryable, message } });
const ESCAPES = '\x1b[2J\x1b[31mFATAL\x1b[0m\r\n\tat llama.cpp:42\n\u2028\u0085';

export const TRANSPORT_CASES: HostileCase[] = [
  {
    name: 'an {"error": …} line mid-stream: OllamaError, retryable, with its text',
    answer: { fault: 'errorLine', afterChunks: 5, message: 'an error was encountered while running the model: CUDA out of memory' },
    limitMs: 5000,
    expect: fails('OllamaError', false, /Ollama error \(500\): .*CUDA out of memory/),
  },
  {
    name: 'a 200 KB multi-line error line full of terminal escapes: one short clean line',
    answer: { fault: 'errorLine', afterChunks: 2, message: ('llama runner crashed' + ESCAPES).repeat(3500) },
    limitMs: 5000,
    expect: fails('OllamaError', false, /Ollama error \(500\): llama runner crashed \[2J \[31mFATAL/),
    after: ({ server }) => assert.equal(server.calls.length, 1),
  },
  {
    name: 'malformed NDJSON (an HTML error page mid-stream): OllamaError, retryable',
    answer: { fault: 'garbage', afterChunks: 4, line: '<html><body><h1>502 Bad Gateway</h1>\x1b[2J</body></html>' },
    limitMs: 5000,
    expect: fails('OllamaError', false, /malformed stream line: <html><body><h1>502 Bad Gateway/),
  },
  {
    name: 'a stream line that never ends (8 MB without a newline) is cut off, not buffered whole',
    answer: { fault: 'garbage', afterChunks: 1, line: '{"model":"x","message":{"role":"assistant","content":"' + 'A'.repeat(8 * MiB) },
    limitMs: 5000,
    expect: fails('OllamaError', false, /stream line longer than \d+ characters without a newline/),
  },
  {
    name: 'the connection reset mid-answer: OllamaError, retryable',
    answer: { fault: 'reset', afterChunks: 10 },
    limitMs: 5000,
    expect: fails('OllamaError', false, /Ollama call failed: .*(other side closed|ECONNRESET|socket)/i),
  },
  {
    name: 'a stall mid-answer (stall limit 1.5 s): OllamaStalled, no hang',
    answer: { fault: 'stall', afterChunks: 3 },
    llm: { stallTimeoutMs: 1500 },
    limitMs: 6000,
    expect: fails('OllamaStalled', false, /Ollama stalled: no token for 1500 ms/),
    after: ({ ms }) => assert.ok(ms >= 1400, `gave up after ${ms} ms, before the stall limit`),
  },
  {
    name: 'a drip under the stall limit past the whole-call limit (2 s): OllamaTimeout',
    answer: { fault: 'slow', tokensPerSecond: 4 },
    llm: { stallTimeoutMs: 1500, callTimeoutMs: 2000 },
    limitMs: 7000,
    expect: fails('OllamaTimeout', false, /longer than 2000 ms/),
    after: ({ ms }) => assert.ok(ms >= 1900 && ms < 5000, `gave up after ${ms} ms`),
  },
  {
    name: 'HTTP 500 from Ollama: OllamaError, retryable, with its text',
    answer: { fault: 'http500', message: 'llama runner process has terminated: exit status 2' },
    limitMs: 5000,
    expect: fails('OllamaError', false, /Ollama error \(500\): llama runner process has terminated/),
  },
  {
    name: 'HTTP 500 whose error is 1 MB of lines and escapes: one short clean line',
    answer: { fault: 'http500', message: ('out of memory' + ESCAPES).repeat(MiB / 50) },
    limitMs: 5000,
    expect: fails('OllamaError', false, /^Ollama error \(500\): out of memory \[2J \[31mFATAL.{0,300}…$/),
  },
  {
    name: 'the model is not found (404): ModelNotFound, not retryable, with the command that fixes it',
    llm: { model: 'nosuch:1b' },
    calls: 1,
    limitMs: 5000,
    expect: fails('ModelNotFound', true, /model "nosuch:1b" not found in Ollama: run `ollama pull nosuch:1b`/),
  },
  {
    name: 'an answer over the output cap (1 MiB sent, cap 64 KiB) is cut off as it streams',
    answer: { fault: 'oversized', bytes: MiB },
    llm: { maxOutputBytes: 64 * KiB },
    calls: 1,
    limitMs: 5000,
    expect: fails('OutputTooLarge', true, /passed the output cap of 65536 bytes and was cut off/),
  },
];

after(() => closeMirrors());

describe('hostile streams to a file’s activities', () => {
  for (const c of TRANSPORT_CASES) it(c.name, { timeout: caseTimeout(c) }, () => runCase(c));
});
