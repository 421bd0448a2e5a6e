// Whether an OpenAI-compatible server really continues a prefilled answer, found out rather than
// assumed: the server's kind (-llm-server, or detected: server-kinds.ts) says which fields to send,
// and a probe of a few tokens at temperature 0 checks that it continues a count it was given.
// A server that starts a new turn or refuses the prefill (llama-server with a thinking template
// answers 400) is asked without one: the answer is then read as a whole (go-source.ts's
// continuedAnswer keeps its code, not its prose). One profile per server and model, per worker.
import type { LlmSettings } from '../../core/types.js';
import type { Message } from './ollama.js';
import { OpenAiClient, OpenAiStatusError, chatCompletionRequest, openAiBaseUrl } from './openai.js';
import { SERVER_NAMES, VLLM_CONTINUATION, continuationFields, detectServer, type RequestShape } from './server-kinds.js';

/** continues: as it is (Ollama, llama-server); continues-with-fields: with its fields (vLLM, SGLang, TGI); no-prefill: not at all. */
export type PrefillMode = 'continues' | 'continues-with-fields' | 'no-prefill';

export interface ServerProfile extends RequestShape {
  /** How the kind was known: the flag, or the sign the server gave. */
  evidence: string;
  mode: PrefillMode;
  /** It continues, but its answer repeats the prefilled text first (llama-server of llama-cpp-python 0.3.36): cut by streamChat. */
  echoesPrefill?: boolean;
  /** Why there is no prefill, in the server's words where it gave some. */
  why?: string;
}

/** The probe: a count the answer must go on with (a new turn starts over at 1, or with prose). */
export const PREFILL_PROBE = {
  question: 'Count from 1 to 10, separated by commas. Answer with the numbers only.',
  start: '1, 2, 3, 4, 5, 6,',
  /** Asked when the answer was the whole count: a server that repeats a start no new turn writes repeats what it was given. */
  echoStart: 'Counting: 1, 2, 3, 4, 5, 6,',
};

/** A continuation of PREFILL_PROBE.start goes on with 7. */
export const continuesCount = (answer: string) => /^[\s,]*7\b/.test(answer);

/** One probe: how the server continued the count, else why not. */
async function probe(client: OpenAiClient, model: string, shape: RequestShape, signal?: AbortSignal): Promise<{ echoes: boolean } | string> {
  const answer = await answerTo(PREFILL_PROBE.start, client, model, shape, signal);
  if ('refused' in answer) return answer.refused;
  if (continuesCount(answer.text)) return { echoes: false };
  // The whole count: a new turn, or a server that continued and repeated what it was given first
  // (llama-server of llama-cpp-python 0.3.36). Only a start no new turn writes tells them apart.
  const after = afterEcho(answer.text, PREFILL_PROBE.start);
  if (after !== null && after > 0 && continuesCount(answer.text.slice(after))) {
    const again = await answerTo(PREFILL_PROBE.echoStart, client, model, shape, signal);
    if ('text' in again && (afterEcho(again.text, PREFILL_PROBE.echoStart) ?? -1) > 0) return { echoes: true };
  }
  return `it started a new turn instead of continuing (${JSON.stringify(answer.text.slice(0, 24))})`;
}

/** The server's answer (8 tokens at most, temperature 0) to the count, prefilled with `start`; a 400 refuses the prefill. */
async function answerTo(
  start: string,
  client: OpenAiClient,
  model: string,
  shape: RequestShape,
  signal?: AbortSignal,
): Promise<{ text: string } | { refused: string }> {
  const messages: Message[] = [
    { role: 'user', content: PREFILL_PROBE.question },
    { role: 'assistant', content: start },
  ];
  let text = '';
  try {
    await client.chat(
      chatCompletionRequest(model, messages, { temperature: 0, seed: 0, num_predict: 8 }, undefined, undefined, shape),
      (chunk) => (text += chunk.choices[0]?.delta?.content ?? ''),
      { signal, stallTimeoutMs: 120_000 },
    );
  } catch (err) {
    // A 400 refuses the prefill (or a field of it); anything else is no answer about prefills at all.
    if (err instanceof OpenAiStatusError && err.statusCode === 400) return { refused: `it refused a prefilled answer (400: ${err.message})` };
    throw err;
  }
  return { text };
}

/** The profile of the server behind `llm`, found out now. */
async function findProfile(llm: Pick<LlmSettings, 'serverUrl' | 'model' | 'server'>, signal?: AbortSignal): Promise<ServerProfile> {
  const client = new OpenAiClient(llm.serverUrl);
  const { kind, evidence } = llm.server ? { kind: llm.server, evidence: '-llm-server' } : await detectServer(client, signal);
  // A server no sign identified may be a vLLM relative: its fields are the second try.
  const tries = kind === 'unknown' ? [{}, { ...VLLM_CONTINUATION }] : [continuationFields(kind)];
  let why = '';
  for (const fields of tries) {
    const result = await probe(client, llm.model, { kind, fields }, signal);
    if (typeof result === 'string') {
      why = result;
      continue;
    }
    const mode = Object.keys(fields).length ? 'continues-with-fields' : 'continues';
    return { kind, evidence, fields, mode, ...(result.echoes ? { echoesPrefill: true } : {}) };
  }
  return { kind, evidence, fields: {}, mode: 'no-prefill', why };
}

/** A server can be restarted with another template overnight: a profile is found again after this long. */
const PROFILE_TTL_MS = 10 * 60_000;
const profiles = new Map<string, { at: number; profile: Promise<ServerProfile> }>();

/** The server's profile, probed once per server, model and -llm-server for a while; a failed probe is not kept. */
export function serverProfile(llm: Pick<LlmSettings, 'serverUrl' | 'model' | 'server'>, signal?: AbortSignal): Promise<ServerProfile> {
  const key = JSON.stringify([openAiBaseUrl(llm.serverUrl), llm.model, llm.server ?? null]);
  const known = profiles.get(key);
  if (known && Date.now() - known.at < PROFILE_TTL_MS) return known.profile;
  const profile = findProfile(llm, signal);
  profiles.set(key, { at: Date.now(), profile });
  profile.catch(() => profiles.delete(key));
  return profile;
}

/** The profile in status.json's words: the server, how it was known, and the mode by its name. */
export function profileNote(p: ServerProfile): string {
  const server = `${SERVER_NAMES[p.kind]} (${p.evidence})`;
  const echo = p.echoesPrefill ? ', repeating it first: code cuts the repeat' : '';
  if (p.mode === 'continues') return `prefill mode: continues (${server} continued a prefilled answer${echo})`;
  if (p.mode === 'continues-with-fields') {
    const fields = Object.entries(p.fields)
      .map(([k, v]) => `${k}: ${String(v)}`)
      .join(', ');
    return `prefill mode: continues-with-fields (${server} continued a prefilled answer with ${fields}${echo})`;
  }
  return `prefill mode: no-prefill (${server}: ${p.why}); functions are asked for without a started answer, and their code is cut out of the whole answer`;
}

/**
 * Where the repeat of `prefix` at the start of `text` ends: its characters in order, white space
 * aside (a server re-reads the prefix from its tokens, and a space may move across its end).
 * -1: `text` does not repeat it; null: `text` is too short to tell yet.
 */
export function afterEcho(text: string, prefix: string): number | null {
  let i = 0;
  for (const c of prefix) {
    if (/\s/.test(c)) continue;
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (i >= text.length) return null;
    if (text[i] !== c) return -1;
    i++;
  }
  return i;
}
