// The OpenAI-compatible servers differ where the guided flow needs them to agree: continuing a
// prefilled answer (a final assistant message) and structured output. What each one wants, and
// how to tell which one answers, from what each one exposes (their sources, read for this):
// - Ollama's /v1 continues a final assistant message as it is; GET /api/version answers {"version"}.
// - llama.cpp's llama-server continues it too, but answers 400 with a thinking template; its
//   /v1/models says owned_by "llamacpp", and GET /props has default_generation_settings.
// - vLLM starts a new turn unless the request says continue_final_message and
//   add_generation_prompt: false (both true is a 400); owned_by "vllm", GET /version.
// - SGLang takes the same two fields (sgl-project/sglang#4226); owned_by "sglang".
// - TGI takes continue_final_message (huggingface/text-generation-inference#2733); its
//   response_format is its grammar, {"type": "json_object", "value": schema}; its /v1/models
//   says owned_by the model id, and GET /info names router "text-generation-router".
import type { ServerKind } from '../../core/types.js';
import type { ChatRequest } from './ollama.js';

/** A server kind, or one that none of the known ones' signs identified. */
export type DetectedKind = ServerKind | 'unknown';

/** What a request to this server carries: its kind, and the fields that make it continue a prefilled answer. */
export interface RequestShape {
  kind: DetectedKind;
  /** Sent only when the last message is the assistant's (a prefill): a server may refuse them otherwise. */
  fields: Record<string, unknown>;
}

/** The server names people know them by, for messages. */
export const SERVER_NAMES: Record<DetectedKind, string> = {
  ollama: "Ollama's /v1",
  'llama-server': "llama.cpp's llama-server",
  vllm: 'vLLM',
  sglang: 'SGLang',
  tgi: 'TGI',
  unknown: 'an OpenAI-compatible server',
};

/** vLLM's and SGLang's pair; also tried on a server no sign identified. */
export const VLLM_CONTINUATION = { continue_final_message: true, add_generation_prompt: false } as const;

/** The fields a server needs to continue a final assistant message instead of starting a new turn. */
export function continuationFields(kind: DetectedKind): Record<string, unknown> {
  if (kind === 'vllm' || kind === 'sglang') return { ...VLLM_CONTINUATION };
  if (kind === 'tgi') return { continue_final_message: true };
  return {};
}

export type ResponseFormat =
  | { type: 'json_object' }
  | { type: 'json_schema'; json_schema: { name: string; schema: Record<string, unknown> } }
  /** TGI's grammar: `json_object` is its alias of "json", and `value` the schema. */
  | { type: 'json_object'; value: Record<string, unknown> };

/** Structured output in the server's own shape; undefined without a format. */
export function responseFormat(kind: DetectedKind, format: ChatRequest['format']): ResponseFormat | undefined {
  if (!format) return undefined;
  if (kind === 'tgi') return { type: 'json_object', value: format === 'json' ? { type: 'object' } : format };
  if (format === 'json') return { type: 'json_object' };
  return { type: 'json_schema', json_schema: { name: 'answer', schema: format } };
}

const OWNERS: Record<string, ServerKind> = { vllm: 'vllm', sglang: 'sglang', llamacpp: 'llama-server' };

/**
 * Which server answers, and the sign that said so: /v1/models' owned_by first (the list preflight
 * reads anyway), then the endpoints only one of them has. Unknown when none answers as expected.
 */
/** What detection reads of a server (OpenAiClient has it; named here so openai.ts, which imports this file, is not imported back). */
export interface ServerReader {
  models(opts: { signal?: AbortSignal }): Promise<{ list: { data: { owned_by?: unknown }[] } }>;
  getJson(path: string, opts: { signal?: AbortSignal }): Promise<unknown>;
}

export async function detectServer(client: ServerReader, signal?: AbortSignal): Promise<{ kind: DetectedKind; evidence: string }> {
  const owners = (await client.models({ signal })).list.data.map((m) => String(m?.owned_by ?? '').toLowerCase());
  const owner = owners.find((o) => Object.hasOwn(OWNERS, o));
  if (owner) return { kind: OWNERS[owner]!, evidence: `owned_by "${owner}" at /v1/models` };
  const version = (await client.getJson('/api/version', { signal })) as { version?: unknown } | undefined;
  if (typeof version?.version === 'string') return { kind: 'ollama', evidence: 'GET /api/version' };
  const info = (await client.getJson('/info', { signal })) as { router?: unknown } | undefined;
  if (info?.router === 'text-generation-router') return { kind: 'tgi', evidence: 'router "text-generation-router" at /info' };
  const props = (await client.getJson('/props', { signal })) as { default_generation_settings?: unknown } | undefined;
  if (typeof props?.default_generation_settings === 'object') return { kind: 'llama-server', evidence: 'GET /props' };
  return { kind: 'unknown', evidence: 'no sign of a known server' };
}
