// One LLM exchange as an activity step: look in the cache, else stream from the model server
// (Ollama's native API or an OpenAI-compatible one, model-server.ts) with heartbeats, an output
// cap, a stall limit and a whole-call limit; map its errors to failures that say whether
// retrying can help and what the user should do.
import { ApplicationFailure } from '@temporalio/activity';
import { activityContext, heartbeatIntervalMs, reportProgress } from '../activity-context.js';
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { MODEL_SERVER_GONE, type LlmSettings, type LlmUsage } from '../../core/types.js';
import { type ChatProgress } from '../../core/run-types.js';
import { loopStart } from '../../core/repetition.js';
import { cachedAnswer, storeAnswer } from '../store/llm-cache.js';
import { recordModelAnswer } from '../run-metrics.js';
import { serverName, streamChat } from './model-server.js';
import { OllamaStatusError, type ChatRequest, type Message } from './ollama.js';
import { API_KEY_VARIABLE, OpenAiStatusError } from './openai.js';
import { serverProfile } from './server-profile.js';

export interface ChatInput {
  dbPath: string;
  llm: LlmSettings;
  messages: Message[];
  format?: ChatRequest['format'];
  /** Generation ends before the first of these (Ollama's `stop` option; not part of the answer). */
  stop?: string[];
  /** Shown in heartbeats, e.g. the file being written. */
  label: string;
  /** Stop an answer that runs in a loop once the loop is evident, keeping its first pass (prose, where a repeated block is never meant). */
  stopLoops?: boolean;
  /** The answer's start, for the model to continue (a final assistant message), where the server continues one (server-profile.ts). */
  prefill?: string;
}

export interface ChatOutput {
  content: string;
  usage: LlmUsage;
  /** Ollama stopped at num_predict (done_reason "length"): the answer is cut off, not finished. */
  cutOff: boolean;
  /** The answer ran in a loop and was stopped there: `content` is its first pass. */
  looped?: boolean;
  /** `content` continues ChatInput.prefill; false when the server was asked without it (a whole answer). */
  prefilled?: boolean;
}

export { addUsage, NO_USAGE } from '../../core/usage.js';

export function cacheKey(llm: LlmSettings, messages: Message[], format: ChatRequest['format'], stop?: string[]): string {
  // `stop` only when set, and `api` only when not Ollama's native one, so the keys of answers
  // cached before they existed still match; another API may answer differently (its defaults).
  const api = llm.api === 'openai' ? { api: llm.api } : {};
  return createHash('sha256')
    .update(JSON.stringify({ model: llm.model, options: llm.options, messages, format: format ?? null, ...(stop?.length ? { stop } : {}), ...api }))
    .digest('hex');
}

/** Heartbeats when running inside an activity; a no-op in plain unit tests. */
const heartbeat = (progress: ChatProgress) => reportProgress(progress);

/** Whether the server continues a prefilled answer: Ollama's native API does; another is probed once (server-profile.ts). */
async function continuesPrefill(llm: LlmSettings): Promise<boolean> {
  if (llm.api !== 'openai') return true;
  try {
    return (await serverProfile(llm, AbortSignal.timeout(llm.callTimeoutMs))).mode !== 'no-prefill';
  } catch (err) {
    throw toFailure(err, llm, { overCap: false, cancelled: false });
  }
}

export async function chatOnce(input: ChatInput): Promise<ChatOutput> {
  const { llm, format, dbPath, stop } = input;
  const prefilled = input.prefill === undefined ? undefined : await continuesPrefill(llm);
  const messages: Message[] = prefilled ? [...input.messages, { role: 'assistant', content: input.prefill! }] : input.messages;
  const asked = prefilled === undefined ? {} : { prefilled };
  const key = cacheKey(llm, messages, format, stop);
  const hit = cachedAnswer(dbPath, key);
  if (hit) {
    const usage = { tokensIn: hit.tokensIn, tokensOut: hit.tokensOut, durationMs: 0, cached: true };
    recordModelAnswer(llm.model, usage);
    return { content: hit.content, usage, cutOff: hit.doneReason === 'length', ...asked };
  }

  const overCap = new AbortController();
  // An answer that loops is stopped once the loop is evident, not at the token limit (core/repetition.ts).
  const looping = new AbortController();
  const signals = [AbortSignal.timeout(llm.callTimeoutMs), overCap.signal, looping.signal];
  const cancelled = activityContext()?.cancellationSignal;
  if (cancelled) signals.push(cancelled);
  const started = performance.now();
  let content = '';
  let tokens = 0;
  let bytes = 0; // kept as a running count: measuring the whole answer on every chunk is quadratic
  let checkedAt = 0;
  let loopAt: number | null = null;
  // Loading a model and reading a long prompt can take minutes before the first token:
  // heartbeat meanwhile, so the heartbeat timeout only catches a worker that is gone.
  const alive = setInterval(() => heartbeat({ label: input.label, tokens, bytes }), heartbeatIntervalMs());
  try {
    const end = await streamChat(
      llm,
      { messages, format, stop, options: llm.options },
      (text) => {
        content += text;
        tokens++;
        bytes += Buffer.byteLength(text);
        if (bytes > llm.maxOutputBytes) overCap.abort();
        if (input.stopLoops && content.length - checkedAt >= 200) {
          checkedAt = content.length;
          loopAt = loopStart(content);
          if (loopAt !== null) looping.abort();
        }
        heartbeat({ label: input.label, tokens, bytes });
      },
      // One stream line carries one chunk: even fully \u-escaped, a chunk within the cap fits this.
      { signal: AbortSignal.any(signals), stallTimeoutMs: llm.stallTimeoutMs, maxLineChars: llm.maxOutputBytes * 6 + 65_536 },
    );
    const numCtx = llm.options.num_ctx;
    if (numCtx && (end.promptTokens ?? 0) >= numCtx) throw promptTruncated(llm, numCtx);
    const usage = {
      tokensIn: end.promptTokens ?? 0,
      tokensOut: end.outputTokens ?? tokens,
      durationMs: Math.round(performance.now() - started),
      cached: false,
    };
    storeAnswer(dbPath, key, llm.model, { content, ...usage, doneReason: end.doneReason });
    recordModelAnswer(llm.model, usage);
    return { content, usage, cutOff: end.doneReason === 'length', ...asked };
  } catch (err) {
    if (looping.signal.aborted && loopAt !== null && !cancelled?.aborted) {
      // The first pass through the loop is the answer; the rest was the same again.
      const usage = { tokensIn: 0, tokensOut: tokens, durationMs: Math.round(performance.now() - started), cached: false };
      const kept = content.slice(0, loopAt);
      storeAnswer(dbPath, key, llm.model, { content: kept, ...usage, doneReason: 'repetition' });
      recordModelAnswer(llm.model, usage);
      return { content: kept, usage, cutOff: false, looped: true, ...asked };
    }
    throw toFailure(err, llm, { overCap: overCap.signal.aborted, cancelled: cancelled?.aborted ?? false });
  } finally {
    clearInterval(alive);
  }
}

/**
 * Ollama cuts a prompt longer than the context to fit, silently, and then reports exactly
 * num_ctx tokens read: the model never saw the prompt's beginning (system text, contract).
 * An OpenAI-compatible server gets no num_ctx (the API has no such field): a prompt that used
 * all of -num-ctx is taken as cut there too, since that is the context the user said it has.
 */
function promptTruncated(llm: LlmSettings, numCtx: number): ApplicationFailure {
  const advice = `raise -num-ctx (e.g. ${numCtx * 2}) or use -strategy guided, whose prompts are short`;
  return ApplicationFailure.nonRetryable(
    llm.api === 'openai'
      ? `the prompt did not fit the model's context (num_ctx ${numCtx} tokens): ${serverName(llm.serverUrl, llm.api)} read ${numCtx} or more tokens of it; ${advice} (and the server's own context length, which -num-ctx cannot set)`
      : `the prompt did not fit the model's context (num_ctx ${numCtx} tokens): Ollama cut its beginning off; ${advice}`,
    'PromptTruncated',
  );
}

/** Turns what went wrong into a Temporal failure with a message a person can act on. */
export function toFailure(err: unknown, llm: LlmSettings, why: { overCap: boolean; cancelled: boolean }): Error {
  if (why.cancelled) return err as Error; // let the SDK report the cancellation as such
  if (err instanceof ApplicationFailure) return err; // decided already, with its own words
  if (why.overCap) {
    return ApplicationFailure.nonRetryable(`the model's answer passed the output cap of ${llm.maxOutputBytes} bytes and was cut off`, 'OutputTooLarge');
  }
  const openAi = llm.api === 'openai';
  const server = serverName(llm.serverUrl, llm.api);
  const subject = server;
  if (err instanceof OllamaStatusError || err instanceof OpenAiStatusError) {
    if (err.statusCode === 401 || err.statusCode === 403) {
      const advice = openAi ? `set ${API_KEY_VARIABLE} to its API key where the worker runs` : 'Ollama asks for none: check what answers at -ollama';
      return ApplicationFailure.nonRetryable(`${server} refused the request (${err.statusCode}): ${err.message}; ${advice}`, 'Unauthorized');
    }
    if (err.statusCode === 404 && openAi) {
      // vLLM: "The model `x` does not exist."; Ollama's /v1: "model 'x' not found"; a 404 that names no model is a missing endpoint.
      return /model/i.test(err.message)
        ? ApplicationFailure.nonRetryable(
            `model "${llm.model}" not found at ${server} (${err.message}): pass -model an id that its /v1/models lists`,
            'ModelNotFound',
          )
        : ApplicationFailure.nonRetryable(
            `${server} has no /v1/chat/completions (404: ${err.message}): is it an OpenAI-compatible server? -ollama takes its base URL`,
            'InvalidRequest',
          );
    }
    if (err.statusCode === 404 && /not found/i.test(err.message)) {
      return ApplicationFailure.nonRetryable(`model "${llm.model}" not found in Ollama: run \`ollama pull ${llm.model}\``, 'ModelNotFound');
    }
    if (err.statusCode === 400) return ApplicationFailure.nonRetryable(`${subject} refused the request: ${err.message}`, 'InvalidRequest');
    return ApplicationFailure.retryable(`${openAi ? `${server} answered` : 'Ollama error'} (${err.statusCode}): ${err.message}`, 'OllamaError');
  }
  const e = err as Error & { code?: string; cause?: { code?: string } };
  const code = e.code ?? e.cause?.code;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EHOSTUNREACH') {
    // Calling again at once cannot help: the workflow waits for the server (waitForModelServer), then calls again.
    return ApplicationFailure.nonRetryable(
      openAi ? `${server} is not reachable: start it (or pass -ollama URL)` : `Ollama is not reachable at ${llm.serverUrl}: start it with \`ollama serve\``,
      MODEL_SERVER_GONE,
    );
  }
  if (code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT') {
    return ApplicationFailure.retryable(`${subject} stalled: no token for ${llm.stallTimeoutMs} ms`, 'OllamaStalled');
  }
  if (e.name === 'TimeoutError') {
    return ApplicationFailure.retryable(`the ${openAi ? `call to ${server}` : 'Ollama call'} took longer than ${llm.callTimeoutMs} ms`, 'OllamaTimeout');
  }
  return ApplicationFailure.retryable(`${openAi ? `the call to ${server}` : 'Ollama call'} failed: ${e.message}`, 'OllamaError');
}
