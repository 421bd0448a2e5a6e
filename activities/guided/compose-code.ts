// One code file of the guided strategy, the workspace's side: code writes the contract, and each
// candidate body the model wrote is checked where it is written: the file goes through the
// deterministic fixers, then its package is built and vetted, then the function's probe runs.
// The loop that picks candidates is core/guided-code.ts; the model's side is
// function-candidate.ts. Each activity opens its own toolchain session; composeFile (runs
// recorded before the split) shares one across a whole file.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ApiSpec, FileRef, FileProvenance, GitMode, RepairRequest } from '../../core/types.js';
import type { CheckedFunction, CodeFileOutcome, CodeFileStart, FunctionCandidate } from '../../core/guided-code.js';
import { COMPILE_ERROR_SCORE } from '../../core/guided-code.js';
import { allowedPaths } from '../../core/layout.js';
import { activityContext, heartbeatIntervalMs, reportProgress } from '../activity-context.js';
import { writeFileAtomic } from '../files/write-file.js';
import {
  checkPackage,
  exportedNames,
  fixCommaIf,
  fixImportPaths,
  fixUnusedVariables,
  parseGoErrors,
  qualifyNames,
  runGoimports,
  type GoError,
} from '../go/fixers.js';
import { openToolchainSession, type ToolchainSession } from '../go/toolchain-session.js';
import { contractFor, type ContractPhase, type FileContract, type FunctionHole } from './contract.js';
import { errorsForPrompt } from './function-prompt.js';
import { runProbe } from './probes.js';
import { bodiesInFile, bodyFromAnswer, countLines, NoFunctionError, otherBodiesIn, renderFile } from './go-source.js';

export { MAX_CANDIDATES } from '../../core/guided-code.js';

/** Which code file: the workspace reads and writes it under outputDir. */
export interface CodeFileInput {
  outputDir: string;
  spec: ApiSpec;
  phase: ContractPhase;
  repair?: RepairRequest;
}

export interface CheckFunctionInput extends CodeFileInput {
  hole: string;
  bodies: Record<string, string>;
  candidate: FunctionCandidate;
}

export interface FinishCodeFileInput extends CodeFileInput {
  workflowId: string;
  /** The model's name, for the commit message. */
  model: string;
  git?: GitMode;
  outcome: CodeFileOutcome;
}

/** The file's contract and what checking it needs, for one activity. */
class CodeFile {
  readonly contract: FileContract;
  private readonly allowed: Set<string>;
  /** Exported names of the packages this file uses, for the qualified-name fixer. */
  private readonly dependencyNames = new Map<string, string>();

  constructor(
    private readonly input: CodeFileInput,
    private readonly session: ToolchainSession | null,
  ) {
    this.contract = contractFor(input.spec, input.phase);
    this.allowed = allowedPaths(input.spec);
    for (const dep of this.contract.uses) {
      const c = contractFor(input.spec, dep as ContractPhase);
      const pkg = path.basename(path.dirname(c.path));
      for (const name of exportedNames(`${c.header}\n${c.holes.map((h) => h.signature).join('\n')}`)) this.dependencyNames.set(name, pkg);
    }
  }

  get path() {
    return this.contract.path;
  }

  hole(name: string): FunctionHole {
    const hole = this.contract.holes.find((h) => h.name === name);
    if (!hole) throw new Error(`${this.path} has no function ${name} in its contract`);
    return hole;
  }

  /** The file as it is on disk; empty before its first check wrote it. */
  read(): string {
    const file = path.join(this.input.outputDir, this.path);
    return existsSync(file) ? readFileSync(file, 'utf8') : '';
  }

  write(content: string) {
    return writeFileAtomic(this.input.outputDir, this.path, content, this.allowed);
  }

  /** Renders the bodies, runs the fixers, builds and vets the package; when it compiles, runs `probe`'s checks. */
  async check(bodies: Record<string, string>, probe?: string): Promise<{ errors: string[]; score: number; bodies: Record<string, string>; fixes: string[] }> {
    const session = this.session!;
    const fixes: string[] = [];
    reportProgress({ label: `${this.path}: go build, vet`, tokens: 0, bytes: 0 });
    const rendered = renderFile(this.contract, bodies);
    const content = fixImportPaths(rendered, this.input.spec.module);
    if (content !== rendered) fixes.push('import-path');
    this.write(content);
    let imports = await runGoimports(session, this.input.outputDir, this.path);
    const unbraced = imports.ok ? null : fixCommaIf(content);
    if (unbraced !== null) {
      // The file does not parse: an `if cond, stmt` code can brace is tried before the model is asked again.
      this.write(unbraced);
      imports = await runGoimports(session, this.input.outputDir, this.path);
      if (imports.ok) fixes.push('comma-if');
    }
    if (!imports.ok) return { errors: imports.output.trim().split('\n').slice(0, 8), score: 10 * COMPILE_ERROR_SCORE, bodies, fixes };
    if (this.read() !== content) fixes.push('goimports');
    const pkg = path.dirname(this.path);
    let errors = await checkPackage(session, pkg);
    // Fixers the toolchain's errors point to: each kept only when it lowers the error count.
    const fixers: [string, (src: string, errs: GoError[]) => string | null][] = [
      ['unused-variable', fixUnusedVariables],
      ['qualified-name', (src, errs) => qualifyNames(src, errs, this.dependencyNames)],
    ];
    for (const [name, fix] of fixers) {
      if (errors.length === 0) break;
      const before = this.read();
      const fixed = fix(
        before,
        parseGoErrors(errors.join('\n')).filter((e) => e.file === this.path),
      );
      if (fixed === null) continue;
      this.write(fixed);
      await runGoimports(session, this.input.outputDir, this.path);
      const after = await checkPackage(session, pkg);
      if (after.length < errors.length) {
        fixes.push(name);
        errors = after;
      } else this.write(before); // it did not help: back to what was checked
    }
    const onDisk = { ...bodies, ...bodiesInFile(this.read(), this.contract) };
    if (errors.length > 0 || !probe) return { errors, score: COMPILE_ERROR_SCORE * errors.length, bodies: onDisk, fixes };
    const failed = await runProbe(session, this.input.outputDir, this.input.spec, this.input.phase, probe);
    return { errors: failed.map((f) => `check failed: ${f}`), score: failed.length, bodies: onDisk, fixes };
  }
}

/**
 * Runs `body` with a toolchain session of its own (one activity's), heartbeating `label` while
 * the toolchain works, so only a worker that is gone trips the heartbeat timeout (none without
 * a label: composeFile's model calls heartbeat their own progress).
 */
export async function withToolchain<T>(outputDir: string, label: string | undefined, body: (session: ToolchainSession) => Promise<T>): Promise<T> {
  const ctx = activityContext();
  const alive = ctx && label ? setInterval(() => reportProgress({ label, tokens: 0, bytes: 0 }, ctx), heartbeatIntervalMs(ctx)) : undefined;
  const session = await openToolchainSession(outputDir);
  try {
    return await body(session);
  } finally {
    clearInterval(alive);
    await session.close();
  }
}

/** The bodies already in the file (a repair's) and the functions to (re)write: all of them, or on a repair those the errors point into (all when none does). */
export async function startCodeFile(input: CodeFileInput): Promise<CodeFileStart> {
  const file = new CodeFile(input, null);
  const { repair } = input;
  let bodies: Record<string, string> = {};
  if (repair) {
    try {
      bodies = bodiesInFile(file.read(), file.contract);
    } catch {
      bodies = {};
    }
  }
  if (!repair) return { bodies, holes: file.contract.holes.map((h) => h.name) };
  const text = renderFile(file.contract, bodies).split('\n');
  const errorLines = parseGoErrors(repair.errors)
    .filter((e) => e.file.endsWith(file.path))
    .map((e) => e.line);
  const named = file.contract.holes.filter((h) => {
    if (bodies[h.name] === undefined) return true; // left as a stub: nothing compiled the first time
    const start = text.findIndex((l) => l.startsWith(h.signature));
    const end = start + 2 + (bodies[h.name] ?? '').split('\n').length;
    return errorLines.some((l) => l > start && l <= end + 1);
  });
  return { bodies, holes: (named.length ? named : file.contract.holes).map((h) => h.name) };
}

/** One candidate for a function, checked: a body as it is (one already there, or found in another answer) or the model's answer. */
export async function checkFunctionIn(session: ToolchainSession, input: CheckFunctionInput): Promise<CheckedFunction> {
  const file = new CodeFile(input, session);
  const hole = file.hole(input.hole);
  const fenced = (body: string) => `\`\`\`go\n${hole.signature} {\n${body}\n}\n\`\`\``;
  const judged = (c: Awaited<ReturnType<CodeFile['check']>>, shown: string, harvested: [string, string][] = []) => ({
    ...c,
    shown,
    errorsForFix: errorsForPrompt(c.errors, file.read(), file.path),
    harvested,
  });
  const { candidate, bodies } = input;
  if ('body' in candidate) return judged(await file.check({ ...bodies, [hole.name]: candidate.body }, hole.name), fenced(candidate.body));
  const content = candidate.answer;
  const harvested = [...otherBodiesIn(content, file.contract.holes, hole.name)];
  let checked: Awaited<ReturnType<CodeFile['check']>>;
  try {
    const { body, renamed } = bodyFromAnswer(content, hole);
    checked = await file.check({ ...bodies, [hole.name]: body }, hole.name);
    if (renamed) checked.fixes.unshift('renamed-parameters');
  } catch (err) {
    if (!(err instanceof NoFunctionError)) throw err;
    checked = { errors: [err.message], score: 100 * COMPILE_ERROR_SCORE, bodies, fixes: [] };
  }
  // What a fix request shows the model of its answer: the function alone, not a whole file it wrote around it.
  const shown =
    checked.bodies[hole.name] !== undefined && checked.score < 100 * COMPILE_ERROR_SCORE ? fenced(checked.bodies[hole.name]!) : content.slice(0, 1500);
  return judged(checked, shown, harvested);
}

export const checkFunction = (input: CheckFunctionInput) =>
  withToolchain(input.outputDir, `${input.phase} ${input.hole}: go build, vet`, (session) => checkFunctionIn(session, input));

/** The file as the loop left it: checked once more, written, with who wrote what. */
export async function finishCodeFileIn(session: ToolchainSession, input: FinishCodeFileInput): Promise<{ file: FileRef }> {
  const file = new CodeFile(input, session);
  const { outcome } = input;
  const final = await file.check(outcome.bodies);
  const content = file.read();
  const modelLines = file.contract.holes.reduce((n, h) => n + countLines(final.bodies[h.name] ?? ''), 0);
  const provenance = provenanceOf(content, modelLines, outcome, final.fixes, final.errors.length + outcome.left.length);
  const { written: _w, ...ref } = file.write(content);
  return { file: { ...ref, provenance } };
}

/** Who wrote what in a file the guided loop composed: the model's lines, code's, the candidates and fixers. */
export function provenanceOf(content: string, modelLines: number, outcome: CodeFileOutcome, finalFixes: string[], errorsLeft: number): FileProvenance {
  return {
    strategy: 'guided',
    modelLines,
    contractLines: Math.max(0, countLines(content) - modelLines),
    candidates: outcome.candidates,
    fixes: [...new Set([...outcome.fixes, ...finalFixes])],
    errorsSeen: outcome.errorsSeen,
    errorsLeft,
  };
}

export const finishCodeFile = (input: FinishCodeFileInput) =>
  withToolchain(input.outputDir, `${input.phase}: go build, vet`, (session) => finishCodeFileIn(session, input));
