// The CLI's commands. Each returns the process exit code: 0 done and valid, 1 the run
// failed, 2 bad usage (docs/DESIGN.md).
import { fidelityLines } from '../core/fidelity.js';
import { WorkflowFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { CancelledFailure, WorkflowNotFoundError } from '@temporalio/common';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { rootMessage } from '../workflows/run-state.js';
import type { generateApi } from '../workflows/pipeline.js';
import type { RunInput } from '../core/types.js';
import type { RunResult } from '../core/run-types.js';
import { currentHeartbeat, runView, type RunView } from './live-display.js';
import { assertSameRun, inputDigest, runInputFrom, workflowIdFor, type RunMemo } from './run-input.js';
import { clientFor, resultOf, uiLink, withWorker, type Io } from './session.js';
import { liveState, recordedState } from './mirror-state.js';
import type { Flags } from './flags.js';
import { ensureSearchAttributes, startAttributes } from './search-attributes.js';
import { SCHEDULE_PREFIX, removeSchedule, scheduleWork } from './schedules.js';

export async function startCommand(flags: Flags, io: Io): Promise<number> {
  const fromFlags = runInputFrom(flags); // bad flags fail before any server is started
  const client = await clientFor(flags, io);
  const attributes = await ensureSearchAttributes(client.connection, flags.namespace);
  if (!attributes.ok) io.err(`runs will not be filterable by phase, model or outcome (${attributes.reason})`);
  let input: RunInput = { ...fromFlags, searchAttributes: attributes.ok };
  const workflowId = workflowIdFor(input.outputDir);
  const memo: RunMemo = { prompt: input.prompt, model: input.llm.model, outputDir: input.outputDir, input: inputDigest(fromFlags) };
  if (flags.at || flags.every) {
    const args = [{ ...input, ...(flags.every ? { outputPerStart: true } : {}) }];
    return scheduleWork(client, flags, io, { workflowType: 'generateApi', args, workflowId, memo, attributes: startAttributes(attributes.ok) });
  }
  const previous = await client.workflow
    .getHandle(workflowId)
    .describe()
    .catch(() => null);
  if (previous?.status.name === 'RUNNING') {
    // Another run writes this folder: following it is right only when this command asks for the same run.
    const theirs = (previous.memo ?? {}) as Partial<RunMemo>;
    assertSameRun(input.outputDir, workflowId, theirs, memo);
    io.err(`a run for ${input.outputDir} is already in progress (${workflowId}): attaching to it`);
  } else if (previous?.status.name === 'COMPLETED' && !flags.restart && existsSync(path.join(input.outputDir, 'status.json'))) {
    // A finished run whose folder was emptied since is started afresh. The exit code is the
    // finished run's outcome, so `overnight-llm … && deploy` does not go on with an invalid API.
    const result = (await client.workflow.getHandle(workflowId).result()) as RunResult;
    const outcome = result.stoppedAfterPlan
      ? 'its plan only'
      : result.unvalidated
        ? 'code not validated (-skip-validation)'
        : result.valid
          ? 'a valid API'
          : 'an API that did not pass validation';
    io.out(
      `${input.outputDir} already holds a finished run (${workflowId}) with ${outcome}: see ${input.outputDir}/status.json, or pass -restart to start over`,
    );
    return result.valid || result.stoppedAfterPlan?.why === 'plan-only' ? 0 : 1;
  } else if (previous) {
    input = await newSample(client, workflowId, input, io);
  }
  const handle = await client.workflow.start<typeof generateApi>('generateApi', {
    taskQueue: flags['task-queue'],
    workflowId,
    args: [input],
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    memo: { ...memo },
    staticSummary: `${input.prompt} → ${input.outputDir}`,
    staticDetails: `prompt: ${input.prompt}\nmodel: ${input.llm.model}\noutput: ${input.outputDir}\nmirror: ${input.dbPath}`,
    ...startAttributes(attributes.ok),
  });
  io.err(`run ${workflowId}: ${uiLink(flags, workflowId)}`);
  if (flags.detach) {
    io.out(workflowId);
    return 0;
  }
  return followWithWorker(flags, handle, io);
}

/**
 * A run started where others ended is a new sample: with the same seed the model would give the
 * same answers again (and the response cache would hand them back). Run n of a folder uses
 * -seed + n - 1. A resumed run (the same execution) keeps its seed: it redoes nothing.
 */
async function newSample(client: Client, workflowId: string, input: RunInput, io: Io): Promise<RunInput> {
  const runs = await client.workflow
    .count(`WorkflowId = "${workflowId}"`)
    .then((c) => c.count)
    .catch(() => 1); // no count from this server: still another sample than the last run's
  const seed = (input.llm.options.seed ?? 0) + runs;
  io.err(`run ${runs + 1} for ${input.outputDir}: model seed ${seed}, so the model answers anew`);
  return { ...input, llm: { ...input.llm, options: { ...input.llm.options, seed } } };
}

export async function attachCommand(flags: Flags, id: string, io: Io): Promise<number> {
  const client = await clientFor(flags, io);
  const handle = client.workflow.getHandle(id);
  const description = await handle.describe(); // an unknown id throws WorkflowNotFoundError: cli.ts says so, exit 2
  io.err(`run ${id}: ${uiLink(flags, id)}`);
  if (description.type === 'runBatch') {
    const { followBatch } = await import('./batch-command.js');
    return followBatch(client, handle, ((description.memo ?? {}) as Partial<RunMemo>).outputDir ?? '.', flags, io);
  }
  return followWithWorker(flags, handle, io);
}

/** Follows a run without a worker of its own: a worker elsewhere (make worker) does the work. */
export async function watchCommand(flags: Flags, id: string, io: Io): Promise<number> {
  const client = await clientFor(flags, io);
  const handle = client.workflow.getHandle(id);
  await handle.describe(); // an unknown id throws WorkflowNotFoundError: cli.ts says so, exit 2
  io.err(`watching ${id}: ${uiLink(flags, id)}`);
  const view = runView(io.out, uiLink(flags, id));
  const stopShowing = showWhileRunning(handle, view, 5000);
  let result: RunResult | null = null;
  try {
    result = (await resultOf(handle, flags, io)) as RunResult;
  } catch (err) {
    io.err(endedLine(err));
  }
  await stopShowing();
  await showRecorded(handle, view, flags);
  view.close();
  return result ? reportResult(result, io) : 1;
}

/** Shows the run's phases and its current activity's progress once a second; the returned function stops it. */
function showWhileRunning(handle: WorkflowHandle, view: RunView, deadlineMs: number): () => Promise<void> {
  let polling = true;
  let wake = () => {};
  const poll = (async () => {
    while (polling) {
      const state = await liveState(handle, deadlineMs);
      const heartbeat = state?.currentPhase ? await currentHeartbeat(handle) : null;
      if (state && polling) view.update(state, heartbeat); // none after the view closed
      await new Promise<void>((r) => {
        wake = r;
        setTimeout(r, 1000);
      });
    }
  })();
  return () => {
    polling = false;
    wake();
    return poll;
  };
}

/** The last phases, once the run ended: no worker answers queries then, the mirror does. */
async function showRecorded(handle: WorkflowHandle, view: RunView, flags: Flags): Promise<void> {
  const final = await recordedState(handle, path.resolve(flags.db));
  if (final) view.update(final, null);
}

/** Runs a worker in this process until the run ends, printing each phase as it ends. */
async function followWithWorker(flags: Flags, handle: WorkflowHandle, io: Io): Promise<number> {
  const view = runView(io.out, uiLink(flags, handle.workflowId));
  // Bounded: once this worker stops (Ctrl-C) a query waits for a worker that may never come.
  const stopShowing = showWhileRunning(handle, view, 3000);
  try {
    const again = `overnight-llm attach ${handle.workflowId}`;
    const result = (await withWorker(flags, io, again, () => resultOf(handle, flags, io))) as RunResult | null;
    if (result === null) {
      void stopShowing(); // not waited for: a status query in flight has no worker left to answer it
      view.close();
      return 130;
    }
    await stopShowing();
    await showRecorded(handle, view, flags);
    view.close();
    return reportResult(result, io);
  } catch (err) {
    await stopShowing();
    if (err instanceof WorkflowFailedError) {
      await showRecorded(handle, view, flags);
      view.close();
      io.err(endedLine(err));
      return 1;
    }
    view.close();
    throw err;
  }
}

function reportResult(result: RunResult, io: Io): number {
  const where = result.statusFile ? ` (details: ${result.statusFile.path} in the output folder)` : '';
  // What was asked and where it is, before the verdict: the first thing to read in the morning.
  if (result.fidelity && result.fidelity.buildable) {
    io.out('what you asked for, and where it is:');
    for (const line of fidelityLines(result.fidelity)) io.out(`  ${line}`);
  }
  if (result.stoppedAfterPlan) {
    io.out(`done after the plan: ${result.stoppedAfterPlan.message}${where}`);
    return result.stoppedAfterPlan.why === 'plan-only' ? 0 : 1;
  }
  if (result.valid && result.unvalidated) {
    io.out(`done: the code is written, not validated (-skip-validation: nothing built or tested it)${where}`);
    return 0;
  }
  if (result.valid) {
    const coverage = result.coveragePercent === null ? '' : `, coverage ${result.coveragePercent.toFixed(1)}%`;
    io.out(`done: the API is ready${coverage}${where}`);
    return 0;
  }
  io.out(`done, but the API did not pass validation${result.coveragePercent === null ? '' : ` (coverage ${result.coveragePercent.toFixed(1)}%)`}${where}`);
  return 1;
}

export async function cancelCommand(flags: Flags, id: string, io: Io): Promise<number> {
  const client = await clientFor(flags, io);
  if (id.startsWith(SCHEDULE_PREFIX)) return removeSchedule(client, id, io);
  try {
    await client.workflow.getHandle(id).cancel();
    io.out(`cancel requested for ${id}`);
    return 0;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw err;
    io.err(`cannot cancel ${id}: ${rootMessage(err)}`);
    return 1;
  }
}

/** The one line for a run that did not complete: cancelled runs say so, and keep their files. */
function endedLine(err: unknown): string {
  if (err instanceof WorkflowFailedError && err.cause instanceof CancelledFailure) {
    return 'run cancelled: the files written so far are kept; run the same command with -restart to start over';
  }
  return `run failed: ${rootMessage(err)}`;
}
