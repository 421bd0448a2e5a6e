// What the scripted Ollama answers: the request as a responder sees it, faults, the default
// todo-API responder (fixture files in fenced blocks, the plan as JSON), overrides and the
// named scenarios that scripted-ollama-main.ts offers on its command line.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Plan } from '../../core/plan.js';
import { singleResourceSpec, type ApiSpec } from '../../core/single-resource.js';
import { PREFILL_PROBE } from '../../activities/llm/server-profile.js';
import { functionLineOf, guidedFunctionAnswer, guidedTestCases, testCasesLineOf } from './guided-answers.js';

/** A chat message as Ollama's api.Message has it on the wire. */
export interface WireMessage {
  role: string;
  content: string;
  images?: string[];
}

/** One /api/chat or /api/generate request (or /v1/chat/completions, translated to /api/chat's terms), as a responder sees it. */
export interface ScriptedRequest {
  path: '/api/chat' | '/api/generate' | '/v1/chat/completions';
  model: string;
  /** For /api/generate: `system` (if any) then `prompt` as a user message. */
  messages: WireMessage[];
  lastUserMessage: string;
  /** `<path>` from the first line `File: <path>` of the last user message. */
  file?: string;
  /** `format` as sent: "json", a JSON schema object, or undefined. */
  format?: unknown;
  options?: Record<string, unknown>;
  stream: boolean;
  /** The parsed request body, untouched. */
  body: Record<string, unknown>;
}

export type FaultKind = 'stall' | 'reset' | 'http500' | 'garbage' | 'errorLine' | 'oversized' | 'slow';

/** A deliberate misbehaviour, returned by a responder instead of text or set globally. */
export interface Fault {
  fault: FaultKind;
  /** Content chunks sent before stall / reset / garbage / errorLine strike. Default 3. */
  afterChunks?: number;
  /** The error text of http500 and errorLine. */
  message?: string;
  /** The non-JSON line that garbage inserts. */
  line?: string;
  /** oversized: bytes of content to stream. Default 11 MiB (over the 10 MB per-task limit). */
  bytes?: number;
  /** slow: the pace; falls back to the server's tokensPerSecond option, then 10. */
  tokensPerSecond?: number;
  /** The answer streamed around the fault. withOverrides fills it from the base responder. */
  text?: string;
}

export type Answer = string | Fault;
export type Responder = (req: ScriptedRequest, callIndex: number) => Answer | Promise<Answer>;

export function isFault(a: unknown): a is Fault {
  return typeof a === 'object' && a !== null && typeof (a as Fault).fault === 'string';
}

export function hasFormat(format: unknown): boolean {
  if (typeof format === 'string') return format.trim() !== '' && format !== 'null';
  return typeof format === 'object' && format !== null;
}

/** The first `File: <path>` line of a prompt, as docs/DESIGN.md's prompts name the file asked for. */
export function fileLineOf(text: string): string | undefined {
  return /^[ \t]*File:[ \t]*(\S+)[ \t]*$/m.exec(text)?.[1];
}

/** The plan a well-behaved model returns for "REST API for todo list". */
export const TODO_PLAN: Plan = {
  module: 'todo-api',
  resources: [
    {
      name: 'todo',
      plural: 'todos',
      fields: [
        { name: 'title', type: 'string', required: true },
        { name: 'description', type: 'string', required: false },
        { name: 'completed', type: 'boolean', required: false },
      ],
      filters: [],
      actions: [],
      rules: [],
    },
  ],
  notBuilt: [],
};

/** What today's code writer builds of it: the spec the fixtures in test/fixtures/todo-api are written for. */
export const TODO_SPEC: ApiSpec = singleResourceSpec(TODO_PLAN);

function fenceLanguage(file: string): string {
  if (file.endsWith('.go')) return 'go';
  if (file.endsWith('.md')) return 'markdown';
  return '';
}

/** Prose, then the content in one fenced block (a longer fence if the content holds ```). */
export function fencedAnswer(file: string, content: string): string {
  const longest = Math.max(0, ...(content.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `Here is the complete \`${file}\`:\n\n${fence}${fenceLanguage(file)}\n${content.replace(/\s+$/, '')}\n${fence}\n`;
}

/** A small README for a plan; indented code blocks only, so it nests in a ``` fence. */
export function generatedReadme(plan: ApiSpec = TODO_SPEC): string {
  const base = `/${plan.plural}`;
  const lines = [
    `# ${plan.module}`,
    '',
    `A REST API for ${plan.plural}, written in Go with the standard library only.`,
    '',
    '## Run',
    '',
    '    go run ./cmd/server',
    '',
    'The server listens on `$PORT` (default 8080).',
    '',
    '## Test',
    '',
    '    go test -coverpkg=./... ./...',
    '',
    '## Endpoints',
    '',
    ...plan.endpoints.map((e) => `- \`${e.method} ${e.path}\` answers ${e.status}`),
    '',
    'Example:',
    '',
    `    curl -X POST localhost:8080${base} -d '{"title":"buy milk"}'`,
    `    curl localhost:8080${base}`,
    '',
    '## Fields',
    '',
    ...plan.fields.map((f) => `- \`${f.json}\` (${f.type})${f.required ? ', required' : ''}`),
  ];
  return lines.join('\n') + '\n';
}

/** Reads `<dir>/<file>` if it lies inside dir and exists; null otherwise. */
export function readInside(dir: string | undefined, file: string): string | null {
  if (!dir) return null;
  const root = path.resolve(dir);
  const full = path.resolve(root, file);
  if (full !== root && !full.startsWith(root + path.sep)) return null;
  return existsSync(full) ? readFileSync(full, 'utf8') : null;
}

export interface TodoApiResponderOptions {
  /** Where the good files live, laid out like the generated project. */
  fixtureDir?: string;
  plan?: Plan;
}

/**
 * The default responder: `format` set → the plan as JSON; a `File: <path>` line → that fixture
 * file in a fenced block (README.md may be absent: a generated one); a missing fixture → an
 * http500 fault naming it, so a broken test setup is loud.
 */
export function todoApiResponder(opts: TodoApiResponderOptions = {}): Responder {
  const plan = opts.plan ?? TODO_PLAN;
  const spec = singleResourceSpec(plan);
  return (req) => {
    // The continuation probe (server-profile.ts): the count, whole; a server that continues says only its rest.
    if (req.lastUserMessage === PREFILL_PROBE.question) return '1, 2, 3, 4, 5, 6, 7, 8, 9, 10';
    const guided = guidedAnswer(spec, req);
    if (guided !== null) return guided;
    if (hasFormat(req.format)) return JSON.stringify(plan, null, 2);
    if (req.file) {
      const content = readInside(opts.fixtureDir, req.file);
      if (content !== null) return fencedAnswer(req.file, content);
      if (path.basename(req.file) === 'README.md') return fencedAnswer(req.file, generatedReadme(spec));
      return { fault: 'http500', message: `scripted-ollama: no fixture for ${req.file} in ${opts.fixtureDir ?? '(no fixture dir)'}` };
    }
    return 'I am a scripted model. Name the file you want on a line `File: <path>`.';
  };
}

/**
 * The guided strategy's requests: test cases as JSON, or one function (a fix request names it
 * in the conversation's first user message). Null for any other request.
 */
export function guidedAnswer(plan: ApiSpec, req: ScriptedRequest): string | null {
  if (testCasesLineOf(req.lastUserMessage)) return JSON.stringify({ cases: guidedTestCases(plan) });
  const ask = req.messages.find((m) => m.role === 'user' && functionLineOf(m.content));
  const file = ask && fileLineOf(ask.content);
  return ask && file ? guidedFunctionAnswer(plan, ask.content, file) : null;
}

export interface Override {
  when: (req: ScriptedRequest) => boolean;
  /** How many calls this override answers; unlimited when absent. */
  times?: number;
  answer: Answer | ((req: ScriptedRequest, callIndex: number) => Answer | Promise<Answer>);
}

/**
 * The first override whose `when` matches and that has `times` left answers; otherwise `base`.
 * A fault without `text` gets the base responder's answer as its text, so a stall or reset
 * streams the start of the real file.
 */
export function withOverrides(base: Responder, overrides: Override[]): Responder {
  const used = overrides.map(() => 0);
  return async (req, callIndex) => {
    const k = overrides.findIndex((o, j) => (o.times === undefined || used[j]! < o.times) && o.when(req));
    if (k < 0) return base(req, callIndex);
    used[k]!++;
    const o = overrides[k]!;
    const answer = typeof o.answer === 'function' ? await o.answer(req, callIndex) : o.answer;
    if (isFault(answer) && answer.text === undefined && answer.fault !== 'http500') {
      const text = await base(req, callIndex);
      if (typeof text === 'string') return { ...answer, text };
    }
    return answer;
  };
}

/** `when` for the call that asks for one file. */
export const whenFile = (file: string) => (req: ScriptedRequest) => req.file === file;
/** `when` for the plan call (a request with `format`). */
export const whenPlan = () => (req: ScriptedRequest) => hasFormat(req.format);

/** An answer that is the file at `sourcePath` (read at call time), fenced as the file asked for. */
export function answerFromFile(sourcePath: string): (req: ScriptedRequest) => string {
  return (req) => fencedAnswer(req.file ?? path.basename(sourcePath), readFileSync(sourcePath, 'utf8'));
}

export const HANDLERS_FILE = 'internal/handlers/todo_handler.go';
export const TESTS_FILE = 'tests/todo_handler_test.go';

export const SCENARIOS = ['good', 'broken-handlers-once', 'failing-tests-once', 'low-coverage-once'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

const SCENARIO_VARIANTS: Record<Exclude<ScenarioName, 'good'>, { file: string; variant: string }> = {
  'broken-handlers-once': { file: HANDLERS_FILE, variant: 'todo_handler.compile-error.go' },
  'failing-tests-once': { file: TESTS_FILE, variant: 'todo_handler_test.failing.go' },
  'low-coverage-once': { file: TESTS_FILE, variant: 'todo_handler_test.low-coverage.go' },
};

export interface ScenarioOptions {
  fixtureDir: string;
  variantsDir: string;
  /** `file` of the calls an earlier run of the same scenario answered (from a calls file): a
   *  "once" already spent there is not spent again after a restart. */
  priorFiles?: (string | undefined)[];
}

/** A named scenario: the good responder, with the first answer for one file replaced by a variant. */
export function scenarioResponder(name: ScenarioName, opts: ScenarioOptions): Responder {
  const base = todoApiResponder({ fixtureDir: opts.fixtureDir });
  if (name === 'good') return base;
  const spec = SCENARIO_VARIANTS[name];
  if (!spec) throw new Error(`unknown scenario ${String(name)}; one of ${SCENARIOS.join(', ')}`);
  const spent = (opts.priorFiles ?? []).filter((f) => f === spec.file).length;
  return withOverrides(base, [{ when: whenFile(spec.file), times: Math.max(0, 1 - spent), answer: answerFromFile(path.join(opts.variantsDir, spec.variant)) }]);
}
