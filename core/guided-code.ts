// The guided strategy's loop for one code file (models, repository, handlers, server): for
// each function, candidates (a body already there, bodies found in earlier answers, then the
// model's samples and fix requests) are checked by the toolchain and the one with the fewest
// errors is kept, so a later try never makes it worse. Pure decisions over two kinds of steps:
// the model's (`ask`) and the workspace's (`start`, `check`, `finish`). The workflow runs it
// with activities on two task queues; the single-activity composeFile of runs recorded before
// the split runs it in-process. Deterministic: no I/O of its own.
import type { FileRef, LlmUsage } from './types.js';
import { addUsage, NO_USAGE } from './usage.js';

/** Answers tried per function at most: a sample, a fix of the best so far, another sample, …
 *  A candidate is judged by the compiler, then by its probe (activities/guided/probes.ts). */
export const MAX_CANDIDATES = 6;
const SCHEDULE = ['sample', 'fix', 'sample', 'fix', 'sample', 'fix'] as const;
/** A compile error weighs more than any number of failed probe checks. */
export const COMPILE_ERROR_SCORE = 100;
/** Errors kept per file in the provenance, for the failure taxonomy. */
const ERRORS_SEEN_CAP = 20;
/** Bodies kept per function from answers for others. */
const HARVEST_CAP = 3;

/** The file as the workspace found it: the bodies there (a repair's) and the functions to (re)write. */
export interface CodeFileStart {
  bodies: Record<string, string>;
  holes: string[];
}

/** One candidate as the toolchain judged it. */
export interface CheckedFunction {
  /** Toolchain errors, or when it compiles, the probe's failed checks. */
  errors: string[];
  /** Lower is better: a compile error weighs more than any number of failed checks. */
  score: number;
  /** The bodies as they are on disk after the fixers (goimports formats, unused variables become _). */
  bodies: Record<string, string>;
  /** The deterministic fixers that changed something, in the order they ran. */
  fixes: string[];
  /** What a fix request shows the model of this candidate: the function alone. */
  shown: string;
  /** The errors as a fix request words them, with the lines they point at. */
  errorsForFix: string;
  /** Bodies for other functions found in the answer, [name, body]. */
  harvested: [string, string][];
}

/** A fix request: the best answer so far and what was wrong with it. */
export interface FixRequest {
  answer: string;
  errors: string;
}

export type FunctionCandidate = { body: string } | { answer: string };

/** What the file's provenance needs from the loop. */
export interface CodeFileOutcome {
  bodies: Record<string, string>;
  candidates: number;
  fixes: string[];
  errorsSeen: string[];
  /** Functions left as stubs and errors left, one line each. */
  left: string[];
}

export interface CodeSteps {
  start(): Promise<CodeFileStart>;
  check(hole: string, bodies: Record<string, string>, candidate: FunctionCandidate): Promise<CheckedFunction>;
  /** The model's answer for `hole`: attempt n of MAX_CANDIDATES, a fix request when `fix` is given. */
  ask(hole: string, attempt: number, fix: FixRequest | undefined): Promise<{ content: string; usage: LlmUsage }>;
  finish(outcome: CodeFileOutcome): Promise<FileRef>;
}

/** Composes one code file with `steps`; the file as written and the model's usage. */
export async function composeCodeFile(steps: CodeSteps): Promise<{ file: FileRef; usage: LlmUsage }> {
  const state = { usage: NO_USAGE, candidates: 0, fixes: new Set<string>(), errorsSeen: [] as string[], harvest: new Map<string, string[]>() };
  const start = await steps.start();
  let bodies = start.bodies;
  const left: string[] = [];
  for (const hole of start.holes) {
    const { [hole]: old, ...others } = bodies;
    const written = await writeFunction(steps, state, hole, others, old);
    bodies = written.bodies;
    left.push(...written.left);
  }
  const file = await steps.finish({ bodies, candidates: state.candidates, fixes: [...state.fixes], errorsSeen: state.errorsSeen, left });
  return { file, usage: state.usage };
}

type LoopState = { usage: LlmUsage; candidates: number; fixes: Set<string>; errorsSeen: string[]; harvest: Map<string, string[]> };

/** Writes one function: up to MAX_CANDIDATES answers, the one with the fewest errors kept. */
async function writeFunction(
  steps: CodeSteps,
  state: LoopState,
  hole: string,
  bodies: Record<string, string>,
  previous: string | undefined,
): Promise<{ bodies: Record<string, string>; left: string[] }> {
  const judged = (checked: CheckedFunction) => {
    for (const f of checked.fixes) state.fixes.add(f);
    for (const e of checked.errors) if (state.errorsSeen.length < ERRORS_SEEN_CAP && !state.errorsSeen.includes(e)) state.errorsSeen.push(e);
    if (!best || checked.score < best.score) best = checked;
  };
  let best: CheckedFunction | null = null;
  // In a repair the body already there is the one to beat: a round never makes a function worse.
  const incumbents = previous === undefined ? [] : [previous];
  for (const body of [...incumbents, ...(state.harvest.get(hole) ?? [])]) {
    const checked = await steps.check(hole, { ...bodies, [hole]: body }, { body });
    if (body !== previous) state.candidates++;
    judged(checked);
  }
  for (let i = 0; i < MAX_CANDIDATES && (best as CheckedFunction | null)?.score !== 0; i++) {
    const current = best as CheckedFunction | null;
    const kind = current ? SCHEDULE[i] : 'sample';
    const fix = kind === 'fix' && current ? { answer: current.shown, errors: current.errorsForFix } : undefined;
    const answer = await steps.ask(hole, i, fix);
    state.usage = addUsage(state.usage, answer.usage);
    state.candidates++;
    const checked = await steps.check(hole, bodies, { answer: answer.content });
    for (const [name, body] of checked.harvested) {
      const known = state.harvest.get(name) ?? [];
      if (!known.includes(body) && known.length < HARVEST_CAP) state.harvest.set(name, [...known, body]);
    }
    judged(checked);
  }
  // Code that does not compile never enters the project: the function keeps its stub (which
  // compiles and panics), so the functions and files after it can still be built and probed,
  // and a repair round knows which function to write again. A body that compiles but fails a
  // check is kept: the best there is, and the validation's tests and smoke run judge it again.
  const checked = best as unknown as CheckedFunction;
  if (checked.score >= COMPILE_ERROR_SCORE) {
    const { [hole]: _failed, ...others } = checked.bodies;
    return { bodies: others, left: [`${hole}: not written (no candidate compiled): ${checked.errors[0] ?? ''}`] };
  }
  return { bodies: checked.bodies, left: checked.errors };
}
