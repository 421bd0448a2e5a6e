// The tests file of the guided strategy: the model proposes test cases as data (Ollama's
// `format` holds it to a JSON schema), code renders them into a table-driven httptest file,
// and only the cases that pass against the code are kept (a failing case is a wrong guess or
// a handler bug; the smoke run judges the handlers independently). While coverage is under the
// goal, the functions the cover profile shows short go back to the model for more cases.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ApiSpec, FileProvenance, GenerateFileInput, GenerateFileResult } from '../../workflows/types.js';
import { allowedPaths, filePathFor } from '../../workflows/layout.js';
import { activityContext } from '../activity-context.js';
import { totalCoverage } from '../go/coverage.js';
import { openToolchainSession, type ToolchainSession } from '../go/toolchain-session.js';
import { readGeneratedFile, writeFileAtomic } from '../files/write-file.js';
import { addUsage, chatOnce, NO_USAGE } from '../llm/chat.js';
import { llmForPhase } from '../llm/phase-options.js';
import { loadPrompt, renderPrompt, specVars } from '../llm/prompts.js';
import { namesOf } from './contract.js';
import { uncoveredCode } from './coverage-hints.js';
import { countLines } from './go-source.js';

export interface TestCase {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  body: string;
  status: number;
}

const METHODS = ['GET', 'POST', 'PUT', 'DELETE'];
const STATUSES = [200, 201, 204, 400, 404, 405];

/** What the model answers: a bounded list, so a looping small model cannot fill its context. */
export const TEST_CASES_SCHEMA = {
  type: 'object',
  properties: {
    cases: {
      type: 'array',
      minItems: 1,
      maxItems: 24,
      items: {
        type: 'object',
        properties: {
          name: { type: 'string', maxLength: 60 },
          method: { enum: METHODS },
          path: { type: 'string', maxLength: 80 },
          body: { type: 'string', maxLength: 300 },
          status: { enum: STATUSES },
        },
        required: ['name', 'method', 'path', 'body', 'status'],
      },
    },
  },
  required: ['cases'],
} as const;

/** Rounds of cases asked for at most: the first, then more for what is still uncovered. */
export const MAX_CASE_ROUNDS = 3;

/** The cases of an answer that are well-formed; the rest are dropped (hostile input). */
export function parseCases(answer: string): TestCase[] {
  let data: unknown;
  try {
    data = JSON.parse(answer);
  } catch {
    return [];
  }
  const list = Array.isArray(data) ? data : (data as { cases?: unknown })?.cases;
  if (!Array.isArray(list)) return [];
  return list.flatMap((c: Record<string, unknown>) => {
    if (typeof c !== 'object' || c === null) return [];
    const method = String(c.method ?? '').toUpperCase();
    const p = String(c.path ?? '');
    const status = Number(c.status);
    const body = typeof c.body === 'string' ? c.body : c.body == null ? '' : JSON.stringify(c.body);
    if (!METHODS.includes(method) || !/^\/[\x21-\x7e]{0,79}$/.test(p) || !STATUSES.includes(status) || body.length > 300) return [];
    return [{ name: String(c.name ?? '').slice(0, 60), method: method as TestCase['method'], path: p, body, status }];
  });
}

/** A body every plan accepts: each field set (strings non-blank, numbers non-zero, bools true). */
export function sampleBody(spec: ApiSpec): string {
  const value = (type: string, json: string) => (type === 'string' ? `sample ${json}` : type === 'bool' ? true : type === 'float64' ? 1.5 : 7);
  return JSON.stringify(Object.fromEntries(spec.fields.map((f) => [f.json, value(f.type, f.json)])));
}

/** A Go string literal: JSON's escapes are Go's, once lone surrogates (\ud800 is not Go) are gone. */
const goString = (s: string) => JSON.stringify(s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'));

/** The tests file: code's harness around the model's cases. */
export function renderTests(spec: ApiSpec, cases: TestCase[]): string {
  const n = namesOf(spec);
  const rows = cases.map((c) => `\t{${goString(c.name)}, ${goString(c.method)}, ${goString(c.path)}, ${goString(c.body)}, ${c.status}},`);
  return `package tests

import (
\t"fmt"
\t"io"
\t"net/http"
\t"net/http/httptest"
\t"strings"
\t"testing"

\t"${spec.module}/internal/handlers"
\t"${spec.module}/internal/repository"
)

// The cases: proposed by the model, kept because they pass.
var cases = []struct {
\tname   string
\tmethod string
\tpath   string
\tbody   string
\tstatus int
}{
${rows.join('\n')}
}

// newServer starts the API holding one ${spec.resource}, id 1.
func newServer(t *testing.T) *httptest.Server {
\tt.Helper()
\tsrv := httptest.NewServer(handlers.New${n.handler}(repository.New${n.repo}()).Routes())
\tt.Cleanup(srv.Close)
\tif status := send(t, srv, "POST", "/${spec.plural}", ${goString(sampleBody(spec))}); status != http.StatusCreated {
\t\tt.Fatalf("creating the first ${spec.resource}: status %d, want 201", status)
\t}
\treturn srv
}

// send makes one request and returns its status code.
func send(t *testing.T, srv *httptest.Server, method, path, body string) int {
\tt.Helper()
\treq, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
\tif err != nil {
\t\tt.Fatal(err)
\t}
\treq.Header.Set("Content-Type", "application/json")
\tresp, err := srv.Client().Do(req)
\tif err != nil {
\t\tt.Fatal(err)
\t}
\tdefer resp.Body.Close()
\t_, _ = io.Copy(io.Discard, resp.Body)
\treturn resp.StatusCode
}

func TestAPI(t *testing.T) {
\tfor i, c := range cases {
\t\tt.Run(fmt.Sprintf("case%02d", i), func(t *testing.T) {
\t\t\tif got := send(t, newServer(t), c.method, c.path, c.body); got != c.status {
\t\t\t\tt.Errorf("%s: %s %s answered %d, want %d", c.name, c.method, c.path, got, c.status)
\t\t\t}
\t\t})
\t}
}
`;
}

/** Indexes of the subtests `go test -json` reports failed, and their messages. */
export function failedCases(jsonOutput: string): { index: number; message: string }[] {
  const failed = new Map<number, string>();
  for (const line of jsonOutput.split('\n')) {
    let ev: { Action?: string; Test?: string; Output?: string };
    try {
      ev = JSON.parse(line);
    } catch {
      continue;
    }
    const m = /^TestAPI\/case(\d+)$/.exec(ev.Test ?? '');
    if (!m) continue;
    const i = Number(m[1]);
    if (ev.Action === 'output' && /answered|Fatal|panic|want/.test(ev.Output ?? '')) failed.set(i, (failed.get(i) ?? '') + (ev.Output ?? '').trim());
    if (ev.Action === 'fail' && !failed.has(i)) failed.set(i, 'failed');
    if (ev.Action === 'pass') failed.delete(i);
  }
  return [...failed].map(([index, message]) => ({ index, message }));
}

/** Functions of the module under 100 % in `go tool cover -func` output, as the prompt names them. */
export function uncoveredFunctions(coverFunc: string): string[] {
  return coverFunc
    .split('\n')
    .map((l) => /\/internal\/(\w+)\/[\w.]+:\d+:\s+(\w+)\s+(\d+(?:\.\d+)?)%/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null && Number(m[3]) < 100)
    .map((m) => `${m[1]}.${m[2]} (${m[3]} % covered)`);
}

/** The cases of a tests file this module rendered (its table rows), for a repair to start from. */
export function casesInFile(src: string): TestCase[] {
  const row = /^\t\{("(?:[^"\\]|\\.)*"), ("(?:GET|POST|PUT|DELETE)"), ("(?:[^"\\]|\\.)*"), ("(?:[^"\\]|\\.)*"), (\d{3})\},$/gm;
  return [...src.matchAll(row)].map((m) => ({ name: JSON.parse(m[1]), method: JSON.parse(m[2]), path: JSON.parse(m[3]), body: JSON.parse(m[4]), status: Number(m[5]) }));
}

const key = (c: TestCase) => `${c.method} ${c.path} ${c.body} ${c.status}`;

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

  async askForCases(more: string): Promise<TestCase[]> {
    const { spec, llm } = this.input;
    const prompt = renderPrompt(loadPrompt('test-cases'), { ...specVars(spec), path: this.path, sample: sampleBody(spec), more });
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
    activityContext()?.heartbeat({ label: `${this.path}: go test`, tokens: 0, bytes: 0 });
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
    const lines = existsSync(profile) ? uncoveredCode(readFileSync(profile, 'utf8'), this.input.spec.module, (f) => readGeneratedFile(this.input.outputDir, f)) : [];
    return { percent: totalCoverage(func.output), short: lines.length ? lines : uncoveredFunctions(func.output) };
  }

  async compose(): Promise<GenerateFileResult> {
    // A repair adds to the cases already there: a round never leaves fewer passing ones.
    let cases: TestCase[] = this.input.repair ? casesInFile(readGeneratedFile(this.input.outputDir, this.path) ?? '') : [];
    for (let round = 0; round < MAX_CASE_ROUNDS; round++) {
      const cover = round === 0 ? null : await this.coverage();
      if (cover && cover.percent !== null && cover.percent >= this.input.coverageGoal + 5) break;
      const repair = this.input.repair && round === 0 ? `\nThe last validation of the module said:\n${this.input.repair.errors.slice(0, 1500)}\n` : '';
      const more = cover
        ? `\nThe cases so far cover ${cover.percent ?? 0} % of the code. No case reaches these lines of it yet:\n${cover.short.slice(0, 12).map((l) => `- ${l}`).join('\n')}\nPropose other cases, whose requests reach those lines, different from these: ${cases.map(key).join('; ')}\n`
        : repair;
      const proposed = (await this.askForCases(more)).filter((c) => !cases.some((k) => key(k) === key(c)));
      cases = await this.keepPassing([...cases, ...proposed]);
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
