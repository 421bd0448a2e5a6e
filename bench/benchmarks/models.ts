// 5. Real models: whole runs against the project's own Ollama (scripts/setup-ollama.sh) with
// every model it holds, for a few everyday prompts. Slow (a 0.5B model writes ~20 tokens/s on
// these 2 cores), so `make bench` leaves it out: `make bench-models` runs it.
// BENCH_MODELS and BENCH_PROMPTS (comma-separated) narrow it down.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { StatusReport } from '../../activities/store/status-report.js';
import { hasProjectModel, startProjectOllama } from '../../scripts/project-ollama.js';
import { rootMessage } from '../../workflows/run-state.js';
import type { RunResult } from '../../workflows/types.js';
import { runInput } from '../../test/support/run-fixtures.js';
import type { Benchmark } from '../benchmark.js';
import { startProductWorker } from '../pipeline-runs.js';
import { duration, elapsed, markdownTable } from '../stats.js';

const TASK_QUEUE = 'bench-models';
const MODELS = ['smollm2-135m', 'qwen2.5-coder-0.5b', 'qwen2.5-coder-1.5b'];
const PROMPTS = ['REST API for todo list', 'REST API for a bookstore', 'REST API for notes', 'REST API for inventory', 'REST API for events'];
const REPAIR_ROUNDS = 2;

const listFrom = (env: string | undefined, all: string[]) => (env ? env.split(',').map((s) => s.trim()).filter(Boolean) : all);

/** The phase the run ended in (its last failed one) and the start of the run's error. */
function outcomeOf(result: RunResult, status: StatusReport): string {
  if (result.status === 'completed' && result.valid) return '**valid**';
  const failed = status.phases.filter((p) => p.status === 'failed').pop();
  const why = String(result.error ?? failed?.error ?? '').replace(/\|/g, '/').slice(0, 90);
  return `${result.status}${failed ? ` at ${failed.name}` : ''}: ${why}`;
}

export const benchmark: Benchmark = {
  name: 'models',
  title: '5. Real models',
  runByDefault: false,
  async run(ctx) {
    const models = listFrom(process.env.BENCH_MODELS, MODELS).filter(hasProjectModel);
    if (models.length === 0) throw new Error('no project models: run `make ollama` first');
    const prompts = listFrom(process.env.BENCH_PROMPTS, PROMPTS);
    const env = await ctx.devServer();
    const ollama = await startProjectOllama();
    const stop = await startProductWorker(env, TASK_QUEUE);
    const rows: string[][] = [];
    try {
      for (const model of models) {
        for (const prompt of prompts) {
          // The CLI's defaults, so the figures are what a user of `make run-local` sees.
          const input = runInput(ollama.url, {
            prompt, maxRepairRounds: REPAIR_ROUNDS, workingBudgetMs: 30 * 60_000,
            llm: { ollamaUrl: ollama.url, model, options: { temperature: 0.2, num_ctx: 8192, seed: 42, num_predict: 4096 }, callTimeoutMs: 1_800_000, stallTimeoutMs: 300_000, maxOutputBytes: 10 * 2 ** 20 },
          });
          const started = performance.now();
          const handle = await env.client.workflow.start('generateApi', { taskQueue: TASK_QUEUE, workflowId: `bench-models-${model}-${Date.now()}`, args: [input] });
          // A failed run fails its workflow: its verdict is then the failure's message.
          const result = await (handle.result() as Promise<RunResult>).catch(
            (err: Error): RunResult => ({ status: 'failed', valid: false, coveragePercent: null, statusFile: null, error: rootMessage(err) }),
          );
          const wallMs = elapsed(started);
          const status = JSON.parse(readFileSync(path.join(input.outputDir, 'status.json'), 'utf8')) as StatusReport;
          const llmMs = status.phases.filter((p) => p.tokensOut > 0).reduce((n, p) => n + p.durationMs, 0);
          const coverage = status.validation?.final.coveragePercent;
          const row = [
            model, prompt.replace(/^REST API for (a )?/, ''), duration(wallMs), String(status.totals.tokensIn), String(status.totals.tokensOut),
            llmMs > 0 ? (status.totals.tokensOut / (llmMs / 1000)).toFixed(1) : '–', String(status.run.repairRounds),
            coverage == null ? '–' : `${coverage.toFixed(1)} %`, outcomeOf(result, status),
          ];
          ctx.log(row.join(' | '));
          rows.push(row);
        }
      }
    } finally {
      await stop();
      await ollama.stop();
    }
    const valid = rows.filter((r) => r[8] === '**valid**').length;
    return [
      `Whole runs (\`generateApi\`, validation on, at most ${REPAIR_ROUNDS} repair rounds, the CLI's model options: temperature 0.2, ` +
        `num_ctx 8192, seed 42, num_predict 4096) against the project's Ollama (v0.19.0 built here, CPU only, 2 threads) on the shared dev server, ` +
        `one run per model and prompt. tokens/s = tokens out ÷ the LLM phases' durations.`,
      '',
      markdownTable(['model', 'prompt', 'wall', 'tokens in', 'tokens out', 'tokens/s', 'repair rounds', 'coverage', 'outcome'], rows),
      '',
      `${valid} of ${rows.length} runs ended with a valid API.`,
    ].join('\n');
  },
};
