// Probes: the contract's behaviour as Go tests that code writes from the plan, one per function
// the model writes (Create stores under the next id, Get of a missing id is ErrNotFound, a bad id
// is answered 400…). A candidate body that compiles is run against its probe in a scratch copy
// of the project; the probes are the judge of candidates, never shipped (the shipped tests are
// the model's cases). A compiling body that does nothing right no longer passes for a good one.
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ApiSpec, FieldSpec } from '../../core/types.js';
import { FILE_LAYOUT } from '../../core/layout.js';
import type { ToolchainSession } from '../go/toolchain-session.js';
import { namesOf, type ContractPhase } from './contract.js';
import { sampleBody } from './tests-file.js';

/** A Go literal of the sample value for a field (the values sampleBody sends as JSON). */
function sampleValue(f: FieldSpec): string {
  if (f.type === 'string') return JSON.stringify(`sample ${f.json}`);
  if (f.type === 'bool') return 'true';
  return f.type === 'float64' ? '1.5' : '7';
}

const zeroValue = (f: FieldSpec) => (f.type === 'string' ? '""' : f.type === 'bool' ? 'false' : '0');
const sampleLiteral = (spec: ApiSpec, type: string) => `${type}{${spec.fields.map((f) => `${f.name}: ${sampleValue(f)}`).join(', ')}}`;

function modelsProbe(spec: ApiSpec): string {
  const n = namesOf(spec);
  const required = spec.fields.filter((f) => f.required);
  const checks = required.map(
    (f) =>
      `\t{\n\t\tx := ok\n\t\tx.${f.name} = ${zeroValue(f)}\n\t\tif err := x.Validate(); !errors.Is(err, ${n.errRequired(f)}) {\n\t\t\tt.Errorf("Validate() of a ${spec.resource} without ${f.name} = %v, want ${n.errRequired(f)}", err)\n\t\t}\n\t}`,
  );
  return `package models

import (
\t"errors"
\t"testing"
)

var _ = errors.Is

func TestProbeValidate(t *testing.T) {
\tok := ${sampleLiteral(spec, n.T)}
\tif err := ok.Validate(); err != nil {
\t\tt.Errorf("Validate() of a complete ${spec.resource} = %v, want nil", err)
\t}
${checks.join('\n')}
}
`;
}

function repositoryProbe(spec: ApiSpec): string {
  const n = namesOf(spec);
  const item = sampleLiteral(spec, n.model);
  return `package repository

import (
\t"errors"
\t"testing"

\t"${spec.module}/internal/models"
)

func probeItem() ${n.model} { return ${item} }

func TestProbeCreate(t *testing.T) {
\tr := New${n.repo}()
\ta, b := r.Create(probeItem()), r.Create(probeItem())
\tif a.ID != 1 || b.ID != 2 {
\t\tt.Errorf("x.ID = r.nextID, then r.nextID++: two Creates on a new repository returned ids %d and %d, want 1 and 2", a.ID, b.ID)
\t}
\tif got, ok := r.items[2]; !ok || got.ID != 2 {
\t\tt.Errorf("r.items[x.ID] = x: Create did not store the ${spec.resource} in r.items under its id")
\t}
}

func TestProbeGet(t *testing.T) {
\tr := New${n.repo}()
\tr.items[1] = ${n.model}{ID: 1}
\tif got, err := r.Get(1); err != nil || got.ID != 1 {
\t\tt.Errorf("Get(1) = %+v, %v; want the stored ${spec.resource} and nil", got, err)
\t}
\tif _, err := r.Get(99); !errors.Is(err, ErrNotFound) {
\t\tt.Errorf("Get(99) with no such id: error %v, want ErrNotFound", err)
\t}
}

func TestProbeList(t *testing.T) {
\tr := New${n.repo}()
\tif l := r.List(); l == nil || len(l) != 0 {
\t\tt.Errorf("out := make([]${n.model}, 0, len(r.items)): List() of an empty repository = %#v, want an empty, non-nil slice", l)
\t}
\tfor _, id := range []int{3, 1, 2} {
\t\tr.items[id] = ${n.model}{ID: id}
\t}
\tl := r.List()
\tif len(l) != 3 || l[0].ID != 1 || l[1].ID != 2 || l[2].ID != 3 {
\t\tt.Errorf("append every value of r.items, then sort.Slice by ID: List() = %+v, want the 3 stored ${spec.plural} sorted by id", l)
\t}
}

func TestProbeUpdate(t *testing.T) {
\tr := New${n.repo}()
\tif _, err := r.Update(1, probeItem()); !errors.Is(err, ErrNotFound) {
\t\tt.Errorf("Update(1, …) with no such id: error %v, want ErrNotFound", err)
\t}
\tr.items[1] = ${n.model}{ID: 1}
\twant := probeItem()
\twant.ID = 1
\tif got, err := r.Update(1, probeItem()); err != nil || got != want || r.items[1] != want {
\t\tt.Errorf("Update(1, x) = %+v, %v; want x with ID 1 stored and returned, nil", got, err)
\t}
}

func TestProbeDelete(t *testing.T) {
\tr := New${n.repo}()
\tif err := r.Delete(1); !errors.Is(err, ErrNotFound) {
\t\tt.Errorf("Delete(1) with no such id: error %v, want ErrNotFound", err)
\t}
\tr.items[1] = ${n.model}{ID: 1}
\tif err := r.Delete(1); err != nil {
\t\tt.Errorf("Delete(1) of a stored ${spec.resource} = %v, want nil", err)
\t}
\tif _, ok := r.items[1]; ok {
\t\tt.Errorf("Delete(1) left the ${spec.resource} in r.items")
\t}
}
`;
}

function handlersProbe(spec: ApiSpec): string {
  const n = namesOf(spec);
  const sample = JSON.stringify(sampleBody(spec));
  const required = spec.fields.find((f) => f.required);
  const fields = Object.entries(JSON.parse(sampleBody(spec)) as Record<string, unknown>);
  // A Go string literal of the sample body without the first required field.
  const missing = required ? JSON.stringify(JSON.stringify(Object.fromEntries(fields.filter(([k]) => k !== required.json)))) : null;
  const expect = (what: string, call: string, status: number) =>
    `\tif rec := ${call}; rec.Code != ${status} {\n\t\tt.Errorf("${what}: status %d, want ${status}", rec.Code)\n\t}`;
  return `package handlers

import (
\t"encoding/json"
\t"net/http"
\t"net/http/httptest"
\t"strings"
\t"testing"

\t"${spec.module}/internal/models"
\t"${spec.module}/internal/repository"
)

func probeHandler() (*${n.handler}, *repository.${n.repo}) {
\trepo := repository.New${n.repo}()
\treturn New${n.handler}(repo), repo
}

func probeItem() ${n.model} { return ${sampleLiteral(spec, n.model)} }

func call(h http.HandlerFunc, method, id, body string) *httptest.ResponseRecorder {
\treq := httptest.NewRequest(method, "/${spec.plural}", strings.NewReader(body))
\treq.Header.Set("Content-Type", "application/json")
\tif id != "" {
\t\treq.SetPathValue("id", id)
\t}
\trec := httptest.NewRecorder()
\th(rec, req)
\treturn rec
}

func TestProbeList(t *testing.T) {
\th, repo := probeHandler()
\trepo.Create(probeItem())
\trec := call(h.List, "GET", "", "")
\tvar got []${n.model}
\tif rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &got) != nil || len(got) != 1 {
\t\tt.Errorf("GET /${spec.plural} with one stored: status %d, body %q; want 200 and a JSON array of 1", rec.Code, rec.Body.String())
\t}
}

func TestProbeCreate(t *testing.T) {
\th, _ := probeHandler()
\trec := call(h.Create, "POST", "", ${sample})
\tvar got ${n.model}
\tif rec.Code != 201 || json.Unmarshal(rec.Body.Bytes(), &got) != nil || got.ID != 1 {
\t\tt.Errorf("POST /${spec.plural} with a good body: status %d, body %q; want 201 and the ${spec.resource} with id 1", rec.Code, rec.Body.String())
\t}
${expect(`POST /${spec.plural} with a body that is not JSON`, 'call(h.Create, "POST", "", "{")', 400)}
${missing ? expect(`POST /${spec.plural} without ${required!.json}`, `call(h.Create, "POST", "", ${missing})`, 400) : ''}
}

func TestProbeGet(t *testing.T) {
\th, repo := probeHandler()
\trepo.Create(probeItem())
\trec := call(h.Get, "GET", "1", "")
\tvar got ${n.model}
\tif rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &got) != nil || got.ID != 1 {
\t\tt.Errorf("GET /${spec.plural}/1: status %d, body %q; want 200 and the ${spec.resource} with id 1", rec.Code, rec.Body.String())
\t}
${expect(`GET /${spec.plural}/999`, 'call(h.Get, "GET", "999", "")', 404)}
${expect(`GET /${spec.plural}/abc`, 'call(h.Get, "GET", "abc", "")', 400)}
}

func TestProbeUpdate(t *testing.T) {
\th, repo := probeHandler()
\trepo.Create(probeItem())
\trec := call(h.Update, "PUT", "1", ${sample})
\tvar got ${n.model}
\tif rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &got) != nil || got.ID != 1 {
\t\tt.Errorf("PUT /${spec.plural}/1 with a good body: status %d, body %q; want 200 and the ${spec.resource} with id 1", rec.Code, rec.Body.String())
\t}
${expect(`PUT /${spec.plural}/999`, `call(h.Update, "PUT", "999", ${sample})`, 404)}
${expect(`PUT /${spec.plural}/abc`, `call(h.Update, "PUT", "abc", ${sample})`, 400)}
${expect(`PUT /${spec.plural}/1 with a body that is not JSON`, 'call(h.Update, "PUT", "1", "{")', 400)}
}

func TestProbeDelete(t *testing.T) {
\th, repo := probeHandler()
\trepo.Create(probeItem())
${expect(`DELETE /${spec.plural}/1`, 'call(h.Delete, "DELETE", "1", "")', 204)}
${expect(`DELETE /${spec.plural}/1 again`, 'call(h.Delete, "DELETE", "1", "")', 404)}
${expect(`DELETE /${spec.plural}/abc`, 'call(h.Delete, "DELETE", "abc", "")', 400)}
}
`;
}

/** The probe file for a code phase's package; null for the server (the smoke run judges it). */
export function probeFileFor(spec: ApiSpec, phase: ContractPhase): string | null {
  if (phase === 'models') return modelsProbe(spec);
  if (phase === 'repository') return repositoryProbe(spec);
  if (phase === 'handlers') return handlersProbe(spec);
  return null;
}

/**
 * Runs the probe of one function on a scratch copy of the project; the checks that failed, as
 * the test said them (empty: it behaves as the contract says). A panic or a hang is a failure too.
 */
export async function runProbe(session: ToolchainSession, outputDir: string, spec: ApiSpec, phase: ContractPhase, functionName: string): Promise<string[]> {
  const probe = probeFileFor(spec, phase);
  if (!probe) return [];
  const copy = path.join(session.tmp, 'probe');
  rmSync(copy, { recursive: true, force: true });
  mkdirSync(copy, { recursive: true });
  for (const part of ['go.mod', 'internal', 'cmd'])
    if (existsSync(path.join(outputDir, part))) cpSync(path.join(outputDir, part), path.join(copy, part), { recursive: true });
  const pkg = FILE_LAYOUT[phase].dir;
  writeFileSync(path.join(copy, pkg, 'zz_probe_test.go'), probe);
  const r = await session.go(['test', '-count=1', '-timeout=30s', '-run', `^TestProbe${functionName}$`, `./${pkg}`], 120_000, undefined, 64 * 1024, copy);
  if (r.exitCode === 0) return [];
  const said = r.output
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^zz_probe_test\.go:\d+: /.test(l) || /^panic: /.test(l) || /timed out/.test(l))
    .map((l) => l.replace(/^zz_probe_test\.go:\d+: /, ''));
  return said.length ? said.slice(0, 6) : [`the probe of ${functionName} failed: ${r.output.trim().split('\n').slice(-3).join(' ').slice(0, 300)}`];
}
