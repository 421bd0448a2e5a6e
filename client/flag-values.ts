// The values some flags take, checked: a model name, the model server's URL, -serve's list,
// -phase-options. Every bad value is a UsageError naming the flag (exit code 2).
import { OPTIONS_PHASES, SERVER_KINDS, type LlmSettings, type ModelOptions, type OptionsPhase } from '../core/types.js';
import { SERVED_WORK, type ServedWork } from '../core/task-queues.js';
import { UsageError } from './usage-error.js';

/** The model servers' APIs: Ollama's native one, or the OpenAI-compatible chat API (vLLM, llama.cpp, LM Studio, Ollama's /v1). */
export const LLM_APIS = ['ollama', 'openai'] as const;
/** The SDK's log levels, most to least verbose. */
export const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'] as const;
/** -llm-server: which OpenAI-compatible server, or auto (detected at the first call). */
export const LLM_SERVERS = ['auto', ...SERVER_KINDS] as const;

/** -llm-api and -llm-server as a run's LlmSettings have them: each only when not the default, so run inputs stay as they were. */
export function llmServerOf(flags: { 'llm-api': string; 'llm-server': string }): Pick<LlmSettings, 'api' | 'server'> {
  if (flags['llm-api'] !== 'openai') return {};
  const server = flags['llm-server'] === 'auto' ? {} : { server: flags['llm-server'] as NonNullable<LlmSettings['server']> };
  return { api: 'openai', ...server };
}
/** The longest prompt, in characters as a reader counts them (code points: a CJK or emoji character is one). */
export const MAX_PROMPT_CHARS = 2000;

/** The most items one batch file may hold. */
export const MAX_BATCH_ITEMS = 100;

/** Null when `prompt` is within the limit; else what is wrong and what to do. */
export function promptTooLong(prompt: string): string | null {
  const chars = [...prompt.trim()].length;
  return chars > MAX_PROMPT_CHARS ? `is ${chars} characters long, over the limit of ${MAX_PROMPT_CHARS}: describe the API in a sentence or two` : null;
}

export const MODEL_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*){0,2}(:[A-Za-z0-9][A-Za-z0-9._-]*)?$/;
export const HOST_PORT_PATTERN = /^[A-Za-z0-9.-]+:\d{1,5}$|^\[[0-9a-fA-F:]+\]:\d{1,5}$/;

/**
 * What Ollama itself accepts in OLLAMA_HOST (envconfig.Host), as ollama-js reads it too:
 * `host`, `host:port`, `:port`, with or without a scheme; without a scheme the port defaults
 * to 11434, a bare `:port` means 127.0.0.1, and 0.0.0.0 (what a server listens on) is reached
 * at 127.0.0.1. `source` names where the value came from, for the message.
 */
export function normalizeOllamaUrl(raw: string, source = '-ollama'): string {
  const value = raw.trim();
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value);
  const bareIpv6 = !hasScheme && /^[0-9a-f]*:[0-9a-f]*:[0-9a-f:]*$/i.test(value);
  const host = value.startsWith(':') && !bareIpv6 ? `127.0.0.1${value}` : bareIpv6 ? `[${value}]` : value;
  const withScheme = hasScheme ? value : `http://${host}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new UsageError(`${source} takes a URL or host:port like http://localhost:11434, not ${JSON.stringify(raw)}`);
  }
  if (!/^https?:$/.test(url.protocol) || !url.hostname || url.username || url.search || url.hash)
    throw new UsageError(`${source} takes an http(s) URL or host:port like http://localhost:11434, not ${JSON.stringify(raw)}`);
  const authority = withScheme.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').split('/')[0];
  if (!hasScheme && !/(^[^\]]*|\]):\d+$/.test(authority)) url.port = '11434';
  if (url.hostname === '0.0.0.0') url.hostname = '127.0.0.1';
  if (url.hostname === '[::]') url.hostname = '[::1]';
  return url.origin + url.pathname.replace(/\/+$/, '');
}

/** -serve workflows,workspace,model: what a worker serves, each at most once. */
export function servedWork(raw: string): ServedWork[] {
  const names = raw.split(',').map((n) => n.trim());
  const bad = names.find((n) => !(SERVED_WORK as readonly string[]).includes(n));
  if (bad !== undefined || new Set(names).size !== names.length)
    throw new UsageError(`-serve takes a comma list of ${SERVED_WORK.join(', ')}, not ${JSON.stringify(raw)}`);
  return names as ServedWork[];
}

const MODEL_OPTION_RANGES: Record<keyof ModelOptions, [min: number, max: number, whole: boolean]> = {
  temperature: [0, 2, false],
  num_ctx: [512, 1 << 20, true],
  seed: [0, 2 ** 31 - 1, true],
  num_predict: [-2, 1 << 20, true],
};

/** -phase-options 'plan:temperature=0;tests:num_ctx=16384' → { plan: { temperature: 0 }, tests: { num_ctx: 16384 } }. */
export function parsePhaseOptions(raw: string): Partial<Record<OptionsPhase, ModelOptions>> {
  const bad = (why: string) => new UsageError(`-phase-options ${JSON.stringify(raw)}: ${why}`);
  const result: Partial<Record<OptionsPhase, ModelOptions>> = {};
  for (const part of raw
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [phase, list, ...rest] = part.split(':').map((p) => p.trim());
    if (!list || rest.length) throw bad(`write PHASE:option=value,…, got ${JSON.stringify(part)}`);
    if (!(OPTIONS_PHASES as readonly string[]).includes(phase!)) throw bad(`unknown phase ${JSON.stringify(phase)} (one of ${OPTIONS_PHASES.join(' ')})`);
    const options: ModelOptions = {};
    for (const pair of list.split(',').map((p) => p.trim())) {
      const [name, value] = pair.split('=').map((p) => p.trim());
      const range = MODEL_OPTION_RANGES[name as keyof ModelOptions];
      if (!range) throw bad(`unknown option ${JSON.stringify(name)} (one of ${Object.keys(MODEL_OPTION_RANGES).join(' ')})`);
      const n = Number(value);
      const [min, max, whole] = range;
      if (!value || !Number.isFinite(n) || (whole && !Number.isInteger(n)) || n < min || n > max) {
        throw bad(`${name} takes ${whole ? 'a whole number' : 'a number'} from ${min} to ${max}, not ${JSON.stringify(value ?? '')}`);
      }
      options[name as keyof ModelOptions] = n;
    }
    result[phase as OptionsPhase] = options;
  }
  return result;
}
