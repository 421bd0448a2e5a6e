// A small Ollama API client over undici, shaped after ollama's own api/types.go and
// api/client.go: types that mirror the wire, one function per endpoint, streaming
// through a per-chunk callback.
import { request } from 'undici';
import type { ModelOptions } from '../../core/types.js';

export interface Message {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatRequest {
  model: string;
  messages: Message[];
  /** "json" or a JSON schema object (structured outputs). */
  format?: 'json' | Record<string, unknown>;
  /** Ollama's Options: the model options, and the stop sequences of this request. */
  options?: ModelOptions & { stop?: string[] };
  keep_alive?: string;
}

/** One NDJSON line of a /api/chat stream; the last one (done: true) carries the metrics. */
export interface ChatResponse {
  model: string;
  created_at: string;
  message: Message;
  done: boolean;
  done_reason?: string;
  total_duration?: number;
  load_duration?: number;
  prompt_eval_count?: number;
  prompt_eval_duration?: number;
  eval_count?: number;
  eval_duration?: number;
}

export interface ListModelResponse {
  name: string;
  model: string;
  modified_at: string;
  size: number;
  digest: string;
}

export interface ListResponse {
  models: ListModelResponse[];
}

/** An HTTP error answer, `{"error": "..."}` with its status, or an error line inside a stream. */
export class OllamaStatusError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'OllamaStatusError';
  }
}

export interface CallOptions {
  signal?: AbortSignal;
  /** Milliseconds without a byte from Ollama before the call is abandoned. */
  stallTimeoutMs?: number;
  /** Longest stream line (characters) accepted before the call is abandoned; unlimited when absent. */
  maxLineChars?: number;
}

export class OllamaClient {
  readonly baseUrl: string;

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  /** GET /api/version */
  async version(opts: CallOptions = {}): Promise<string> {
    const body = (await this.json('GET', '/api/version', undefined, opts)) as { version: string };
    return body.version;
  }

  /** GET /api/tags: the models pulled locally. */
  async list(opts: CallOptions = {}): Promise<ListResponse> {
    return (await this.json('GET', '/api/tags', undefined, opts)) as ListResponse;
  }

  /** POST /api/show: a model's details; throws OllamaStatusError 404 when it is missing. */
  async show(model: string, opts: CallOptions = {}): Promise<Record<string, unknown>> {
    return (await this.json('POST', '/api/show', { model }, opts)) as Record<string, unknown>;
  }

  /** POST /api/chat, always streamed (`stream: true` on the wire): `onChunk` sees every NDJSON line; resolves with the last one. */
  async chat(req: ChatRequest, onChunk: (chunk: ChatResponse) => void, opts: CallOptions = {}): Promise<ChatResponse> {
    const res = await this.send('POST', '/api/chat', { ...req, stream: true }, opts);
    let last: ChatResponse | undefined;
    for await (const line of ndjsonLines(res.body, opts.maxLineChars)) {
      const chunk = parseStreamLine(line);
      onChunk(chunk);
      last = chunk;
    }
    if (!last?.done) throw new Error('Ollama closed the stream before it was done (no final chunk)');
    return last;
  }

  private async json(method: string, path: string, body: unknown, opts: CallOptions): Promise<unknown> {
    const res = await this.send(method, path, body, opts);
    const text = await res.body.text();
    try {
      return JSON.parse(text);
    } catch {
      throw new Error(`Ollama answered ${path} with something that is not JSON: ${text.slice(0, 120)}`);
    }
  }

  private async send(method: string, path: string, body: unknown, opts: CallOptions) {
    const res = await request(this.baseUrl + path, {
      method: method as 'GET' | 'POST',
      body: body === undefined ? undefined : JSON.stringify(body),
      headers: { 'content-type': 'application/json', accept: 'application/x-ndjson' },
      signal: opts.signal,
      headersTimeout: opts.stallTimeoutMs,
      bodyTimeout: opts.stallTimeoutMs,
    });
    if (res.statusCode >= 400) {
      const text = await res.body.text();
      throw new OllamaStatusError(res.statusCode, errorMessageOf(text) ?? `HTTP ${res.statusCode}`);
    }
    return res;
  }
}

/**
 * What Ollama (or whatever answers in its place) said, made safe to show: one line, no control
 * characters (no terminal escapes), at most `max` characters. Error texts end up in failure
 * messages, the workflow history, status.json and the terminal.
 */
export function oneLine(text: string, max = 300): string {
  const flat = text
    .slice(0, max * 4)
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

function errorMessageOf(text: string): string | undefined {
  try {
    const parsed = JSON.parse(text) as { error?: unknown };
    if (typeof parsed.error === 'string') return oneLine(parsed.error);
  } catch {
    // not JSON: fall through to the raw text
  }
  return oneLine(text, 200) || undefined;
}

/** Parses one stream line; an `{"error": …}` line becomes an OllamaStatusError, junk a plain Error. */
export function parseStreamLine(line: string): ChatResponse {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    throw new Error(`Ollama sent a malformed stream line: ${oneLine(line, 80)}`);
  }
  if (typeof parsed !== 'object' || parsed === null) throw new Error(`Ollama sent a malformed stream line: ${oneLine(line, 80)}`);
  const obj = parsed as Partial<ChatResponse> & { error?: unknown };
  if (typeof obj.error === 'string') throw new OllamaStatusError(500, oneLine(obj.error));
  if (typeof obj.done !== 'boolean') throw new Error(`Ollama sent a stream line without "done": ${oneLine(line, 80)}`);
  return { ...obj, message: obj.message ?? { role: 'assistant', content: '' } } as ChatResponse;
}

/**
 * Splits a byte stream into NDJSON lines; blank lines are skipped. A line longer than
 * `maxLineChars` throws as soon as it is seen: a stream that never sends a newline must not
 * grow in memory past every cap.
 */
export async function* ndjsonLines(body: AsyncIterable<Buffer | string>, maxLineChars = Infinity, sender = 'Ollama'): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  // The start of the current line, in pieces: only new text is searched for a newline, so a
  // long line costs linear time (appending to one string and searching it again was quadratic).
  let head: string[] = [];
  let headChars = 0;
  const tooLong = () => new Error(`${sender} sent a stream line longer than ${maxLineChars} characters without a newline`);
  function* split(text: string): Generator<string> {
    let from = 0;
    let newline: number;
    while ((newline = text.indexOf('\n', from)) >= 0) {
      if (headChars + newline - from > maxLineChars) throw tooLong();
      const line = (head.join('') + text.slice(from, newline)).trim();
      head = [];
      headChars = 0;
      from = newline + 1;
      if (line) yield line;
    }
    const rest = text.slice(from);
    headChars += rest.length;
    if (headChars > maxLineChars) throw tooLong();
    if (rest) head.push(rest);
  }
  for await (const piece of body) yield* split(typeof piece === 'string' ? piece : decoder.decode(piece, { stream: true }));
  yield* split(decoder.decode() + '\n');
}
