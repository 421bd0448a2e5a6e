// overnight-llm: the command line. Parses flags, dispatches to a command, and turns
// every expected failure into one line and the documented exit code.
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { WorkflowNotFoundError } from '@temporalio/common';
import { readFileSync } from 'node:fs';
import { createWorker, shutdownOnSignals } from '../worker/create-worker.js';
import { attachCommand, cancelCommand, startCommand, watchCommand, type Io } from './commands.js';
import { listCommand, statusCommand } from './inspect-commands.js';
import { UsageError, helpText, parseArgs } from './flags.js';
import { TemporalUnavailableError, connectOrStartTemporal } from './temporal-server.js';

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

const io: Io = {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
};

async function main(argv: string[]): Promise<number> {
  // The worker's own INFO lines would drown the phase lines a person watches for.
  Runtime.install({
    // Failures reach the user as phase lines and one closing message; OVERNIGHT_LOG_LEVEL=WARN shows the SDK's.
    logger: new DefaultLogger((process.env.OVERNIGHT_LOG_LEVEL?.toUpperCase() ?? 'ERROR') as 'ERROR'),
    shutdownSignals: [], // ours: see shutdownOnSignals
  });
  let parsed;
  try {
    parsed = parseArgs(argv);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`overnight-llm: ${err.message}`);
      return 2;
    }
    throw err;
  }
  const { command, positional, flags } = parsed;
  if (flags.help) {
    io.out(helpText(VERSION));
    return 0;
  }
  if (flags.version) {
    io.out(`overnight-llm ${VERSION} (node ${process.version})`);
    return 0;
  }
  try {
    switch (command) {
      case 'start':
        return await startCommand(flags, io);
      case 'attach':
      case 'resume':
        return await attachCommand(flags, positional[0], io);
      case 'watch':
        return await watchCommand(flags, positional[0], io);
      case 'status':
        return await statusCommand(flags, positional[0], io);
      case 'list':
        return await listCommand(flags, positional[0], io);
      case 'cancel':
        return await cancelCommand(flags, positional[0], io);
      case 'worker': {
        await connectOrStartTemporal(flags.temporal, io.err);
        const connection = await NativeConnection.connect({ address: flags.temporal });
        const worker = await createWorker({ connection, namespace: flags.namespace, taskQueue: flags['task-queue'] });
        io.err(`worker: polling task queue "${flags['task-queue']}" on ${flags.temporal}; Ctrl-C stops it`);
        shutdownOnSignals(worker);
        await worker.run();
        await connection.close();
        return 0;
      }
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`overnight-llm: ${err.message}`);
      return 2;
    }
    if (err instanceof WorkflowNotFoundError) {
      io.err(`overnight-llm: no run ${err.workflowId ?? positional[0]} on ${flags.temporal}: see overnight-llm list`);
      return 2;
    }
    if (err instanceof TemporalUnavailableError) {
      io.err(`overnight-llm: ${err.message}`);
      return 1;
    }
    throw err;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    io.err(`overnight-llm: unexpected error: ${(err as Error).stack ?? String(err)}`);
    process.exit(1);
  },
);
