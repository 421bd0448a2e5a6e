// The tests file of the guided strategy as data and as Go: the cases the model proposes (held
// to a JSON schema by Ollama's `format`), the table-driven httptest file code renders around
// them, and what `go test -json` says of each case.
import type { ApiSpec } from '../../core/types.js';
import type { TestCase } from '../../core/guided-tests.js';
import { namesOf } from './contract.js';

export type { TestCase };

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

/** The cases of a tests file this module rendered (its table rows), for a repair to start from. */
export function casesInFile(src: string): TestCase[] {
  const row = /^\t\{("(?:[^"\\]|\\.)*"), ("(?:GET|POST|PUT|DELETE)"), ("(?:[^"\\]|\\.)*"), ("(?:[^"\\]|\\.)*"), (\d{3})\},$/gm;
  return [...src.matchAll(row)].map((m) => ({
    name: JSON.parse(m[1]),
    method: JSON.parse(m[2]),
    path: JSON.parse(m[3]),
    body: JSON.parse(m[4]),
    status: Number(m[5]),
  }));
}
