// The commands that read runs: `status` (one run's phases) and `list` (recent runs, with
// a filter on the run's search attributes).
import { ServiceError, type Client } from '@temporalio/client';
import path from 'node:path';
import { rootMessage } from '../workflows/run-state.js';
import { COVERAGE_KEY, MODEL_KEY, OUTCOME_KEY, PHASE_KEY, RELEASE_KEY } from '../workflows/search-attributes.js';
import type { RunState } from '../core/run-types.js';
import { clientFor, type Io } from './session.js';
import { UsageError, type Flags } from './flags.js';
import { liveState, recordedState } from './mirror-state.js';
import { phaseLine, waitingLine } from './progress.js';
import { workflowIdFor, type RunMemo } from './run-input.js';
import { scheduleLines } from './schedules.js';

/**
 * A running run's own answer, else what its mirror recorded (whatever -db it ran with). A run
 * started with -detach that no worker has picked up has neither: it is waiting for a worker.
 */
async function runState(client: Client, workflowId: string, dbPath: string): Promise<RunState | null> {
  const handle = client.workflow.getHandle(workflowId);
  const description = await handle.describe(); // an unknown id throws WorkflowNotFoundError: cli.ts says so, exit 2
  const running = description.status.name === 'RUNNING';
  const state = (running ? await liveState(handle, 5000) : null) ?? (await recordedState(handle, dbPath));
  if (state || !running) return state;
  const memo = (description.memo ?? {}) as Partial<RunMemo>;
  return {
    workflowId,
    prompt: memo.prompt ?? '',
    model: memo.model ?? '',
    outputDir: memo.outputDir ?? '',
    status: 'running',
    currentPhase: null,
    phases: [],
    validation: null,
    repairRounds: 0,
    startedAt: description.startTime.toISOString(),
    workingMs: 0,
    waiting: { for: `a worker on task queue ${description.taskQueue} (start one: overnight-llm worker)`, since: description.startTime.toISOString() },
  };
}

export async function statusCommand(flags: Flags, id: string | undefined, io: Io): Promise<number> {
  const client = await clientFor(flags, io);
  const workflowId = id ?? workflowIdFor(flags.output);
  const state = await runState(client, workflowId, path.resolve(flags.db));
  if (!state) {
    io.err(`run ${workflowId} has no record in the mirror ${flags.db} nor in the one it was started with: pass the -db it ran with`);
    return 1;
  }
  if (flags.json) io.out(JSON.stringify(state, null, 2));
  else {
    io.out(`${state.workflowId}: ${state.status} — ${state.prompt} (${state.model}) → ${state.outputDir}`);
    for (const p of state.phases) io.out(`  ${phaseLine(p)}`);
    if (state.waiting) io.out(waitingLine(state.waiting));
  }
  return state.status === 'failed' ? 1 : 0;
}

export async function listCommand(flags: Flags, filter: string | undefined, io: Io): Promise<number> {
  const client = await clientFor(flags, io);
  const query = `WorkflowType = 'generateApi'${filter ? ` AND (${filter})` : ''}`;
  const rows: ListedRun[] = [];
  try {
    for await (const wf of client.workflow.list({ query, pageSize: 50 })) {
      const memo = (wf.memo ?? {}) as Partial<RunMemo>;
      const attributes = wf.typedSearchAttributes;
      rows.push({
        workflowId: wf.workflowId,
        status: wf.status.name,
        startTime: wf.startTime.toISOString(),
        model: memo.model ?? attributes.get(MODEL_KEY) ?? '',
        prompt: memo.prompt ?? '',
        outputDir: memo.outputDir ?? '',
        phase: attributes.get(PHASE_KEY) ?? null,
        outcome: attributes.get(OUTCOME_KEY) ?? null,
        coveragePercent: attributes.get(COVERAGE_KEY) ?? null,
        release: attributes.get(RELEASE_KEY) ?? null,
      });
      if (rows.length >= 50) break;
    }
  } catch (err) {
    if (filter && err instanceof ServiceError) throw new UsageError(`list: the server refused the filter ${JSON.stringify(filter)}: ${rootMessage(err)}`);
    throw err;
  }
  // Scheduled work (-at, -every) first: what has not started yet.
  const scheduled: ListedRun[] = filter
    ? []
    : (await scheduleLines(client)).map((s) => ({
        workflowId: s.id,
        status: 'SCHEDULED',
        startTime: s.next ?? '',
        model: s.memo.model ?? '',
        prompt: s.memo.prompt ?? '',
        outputDir: s.memo.outputDir ?? '',
        phase: null,
        outcome: null,
        coveragePercent: null,
        release: null,
      }));
  if (flags.json) io.out(JSON.stringify([...scheduled, ...rows], null, 2));
  else for (const r of [...scheduled, ...rows]) io.out(listLine(r));
  return 0;
}

interface ListedRun extends RunMemo {
  workflowId: string;
  status: string;
  startTime: string;
  phase: string | null;
  outcome: string | null;
  coveragePercent: number | null;
  /** The release that started the run (docs/versioning.md); null for runs started before releases were recorded. */
  release: string | null;
}

function listLine(r: ListedRun): string {
  if (r.status === 'SCHEDULED')
    return `${(r.startTime || 'no more starts').padEnd(24)}  SCHEDULED  ${'next start'.padEnd(18)} ${r.workflowId}  ${r.model}  "${r.prompt}" → ${r.outputDir}`;
  const where = r.status === 'RUNNING' ? `at ${r.phase ?? '?'}` : (r.outcome ?? r.status.toLowerCase());
  const coverage = r.coveragePercent === null ? '' : ` ${r.coveragePercent.toFixed(1)}%`;
  return `${r.startTime}  ${r.status.padEnd(10)} ${(where + coverage).padEnd(18)} ${r.workflowId}  ${r.model}  "${r.prompt}" → ${r.outputDir}`;
}
