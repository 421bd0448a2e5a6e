// The whole-plan writer (-strategy plan): code writes the Go project of docs/generated-api.md
// from the plan (every resource, rule, relation, filter, action; SQLite or memory) and the tests
// that prove it; the model writes only what the plan says in words (behaviour.go's methods),
// one at a time through the guided loop, and the README. Orchestration only.
import { NO_EXAMPLES, withUnchecked, withUnwritten, type Unchecked, type Unwritten } from '../core/fidelity-checked.js';
import { withArticle, type Filter, type Plan, type Resource, type Store } from '../core/plan.js';
import { sampleItem } from '../core/sample-item.js';
import { singleResourceSpec } from '../core/single-resource.js';
import { composeCodeFile } from '../core/guided-code.js';
import { actionsUnknownTo, sortableFilters } from '../core/filter-examples.js';
import { hasExamples } from '../core/go/tests-examples.js';
import { comparisonOf, enumNotOf, knownFilterBody } from '../core/plan-compare.js';
import { patched } from '@temporalio/workflow';
import { addUsage, NO_USAGE } from '../core/usage.js';
import type { PipelineRun } from './pipeline-run.js';
import type { ApiSpec, FileProvenance, LlmUsage } from '../core/types.js';
import type { ValidationReport } from '../core/run-types.js';

const FLAG_FILTERS_BY_CODE = 'flag-filters-by-code';
/** "status is not done" became code's to write in 0.2.0, after runs were recorded. */
const ENUM_NOT_FILTERS_BY_CODE = 'enum-not-filters-by-code';

type Models = { bodies: Record<string, string>; byModel: string[]; provenance?: FileProvenance };

export async function buildPlanApi(run: PipelineRun, planned: Plan): Promise<void> {
  const { input } = run;
  const store: Store = input.store ?? 'sqlite';
  const { plan, holes } = await scaffoldFromPlan(run, planned, store);
  const models = await writeBehaviour(run, plan, store, holes);
  await run.skip('repository', 'handlers', 'server', 'tests');
  // The smoke run creates and replaces an item of a resource without a parent, valid by its declared rules.
  const root = plan.resources.find((r) => r.parent === undefined)!;
  const spec = singleResourceSpec({ ...plan, resources: [root] });
  await writeReadme(run, plan, store);
  if (input.skipValidation) return run.skip('validate', 'repair');
  const validate = (round: number) => validatePlanApi(run, root, spec, round);
  const report = await validate(0);
  // A failed test can only come from the model's methods (code's files are proven by their tests):
  // code swaps them for its stand-ins until the tests pass, and validates again.
  // Or from the model's examples, which code's files may disagree with too (a flag lending never touches).
  const testsFailed = report.steps.some((s) => !s.ok && !s.skipped && (s.name === 'test' || s.name === 'smoke'));
  const blamable = models.byModel.length > 0 || hasExamples(plan);
  if (report.ok || !testsFailed || !blamable || input.maxRepairRounds === 0) return run.skip('repair');
  run.state.repairRounds = 1;
  await standInFailing(run, plan, store, models);
  await validate(1);
}

const work = (run: PipelineRun, what: string) => ({ ...run.toolchainOptions, summary: what });

/** scaffold: the filters' examples sorted by the model, then every file code writes from the plan. */
async function scaffoldFromPlan(run: PipelineRun, planned: Plan, store: Store): Promise<{ plan: Plan; holes: string[] }> {
  const { input, workflowId } = run;
  let plan = planned;
  const written = await run.phase('scaffold', 0, async (step) => {
    const sorted = await withFilterExamples(run, plan);
    plan = sorted.plan;
    run.state.plan = plan;
    if (sorted.notes.length) step({ usage: sorted.usage, notes: sorted.notes });
    if (run.state.fidelity && sorted.unsorted.length) run.state.fidelity = withUnchecked(run.state.fidelity, plan, sorted.unsorted, NO_EXAMPLES);
    const files = await run.toolchain.writePlanProject.executeWithOptions(
      { ...run.toolchainOptions, summary: `scaffold: the project from the plan (${store})` },
      [{ workflowId, outputDir: input.outputDir, plan, store, git: input.git }],
    );
    step({
      files: files.files,
      notes: [`written by code from the plan: ${files.files.length} files (models, store, handlers, server, tests, openapi.yaml)`],
    });
    return files;
  });
  return { plan, holes: written.holes };
}

/** models: the model writes behaviour.go's methods (what the plan says in words), one at a time through the guided loop. */
async function writeBehaviour(run: PipelineRun, plan: Plan, store: Store, holes: string[]): Promise<Models> {
  const { input, workflowId } = run;
  const target = { outputDir: input.outputDir, plan, store };
  return run.phase('models', 0, async (step): Promise<Models> => {
    if (holes.length === 0) {
      step({ notes: ['nothing in the plan is described in words: the model writes no code'] });
      return { bodies: {}, byModel: [] };
    }
    const ask = (what: string, call: (o: { summary: string }) => Promise<{ content: string; usage: LlmUsage }>) =>
      run.callModel(() => call({ ...run.llmOptions, summary: `models → behaviour.go: ${what}` }));
    const written = { unwritten: [] as Unwritten[], bodies: {} as Record<string, string>, byModel: [] as string[] };
    const result = await composeCodeFile({
      start: () => run.toolchain.startBehaviour.executeWithOptions(work(run, 'models → behaviour.go: methods'), [target]),
      ask: (hole, attempt, fix) =>
        ask(`${hole} #${attempt + 1}${fix ? ' (fix)' : ''}`, (o) =>
          run.llm.behaviourCandidate.executeWithOptions(o, [{ plan, hole, attempt, fix, llm: input.llm, dbPath: input.dbPath }]),
        ),
      check: (hole, bodies, candidate) =>
        run.toolchain.checkBehaviour.executeWithOptions(work(run, `models → behaviour.go: check ${hole}`), [{ ...target, hole, bodies, candidate }]),
      finish: async (outcome) => {
        const done = await run.toolchain.finishBehaviour.executeWithOptions(work(run, 'models → behaviour.go: write'), [
          { ...target, outcome, workflowId, model: input.llm.model, git: input.git },
        ]);
        Object.assign(written, done);
        return done.file;
      },
    });
    // What the model could not write is not built, in the fidelity list as in the notes.
    if (run.state.fidelity) run.state.fidelity = withUnwritten(run.state.fidelity, plan, written.unwritten);
    const notes = written.unwritten.map(
      (u) => `${u.resource} ${u.kind} ${u.element}: not built (no body the model wrote compiled), code's stand-in is in behaviour.go`,
    );
    step({ usage: result.usage, files: [result.file], ...(notes.length ? { notes } : {}) });
    return { bodies: written.bodies, byModel: written.byModel, provenance: result.file.provenance };
  });
}

/** readme: code writes it from the plan, every route and rule and the fidelity list, with nothing for a model to get wrong. */
async function writeReadme(run: PipelineRun, plan: Plan, store: Store): Promise<void> {
  const { input, workflowId } = run;
  await run.phase('readme', 0, async (step) => {
    const { file } = await run.toolchain.writePlanReadme.executeWithOptions(work(run, 'readme → README.md, by code'), [
      {
        workflowId,
        outputDir: input.outputDir,
        plan,
        store,
        git: input.git,
        request: input.prompt,
        ...(run.state.fidelity ? { fidelity: run.state.fidelity } : {}),
      },
    ]);
    step({ files: [file], notes: ['README.md written by code from the plan'] });
  });
}

/** repair: the model's methods the tests fail on give way to code's stand-ins; examples code disagrees with leave the tests. */
async function standInFailing(run: PipelineRun, plan: Plan, store: Store, models: Models): Promise<void> {
  const { input, workflowId } = run;
  await run.phase('repair', 1, async (step) => {
    const r = await run.toolchain.standInFailing.executeWithOptions(work(run, 'repair: swap the model methods the tests fail on'), [
      { workflowId, outputDir: input.outputDir, plan, store, git: input.git, bodies: models.bodies, byModel: models.byModel, provenance: models.provenance },
    ]);
    if (run.state.fidelity) run.state.fidelity = withUnchecked(withUnwritten(run.state.fidelity, plan, r.replaced, true), plan, r.unchecked);
    const notes = [
      ...r.unchecked.map(
        (u) =>
          `${u.resource} ${u.kind} ${u.element}: ${u.why ?? "the model's body disagrees with the examples it sorted"}; the code stays, those examples leave the tests, and the fidelity list says to check it`,
      ),
      ...r.replaced.map((u) => `${u.resource} ${u.kind} ${u.element}: the model's body failed the API's tests; code's stand-in is in behaviour.go`),
    ];
    step({
      files: [r.file, ...(r.tests ? [r.tests] : [])],
      notes: notes.length ? notes : ["no model method is to blame: the tests fail with code's stand-ins too"],
    });
  });
}

/**
 * Each filter in words gets example items the model sorted into listed or not, from the request:
 * the tests hold the method's body to them, and its prompt shows them. A filter whose answer cannot
 * be used keeps only the tests every filter gets, and the notes say so.
 */
async function withFilterExamples(run: PipelineRun, plan: Plan): Promise<{ plan: Plan; usage: LlmUsage; notes: string[]; unsorted: Unchecked[] }> {
  const { input } = run;
  let usage = NO_USAGE;
  const notes: string[] = [];
  const unsorted: Unchecked[] = [];
  const resources: Resource[] = [];
  for (const r of plan.resources) {
    const filters = [...r.filters];
    // A flag's value ("watered is false") became code's to write after runs were recorded: patched, so they replay as they ran.
    const codeWrites = (x: Filter) =>
      comparisonOf(r, x) !== null ||
      (knownFilterBody(r, x) !== null && patched(FLAG_FILTERS_BY_CODE) && (enumNotOf(r, x) === null || patched(ENUM_NOT_FILTERS_BY_CODE)));
    for (const f of sortableFilters(r, codeWrites)) {
      const sorted = await run.callModel(() =>
        run.llm.filterExamples.executeWithOptions({ ...run.llmOptions, summary: `scaffold: examples of ${r.plural}?${f.name}=true` }, [
          { request: input.prompt, plan, resource: r.name, filter: f.name, now: new Date().toISOString(), llm: input.llm, dbPath: input.dbPath },
        ]),
      );
      usage = addUsage(usage, sorted.usage);
      // An action whose effect on the list no agreed example checks goes unchecked, and the list says so: on the filter's
      // line for a filter by a flag (code's comparison, proven otherwise), on the action's line for a filter in words.
      const unsure = actionsUnknownTo(r, f).filter((a) => !('examples' in sorted && sorted.examples.some((e) => e.after === a)));
      const moves = (actions: string[], list: string) =>
        `nothing checked whether ${actions.join(', ')} ${actions.length === 1 ? 'moves' : 'move'} ${withArticle(r.name)} in or out of ${list}`;
      if (unsure.length && f.field !== undefined) unsorted.push({ kind: 'filter', resource: r.name, element: f.name, why: moves(unsure, 'this list') });
      else for (const a of unsure) unsorted.push({ kind: 'action', resource: r.name, element: a, why: moves([a], `?${f.name}=true`) });
      if ('why' in sorted && f.field !== undefined) {
        notes.push(`${r.plural}?${f.name}=true: no examples after its actions from the model (${sorted.why}); nothing holds the actions to this list`);
        continue;
      }
      if ('why' in sorted) {
        notes.push(`${r.plural}?${f.name}=true: no examples from the model (${sorted.why}); its tests check only that =true and =false split the items`);
        unsorted.push({ kind: 'filter', resource: r.name, element: f.name });
        continue;
      }
      const listed = sorted.examples.filter((e) => e.listed).length;
      const after = sorted.examples.filter((e) => e.after).length;
      notes.push(
        `${r.plural}?${f.name}=true: the model sorted ${sorted.examples.length} example items (${listed} listed${after ? `, ${after} after an action` : ''}); the tests hold the API to them`,
      );
      filters[filters.indexOf(f)] = { ...f, examples: sorted.examples };
    }
    resources.push({ ...r, filters });
  }
  return { plan: { ...plan, resources }, usage, notes, unsorted };
}

async function validatePlanApi(run: PipelineRun, root: Resource, spec: ApiSpec, round: number): Promise<ValidationReport> {
  const { input } = run;
  const summary = `go vet, build, test -cover, smoke${round ? ` (round ${round})` : ''}`;
  const report = await run.phase(
    'validate',
    round,
    async (step) => {
      const r = await run.toolchain.validateProject.executeWithOptions({ ...run.toolchainOptions, summary }, [
        { outputDir: input.outputDir, spec, coverageGoal: input.coverageGoal, smokeBodies: { create: sampleItem(root, 0), update: sampleItem(root, 1) } },
      ]);
      step({ workMs: r.durationMs });
      return r;
    },
    (r) => (r.ok ? undefined : `${r.steps.find((s) => !s.ok && !s.skipped)?.name ?? 'coverage'} failed`),
  );
  await run.validated(round, report);
  return report;
}
