// A standalone worker: `npm run worker` (or `make worker`). Runs until Ctrl-C.
import { NativeConnection } from '@temporalio/worker';
import { DEFAULT_TASK_QUEUE, createWorker } from './create-worker.js';

const address = process.env.TEMPORAL_ADDRESS ?? 'localhost:7233';
const namespace = process.env.TEMPORAL_NAMESPACE ?? 'default';
const taskQueue = process.env.OVERNIGHT_TASK_QUEUE ?? DEFAULT_TASK_QUEUE;

const connection = await NativeConnection.connect({ address });
try {
  const worker = await createWorker({ connection, namespace, taskQueue });
  console.log(`worker: polling task queue "${taskQueue}" on ${address} (namespace ${namespace}); Ctrl-C stops it`);
  await worker.run(); // the SDK shuts down gracefully on SIGINT/SIGTERM
} finally {
  await connection.close();
}
