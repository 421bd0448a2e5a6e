// Where the CLI reads a run's state: a running run answers its `status` query; a finished one
// (or one whose workers are gone) is read from the SQLite mirror it was recorded in.
import type { WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { existsSync } from 'node:fs';
import { buildStatusReport } from '../lib/status-report.js';
import { statusQuery } from '../workflows/queries.js';
import type { RunInput } from '../core/types.js';
import type { PhaseState, RunState, RunStatus, ValidationReport } from '../core/run-types.js';

/** The run's own answer, or null when no worker answers within `deadlineMs` (bounded: a stopped worker never will). */
export function liveState(handle: WorkflowHandle, deadlineMs: number): Promise<RunState | null> {
  return handle.client.withDeadline(Date.now() + deadlineMs, () => handle.query(statusQuery)).catch(() => null);
}

/**
 * The run as its mirror recorded it: the one at `dbPath` (the -db flag), else the one the run
 * was started with (its input, in the server's history), so it is found from any folder.
 */
export async function recordedState(handle: WorkflowHandle, dbPath: string): Promise<RunState | null> {
  const fromFlag = stateFromMirror(dbPath, handle.workflowId);
  if (fromFlag) return fromFlag;
  const history = await handle.fetchHistory().catch(() => null);
  const payload = history?.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
  const input = payload ? defaultPayloadConverter.fromPayload<Partial<RunInput>>(payload) : null;
  return input?.dbPath && input.dbPath !== dbPath ? stateFromMirror(input.dbPath, handle.workflowId) : null;
}

export function stateFromMirror(dbPath: string, workflowId: string): RunState | null {
  if (!existsSync(dbPath)) return null;
  let report;
  try {
    report = buildStatusReport(dbPath, workflowId);
  } catch {
    return null;
  }
  const final = report.validation?.final;
  return {
    workflowId,
    prompt: report.run.prompt,
    model: report.run.model,
    outputDir: report.run.outputDir,
    status: report.run.status as RunStatus,
    currentPhase: null,
    phases: report.phases.map(
      (p) => ({ ...p, startedAt: p.startedAt ?? undefined, endedAt: p.endedAt ?? undefined, error: p.error ?? undefined }) as PhaseState,
    ),
    validation: final
      ? ({
          ok: final.ok,
          steps: final.steps,
          coveragePercent: final.coveragePercent,
          coverageGoal: final.coverageGoal,
          failures: [],
          durationMs: final.durationMs,
          containment: final.containment ?? undefined,
        } as ValidationReport)
      : null,
    repairRounds: report.run.repairRounds,
    startedAt: report.run.startedAt,
    endedAt: report.run.endedAt ?? undefined,
    workingMs: report.run.workingMs,
    error: report.run.error ?? undefined,
  };
}
