// internal/models/behaviour.go, the workspace's side: each candidate body the model wrote for a
// method in words (an action, a filter in words, a rule in words) is rendered into the file,
// goimports'd and its package built and vetted where it is written (a filter's body then held to
// the model's examples: examples-check.ts). The loop that picks
// candidates is core/guided-code.ts, the model's side behaviour-candidate.ts.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { BEHAVIOUR_PATH, behaviourContract, fallbackBody, renderBehaviour, type BehaviourHole } from '../../core/go/index.js';
import type { Unwritten } from '../../core/fidelity-checked.js';
import type { Plan, Store } from '../../core/plan.js';
import type { CheckedFunction, CodeFileOutcome, CodeFileStart, FunctionCandidate } from '../../core/guided-code.js';
import { COMPILE_ERROR_SCORE } from '../../core/guided-code.js';
import type { FileRef, GitMode } from '../../core/types.js';
import { checkPackage, fixPointerAssignments, fixUnusedVariables, parseGoErrors, runGoimports } from '../go/fixers.js';
import type { ToolchainSession } from '../go/toolchain-session.js';
import { errorsForPrompt } from '../guided/function-prompt.js';
import { bodyFromAnswer, NoFunctionError, otherBodiesIn } from '../guided/go-source.js';
import { provenanceOf, withToolchain } from '../guided/compose-code.js';
import { commitFiles } from '../files/git-history.js';
import { writeFileAtomic } from '../files/write-file.js';
import { asFunction, behaviourCandidatePrompt } from './behaviour-candidate.js';
import { examplesMissed } from './examples-check.js';
import { planPaths } from './project.js';

export interface BehaviourInput {
  outputDir: string;
  plan: Plan;
  store: Store;
}

export interface CheckBehaviourInput extends BehaviourInput {
  hole: string;
  bodies: Record<string, string>;
  candidate: FunctionCandidate;
}

export interface FinishBehaviourInput extends BehaviourInput {
  outcome: CodeFileOutcome;
  /** The model's name and the git mode, for the commit. */
  model: string;
  workflowId: string;
  git?: GitMode;
}

/**
 * The model's share of behaviour.go: its non-blank lines in the methods it wrote, and how many of
 * them appear word for word in the method's prompt (copied, not chosen). Braces alone are not counted as copied.
 */
export function modelShare(plan: Plan, bodies: Record<string, string>, byModel: string[]): { modelLines: number; verbatimLines: number } {
  let modelLines = 0;
  let verbatimLines = 0;
  for (const name of byModel) {
    const prompt = behaviourCandidatePrompt(plan, name);
    const lines = (bodies[name] ?? '')
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    modelLines += lines.length;
    verbatimLines += lines.filter((l) => /[\w"]/.test(l) && prompt.includes(l)).length;
  }
  return { modelLines, verbatimLines };
}

function holeOf(plan: Plan, name: string): BehaviourHole {
  const hole = behaviourContract(plan).holes.find((h) => h.name === name);
  if (!hole) throw new Error(`${BEHAVIOUR_PATH} has no method ${name}`);
  return hole;
}

/** Writes behaviour.go with `bodies`, fixes what code can, builds and vets package models. */
async function check(session: ToolchainSession, input: BehaviourInput, bodies: Record<string, string>) {
  const { outputDir, plan, store } = input;
  const allowed = planPaths(plan, store);
  const write = (content: string) => writeFileAtomic(outputDir, BEHAVIOUR_PATH, content, allowed);
  const read = () => readFileSync(path.join(outputDir, BEHAVIOUR_PATH), 'utf8');
  const fixes: string[] = [];
  const content = renderBehaviour(behaviourContract(plan), bodies);
  write(content);
  const imports = await runGoimports(session, outputDir, BEHAVIOUR_PATH);
  if (!imports.ok) return { errors: imports.output.trim().split('\n').slice(0, 8), score: 10 * COMPILE_ERROR_SCORE, fixes };
  if (read() !== content) fixes.push('goimports');
  let errors = await checkPackage(session, 'internal/models');
  // Mechanical faults code mends itself, each kept only when the compiler then finds fewer errors.
  for (const [name, fixer] of [
    ['unused-variable', fixUnusedVariables],
    ['pointer-value', fixPointerAssignments],
  ] as const) {
    const fixed = errors.length
      ? fixer(
          read(),
          parseGoErrors(errors.join('\n')).filter((e) => e.file.endsWith(BEHAVIOUR_PATH)),
        )
      : null;
    if (fixed === null) continue;
    const before = read();
    write(fixed);
    const after = await checkPackage(session, 'internal/models');
    if (after.length < errors.length) {
      fixes.push(name);
      errors = after;
    } else write(before);
  }
  return { errors, score: COMPILE_ERROR_SCORE * errors.length, fixes };
}

/** The bodies code knows (an action that only sets a flag), and the methods left for the model. */
export async function startBehaviour(input: BehaviourInput): Promise<CodeFileStart> {
  const holes = behaviourContract(input.plan).holes;
  const bodies = Object.fromEntries(holes.filter((h) => h.knownBody).map((h) => [h.name, h.knownBody!]));
  return { bodies, holes: holes.filter((h) => !h.knownBody).map((h) => h.name) };
}

/** One candidate for a method, checked. Bodies are kept as the model wrote them (goimports only adds imports). */
export const checkBehaviour = (input: CheckBehaviourInput) =>
  withToolchain(input.outputDir, `behaviour ${input.hole}: go build, vet`, async (session): Promise<CheckedFunction> => {
    const hole = holeOf(input.plan, input.hole);
    const fn = asFunction(hole);
    const fenced = (body: string) => `\`\`\`go\n${hole.signature} {\n${body}\n}\n\`\`\``;
    const { candidate, bodies } = input;
    let body: string;
    const harvested: [string, string][] = [];
    if ('body' in candidate) body = candidate.body;
    else {
      try {
        body = bodyFromAnswer(candidate.answer, fn).body;
      } catch (err) {
        if (!(err instanceof NoFunctionError)) throw err;
        const errors = [err.message];
        return {
          errors,
          score: 100 * COMPILE_ERROR_SCORE,
          bodies,
          fixes: [],
          shown: candidate.answer.slice(0, 1500),
          errorsForFix: errors.join('\n'),
          harvested,
        };
      }
      // Methods of other types share names (Archive of a book and of a slot): only unambiguous ones are harvested.
      const holes = behaviourContract(input.plan).holes;
      const byMethod = new Map(holes.map((h) => [asFunction(h).name, h.name]));
      const unique = holes.filter((h) => holes.filter((o) => asFunction(o).name === asFunction(h).name).length === 1).map(asFunction);
      for (const [name, b] of otherBodiesIn(candidate.answer, unique, fn.name)) harvested.push([byMethod.get(name)!, b]);
    }
    const next = { ...bodies, [hole.name]: body };
    const checked = await check(session, input, next);
    const onDisk = readFileSync(path.join(input.outputDir, BEHAVIOUR_PATH), 'utf8');
    // A body that compiles is held to the model's own examples; a missed one is worth a fix request, not a compile error's weight.
    const missed = checked.errors.length === 0 ? await examplesMissed(session, input.plan, hole) : [];
    if (missed.length)
      return { ...checked, errors: missed, score: missed.length, bodies: next, shown: fenced(body), errorsForFix: missed.join('\n'), harvested };
    return { ...checked, bodies: next, shown: fenced(body), errorsForFix: errorsForPrompt(checked.errors, onDisk, BEHAVIOUR_PATH), harvested };
  });

/** The file as the loop left it: a method no candidate compiled for gets its fallback body, named. */
export const finishBehaviour = (input: FinishBehaviourInput) =>
  withToolchain(
    input.outputDir,
    'behaviour: go build, vet',
    async (session): Promise<{ file: FileRef; unwritten: Unwritten[]; bodies: Record<string, string>; byModel: string[] }> => {
      const holes = behaviourContract(input.plan).holes;
      const { outcome } = input;
      // A model filter that is the stand-in itself (`return true`) is no more built than one never written.
      const unwritten = holes.filter(
        (h) => outcome.bodies[h.name] === undefined || (!h.knownBody && outcome.bodies[h.name]!.trim() === fallbackBody(h).trim()),
      );
      const bodies = { ...outcome.bodies, ...Object.fromEntries(unwritten.map((h) => [h.name, fallbackBody(h)])) };
      const final = await check(session, input, bodies);
      const content = existsSync(path.join(input.outputDir, BEHAVIOUR_PATH)) ? readFileSync(path.join(input.outputDir, BEHAVIOUR_PATH), 'utf8') : '';
      const byModel = holes.filter((h) => !h.knownBody && !unwritten.includes(h)).map((h) => h.name);
      const share = modelShare(input.plan, outcome.bodies, byModel);
      const provenance = {
        ...provenanceOf(content, share.modelLines, outcome, final.fixes, final.errors.length),
        strategy: 'plan' as const,
        verbatimLines: share.verbatimLines,
      };
      const ref = writeFileAtomic(input.outputDir, BEHAVIOUR_PATH, content, planPaths(input.plan, input.store));
      const made = holes.length - unwritten.length;
      await commitFiles(input.outputDir, input.git, [BEHAVIOUR_PATH], `models: ${BEHAVIOUR_PATH}, ${made} of ${holes.length} methods by ${input.model}`);
      return {
        file: { path: ref.path, bytes: ref.bytes, sha256: ref.sha256, provenance },
        unwritten: unwritten.map(({ kind, resource, element }) => ({ kind, resource, element })),
        bodies,
        byModel,
      };
    },
  );
