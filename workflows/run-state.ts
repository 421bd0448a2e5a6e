// Bookkeeping of a run's phases inside the workflow: pure functions over RunState,
// deterministic (workflow time only), so the `status` query always has the truth.
import type { FileRef, LlmUsage, PhaseName, RunInput } from '../core/types.js';
import type { PhaseState, RunState } from '../core/run-types.js';

export function newRunState(workflowId: string, input: RunInput, now: Date): RunState {
  return {
    workflowId,
    prompt: input.prompt,
    model: input.llm.model,
    outputDir: input.outputDir,
    status: 'running',
    currentPhase: null,
    phases: [],
    validation: null,
    repairRounds: 0,
    startedAt: now.toISOString(),
    workingMs: 0,
  };
}

export function startPhase(state: RunState, name: PhaseName, round: number, now: Date): PhaseState {
  const phase: PhaseState = {
    name,
    status: 'running',
    attempts: 0,
    startedAt: now.toISOString(),
    durationMs: 0,
    tokensIn: 0,
    tokensOut: 0,
    files: [],
    round,
  };
  state.phases.push(phase);
  state.currentPhase = name;
  return phase;
}

/** What an activity step of a phase reports back. */
export interface StepOutcome {
  usage?: LlmUsage;
  files?: FileRef[];
  /** Monotonic working time of the step, when the activity measured it. */
  workMs?: number;
  attempts?: number;
  notes?: string[];
}

/** What a phase's body calls to record one step. */
export type Step = (o: StepOutcome) => void;

export function addStep(state: RunState, phase: PhaseState, step: StepOutcome): void {
  phase.attempts += step.attempts ?? 1;
  if (step.usage) {
    phase.tokensIn += step.usage.tokensIn;
    phase.tokensOut += step.usage.tokensOut;
  }
  for (const f of step.files ?? []) {
    phase.files = phase.files.filter((old) => old.path !== f.path).concat(f);
  }
  if (step.notes?.length) phase.notes = [...(phase.notes ?? []), ...step.notes];
  state.workingMs += step.workMs ?? step.usage?.durationMs ?? 0;
}

export function endPhase(state: RunState, phase: PhaseState, now: Date, error?: string): void {
  phase.status = error ? 'failed' : 'done';
  phase.endedAt = now.toISOString();
  phase.durationMs = now.getTime() - Date.parse(phase.startedAt ?? phase.endedAt);
  if (error) phase.error = error;
  state.currentPhase = null;
}

export function skipPhase(state: RunState, name: PhaseName): PhaseState {
  const phase: PhaseState = { name, status: 'skipped', attempts: 0, durationMs: 0, tokensIn: 0, tokensOut: 0, files: [], round: 0 };
  state.phases.push(phase);
  return phase;
}

/** The innermost message of a failure chain: what the activity said, not "Activity task failed". */
export function rootMessage(err: unknown): string {
  let e = err as { message?: string; cause?: unknown } | undefined;
  while (e && typeof e === 'object' && e.cause) e = e.cause as typeof e;
  return e?.message ?? String(err);
}
