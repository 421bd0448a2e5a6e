// The overnight run: the fixed phase sequence of docs/DESIGN.md and the bounded repair loop.
// Deterministic: no clock, randomness, network or disk except through Temporal's APIs; the
// bookkeeping every phase shares (mirror, status query, Web UI, budget) is in pipeline-run.ts.
import { workflowInfo } from '@temporalio/workflow';
import { writeFile } from './file-phase.js';
import { buildPlanApi } from './plan-build.js';
import { folderForStart } from '../core/layout.js';
import { PipelineRun, type Step } from './pipeline-run.js';
import type { PlanDecision } from './plan-review.js';
import { FILE_PHASES, serverName, withServerUrl, type ApiSpec, type RunInput } from '../core/types.js';
import { type RunResult, type ValidationReport } from '../core/run-types.js';

export async function generateApi(recorded: RunInput): Promise<RunResult> {
  const input = withServerUrl(recorded);
  const run = new PipelineRun(input.outputPerStart ? { ...input, outputDir: folderForStart(input.outputDir, workflowInfo().startTime) } : input);
  try {
    await run.recordRun();
    await run.phase('preflight', 0, (step) => preflight(run, step));
    const planned = await run.phase('plan', 0, (step) => plan(run, step));
    run.spec = planned.spec;
    if (planned.stop !== undefined) await run.stoppedAfterPlan(planned.stop);
    else if (run.input.strategy === 'plan' && run.state.plan) await buildPlanApi(run, run.state.plan);
    else await buildApi(run, planned.spec);
    run.state.status = 'completed';
  } catch (err) {
    throw await run.failed(err);
  }
  return run.finish();
}

/** The plan made into a project: scaffold, the files one by one, validation and repair. */
async function buildApi(run: PipelineRun, spec: ApiSpec): Promise<void> {
  const { input } = run;
  await run.phase('scaffold', 0, async (step) =>
    step({ files: await run.quick.writeScaffold({ workflowId: run.workflowId, outputDir: input.outputDir, spec, git: input.git }) }),
  );
  for (const filePhase of FILE_PHASES) await run.phase(filePhase, 0, async (step) => step(await writeFile(run, spec, filePhase)));
  if (input.skipValidation) await run.skip('validate', 'repair');
  else await validateAndRepair(run, spec);
}

/**
 * Validate; while it fails and rounds are left, rewrite each failing file with the toolchain's
 * lines about it, and validate again. A round that changes nothing the toolchain sees ends the
 * loop: another would spend tokens on the same answer.
 */
async function validateAndRepair(run: PipelineRun, spec: ApiSpec): Promise<void> {
  let report = await validate(run, spec, 0);
  let lastFailures = JSON.stringify(report.failures);
  for (let round = 1; !report.ok && round <= run.input.maxRepairRounds && report.failures.length > 0; round++) {
    run.state.repairRounds = round;
    const failures = report.failures;
    await run.phase('repair', round, async (step) => {
      for (const failure of failures) step(await writeFile(run, spec, failure.phase, { round, errors: failure.errors }));
    });
    report = await validate(run, spec, round);
    if (JSON.stringify(report.failures) === lastFailures) break;
    lastFailures = JSON.stringify(report.failures);
  }
}

async function preflight(run: PipelineRun, step: Step): Promise<void> {
  const { llm, outputDir, allowNonEmptyOutput, skipValidation } = run.input;
  const server = `${llm.api === 'openai' ? serverName(llm.serverUrl, llm.api) : `Ollama at ${llm.serverUrl}`}, model ${llm.model}`;
  // `api` only when set: a native run's activity input stays as recorded runs have it.
  const modelServer = { serverUrl: llm.serverUrl, ...(llm.api ? { api: llm.api } : {}), ...(llm.server ? { server: llm.server } : {}), model: llm.model };
  const workspace = { outputDir, allowNonEmptyOutput, skipValidation };
  // The folder and Go where the files are written, the model server where the model is called.
  const found = run.modelQueue
    ? {
        ...(await run.checks.checkWorkspace.executeWithOptions({ ...run.quickOptions, summary: `preflight: Go, ${outputDir}` }, [workspace])),
        ...(await run.modelChecks.checkModelServer.executeWithOptions({ ...run.quickOptions, summary: `preflight: ${server}` }, [modelServer])),
      }
    : await run.checks.preflight.executeWithOptions({ ...run.quickOptions, summary: `preflight: ${server}, Go, ${outputDir}` }, [
        { ...modelServer, ...workspace },
      ]);
  run.outputDirIsSafe();
  // What built this API, in status.json: the versions and the model's digest.
  const digest = found.modelDigest ? ` (${found.modelDigest.slice(0, 12)})` : '';
  // And whether the server continues a prefilled answer (OpenAI-compatible ones are probed).
  const prefill = found.prefill ? [found.prefill] : [];
  step({ notes: [`Go ${found.goVersion}, ${llm.api === 'openai' ? '' : 'Ollama '}${found.ollamaVersion}, model ${llm.model}${digest}`, ...prefill] });
}

async function plan(run: PipelineRun, step: Step): Promise<PlanDecision> {
  const { prompt, dbPath, llm, planOnly, planReview, strategy, store } = run.input;
  // The whole-plan writer builds all of the plan: the fidelity list compares with the plan itself.
  const writer = strategy === 'plan' ? { wholePlan: true, store: store ?? 'sqlite' } : {};
  const result = await run.callModel(() =>
    run.llm.planApi.executeWithOptions({ ...run.llmOptions, summary: `plan: ${prompt.slice(0, 80)}` }, [{ prompt, dbPath, llm, ...writer }]),
  );
  step({ usage: result.usage, attempts: result.attempts, notes: result.notes });
  // Runs recorded before the plan held several resources have no plan or fidelity list here.
  run.state.plan = result.plan;
  run.state.fidelity = result.fidelity;
  // A sentence that asks for nothing an API of stored things is: no code, one line why.
  if (result.fidelity?.buildable === false) {
    step({ notes: [result.fidelity.message!] });
    return { spec: result.spec, stop: { why: 'cannot-build', message: result.fidelity.message! } };
  }
  // -plan-only and -review-plan: plan.json for the user, and their approval before any code.
  return (planOnly || planReview) && result.plan ? run.planApprovals.decide(result.plan, result.spec, step) : { spec: result.spec };
}

async function validate(run: PipelineRun, spec: ApiSpec, round: number): Promise<ValidationReport> {
  const summary = `go vet, build, test -cover, smoke${round ? ` (round ${round})` : ''}`;
  const report = await run.phase(
    'validate',
    round,
    async (step) => {
      const { outputDir, coverageGoal } = run.input;
      const r = await run.toolchain.validateProject.executeWithOptions({ ...run.toolchainOptions, summary }, [{ outputDir, spec, coverageGoal }]);
      step({ workMs: r.durationMs });
      return r;
    },
    (r) => (r.ok ? undefined : validationFailure(r)),
  );
  await run.validated(round, report);
  return report;
}

/** One line for a failed validation: the steps that failed, or the coverage shortfall. */
function validationFailure(r: ValidationReport): string {
  const failed = r.steps.filter((st) => !st.ok && !st.skipped).map((st) => st.name);
  if (failed.length > 0) return `${failed.join(', ')} failed`;
  return `coverage ${r.coveragePercent ?? 0}% is under the ${r.coverageGoal}% goal`;
}
