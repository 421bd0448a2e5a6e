// 1. Orchestration overhead: what a whole run costs beyond the work nobody can skip,
// the model's streaming and the Go toolchain. wall ÷ (LLM + toolchain) = 1.0 is the floor.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { HISTORIES_DIR } from '../../test/support/histories.js';
import type { Benchmark } from '../benchmark.js';
import { warmGoCache } from '../fixture-validation.js';
import { CHUNK_CHARS, TOKENS_PER_SECOND, runPipeline, startProductWorker, type RunFigures } from '../pipeline-runs.js';
import { duration, markdownTable, median, ratio, spread } from '../stats.js';

const TASK_QUEUE = 'bench-overhead';

/** The good run's history as recorded before the mirror writes became local activities. */
function eventsBefore(): number {
  const file = path.join(HISTORIES_DIR, 'before-local-mirror', 'good-run.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { events: unknown[] }).events.length;
}

const floorMs = (r: RunFigures) => r.llmMs + r.toolchainMs;
const overheadMs = (r: RunFigures) => r.wallMs - floorMs(r);

export const benchmark: Benchmark = {
  name: 'overhead',
  title: '1. Orchestration overhead',
  async run(ctx) {
    const env = await ctx.devServer();
    ctx.log('warming the Go build cache');
    await warmGoCache();
    const stop = await startProductWorker(env, TASK_QUEUE);
    const runs: RunFigures[] = [];
    try {
      for (let i = 1; i <= ctx.reps; i++) {
        const r = await runPipeline(env, TASK_QUEUE, { skipValidation: false });
        ctx.log(`run ${i}/${ctx.reps}: wall ${duration(r.wallMs)}, LLM ${duration(r.llmMs)}, toolchain ${duration(r.toolchainMs)}`);
        runs.push(r);
      }
    } finally {
      await stop();
    }

    const rows = runs.map((r, i) => [
      String(i + 1),
      duration(r.wallMs),
      duration(r.llmMs),
      duration(r.toolchainMs),
      duration(overheadMs(r)),
      ratio(r.wallMs / floorMs(r)),
      `${r.history.events} (${r.history.activities} activities, ${r.history.markers} markers)`,
    ]);
    const all = (f: (r: RunFigures) => number) => runs.map(f);
    rows.push([
      '**median (range)**',
      spread(all((r) => r.wallMs)),
      spread(all((r) => r.llmMs)),
      spread(all((r) => r.toolchainMs)),
      spread(all(overheadMs)),
      spread(
        all((r) => r.wallMs / floorMs(r)),
        ratio,
      ),
      spread(
        all((r) => r.history.events),
        String,
      ),
    ]);
    const first = runs[0]!;
    const perPhase = median(all(overheadMs)) / first.phases;
    const perActivity = median(all(overheadMs)) / first.history.activities;
    return [
      `One whole run (\`generateApi\`, validation on) on a real Temporal dev server and the product's worker ` +
        `(cached workflow bundle), against the scripted Ollama streaming the todo API fixture at ${TOKENS_PER_SECOND} tokens/s ` +
        `(${CHUNK_CHARS} characters a token: ${first.llmCalls} calls, ${first.tokensOut} tokens out), with the real Go toolchain ` +
        `and a warm Go build cache. LLM = the sum over calls of the time from a call's arrival at Ollama to its answer's end; ` +
        `toolchain = the validation round's own duration from status.json (its steps alone sum to ${duration(median(all((r) => r.stepsMs)))}; ` +
        `\`go tool cover -func\` runs between them). Overhead = wall − LLM − toolchain: Temporal round trips, activity ` +
        `scheduling, file writes, the output folder's git history (eight commits here, on by default), the SQLite mirror and status.json.`,
      '',
      markdownTable(['run', 'wall', 'LLM stream', 'Go toolchain', 'overhead', 'wall ÷ (LLM + toolchain)', 'history events'], rows),
      '',
      `The floor no pipeline can beat is 1.00×. The median overhead spread over the run's ${first.phases} phases ` +
        `is about ${duration(perPhase)} a phase. The mirror writes, the scaffold and status.json are local activities ` +
        `(one marker event each, run inside the workflow task); the same run recorded before that change ` +
        `(test/histories/before-local-mirror/good-run.json) has ${eventsBefore()} events. ` +
        `Since the two task queues (2026-12-02), a file is three activities: its prompt read in the workspace, the ` +
        `model's answer on the model queue, the file written in the workspace, so a model worker can run on another ` +
        `machine. That is ${first.history.activities} activities where the last measurement before the split had 9 ` +
        `(1.03×, 514 ms); the median overhead is about ${duration(perActivity)} an activity.`,
    ].join('\n');
  },
};
