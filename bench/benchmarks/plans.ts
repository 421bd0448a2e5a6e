// 7. Plans from sentences: what a real model makes of the fidelity prompt set's sentences at the
// plan, the step where understanding happens. Each model × sentence asks the project's Ollama
// for a plan through the plan prompt and schema (as the plan phase does: up to three tries, the
// checks' errors sent back), then measures the plan: valid, tries, time, what it holds, and its
// fidelity list against the sentence (what is placed, what is named "not built", which words of
// the sentence nothing in the plan is named after). Rows go to bench/results/plans.jsonl as they
// finish; rows of this commit are skipped, so a stopped bench resumes. BENCH_MODELS and
// BENCH_PROMPTS (ids) narrow it. `make bench-plans`.
import { execFile, execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { BEHAVIOUR_PATH, behaviourContract, goProject, renderBehaviour } from '../../core/go/index.js';
import { openApiFor } from '../../core/openapi.js';
import { GO_MOD_CACHE } from '../../activities/go/run-tool.js';
import os from 'node:os';
import path from 'node:path';
import { fidelityOf } from '../../core/fidelity.js';
import { parsePlan } from '../../core/plan-check.js';
import { PLAN_SCHEMA } from '../../core/plan-schema.js';
import type { Plan } from '../../core/plan.js';
import { chatOnce } from '../../activities/llm/chat.js';
import type { Message } from '../../activities/llm/ollama.js';
import { PROJECT_ROOT } from '../../lib/project-root.js';
import { hasProjectModel, startProjectOllama } from '../../scripts/project-ollama.js';
import type { LlmSettings } from '../../core/types.js';
import type { Benchmark } from '../benchmark.js';
import { FIDELITY_PROMPTS } from '../fidelity/prompts.js';
import { describeMachine, measuredLine } from '../machine.js';

const ROWS_PATH = path.join(PROJECT_ROOT, 'bench', 'results', 'plans.jsonl');
const MODELS = ['qwen2.5-coder-0.5b', 'qwen2.5-coder-1.5b'];
const TRIES = 3;
// The CLI's defaults, so the figures are what `make run-local` sees.
const OPTIONS = { temperature: 0.2, num_ctx: 8192, seed: 42, num_predict: 2048 };

export interface PlanRow {
  commit: string;
  date: string;
  machine: string;
  model: string;
  prompt: string;
  valid: boolean;
  tries: number;
  wallMs: number;
  tokensOut: number;
  resources: number;
  fields: number;
  rules: number;
  relations: number;
  filters: number;
  actions: number;
  placed: number;
  namedNotBuilt: number;
  /** Words of the sentence nothing in the plan is named after (listed, not dropped). */
  unmatchedWords: string[];
  buildable: boolean | null;
  errors: string[];
  plan: Plan | null;
  /** Schemathesis against the plan's API as core/go writes it (SQLite; the model's functions as trivial bodies): absent in older rows. */
  schemathesis?: { failures: number; cases: number } | null;
}

/**
 * The plan's API as code writes it (core/go, SQLite, openapi.yaml), its model-written functions
 * replaced by trivial bodies (an action changes nothing, a filter in words keeps everything), under
 * Schemathesis (scripts/schemathesis.sh): what the plan and code deliver before the model's share.
 */
async function schemathesisOf(plan: Plan): Promise<{ failures: number; cases: number } | null> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-plan-api-'));
  try {
    const contract = behaviourContract(plan);
    const bodies = Object.fromEntries(contract.holes.map((h) => [h.name, h.kind === 'filter' ? '\treturn true' : '\treturn nil']));
    const files = [
      ...goProject(plan, { store: 'sqlite' }),
      { path: BEHAVIOUR_PATH, content: renderBehaviour(contract, bodies) },
      { path: 'openapi.yaml', content: openApiFor(plan) },
    ];
    for (const f of files) {
      mkdirSync(path.join(dir, path.dirname(f.path)), { recursive: true });
      writeFileSync(path.join(dir, f.path), f.content);
    }
    const env = { ...process.env, GOMODCACHE: GO_MOD_CACHE, GOPROXY: 'off' };
    const out = await promisify(execFile)('bash', [path.join(PROJECT_ROOT, 'scripts', 'schemathesis.sh'), dir], { env, maxBuffer: 16 << 20 }).catch(
      (err: { stdout?: string; stderr?: string }) => err,
    );
    const summary = /schemathesis: (\d+) distinct failures? in (\d+) test cases/.exec(`${out.stdout ?? ''}${out.stderr ?? ''}`);
    return summary ? { failures: Number(summary[1]), cases: Number(summary[2]) } : null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const listFrom = (env: string | undefined, all: string[]) => (env?.trim() ? env.split(',').map((s) => s.trim()) : all);

function commitLabel(): string {
  const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: PROJECT_ROOT, encoding: 'utf8' }).trim();
  const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no', '--', '.', ':!bench/results', ':!BENCHMARKS.md'], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
  }).trim();
  return dirty ? `${head}-dirty` : head;
}

export function readPlanRows(): PlanRow[] {
  if (!existsSync(ROWS_PATH)) return [];
  return readFileSync(ROWS_PATH, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as PlanRow);
}

function count(plan: Plan) {
  const all = plan.resources;
  return {
    resources: all.length,
    fields: all.reduce((n, r) => n + r.fields.length, 0),
    rules: all.reduce(
      (n, r) => n + r.rules.length + r.fields.filter((f) => f.min !== undefined || f.max !== undefined || f.unique || f.format || f.type === 'enum').length,
      0,
    ),
    relations: all.filter((r) => r.parent).length,
    filters: all.reduce((n, r) => n + r.filters.length, 0),
    actions: all.reduce((n, r) => n + r.actions.length, 0),
  };
}

/** One plan, as the plan phase asks for it. */
async function planOnce(llm: LlmSettings, sentence: string, dbPath: string) {
  const template = readFileSync(path.join(PROJECT_ROOT, 'prompts', 'plan.txt'), 'utf8');
  const messages: Message[] = [{ role: 'user', content: template.replaceAll('{{request}}', sentence) }];
  let tokensOut = 0;
  let errors: string[] = [];
  for (let tries = 1; tries <= TRIES; tries++) {
    const answer = await chatOnce({ dbPath, llm, messages, format: PLAN_SCHEMA as unknown as Record<string, unknown>, label: 'plan' });
    tokensOut += answer.usage.tokensOut;
    const checked = parsePlan(answer.content, sentence);
    if (checked.ok) return { plan: checked.plan, tries, tokensOut, errors: [] };
    errors = checked.errors;
    messages.push(
      { role: 'assistant', content: answer.content.slice(0, 4000) },
      { role: 'user', content: `That plan does not fit the schema:\n- ${errors.join('\n- ')}\nAnswer again with the corrected JSON only.` },
    );
  }
  return { plan: null, tries: TRIES, tokensOut, errors };
}

const schemathesisCell = (r: PlanRow) =>
  r.schemathesis === undefined
    ? 'not run'
    : r.schemathesis === null
      ? r.valid
        ? 'did not run'
        : '—'
      : `${r.schemathesis.failures} failures / ${r.schemathesis.cases} cases`;

function section(rows: PlanRow[]): string {
  const latest = new Map<string, PlanRow>();
  for (const r of rows) latest.set(`${r.model} ${r.prompt}`, r);
  const table = [...latest.values()].map(
    (r) =>
      `| ${r.model} | ${r.prompt} | ${r.valid ? `yes (${r.tries})` : 'no'} | ${(r.wallMs / 1000).toFixed(0)} s | ${r.resources} | ${r.fields} | ${r.rules} | ${r.relations} | ${r.filters} | ${r.actions} | ${r.placed} | ${r.namedNotBuilt} | ${r.unmatchedWords.join(', ') || '—'} | ${schemathesisCell(r)} | ${r.commit} |`,
  );
  return [
    'The plan phase alone, on the fidelity prompt set (bench/fidelity/prompts.ts), with the project Ollama on CPU: plan prompt `prompts/plan.txt`, the plan schema, up to 3 tries, temperature 0.2, seed 42. "placed": fidelity lines with a place in the plan; "named": lines saying not built and why; "unplaced words": words of the sentence no element of the plan is named after (the run names them too). "Schemathesis": the API of the plan as core/go writes it (SQLite, the functions the model writes given trivial bodies) under scripts/schemathesis.sh: distinct failures and test cases. Rows: bench/results/plans.jsonl.',
    '',
    '| model | prompt | valid (tries) | time | resources | fields | rules | relations | filters | actions | placed | named | unplaced words | Schemathesis | commit |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...table,
  ].join('\n');
}

export const benchmark: Benchmark = {
  name: 'plans',
  title: '7. Plans from sentences',
  runByDefault: false,
  async run(ctx) {
    // BENCH_REPORT_ONLY=1: the section again from the rows, without a model.
    if (process.env.BENCH_REPORT_ONLY) return `${measuredLine(describeMachine(), 1)}\n\n${section(readPlanRows())}`;
    const models = listFrom(process.env.BENCH_MODELS, MODELS);
    const prompts = FIDELITY_PROMPTS.filter((p) =>
      listFrom(
        process.env.BENCH_PROMPTS,
        FIDELITY_PROMPTS.map((q) => q.id),
      ).includes(p.id),
    );
    for (const m of models) if (!hasProjectModel(m)) throw new Error(`model ${m} is not in the project Ollama: bash scripts/setup-ollama.sh ${m}`);
    const commit = commitLabel();
    const machine = describeMachine();
    const ollama = await startProjectOllama();
    try {
      for (const model of models) {
        for (const p of prompts) {
          if (readPlanRows().some((r) => r.commit === commit && r.model === model && r.prompt === p.id)) continue;
          // A fresh response cache: every row is a real model call.
          const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-plans-'));
          const llm: LlmSettings = {
            serverUrl: ollama.url,
            model,
            options: OPTIONS,
            callTimeoutMs: 30 * 60_000,
            stallTimeoutMs: 5 * 60_000,
            maxOutputBytes: 1 << 20,
          };
          const t0 = performance.now();
          ctx.log(`${model} · ${p.id}`);
          try {
            const r = await planOnce(llm, p.sentence, path.join(dir, 'cache.db'));
            const fidelity = r.plan ? fidelityOf(p.sentence, r.plan) : null;
            const row: PlanRow = {
              commit,
              date: new Date().toISOString(),
              machine: `${machine.cpu}, ${machine.cores} cores`,
              model,
              prompt: p.id,
              valid: r.plan !== null,
              tries: r.tries,
              wallMs: Math.round(performance.now() - t0),
              tokensOut: r.tokensOut,
              ...(r.plan ? count(r.plan) : { resources: 0, fields: 0, rules: 0, relations: 0, filters: 0, actions: 0 }),
              placed: fidelity?.requirements.filter((q) => q.where).length ?? 0,
              namedNotBuilt: fidelity?.requirements.filter((q) => !q.where && !q.why?.startsWith('nothing in the plan')).length ?? 0,
              unmatchedWords: fidelity?.requirements.find((q) => q.why?.startsWith('nothing in the plan'))?.asked.split(', ') ?? [],
              buildable: fidelity?.buildable ?? null,
              errors: r.errors.slice(0, 5),
              plan: r.plan,
              // After the time is taken: Schemathesis is not part of the plan phase.
              schemathesis: r.plan ? await schemathesisOf(r.plan) : null,
            };
            appendFileSync(ROWS_PATH, JSON.stringify(row) + '\n');
            ctx.log(`  ${row.valid ? 'valid' : 'invalid'} in ${(row.wallMs / 1000).toFixed(0)} s: ${row.resources} resources, ${row.placed} placed`);
          } finally {
            rmSync(dir, { recursive: true, force: true });
          }
        }
      }
    } finally {
      await ollama.stop();
    }
    return `${measuredLine(machine, 1)}\n\n${section(readPlanRows())}`;
  },
};
