// A scripted Ollama for tests. It speaks Ollama's wire format (server/routes.go and
// api/types.go): NDJSON streams (application/x-ndjson) whose last line carries done_reason
// and the metrics, single JSON objects with "stream": false, `{"error": "..."}` bodies with
// an HTTP status, `{"error": "..."}` lines inside a stream, gin's plain "404 page not found";
// and, from the same answers, Ollama's OpenAI-compatible /v1/chat/completions and /v1/models
// (scripted-openai.ts translates, as Ollama's middleware does).
// What it answers comes from a responder; faults make it misbehave on purpose.
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
  fileLineOf,
  isFault,
  todoApiResponder,
  type Fault,
  type FaultKind,
  type Responder,
  type ScriptedRequest,
  type WireMessage,
} from './scripted-ollama-responders.js';
import {
  NATIVE_WIRE,
  OWNERS,
  chatCompletionWire,
  fromChatCompletionRequest,
  modelList,
  openAiError,
  prefillVerdict,
  type Prefill,
  serverSigns,
  unauthorized,
  type AnswerWire,
  type V1Server,
} from './scripted-openai.js';

/** What the scripted Ollama answers at /api/version unless told otherwise: the release the project builds. */
export const SCRIPTED_OLLAMA_VERSION = '0.19.0';
/** Ollama 0.19's context size when a request sets no num_ctx (OLLAMA_CONTEXT_LENGTH's default). */
const DEFAULT_NUM_CTX = 4096;
export * from './scripted-ollama-responders.js';
import {
  FILLER,
  MODIFIED_AT,
  oversizedPieces,
  pieces,
  readJson,
  resetSocket,
  sendJson,
  sendText,
  sleep,
  spokenText,
  untilClosed,
  write,
  modelEntry,
  normalizeName,
  rfc3339Nano,
  type ModelInfo,
} from './scripted-ollama-http.js';
export { rfc3339Nano, spokenText, type ModelInfo };

export interface ScriptedCall {
  index: number;
  path: ScriptedRequest['path'];
  model: string;
  lastUserMessage: string;
  file?: string;
  stream: boolean;
  /** The fault applied to this call, if any. */
  fault?: FaultKind;
  /** 404 when the model is unknown; absent otherwise. */
  status?: number;
  /** The request's options.seed: which sample was asked for. */
  seed?: number;
  /** A hash of the request (model, messages, options, format, stop): the same request asked again has the same one. */
  request: string;
  /** A request ending in an assistant message: whether the server continued it or started a new turn. */
  prefill?: Prefill;
  at: number;
}

export interface CallEnd {
  /** The whole answer (and the done line) reached the socket. */
  complete: boolean;
  /** Answer chunks written before the end, of `chunks` planned. */
  chunksSent: number;
  chunks: number;
  at: number;
}

export interface ScriptedOllamaOptions {
  port?: number; // 0 (any free port) by default
  host?: string; // 127.0.0.1
  models?: Array<string | ModelInfo>; // ['codellama:7b']
  version?: string; // /api/version, '0.19.0'
  /** Picks each answer. Default: todoApiResponder({ fixtureDir }). */
  respond?: Responder;
  fixtureDir?: string;
  /** A fault for every call (or per call, by function) unless the responder returned one. */
  fault?: Fault | ((req: ScriptedRequest, callIndex: number) => Fault | undefined);
  /** Streams every answer at this pace (a `slow` fault for all calls). */
  tokensPerSecond?: number;
  /** Characters per streamed chunk (one "token"). Default 4. */
  chunkChars?: number;
  /** Called as each chat/generate call arrives (before it is answered). */
  onCall?: (call: ScriptedCall) => void;
  /** Called when a call's answer ends: sent whole, or cut short because the client went away. */
  onCallEnd?: (call: ScriptedCall, end: CallEnd) => void;
  /** The 404 text for an unknown model on chat/generate. */
  modelNotFoundMessage?: (name: string) => string;
  /** /v1 asks for `Authorization: Bearer <apiKey>`, as a hosted OpenAI-compatible server does (Ollama itself asks for none). */
  apiKey?: string;
  /** The server /v1 behaves like (scripted-openai.ts): Ollama's by default. */
  v1Server?: V1Server;
}

export interface ScriptedOllama {
  url: string;
  port: number;
  calls: ScriptedCall[];
  /** Every HTTP request, any path, with its Authorization header when it had one. */
  requests: Array<{ method: string; path: string; at: number; authorization?: string }>;
  close(): Promise<void>;
}

export async function startScriptedOllama(options: ScriptedOllamaOptions = {}): Promise<ScriptedOllama> {
  const models = (options.models ?? ['codellama:7b']).map((m) => (typeof m === 'string' ? { name: m } : m));
  const findModel = (name: string) => models.find((m) => normalizeName(m.name) === normalizeName(name));
  const respond = options.respond ?? todoApiResponder({ fixtureDir: options.fixtureDir });
  const chunkChars = Math.max(1, options.chunkChars ?? 4);
  const notFound = options.modelNotFoundMessage ?? ((name: string) => `model '${name}' not found`);
  const calls: ScriptedCall[] = [];
  const requests: ScriptedOllama['requests'] = [];
  const sockets = new Set<Socket>();

  /** One chat or generate call, `body` already read; `wire` says how the answer is written (NDJSON, or /v1's SSE). */
  async function llm(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    p: ScriptedRequest['path'],
    body: Record<string, unknown>,
    wire: AnswerWire = NATIVE_WIRE,
    prefill: Prefill = 'continue',
  ): Promise<void> {
    const started = process.hrtime.bigint();
    const isChat = p !== '/api/generate';
    const model = typeof body.model === 'string' ? body.model : '';
    if (!model) return sendJson(res, 400, wire.whole(400, { error: 'model is required' }));
    const messages: WireMessage[] = isChat
      ? Array.isArray(body.messages)
        ? (body.messages as WireMessage[])
        : []
      : [...(body.system ? [{ role: 'system', content: String(body.system) }] : []), { role: 'user', content: String(body.prompt ?? '') }];
    const stream = body.stream !== false;
    const known = findModel(model);
    if (known && (isChat ? messages.length === 0 : !body.prompt)) {
      // Ollama loads the model and answers done_reason "load", in one JSON object.
      const base = { model, created_at: rfc3339Nano() };
      return sendJson(
        res,
        200,
        isChat
          ? { ...base, message: { role: 'assistant', content: '' }, done_reason: 'load', done: true }
          : { ...base, response: '', done: true, done_reason: 'load' },
      );
    }
    const lastUserMessage = [...messages].reverse().find((m) => m.role === 'user')?.content ?? '';
    const options_ = typeof body.options === 'object' && body.options !== null ? (body.options as Record<string, unknown>) : undefined;
    const sreq: ScriptedRequest = {
      path: p,
      model,
      messages,
      lastUserMessage,
      file: fileLineOf(lastUserMessage),
      format: body.format,
      options: options_,
      stream,
      body,
    };
    const index = calls.length;
    const call: ScriptedCall = {
      index,
      path: p,
      model,
      lastUserMessage,
      stream,
      request: createHash('sha256')
        .update(JSON.stringify({ ...body, stream: undefined }))
        .digest('hex')
        .slice(0, 16),
      at: Date.now(),
      ...(typeof options_?.seed === 'number' ? { seed: options_.seed } : {}),
      ...(messages.at(-1)?.role === 'assistant' ? { prefill } : {}),
    };
    if (sreq.file) call.file = sreq.file;
    calls.push(call);
    if (!known) {
      call.status = 404;
      options.onCall?.(call);
      return sendJson(res, 404, wire.whole(404, { error: notFound(model) }));
    }

    let answer;
    try {
      answer = await respond(sreq, index);
    } catch (err) {
      answer = { fault: 'http500', message: `scripted-ollama responder failed: ${(err as Error).message}` } satisfies Fault;
    }
    const globalFault = typeof options.fault === 'function' ? options.fault(sreq, index) : options.fault;
    const fault: Fault | undefined = isFault(answer) ? answer : (globalFault ?? (options.tokensPerSecond ? { fault: 'slow' } : undefined));
    // A new turn after a final assistant message answers the whole question again.
    const spoken = spokenText(isFault(answer) ? (answer.text ?? FILLER) : answer, messages, options_?.stop, prefill !== 'new-turn');
    const last = messages.at(-1);
    // llama-server's answer starts with the prefilled text again.
    const text = prefill === 'echo' && last?.role === 'assistant' && typeof last.content === 'string' ? last.content + spoken : spoken;
    if (fault) call.fault = fault.fault;
    options.onCall?.(call);
    let chunksSent = 0;
    let planned = 0;
    if (options.onCallEnd) {
      const onCallEnd = options.onCallEnd;
      res.once('close', () => onCallEnd(call, { complete: res.writableFinished, chunksSent, chunks: planned, at: Date.now() }));
    }
    if (fault?.fault === 'http500')
      return sendJson(res, 500, wire.whole(500, { error: fault.message ?? 'llama runner process has terminated: exit status 2' }));

    let chunks = fault?.fault === 'oversized' ? [...oversizedPieces(fault.bytes ?? 11 * 1024 * 1024)] : [...pieces(text, chunkChars)];
    let doneReason = 'stop';
    const numPredict = Number(options_?.num_predict ?? 0);
    if (numPredict > 0 && chunks.length > numPredict) {
      chunks = chunks.slice(0, numPredict);
      doneReason = 'length';
    }
    planned = chunks.length;
    const promptChars = messages.reduce((n, m) => n + String(m.content ?? '').length, 0);
    // A prompt longer than the context is cut to fit, and Ollama then reports exactly num_ctx
    // tokens read (test/real/wire.test.ts checks that on the real one); 4096 when not set.
    const promptTokens = Math.min(Math.max(1, Math.ceil(promptChars / 4)), Number(options_?.num_ctx ?? DEFAULT_NUM_CTX));
    const tps = fault?.fault === 'slow' ? (fault.tokensPerSecond ?? options.tokensPerSecond ?? 10) : 0;
    const strikeAt = Math.min(fault?.afterChunks ?? 3, chunks.length);
    const errorText = fault?.message ?? 'an error was encountered while running the model: unexpected EOF';
    const garbageLine = fault?.line ?? '<html><body><h1>502 Bad Gateway</h1></body></html>';

    const chunk = (content: string, final: boolean, firstToken: bigint) => {
      const base = { model, created_at: rfc3339Nano() };
      if (!final) return isChat ? { ...base, message: { role: 'assistant', content }, done: false } : { ...base, response: content, done: false };
      const now = process.hrtime.bigint();
      const half = Number(firstToken - started) / 2;
      const metrics = {
        total_duration: Number(now - started) + 2,
        load_duration: Math.floor(half) + 1,
        prompt_eval_count: promptTokens,
        prompt_eval_duration: Math.ceil(half) + 1,
        eval_count: chunks.length,
        eval_duration: Number(now - firstToken) + 1,
      };
      return isChat
        ? { ...base, message: { role: 'assistant', content }, done_reason: doneReason, done: true, ...metrics }
        : { ...base, response: content, done: true, done_reason: doneReason, context: [1, 2, 3], ...metrics };
    };

    if (!stream) {
      if (fault?.fault === 'stall') return untilClosed(res);
      if (fault?.fault === 'reset') return resetSocket(req.socket);
      if (fault?.fault === 'errorLine') return sendJson(res, 500, wire.whole(500, { error: errorText }));
      if (fault?.fault === 'garbage') return sendText(res, 200, garbageLine, 'application/json; charset=utf-8');
      const first = process.hrtime.bigint();
      if (tps > 0) await sleep((chunks.length * 1000) / tps);
      return sendJson(res, 200, wire.whole(200, chunk(chunks.join(''), true, first)));
    }

    res.writeHead(200, { 'Content-Type': wire.streamType });
    res.flushHeaders();
    const first = process.hrtime.bigint();
    const t0 = Date.now();
    for (let i = 0; i <= chunks.length; i++) {
      if (fault && i === strikeAt) {
        if (fault.fault === 'stall') return untilClosed(res);
        if (fault.fault === 'reset') {
          await sleep(20); // let the chunks already written reach the client first
          return resetSocket(req.socket);
        }
        if (fault.fault === 'errorLine') {
          await write(res, wire.line({ error: errorText }));
          return void res.end();
        }
        if (fault.fault === 'garbage' && !(await write(res, garbageLine + '\n'))) return;
      }
      if (i === chunks.length) break;
      if (tps > 0) await sleep(Math.max(0, t0 + ((i + 1) * 1000) / tps - Date.now()));
      else if (i % 256 === 255) await new Promise((resolve) => setImmediate(resolve));
      if (!(await write(res, wire.line(chunk(chunks[i]!, false, first))))) return;
      chunksSent++;
    }
    if (await write(res, wire.line(chunk('', true, first)))) res.end();
  }

  const server = http.createServer((req, res) => {
    const p = new URL(req.url ?? '/', 'http://scripted').pathname;
    const method = req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET');
    const authorization = req.headers.authorization;
    requests.push({ method: req.method ?? 'GET', path: p, at: Date.now(), ...(authorization ? { authorization } : {}) });
    const route = `${method} ${p}`;
    const v1Server = options.v1Server ?? 'ollama';
    const handle = async (): Promise<void> => {
      if (v1Server !== 'ollama' && !p.startsWith('/v1/')) {
        const sign = serverSigns(v1Server, route);
        return sign === null ? sendJson(res, 404, { detail: 'Not Found' }) : sendJson(res, 200, sign);
      }
      if (route === 'GET /') return sendText(res, 200, 'Ollama is running');
      if (route === 'GET /api/version') return sendJson(res, 200, { version: options.version ?? SCRIPTED_OLLAMA_VERSION });
      if (route === 'GET /api/tags') return sendJson(res, 200, { models: models.map(modelEntry) });
      if (route === 'POST /api/show') {
        const body = await readJson(req);
        if (typeof body === 'string') return sendJson(res, 400, { error: body });
        const name = String(body.model || body.name || '');
        if (!name) return sendJson(res, 400, { error: 'model is required' });
        const m = findModel(name);
        if (!m) return sendJson(res, 404, { error: `model '${name}' not found` });
        const e = modelEntry(m);
        return sendJson(res, 200, {
          modelfile: `# Modelfile generated by "ollama show"\nFROM /models/blobs/sha256-${e.digest}\n`,
          parameters: 'stop                           "[INST]"\nstop                           "[/INST]"',
          template: '[INST] <<SYS>>{{ .System }}<</SYS>>\n\n{{ .Prompt }} [/INST]\n',
          details: e.details,
          model_info: { 'general.architecture': e.details.family, 'general.parameter_count': 6_738_546_688, [`${e.details.family}.context_length`]: 16384 },
          tensors: [{ name: 'token_embd.weight', type: 'Q4_0', shape: [4096, 32016] }],
          capabilities: ['completion'],
          modified_at: MODIFIED_AT,
        });
      }
      if (route === 'POST /api/chat' || route === 'POST /api/generate') {
        const body = await readJson(req);
        return typeof body === 'string' ? sendJson(res, 400, { error: body }) : llm(req, res, p as '/api/chat' | '/api/generate', body);
      }
      const refused = p.startsWith('/v1/') ? unauthorized(authorization, options.apiKey) : undefined;
      if (refused) return sendJson(res, 401, refused);
      if (route === 'GET /v1/models') return sendJson(res, 200, modelList(models.map(modelEntry), OWNERS[v1Server]));
      if (route === 'POST /v1/chat/completions') {
        const body = await readJson(req);
        const native = typeof body === 'string' ? body : fromChatCompletionRequest(body);
        if (typeof native === 'string') return sendJson(res, 400, openAiError(400, native));
        const prefilled = (native.messages as WireMessage[]).at(-1)?.role === 'assistant';
        const verdict = prefilled ? prefillVerdict(v1Server, body as Record<string, unknown>) : 'continue';
        if (typeof verdict === 'object') return sendJson(res, verdict.status, verdict.error);
        return llm(req, res, '/v1/chat/completions', native, chatCompletionWire(body as Record<string, unknown>), verdict);
      }
      sendText(res, 404, '404 page not found', 'text/plain');
    };
    handle().catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: (err as Error).message });
      else res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port, address } = server.address() as AddressInfo;
  return {
    url: `http://${address}:${port}`,
    port,
    calls,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
