// 5. Real models: whole runs against the project's own Ollama (scripts/setup-ollama.sh), every
// model × prompt × strategy in one go, unattended (a 0.5B model writes ~20 tokens/s on these
// 2 cores, so it takes hours; `make bench` leaves it out, `make bench-models` runs it).
// Each finished run is a row in bench/results/models.jsonl at once, and the section is rebuilt
// from that file after every row; runs with a row for this commit are skipped, so a stopped
// session resumes where it stopped. BENCH_MODELS, BENCH_PROMPTS (short keys or whole prompts)
// and BENCH_STRATEGY (guided, whole or both, comma-separated) choose; BENCH_REPORT_ONLY=1 only
// rewrites the section from the rows.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import path from 'node:path';
import { hasProjectModel, startProjectOllama } from '../../scripts/project-ollama.js';
import { rootMessage } from '../../workflows/run-state.js';
import { STRATEGIES, type Strategy } from '../../core/types.js';
import { type RunResult } from '../../core/run-types.js';
import { runInput } from '../../test/support/run-fixtures.js';
import { checkApi, specFromOutput, type ApiCheck } from '../../test/support/check-api.js';
import type { Benchmark, BenchContext } from '../benchmark.js';
import { describeMachine, measuredLine } from '../machine.js';
import {
  appendRow,
  checkoutLabel,
  outcomeOf,
  PROMPTS,
  promptName,
  readRows,
  readStatus,
  ROWS_PATH,
  sameRun,
  statusFigures,
  type ModelRow,
} from '../model-rows.js';
import { modelsSection, WALL_LIMIT_MS } from '../models-section.js';
import { startProductWorker } from '../pipeline-runs.js';
import { updateReport } from '../report.js';
import { elapsed } from '../stats.js';

const TASK_QUEUE = 'bench-models';
const MODELS = ['qwen2.5-coder-0.5b', 'qwen2.5-coder-1.5b'];
const REPAIR_ROUNDS = 2;
// The CLI's defaults, so the figures are what a user of `make run-local` sees.
const MODEL_OPTIONS = { temperature: 0.2, num_ctx: 8192, seed: 42, num_predict: 4096 };
const WORKING_BUDGET_MS = 45 * 60_000;
// Enough of the failure to read in the rows file; the full text is in the run's status.json.
const DETAILS_CHARS = 2000;
const ERROR_CHARS = 500;
/** A run still going at twice the wall limit is cancelled: one stuck run must not hold up the night. */
const CANCEL_AFTER_MS = 2 * WALL_LIMIT_MS;

const SETTINGS =
  `Whole runs (\`generateApi\`, validation on, at most ${REPAIR_ROUNDS} repair rounds, the CLI's model options: temperature 0.2, num_ctx 8192, seed 42, ` +
  `num_predict 4096, a ${WORKING_BUDGET_MS / 60_000} min working budget) against the project's Ollama (CPU only) on the shared dev server, one run per model, prompt and strategy.`;

const listFrom = (env: string | undefined, all: string[]) =>
  env?.trim()
    ? env
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : all;

/** What to run, from the environment; a wrong name stops the bench before anything starts. */
export function benchPlan(env: NodeJS.ProcessEnv = process.env) {
  const models = listFrom(env.BENCH_MODELS, MODELS);
  const prompts = listFrom(env.BENCH_PROMPTS, Object.keys(PROMPTS)).map((p) => {
    if (PROMPTS[p]) return PROMPTS[p];
    if (/\s/.test(p)) return p; // a whole prompt of one's own
    throw new Error(`BENCH_PROMPTS: no prompt ${p}; the keys are ${Object.keys(PROMPTS).join(', ')} (or give a whole prompt)`);
  });
  const strategies = listFrom(env.BENCH_STRATEGY, ['guided']).map((s) => {
    if (!(STRATEGIES as readonly string[]).includes(s)) throw new Error(`BENCH_STRATEGY: no strategy ${s}; there are ${STRATEGIES.join(', ')}`);
    return s as Strategy;
  });
  return { models, prompts, strategies };
}

interface Session {
  env: TestWorkflowEnvironment;
  serverUrl: string;
  commit: string;
  machine: string;
}

/** The harness's check, or null when the folder holds no project (the run ended before scaffold). */
async function checkOutput(outputDir: string, ctx: BenchContext): Promise<ApiCheck | null> {
  let spec;
  try {
    spec = specFromOutput(outputDir);
  } catch (err) {
    ctx.log(`  no check: ${(err as Error).message}`);
    return null;
  }
  const check = await checkApi(outputDir, spec);
  return { ...check, details: check.details.length > DETAILS_CHARS ? `${check.details.slice(0, DETAILS_CHARS)}…` : check.details };
}

/** One generateApi run from start to result, then the harness's check of what it wrote. */
async function runOnce(s: Session, model: string, prompt: string, strategy: Strategy, ctx: BenchContext): Promise<ModelRow> {
  const input = runInput(s.serverUrl, {
    prompt,
    strategy,
    maxRepairRounds: REPAIR_ROUNDS,
    workingBudgetMs: WORKING_BUDGET_MS,
    llm: { serverUrl: s.serverUrl, model, options: MODEL_OPTIONS, callTimeoutMs: 1_800_000, stallTimeoutMs: 300_000, maxOutputBytes: 10 * 2 ** 20 },
  });
  ctx.log(`  output: ${input.outputDir}`);
  const date = new Date().toISOString();
  const started = performance.now();
  const handle = await s.env.client.workflow.start('generateApi', {
    taskQueue: TASK_QUEUE,
    workflowId: `bench-models-${model}-${strategy}-${Date.now()}`,
    args: [input],
  });
  const guard = setTimeout(() => void handle.cancel().catch(() => undefined), CANCEL_AFTER_MS);
  // A failed run fails its workflow: its verdict is then the failure's message.
  const result = await (handle.result() as Promise<RunResult>)
    .catch((err: Error): RunResult => ({ status: 'failed', valid: false, coveragePercent: null, statusFile: null, error: rootMessage(err) }))
    .finally(() => clearTimeout(guard));
  const wallMs = elapsed(started);
  const status = readStatus(input.outputDir);
  const check = await checkOutput(input.outputDir, ctx);
  return {
    commit: s.commit,
    date,
    machine: s.machine,
    model,
    prompt,
    strategy,
    outcome: outcomeOf(result, status, check),
    run: { status: result.status, valid: result.valid, error: (result.error ?? status?.run?.error ?? null)?.slice(0, ERROR_CHARS) ?? null },
    wallMs,
    ...statusFigures(status),
    check,
    coveragePercent: check?.coveragePercent ?? null,
  };
}

/** Section 5 from the rows file, written as bench/run.ts writes a section, so a row's rewrite and the final one agree. */
function writeSection(machine: ReturnType<typeof describeMachine>, ctx: BenchContext): string {
  const body = modelsSection(readRows(), SETTINGS);
  updateReport([benchmark], benchmark, `${measuredLine(machine, ctx.reps)}\n\n${body}`, machine);
  return body;
}

export const benchmark: Benchmark = {
  name: 'models',
  title: '5. Real models',
  runByDefault: false,
  async run(ctx) {
    // Section 5 again from the rows alone (after a change to how it is written): no run.
    if (process.env.BENCH_REPORT_ONLY === '1') return writeSection(describeMachine(), ctx);
    const { models, prompts, strategies } = benchPlan();
    const missing = models.filter((m) => !hasProjectModel(m));
    if (missing.length) throw new Error(`not in the project's Ollama: ${missing.join(', ')}; run \`bash scripts/setup-ollama.sh ${missing.join(' ')}\` first`);
    // The code measured is the code loaded now: later edits to the tree do not change this label.
    const commit = checkoutLabel();
    const machine = describeMachine();
    const planned = models.flatMap((model) => prompts.flatMap((prompt) => strategies.map((strategy) => ({ commit, model, prompt, strategy }))));
    const done = readRows();
    const todo = planned.filter((p) => !done.some((r) => sameRun(r, p)));
    ctx.log(`${todo.length} of ${planned.length} runs to do at ${commit}; rows go to ${path.relative(process.cwd(), ROWS_PATH)}`);
    if (todo.length === 0) return modelsSection(readRows(), SETTINGS);

    const env = await ctx.devServer();
    const ollama = await startProjectOllama();
    const stop = await startProductWorker(env, TASK_QUEUE);
    let broken = 0;
    try {
      const ollamaVersion = ((await (await fetch(`${ollama.url}/api/version`)).json()) as { version: string }).version;
      const session: Session = {
        env,
        serverUrl: ollama.url,
        commit,
        machine: `${machine.cores} cores, ${machine.cpu}, ${machine.ramGb} GB RAM, ${machine.versions.go}, Ollama ${ollamaVersion}`,
      };
      for (const [i, { model, prompt, strategy }] of todo.entries()) {
        const name = `${model} × ${promptName(prompt)} × ${strategy}`;
        ctx.log(`[${i + 1}/${todo.length}] start ${name} at ${new Date().toISOString()}`);
        try {
          const row = await runOnce(session, model, prompt, strategy, ctx);
          appendRow(row);
          ctx.log(`[${i + 1}/${todo.length}] end ${name}: ${row.outcome} in ${(row.wallMs / 60_000).toFixed(1)} min, coverage ${row.coveragePercent ?? '–'}`);
          writeSection(machine, ctx);
        } catch (err) {
          // No row: the run is tried again next time. The bench as a whole is reported broken at the end.
          broken++;
          ctx.log(`[${i + 1}/${todo.length}] broke ${name}: ${(err as Error).stack ?? err}`);
        }
      }
    } finally {
      await stop();
      await ollama.stop();
    }
    if (broken) throw new Error(`${broken} of ${todo.length} runs broke the harness (no row written; see the log)`);
    return writeSection(machine, ctx);
  },
};
