// Go-style flags, as in the proof of concept: `-output DIR`, `--output DIR` and
// `-output=DIR` all work. Every bad value is a UsageError naming the flag (exit code 2).
import { REVIEW_TIMEOUT_ACTIONS, STRATEGIES } from '../core/types.js';
import { STORES } from '../core/plan.js';
import { isTimeZone, machineTimeZone, parseDuration, parseStartTime } from './time-flags.js';
import { SERVED_WORK } from '../core/task-queues.js';
import { HEARTBEAT_TIMEOUT_MS } from '../core/defaults.js';
import { UsageError } from './usage-error.js';
import {
  HOST_PORT_PATTERN,
  LLM_APIS,
  LLM_SERVERS,
  LOG_LEVELS,
  MODEL_PATTERN,
  normalizeOllamaUrl,
  parsePhaseOptions,
  promptTooLong,
  servedWork,
} from './flag-values.js';

export { UsageError };

type Kind = 'string' | 'bool' | 'int' | 'number';

/** The help's sections, in the order they are shown. */
export const GROUPS = { run: 'Run', night: 'Night and morning', model: 'Model', temporal: 'Temporal', output: 'Records and output' } as const;

export interface FlagSpec {
  kind: Kind;
  group: keyof typeof GROUPS;
  /** One line in -help (overnight-llm help flags): this table is each flag's one home. */
  help: string;
  default?: string | number | boolean;
  env?: string;
}

export const FLAGS = {
  prompt: { kind: 'string', group: 'run', default: 'REST API for todo list', help: 'what to generate' },
  output: { kind: 'string', group: 'run', default: './generated', help: 'output folder for the generated project' },
  strategy: { kind: 'string', group: 'run', default: 'plan', help: 'plan (the model plans, code writes it), whole (one prompt a file: 7B+) or guided' },
  store: { kind: 'string', group: 'run', default: 'sqlite', help: '-strategy plan: sqlite (data survives a restart) or memory' },
  'skip-validation': { kind: 'bool', group: 'run', default: false, help: 'skip the Go validation and repair phases' },
  'allow-existing': { kind: 'bool', group: 'run', default: false, help: 'write into a folder that holds other files (never deletes them)' },
  restart: { kind: 'bool', group: 'run', default: false, help: 'start over when the folder already has a finished run' },
  detach: { kind: 'bool', group: 'run', default: false, help: 'start the run and return; a worker elsewhere runs it' },
  git: { kind: 'bool', group: 'run', default: false, help: 'a git commit per phase in the output folder, even inside your own repository' },
  'no-git': { kind: 'bool', group: 'run', default: false, help: 'no git history in the output folder' },
  'max-repair-rounds': { kind: 'int', group: 'run', default: 3, help: 'repair rounds after a failed validation, 0-10' },
  coverage: { kind: 'number', group: 'run', default: 70, help: 'test coverage goal in percent' },
  budget: { kind: 'int', group: 'run', default: 30, help: 'minutes of working time, asleep not counted; 0: no limit' },
  'review-plan': { kind: 'bool', group: 'night', default: false, help: 'wait after the plan for `approve ID` before any code' },
  'review-timeout': { kind: 'string', group: 'night', default: '1h', help: 'how long the plan waits for approval' },
  'on-review-timeout': { kind: 'string', group: 'night', default: 'approve', help: 'then: approve (go on with it) or stop' },
  'plan-only': { kind: 'bool', group: 'night', default: false, help: 'write plan.json and stop there' },
  edit: { kind: 'string', group: 'night', default: '', help: 'approve: the plan to go on with instead, a JSON file like plan.json' },
  at: { kind: 'string', group: 'night', default: '', help: 'start at this time (01:30, or 2026-12-03T01:30) on the server' },
  every: { kind: 'string', group: 'night', default: '', help: 'start again at this interval (e.g. 24h) on the server' },
  tz: {
    kind: 'string',
    group: 'night',
    default: '',
    help: "-at's and -every's time zone, e.g. Europe/Berlin (default this machine's): 24h stays at the same time of day across DST",
  },
  parallel: { kind: 'int', group: 'night', default: 1, help: 'batch items at once' },
  report: { kind: 'bool', group: 'night', default: false, help: 'write report.md into the output folder at the end' },
  since: { kind: 'string', group: 'night', default: '24h', help: 'report: runs started in this last while' },
  // The one default model: docker-compose.yml pulls the same (test/unit/docker-compose.test.ts).
  model: { kind: 'string', group: 'model', default: 'codellama:7b', env: 'OVERNIGHT_MODEL', help: 'Ollama model' },
  ollama: { kind: 'string', group: 'model', default: 'http://localhost:11434', env: 'OLLAMA_HOST', help: 'Ollama endpoint' },
  'llm-api': { kind: 'string', group: 'model', default: 'ollama', help: "the server's API: ollama (native) or openai (/v1/chat/completions)" },
  'llm-server': { kind: 'string', group: 'model', default: 'auto', help: `-llm-api openai: which server (${LLM_SERVERS.join(', ')}: detected)` },
  'ollama-wait': { kind: 'int', group: 'model', default: 30, help: 'minutes to wait for Ollama gone mid-run; 0: fail at once' },
  temperature: { kind: 'number', group: 'model', default: 0.2, help: 'model temperature, 0-2' },
  'num-ctx': { kind: 'int', group: 'model', default: 8192, help: 'model context size in tokens' },
  seed: { kind: 'int', group: 'model', default: 42, help: 'model seed, for repeatable answers' },
  'num-predict': { kind: 'int', group: 'model', default: 4096, help: 'most tokens one answer may have; 0: no limit' },
  'phase-options': { kind: 'string', group: 'model', default: '', help: "options for some phases, e.g. 'plan:temperature=0;tests:num_ctx=16384'" },
  'llm-timeout': { kind: 'int', group: 'model', default: 1800, help: 'seconds one LLM call may take' },
  temporal: {
    kind: 'string',
    group: 'temporal',
    default: 'localhost:7233',
    env: 'TEMPORAL_ADDRESS',
    help: "server address (else the Temporal profile's: TEMPORAL_PROFILE, temporal.toml); a local one is started when not running",
  },
  namespace: { kind: 'string', group: 'temporal', default: 'default', env: 'TEMPORAL_NAMESPACE', help: 'namespace' },
  'task-queue': { kind: 'string', group: 'temporal', default: 'overnight-llm', help: 'task queue' },
  serve: { kind: 'string', group: 'temporal', default: SERVED_WORK.join(','), help: 'worker: what it serves' },
  metrics: {
    kind: 'string',
    group: 'temporal',
    default: '',
    help: "worker: serve Prometheus metrics on this host:port at /metrics (the SDK's, tokens, cache hits, candidates, validations)",
  },
  ui: { kind: 'string', group: 'temporal', default: 'http://localhost:8233', help: 'Web UI address, for links' },
  'heartbeat-timeout': { kind: 'int', group: 'temporal', default: HEARTBEAT_TIMEOUT_MS / 1000, help: 'seconds of silence before a worker is taken for gone' },
  db: { kind: 'string', group: 'output', default: './poc.db', help: 'SQLite mirror of every run' },
  'log-level': {
    kind: 'string',
    group: 'output',
    default: 'ERROR',
    env: 'OVERNIGHT_LOG_LEVEL',
    help: "the SDK's and the activities' log lines (JSON on stderr) from this level: TRACE, DEBUG, INFO, WARN or ERROR",
  },
  json: { kind: 'bool', group: 'output', default: false, help: 'machine-readable status and list' },
  version: { kind: 'bool', group: 'output', default: false, help: 'show the version' },
  help: { kind: 'bool', group: 'output', default: false, help: 'show this help' },
} satisfies Record<string, FlagSpec>;

export type FlagName = keyof typeof FLAGS;
export type Flags = {
  [K in FlagName]: (typeof FLAGS)[K]['kind'] extends 'bool' ? boolean : (typeof FLAGS)[K]['kind'] extends 'string' ? string : number;
};

export interface CommandSpec {
  arg: 'none' | 'required' | 'optional';
  usage: string;
  help: string;
  /** The flag groups its help shows. */
  groups: readonly FlagSpec['group'][];
}

/** The commands, their one argument (a run id or a list filter), their line in -help and the flags they take. */
export const COMMANDS = {
  start: {
    arg: 'none',
    usage: '[start] [flags]',
    help: "start a run for -output (or attach to that folder's run) and wait",
    groups: ['run', 'night', 'model', 'temporal', 'output'],
  },
  attach: { arg: 'required', usage: 'attach ID', help: 'follow a run, with a worker in this process', groups: ['model', 'temporal', 'output'] },
  watch: { arg: 'required', usage: 'watch ID', help: 'follow a run that a worker elsewhere runs', groups: ['temporal', 'output'] },
  status: { arg: 'optional', usage: 'status [ID]', help: "a run's phases (ID defaults to the -output folder's run)", groups: ['temporal', 'output'] },
  list: {
    arg: 'optional',
    usage: 'list [FILTER]',
    help: 'recent runs; FILTER is a Temporal query, e.g. "OvernightOutcome = \'valid\'"',
    groups: ['temporal', 'output'],
  },
  cancel: { arg: 'required', usage: 'cancel ID', help: 'cancel a run (its files are kept), or remove a schedule', groups: ['temporal'] },
  plan: { arg: 'required', usage: 'plan ID', help: "a run's plan: resource, fields, endpoints (-json: plan.json's form)", groups: ['temporal', 'output'] },
  approve: { arg: 'required', usage: 'approve ID', help: 'go on with a plan that waits (-review-plan); -edit FILE replaces it', groups: ['night', 'temporal'] },
  batch: {
    arg: 'required',
    usage: 'batch FILE',
    help: 'one run per line (or YAML/JSON list item) of FILE, -parallel N at once',
    groups: ['run', 'night', 'model', 'temporal', 'output'],
  },
  report: {
    arg: 'none',
    usage: 'report',
    help: 'the runs of the last -since (default 24h): outcome, coverage, time, folder',
    groups: ['night', 'temporal', 'output'],
  },
  worker: { arg: 'none', usage: 'worker', help: 'run a worker until Ctrl-C', groups: ['model', 'temporal', 'output'] },
  help: { arg: 'optional', usage: 'help [TOPIC]', help: 'this help; help flags: every flag; help COMMAND: one command and its flags', groups: [] },
} as const satisfies Record<string, CommandSpec>;
export type Command = keyof typeof COMMANDS;

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
  if (positional.length > 0 && Object.hasOwn(COMMANDS, positional[0])) command = positional.shift() as Command;
  else if (positional.length > 0) throw new UsageError(`unknown command ${JSON.stringify(positional[0])}: commands are ${Object.keys(COMMANDS).join(', ')}`);
  const parsed = { command, positional, flags: flags as Flags, given };
  checkFlags(parsed, env);
  return parsed;
}

/** Where a flag's value came from, for messages: the flag, or the environment variable that set it. */
function sourceOf(name: FlagName, given: Set<FlagName>, env: NodeJS.ProcessEnv): string {
  const variable = (FLAGS[name] as FlagSpec).env;
  return !given.has(name) && variable && env[variable] ? variable : `-${name}`;
}

function checkFlags({ flags, command, positional, given }: ParsedArgs, env: NodeJS.ProcessEnv): void {
  const nonEmpty: FlagName[] = ['output', 'model', 'prompt', 'db', 'temporal', 'namespace', 'task-queue'];
  for (const name of nonEmpty) if (String(flags[name]).trim() === '') throw new UsageError(`-${name} must not be empty`);
  if (!MODEL_PATTERN.test(flags.model))
    throw new UsageError(`${sourceOf('model', given, env)} ${JSON.stringify(flags.model)} is not an Ollama model name like codellama:7b`);
  flags.ollama = normalizeOllamaUrl(flags.ollama, sourceOf('ollama', given, env));
  if (flags.metrics !== '' && !HOST_PORT_PATTERN.test(flags.metrics))
    throw new UsageError(`-metrics takes host:port like 127.0.0.1:9464 (0.0.0.0:9464 for every interface), not ${JSON.stringify(flags.metrics)}`);
  flags['log-level'] = flags['log-level'].toUpperCase();
  if (!(LOG_LEVELS as readonly string[]).includes(flags['log-level']))
    throw new UsageError(`${sourceOf('log-level', given, env)} must be ${LOG_LEVELS.join(', ')}, not ${JSON.stringify(flags['log-level'])}`);
  if (!HOST_PORT_PATTERN.test(flags.temporal))
    throw new UsageError(`${sourceOf('temporal', given, env)} takes host:port like localhost:7233, not ${JSON.stringify(flags.temporal)}`);
  if (!(STRATEGIES as readonly string[]).includes(flags.strategy))
    throw new UsageError(`-strategy must be ${STRATEGIES.join(', ')}, not ${JSON.stringify(flags.strategy)}`);
  if (!(STORES as readonly string[]).includes(flags.store)) throw new UsageError(`-store must be ${STORES.join(' or ')}, not ${JSON.stringify(flags.store)}`);
  if (!(LLM_APIS as readonly string[]).includes(flags['llm-api']))
    throw new UsageError(`-llm-api must be ollama or openai, not ${JSON.stringify(flags['llm-api'])}`);
  if (!(LLM_SERVERS as readonly string[]).includes(flags['llm-server']))
    throw new UsageError(`-llm-server must be ${LLM_SERVERS.join(', ')}, not ${JSON.stringify(flags['llm-server'])}`);
  if (given.has('llm-server') && flags['llm-api'] !== 'openai')
    throw new UsageError("-llm-server names an OpenAI-compatible server: pass -llm-api openai too (Ollama's native API needs neither)");
  if (flags.git && flags['no-git']) throw new UsageError('-git and -no-git contradict each other: pass one of them');
  const tooLong = promptTooLong(flags.prompt);
  if (tooLong) throw new UsageError(`-prompt ${tooLong}`);
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
  checkNightFlags(flags, command, given);
  const { arg } = COMMANDS[command];
  if (flags.help) return; // `batch -help` asks for batch's help, not for a file
  if (arg === 'required' && positional.length !== 1)
    throw new UsageError(
      command === 'batch'
        ? 'batch takes one file: overnight-llm batch FILE (one prompt a line, or a YAML/JSON list)'
        : `${command} takes one run id: overnight-llm ${command} ID (see overnight-llm list)`,
    );
  if (arg === 'optional' && positional.length > 1) throw new UsageError(`${command} takes at most one argument, got ${positional.length}`);
  if (arg === 'none' && positional.length > 0) throw new UsageError(`${command} takes no arguments, got ${JSON.stringify(positional[0])}`);
}

const DURATION_FLAGS = ['review-timeout', 'every', 'since'] as const satisfies FlagName[];

/** The flags of plan review, schedules, batches and the report: values, and which go together. */
function checkNightFlags(flags: Flags, command: Command, given: Set<FlagName>): void {
  for (const name of DURATION_FLAGS) {
    const value = flags[name];
    if (value === '' && name === 'every') continue;
    const ms = parseDuration(value);
    if (ms === null || ms < 1000) throw new UsageError(`-${name} takes a duration like 90s, 30m, 1h30m or 7d, not ${JSON.stringify(value)}`);
  }
  if (flags.every !== '' && parseDuration(flags.every)! < 60_000) throw new UsageError(`-every must be at least 1m, not ${flags.every}`);
  if (flags.tz === '') flags.tz = machineTimeZone();
  else if (!isTimeZone(flags.tz)) throw new UsageError(`-tz takes a time zone name like Europe/Berlin or America/New_York, not ${JSON.stringify(flags.tz)}`);
  if (flags.at !== '' && !((parseStartTime(flags.at, new Date(), flags.tz)?.getTime() ?? 0) > Date.now()))
    throw new UsageError(`-at takes a time like 01:30 or 2026-12-03T01:30, in the future, not ${JSON.stringify(flags.at)}`);
  if (!(REVIEW_TIMEOUT_ACTIONS as readonly string[]).includes(flags['on-review-timeout']))
    throw new UsageError(`-on-review-timeout must be approve or stop, not ${JSON.stringify(flags['on-review-timeout'])}`);
  if (flags.parallel < 1 || flags.parallel > 16) throw new UsageError(`-parallel must be between 1 and 16, not ${flags.parallel}`);
  if (flags['review-plan'] && flags['plan-only']) throw new UsageError('-review-plan and -plan-only contradict each other: pass one of them');
  const only = (name: FlagName, commands: Command[]) => {
    if (given.has(name) && !commands.includes(command)) throw new UsageError(`-${name} is for ${commands.join(' or ')}, not ${command}`);
  };
  only('edit', ['approve']);
  only('parallel', ['batch']);
  only('since', ['report']);
  only('at', ['start', 'batch']);
  only('every', ['start', 'batch']);
  only('tz', ['start', 'batch']);
  if (given.has('tz') && flags.at === '' && flags.every === '') throw new UsageError('-tz is the time zone of -at and -every: pass one of them too');
  only('serve', ['worker']);
  only('metrics', ['worker']);
  servedWork(flags.serve);
  if ((flags.at !== '' || flags.every !== '') && flags.detach) throw new UsageError('-at and -every already return at once: drop -detach');
}
