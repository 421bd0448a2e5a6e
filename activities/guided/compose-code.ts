// One code file of the guided strategy: code writes the contract, the model writes each function
// body, and each body is checked where it is written: the file goes through the deterministic
// fixers, then its package is built and vetted. A body that fails gets one fix request and
// another sample; the candidate with the fewest errors is kept, so a later try never makes it worse.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { FileProvenance, GenerateFileInput, GenerateFileResult, LlmUsage } from '../../workflows/types.js';
import { allowedPaths } from '../../workflows/layout.js';
import { reportProgress } from '../activity-context.js';
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
import { addUsage, chatOnce, NO_USAGE } from '../llm/chat.js';
import type { Message } from '../llm/ollama.js';
import { llmForPhase } from '../llm/phase-options.js';
import { loadPrompt, renderPrompt } from '../llm/prompts.js';
import { contractFor, type ContractPhase, type FileContract, type FunctionHole } from './contract.js';
import { errorsForPrompt, functionPrompt } from './function-prompt.js';
import { runProbe } from './probes.js';
import { answerStart, bodiesInFile, bodyFromAnswer, continuedAnswer, countLines, NoFunctionError, otherBodiesIn, renderFile } from './go-source.js';

/** Answers tried per function at most: a sample, a fix of the best so far, another sample, …
 *  A candidate is judged by the compiler, then by its probe (probes.ts). */
export const MAX_CANDIDATES = 6;
const SCHEDULE = ['sample', 'fix', 'sample', 'fix', 'sample', 'fix'] as const;
/** A compile error weighs more than any number of failed probe checks. */
const COMPILE_ERROR_SCORE = 100;
/** Tokens one function's answer may have (num_predict). */
const FUNCTION_MAX_TOKENS = 1024;
/** Generation ends at the function's closing brace: gofmt puts it alone at the start of a line. */
const FUNCTION_END = ['\n}\n'];
/** Errors kept per file in the provenance, for the failure taxonomy. */
const ERRORS_SEEN_CAP = 20;

interface Checked {
  /** Toolchain errors, or when it compiles, the probe's failed checks. */
  errors: string[];
  /** Lower is better: a compile error weighs more than any number of failed checks. */
  score: number;
  /** The bodies as they are on disk after the fixers (goimports formats, unused variables become _). */
  bodies: Record<string, string>;
}

class CodeComposer {
  usage: LlmUsage = NO_USAGE;
  candidates = 0;
  /** Bodies for functions not yet asked for, found in answers for others (tried before asking). */
  private harvest = new Map<string, string[]>();
  fixes = new Set<string>();
  errorsSeen: string[] = [];
  private readonly contract: FileContract;
  private readonly allowed: Set<string>;
  /** Exported names of the packages this file uses, for the qualified-name fixer. */
  private readonly dependencyNames = new Map<string, string>();

  constructor(
    private readonly input: GenerateFileInput,
    private readonly session: ToolchainSession,
    private readonly phase: ContractPhase,
  ) {
    this.contract = contractFor(input.spec, phase);
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

  /** The file as it is on disk; empty before its first check wrote it. */
  private read(): string {
    const file = path.join(this.input.outputDir, this.path);
    return existsSync(file) ? readFileSync(file, 'utf8') : '';
  }

  private write(content: string) {
    return writeFileAtomic(this.input.outputDir, this.path, content, this.allowed);
  }

  /** Renders the bodies, runs the fixers, builds and vets the package; when it compiles, runs `probe`'s checks. */
  async check(bodies: Record<string, string>, probe?: string): Promise<Checked> {
    reportProgress({ label: `${this.path}: go build, vet`, tokens: 0, bytes: 0 });
    const rendered = renderFile(this.contract, bodies);
    const content = fixImportPaths(rendered, this.input.spec.module);
    if (content !== rendered) this.fixes.add('import-path');
    this.write(content);
    let imports = await runGoimports(this.session, this.input.outputDir, this.path);
    const unbraced = imports.ok ? null : fixCommaIf(content);
    if (unbraced !== null) {
      // The file does not parse: an `if cond, stmt` code can brace is tried before the model is asked again.
      this.write(unbraced);
      imports = await runGoimports(this.session, this.input.outputDir, this.path);
      if (imports.ok) this.fixes.add('comma-if');
    }
    if (!imports.ok) return { errors: imports.output.trim().split('\n').slice(0, 8), score: 10 * COMPILE_ERROR_SCORE, bodies };
    if (this.read() !== content) this.fixes.add('goimports');
    const pkg = path.dirname(this.path);
    let errors = await checkPackage(this.session, pkg);
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
      await runGoimports(this.session, this.input.outputDir, this.path);
      const after = await checkPackage(this.session, pkg);
      if (after.length < errors.length) {
        this.fixes.add(name);
        errors = after;
      } else this.write(before); // it did not help: back to what was checked
    }
    const onDisk = { ...bodies, ...bodiesInFile(this.read(), this.contract) };
    if (errors.length > 0 || !probe) return { errors, score: COMPILE_ERROR_SCORE * errors.length, bodies: onDisk };
    const failed = await runProbe(this.session, this.input.outputDir, this.input.spec, this.phase, probe);
    return { errors: failed.map((f) => `check failed: ${f}`), score: failed.length, bodies: onDisk };
  }

  private seen(errors: string[]) {
    for (const e of errors) if (this.errorsSeen.length < ERRORS_SEEN_CAP && !this.errorsSeen.includes(e)) this.errorsSeen.push(e);
  }

  /** Writes one function: up to MAX_CANDIDATES answers, the one with the fewest errors kept. */
  async writeFunction(hole: FunctionHole, bodies: Record<string, string>, previous?: string): Promise<{ bodies: Record<string, string>; left: string[] }> {
    const { input } = this;
    const base: Message[] = [
      { role: 'system', content: loadPrompt('system') },
      {
        role: 'user',
        content:
          functionPrompt(input.spec, this.contract, this.path, this.phase, hole) +
          (input.repair ? `\nThe last validation of the module said:\n${input.repair.errors.slice(0, 1500)}\n` : ''),
      },
    ];
    const phaseLlm = llmForPhase(input.llm, input.repair ? 'repair' : input.phase);
    // One function never needs more; a small model that starts rewriting the whole file is cut short.
    const numPredict = Math.min(phaseLlm.options.num_predict || FUNCTION_MAX_TOKENS, FUNCTION_MAX_TOKENS);
    const llm = { ...phaseLlm, options: { ...phaseLlm.options, num_predict: numPredict } };
    // A repair round is a new sample: the same seed would replay the cached failing answer.
    const seed = (llm.options.seed ?? 0) + (input.repair?.round ?? 0) * 7919;
    let best: { answer: string; checked: Checked; fileText: string } | null = null;
    // In a repair the body already there is the one to beat: a round never makes a function worse.
    const incumbents = previous === undefined ? [] : [previous];
    for (const body of [...incumbents, ...(this.harvest.get(hole.name) ?? [])]) {
      const checked = await this.check({ ...bodies, [hole.name]: body }, hole.name);
      if (body !== previous) this.candidates++;
      this.seen(checked.errors);
      if (!best || checked.score < best.checked.score) best = { answer: `\`\`\`go\n${hole.signature} {\n${body}\n}\n\`\`\``, checked, fileText: this.read() };
    }
    for (let i = 0; i < MAX_CANDIDATES && best?.checked.score !== 0; i++) {
      const kind = best ? SCHEDULE[i] : 'sample';
      const messages: Message[] =
        kind === 'fix' && best
          ? [
              ...base,
              { role: 'assistant', content: best.answer },
              {
                role: 'user',
                content: renderPrompt(loadPrompt('function-fix'), {
                  errors: errorsForPrompt(best.checked.errors, best.fileText, this.path),
                  signature: hole.signature,
                }),
              },
            ]
          : base;
      // Another sample is another seed and a warmer temperature; the first is the run's own options.
      // At the run's own temperature a small model answers a fix request with the same function:
      // fixes run warmer, and other samples warmer still, each with its own seed.
      const warmer = Math.max(kind === 'fix' ? 0.5 : 0.8, llm.options.temperature ?? 0);
      const options = i === 0 ? { ...llm.options, seed } : { ...llm.options, seed: seed + 1000 * i, temperature: warmer };
      // The answer is started for the model (a final assistant message it continues): it
      // writes this function's body, not a whole file, a `main` or another API's function.
      const start = answerStart(hole);
      const answer = await chatOnce({
        dbPath: input.dbPath,
        llm: { ...llm, options },
        messages: [...messages, { role: 'assistant', content: start }],
        stop: FUNCTION_END,
        label: `${this.path} ${hole.name}`,
      });
      this.usage = addUsage(this.usage, answer.usage);
      this.candidates++;
      const content = continuedAnswer(start, answer.content);
      for (const [name, body] of otherBodiesIn(content, this.contract.holes, hole.name)) {
        const known = this.harvest.get(name) ?? [];
        if (!known.includes(body) && known.length < 3) this.harvest.set(name, [...known, body]);
      }
      let checked: Checked;
      try {
        const { body, renamed } = bodyFromAnswer(content, hole);
        if (renamed) this.fixes.add('renamed-parameters');
        checked = await this.check({ ...bodies, [hole.name]: body }, hole.name);
      } catch (err) {
        if (!(err instanceof NoFunctionError)) throw err;
        checked = { errors: [err.message], score: 100 * COMPILE_ERROR_SCORE, bodies };
      }
      this.seen(checked.errors);
      // What a fix request shows the model of its answer: the function alone, not a whole file it wrote around it.
      const shown =
        checked.bodies[hole.name] !== undefined && checked.score < 100 * COMPILE_ERROR_SCORE
          ? `\`\`\`go\n${hole.signature} {\n${checked.bodies[hole.name]}\n}\n\`\`\``
          : content.slice(0, 1500);
      if (!best || checked.score < best.checked.score) best = { answer: shown, checked, fileText: this.read() };
    }
    // Code that does not compile never enters the project: the function keeps its stub (which
    // compiles and panics), so the functions and files after it can still be built and probed,
    // and a repair round knows which function to write again. A body that compiles but fails a
    // check is kept: the best there is, and the validation's tests and smoke run judge it again.
    const { checked } = best!;
    if (checked.score >= COMPILE_ERROR_SCORE) {
      const { [hole.name]: _failed, ...others } = checked.bodies;
      return { bodies: others, left: [`${hole.name}: not written (no candidate compiled): ${checked.errors[0] ?? ''}`] };
    }
    return { bodies: checked.bodies, left: checked.errors };
  }

  /** The functions to (re)write: all of them, or on a repair those the errors point into (all when none does). */
  holesToWrite(bodies: Record<string, string>): FunctionHole[] {
    const { repair } = this.input;
    if (!repair) return this.contract.holes;
    const text = renderFile(this.contract, bodies).split('\n');
    const errorLines = parseGoErrors(repair.errors)
      .filter((e) => e.file.endsWith(this.path))
      .map((e) => e.line);
    const named = this.contract.holes.filter((h) => {
      if (bodies[h.name] === undefined) return true; // left as a stub: nothing compiled the first time
      const start = text.findIndex((l) => l.startsWith(h.signature));
      const end = start + 2 + (bodies[h.name] ?? '').split('\n').length;
      return errorLines.some((l) => l > start && l <= end + 1);
    });
    return named.length ? named : this.contract.holes;
  }

  async compose(): Promise<GenerateFileResult> {
    let bodies: Record<string, string> = {};
    if (this.input.repair) {
      try {
        bodies = bodiesInFile(this.read(), this.contract);
      } catch {
        bodies = {};
      }
    }
    const left: string[] = [];
    for (const hole of this.holesToWrite(bodies)) {
      const { [hole.name]: old, ...others } = bodies;
      const written = await this.writeFunction(hole, others, old);
      bodies = written.bodies;
      left.push(...written.left);
    }
    const final = await this.check(bodies);
    const content = this.read();
    const modelLines = this.contract.holes.reduce((n, h) => n + countLines(final.bodies[h.name] ?? ''), 0);
    const provenance: FileProvenance = {
      strategy: 'guided',
      modelLines,
      contractLines: Math.max(0, countLines(content) - modelLines),
      candidates: this.candidates,
      fixes: [...this.fixes],
      errorsSeen: this.errorsSeen,
      errorsLeft: final.errors.length + left.length,
    };
    const { written: _w, ...file } = this.write(content);
    return { file: { ...file, provenance }, usage: this.usage };
  }
}

/** Composes one code file (models, repository, handlers or server). */
export async function composeCode(input: GenerateFileInput, phase: ContractPhase): Promise<GenerateFileResult> {
  const session = await openToolchainSession(input.outputDir);
  try {
    return await new CodeComposer(input, session, phase).compose();
  } finally {
    await session.close();
  }
}
