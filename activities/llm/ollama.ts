// A small Ollama API client over undici, shaped after ollama's own api/types.go and
// api/client.go: types that mirror the wire, one function per endpoint, streaming
// through a per-chunk callback.
import { request } from 'undici';
import type { ModelOptions } from '../../workflows/types.js';

export interface Message {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatRequest {
  model: string;
  messages: Message[];
  stream?: boolean;
  /** "json" or a JSON schema object (structured outputs). */
  format?: 'json' | Record<string, unknown>;
  options?: ModelOptions;
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

  /** POST /api/chat, streamed: `onChunk` sees every NDJSON line; resolves with the last one. */
  async chat(req: ChatRequest, onChunk: (chunk: ChatResponse) => void, opts: CallOptions = {}): Promise<ChatResponse> {
    const res = await this.send('POST', '/api/chat', { ...req, stream: true }, opts);
    let last: ChatResponse | undefined;
    for await (const line of ndjsonLines(res.body)) {
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

function errorMessageOf(text: string): string | undefined {
  try {
    const parsed = JSON.parse(text) as { error?: unknown };
    if (typeof parsed.error === 'string') return parsed.error;
  } catch {
    // not JSON: fall through to the raw text
  }
  return text.trim().slice(0, 200) || undefined;
}

/** Parses one stream line; an `{"error": …}` line becomes an OllamaStatusError, junk a plain Error. */
export function parseStreamLine(line: string): ChatResponse {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    throw new Error(`Ollama sent a malformed stream line: ${line.slice(0, 80)}`);
  }
  if (typeof parsed !== 'object' || parsed === null) throw new Error(`Ollama sent a malformed stream line: ${line.slice(0, 80)}`);
  const obj = parsed as Partial<ChatResponse> & { error?: unknown };
  if (typeof obj.error === 'string') throw new OllamaStatusError(500, obj.error);
  if (typeof obj.done !== 'boolean') throw new Error(`Ollama sent a stream line without "done": ${line.slice(0, 80)}`);
  return { ...obj, message: obj.message ?? { role: 'assistant', content: '' } } as ChatResponse;
}

/** Splits a byte stream into NDJSON lines; blank lines are skipped. */
export async function* ndjsonLines(body: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let pending = '';
  for await (const piece of body) {
    pending += typeof piece === 'string' ? piece : decoder.decode(piece, { stream: true });
    let newline: number;
    while ((newline = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, newline).trim();
      pending = pending.slice(newline + 1);
      if (line) yield line;
    }
  }
  pending += decoder.decode();
  if (pending.trim()) yield pending.trim();
}
