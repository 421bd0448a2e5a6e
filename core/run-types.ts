// What a run reports while and after it runs: validation reports, the phases and the run's state
// (the `status` query, the mirror, status.json), its result, activity progress, batches.
// Like core/types.ts, everything here crosses Temporal's history.
import type { Fidelity } from './fidelity.js';
import type { Plan } from './plan.js';
import type { FilePhase, FileRef, PhaseName, ReviewTimeoutAction, RunInput } from './types.js';

export type ValidationStepName = 'gofmt' | 'vet' | 'build' | 'test' | 'smoke';

export interface ValidationStep {
  name: ValidationStepName;
  ok: boolean;
  skipped?: boolean;
  durationMs: number;
  /** Last lines of the tool's output, for people and for the repair prompt. */
  outputTail: string;
}

export interface ValidationReport {
  ok: boolean;
  steps: ValidationStep[];
  coveragePercent: number | null;
  coverageGoal: number;
  /** Generated files the failures point at, relative to the output dir, by file phase. */
  failures: { phase: FilePhase; errors: string }[];
  durationMs: number;
  /** How the commands that ran generated code were contained (namespaces, limits), or why not. */
  containment?: string;
}

export type PhaseStatus = 'pending' | 'running' | 'done' | 'failed' | 'skipped';

/** One phase as the `status` query and the mirror see it. */
export interface PhaseState {
  name: PhaseName;
  status: PhaseStatus;
  attempts: number;
  startedAt?: string;
  endedAt?: string;
  durationMs: number;
  tokensIn: number;
  tokensOut: number;
  files: FileRef[];
  error?: string;
  /** What code mended or decided in this phase (the plan's near-misses); absent when nothing. */
  notes?: string[];
  /** Repair round this record belongs to (0 outside the repair loop). */
  round: number;
}

export type RunStatus = 'running' | 'completed' | 'failed' | 'cancelled';

export interface RunState {
  workflowId: string;
  prompt: string;
  model: string;
  outputDir: string;
  status: RunStatus;
  currentPhase: PhaseName | null;
  phases: PhaseState[];
  validation: ValidationReport | null;
  repairRounds: number;
  startedAt: string;
  endedAt?: string;
  /** Sum of the activities' own durations: working time, which a sleeping laptop does not use up. */
  workingMs: number;
  error?: string;
  /** Set while the run waits: for its model server to answer again, or for the plan's approval. */
  waiting?: { for: string; since: string };
  /** The plan, once made (and approved, with -review-plan). */
  plan?: Plan;
  /** What the sentence asked for and where it lives, or why it is not built. */
  fidelity?: Fidelity;
  /** Set while the plan waits for `approve` (-review-plan). */
  review?: { since: string; until: string; onTimeout: ReviewTimeoutAction };
}

export interface RunResult {
  status: RunStatus;
  valid: boolean;
  coveragePercent: number | null;
  statusFile: FileRef | null;
  error?: string;
  /** Why the run ended after its plan, when it did. */
  stoppedAfterPlan?: PlanStop;
  /** What the sentence asked for and where it lives, or why it is not built. */
  fidelity?: Fidelity;
  /** -skip-validation: nothing built or tested the code, so `valid` says only that the run completed. */
  unvalidated?: true;
}

/** A run that ends after its plan: asked to (-plan-only: exit 0), or its plan was not approved in time (exit 1). */
export interface PlanStop {
  why: 'plan-only' | 'not-approved' | 'cannot-build';
  message: string;
}

/**
 * What a running activity's heartbeats carry; the CLI's live view and the Web UI's pending
 * activity show it. An LLM call reports what it writes and its tokens so far, a validation its
 * toolchain step, a wait for the model server since when and how many probes.
 */
export interface ActivityProgress {
  label?: string;
  tokens?: number;
  bytes?: number;
  step?: string;
  waitingFor?: string;
  since?: string;
  probes?: number;
}
export type ChatProgress = Required<Pick<ActivityProgress, 'label' | 'tokens' | 'bytes'>>;
export type WaitProgress = Required<Pick<ActivityProgress, 'waitingFor' | 'since' | 'probes'>>;

/** One item of a batch: the run the CLI built from its line (prompt, folder, model), under its folder's id. */
export interface BatchItem {
  workflowId: string;
  input: RunInput;
  /** The item's inputDigest, kept in its run's memo as a single run's is: a run started into its folder meanwhile attaches only when it asks the same (absent in batches recorded before it). */
  inputDigest?: string;
}

export interface BatchInput {
  items: BatchItem[];
  /** Items that run at once (-parallel; a local model serves one request at a time). */
  parallel: number;
  /** The batch's folder: report.md goes there. */
  outputDir: string;
  dbPath: string;
  /** The Web UI's address of a run, without its id, for report.md's links. */
  webUiRunsUrl: string;
  /** -every: each start's batch goes into a folder of its own under outputDir, named after its start time. */
  outputPerStart?: boolean;
}

/** Where a batch item stands: waiting for its turn, running, or its outcome. */
export type BatchItemState = 'waiting' | 'running' | 'valid' | 'invalid' | 'unvalidated' | 'planned' | 'failed' | 'cancelled';

export interface BatchItemStatus {
  workflowId: string;
  prompt: string;
  outputDir: string;
  state: BatchItemState;
  coveragePercent: number | null;
  error?: string;
}

export interface BatchState {
  items: BatchItemStatus[];
  /** report.md, once written. */
  report: FileRef | null;
}

/** What a morning report lists for one run (status.json has the rest). */
export interface ReportItem {
  workflowId: string;
  prompt: string;
  outputDir: string;
  /** Its state, when the caller knows it better than the mirror (a batch item that never started). */
  state?: BatchItemState;
  error?: string;
}
