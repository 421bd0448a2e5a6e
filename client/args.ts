// The command line, parsed against client/flags.ts: every bad value is a UsageError naming the
// flag (exit code 2), before any server is started.
import { REVIEW_TIMEOUT_ACTIONS, STRATEGIES } from '../core/types.js';
import { STORES } from '../core/plan.js';
import { isTimeZone, machineTimeZone, parseDuration, parseStartTime } from './time-flags.js';
import { UsageError } from './usage-error.js';
import { COMMANDS, FLAGS, type Command, type FlagName, type Flags, type FlagSpec } from './flags.js';
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
  // The Prometheus endpoint is this process's worker's: a command that returns at once has none.
  only('metrics', ['worker', 'start', 'attach', 'batch']);
  if (given.has('metrics') && (flags.detach || flags.at !== '' || flags.every !== ''))
    throw new UsageError("-metrics serves this process's worker, and with -detach, -at or -every the run's worker is elsewhere: give -metrics to that worker");
  servedWork(flags.serve);
  if ((flags.at !== '' || flags.every !== '') && flags.detach) throw new UsageError('-at and -every already return at once: drop -detach');
}
