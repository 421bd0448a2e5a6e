// The whole-plan writer's workspace side: the Go project code writes from the plan (core/go/,
// docs/generated-api.md), its openapi.yaml, the model's behaviour.go with stubs, and the tests
// code derives from the plan, written into the output folder and committed as one phase.
import type { Plan, Store } from '../../core/plan.js';
import { BEHAVIOUR_PATH, behaviourContract, goProject, renderBehaviour } from '../../core/go/index.js';
import { apiTestsGo } from '../../core/go/tests.js';
import { openApiFor } from '../../core/openapi.js';
import { planReadme } from '../../core/readme.js';
import { fidelitySection, type Fidelity } from '../../core/fidelity.js';
import type { FileProvenance, FileRef, GitMode } from '../../core/types.js';
import { countLines } from '../guided/go-source.js';
import { RUN_FILES } from '../../core/layout.js';
import { commitFiles } from '../files/git-history.js';
import { MARKER_FILE } from '../../core/layout.js';
import { writeFileAtomic } from '../files/write-file.js';

export interface PlanProjectInput {
  workflowId: string;
  outputDir: string;
  plan: Plan;
  store: Store;
  git?: GitMode;
}

/** A file code wrote whole from the plan: every line is code's. */
export const byCode = (content: string): FileProvenance => ({
  strategy: 'plan',
  modelLines: 0,
  contractLines: countLines(content),
  candidates: 0,
  fixes: [],
  errorsSeen: [],
  errorsLeft: 0,
});

/** Every path a whole-plan run may write: the project's files, the model's, the run's own. */
export function planPaths(plan: Plan, store: Store): Set<string> {
  return new Set([...goProject(plan, { store }).map((f) => f.path), BEHAVIOUR_PATH, apiTestsGo(plan, store).path, 'README.md', ...RUN_FILES, MARKER_FILE]);
}

/** Writes the code-written project; the files and the functions the model is to write. */
export async function writePlanProject(input: PlanProjectInput): Promise<{ files: FileRef[]; holes: string[] }> {
  const { workflowId, outputDir, plan, store, git } = input;
  const allowed = planPaths(plan, store);
  const contract = behaviourContract(plan);
  const marker = JSON.stringify({ workflowId, module: plan.module, resources: plan.resources.map((r) => r.name) }, null, 2) + '\n';
  const tests = apiTestsGo(plan, store);
  const files: [string, string][] = [
    ...goProject(plan, { store }).map((f): [string, string] => [f.path, f.content]),
    [BEHAVIOUR_PATH, renderBehaviour(contract)],
    [tests.path, tests.content],
    ['openapi.yaml', openApiFor(plan)],
    [MARKER_FILE, marker],
  ];
  const refs = files.map(([p, content]): FileRef => {
    const { written: _w, ...ref } = writeFileAtomic(outputDir, p, content, allowed);
    return p === BEHAVIOUR_PATH || p === MARKER_FILE ? ref : { ...ref, provenance: byCode(content) };
  });
  const names = plan.resources.map((r) => r.plural).join(', ');
  await commitFiles(
    outputDir,
    git,
    refs.map((f) => f.path),
    `scaffold: the project code writes from the plan (${names}; store ${store})`,
  );
  return { files: refs, holes: contract.holes.map((h) => h.name) };
}

export interface PlanReadmeInput extends PlanProjectInput {
  request: string;
  fidelity?: Fidelity;
}

/** README.md written by code from the plan, ending with the fidelity list: no model call, nothing for it to get wrong. */
export async function writePlanReadme(input: PlanReadmeInput): Promise<{ file: FileRef }> {
  const { outputDir, plan, store, request, fidelity, git } = input;
  const readme = planReadme(plan, store, request);
  const content = fidelity ? `${readme.trimEnd()}\n\n${fidelitySection(fidelity)}` : readme;
  const { written: _w, ...ref } = writeFileAtomic(outputDir, 'README.md', content, planPaths(plan, store));
  await commitFiles(outputDir, git, ['README.md'], 'readme: README.md from the plan, by code');
  return { file: { ...ref, provenance: byCode(content) } };
}
