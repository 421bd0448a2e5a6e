// The whole-plan writer's repair, by code: everything but behaviour.go is code's and proven by
// its tests, so an API whose tests fail after the model's methods went in fails because of one of
// them (a rule that refuses every item, a filter that dereferences a nil field), or of the examples
// the model sorted. Each method the model wrote is swapped for code's stand-in in turn, with the
// examples left out, kept swapped only when fewer tests fail, until the tests pass; what was
// swapped is named. Then the examples: a filter whose body disagrees with its own keeps its body,
// and an example after an action that the API answers otherwise stays unproven too (which of the
// two is wrong, code cannot tell): those subtests go, and the run says to check them. No model call.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BEHAVIOUR_PATH, behaviourContract, fallbackBody, renderBehaviour } from '../../core/go/index.js';
import { apiTestsGo } from '../../core/go/tests.js';
import { afterTestName } from '../../core/go/tests-examples.js';
import { testName } from '../../core/go/tests-values.js';
import type { Unchecked, Unwritten } from '../../core/fidelity-checked.js';
import type { FilterExample, Plan, Resource, Store } from '../../core/plan.js';
import type { FileProvenance, FileRef, GitMode } from '../../core/types.js';
import { commitFiles } from '../files/git-history.js';
import { writeFileAtomic } from '../files/write-file.js';
import { runGoimports } from '../go/fixers.js';
import type { ToolchainSession } from '../go/toolchain-session.js';
import { withToolchain } from '../guided/compose-code.js';
import { countLines } from '../guided/go-source.js';
import { modelShare } from './behaviour.js';
import { byCode, planPaths } from './project.js';

export interface StandInInput {
  workflowId: string;
  outputDir: string;
  plan: Plan;
  store: Store;
  git?: GitMode;
  /** behaviour.go's bodies as written, by method (`Book.Checkout`). */
  bodies: Record<string, string>;
  /** The methods whose bodies the model wrote: the ones that may be swapped. */
  byModel: string[];
  /** behaviour.go's provenance from the models phase, kept with the model's share recounted. */
  provenance?: FileProvenance;
}

export interface StandInResult {
  file: FileRef;
  /** The methods swapped for code's stand-in. */
  replaced: (Unwritten & { name: string })[];
  /** Filters whose bodies disagree with their examples, actions after which a list disagrees: kept, those subtests dropped (tests/api_test.go rewritten). */
  unchecked: Unchecked[];
  tests?: FileRef;
  /** The tests pass now. */
  passes: boolean;
}

/** Failing tests of the project with these bodies: the `--- FAIL` lines (none but a build failure: Infinity). */
async function failing(session: ToolchainSession, input: StandInInput, bodies: Record<string, string>): Promise<{ count: number; lines: string[] }> {
  writeFileAtomic(input.outputDir, BEHAVIOUR_PATH, renderBehaviour(behaviourContract(input.plan), bodies), planPaths(input.plan, input.store));
  await runGoimports(session, input.outputDir, BEHAVIOUR_PATH);
  const r = await session.go(['test', '-count=1', './tests/'], 300_000, undefined, 256 * 1024);
  if (r.exitCode === 0) return { count: 0, lines: [] };
  const lines = r.output.split('\n').filter((l) => /^\s*--- FAIL: /.test(l));
  return { count: lines.length > 0 ? lines.length : Infinity, lines };
}

/** An example the tests hold the API to: a filter's plain ones (`after` unset), or the one after an action. */
interface Disputed {
  resource: string;
  filter: string;
  after?: string;
}

const failed = (lines: string[], r: Resource, subtest: string) =>
  lines.some((l) => l.includes(`${testName(r)}/`) && l.includes(`/${subtest.replace(/ /g, '_')}`) && /--- FAIL/.test(l));

/** The examples whose subtests failed (`--- FAIL: TestTools/memory/filter_available:_the_model's_examples`). */
function disputed(plan: Plan, lines: string[]): Disputed[] {
  return plan.resources.flatMap((r) =>
    r.filters.flatMap((f) => {
      const plain = (f.examples ?? []).some((e) => e.after === undefined) && failed(lines, r, `filter ${f.name}: the model's examples`);
      const after = (f.examples ?? []).filter((e) => e.after !== undefined && failed(lines, r, afterTestName(f.name, e.after)));
      return [...(plain ? [{ resource: r.name, filter: f.name }] : []), ...after.map((e) => ({ resource: r.name, filter: f.name, after: e.after }))];
    }),
  );
}

/** The plan without these examples (`all`: every one): its tests no longer hold the API to them. */
const withoutExamples = (plan: Plan, gone: Disputed[] | 'all'): Plan => ({
  ...plan,
  resources: plan.resources.map((r) => ({
    ...r,
    filters: r.filters.map((f) => {
      const goes = (e: FilterExample) => gone === 'all' || gone.some((d) => d.resource === r.name && d.filter === f.name && d.after === e.after);
      const { examples, ...rest } = f;
      const kept = (examples ?? []).filter((e) => !goes(e));
      return kept.length ? { ...rest, examples: kept } : rest;
    }),
  })),
});

/** What the user is told to check about a disputed example after an action. */
function afterWhy(plan: Plan, d: Disputed): string {
  const r = plan.resources.find((x) => x.name === d.resource)!;
  const listed = r.filters.find((f) => f.name === d.filter)?.examples?.find((e) => e.after === d.after)?.listed;
  return `after ${d.after}, the API ${listed ? 'leaves the ' + r.name + ' out of' : 'lists the ' + r.name + ' in'} ?${d.filter}=true, where the model's reading of the request ${listed ? 'lists it' : 'leaves it out'}`;
}

export const standInFailing = (input: StandInInput) =>
  withToolchain(input.outputDir, 'repair: go test, one model method at a time', async (session): Promise<StandInResult> => {
    const holes = behaviourContract(input.plan).holes;
    let bodies = { ...input.bodies };
    // The examples subtests wait: a stand-in would pass them by being skipped, and win the swap below.
    const writeTests = (plan: Plan) => {
      const t = apiTestsGo(plan, input.store);
      const { written: _w, ...ref } = writeFileAtomic(input.outputDir, t.path, t.content, planPaths(input.plan, input.store));
      return { ...ref, provenance: byCode(t.content) };
    };
    const sorted = input.plan.resources.some((r) => r.filters.some((f) => f.examples?.length));
    if (sorted) writeTests(withoutExamples(input.plan, 'all'));
    const failures = async (b: Record<string, string>) => (await failing(session, input, b)).count;
    let failed = await failures(bodies);
    const replaced: StandInResult['replaced'] = [];
    for (const name of input.byModel) {
      if (failed === 0) break;
      const hole = holes.find((h) => h.name === name);
      if (!hole) continue;
      const tried = { ...bodies, [name]: fallbackBody(hole) };
      const now = await failures(tried);
      if (now < failed) {
        bodies = tried;
        failed = now;
        replaced.push({ name, kind: hole.kind, resource: hole.resource, element: hole.element });
      }
    }
    // Then the examples: a model filter that fails its own keeps its body, and its examples leave the tests.
    let unchecked: Unchecked[] = [];
    let tests: FileRef | undefined;
    if (sorted) {
      tests = writeTests(input.plan);
      const withExamples = await failing(session, input, bodies);
      // A filter's own examples dispute only a body the model wrote and kept; an example after an action disputes whoever wrote it.
      const byModel = (d: Disputed) => input.byModel.includes(holes.find((h) => h.resource === d.resource && h.element === d.filter)?.name ?? '');
      const gone = disputed(input.plan, withExamples.lines).filter(
        (d) => d.after !== undefined || (byModel(d) && !replaced.some((x) => x.element === d.filter && x.resource === d.resource)),
      );
      unchecked = gone.map((d) =>
        d.after === undefined
          ? { kind: 'filter' as const, resource: d.resource, element: d.filter }
          : { kind: 'action' as const, resource: d.resource, element: d.after, why: afterWhy(input.plan, d) },
      );
      failed = withExamples.count;
      if (gone.length) {
        tests = writeTests(withoutExamples(input.plan, gone));
        failed = await failures(bodies);
      }
    }
    // The file as kept: the last try may have been one that did not help.
    const content = renderBehaviour(behaviourContract(input.plan), bodies);
    writeFileAtomic(input.outputDir, BEHAVIOUR_PATH, content, planPaths(input.plan, input.store));
    await runGoimports(session, input.outputDir, BEHAVIOUR_PATH);
    const onDisk = readFileSync(path.join(input.outputDir, BEHAVIOUR_PATH), 'utf8');
    const ref = writeFileAtomic(input.outputDir, BEHAVIOUR_PATH, onDisk, planPaths(input.plan, input.store));
    const what = [
      ...(replaced.length ? [`${replaced.map((r) => r.name).join(', ')} swapped for code's stand-in (the tests failed with the model's body)`] : []),
      ...(unchecked.length
        ? [`the model's examples of ${unchecked.map((u) => `${u.resource} ${u.element}`).join(', ')} dropped from the tests (the API disagrees with them)`]
        : []),
    ];
    if (what.length) await commitFiles(input.outputDir, input.git, [BEHAVIOUR_PATH, ...(tests ? [tests.path] : [])], `repair: ${what.join('; ')}`);
    const { modelLines, verbatimLines } = modelShare(
      input.plan,
      bodies,
      input.byModel.filter((n) => !replaced.some((r) => r.name === n)),
    );
    const provenance: FileProvenance | undefined = input.provenance && {
      ...input.provenance,
      modelLines,
      verbatimLines,
      contractLines: Math.max(0, countLines(onDisk) - modelLines),
      fixes: replaced.length ? [...input.provenance.fixes, 'stand-in'] : input.provenance.fixes,
    };
    const file = { path: ref.path, bytes: ref.bytes, sha256: ref.sha256, ...(provenance ? { provenance } : {}) };
    return { file, replaced, unchecked, ...(tests ? { tests } : {}), passes: failed === 0 };
  });
