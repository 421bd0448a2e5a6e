// Go-style flags, as in the proof of concept: `-output DIR`, `--output DIR` and
// `-output=DIR` all work. This file is each flag's and command's one home (their help lines
// too); client/args.ts parses a command line against it and checks the values.
import { HEARTBEAT_TIMEOUT_MS } from '../core/defaults.js';
import { SERVED_WORK } from '../core/task-queues.js';
import { LLM_SERVERS } from './flag-values.js';
import { UsageError } from './usage-error.js';

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
    help: "serve this process's worker's Prometheus metrics on this host:port at /metrics (the SDK's, tokens, cache hits, candidates, validations)",
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
