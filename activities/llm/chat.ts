// One LLM exchange as an activity step: look in the cache, else stream from Ollama with
// heartbeats, an output cap, a stall limit and a whole-call limit; map Ollama's errors
// to failures that say whether retrying can help and what the user should do.
import { ApplicationFailure } from '@temporalio/activity';
import { activityContext, heartbeatIntervalMs, reportProgress } from '../activity-context.js';
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { MODEL_SERVER_GONE, type ChatProgress, type LlmSettings, type LlmUsage } from '../../workflows/types.js';
import { cachedAnswer, storeAnswer } from '../store/llm-cache.js';
import { OllamaClient, OllamaStatusError, type ChatRequest, type Message } from './ollama.js';

export interface ChatInput {
  dbPath: string;
  llm: LlmSettings;
  messages: Message[];
  format?: ChatRequest['format'];
  /** Generation ends before the first of these (Ollama's `stop` option; not part of the answer). */
  stop?: string[];
  /** Shown in heartbeats, e.g. the file being written. */
  label: string;
}

export interface ChatOutput {
  content: string;
  usage: LlmUsage;
  /** Ollama stopped at num_predict (done_reason "length"): the answer is cut off, not finished. */
  cutOff: boolean;
}

/** The usage of two calls as one: tokens and time add up; cached only when both were. */
export const addUsage = (a: LlmUsage, b: LlmUsage): LlmUsage => ({
  tokensIn: a.tokensIn + b.tokensIn,
  tokensOut: a.tokensOut + b.tokensOut,
  durationMs: a.durationMs + b.durationMs,
  cached: a.cached && b.cached,
});
export const NO_USAGE: LlmUsage = { tokensIn: 0, tokensOut: 0, durationMs: 0, cached: true };

export function cacheKey(llm: LlmSettings, messages: Message[], format: ChatRequest['format'], stop?: string[]): string {
  // `stop` only when set, so the keys of answers cached before it existed still match.
  return createHash('sha256')
    .update(JSON.stringify({ model: llm.model, options: llm.options, messages, format: format ?? null, ...(stop?.length ? { stop } : {}) }))
    .digest('hex');
}

/** Heartbeats when running inside an activity; a no-op in plain unit tests. */
const heartbeat = (progress: ChatProgress) => reportProgress(progress);

export async function chatOnce(input: ChatInput): Promise<ChatOutput> {
  const { llm, messages, format, dbPath, stop } = input;
  const key = cacheKey(llm, messages, format, stop);
  const hit = cachedAnswer(dbPath, key);
  if (hit)
    return {
      content: hit.content,
      usage: { tokensIn: hit.tokensIn, tokensOut: hit.tokensOut, durationMs: 0, cached: true },
      cutOff: hit.doneReason === 'length',
    };

  const client = new OllamaClient(llm.ollamaUrl);
  const overCap = new AbortController();
  const signals = [AbortSignal.timeout(llm.callTimeoutMs), overCap.signal];
  const cancelled = activityContext()?.cancellationSignal;
  if (cancelled) signals.push(cancelled);
  const started = performance.now();
  let content = '';
  let tokens = 0;
  let bytes = 0; // kept as a running count: measuring the whole answer on every chunk is quadratic
  // Loading a model and reading a long prompt can take minutes before the first token:
  // heartbeat meanwhile, so the heartbeat timeout only catches a worker that is gone.
  const alive = setInterval(() => heartbeat({ label: input.label, tokens, bytes }), heartbeatIntervalMs());
  try {
    const last = await client.chat(
      { model: llm.model, messages, format, options: stop?.length ? { ...llm.options, stop } : llm.options },
      (chunk) => {
        content += chunk.message.content;
        tokens++;
        bytes += Buffer.byteLength(chunk.message.content);
        if (bytes > llm.maxOutputBytes) overCap.abort();
        heartbeat({ label: input.label, tokens, bytes });
      },
      // One stream line carries one chunk: even fully \u-escaped, a chunk within the cap fits this.
      { signal: AbortSignal.any(signals), stallTimeoutMs: llm.stallTimeoutMs, maxLineChars: llm.maxOutputBytes * 6 + 65_536 },
    );
    const numCtx = llm.options.num_ctx;
    if (numCtx && (last.prompt_eval_count ?? 0) >= numCtx) {
      // Ollama cuts a prompt longer than the context to fit, silently, and then reports exactly
      // num_ctx tokens read: the model never saw the prompt's beginning (system text, contract).
      throw ApplicationFailure.nonRetryable(
        `the prompt did not fit the model's context (num_ctx ${numCtx} tokens): Ollama cut its beginning off; raise -num-ctx (e.g. ${numCtx * 2}) or use -strategy guided, whose prompts are short`,
        'PromptTruncated',
      );
    }
    const usage = {
      tokensIn: last.prompt_eval_count ?? 0,
      tokensOut: last.eval_count ?? tokens,
      durationMs: Math.round(performance.now() - started),
      cached: false,
    };
    storeAnswer(dbPath, key, llm.model, { content, ...usage, doneReason: last.done_reason ?? null });
    return { content, usage, cutOff: last.done_reason === 'length' };
  } catch (err) {
    throw toFailure(err, llm, { overCap: overCap.signal.aborted, cancelled: cancelled?.aborted ?? false });
  } finally {
    clearInterval(alive);
  }
}

/** Turns what went wrong into a Temporal failure with a message a person can act on. */
export function toFailure(err: unknown, llm: LlmSettings, why: { overCap: boolean; cancelled: boolean }): Error {
  if (why.cancelled) return err as Error; // let the SDK report the cancellation as such
  if (err instanceof ApplicationFailure) return err; // decided already, with its own words
  if (why.overCap) {
    return ApplicationFailure.nonRetryable(`the model's answer passed the output cap of ${llm.maxOutputBytes} bytes and was cut off`, 'OutputTooLarge');
  }
  if (err instanceof OllamaStatusError) {
    if (err.statusCode === 404 && /not found/i.test(err.message)) {
      return ApplicationFailure.nonRetryable(`model "${llm.model}" not found in Ollama: run \`ollama pull ${llm.model}\``, 'ModelNotFound');
    }
    if (err.statusCode === 400) return ApplicationFailure.nonRetryable(`Ollama refused the request: ${err.message}`, 'InvalidRequest');
    return ApplicationFailure.retryable(`Ollama error (${err.statusCode}): ${err.message}`, 'OllamaError');
  }
  const e = err as Error & { code?: string; cause?: { code?: string } };
  const code = e.code ?? e.cause?.code;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EHOSTUNREACH') {
    // Calling again at once cannot help: the workflow waits for the server (waitForOllama), then calls again.
    return ApplicationFailure.nonRetryable(`Ollama is not reachable at ${llm.ollamaUrl}: start it with \`ollama serve\``, MODEL_SERVER_GONE);
  }
  if (code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT') {
    return ApplicationFailure.retryable(`Ollama stalled: no token for ${llm.stallTimeoutMs} ms`, 'OllamaStalled');
  }
  if (e.name === 'TimeoutError') {
    return ApplicationFailure.retryable(`the Ollama call took longer than ${llm.callTimeoutMs} ms`, 'OllamaTimeout');
  }
  return ApplicationFailure.retryable(`Ollama call failed: ${e.message}`, 'OllamaError');
}
