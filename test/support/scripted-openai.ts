// Ollama's OpenAI-compatible endpoints for the scripted Ollama, translated the way Ollama 0.19
// does it (middleware/openai.go, openai/openai.go): a /v1/chat/completions request becomes an
// /api/chat one (FromChatRequest), the same scripted answer is produced, and each of its NDJSON
// lines becomes SSE chunks (ChatWriter): a chunk per line with the role in every delta, the
// finish_reason on the last, then a usage chunk with no choices (stream_options.include_usage)
// and `data: [DONE]`. An error line inside the stream decodes as an empty chunk, after which the
// stream just ends, as it does there. Errors are `{"error": {"message", "type", "param", "code"}}`.

/** How an answer goes on the wire: Ollama's own NDJSON, or translated for /v1. */
export interface AnswerWire {
  /** The media type of a streamed answer. */
  streamType: string;
  /** What a whole answer (an error, or a reply with "stream": false) becomes. */
  whole(status: number, body: Record<string, unknown>): unknown;
  /** What one native stream line becomes on the wire. */
  line(native: Record<string, unknown>): string;
}

export const NATIVE_WIRE: AnswerWire = {
  streamType: 'application/x-ndjson',
  whole: (_status, body) => body,
  line: (native) => JSON.stringify(native) + '\n',
};

/** openai.NewError: the type follows the status. */
export function openAiError(status: number, message: string) {
  const type = status === 400 ? 'invalid_request_error' : status === 404 ? 'not_found_error' : 'api_error';
  return { error: { message, type, param: null, code: null } };
}

/** The 401 of a server that wants `Bearer <apiKey>` (OpenAI's words, which echo the key given); undefined when let in. */
export function unauthorized(authorization: string | undefined, apiKey: string | undefined) {
  if (!apiKey || authorization === `Bearer ${apiKey}`) return undefined;
  const given = authorization?.replace(/^Bearer /, '');
  return {
    error: {
      message: given ? `Incorrect API key provided: ${given}.` : "You didn't provide an API key.",
      type: 'invalid_request_error',
      param: null,
      code: 'invalid_api_key',
    },
  };
}

/** ChatMiddleware's checks and FromChatRequest: the /api/chat body, or the message of a 400. */
export function fromChatCompletionRequest(body: Record<string, unknown>): Record<string, unknown> | string {
  if (!Array.isArray(body.messages) || body.messages.length === 0) return "[] is too short - 'messages'";
  const messages: { role: string; content: string }[] = [];
  for (const m of body.messages as { role?: unknown; content?: unknown }[]) {
    const role = String(m?.role ?? '');
    if (typeof m?.content === 'string') messages.push({ role, content: m.content });
    else if (Array.isArray(m?.content)) {
      for (const part of m.content as { type?: unknown; text?: unknown }[]) {
        if (part?.type !== 'text' || typeof part.text !== 'string') return 'invalid message format';
        messages.push({ role, content: part.text });
      }
    } else return `invalid message content type: ${m?.content === null || m?.content === undefined ? '<nil>' : typeof m.content}`;
  }
  const options: Record<string, unknown> = { temperature: body.temperature ?? 1.0, top_p: body.top_p ?? 1.0 };
  if (typeof body.stop === 'string') options.stop = [body.stop];
  else if (Array.isArray(body.stop)) options.stop = body.stop.filter((s) => typeof s === 'string');
  if (body.max_tokens !== undefined && body.max_tokens !== null) options.num_predict = body.max_tokens;
  if (body.seed !== undefined && body.seed !== null) options.seed = body.seed;
  const format = body.response_format as { type?: string; json_schema?: { schema?: unknown } } | undefined;
  const kind = String(format?.type ?? '')
    .trim()
    .toLowerCase();
  const native: Record<string, unknown> = { model: body.model ?? '', messages, options, stream: body.stream === true };
  if (kind === 'json_object') native.format = 'json';
  else if (kind === 'json_schema' && format?.json_schema) native.format = format.json_schema.schema;
  return native;
}

/** ChatWriter for one request: `id` is Ollama's `chatcmpl-<0..998>`. */
export function chatCompletionWire(request: Record<string, unknown>): AnswerWire {
  const id = `chatcmpl-${Math.floor(Math.random() * 999)}`;
  const includeUsage = (request.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;
  const usageOf = (r: Record<string, unknown>) => {
    const prompt = Number(r.prompt_eval_count ?? 0);
    const completion = Number(r.eval_count ?? 0);
    return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
  };
  const finishReason = (r: Record<string, unknown>) => (typeof r.done_reason === 'string' && r.done_reason ? r.done_reason : null);
  const contentOf = (r: Record<string, unknown>) => String((r.message as { content?: unknown } | undefined)?.content ?? '');
  const event = (data: unknown) => `data: ${JSON.stringify(data)}\n\n`;
  return {
    streamType: 'text/event-stream',
    whole(status, body) {
      if (status !== 200) return openAiError(status, String(body.error ?? ''));
      return {
        id,
        object: 'chat.completion',
        created: Math.floor(Date.parse(String(body.created_at)) / 1000),
        model: body.model,
        system_fingerprint: 'fp_ollama',
        choices: [{ index: 0, message: { role: 'assistant', content: contentOf(body) }, finish_reason: finishReason(body) }],
        usage: usageOf(body),
      };
    },
    line(native) {
      const chunk = {
        id,
        object: 'chat.completion.chunk',
        created: Math.floor(Date.now() / 1000),
        model: native.model ?? '',
        system_fingerprint: 'fp_ollama',
        choices: [{ index: 0, delta: { role: 'assistant', content: contentOf(native) }, finish_reason: finishReason(native) }],
      };
      if (native.done !== true) return event(chunk);
      const usage = includeUsage ? event({ ...chunk, choices: [], usage: usageOf(native) }) : '';
      return event(chunk) + usage + 'data: [DONE]\n\n';
    },
  };
}

/**
 * Which server the /v1 side behaves like: Ollama's (it continues a final assistant message),
 * vLLM's (a new turn unless the request says continue_final_message and add_generation_prompt:
 * false; its /v1/models says owned_by "vllm"), llama-server's (it continues, but its answer
 * repeats the prefilled text first, as llama.cpp's server of llama-cpp-python 0.3.36 does, seen
 * 2026-12-05) or llama-server's with a thinking template (a 400 to a final assistant message);
 * both llama-servers say owned_by "llamacpp" and answer GET /props. Only Ollama has /api/*.
 */
export type V1Server = 'ollama' | 'vllm' | 'llama-server' | 'llama-server-thinking';

/** What a server makes of a request that ends in an assistant message: continue it, start a new turn, or refuse it. */
export function prefillVerdict(server: V1Server, body: Record<string, unknown>): Prefill | { status: number; error: unknown } {
  if (server === 'ollama') return 'continue';
  if (server === 'llama-server') return 'echo';
  if (server === 'llama-server-thinking')
    // llama.cpp's server (oaicompat_chat_params_parse) and its format_error_response.
    return {
      status: 400,
      error: { error: { code: 400, message: 'Assistant response prefill is incompatible with enable_thinking.', type: 'invalid_request_error' } },
    };
  // vLLM's ChatCompletionRequest: add_generation_prompt defaults to true, and both true is refused.
  if (body.continue_final_message === true && body.add_generation_prompt !== false)
    return {
      status: 400,
      error: {
        object: 'error',
        message: 'Cannot set both `continue_final_message` and `add_generation_prompt` to True.',
        type: 'BadRequestError',
        param: null,
        code: 400,
      },
    };
  return body.continue_final_message === true ? 'continue' : 'new-turn';
}

/** The endpoints other than /v1 that tell the servers apart (activities/llm/server-kinds.ts reads them); null: a 404. */
export function serverSigns(server: V1Server, route: string): unknown {
  if (server === 'vllm' && route === 'GET /version') return { version: '0.11.0' };
  if ((server === 'llama-server' || server === 'llama-server-thinking') && route === 'GET /props')
    return { default_generation_settings: { n_ctx: 4096 }, total_slots: 1, chat_template: '{{ messages }}', build_info: 'b6000-scripted' };
  return null;
}

export const OWNERS: Record<V1Server, string | undefined> = {
  ollama: undefined,
  vllm: 'vllm',
  'llama-server': 'llamacpp',
  'llama-server-thinking': 'llamacpp',
};

/** What a server does with a final assistant message: continue it, start a new turn, or continue and repeat it first. */
export type Prefill = 'continue' | 'new-turn' | 'echo';

/** ToListCompletion: GET /v1/models from the /api/tags entries (`owner`: another server's owned_by). */
export function modelList(models: { name: string; modified_at: string }[], owner?: string) {
  return {
    object: 'list',
    // Go's nil slice: no models is `null`, not [].
    data:
      models.length === 0
        ? null
        : models.map((m) => ({ id: m.name, object: 'model', created: Math.floor(Date.parse(m.modified_at) / 1000), owned_by: owner ?? ownerOf(m.name) })),
  };
}

/** model.ParseName(name).Namespace: "library" unless the name has its own (`user/model`). */
function ownerOf(name: string): string {
  const parts = name.split(':')[0]!.split('/');
  return parts.length >= 2 ? parts.at(-2)! : 'library';
}
