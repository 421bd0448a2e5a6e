// The tests file of the guided strategy: the model proposes test cases as data (Ollama's
// `format` holds it to a JSON schema), code renders them into a table-driven httptest file,
// and only the cases that pass against the code are kept (a failing case is a wrong guess or
// a handler bug; the smoke run judges the handlers independently). The model is asked endpoint by
// endpoint, then, while coverage is under the goal, for the lines of code no case ran yet.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ApiSpec, EndpointSpec, FileProvenance, GenerateFileInput, GenerateFileResult } from '../../workflows/types.js';
import { allowedPaths, filePathFor } from '../../workflows/layout.js';
import { reportProgress } from '../activity-context.js';
import { totalCoverage } from '../go/coverage.js';
import { openToolchainSession, type ToolchainSession } from '../go/toolchain-session.js';
import { readGeneratedFile, writeFileAtomic } from '../files/write-file.js';
import { addUsage, chatOnce, NO_USAGE } from '../llm/chat.js';
import { llmForPhase } from '../llm/phase-options.js';
import { loadPrompt, renderPrompt, specVars } from '../llm/prompts.js';
import { uncoveredCode, uncoveredFunctions } from './coverage-hints.js';
import { countLines } from './go-source.js';
import { casesInFile, failedCases, parseCases, renderTests, sampleBody, TEST_CASES_SCHEMA, type TestCase } from './tests-file.js';

/** Rounds of cases at most: one request per endpoint, then requests for the lines still unrun. */
export const MAX_CASE_ROUNDS = 3;

const key = (c: TestCase) => `${c.method} ${c.path} ${c.body} ${c.status}`;

/** What to ask of one endpoint: a case for its success and for each way a request to it can fail. */
export function endpointAsk(spec: ApiSpec, e: EndpointSpec): string {
  const at = (id: string) => e.path.replace('{id}', id);
  const hasBody = e.method === 'POST' || e.method === 'PUT';
  const required = spec.fields.find((f) => f.required);
  const requests = [
    `${e.method} ${at('1')}${hasBody ? ' with a good body' : ''}`,
    ...(e.path.includes('{id}') ? [`${e.method} ${at('999')}: no ${spec.resource} has that id`, `${e.method} ${at('abc')}: the id is not a number`] : []),
    ...(hasBody ? [`${e.method} ${at('1')} with a body that is not JSON`] : []),
    ...(hasBody && required ? [`${e.method} ${at('1')} with a body without "${required.json}"`] : []),
  ];
  return `Propose test cases for ${e.method} ${e.path}, one for each of these requests:\n${requests.map((r) => `- ${r}`).join('\n')}`;
}

class TestComposer {
  usage = NO_USAGE;
  candidates = 0;
  errorsSeen: string[] = [];
  readonly path: string;

  constructor(
    private readonly input: GenerateFileInput,
    private readonly session: ToolchainSession,
  ) {
    this.path = filePathFor('tests', input.spec.resource);
  }

  private write(cases: TestCase[]) {
    return writeFileAtomic(this.input.outputDir, this.path, renderTests(this.input.spec, cases), allowedPaths(this.input.spec));
  }

  /** One request for cases: `ask` says which, `note` adds what the last validation said. */
  async askForCases(ask: string, note: string): Promise<TestCase[]> {
    const { spec, llm } = this.input;
    const prompt = renderPrompt(loadPrompt('test-cases'), { ...specVars(spec), path: this.path, sample: sampleBody(spec), ask, more: note });
    const answer = await chatOnce({
      dbPath: this.input.dbPath,
      llm: llmForPhase(llm, this.input.repair ? 'repair' : 'tests'),
      messages: [{ role: 'user', content: prompt }],
      format: TEST_CASES_SCHEMA as unknown as Record<string, unknown>,
      label: `${this.path} cases`,
    });
    this.usage = addUsage(this.usage, answer.usage);
    this.candidates++;
    return parseCases(answer.content);
  }

  /** Writes the cases, runs them, keeps those that pass. */
  async keepPassing(cases: TestCase[]): Promise<TestCase[]> {
    this.write(cases);
    reportProgress({ label: `${this.path}: go test`, tokens: 0, bytes: 0 });
    const r = await this.session.go(['test', '-count=1', '-json', '-timeout=120s', '-run', '^TestAPI$', `./${path.dirname(this.path)}`], 180_000);
    if (r.exitCode === 0) return cases;
    const failed = failedCases(r.output);
    if (failed.length === 0) {
      this.errorsSeen.push(`go test failed: ${r.output.split('\n').slice(-3).join(' ').slice(0, 300)}`);
      return cases; // not the cases' fault (the code does not build): validation will say so
    }
    for (const f of failed.slice(0, 10)) this.errorsSeen.push(`--- FAIL dropped case: ${f.message.slice(0, 200)}`);
    const drop = new Set(failed.map((f) => f.index));
    const kept = cases.filter((_, i) => !drop.has(i));
    this.write(kept);
    return kept;
  }

  /** The coverage of the cases so far, and what they leave unrun: lines of code, else functions. */
  async coverage(): Promise<{ percent: number | null; short: string[] }> {
    const profile = path.join(this.session.tmp, 'cover.out');
    await this.session.go(['test', '-count=1', '-timeout=120s', '-coverpkg=./...', `-coverprofile=${profile}`, './...'], 180_000);
    const func = await this.session.go(['tool', 'cover', `-func=${profile}`], 60_000);
    const lines = existsSync(profile)
      ? uncoveredCode(readFileSync(profile, 'utf8'), this.input.spec.module, (f) => readGeneratedFile(this.input.outputDir, f))
      : [];
    return { percent: totalCoverage(func.output), short: lines.length ? lines : uncoveredFunctions(func.output) };
  }

  async compose(): Promise<GenerateFileResult> {
    const { spec, repair } = this.input;
    // A repair adds to the cases already there: a round never leaves fewer passing ones.
    let cases: TestCase[] = repair ? casesInFile(readGeneratedFile(this.input.outputDir, this.path) ?? '') : [];
    const note = repair ? `\nThe last validation of the module said:\n${repair.errors.slice(0, 1500)}\n` : '';
    const fresh = (proposed: TestCase[]) =>
      proposed.filter((c, i) => !cases.some((k) => key(k) === key(c)) && proposed.findIndex((o) => key(o) === key(c)) === i);
    // First one endpoint at a time: asked for the whole API at once, the 0.5B model proposed the
    // same five successes round after round.
    const proposed: TestCase[] = [];
    for (const e of spec.endpoints) proposed.push(...(await this.askForCases(endpointAsk(spec, e), note)));
    cases = await this.keepPassing([...cases, ...fresh(proposed)]);
    for (let round = 1; round < MAX_CASE_ROUNDS; round++) {
      const cover = await this.coverage();
      if (cover.percent !== null && cover.percent >= this.input.coverageGoal + 5) break;
      const ask =
        `The cases so far cover ${cover.percent ?? 0} % of the code. No case reaches these lines of it yet:\n${cover.short
          .slice(0, 12)
          .map((l) => `- ${l}`)
          .join('\n')}\n` + `Propose cases whose requests reach those lines, different from these: ${cases.map(key).join('; ')}`;
      cases = await this.keepPassing([...cases, ...fresh(await this.askForCases(ask, note))]);
    }
    const content = renderTests(this.input.spec, cases);
    const modelLines = cases.length;
    const provenance: FileProvenance = {
      strategy: 'guided',
      modelLines,
      contractLines: countLines(content) - modelLines,
      candidates: this.candidates,
      fixes: [],
      errorsSeen: this.errorsSeen.slice(0, 20),
      errorsLeft: cases.length === 0 ? 1 : 0,
    };
    const { written: _w, ...file } = this.write(cases);
    return { file: { ...file, provenance }, usage: this.usage };
  }
}

/** Composes the tests file from the model's cases. */
export async function composeTests(input: GenerateFileInput): Promise<GenerateFileResult> {
  const session = await openToolchainSession(input.outputDir);
  try {
    return await new TestComposer(input, session).compose();
  } finally {
    await session.close();
  }
}
