// status.json's content, built from the mirror: what a person needs to judge a run without the
// UI. Read by the CLI (status, report) and written by the workspace's report activity.
import type { Fidelity } from '../core/fidelity.js';
import type { FileProvenance } from '../core/types.js';
import { openMirror } from './db.js';

export const STATUS_SCHEMA_VERSION = 4;

interface Row {
  [column: string]: unknown;
}

/** A files row as status.json shows it: provenance parsed, null where none was recorded. */
function fileOf(row: Row) {
  return {
    path: row.path as string,
    bytes: row.bytes as number,
    sha256: row.sha256 as string,
    provenance: row.provenance ? (JSON.parse(row.provenance as string) as FileProvenance) : null,
  };
}

export function buildStatusReport(dbPath: string, workflowId: string, fidelity: Fidelity | null = null) {
  const db = openMirror(dbPath);
  const run = db.prepare('SELECT * FROM runs WHERE workflow_id = ?').get(workflowId) as Row | undefined;
  if (!run) throw new Error(`no run ${workflowId} in the mirror ${dbPath}`);
  const phases = (db.prepare('SELECT * FROM phases WHERE workflow_id = ? ORDER BY seq').all(workflowId) as Row[]).map((p) => ({
    name: p.phase as string,
    round: p.round as number,
    status: p.status as string,
    attempts: p.attempts as number,
    startedAt: p.started_at,
    endedAt: p.ended_at,
    durationMs: p.duration_ms as number,
    tokensIn: p.tokens_in as number,
    tokensOut: p.tokens_out as number,
    files: (db.prepare('SELECT * FROM files WHERE workflow_id = ? AND phase = ? AND round = ? ORDER BY path').all(workflowId, p.phase, p.round) as Row[]).map(
      fileOf,
    ),
    error: p.error ?? null,
    notes: p.notes ? (JSON.parse(p.notes as string) as string[]) : [],
  }));
  const rounds = (db.prepare('SELECT * FROM validations WHERE workflow_id = ? ORDER BY round').all(workflowId) as Row[]).map((v) => ({
    round: v.round as number,
    ok: v.ok === 1,
    coveragePercent: v.coverage_percent as number | null,
    coverageGoal: v.coverage_goal as number,
    durationMs: v.duration_ms as number,
    containment: (v.containment as string | null) ?? null,
    steps: (db.prepare('SELECT * FROM validation_steps WHERE workflow_id = ? AND round = ? ORDER BY rowid').all(workflowId, v.round) as Row[]).map((s) => ({
      name: s.step as string,
      ok: s.ok === 1,
      skipped: s.skipped === 1,
      durationMs: s.duration_ms as number,
      outputTail: s.output_tail as string,
    })),
  }));
  const files = (db.prepare('SELECT * FROM files WHERE workflow_id = ? ORDER BY path').all(workflowId) as Row[]).map(fileOf);
  const sum = (key: 'tokensIn' | 'tokensOut' | 'durationMs') => phases.reduce((n, p) => n + p[key], 0);
  return {
    schemaVersion: STATUS_SCHEMA_VERSION,
    run: {
      workflowId,
      prompt: run.prompt as string,
      model: run.model as string,
      outputDir: run.output_dir as string,
      status: run.status as string,
      startedAt: run.started_at as string,
      endedAt: (run.ended_at as string | null) ?? null,
      workingMs: run.working_ms as number,
      repairRounds: run.repair_rounds as number,
      error: (run.error as string | null) ?? null,
    },
    fidelity,
    phases,
    validation: rounds.length ? { final: rounds[rounds.length - 1], rounds } : null,
    files,
    totals: {
      phases: phases.length,
      tokensIn: sum('tokensIn'),
      tokensOut: sum('tokensOut'),
      phaseMs: sum('durationMs'),
      files: files.length,
      bytes: files.reduce((n, f) => n + f.bytes, 0),
    },
  };
}

export type StatusReport = ReturnType<typeof buildStatusReport>;
