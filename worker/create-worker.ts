// One worker serves the whole pipeline: the workflow bundle and every activity.
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import * as activities from '../activities/index.js';
import { WORKFLOWS_PATH, cachedWorkflowBundle } from './workflow-bundle.js';

export { WORKFLOWS_PATH };

export interface WorkerSettings {
  connection: NativeConnection;
  namespace: string;
  /** The CLI's -task-queue (its default lives with the flag, client/flags.ts). */
  taskQueue: string;
  /** Bundle the workflow code at start instead of reusing the cached bundle (tests of the bundler). */
  bundleAtStart?: boolean;
  /** How long in-flight activities may take to finish on shutdown before they are cancelled. */
  shutdownGraceTime?: WorkerOptions['shutdownGraceTime'];
}

export async function createWorker(settings: WorkerSettings): Promise<Worker> {
  return Worker.create({
    connection: settings.connection,
    namespace: settings.namespace,
    taskQueue: settings.taskQueue,
    ...(settings.bundleAtStart ? { workflowsPath: WORKFLOWS_PATH } : { workflowBundle: { codePath: await cachedWorkflowBundle() } }),
    activities,
    shutdownGraceTime: settings.shutdownGraceTime ?? '10s',
    // One run is sequential; a few slots let several runs share a worker without starving Ollama.
    maxConcurrentActivityTaskExecutions: 4,
    // Heartbeats carry live progress (tokens so far) for the terminal and the Web UI: send them often.
    maxHeartbeatThrottleInterval: '2s',
  });
}

/**
 * Ctrl-C or SIGTERM shuts the worker down gracefully (in-flight activities get the grace
 * time, then are cancelled); a second signal exits at once. Returns a function that
 * removes the handlers.
 */
export function shutdownOnSignals(worker: Worker, onFirstSignal: () => void = () => {}): () => void {
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
