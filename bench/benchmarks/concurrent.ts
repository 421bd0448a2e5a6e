// 4. N runs at once on one worker against one run alone: how far the orchestration lets
// runs overlap, with validation (CPU-bound Go builds and tests) and without.
import os from 'node:os';
import type { Benchmark } from '../benchmark.js';
import { warmGoCache } from '../fixture-validation.js';
import { TOKENS_PER_SECOND, runPipeline, startProductWorker } from '../pipeline-runs.js';
import { duration, elapsed, markdownTable, median, ratio, spread } from '../stats.js';

const TASK_QUEUE = 'bench-concurrent';
const BATCH_SIZES = [1, 2, 4];

interface Batch {
  wallMs: number;
  runWallMs: number[];
  toolchainMs: number[];
}

export const benchmark: Benchmark = {
  name: 'concurrent',
  title: '4. Concurrent runs on one worker',
  async run(ctx) {
    const env = await ctx.devServer();
    await warmGoCache();
    const stop = await startProductWorker(env, TASK_QUEUE);
    const batches = new Map<string, Batch[]>();
    const key = (validation: boolean, n: number) => `${validation ? 'on' : 'off'}×${n}`;
    try {
      for (let i = 1; i <= ctx.reps; i++) {
        for (const validation of [false, true]) {
          for (const n of BATCH_SIZES) {
            const started = performance.now();
            const runs = await Promise.all(Array.from({ length: n }, () => runPipeline(env, TASK_QUEUE, { skipValidation: !validation })));
            const batch = { wallMs: elapsed(started), runWallMs: runs.map((r) => r.wallMs), toolchainMs: runs.map((r) => r.toolchainMs) };
            batches.set(key(validation, n), [...(batches.get(key(validation, n)) ?? []), batch]);
            ctx.log(`rep ${i}/${ctx.reps}, validation ${validation ? 'on' : 'off'}, ${n} at once: batch ${duration(batch.wallMs)}`);
          }
        }
      }
    } finally {
      await stop();
    }

    const rows: string[][] = [];
    for (const validation of [false, true]) {
      const alone = median(batches.get(key(validation, 1))!.map((b) => b.wallMs));
      for (const n of BATCH_SIZES) {
        const list = batches.get(key(validation, n))!;
        rows.push([
          validation ? 'on' : 'off',
          String(n),
          spread(list.map((b) => b.wallMs)),
          spread(list.flatMap((b) => b.runWallMs)),
          validation ? spread(list.flatMap((b) => b.toolchainMs)) : '–',
          // How much faster than the same N runs one after another.
          spread(
            list.map((b) => (n * alone) / b.wallMs),
            ratio,
          ),
          spread(
            list.map((b) => (n * 60_000) / b.wallMs),
            (x) => x.toFixed(1),
          ),
        ]);
      }
    }
    return [
      `N runs of the whole pipeline started together on one product worker (at most 4 activities at once, ` +
        `worker/create-worker.ts), each with its own scripted Ollama at ${TOKENS_PER_SECOND} tokens/s and its own output ` +
        `folder, sharing a warm Go build cache. Batch = first start to last result. This machine has ${os.availableParallelism()} ` +
        `cores: validation (go vet, build, test, the smoke run) is CPU-bound, so with validation on, runs queue for the CPU.`,
      '',
      markdownTable(['validation', 'N', 'batch wall', "one run's wall", 'its Go toolchain', 'speed-up vs N in a row', 'runs / min'], rows),
      '',
      'The scripted Ollama streams every call at full pace however many arrive together. A real Ollama answers one request ' +
        'at a time unless OLLAMA_NUM_PARALLEL allows more, and shares one GPU or CPU, so with a real model the LLM phases of ' +
        'concurrent runs queue as well: this measures what the orchestration and the toolchain allow, not what a model does.',
    ].join('\n');
  },
};
