// The mechanics under the phase list (workflows/pipeline.ts): the activities with their
// options, the run's state for the `status` query, a phase's bookkeeping (mirror, search
// attributes, the Web UI's current details, the working-time budget), waiting for a model
// server that went away, and the run's end. Deterministic, like all workflow code.
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  isCancellation,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
  type ActivityOptions,
} from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { LegacyCalls, ModelActivities, WorkspaceActivities } from '../activities/index.js';
import { PlanApprovals } from './plan-review.js';
import { modelTaskQueue } from '../core/task-queues.js';
import { statusQuery } from './queries.js';
import { addStep, endPhase, newRunState, rootMessage, skipPhase, startPhase, type Step } from './run-state.js';
import { COVERAGE_KEY, MODEL_KEY, OUTCOME_KEY, PHASE_KEY, type Outcome } from './search-attributes.js';
import {
  DEFAULT_OLLAMA_WAIT_MS,
  MODEL_SERVER_GONE_TYPES,
  PHASES,
  serverName,
  type ApiSpec,
  type FileRef,
  type PhaseName,
  type RunInput,
} from '../core/types.js';
import { type PhaseState, type PlanStop, type RunResult, type RunState, type ValidationReport } from '../core/run-types.js';
import { HEARTBEAT_TIMEOUT_MS } from '../core/defaults.js';

const CANCELLED = 'the run was cancelled (overnight-llm cancel, or Cancel in the Web UI); the files written so far are kept';

// Whether a failure is worth retrying is decided where it is thrown: an activity throws
// ApplicationFailure.nonRetryable for what no retry mends, with a message that says what to do.
const retry = { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '1m' } as const;
/** Files and the mirror: quick work on the workflow's own machine. */
const QUICK = { startToCloseTimeout: '1m', retry: { ...retry, maximumAttempts: 10 } } as const;

/**
 * Runs recorded before this patch wrote the mirror and the scaffold through ordinary activities
 * (a server round trip and three history events each); they replay that way. Newer runs use
 * local activities: one marker event each, run inside the workflow task.
 */
const LOCAL_MIRROR_PATCH = 'mirror-writes-as-local-activities';

/**
 * Runs recorded before this patch ran each file phase as ONE activity that called the model and
 * wrote the file, and all activities on the run's task queue; they replay that way (and any
 * worker of the run's queue still serves those activities). Newer runs send model calls to the
 * model queue (task-queues.ts) and the folder's work to the run's own.
 */
const MODEL_QUEUE_PATCH = 'model-queue';

/** Runs recorded by 0.1.0 waited for the model server with the activity named waitForOllama; they replay that way. */
const MODEL_SERVER_NAMES_PATCH = 'model-server-names';

// One phase's way to record what a step did (run-state.ts, where the bookkeeping lives).
export type { Step } from './run-state.js';

export class PipelineRun {
  readonly state: RunState;
  readonly workflowId = workflowInfo().workflowId;
  spec: ApiSpec | null = null;
  private seq = 0;
  private outputDirChecked = false;
  private phaseDetails = '';
  /** Why the run ended after its plan (-plan-only, an unapproved plan), when it did. */
  private stopReason: PlanStop | undefined;
  /** False while replaying a run recorded before LOCAL_MIRROR_PATCH: it keeps that run's commands. */
  private readonly localMirror: boolean;
  /** False while replaying a run recorded before MODEL_QUEUE_PATCH: one queue, one activity per file. */
  readonly modelQueue: boolean;

  /** LLM calls: a cut-off call is the only work redone (finished answers are cached). */
  readonly llmOptions: ActivityOptions;
  /** Model calls, on the model queue (the run's own before MODEL_QUEUE_PATCH). */
  readonly llm: ReturnType<typeof proxyActivities<ModelActivities>>;
  /** Runs recorded before MODEL_QUEUE_PATCH: a file phase was one workspace activity that called the model. */
  readonly legacyFilePhase: ReturnType<typeof proxyActivities<LegacyCalls>>;
  /** Preflight's question to the model server: quick, on the model queue. */
  readonly modelChecks: ReturnType<typeof proxyActivities<ModelActivities>>;
  /** The Go toolchain on generated code and the file phases' work in the folder (they heartbeat); the toolchain's own per-step limits sit inside this one. */
  readonly toolchainOptions: ActivityOptions;
  readonly toolchain: ReturnType<typeof proxyActivities<WorkspaceActivities>>;
  readonly quickOptions = QUICK;
  /** Preflight's folder and Go checks (and, before MODEL_QUEUE_PATCH, Ollama's): an ordinary activity. */
  readonly checks = proxyActivities<WorkspaceActivities & Pick<LegacyCalls, 'preflight'>>(QUICK);
  /** The mirror, the scaffold and status.json. */
  readonly quick: ReturnType<typeof proxyActivities<WorkspaceActivities>>;
  /** -review-plan's `approve`, accepted while the plan waits for it. */
  readonly planApprovals: PlanApprovals;
  private readonly waitOptions: ActivityOptions;
  private readonly ollamaWaitMs: number;

  constructor(readonly input: RunInput) {
    // Long activities heartbeat, so a worker that vanished or slept is noticed within
    // -heartbeat-timeout and the activity retried on the next worker.
    const heartbeatTimeout = input.heartbeatTimeoutMs ?? HEARTBEAT_TIMEOUT_MS;
    this.llmOptions = { startToCloseTimeout: '45m', heartbeatTimeout, retry: { ...retry, maximumAttempts: 6 } };
    this.toolchainOptions = { startToCloseTimeout: '20m', heartbeatTimeout, retry: { ...retry, maximumAttempts: 5 } };
    this.ollamaWaitMs = input.ollamaWaitMs ?? DEFAULT_OLLAMA_WAIT_MS;
    // Waiting for Ollama: as long as -ollama-wait, heartbeating, resumed by another worker if this one goes.
    this.waitOptions = { startToCloseTimeout: this.ollamaWaitMs + 120_000, heartbeatTimeout, retry: { ...retry, maximumAttempts: 5 } };
    this.localMirror = patched(LOCAL_MIRROR_PATCH);
    this.modelQueue = patched(MODEL_QUEUE_PATCH);
    const modelQueue = this.modelQueue ? { taskQueue: modelTaskQueue(workflowInfo().taskQueue) } : {};
    this.llm = proxyActivities<ModelActivities>({ ...this.llmOptions, ...modelQueue });
    this.legacyFilePhase = proxyActivities<LegacyCalls>(this.llmOptions);
    this.modelChecks = proxyActivities<ModelActivities>({ ...QUICK, ...modelQueue });
    this.toolchain = proxyActivities<WorkspaceActivities>(this.toolchainOptions);
    this.quick = this.localMirror ? proxyLocalActivities<WorkspaceActivities>(QUICK) : proxyActivities<WorkspaceActivities>(QUICK);
    this.state = newRunState(this.workflowId, input, new Date());
    setHandler(statusQuery, () => this.state);
    this.planApprovals = new PlanApprovals(this);
    this.searchable([{ key: MODEL_KEY, value: input.llm.model }]);
  }

  /** Keeps the run's search attributes current, when the server has them registered. */
  searchable(pairs: SearchAttributeUpdatePair[]): void {
    if (this.input.searchAttributes) upsertSearchAttributes(pairs);
  }

  private record(phase: PhaseState): Promise<void> {
    const summary = `mirror: ${phase.name}${phase.round ? ` #${phase.round}` : ''} ${phase.status}`;
    return this.quick.recordPhase.executeWithOptions({ ...QUICK, summary }, [
      { dbPath: this.input.dbPath, workflowId: this.workflowId, seq: this.seq++, phase },
    ]);
  }

  recordRun(): Promise<void> {
    const { phases: _p, validation: _v, currentPhase: _c, plan: _s, review: _r, waiting: _w, ...run } = this.state;
    return this.quick.recordRun({ dbPath: this.input.dbPath, run });
  }

  /** After preflight found the output folder safe: status.json may be written there. */
  outputDirIsSafe(): void {
    this.outputDirChecked = true;
  }

  /**
   * Runs one phase: marks it, runs its steps, records it in the mirror either way. `verdict`
   * may call a phase that ran to its end failed (a validation that found errors) without
   * ending the run.
   */
  async phase<T>(name: PhaseName, round: number, body: (step: Step) => Promise<T>, verdict: (value: T) => string | undefined = () => undefined): Promise<T> {
    const current = startPhase(this.state, name, round, new Date());
    this.searchable([{ key: PHASE_KEY, value: name }]);
    // What the Web UI shows as the run's current details.
    this.phaseDetails = `**${name}**${round ? ` (repair round ${round})` : ''} — phase ${PHASES.indexOf(name) + 1} of ${PHASES.length}`;
    setCurrentDetails(this.phaseDetails);
    await this.record(current);
    let value: T;
    try {
      value = await body((o) => addStep(this.state, current, o));
    } catch (err) {
      // A cancelled activity's failure has no message: the phase must still read as ended by it.
      endPhase(this.state, current, new Date(), isCancellation(err) ? 'cancelled' : rootMessage(err) || 'failed');
      await CancellationScope.nonCancellable(() => this.record(current));
      throw err;
    }
    endPhase(this.state, current, new Date(), verdict(value));
    await this.record(current);
    const budget = this.input.workingBudgetMs;
    if (budget !== undefined && this.state.workingMs > budget && name !== 'report') {
      throw ApplicationFailure.nonRetryable(
        `the working-time budget of ${Math.round(budget / 60_000)} min is used up after ${name} (time asleep does not count): raise -budget or use a faster model`,
        'BudgetExceeded',
      );
    }
    return value;
  }

  async skip(...names: PhaseName[]): Promise<void> {
    for (const name of names) await this.record(skipPhase(this.state, name));
  }

  /** The run ends after its plan: the phases after it are skipped, and the outcome is `planned`. */
  async stoppedAfterPlan(reason: PlanStop): Promise<void> {
    this.stopReason = reason;
    await this.skip(...PHASES.slice(PHASES.indexOf('plan') + 1, PHASES.indexOf('report')));
  }

  /**
   * A model call that outlives its server: when Ollama is gone (a laptop that just woke, a
   * restart), wait for it to answer, then call again. Answers already given come from the
   * response cache, so only the call that was cut off is redone.
   */
  async callModel<T>(call: () => Promise<T>): Promise<T> {
    for (;;) {
      try {
        return await call();
      } catch (err) {
        const gone = err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && MODEL_SERVER_GONE_TYPES.includes(err.cause.type ?? '');
        if (!gone || this.ollamaWaitMs === 0) throw err;
      }
      const minutes = Math.round(this.ollamaWaitMs / 60_000);
      const { llm } = this.input;
      const what = llm.api === 'openai' ? serverName(llm.serverUrl, llm.api) : `Ollama at ${llm.serverUrl}`;
      await this.waitingFor(what, `at most ${minutes} min`, (since) =>
        (patched(MODEL_SERVER_NAMES_PATCH) ? this.llm.waitForModelServer : this.llm.waitForOllama).executeWithOptions(
          { ...this.waitOptions, summary: `waiting for ${what}` },
          [{ serverUrl: llm.serverUrl, ...(llm.api ? { api: llm.api } : {}), since: since.toISOString(), untilMs: since.getTime() + this.ollamaWaitMs }],
        ),
      );
    }
  }

  /** Shows the run as waiting for `what` (the status query, the CLI, the Web UI's current details) while `body` runs. */
  async waitingFor<T>(what: string, limit: string, body: (since: Date) => Promise<T>): Promise<T> {
    const since = new Date();
    this.state.waiting = { for: what, since: since.toISOString() };
    setCurrentDetails(`${this.phaseDetails}\n\n**waiting for ${what}**, since ${this.state.waiting.since} (${limit})`);
    try {
      return await body(since);
    } finally {
      this.state.waiting = undefined;
      setCurrentDetails(this.phaseDetails);
    }
  }

  /** After a validation round: the status query, the search attributes, the Web UI and the mirror learn its outcome. */
  async validated(round: number, report: ValidationReport): Promise<void> {
    this.state.validation = report;
    if (report.coveragePercent !== null) this.searchable([{ key: COVERAGE_KEY, value: report.coveragePercent }]);
    const coverage = report.coveragePercent === null ? 'no coverage figure' : `${report.coveragePercent.toFixed(1)} % coverage`;
    setCurrentDetails(`**validate**${round ? ` (round ${round})` : ''}: ${report.ok ? 'passed' : 'failed'}, ${coverage}`);
    await this.quick.recordValidation({ dbPath: this.input.dbPath, workflowId: this.workflowId, round, report });
  }

  /** The run failed or was cancelled: records its end, and gives the failure to throw. */
  async failed(err: unknown): Promise<unknown> {
    this.state.status = isCancellation(err) ? 'cancelled' : 'failed';
    this.state.error = isCancellation(err) ? CANCELLED : rootMessage(err);
    await CancellationScope.nonCancellable(() => this.finish());
    return isCancellation(err) ? err : ApplicationFailure.nonRetryable(this.state.error, 'RunFailed');
  }

  /** Records the end of the run and writes status.json (when the output folder was found safe). */
  async finish(): Promise<RunResult> {
    const { state, input } = this;
    state.endedAt = new Date().toISOString();
    const outcome = { key: OUTCOME_KEY, value: outcomeOf(state, input.skipValidation, this.stopReason) };
    let statusFile: FileRef | null = null;
    const writeStatusFile = () =>
      this.quick.writeStatusReport({
        dbPath: input.dbPath,
        workflowId: this.workflowId,
        outputDir: input.outputDir,
        resource: this.spec?.resource ?? null,
        // Only when there is one, so runs recorded before it replay with the same input.
        ...(state.fidelity ? { fidelity: state.fidelity } : {}),
        git: input.git,
      });
    if (!this.outputDirChecked) {
      this.searchable([outcome]);
      await this.recordRun();
    } else if (this.localMirror) {
      this.searchable([outcome, { key: PHASE_KEY, value: 'report' }]);
      // The report phase is done before status.json is written, so the file shows it finished;
      // the file cannot list itself (its own hash), the run's result does.
      const current = startPhase(state, 'report', 0, new Date());
      await this.recordRun();
      endPhase(state, current, new Date());
      await this.record(current);
      statusFile = await writeStatusFile();
      addStep(state, current, { files: [statusFile] });
      if (input.report) {
        const { prompt, outputDir, dbPath } = input;
        const item = { workflowId: this.workflowId, prompt, outputDir };
        const report = await this.quick.writeMorningReport({
          dbPath,
          reportDir: outputDir,
          title: prompt,
          webUiRunsUrl: input.report.webUiRunsUrl,
          items: [item],
        });
        addStep(state, current, { files: [report] });
      }
    } else {
      // As runs recorded before the patch did it: the phase recorded at its start and twice at its end.
      this.searchable([outcome]);
      statusFile = await this.phase('report', 0, async (step) => {
        await this.recordRun();
        endPhase(state, state.phases[state.phases.length - 1]!, new Date());
        await this.record(state.phases[state.phases.length - 1]!);
        const file = await writeStatusFile();
        step({ files: [file] });
        return file;
      });
    }
    const valid = input.skipValidation && this.stopReason === undefined ? state.status === 'completed' : state.validation?.ok === true;
    const stopped = this.stopReason !== undefined ? { stoppedAfterPlan: this.stopReason } : {};
    const fidelity = state.fidelity ? { fidelity: state.fidelity } : {};
    const unvalidated = input.skipValidation && this.stopReason === undefined ? { unvalidated: true as const } : {};
    return {
      status: state.status,
      valid,
      coveragePercent: state.validation?.coveragePercent ?? null,
      statusFile,
      error: state.error,
      ...stopped,
      ...fidelity,
      ...unvalidated,
    };
  }
}

/** What `list` and the Web UI filter on once the run has ended. */
function outcomeOf(state: RunState, skipValidation: boolean, stopReason: PlanStop | undefined): Outcome {
  if (state.status !== 'completed') return state.status === 'cancelled' ? 'cancelled' : 'failed';
  if (stopReason !== undefined) return 'planned';
  if (skipValidation) return 'unvalidated';
  return state.validation?.ok ? 'valid' : 'invalid';
}
