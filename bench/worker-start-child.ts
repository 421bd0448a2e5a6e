// One worker start, in a process of its own as the CLI starts one: connect, Worker.create
// (bundling the workflow code, or loading the cached bundle), run, and wait for the first
// workflow task of a run already waiting on the task queue. Prints its figures as JSON, the
// last line of its output.
// Usage: worker-start-child.ts ADDRESS NAMESPACE TASK_QUEUE WORKFLOW_ID bundle-at-start|cached
import { Client, Connection } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time.js';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { createWorker } from '../worker/create-worker.js';

export interface WorkerStartFigures {
  /** Process start to the end of the imports (tsx compiling our sources, loading the SDK). */
  importsMs: number;
  connectMs: number;
  /** Worker.create, which bundles the workflow code or loads the bundle. */
  createMs: number;
  /** Worker.create's start to the server handing the first workflow task to this worker. */
  toFirstTaskMs: number;
  /** The same to the first workflow task's completion (the workflow ran its first step). */
  toFirstTaskDoneMs: number;
  /** Process start to the first workflow task's completion. */
  processToFirstTaskDoneMs: number;
}

async function firstWorkflowTaskTimes(client: Client, workflowId: string): Promise<{ started: number; completed: number }> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    // A workflow task's started event reaches the history only once the task completes.
    const events = (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
    const started = events.find((e) => e.workflowTaskStartedEventAttributes);
    const completed = events.find((e) => e.workflowTaskCompletedEventAttributes);
    if (started && completed) return { started: tsToMs(started.eventTime), completed: tsToMs(completed.eventTime) };
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no workflow task of ${workflowId} completed within 2 minutes`);
}

async function main(): Promise<void> {
  const [address, namespace, taskQueue, workflowId, mode] = process.argv.slice(2);
  if (!address || !namespace || !taskQueue || !workflowId || (mode !== 'bundle-at-start' && mode !== 'cached')) {
    throw new Error('usage: worker-start-child.ts ADDRESS NAMESPACE TASK_QUEUE WORKFLOW_ID bundle-at-start|cached');
  }
  const importsMs = performance.now();
  const processStart = performance.timeOrigin;
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const connection = await NativeConnection.connect({ address });
  const connectMs = performance.now() - importsMs;

  const createStart = Date.now();
  const worker = await createWorker({ connection, namespace, taskQueue, bundleAtStart: mode === 'bundle-at-start' });
  const createMs = Date.now() - createStart;
  const running = worker.run();

  const client = new Client({ connection: await Connection.connect({ address }), namespace });
  const { started, completed } = await firstWorkflowTaskTimes(client, workflowId);
  await client.workflow.getHandle(workflowId).terminate('worker-start benchmark: first task measured');
  worker.shutdown();
  await running;
  await connection.close();

  const figures: WorkerStartFigures = {
    importsMs: Math.round(importsMs),
    connectMs: Math.round(connectMs),
    createMs,
    toFirstTaskMs: started - createStart,
    toFirstTaskDoneMs: completed - createStart,
    processToFirstTaskDoneMs: Math.round(completed - processStart),
  };
  console.log(JSON.stringify(figures));
}

await main().catch((err: unknown) => {
  console.error((err as Error).stack ?? err);
  process.exit(1);
});
