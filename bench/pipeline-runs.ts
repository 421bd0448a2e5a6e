// Whole pipeline runs for the benchmarks: the product's worker (worker/create-worker.ts,
// cached workflow bundle) on the shared dev server, and per run a scripted Ollama that
// streams the todo API fixture at a fixed pace and clocks its own streaming.
import proto from '@temporalio/proto'; // CommonJS: no named exports under ESM
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { StatusReport } from '../lib/status-report.js';
import { createWorker } from '../worker/create-worker.js';
import type { RunResult } from '../core/run-types.js';
import { FIXTURE_DIR, runInput } from '../test/support/run-fixtures.js';
import { startScriptedOllama, todoApiResponder } from '../test/support/scripted-ollama.js';
import { removeFolder } from './fixture-validation.js';
import { elapsed } from './stats.js';

/** The scripted model's pace: a fast local model on a GPU; 4 characters make a token. */
export const TOKENS_PER_SECOND = 200;
export const CHUNK_CHARS = 4;

export interface RunFigures {
  wallMs: number;
  /** Sum over the LLM calls of the time from the call's arrival to its answer's end. */
  llmMs: number;
  llmCalls: number;
  /** The validation rounds' own durations (gofmt, vet, build, test, cover, smoke). */
  toolchainMs: number;
  /** The same rounds' step durations alone (go tool cover -func runs between steps). */
  stepsMs: number;
  phases: number;
  tokensOut: number;
  valid: boolean;
  /** The run's workflow history: all events, and how many of them are activity tasks and local-activity markers. */
  history: { events: number; activities: number; markers: number };
}

/** A worker as the CLI builds it, polling `taskQueue` until stop(). */
export async function startProductWorker(env: TestWorkflowEnvironment, taskQueue: string): Promise<() => Promise<void>> {
  const worker = await createWorker({ connection: env.nativeConnection, namespace: env.namespace ?? 'default', taskQueue });
  const running = worker.run();
  return async () => {
    worker.shutdown();
    await running;
  };
}

/** A scripted Ollama at TOKENS_PER_SECOND that sums the time it spends answering. */
async function startTimedOllama() {
  const open = new Map<number, number>();
  let llmMs = 0;
  let llmCalls = 0;
  const ollama = await startScriptedOllama({
    respond: todoApiResponder({ fixtureDir: FIXTURE_DIR }),
    tokensPerSecond: TOKENS_PER_SECOND,
    chunkChars: CHUNK_CHARS,
    onCall: (call) => open.set(call.index, performance.now()),
    onCallEnd: (call) => {
      llmMs += performance.now() - (open.get(call.index) ?? performance.now());
      llmCalls++;
    },
  });
  return { url: ollama.url, close: () => ollama.close(), figures: () => ({ llmMs: Math.round(llmMs), llmCalls }) };
}

let runCount = 0;

/** One generateApi run from start to result, with its own Ollama, output folder and mirror. */
export async function runPipeline(env: TestWorkflowEnvironment, taskQueue: string, opts: { skipValidation: boolean }): Promise<RunFigures> {
  const ollama = await startTimedOllama();
  const input = runInput(ollama.url, { skipValidation: opts.skipValidation });
  try {
    const started = performance.now();
    const handle = await env.client.workflow.start('generateApi', { taskQueue, workflowId: `bench-${process.pid}-${++runCount}-${Date.now()}`, args: [input] });
    const result = (await handle.result()) as RunResult;
    const wallMs = elapsed(started);
    const events = (await handle.fetchHistory()).events ?? [];
    const count = (type: proto.temporal.api.enums.v1.EventType) => events.filter((e) => e.eventType === type).length;
    const { EventType } = proto.temporal.api.enums.v1;
    const history = {
      events: events.length,
      activities: count(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED),
      markers: count(EventType.EVENT_TYPE_MARKER_RECORDED),
    };
    if (result.status !== 'completed') throw new Error(`a bench run ended ${result.status}: ${result.error ?? ''}`);
    const status = JSON.parse(readFileSync(path.join(input.outputDir, 'status.json'), 'utf8')) as StatusReport;
    const rounds = status.validation?.rounds ?? [];
    return {
      wallMs,
      ...ollama.figures(),
      toolchainMs: rounds.reduce((n, r) => n + r.durationMs, 0),
      stepsMs: rounds.reduce((n, r) => n + r.steps.reduce((m, s) => m + s.durationMs, 0), 0),
      phases: status.phases.length,
      tokensOut: status.totals.tokensOut,
      valid: result.valid,
      history,
    };
  } finally {
    await ollama.close();
    removeFolder(path.dirname(input.outputDir));
  }
}
