// What every CLI command shares: the two output streams, the Temporal client, the Web UI link, a
// worker run in this process, and the wait for a result that survives the server going away.
// Commands import it; it imports no command.
import { Client, ServiceError, type WorkflowHandle } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { createWorker, shutdownOnSignals } from '../worker/create-worker.js';
import { rootMessage } from '../workflows/run-state.js';
import type { Flags } from './flags.js';
import { webUiRunsUrl } from './run-input.js';
import { connectOrStartTemporal } from './temporal-server.js';
import { temporalConnectOptions } from './temporal-connection.js';

export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
}

export async function clientFor(flags: Flags, io: Io): Promise<Client> {
  const connection = await connectOrStartTemporal(temporalConnectOptions(flags), io.err);
  return new Client({ connection, namespace: flags.namespace });
}

export function uiLink(flags: Flags, workflowId: string): string {
  return `${webUiRunsUrl(flags)}${encodeURIComponent(workflowId)}`;
}

/**
 * Runs a worker in this process until `done` settles. Null when Ctrl-C stopped the worker first:
 * the work waits on the server and goes on when a worker is back (`again` says how).
 */
export async function withWorker<T>(flags: Flags, io: Io, again: string, done: () => Promise<T>): Promise<T | null> {
  const connection = await NativeConnection.connect(temporalConnectOptions(flags));
  try {
    const worker = await createWorker({ connection, namespace: flags.namespace, taskQueue: flags['task-queue'] });
    // This worker serves the workspace too: generated code runs here, so say when it is less contained than in CI.
    if (worker.containmentWarning) io.err(`overnight-llm: ${worker.containmentWarning}`);
    if (flags.metrics) io.err(`overnight-llm: this process's worker serves metrics at http://${flags.metrics}/metrics`);
    let stopped = false;
    shutdownOnSignals(worker, () => {
      stopped = true;
      io.err(`stopping this worker; the work waits on the server and goes on when a worker is back: ${again}`);
    });
    return await worker.runUntil(done()).catch((err) => {
      if (stopped) return null;
      throw err;
    });
  } finally {
    await connection.close();
  }
}

/** How long the CLI waits for a Temporal server that went away (a sleep, a restart) before it gives up. */
const SERVER_GONE_LIMIT_MS = 15 * 60_000;

/**
 * The run's result. The wait for it is one long poll after another; after the machine slept or
 * the server restarted, a poll fails although the run is fine on the server, so a failed poll
 * is retried until the server answers again (the worker reconnects by itself meanwhile).
 */
export async function resultOf(handle: WorkflowHandle, flags: Flags, io: Io): Promise<unknown> {
  let since: number | null = null; // when the server went away; null while it answers
  for (;;) {
    const asked = Date.now();
    try {
      return await handle.result();
    } catch (err) {
      if (!(err instanceof ServiceError)) throw err;
      if (Date.now() - asked > 30_000) since = null; // it answered for a while: a new outage
      if (since === null)
        io.err(`lost touch with the Temporal server at ${flags.temporal} (${rootMessage(err)}): waiting for it; the run itself waits on the server`);
      since ??= Date.now();
      if (Date.now() - since > SERVER_GONE_LIMIT_MS) throw err;
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
}
