// What keeps the scripted Ollama honest: the same requests sent to a real Ollama and to the
// scripted one, and the answers compared by shape (status, content type, JSON keys and their
// types, NDJSON line kinds). Captures of the real answers live in test/fixtures/ollama-wire,
// recorded by the real layer with RECORD_WIRE=1, so the unit layer checks the scripted
// Ollama against them on machines without a real one.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const WIRE_DIR = fileURLToPath(new URL('../fixtures/ollama-wire/', import.meta.url));

export interface Probe {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  /** A JSON body, or raw text sent as is (for a malformed body). */
  body?: unknown;
}

export interface Capture {
  probe: string;
  status: number;
  contentType: string;
  /** A JSON body, the NDJSON lines or SSE `data:` payloads of a stream (each parsed; `[DONE]` as the string), or the text when neither. */
  json?: unknown;
  lines?: unknown[];
  text?: string;
}

const UNKNOWN = 'no-such-model';

/** The probes; `model` is a model both servers know. num_predict keeps the real model's answers short. */
export function wireProbes(model: string): Probe[] {
  const say = [{ role: 'user', content: 'Say hello.' }];
  return [
    { name: 'version', method: 'GET', path: '/api/version' },
    { name: 'tags', method: 'GET', path: '/api/tags' },
    { name: 'show', method: 'POST', path: '/api/show', body: { model } },
    { name: 'show-unknown-model', method: 'POST', path: '/api/show', body: { model: UNKNOWN } },
    { name: 'chat-stream', method: 'POST', path: '/api/chat', body: { model, messages: say, options: { num_predict: 4, seed: 1 } } },
    {
      name: 'chat-stream-stop',
      method: 'POST',
      path: '/api/chat',
      body: { model, messages: say, options: { num_predict: 400, seed: 1, stop: ['hello', 'Hello', '.'] } },
    },
    { name: 'chat-no-stream', method: 'POST', path: '/api/chat', body: { model, messages: say, stream: false, options: { num_predict: 4, seed: 1 } } },
    { name: 'chat-unknown-model', method: 'POST', path: '/api/chat', body: { model: UNKNOWN, messages: say } },
    { name: 'chat-load', method: 'POST', path: '/api/chat', body: { model, messages: [] } },
    { name: 'chat-bad-json', method: 'POST', path: '/api/chat', body: '{"model": ' },
    { name: 'unknown-path', method: 'GET', path: '/api/nothing-here' },
  ];
}

/** The probes of Ollama's OpenAI-compatible endpoints, recorded as `v1-*`. */
export function openAiWireProbes(model: string): Probe[] {
  const say = [{ role: 'user', content: 'Say hello.' }];
  const chat = (name: string, body: Record<string, unknown> | string): Probe => ({ name: `v1-${name}`, method: 'POST', path: '/v1/chat/completions', body });
  const streamed = { model, messages: say, stream: true, stream_options: { include_usage: true }, seed: 1 };
  return [
    { name: 'v1-models', method: 'GET', path: '/v1/models' },
    chat('chat-stream', { ...streamed, max_tokens: 4 }),
    chat('chat-stream-stop', { ...streamed, max_tokens: 400, stop: ['hello', 'Hello', '.'] }),
    chat('chat-stream-no-usage', { model, messages: say, stream: true, max_tokens: 4, seed: 1 }),
    chat('chat-no-stream', { model, messages: say, max_tokens: 4, seed: 1 }),
    chat('chat-unknown-model', { model: UNKNOWN, messages: say, stream: true }),
    chat('chat-no-messages', { model, messages: [] }),
    chat('chat-bad-json', '{"model": '),
  ];
}

export async function capture(baseUrl: string, probe: Probe): Promise<Capture> {
  const body = probe.body === undefined ? undefined : typeof probe.body === 'string' ? probe.body : JSON.stringify(probe.body);
  const res = await fetch(baseUrl + probe.path, { method: probe.method, body, headers: body ? { 'content-type': 'application/json' } : {} });
  const contentType = res.headers.get('content-type') ?? '';
  const text = await res.text();
  const out: Capture = { probe: probe.name, status: res.status, contentType };
  if (contentType.includes('ndjson'))
    out.lines = text
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l));
  else if (contentType.includes('event-stream'))
    out.lines = text
      .split('\n')
      .filter((l) => l.startsWith('data: '))
      .map((l) => (l === 'data: [DONE]' ? '[DONE]' : JSON.parse(l.slice(6))));
  else {
    try {
      out.json = JSON.parse(text);
    } catch {
      out.text = text;
    }
  }
  return out;
}

/** Arrays cut to their first three items: the shape survives, the fixture stays small. */
function trimmed(value: unknown): unknown {
  if (Array.isArray(value)) return value.slice(0, 3).map(trimmed);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, trimmed(v)]));
  return value;
}

export function saveCaptures(captures: Capture[]): void {
  mkdirSync(WIRE_DIR, { recursive: true });
  for (const c of captures) {
    // A stream keeps its first lines and its final (done) line; an SSE one its last three (finish, usage, [DONE]).
    const tail = c.contentType.includes('event-stream') ? 3 : 1;
    const saved = c.lines ? { ...c, lines: [...c.lines.slice(0, 3), ...c.lines.slice(-tail)] } : { ...c, json: trimmed(c.json) };
    writeFileSync(path.join(WIRE_DIR, `${c.probe}.json`), JSON.stringify(saved, null, 2) + '\n');
  }
}

export function loadCapture(probe: string): Capture {
  return JSON.parse(readFileSync(path.join(WIRE_DIR, `${probe}.json`), 'utf8'));
}

/** A JSON value's shape: objects keep their keys, arrays their first element's shape, leaves their type. */
export function shapeOf(value: unknown): unknown {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length ? [shapeOf(value[0])] : [];
  if (typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value as object)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, shapeOf(v)]),
    );
  return typeof value;
}

/** A stream's lines reduced to their distinct shapes, in order of first appearance. */
function lineShapes(lines: unknown[]): unknown[] {
  const seen = new Map<string, unknown>();
  for (const line of lines) seen.set(JSON.stringify(shapeOf(line)), shapeOf(line));
  return [...seen.values()];
}

/**
 * Where `scripted` differs from `real` in what a client can rely on: status, media type,
 * and every key the real answer has (with its type), recursively. Keys only the scripted
 * Ollama sends are differences too. Returns human-readable differences; none means same shape.
 */
export function wireDifferences(real: Capture, scripted: Capture, options: { maxDepth?: number } = {}): string[] {
  const maxDepth = options.maxDepth ?? Infinity;
  const diffs: string[] = [];
  if (real.status !== scripted.status) diffs.push(`status: real ${real.status}, scripted ${scripted.status}`);
  const media = (t: string) => t.split(';')[0]!.trim();
  if (media(real.contentType) !== media(scripted.contentType)) diffs.push(`content-type: real ${real.contentType}, scripted ${scripted.contentType}`);
  const compare = (a: unknown, b: unknown, at: string, depth = 0) => {
    if (depth > maxDepth) return;
    if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) {
      if (JSON.stringify(a) !== JSON.stringify(b)) diffs.push(`${at || 'body'}: real ${JSON.stringify(a)}, scripted ${JSON.stringify(b)}`);
      return;
    }
    if (Array.isArray(a) !== Array.isArray(b)) return void diffs.push(`${at}: real ${JSON.stringify(a)}, scripted ${JSON.stringify(b)}`);
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    for (const k of ka) if (!(k in b)) diffs.push(`${at}.${k}: missing from the scripted answer`);
    for (const k of kb) if (!(k in a)) diffs.push(`${at}.${k}: sent only by the scripted Ollama`);
    for (const k of ka) if (k in b) compare((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}.${k}`, depth + 1);
  };
  // An error's text reaches the user: it must read the same, not just have the same shape (/v1's is an object).
  const errorOf = (c: Capture) => JSON.stringify((c.json as { error?: unknown } | undefined)?.error);
  if (errorOf(real) !== errorOf(scripted)) diffs.push(`error: real ${errorOf(real)}, scripted ${errorOf(scripted)}`);
  if (real.lines || scripted.lines) compare(lineShapes(real.lines ?? []), lineShapes(scripted.lines ?? []), 'lines');
  else if (real.json !== undefined || scripted.json !== undefined) compare(shapeOf(real.json), shapeOf(scripted.json), 'body');
  else if (real.text !== scripted.text) diffs.push(`text: real ${JSON.stringify(real.text)}, scripted ${JSON.stringify(scripted.text)}`);
  return diffs;
}
