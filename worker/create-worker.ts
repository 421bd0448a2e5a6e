// The workers of one process: the run's task queue (the workflows, and the activities that work
// on the output folder, the mirror and the Go toolchain) and the model queue (the model calls),
// each served when asked (`overnight-llm worker -serve`); the CLI's in-process worker serves all.
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import path from 'node:path';
import { createLegacyCalls, createModelActivities, workspaceActivities, type ModelWorkerOwns } from '../activities/index.js';
import { containmentLevel, containmentWarning } from '../activities/go/containment.js';
import { withDiskFullFailures } from '../activities/disk-full.js';
import { modelTaskQueue, SERVED_WORK, type ServedWork } from '../core/task-queues.js';
import { withServerUrl } from '../core/types.js';
import { stateDir } from '../lib/state-dir.js';
import { WORKFLOWS_PATH, cachedWorkflowBundle } from './workflow-bundle.js';

export { WORKFLOWS_PATH };

export interface WorkerSettings {
  connection: NativeConnection;
  namespace: string;
  /** The CLI's -task-queue (its default lives with the flag, client/flags.ts); the model queue derives from it. */
  taskQueue: string;
  /** What this process serves: all of it unless told. */
  serve?: readonly ServedWork[];
  /** The worker's own model server (-ollama, OLLAMA_HOST, -llm-api, -llm-server given to `worker`); the run's when absent. */
  modelServer?: ModelWorkerOwns['server'];
  /** Model calls at once on this worker: a local model serves one at a time (the bench sets 1). */
  maxConcurrentModelCalls?: number;
  /** Bundle the workflow code at start instead of reusing the cached bundle (tests of the bundler). */
  bundleAtStart?: boolean;
  /** How long in-flight activities may take to finish on shutdown before they are cancelled. */
  shutdownGraceTime?: WorkerOptions['shutdownGraceTime'];
}

/** The response cache of a worker that serves model calls but not the workspace. */
export const modelWorkerCache = () => path.join(stateDir(), 'llm-cache.db');

/** The Temporal workers of one process, run and stopped together. */
export class WorkerGroup {
  /**
   * @param containmentWarning set when this process serves the workspace (generated code runs
   * here) under weaker containment than CI's: the caller says it at once.
   */
  constructor(
    readonly workers: Worker[],
    readonly containmentWarning: string | null = null,
  ) {}

  async run(): Promise<void> {
    await this.all((w) => w.run());
  }

  /** Runs until `done` settles, then shuts the workers down; stopped first (Ctrl-C), it throws (as Worker.runUntil does). */
  async runUntil<T>(done: Promise<T>): Promise<T> {
    let outcome: { value: T } | { reason: unknown } | undefined;
    void done.then(
      (value) => ((outcome = { value }), this.shutdown()),
      (reason: unknown) => ((outcome = { reason }), this.shutdown()),
    );
    await this.run();
    if (!outcome) throw new Error('the workers stopped before the work was done');
    if ('reason' in outcome) throw outcome.reason;
    return outcome.value;
  }

  shutdown(): void {
    for (const w of this.workers) if (w.getState() === 'RUNNING') w.shutdown();
  }

  /** One worker failing stops the others, and its error is the group's. */
  private async all(body: (w: Worker) => Promise<void>): Promise<void> {
    const results = await Promise.allSettled(this.workers.map((w) => body(w).catch((err) => (this.shutdown(), Promise.reject(err)))));
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
  }
}

export async function createWorker(settings: WorkerSettings): Promise<WorkerGroup> {
  const serve = new Set(settings.serve ?? SERVED_WORK);
  const common = {
    connection: settings.connection,
    namespace: settings.namespace,
    shutdownGraceTime: settings.shutdownGraceTime ?? '10s',
    // Heartbeats carry live progress (tokens so far) for the terminal and the Web UI: send them often.
    maxHeartbeatThrottleInterval: '2s',
  } satisfies Partial<WorkerOptions>;
  // The model endpoint belongs to the worker that serves model calls: one given to it (a flag or
  // OLLAMA_HOST) takes the place of the run's; none given leaves each run's own.
  const server = settings.modelServer;
  const workers: Worker[] = [];
  if (serve.has('workflows') || serve.has('workspace')) {
    // The mirror writes and the scaffold are local activities of the workflows: registered with
    // them even when the workspace's ordinary activities are served elsewhere. Runs recorded
    // before the model queue call the model from this queue: with this worker's own server, if any,
    // and the run's mirror as the response cache.
    workers.push(
      await Worker.create({
        ...common,
        taskQueue: settings.taskQueue,
        ...(serve.has('workflows') ? await workflowCode(settings.bundleAtStart) : {}),
        activities: served({ ...createModelActivities({ server }), ...workspaceActivities, ...createLegacyCalls({ server }) }),
        enableNonLocalActivities: serve.has('workspace'),
        // One run is sequential; a few slots let several runs share a worker.
        maxConcurrentActivityTaskExecutions: 4,
      }),
    );
  }
  if (serve.has('model')) {
    // Beside the workspace the run's mirror is at hand, and keeps the answers of runs cached
    // before the split; alone, the run's -db path may not exist here: a cache of its own.
    const cacheDbPath = serve.has('workspace') ? undefined : modelWorkerCache();
    workers.push(
      await Worker.create({
        ...common,
        taskQueue: modelTaskQueue(settings.taskQueue),
        activities: served(createModelActivities({ server, cacheDbPath })),
        maxConcurrentActivityTaskExecutions: settings.maxConcurrentModelCalls ?? 4,
      }),
    );
  }
  return new WorkerGroup(workers, serve.has('workspace') ? containmentWarning(await containmentLevel()) : null);
}

async function workflowCode(bundleAtStart = false): Promise<Pick<WorkerOptions, 'workflowsPath' | 'workflowBundle'>> {
  return bundleAtStart ? { workflowsPath: WORKFLOWS_PATH } : { workflowBundle: { codePath: await cachedWorkflowBundle() } };
}

type Activities = Record<string, (input: never) => Promise<unknown>>;

/** Every activity as this worker serves it: an input scheduled by a 0.1.0 run read with today's names, a full disk said in one line. */
function served<A extends Activities>(activities: A): A {
  const current: Activities = {};
  for (const [name, fn] of Object.entries(activities)) current[name] = (input: never) => fn(withServerUrl(input));
  return withDiskFullFailures(current as A);
}

/**
 * Ctrl-C or SIGTERM shuts the workers down gracefully (in-flight activities get the grace
 * time, then are cancelled); a second signal exits at once. Returns a function that
 * removes the handlers.
 */
export function shutdownOnSignals(worker: Pick<WorkerGroup, 'shutdown'>, onFirstSignal: () => void = () => {}): () => void {
  let signalled = false;
  const handler = () => {
    if (signalled) process.exit(130);
    signalled = true;
    onFirstSignal();
    worker.shutdown();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
