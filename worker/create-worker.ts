// One worker serves the whole pipeline: the workflow bundle and every activity.
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { fileURLToPath } from 'node:url';
import * as activities from '../activities/index.js';

export const DEFAULT_TASK_QUEUE = 'overnight-llm';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

export interface WorkerSettings {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  /** A prebundled workflow bundle (make build) skips bundling at start. */
  workflowBundlePath?: string;
  /** How long in-flight activities may take to finish on shutdown before they are cancelled. */
  shutdownGraceTime?: WorkerOptions['shutdownGraceTime'];
}

export async function createWorker(settings: WorkerSettings): Promise<Worker> {
  return Worker.create({
    connection: settings.connection,
    namespace: settings.namespace,
    taskQueue: settings.taskQueue,
    ...(settings.workflowBundlePath ? { workflowBundle: { codePath: settings.workflowBundlePath } } : { workflowsPath: WORKFLOWS_PATH }),
    activities,
    shutdownGraceTime: settings.shutdownGraceTime ?? '10s',
    // One run is sequential; a few slots let several runs share a worker without starving Ollama.
    maxConcurrentActivityTaskExecutions: 4,
  });
}
