// 6. Model workers: what a second model host buys. Concurrent runs on one workspace worker
// (`-serve workflows,workspace`) with one model worker, then with two (`-serve model`), each
// model worker with its own scripted model server at a fixed pace and one model call at a time,
// as one local model serves them. Throughput ratio two ÷ one: the goal is ≥ 1.8×.
// Rows are kept in bench/results/model-workers.jsonl; a row already measured at this commit
// is not measured again (BENCH_FORCE=1 measures it anyway).
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { NativeConnection } from '@temporalio/worker';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../lib/project-root.js';
import { createWorker, type WorkerGroup } from '../../worker/create-worker.js';
import type { RunResult } from '../../core/run-types.js';
import { FIXTURE_DIR, runInput } from '../../test/support/run-fixtures.js';
import { startScriptedOllama, todoApiResponder, type ScriptedOllama } from '../../test/support/scripted-ollama.js';
import type { Benchmark } from '../benchmark.js';
import { describeMachine } from '../machine.js';
import { removeFolder } from '../fixture-validation.js';
import { duration, elapsed, markdownTable, ratio } from '../stats.js';

const TASK_QUEUE = 'bench-model-workers';
const RUNS = Number(process.env.BENCH_MODEL_RUNS ?? 4);
/** A local model on a laptop's CPU or a small GPU; 4 characters make a token. */
const TOKENS_PER_SECOND = 40;
const CHUNK_CHARS = 4;
const ROWS_PATH = path.join(PROJECT_ROOT, 'bench', 'results', 'model-workers.jsonl');

interface Row {
  commit: string;
  date: string;
  machine: string;
  modelWorkers: number;
  runs: number;
  wallMs: number;
  modelCalls: number;
  tokensOut: number;
}

function rowsAt(commit: string): Row[] {
  if (!existsSync(ROWS_PATH)) return [];
  return readFileSync(ROWS_PATH, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Row)
    .filter((r) => r.commit === commit);
}

/** RUNS runs at once, whole strategy, validation skipped (the toolchain would share the 2 cores with the model workers' pace). */
async function measure(env: TestWorkflowEnvironment, modelWorkers: number, log: (line: string) => void): Promise<Omit<Row, 'commit' | 'date' | 'machine'>> {
  const connection = env.nativeConnection;
  const namespace = env.namespace ?? 'default';
  const servers: ScriptedOllama[] = [];
  const groups: WorkerGroup[] = [];
  const running: Promise<void>[] = [];
  const connections: NativeConnection[] = [];
  const inputs: ReturnType<typeof runInput>[] = [];
  try {
    groups.push(await createWorker({ connection, namespace, taskQueue: TASK_QUEUE, serve: ['workflows', 'workspace'] }));
    for (let i = 0; i < modelWorkers; i++) {
      const server = await startScriptedOllama({
        respond: todoApiResponder({ fixtureDir: FIXTURE_DIR }),
        tokensPerSecond: TOKENS_PER_SECOND,
        chunkChars: CHUNK_CHARS,
      });
      servers.push(server);
      // A connection of its own, as a model worker on another machine has (the SDK refuses two
      // workers of one kind on one queue over one connection).
      const own = await NativeConnection.connect({ address: env.address });
      connections.push(own);
      groups.push(
        await createWorker({
          connection: own,
          namespace,
          taskQueue: TASK_QUEUE,
          serve: ['model'],
          modelServer: { serverUrl: server.url },
          maxConcurrentModelCalls: 1,
        }),
      );
    }
    running.push(...groups.map((g) => g.run()));
    // Nothing listens at port 9: every model call goes to a model worker's own server. Each run
    // its own seed, so no answer comes from the response cache (the model workers share one file).
    const salt = Date.now() % 1_000_000;
    for (let i = 0; i < RUNS; i++) {
      const base = runInput('http://127.0.0.1:9', { skipValidation: true });
      inputs.push({ ...base, llm: { ...base.llm, options: { ...base.llm.options, seed: salt * 10 + modelWorkers * RUNS + i } } });
    }
    const started = performance.now();
    const results = await Promise.all(
      inputs.map(async (input, i) => {
        const handle = await env.client.workflow.start('generateApi', {
          taskQueue: TASK_QUEUE,
          workflowId: `bench-model-workers-${modelWorkers}-${salt}-${i}`,
          args: [input],
        });
        return (await handle.result()) as RunResult;
      }),
    );
    const wallMs = elapsed(started);
    const failed = results.find((r) => r.status !== 'completed');
    if (failed) throw new Error(`a bench run ended ${failed.status}: ${failed.error ?? ''}`);
    const calls = servers.flatMap((s) => s.calls);
    log(`${modelWorkers} model worker(s): ${RUNS} runs in ${duration(wallMs)}, ${calls.length} model calls`);
    const statuses = inputs.map((input) => JSON.parse(readFileSync(path.join(input.outputDir, 'status.json'), 'utf8')) as { totals: { tokensOut: number } });
    return { modelWorkers, runs: RUNS, wallMs, modelCalls: calls.length, tokensOut: statuses.reduce((n, s) => n + s.totals.tokensOut, 0) };
  } finally {
    for (const g of groups) g.shutdown();
    await Promise.allSettled(running);
    for (const s of servers) await s.close();
    for (const c of connections) await c.close();
    for (const input of inputs) removeFolder(path.dirname(input.outputDir));
  }
}

export const benchmark: Benchmark = {
  name: 'model-workers',
  title: '6. Model workers',
  async run(ctx) {
    const machine = describeMachine();
    const rows: Row[] = [];
    for (const modelWorkers of [1, 2]) {
      const done = process.env.BENCH_FORCE ? undefined : rowsAt(machine.commit).find((r) => r.modelWorkers === modelWorkers && r.runs === RUNS);
      if (done) {
        ctx.log(`${modelWorkers} model worker(s): measured already at ${machine.commit} (${done.date}), skipped`);
        rows.push(done);
        continue;
      }
      const env = await ctx.devServer();
      const row: Row = {
        commit: machine.commit,
        date: machine.date,
        machine: `${machine.cores} cores, ${machine.cpu}`,
        ...(await measure(env, modelWorkers, ctx.log)),
      };
      mkdirSync(path.dirname(ROWS_PATH), { recursive: true });
      appendFileSync(ROWS_PATH, `${JSON.stringify(row)}\n`);
      rows.push(row);
    }
    const [one, two] = rows as [Row, Row];
    const perMinute = (r: Row) => ((r.runs * 60_000) / r.wallMs).toFixed(2);
    const table = markdownTable(
      ['model workers', 'runs at once', 'wall', 'runs per minute', 'model calls', 'tokens out', 'measured', 'machine', 'commit'],
      rows.map((r) => [
        String(r.modelWorkers),
        String(r.runs),
        duration(r.wallMs),
        perMinute(r),
        String(r.modelCalls),
        String(r.tokensOut),
        r.date,
        r.machine,
        r.commit,
      ]),
    );
    const speedup = one.wallMs / two.wallMs;
    return [
      `${RUNS} whole runs started at once (\`generateApi\`, whole strategy, validation skipped) on a real Temporal dev server: one ` +
        `workspace worker (\`-serve workflows,workspace\`) and one or two model workers (\`-serve model\`), each with its own scripted ` +
        `Ollama streaming the todo API fixture at ${TOKENS_PER_SECOND} tokens/s (${CHUNK_CHARS} characters a token) and one model call ` +
        `at a time (maxConcurrentActivityTaskExecutions 1), as one local model serves them. The runs name a model server that does not ` +
        `exist, so every answer comes from a model worker's own. Each run has its own seed: no answer comes from the response cache. ` +
        `A row already measured at the same commit is kept, not measured again.`,
      '',
      table,
      '',
      `Throughput with two model workers ÷ with one: **${ratio(speedup)}** (goal ≥ 1.8×; the model calls are the run's long pole, ` +
        `and the workspace's file writes between them are short).`,
    ].join('\n');
  },
};
