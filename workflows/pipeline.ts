// The overnight run: the fixed phase sequence of DESIGN.md and the bounded repair loop.
// Deterministic: no clock, randomness, network or disk except through Temporal's APIs.
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  defineQuery,
  isCancellation,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
  type ActivityOptions,
} from '@temporalio/workflow';
import type * as activities from '../activities/index.js';
import { addStep, endPhase, newRunState, rootMessage, skipPhase, startPhase, type StepOutcome } from './run-state.js';
import { filePathFor } from './layout.js';
import { COVERAGE_KEY, MODEL_KEY, OUTCOME_KEY, PHASE_KEY, type Outcome } from './search-attributes.js';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import {
  DEFAULT_OLLAMA_WAIT_MS,
  FILE_PHASES,
  MODEL_SERVER_GONE,
  PHASES,
  type ApiSpec,
  type FilePhase,
  type PhaseName,
  type PhaseState,
  type RunInput,
  type RunResult,
  type RunState,
  type ValidationReport,
} from './types.js';

export const statusQuery = defineQuery<RunState>('status');

const CANCELLED = 'the run was cancelled (overnight-llm cancel, or Cancel in the Web UI); the files written so far are kept';

// Whether a failure is worth retrying is decided where it is thrown: an activity throws
// ApplicationFailure.nonRetryable for what no retry mends, with a message that says what to do.
const retry = { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '1m' } as const;

/** Files and the mirror: quick local work. */
const LOCAL: ActivityOptions = { startToCloseTimeout: '1m', retry: { ...retry, maximumAttempts: 10 } };
const local = proxyActivities<typeof activities>(LOCAL);

export async function generateApi(input: RunInput): Promise<RunResult> {
  const { workflowId } = workflowInfo();
  // Long activities heartbeat, so a worker that vanished or slept is noticed within
  // -heartbeat-timeout and the activity retried on the next worker.
  const heartbeatTimeout = input.heartbeatTimeoutMs ?? 60_000;
  /** LLM calls: a cut-off call is the only work redone (finished answers are cached). */
  const LLM: ActivityOptions = { startToCloseTimeout: '45m', heartbeatTimeout, retry: { ...retry, maximumAttempts: 6 } };
  /** The Go toolchain on generated code (it heartbeats each step); its own per-step limits sit inside this one. */
  const TOOLCHAIN: ActivityOptions = { startToCloseTimeout: '20m', heartbeatTimeout, retry: { ...retry, maximumAttempts: 5 } };
  const llm = proxyActivities<typeof activities>(LLM);
  const ollamaWaitMs = input.ollamaWaitMs ?? DEFAULT_OLLAMA_WAIT_MS;
  /** Waiting for Ollama: as long as -ollama-wait, heartbeating, resumed by another worker if this one goes. */
  const WAIT: ActivityOptions = { startToCloseTimeout: ollamaWaitMs + 120_000, heartbeatTimeout, retry: { ...retry, maximumAttempts: 5 } };
  const toolchain = proxyActivities<typeof activities>(TOOLCHAIN);
  const state = newRunState(workflowId, input, new Date());
  setHandler(statusQuery, () => state);
  let seq = 0;
  let spec: ApiSpec | null = null;
  let outputDirChecked = false;
  /** Keeps the run's search attributes current, when the server has them registered. */
  const searchable = (pairs: SearchAttributeUpdatePair[]) => input.searchAttributes && upsertSearchAttributes(pairs);
  searchable([{ key: MODEL_KEY, value: input.llm.model }]);

  const record = (phase: PhaseState) =>
    local.recordPhase.executeWithOptions({ ...LOCAL, summary: `mirror: ${phase.name}${phase.round ? ` #${phase.round}` : ''} ${phase.status}` }, [
      { dbPath: input.dbPath, workflowId, seq: seq++, phase },
    ]);
  const recordRun = () => {
    const { phases: _p, validation: _v, currentPhase: _c, ...run } = state;
    return local.recordRun({ dbPath: input.dbPath, run });
  };

  let phaseDetails = '';

  /**
   * A model call that outlives its server: when Ollama is gone (a laptop that just woke, a
   * restart), wait for it to answer, then call again. Answers already given come from the
   * response cache, so only the call that was cut off is redone.
   */
  async function callModel<T>(call: () => Promise<T>): Promise<T> {
    for (;;) {
      try {
        return await call();
      } catch (err) {
        const gone = err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.type === MODEL_SERVER_GONE;
        if (!gone || ollamaWaitMs === 0) throw err;
      }
      const since = new Date();
      state.waiting = { for: `Ollama at ${input.llm.ollamaUrl}`, since: since.toISOString() };
      setCurrentDetails(
        `${phaseDetails}\n\n**waiting for ${state.waiting.for}**, since ${state.waiting.since} (at most ${Math.round(ollamaWaitMs / 60_000)} min)`,
      );
      try {
        await llm.waitForOllama.executeWithOptions({ ...WAIT, summary: `waiting for ${state.waiting.for}` }, [
          { ollamaUrl: input.llm.ollamaUrl, since: state.waiting.since, untilMs: since.getTime() + ollamaWaitMs },
        ]);
      } finally {
        state.waiting = undefined;
        setCurrentDetails(phaseDetails);
      }
    }
  }

  /**
   * Runs one phase: marks it, runs its steps, records it in the mirror either way. `verdict`
   * may call a phase that ran to its end failed (a validation that found errors) without
   * ending the run.
   */
  async function phase<T>(
    name: PhaseName,
    round: number,
    body: (step: (o: StepOutcome) => void) => Promise<T>,
    verdict: (value: T) => string | undefined = () => undefined,
  ): Promise<T> {
    const current = startPhase(state, name, round, new Date());
    searchable([{ key: PHASE_KEY, value: name }]);
    // What the Web UI shows as the run's current details.
    phaseDetails = `**${name}**${round ? ` (repair round ${round})` : ''} — phase ${PHASES.indexOf(name) + 1} of ${PHASES.length}`;
    setCurrentDetails(phaseDetails);
    await record(current);
    let value: T;
    try {
      value = await body((o) => addStep(state, current, o));
    } catch (err) {
      // A cancelled activity's failure has no message: the phase must still read as ended by it.
      endPhase(state, current, new Date(), isCancellation(err) ? 'cancelled' : rootMessage(err) || 'failed');
      await CancellationScope.nonCancellable(() => record(current));
      throw err;
    }
    endPhase(state, current, new Date(), verdict(value));
    await record(current);
    if (input.workingBudgetMs !== undefined && state.workingMs > input.workingBudgetMs && name !== 'report') {
      throw ApplicationFailure.nonRetryable(
        `the working-time budget of ${Math.round(input.workingBudgetMs / 60_000)} min is used up after ${name} (time asleep does not count): raise -budget or use a faster model`,
        'BudgetExceeded',
      );
    }
    return value;
  }

  async function writeFile(filePhase: FilePhase, round: number, errors?: string) {
    const path = filePathFor(filePhase, spec!.resource);
    const summary = `${filePhase} → ${path}${errors === undefined ? '' : ` (repair round ${round})`}`;
    // guided: contract by code, function bodies and test cases by the model; whole: the seed's flow.
    const activity = input.strategy === 'guided' ? llm.composeFile : llm.generateFile;
    const result = await callModel(() =>
      activity.executeWithOptions({ ...LLM, summary }, [
        {
          workflowId,
          phase: filePhase,
          prompt: input.prompt,
          spec: spec!,
          outputDir: input.outputDir,
          dbPath: input.dbPath,
          llm: input.llm,
          coverageGoal: input.coverageGoal,
          repair: errors === undefined ? undefined : { round, errors },
        },
      ]),
    );
    return { usage: result.usage, files: [result.file] };
  }

  async function validate(round: number): Promise<ValidationReport> {
    const report = await phase(
      'validate',
      round,
      async (step) => {
        const summary = `go vet, build, test -cover, smoke${round ? ` (round ${round})` : ''}`;
        const r = await toolchain.validateProject.executeWithOptions({ ...TOOLCHAIN, summary }, [
          { outputDir: input.outputDir, spec: spec!, coverageGoal: input.coverageGoal },
        ]);
        step({ workMs: r.durationMs });
        return r;
      },
      (r) => (r.ok ? undefined : validationFailure(r)),
    );
    state.validation = report;
    if (report.coveragePercent !== null) searchable([{ key: COVERAGE_KEY, value: report.coveragePercent }]);
    const coverage = report.coveragePercent === null ? 'no coverage figure' : `${report.coveragePercent.toFixed(1)} % coverage`;
    setCurrentDetails(`**validate**${round ? ` (round ${round})` : ''}: ${report.ok ? 'passed' : 'failed'}, ${coverage}`);
    await local.recordValidation({ dbPath: input.dbPath, workflowId, round, report });
    return report;
  }

  try {
    await recordRun();
    await phase('preflight', 0, async () => {
      await local.preflight.executeWithOptions(
        { ...LOCAL, summary: `preflight: Ollama ${input.llm.ollamaUrl}, model ${input.llm.model}, Go, ${input.outputDir}` },
        [
          {
            ollamaUrl: input.llm.ollamaUrl,
            model: input.llm.model,
            outputDir: input.outputDir,
            allowNonEmptyOutput: input.allowNonEmptyOutput,
            skipValidation: input.skipValidation,
          },
        ],
      );
      outputDirChecked = true;
    });
    spec = await phase('plan', 0, async (step) => {
      const plan = await callModel(() =>
        llm.planApi.executeWithOptions({ ...LLM, summary: `plan: ${input.prompt.slice(0, 80)}` }, [
          { prompt: input.prompt, dbPath: input.dbPath, llm: input.llm },
        ]),
      );
      step({ usage: plan.usage, attempts: plan.attempts, notes: plan.notes });
      return plan.spec;
    });
    await phase('scaffold', 0, async (step) => {
      step({ files: await local.writeScaffold({ workflowId, outputDir: input.outputDir, spec: spec! }) });
    });
    for (const filePhase of FILE_PHASES) {
      await phase(filePhase, 0, async (step) => step(await writeFile(filePhase, 0)));
    }

    if (input.skipValidation) {
      await record(skipPhase(state, 'validate'));
      await record(skipPhase(state, 'repair'));
    } else {
      let report = await validate(0);
      let lastFailures = JSON.stringify(report.failures);
      for (let round = 1; !report.ok && round <= input.maxRepairRounds && report.failures.length > 0; round++) {
        state.repairRounds = round;
        await phase('repair', round, async (step) => {
          for (const failure of report.failures) step(await writeFile(failure.phase, round, failure.errors));
        });
        report = await validate(round);
        const failures = JSON.stringify(report.failures);
        if (failures === lastFailures) break; // the round changed nothing the toolchain sees: stop spending tokens
        lastFailures = failures;
      }
    }
    state.status = 'completed';
  } catch (err) {
    state.status = isCancellation(err) ? 'cancelled' : 'failed';
    state.error = isCancellation(err) ? CANCELLED : rootMessage(err);
    await CancellationScope.nonCancellable(() => finish());
    throw isCancellation(err) ? err : ApplicationFailure.nonRetryable(state.error, 'RunFailed');
  }
  return finish();

  /** Records the end of the run and writes status.json (when the output folder was found safe). */
  async function finish(): Promise<RunResult> {
    state.endedAt = new Date().toISOString();
    searchable([{ key: OUTCOME_KEY, value: outcomeOf(state, input.skipValidation) }]);
    let statusFile = null;
    if (outputDirChecked) {
      statusFile = await phase('report', 0, async (step) => {
        await recordRun();
        // Mark the report phase done before it is written, so status.json shows it finished.
        const current = state.phases[state.phases.length - 1];
        endPhase(state, current, new Date());
        await record(current);
        const file = await local.writeStatusReport({ dbPath: input.dbPath, workflowId, outputDir: input.outputDir, resource: spec?.resource ?? null });
        step({ files: [file] });
        return file;
      });
    } else {
      await recordRun();
    }
    const valid = input.skipValidation ? state.status === 'completed' : state.validation?.ok === true;
    return { status: state.status, valid, coveragePercent: state.validation?.coveragePercent ?? null, statusFile, error: state.error };
  }
}

/** One line for a failed validation: the steps that failed, or the coverage shortfall. */
function validationFailure(r: ValidationReport): string {
  const failed = r.steps.filter((st) => !st.ok && !st.skipped).map((st) => st.name);
  if (failed.length > 0) return `${failed.join(', ')} failed`;
  return `coverage ${r.coveragePercent ?? 0}% is under the ${r.coverageGoal}% goal`;
}

/** What `list` and the Web UI filter on once the run has ended. */
function outcomeOf(state: RunState, skipValidation: boolean): Outcome {
  if (state.status !== 'completed') return state.status === 'cancelled' ? 'cancelled' : 'failed';
  if (skipValidation) return 'unvalidated';
  return state.validation?.ok ? 'valid' : 'invalid';
}
