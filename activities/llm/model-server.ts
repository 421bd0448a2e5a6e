// The model server a run talks to, whichever API it speaks (llm.api: Ollama's native API when
// absent, or the OpenAI-compatible one): one streamed chat call, one "are you there" probe,
// and how messages name it. Everything above this (cache, heartbeats, caps, failures) is shared.
import type { LlmSettings, ModelOptions } from '../../core/types.js';
import { OllamaClient, type CallOptions, type ChatRequest, type Message } from './ollama.js';
import { OpenAiClient, chatCompletionRequest } from './openai.js';
import { afterEcho, serverProfile } from './server-profile.js';

export interface ChatCall {
  messages: Message[];
  format?: ChatRequest['format'];
  stop?: string[];
  options: ModelOptions;
}

/** How one streamed answer ended, in the same terms on both APIs. */
export interface StreamedAnswer {
  /** "stop", "length" (cut off at num_predict), …; null when the server named none. */
  doneReason: string | null;
  /** Prompt tokens read, when the server reports them. */
  promptTokens?: number;
  /** Tokens generated, when the server reports them. */
  outputTokens?: number;
}

/** Streams one answer; `onText` sees each chunk's piece of the answer (possibly empty) as it arrives. */
export async function streamChat(llm: LlmSettings, call: ChatCall, onText: (text: string) => void, opts: CallOptions): Promise<StreamedAnswer> {
  const { messages, format, stop, options } = call;
  if (llm.api === 'openai') {
    // The server's own fields for a prefill and its shape of response_format; a plain request needs neither.
    const last = messages.at(-1);
    const shape = format || last?.role === 'assistant' ? await serverProfile(llm, opts.signal) : undefined;
    const text = shape?.echoesPrefill && last?.role === 'assistant' ? withoutEcho(last.content, onText) : onText;
    const end = await new OpenAiClient(llm.serverUrl).chat(
      chatCompletionRequest(llm.model, messages, options, format, stop, shape),
      (chunk) => {
        // The usage chunk has no choices: it is no piece of the answer.
        if (chunk.choices.length) text(chunk.choices[0]?.delta?.content ?? '');
      },
      opts,
    );
    return { doneReason: end.finishReason, promptTokens: end.usage?.prompt_tokens, outputTokens: end.usage?.completion_tokens };
  }
  const last = await new OllamaClient(llm.serverUrl).chat(
    { model: llm.model, messages, format, options: stop?.length ? { ...options, stop } : options },
    (chunk) => onText(chunk.message.content),
    opts,
  );
  return { doneReason: last.done_reason ?? null, promptTokens: last.prompt_eval_count, outputTokens: last.eval_count };
}

/** `onText` without the repeat of the prefilled answer a server streams first (server-profile.ts afterEcho). */
function withoutEcho(prefix: string, onText: (text: string) => void): (text: string) => void {
  let held: string | null = '';
  return (piece) => {
    if (held === null) return onText(piece);
    held += piece;
    const after = afterEcho(held, prefix);
    if (after === null) return onText(''); // still the repeat, as far as it goes
    onText(after < 0 ? held : held.slice(after));
    held = null;
  };
}

/** Resolves when the server answers its cheapest endpoint (Ollama's /api/version, or /v1/models); throws otherwise. */
export async function probeServer(url: string, api: LlmSettings['api'], signal: AbortSignal): Promise<void> {
  if (api === 'openai') await new OpenAiClient(url).models({ signal });
  else await new OllamaClient(url).version({ signal });
}

/** "Ollama", or a neutral name with its address for any other server (Ollama's /v1 included: we cannot tell). */
export { serverName } from '../../core/types.js';
