// The tests file of the guided strategy, the workspace's side: code renders the model's cases
// into a table-driven httptest file, and only the cases that pass against the code are kept (a
// failing case is a wrong guess or a handler bug; the smoke run judges the handlers
// independently); the cover profile says which lines no case ran yet. The loop is
// core/guided-tests.ts; the model's side is propose-cases.ts.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ApiSpec, FileProvenance, FileRef, GitMode, RepairRequest } from '../../core/types.js';
import { allowedPaths, filePathFor } from '../../core/layout.js';
import type { TestCase } from '../../core/guided-tests.js';
import { reportProgress } from '../activity-context.js';
import { totalCoverage } from '../go/coverage.js';
import type { ToolchainSession } from '../go/toolchain-session.js';
import { readGeneratedFile, writeFileAtomic } from '../files/write-file.js';
import { uncoveredCode, uncoveredFunctions } from './coverage-hints.js';
import { withToolchain } from './compose-code.js';
import { countLines } from './go-source.js';
import { casesInFile, failedCases, renderTests } from './tests-file.js';

export { endpointAsk, MAX_CASE_ROUNDS } from '../../core/guided-tests.js';

export interface TestsFileInput {
  outputDir: string;
  spec: ApiSpec;
}

export interface FinishTestsFileInput extends TestsFileInput {
  workflowId: string;
  phase: 'tests';
  /** The model's name, for the commit message. */
  model: string;
  repair?: RepairRequest;
  git?: GitMode;
  cases: TestCase[];
  candidates: number;
  errorsSeen: string[];
}

const testsPath = (spec: ApiSpec) => filePathFor('tests', spec.resource);

const write = ({ outputDir, spec }: TestsFileInput, cases: TestCase[]) =>
  writeFileAtomic(outputDir, testsPath(spec), renderTests(spec, cases), allowedPaths(spec));

/** The cases already in the file (a repair adds to them), else none. */
export async function startTestsFile(input: TestsFileInput & { repair?: RepairRequest }): Promise<TestCase[]> {
  return input.repair ? casesInFile(readGeneratedFile(input.outputDir, testsPath(input.spec)) ?? '') : [];
}

/** Writes the cases, runs them, keeps those that pass. */
export async function keepPassingCasesIn(
  session: ToolchainSession,
  input: TestsFileInput & { cases: TestCase[] },
): Promise<{ kept: TestCase[]; errorsSeen: string[] }> {
  const { cases } = input;
  const file = testsPath(input.spec);
  write(input, cases);
  reportProgress({ label: `${file}: go test`, tokens: 0, bytes: 0 });
  const r = await session.go(['test', '-count=1', '-json', '-timeout=120s', '-run', '^TestAPI$', `./${path.dirname(file)}`], 180_000);
  if (r.exitCode === 0) return { kept: cases, errorsSeen: [] };
  const failed = failedCases(r.output);
  // Not the cases' fault (the code does not build): validation will say so.
  if (failed.length === 0) return { kept: cases, errorsSeen: [`go test failed: ${r.output.split('\n').slice(-3).join(' ').slice(0, 300)}`] };
  const errorsSeen = failed.slice(0, 10).map((f) => `--- FAIL dropped case: ${f.message.slice(0, 200)}`);
  const drop = new Set(failed.map((f) => f.index));
  const kept = cases.filter((_, i) => !drop.has(i));
  write(input, kept);
  return { kept, errorsSeen };
}

export const keepPassingCases = (input: TestsFileInput & { cases: TestCase[] }) =>
  withToolchain(input.outputDir, 'tests: go test', (s) => keepPassingCasesIn(s, input));

/** The coverage of the cases so far, and what they leave unrun: lines of code, else functions. */
export async function testsCoverageIn(session: ToolchainSession, input: TestsFileInput): Promise<{ percent: number | null; short: string[] }> {
  reportProgress({ label: `${testsPath(input.spec)}: go test -cover`, tokens: 0, bytes: 0 });
  const profile = path.join(session.tmp, 'cover.out');
  await session.go(['test', '-count=1', '-timeout=120s', '-coverpkg=./...', `-coverprofile=${profile}`, './...'], 180_000);
  const func = await session.go(['tool', 'cover', `-func=${profile}`], 60_000);
  const lines = existsSync(profile) ? uncoveredCode(readFileSync(profile, 'utf8'), input.spec.module, (f) => readGeneratedFile(input.outputDir, f)) : [];
  return { percent: totalCoverage(func.output), short: lines.length ? lines : uncoveredFunctions(func.output) };
}

export const testsCoverage = (input: TestsFileInput) => withToolchain(input.outputDir, 'tests: go test -cover', (s) => testsCoverageIn(s, input));

/** The tests file with the cases kept, and who wrote what. */
export async function finishTestsFile(input: FinishTestsFileInput): Promise<{ file: FileRef }> {
  const { cases } = input;
  const content = renderTests(input.spec, cases);
  const modelLines = cases.length;
  const provenance: FileProvenance = {
    strategy: 'guided',
    modelLines,
    contractLines: countLines(content) - modelLines,
    candidates: input.candidates,
    fixes: [],
    errorsSeen: input.errorsSeen,
    errorsLeft: cases.length === 0 ? 1 : 0,
  };
  const { written: _w, ...file } = write(input, cases);
  return { file: { ...file, provenance } };
}
