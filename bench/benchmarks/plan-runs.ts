// 8. Whole-plan runs: `make run-local`'s path (-strategy plan) with a real model on the fidelity
// prompt set, each run re-checked by code that shares nothing with the pipeline's verdict: go vet,
// go test with coverage over every package, Schemathesis against the API's own openapi.yaml, and
// the prompt's acceptance script over HTTP (bench/fidelity/acceptance.ts): elements asked,
// delivered, named "not built", silently missing. The row also counts the fidelity list and the
// model's share of behaviour.go (methods it wrote, methods code wrote, stand-ins; its lines and
// how many of them are copied word for word from its prompt). Rows go to bench/results/plan-runs.jsonl as
// they finish; rows of this commit are skipped, so a stopped bench resumes. BENCH_MODELS and
// BENCH_PROMPTS (ids) narrow it. `make bench-plan-runs`.
import { execFile } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { GO_MOD_CACHE } from '../../activities/go/run-tool.js';
import { PROJECT_ROOT } from '../../lib/project-root.js';
import { hasProjectModel, startProjectOllama } from '../../scripts/project-ollama.js';
import { coverageTotal } from '../../test/support/check-api.js';
import { runInput } from '../../test/support/run-fixtures.js';
import { rootMessage } from '../../workflows/run-state.js';
import type { RunResult } from '../../core/run-types.js';
import type { Benchmark } from '../benchmark.js';
import { HELD_OUT_PROMPTS, PLAIN_PROMPTS, PLAN_RUN_PROMPTS } from '../fidelity/prompts.js';
import { scoreAcceptance, type ElementScore, type Requirement } from '../fidelity/score.js';
import { describeMachine, measuredLine } from '../machine.js';
import { checkoutLabel } from '../model-rows.js';
import { startProductWorker } from '../pipeline-runs.js';

const exec = promisify(execFile);
const ROWS_PATH = path.join(PROJECT_ROOT, 'bench', 'results', 'plan-runs.jsonl');
const MODELS = ['qwen2.5-coder-0.5b', 'qwen2.5-coder-1.5b'];
const TASK_QUEUE = 'bench-plan-runs';
// The CLI's defaults, so the figures are what `make run-local` sees.
const OPTIONS = { temperature: 0.2, num_ctx: 8192, seed: 42, num_predict: 4096 };
const GO_ENV = { ...process.env, GOMODCACHE: GO_MOD_CACHE, GOPROXY: 'off', GOFLAGS: '-mod=mod' };

export interface PlanRunRow {
  commit: string;
  date: string;
  machine: string;
  model: string;
  prompt: string;
  /** The pipeline's verdict, and its error when it failed. */
  valid: boolean;
  error: string | null;
  wallMs: number;
  tokensOut: number;
  /** Re-checked here: go vet and go test pass, coverage over every package, Schemathesis. */
  vetAndTests: boolean | null;
  coverage: number | null;
  schemathesis: { failures: number; cases: number } | null;
  placed: number;
  notBuilt: number;
  /** behaviour.go: methods the model wrote and kept, written by code, code's stand-ins. */
  byModel: number;
  byCode: number;
  standIns: number;
  /** The acceptance script's verdict per element (absent in rows measured before it existed; null when the API did not build). */
  elements?: ElementScore[] | null;
  /** behaviour.go's non-blank lines the model wrote and kept, and of them those copied from its prompt. */
  modelLines?: number;
  verbatimLines?: number;
}

/** asked / delivered / named not built / silently missing, from the acceptance script's verdicts. */
export function elementCounts(r: PlanRunRow, asked: number): { asked: number; delivered: number; named: number; silent: number } | null {
  if (r.elements === undefined) return null;
  const e = r.elements ?? [];
  const delivered = e.filter((x) => x.delivered).length;
  const named = e.filter((x) => !x.delivered && x.named).length;
  return { asked, delivered, named, silent: asked - delivered - named };
}

function readRows(): PlanRunRow[] {
  if (!existsSync(ROWS_PATH)) return [];
  return readFileSync(ROWS_PATH, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as PlanRunRow);
}

const listFrom = (env: string | undefined, all: string[]) => (env?.trim() ? env.split(',').map((s) => s.trim()) : all);

/** go vet and go test with coverage over every package, as a reviewer would run them. */
async function goCheck(out: string): Promise<{ ok: boolean; coverage: number | null }> {
  try {
    await exec('go', ['vet', './...'], { cwd: out, env: GO_ENV, timeout: 300_000 });
    const profile = path.join(out, '..', 'bench-cover.out');
    await exec('go', ['test', '-count=1', '-coverpkg=./...', `-coverprofile=${profile}`, './...'], { cwd: out, env: GO_ENV, timeout: 600_000 });
    const cover = await exec('go', ['tool', 'cover', `-func=${profile}`], { cwd: out, env: GO_ENV });
    return { ok: true, coverage: coverageTotal(cover.stdout) };
  } catch {
    return { ok: false, coverage: null };
  }
}

async function schemathesis(out: string): Promise<{ failures: number; cases: number } | null> {
  const r = await exec('bash', [path.join(PROJECT_ROOT, 'scripts', 'schemathesis.sh'), out], { env: GO_ENV, maxBuffer: 16 << 20 }).catch(
    (e: { stdout?: string; stderr?: string }) => e,
  );
  const m = /schemathesis: (\d+) distinct failures? in (\d+) test cases/.exec(`${r.stdout ?? ''}${r.stderr ?? ''}`);
  return m ? { failures: Number(m[1]), cases: Number(m[2]) } : null;
}

function section(rows: PlanRunRow[]): string {
  const latest = new Map<string, PlanRunRow>();
  for (const r of rows) latest.set(`${r.model} ${r.prompt}`, r);
  const cell = (v: number | null, unit = '') => (v === null ? '—' : `${v}${unit}`);
  const asked = (id: string) => PLAN_RUN_PROMPTS.find((p) => p.id === id)?.elements.length ?? 0;
  const table = [...latest.values()].map((r) => {
    const n = elementCounts(r, asked(r.prompt));
    const elements = n ? `${n.asked} | ${n.delivered} | ${n.named} | ${n.silent}` : '— | — | — | —';
    const verbatim =
      r.modelLines === undefined ? '—' : r.modelLines === 0 ? '0' : `${r.modelLines} (${Math.round((100 * (r.verbatimLines ?? 0)) / r.modelLines)} % copied)`;
    return `| ${r.model} | ${r.prompt} | ${r.valid ? 'yes' : `no: ${(r.error ?? '').slice(0, 80)}`} | ${(r.wallMs / 1000).toFixed(0)} s | ${r.vetAndTests === null ? '—' : r.vetAndTests ? 'pass' : 'FAIL'} | ${cell(r.coverage, ' %')} | ${r.schemathesis ? `${r.schemathesis.failures} / ${r.schemathesis.cases}` : '—'} | ${elements} | ${r.placed} | ${r.notBuilt} | ${r.byModel} | ${r.byCode} | ${r.standIns} | ${verbatim} | ${r.commit} |`;
  });
  const valid = [...latest.values()].filter((r) => r.valid && r.vetAndTests && (r.schemathesis?.failures ?? 1) === 0).length;
  const scored = [...latest.values()].map((r) => ({ r, n: elementCounts(r, asked(r.prompt)) })).filter((x) => x.n);
  const isPlain = (id: string) => PLAIN_PROMPTS.some((p) => p.id === id);
  const isHeldOut = (id: string) => HELD_OUT_PROMPTS.some((p) => p.id === id);
  const delivered = (rows: typeof scored) => {
    const whole = rows.filter((x) => x.n!.delivered === x.n!.asked).length;
    const [d, a] = [rows.reduce((sum, x) => sum + x.n!.delivered, 0), rows.reduce((sum, x) => sum + x.n!.asked, 0)];
    return `${whole} of ${rows.length} prompts delivered whole, ${d} of ${a} elements`;
  };
  const perModel = [...new Set(scored.map((x) => x.r.model))].map((m) => {
    const mine = scored.filter((x) => x.r.model === m);
    const fidelity = mine.filter((x) => !isPlain(x.r.prompt) && !isHeldOut(x.r.prompt));
    const heldOut = mine.filter((x) => isHeldOut(x.r.prompt));
    const plain = mine.filter((x) => isPlain(x.r.prompt));
    const silent = mine.reduce((sum, x) => sum + x.n!.silent, 0);
    const plainValid = plain.filter((x) => x.r.valid && x.r.vetAndTests && x.r.schemathesis?.failures === 0 && x.n!.delivered === x.n!.asked).length;
    return (
      `${m}: fidelity set ${delivered(fidelity)}; held-out set ${heldOut.length ? delivered(heldOut) : 'not run'}; ` +
      `plain prompts ${plainValid} of ${plain.length} valid, clean and under their noun; ${silent} elements silently missing in all.`
    );
  });
  return [
    `Whole runs with \`-strategy plan\` (\`make run-local\`'s path) on the fidelity prompt set, the five plain prompts of section 5 (bench/fidelity/prompts.ts) and the held-out set (bench/fidelity/held-out.ts: sentences written after the product, never used to tune it), the project Ollama on CPU, the CLI's model options. Each output re-checked here: go vet and go test (coverage over every package), Schemathesis against its own openapi.yaml (distinct failures / cases), and the prompt's acceptance script over HTTP (bench/fidelity/acceptance.ts, written before these rows' runs): elements asked, delivered, named "not built" by the fidelity list, silently missing. "placed" / "not built": lines of the run's fidelity list. behaviour.go: methods the model wrote and kept, methods code wrote (an action that only sets a flag), code's stand-ins (no answer compiled, or the tests failed with it); "model lines": behaviour.go's non-blank lines the model wrote and kept, and the share found word for word in its prompt. ${valid} of ${latest.size} runs valid and clean under both checks. Rows: bench/results/plan-runs.jsonl.`,
    '',
    ...perModel.map((l) => `- ${l}`),
    '',
    '| model | prompt | valid | wall | vet + tests | coverage | Schemathesis | asked | delivered | named | silent | placed | not built | by model | by code | stand-ins | model lines | commit |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...table,
  ].join('\n');
}

export const benchmark: Benchmark = {
  name: 'plan-runs',
  title: '8. Whole-plan runs',
  runByDefault: false,
  async run(ctx) {
    if (process.env.BENCH_REPORT_ONLY) return `${measuredLine(describeMachine(), 1)}\n\n${section(readRows())}`;
    const models = listFrom(process.env.BENCH_MODELS, MODELS);
    const ids = listFrom(
      process.env.BENCH_PROMPTS,
      PLAN_RUN_PROMPTS.map((p) => p.id),
    );
    const prompts = PLAN_RUN_PROMPTS.filter((p) => ids.includes(p.id));
    for (const m of models) if (!hasProjectModel(m)) throw new Error(`model ${m} is not in the project Ollama: bash scripts/setup-ollama.sh ${m}`);
    const commit = checkoutLabel();
    const machine = describeMachine();
    const env = await ctx.devServer();
    const ollama = await startProjectOllama();
    const stop = await startProductWorker(env, TASK_QUEUE);
    try {
      for (const model of models) {
        for (const p of prompts) {
          if (readRows().some((r) => r.commit === commit && r.model === model && r.prompt === p.id)) continue;
          ctx.log(`${model} · ${p.id}`);
          const input = runInput(ollama.url, {
            prompt: p.sentence,
            strategy: 'plan',
            store: 'sqlite',
            llm: { serverUrl: ollama.url, model, options: OPTIONS, callTimeoutMs: 1_800_000, stallTimeoutMs: 300_000, maxOutputBytes: 10 * 2 ** 20 },
          });
          const t0 = performance.now();
          const handle = await env.client.workflow.start('generateApi', {
            taskQueue: TASK_QUEUE,
            workflowId: `bench-plan-runs-${p.id}-${Date.now()}`,
            args: [input],
          });
          const result = await (handle.result() as Promise<RunResult>).catch((err: Error): RunResult => ({
            status: 'failed',
            valid: false,
            coveragePercent: null,
            statusFile: null,
            error: rootMessage(err),
          }));
          const wallMs = Math.round(performance.now() - t0);
          const statusPath = path.join(input.outputDir, 'status.json');
          const status = existsSync(statusPath) ? JSON.parse(readFileSync(statusPath, 'utf8')) : null;
          const built = existsSync(path.join(input.outputDir, 'go.mod'));
          const go = built ? await goCheck(input.outputDir) : null;
          const requirements: Requirement[] = status?.fidelity?.requirements ?? [];
          const behaviour = (status?.files ?? []).find((f: { path: string }) => f.path === 'internal/models/behaviour.go');
          const source = behaviour ? readFileSync(path.join(input.outputDir, behaviour.path), 'utf8') : '';
          const methods = (source.match(/^func \(/gm) ?? []).length;
          const standIns = requirements.filter((r) => /the model's body|no body the model wrote/.test(r.why ?? '')).length;
          const byCode = requirements.filter((r) => r.where?.includes('written by code')).length;
          const row: PlanRunRow = {
            commit,
            date: new Date().toISOString(),
            machine: `${machine.cpu}, ${machine.cores} cores`,
            model,
            prompt: p.id,
            valid: result.valid,
            error: result.error?.slice(0, 300) ?? null,
            wallMs,
            tokensOut: status?.totals?.tokensOut ?? 0,
            vetAndTests: go?.ok ?? null,
            coverage: go?.coverage ?? null,
            schemathesis: built && go?.ok ? await schemathesis(input.outputDir) : null,
            placed: requirements.filter((r) => r.where).length,
            notBuilt: requirements.filter((r) => !r.where).length,
            byModel: Math.max(0, methods - byCode - standIns),
            byCode,
            standIns,
            elements: go?.ok
              ? await scoreAcceptance(p.id, input.outputDir, requirements).catch((e: Error) => {
                  ctx.log(`  acceptance: ${e.message}`);
                  return null;
                })
              : null,
            modelLines: behaviour?.provenance?.modelLines ?? 0,
            verbatimLines: behaviour?.provenance?.verbatimLines ?? 0,
          };
          appendFileSync(ROWS_PATH, JSON.stringify(row) + '\n');
          ctx.log(
            `  ${row.valid ? 'valid' : 'invalid'} in ${(wallMs / 1000).toFixed(0)} s, coverage ${row.coverage ?? '—'}, Schemathesis ${JSON.stringify(row.schemathesis)}, acceptance ${JSON.stringify(elementCounts(row, p.elements.length))}`,
          );
        }
      }
    } finally {
      await stop();
      await ollama.stop();
    }
    return `${measuredLine(machine, 1)}\n\n${section(readRows())}`;
  },
};
