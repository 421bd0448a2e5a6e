// Upserts of what the workflow knows into the mirror, keyed so a retried activity writes
// the same row again instead of a second one.
import type { PhaseState, RunState, ValidationReport } from '../../core/run-types.js';
import { openMirror } from '../../lib/db.js';

export type RunRecord = Omit<RunState, 'phases' | 'validation' | 'currentPhase'>;

export interface RecordPhaseInput {
  dbPath: string;
  workflowId: string;
  seq: number;
  phase: PhaseState;
}

export interface RecordValidationInput {
  dbPath: string;
  workflowId: string;
  round: number;
  report: ValidationReport;
}

/** The tables whose rows belong to one run of a workflow id. */
const RUN_TABLES = ['phases', 'files', 'validations', 'validation_steps'] as const;

export async function recordRun({ dbPath, run }: { dbPath: string; run: RunRecord }): Promise<void> {
  const db = openMirror(dbPath);
  db.transaction(() => {
    // A new run under the same id (-restart, or the same command after a failed run) starts
    // another record: the rows of the run before it (a repair round it had, a validation) would
    // otherwise show as this run's. The same run again (a retry, a replay) has the same start.
    const known = db.prepare('SELECT started_at AS startedAt FROM runs WHERE workflow_id = ?').get(run.workflowId) as { startedAt: string } | undefined;
    if (known && known.startedAt !== run.startedAt)
      for (const table of RUN_TABLES) db.prepare(`DELETE FROM ${table} WHERE workflow_id = ?`).run(run.workflowId);
    upsertRun(db, run);
  })();
}

function upsertRun(db: ReturnType<typeof openMirror>, run: RunRecord): void {
  db.prepare(
    `INSERT INTO runs (workflow_id, prompt, model, output_dir, status, started_at, ended_at, working_ms, repair_rounds, error, updated_at)
       VALUES (@workflowId, @prompt, @model, @outputDir, @status, @startedAt, @endedAt, @workingMs, @repairRounds, @error, @now)
       ON CONFLICT (workflow_id) DO UPDATE SET status = excluded.status, ended_at = excluded.ended_at,
         working_ms = excluded.working_ms, repair_rounds = excluded.repair_rounds, error = excluded.error, updated_at = excluded.updated_at,
         prompt = excluded.prompt, model = excluded.model, output_dir = excluded.output_dir, started_at = excluded.started_at`,
  ).run({ ...run, endedAt: run.endedAt ?? null, error: run.error ?? null, now: new Date().toISOString() });
}

export async function recordPhase({ dbPath, workflowId, seq, phase }: RecordPhaseInput): Promise<void> {
  const db = openMirror(dbPath);
  db.transaction(() => {
    db.prepare(
      `INSERT INTO phases (workflow_id, phase, round, seq, status, attempts, started_at, ended_at, duration_ms, tokens_in, tokens_out, error, notes)
       VALUES (@workflowId, @name, @round, @seq, @status, @attempts, @startedAt, @endedAt, @durationMs, @tokensIn, @tokensOut, @error, @notes)
       ON CONFLICT (workflow_id, phase, round) DO UPDATE SET seq = excluded.seq, status = excluded.status, attempts = excluded.attempts,
         started_at = excluded.started_at, ended_at = excluded.ended_at, duration_ms = excluded.duration_ms,
         tokens_in = excluded.tokens_in, tokens_out = excluded.tokens_out, error = excluded.error, notes = excluded.notes`,
    ).run({
      ...phase,
      workflowId,
      seq,
      startedAt: phase.startedAt ?? null,
      endedAt: phase.endedAt ?? null,
      error: phase.error ?? null,
      notes: phase.notes?.length ? JSON.stringify(phase.notes) : null,
    });
    const upsertFile = db.prepare(
      `INSERT INTO files (workflow_id, path, phase, round, bytes, sha256, provenance) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (workflow_id, path) DO UPDATE SET phase = excluded.phase, round = excluded.round, bytes = excluded.bytes,
         sha256 = excluded.sha256, provenance = excluded.provenance`,
    );
    for (const f of phase.files) {
      upsertFile.run(workflowId, f.path, phase.name, phase.round, f.bytes, f.sha256, f.provenance ? JSON.stringify(f.provenance) : null);
    }
  })();
}

export async function recordValidation({ dbPath, workflowId, round, report }: RecordValidationInput): Promise<void> {
  const db = openMirror(dbPath);
  db.transaction(() => {
    db.prepare(
      `INSERT INTO validations (workflow_id, round, ok, coverage_percent, coverage_goal, duration_ms, containment) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (workflow_id, round) DO UPDATE SET ok = excluded.ok, coverage_percent = excluded.coverage_percent,
         coverage_goal = excluded.coverage_goal, duration_ms = excluded.duration_ms, containment = excluded.containment`,
    ).run(workflowId, round, report.ok ? 1 : 0, report.coveragePercent, report.coverageGoal, report.durationMs, report.containment ?? null);
    const upsertStep = db.prepare(
      `INSERT INTO validation_steps (workflow_id, round, step, ok, skipped, duration_ms, output_tail) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (workflow_id, round, step) DO UPDATE SET ok = excluded.ok, skipped = excluded.skipped,
         duration_ms = excluded.duration_ms, output_tail = excluded.output_tail`,
    );
    for (const s of report.steps) upsertStep.run(workflowId, round, s.name, s.ok ? 1 : 0, s.skipped ? 1 : 0, s.durationMs, s.outputTail);
  })();
}
