// A run's state as the SQLite mirror recorded it: what `status` shows when the workflow
// has finished or no worker is there to answer its query.
import { existsSync } from 'node:fs';
import { buildStatusReport } from '../activities/store/status-report.js';
import type { PhaseState, RunState, RunStatus, ValidationReport } from '../workflows/types.js';

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
