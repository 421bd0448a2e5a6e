// Go-style flags, as in the proof of concept: `-output DIR`, `--output DIR` and
// `-output=DIR` all work. Every bad value is a UsageError naming the flag (exit code 2).

import { OPTIONS_PHASES, STRATEGIES, type ModelOptions, type OptionsPhase } from '../workflows/types.js';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

type Kind = 'string' | 'bool' | 'int' | 'number';

interface FlagSpec {
  kind: Kind;
  help: string;
  default?: string | number | boolean;
  env?: string;
}

export const FLAGS = {
  output: { kind: 'string', default: './generated', help: 'output folder for the generated project' },
  model: { kind: 'string', default: 'codellama:7b', help: 'Ollama model to use' },
  ollama: { kind: 'string', default: 'http://localhost:11434', env: 'OLLAMA_HOST', help: 'Ollama API endpoint' },
  prompt: { kind: 'string', default: 'REST API for todo list', help: 'what to generate' },
  db: { kind: 'string', default: './poc.db', help: 'SQLite mirror database path' },
  strategy: {
    kind: 'string',
    default: 'whole',
    help: 'how files are written: whole (one prompt per file; for 7B+ models) or guided (code writes the contract, the model each function body and the test cases, checked as written; for small models)',
  },
  'skip-validation': { kind: 'bool', default: false, help: 'skip the Go validation and repair phases' },
  'allow-existing': { kind: 'bool', default: false, help: 'write into an output folder that holds other files (never deletes them)' },
  restart: { kind: 'bool', default: false, help: 'start over when the output folder already has a finished run' },
  detach: { kind: 'bool', default: false, help: 'start the run and return; a worker elsewhere runs it' },
  'max-repair-rounds': { kind: 'int', default: 3, help: 'repair rounds after a failed validation (0-10)' },
  coverage: { kind: 'number', default: 70, help: 'test coverage goal in percent (0-100)' },
  temperature: { kind: 'number', default: 0.2, help: 'model temperature (0-2)' },
  'num-ctx': { kind: 'int', default: 8192, help: 'model context size in tokens' },
  seed: { kind: 'int', default: 42, help: 'model seed, for repeatable answers' },
  'num-predict': { kind: 'int', default: 4096, help: 'most tokens one answer may have (0: no limit); a small model can loop until the call times out' },
  'phase-options': {
    kind: 'string',
    default: '',
    help: "model options for some phases over the ones above, e.g. 'plan:temperature=0;tests:num_ctx=16384,temperature=0.1' (phases: plan models repository handlers server tests readme repair)",
  },
  'llm-timeout': { kind: 'int', default: 1800, help: 'seconds one LLM call may take' },
  budget: { kind: 'int', default: 30, help: 'minutes of working time a run may use; time asleep does not count (0: no limit)' },
  'heartbeat-timeout': { kind: 'int', default: 60, help: 'seconds of silence before a worker is taken for gone and its LLM call retried' },
  'ollama-wait': { kind: 'int', default: 30, help: 'minutes a run waits for Ollama to answer again when it goes away mid-run (0: fail at once)' },
  temporal: {
    kind: 'string',
    default: 'localhost:7233',
    env: 'TEMPORAL_ADDRESS',
    help: 'Temporal server address (started for you when local and not running)',
  },
  namespace: { kind: 'string', default: 'default', env: 'TEMPORAL_NAMESPACE', help: 'Temporal namespace' },
  'task-queue': { kind: 'string', default: 'overnight-llm', help: 'Temporal task queue' },
  ui: { kind: 'string', default: 'http://localhost:8233', help: 'Temporal Web UI address, for links' },
  json: { kind: 'bool', default: false, help: 'machine-readable output (status, list)' },
  version: { kind: 'bool', default: false, help: 'show version information' },
  help: { kind: 'bool', default: false, help: 'show this help' },
} satisfies Record<string, FlagSpec>;

export type FlagName = keyof typeof FLAGS;
export type Flags = {
  [K in FlagName]: (typeof FLAGS)[K]['kind'] extends 'bool' ? boolean : (typeof FLAGS)[K]['kind'] extends 'string' ? string : number;
};

export const COMMANDS = ['start', 'attach', 'resume', 'watch', 'status', 'list', 'cancel', 'worker'] as const;
export type Command = (typeof COMMANDS)[number];

export interface ParsedArgs {
  command: Command;
  positional: string[];
  flags: Flags;
  /** Flags the user gave, as opposed to defaults. */
  given: Set<FlagName>;
}

function parseValue(name: FlagName, raw: string): string | number | boolean {
  const spec: FlagSpec = FLAGS[name];
  if (spec.kind === 'bool') {
    if (/^(true|1)$/i.test(raw)) return true;
    if (/^(false|0)$/i.test(raw)) return false;
    throw new UsageError(`-${name} takes true or false, not ${JSON.stringify(raw)}`);
  }
  if (spec.kind === 'string') return raw;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || (spec.kind === 'int' && !Number.isInteger(n))) {
    throw new UsageError(`-${name} takes ${spec.kind === 'int' ? 'a whole number' : 'a number'}, not ${JSON.stringify(raw)}`);
  }
  return n;
}

export function parseArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): ParsedArgs {
  const values: Record<string, string | number | boolean> = {};
  const given = new Set<FlagName>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const body = arg.replace(/^--?/, '');
    const eq = body.indexOf('=');
    const name = (eq >= 0 ? body.slice(0, eq) : body) as FlagName;
    if (name === ('h' as FlagName)) {
      values.help = true;
      continue;
    }
    if (!(name in FLAGS)) throw new UsageError(`unknown flag ${arg.split('=')[0]}: see overnight-llm -help`);
    let raw: string;
    if (eq >= 0) raw = body.slice(eq + 1);
    else if (FLAGS[name].kind === 'bool') raw = 'true';
    else if (i + 1 < argv.length) raw = argv[++i];
    else throw new UsageError(`-${name} needs a value`);
    values[name] = parseValue(name, raw);
    given.add(name);
  }
  const flags = {} as Record<string, unknown>;
  for (const [name, spec] of Object.entries(FLAGS) as [FlagName, FlagSpec][]) {
    const fromEnv = spec.env ? env[spec.env] : undefined;
    flags[name] = name in values ? values[name] : fromEnv !== undefined && fromEnv !== '' ? parseValue(name, fromEnv) : spec.default;
  }
  let command: Command = 'start';
  if (positional.length > 0 && (COMMANDS as readonly string[]).includes(positional[0])) command = positional.shift() as Command;
  else if (positional.length > 0) throw new UsageError(`unknown command ${JSON.stringify(positional[0])}: commands are ${COMMANDS.join(', ')}`);
  const parsed = { command, positional, flags: flags as Flags, given };
  checkFlags(parsed, env);
  return parsed;
}

const MODEL_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*){0,2}(:[A-Za-z0-9][A-Za-z0-9._-]*)?$/;
const HOST_PORT_PATTERN = /^[A-Za-z0-9.-]+:\d{1,5}$|^\[[0-9a-fA-F:]+\]:\d{1,5}$/;

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

/** Where a flag's value came from, for messages: the flag, or the environment variable that set it. */
function sourceOf(name: FlagName, given: Set<FlagName>, env: NodeJS.ProcessEnv): string {
  const variable = (FLAGS[name] as FlagSpec).env;
  return !given.has(name) && variable && env[variable] ? variable : `-${name}`;
}

function checkFlags({ flags, command, positional, given }: ParsedArgs, env: NodeJS.ProcessEnv): void {
  const nonEmpty: FlagName[] = ['output', 'model', 'prompt', 'db', 'temporal', 'namespace', 'task-queue'];
  for (const name of nonEmpty) if (String(flags[name]).trim() === '') throw new UsageError(`-${name} must not be empty`);
  if (!MODEL_PATTERN.test(flags.model)) throw new UsageError(`-model ${JSON.stringify(flags.model)} is not an Ollama model name like codellama:7b`);
  flags.ollama = normalizeOllamaUrl(flags.ollama, sourceOf('ollama', given, env));
  if (!HOST_PORT_PATTERN.test(flags.temporal))
    throw new UsageError(`${sourceOf('temporal', given, env)} takes host:port like localhost:7233, not ${JSON.stringify(flags.temporal)}`);
  if (!(STRATEGIES as readonly string[]).includes(flags.strategy)) throw new UsageError(`-strategy must be guided or whole, not ${JSON.stringify(flags.strategy)}`);
  if (flags.prompt.length > 2000) throw new UsageError('-prompt is longer than 2000 characters: describe the API in a sentence or two');
  const ranges: [FlagName, number, number][] = [
    ['max-repair-rounds', 0, 10],
    ['coverage', 0, 100],
    ['temperature', 0, 2],
    ['num-ctx', 512, 1 << 20],
    ['llm-timeout', 10, 86400],
    ['seed', 0, 2 ** 31 - 1],
    ['num-predict', 0, 1 << 20],
    ['budget', 0, 7 * 24 * 60],
    ['heartbeat-timeout', 2, 3600],
    ['ollama-wait', 0, 24 * 60],
  ];
  for (const [name, min, max] of ranges) {
    const v = flags[name] as number;
    if (v < min || v > max) throw new UsageError(`-${name} must be between ${min} and ${max}, not ${v}`);
  }
  parsePhaseOptions(flags['phase-options']);
  const needsId = ['attach', 'resume', 'watch', 'cancel'].includes(command);
  if (needsId && positional.length !== 1) throw new UsageError(`${command} takes one run id: overnight-llm ${command} ID (see overnight-llm list)`);
  if (['status', 'list'].includes(command) && positional.length > 1) throw new UsageError(`${command} takes at most one argument, got ${positional.length}`);
  if (!needsId && !['status', 'list'].includes(command) && positional.length > 0) throw new UsageError(`${command} takes no arguments, got ${JSON.stringify(positional[0])}`);
}

export function helpText(version: string): string {
  const lines = Object.entries(FLAGS).map(([name, spec]: [string, FlagSpec]) => {
    const def = spec.default === undefined || spec.kind === 'bool' ? '' : ` (default ${JSON.stringify(spec.default)}${spec.env ? `, env ${spec.env}` : ''})`;
    return `  -${name.padEnd(18)} ${spec.help}${def}`;
  });
  return [
    `overnight-llm ${version}: one sentence in, a tested Go REST API out, written overnight by a local LLM.`,
    '',
    'Usage:',
    "  overnight-llm [start] [flags]     start a run (or attach to this output folder's run) and wait",
    '  overnight-llm attach|resume ID    follow a run, with a worker in this process',
    '  overnight-llm watch ID            follow a run that a worker elsewhere runs',
    "  overnight-llm status [ID]         a run's phases (ID defaults to the -output folder's run)",
    "  overnight-llm list [FILTER]       recent runs; FILTER is a Temporal query, e.g. \"OvernightOutcome = 'valid'\"",
    '  overnight-llm cancel ID           cancel a run',
    '  overnight-llm worker              run a worker until Ctrl-C',
    '',
    'Flags (-flag and --flag both work):',
    ...lines,
    '',
    'Exit codes: 0 done and valid (or validation skipped), 1 the run failed, 2 bad usage.',
  ].join('\n');
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
  for (const part of raw.split(';').map((p) => p.trim()).filter(Boolean)) {
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
