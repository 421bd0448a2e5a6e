// A small client for the OpenAI-compatible chat API (vLLM, llama.cpp's server, LM Studio,
// Ollama's own /v1), shaped like ollama.ts: types that mirror the wire (OpenAI's chat
// completions as Ollama's openai/openai.go has them), one function per endpoint, streaming
// through a per-chunk callback.
import { createParser, type ParseError } from 'eventsource-parser';
import { request } from 'undici';
import type { ModelOptions } from '../../core/types.js';
import { oneLine, type CallOptions, type ChatRequest, type Message } from './ollama.js';
import { responseFormat, type RequestShape, type ResponseFormat } from './server-kinds.js';

/** The environment variable the worker reads the API key from, at call time (never in a run's input). */
export const API_KEY_VARIABLE = 'OVERNIGHT_LLM_API_KEY';

export interface ChatCompletionRequest {
  model: string;
  messages: Message[];
  stream: true;
  /** Without it the stream carries no token counts. */
  stream_options: { include_usage: true };
  temperature?: number;
  seed?: number;
  max_tokens?: number;
  stop?: string[];
  response_format?: ResponseFormat;
  /** A server's own fields (server-kinds.ts), e.g. vLLM's continue_final_message. */
  [field: string]: unknown;
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/** One `data:` event of a chat completion stream; the usage chunk has no choices. */
export interface ChatCompletionChunk {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  system_fingerprint?: string;
  choices: { index: number; delta: { role?: string; content?: string | null }; finish_reason: string | null }[];
  usage?: Usage | null;
}

export interface ModelList {
  object: 'list';
  data: { id: string; object: 'model'; created: number; owned_by: string }[];
}

/** How a stream ended: the last finish_reason ("stop", "length", …) and the usage chunk, if any. */
export interface ChatStreamEnd {
  finishReason: string | null;
  usage?: Usage;
}

/** An HTTP error answer (`{"error": {"message": …}}`) with its status, an error event inside a stream, or a model list that is none. */
export class OpenAiStatusError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'OpenAiStatusError';
  }
}

/**
 * The one form of a base URL: without a trailing `/v1` (users paste either `http://host:8000`
 * or `http://host:8000/v1`, as OpenAI's SDKs want it); the endpoints add `/v1/…` themselves.
 */
export function openAiBaseUrl(url: string): string {
  return url.replace(/\/+$/, '').replace(/\/+v1$/, '');
}

/** Our request in OpenAI's terms, shaped for the server (server-kinds.ts): any server when `shape` is absent. */
export function chatCompletionRequest(
  model: string,
  messages: Message[],
  options: ModelOptions,
  format?: ChatRequest['format'],
  stop?: string[],
  shape: RequestShape = { kind: 'unknown', fields: {} },
): ChatCompletionRequest {
  // The continuation fields first, so no field of ours is overwritten by them.
  const prefilled = messages.at(-1)?.role === 'assistant';
  const req: ChatCompletionRequest = { ...(prefilled ? shape.fields : {}), model, messages, stream: true, stream_options: { include_usage: true } };
  if (options.temperature !== undefined) req.temperature = options.temperature;
  if (options.seed !== undefined) req.seed = options.seed;
  // Ollama's -1 and -2 (no limit, fill the context) have no OpenAI form: leave max_tokens out.
  if (options.num_predict !== undefined && options.num_predict > 0) req.max_tokens = options.num_predict;
  // num_ctx has no OpenAI field: the server's own setting decides (Ollama's /v1 ignores it too and
  // uses OLLAMA_CONTEXT_LENGTH; vLLM --max-model-len; llama.cpp -c).
  if (stop?.length) req.stop = stop;
  const shaped = responseFormat(shape.kind, format);
  if (shaped) req.response_format = shaped;
  return req;
}

export class OpenAiClient {
  readonly baseUrl: string;

  /** `apiKey` defaults to $OVERNIGHT_LLM_API_KEY as it is now: construct the client where the call is made. */
  constructor(
    baseUrl: string,
    private readonly apiKey = process.env[API_KEY_VARIABLE] || undefined,
  ) {
    this.baseUrl = openAiBaseUrl(baseUrl);
  }

  /** GET /v1/models: the models the server serves; resolves with the answer's Server header too. */
  async models(opts: CallOptions = {}): Promise<{ list: ModelList; server?: string }> {
    const res = await this.send('GET', '/v1/models', undefined, opts);
    const text = await res.body.text();
    const server = typeof res.headers.server === 'string' ? oneLine(res.headers.server, 60) : undefined;
    let list: ModelList | undefined;
    try {
      list = JSON.parse(text) as ModelList;
    } catch {
      // not JSON: below
    }
    // An answer, but not this endpoint's: whatever answers there is no OpenAI-compatible server.
    if (!Array.isArray(list?.data)) throw new OpenAiStatusError(res.statusCode, `not a model list: ${this.safe(text, 120)}`);
    return { list, server };
  }

  /** GET `path` as JSON, for the signs of which server this is; undefined for an error status or no JSON (a connection failure throws). */
  async getJson(path: string, opts: CallOptions = {}): Promise<unknown> {
    try {
      return JSON.parse(await (await this.send('GET', path, undefined, opts)).body.text()) as unknown;
    } catch (err) {
      if (err instanceof OpenAiStatusError || err instanceof SyntaxError) return undefined;
      throw err;
    }
  }

  /** POST /v1/chat/completions, streamed: `onChunk` sees every chunk; resolves at `data: [DONE]`. */
  async chat(req: ChatCompletionRequest, onChunk: (chunk: ChatCompletionChunk) => void, opts: CallOptions = {}): Promise<ChatStreamEnd> {
    const res = await this.send('POST', '/v1/chat/completions', req, opts);
    const end: ChatStreamEnd = { finishReason: null };
    for await (const data of sseData(res.body, opts.maxLineChars)) {
      if (data === '[DONE]') return end;
      const chunk = this.parseChunk(data);
      onChunk(chunk);
      end.finishReason = chunk.choices.find((c) => c.finish_reason)?.finish_reason ?? end.finishReason;
      if (chunk.usage) end.usage = chunk.usage;
    }
    throw new Error('the model server closed the stream before it was done (no `data: [DONE]`)');
  }

  /** One event's JSON; an error event becomes an OpenAiStatusError, junk a plain Error. */
  parseChunk(data: string): ChatCompletionChunk {
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      throw new Error(`the model server sent a malformed stream line: ${this.safe(data, 80)}`);
    }
    if (typeof parsed !== 'object' || parsed === null) throw new Error(`the model server sent a malformed stream line: ${this.safe(data, 80)}`);
    const message = errorMessageIn(parsed);
    if (message !== undefined) throw new OpenAiStatusError(500, this.safe(message));
    const chunk = parsed as ChatCompletionChunk;
    if (!Array.isArray(chunk.choices)) throw new Error(`the model server sent a stream line without "choices": ${this.safe(data, 80)}`);
    return chunk;
  }

  private async send(method: 'GET' | 'POST', path: string, body: unknown, opts: CallOptions) {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    if (this.apiKey) headers.authorization = `Bearer ${this.apiKey}`;
    const res = await request(this.baseUrl + path, {
      method,
      body: body === undefined ? undefined : JSON.stringify(body),
      headers,
      signal: opts.signal,
      headersTimeout: opts.stallTimeoutMs,
      bodyTimeout: opts.stallTimeoutMs,
    });
    if (res.statusCode >= 400) {
      const text = await res.body.text();
      let message: string | undefined;
      try {
        message = errorMessageIn(JSON.parse(text));
      } catch {
        // not JSON: the raw text below
      }
      throw new OpenAiStatusError(res.statusCode, this.safe(message ?? text, 200) || `HTTP ${res.statusCode}`);
    }
    return res;
  }

  /** A server's text made safe to show: one line, and never the API key (some servers echo it back). */
  private safe(text: string, max = 300): string {
    return oneLine(this.apiKey ? text.split(this.apiKey).join('[API key]') : text, max);
  }
}

/** The message of an error answer in the forms servers use: OpenAI's `{"error": {"message"}}`, `{"error": "…"}`, vLLM's `{"object": "error", "message"}`, FastAPI's `{"detail"}`. */
function errorMessageIn(parsed: unknown): string | undefined {
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { error, object, message, detail } = parsed as Record<string, unknown>;
  if (typeof error === 'string') return error;
  if (typeof error === 'object' && error !== null) return String((error as { message?: unknown }).message ?? JSON.stringify(error));
  if (object === 'error' && typeof message === 'string') return message;
  if (typeof detail === 'string') return detail;
  return undefined;
}

/**
 * The `data:` payloads of a server-sent event stream, parsed by eventsource-parser: an event's
 * `data:` lines are joined with newlines (the spec), comments and the `event:`, `id:` and `retry:`
 * fields are skipped. llama.cpp's `error: {…}` line is passed on as data (it parses as an error);
 * any other line that is no SSE field is malformed. An event longer than `maxEventChars` throws.
 */
export async function* sseData(body: AsyncIterable<Buffer | string>, maxEventChars = Infinity): AsyncGenerator<string> {
  // Events and failures in the order the stream had them: what came before a bad line is still passed on.
  const queue: ({ data: string } | { failure: Error })[] = [];
  const failed = (err: ParseError): Error => {
    if (err.type === 'max-buffer-size-exceeded') return new Error(`the model server sent a stream event longer than ${maxEventChars} characters`);
    return new Error(`the model server sent a malformed stream line: ${oneLine(err.line ?? err.field ?? '', 80)}`);
  };
  const parser = createParser({
    onEvent: (event) => queue.push({ data: event.data }),
    onError: (err) => queue.push(err.type === 'unknown-field' && err.field === 'error' ? { data: err.value ?? '' } : { failure: failed(err) }),
    maxBufferSize: Number.isFinite(maxEventChars) ? maxEventChars : undefined,
  });
  const decoder = new TextDecoder();
  function* drain(): Generator<string> {
    for (let item = queue.shift(); item; item = queue.shift()) {
      if ('failure' in item) throw item.failure;
      yield item.data;
    }
  }
  for await (const piece of body) {
    // A parser past its buffer cap throws on the next feed; its onError already queued why.
    if (!queue.some((item) => 'failure' in item)) parser.feed(typeof piece === 'string' ? piece : decoder.decode(piece, { stream: true }));
    yield* drain();
  }
  // A stream that ends without the blank line after its last event still delivers that event.
  parser.feed(decoder.decode() + '\n\n');
  yield* drain();
}
