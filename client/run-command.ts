// Runs one parsed command and turns every expected failure into one line and the documented
// exit code. Loaded only once the flags are known to be good (it brings Temporal's runtime).
import { NativeConnection } from '@temporalio/worker';
import { WorkflowNotFoundError } from '@temporalio/common';
import { createWorker, shutdownOnSignals } from '../worker/create-worker.js';
import { attachCommand, cancelCommand, startCommand, watchCommand } from './commands.js';
import type { Io } from './session.js';
import { listCommand, statusCommand } from './inspect-commands.js';
import { approveCommand, planCommand } from './plan-commands.js';
import { batchCommand } from './batch-command.js';
import { reportCommand } from './report-command.js';
import { UsageError, type Command, type FlagName, type Flags } from './flags.js';
import type { ParsedArgs } from './args.js';
import { llmServerOf, servedWork } from './flag-values.js';
import { modelTaskQueue } from '../core/task-queues.js';
import { TemporalUnavailableError, connectOrStartTemporal } from './temporal-server.js';
import { installRuntime } from './runtime-setup.js';
import { applyTemporalProfile, temporalConnectOptions } from './temporal-connection.js';

type Handler = (flags: Flags, arg: string, io: Io, given: Set<FlagName>) => Promise<number>;

/** What each command of COMMANDS (flags.ts) runs: the compiler holds the two tables to the same names. */
const HANDLERS: Record<Exclude<Command, 'help'>, Handler> = {
  start: (flags, _arg, io) => startCommand(flags, io),
  attach: (flags, id, io) => attachCommand(flags, id, io),
  watch: (flags, id, io) => watchCommand(flags, id, io),
  status: (flags, id, io) => statusCommand(flags, id, io),
  list: (flags, filter, io) => listCommand(flags, filter, io),
  cancel: (flags, id, io) => cancelCommand(flags, id, io),
  worker: (flags, _arg, io, given) => workerCommand(flags, given, io),
  plan: (flags, id, io) => planCommand(flags, id, io),
  approve: (flags, id, io) => approveCommand(flags, id, io),
  batch: (flags, file, io) => batchCommand(flags, file, io),
  report: (flags, _arg, io) => reportCommand(flags, io),
};

export async function runCommand({ command, positional, flags, given }: ParsedArgs, io: Io): Promise<number> {
  try {
    installRuntime(flags);
    applyTemporalProfile(flags, given);
    if (command === 'help') throw new Error('help is answered before the runtime loads');
    return await HANDLERS[command](flags, positional[0], io, given);
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

async function workerCommand(flags: Flags, given: Set<FlagName>, io: Io): Promise<number> {
  const options = temporalConnectOptions(flags);
  await connectOrStartTemporal(options, io.err);
  const connection = await NativeConnection.connect(options);
  const serve = servedWork(flags.serve);
  // The model endpoint belongs to the worker that serves model calls: one named here (a flag or
  // OLLAMA_HOST) takes the place of the run's; none named leaves each run's own.
  const ownServer = given.has('ollama') || given.has('llm-api') || given.has('llm-server') || Boolean(process.env.OLLAMA_HOST);
  const modelServer = ownServer ? { serverUrl: flags.ollama, ...llmServerOf(flags) } : undefined;
  const worker = await createWorker({ connection, namespace: flags.namespace, taskQueue: flags['task-queue'], serve, modelServer });
  const queues = [
    ...(serve.includes('workflows') || serve.includes('workspace') ? [`"${flags['task-queue']}" (${serve.filter((s) => s !== 'model').join(', ')})`] : []),
    ...(serve.includes('model') ? [`"${modelTaskQueue(flags['task-queue'])}" (model calls${modelServer ? ` to ${modelServer.serverUrl}` : ''})`] : []),
  ];
  const metrics = flags.metrics ? `; metrics at http://${flags.metrics}/metrics` : '';
  // Generated code runs where the workspace is served: say at once when it is less contained than in CI.
  if (worker.containmentWarning) io.err(`worker: ${worker.containmentWarning}`);
  io.err(`worker: polling task queue ${queues.join(' and ')} on ${flags.temporal}${metrics}; Ctrl-C stops it`);
  shutdownOnSignals(worker);
  await worker.run();
  await connection.close();
  return 0;
}
