// The whole-plan writer's repair, by code: everything but behaviour.go is code's and proven by
// its tests, so an API whose tests fail after the model's methods went in fails because of one of
// them (a rule that refuses every item, a filter that dereferences a nil field). Each method the
// model wrote is swapped for code's stand-in in turn, kept swapped only when fewer tests fail,
// until the tests pass; what was swapped is named. No model call: the fix is deterministic.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BEHAVIOUR_PATH, behaviourContract, fallbackBody, renderBehaviour } from '../../core/go/index.js';
import type { Unwritten } from '../../core/fidelity.js';
import type { Plan, Store } from '../../core/plan.js';
import type { FileProvenance, FileRef, GitMode } from '../../core/types.js';
import { commitFiles } from '../files/git-history.js';
import { writeFileAtomic } from '../files/write-file.js';
import { runGoimports } from '../go/fixers.js';
import type { ToolchainSession } from '../go/toolchain-session.js';
import { withToolchain } from '../guided/compose-code.js';
import { countLines } from '../guided/go-source.js';
import { modelShare } from './behaviour.js';
import { planPaths } from './project.js';

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
  /** The tests pass now. */
  passes: boolean;
}

/** Failing tests of the project with these bodies: the count of `--- FAIL` lines, or Infinity when it did not build. */
async function failures(session: ToolchainSession, input: StandInInput, bodies: Record<string, string>): Promise<number> {
  writeFileAtomic(input.outputDir, BEHAVIOUR_PATH, renderBehaviour(behaviourContract(input.plan), bodies), planPaths(input.plan, input.store));
  await runGoimports(session, input.outputDir, BEHAVIOUR_PATH);
  const r = await session.go(['test', '-count=1', './tests/'], 300_000, undefined, 256 * 1024);
  if (r.exitCode === 0) return 0;
  const failed = r.output.split('\n').filter((l) => /^\s*--- FAIL: /.test(l)).length;
  return failed > 0 ? failed : Infinity;
}

export const standInFailing = (input: StandInInput) =>
  withToolchain(input.outputDir, 'repair: go test, one model method at a time', async (session): Promise<StandInResult> => {
    const holes = behaviourContract(input.plan).holes;
    let bodies = { ...input.bodies };
    let failed = await failures(session, input, bodies);
    const replaced: StandInResult['replaced'] = [];
    for (const name of input.byModel) {
      if (failed === 0) break;
      const hole = holes.find((h) => h.name === name);
      if (!hole) continue;
      const tried = { ...bodies, [name]: fallbackBody(hole) };
      const now = await failures(session, input, tried);
      if (now < failed) {
        bodies = tried;
        failed = now;
        replaced.push({ name, kind: hole.kind, resource: hole.resource, element: hole.element });
      }
    }
    // The file as kept: the last try may have been one that did not help.
    const content = renderBehaviour(behaviourContract(input.plan), bodies);
    writeFileAtomic(input.outputDir, BEHAVIOUR_PATH, content, planPaths(input.plan, input.store));
    await runGoimports(session, input.outputDir, BEHAVIOUR_PATH);
    const onDisk = readFileSync(path.join(input.outputDir, BEHAVIOUR_PATH), 'utf8');
    const ref = writeFileAtomic(input.outputDir, BEHAVIOUR_PATH, onDisk, planPaths(input.plan, input.store));
    if (replaced.length)
      await commitFiles(
        input.outputDir,
        input.git,
        [BEHAVIOUR_PATH],
        `repair: ${replaced.map((r) => r.name).join(', ')} swapped for code's stand-in (the tests failed with the model's body)`,
      );
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
    return { file: { path: ref.path, bytes: ref.bytes, sha256: ref.sha256, ...(provenance ? { provenance } : {}) }, replaced, passes: failed === 0 };
  });
