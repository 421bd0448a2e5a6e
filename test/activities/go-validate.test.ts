// The Go toolchain activities on real code: the known-good fixture, its broken variants,
// a hanging test, and process-group kills. Needs Go on PATH; the build cache lives in
// $OVERNIGHT_STATE_DIR (default here: .state/test, as in scripts/test.sh), so later runs are fast.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { ApiSpec } from '../../core/types.js';
import { TODO_SPEC } from '../support/scripted-ollama-responders.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
process.env.OVERNIGHT_STATE_DIR ??= path.join(repo, '.state', 'test');
const { runTool, toolchainEnv } = await import('../../activities/go/run-tool.js');
const { goVersion, validateProject } = await import('../../activities/go/validate.js');
const { sampleBody, smokeRun } = await import('../../activities/go/smoke.js');

const FIXTURE = path.join(repo, 'test/fixtures/todo-api');
const VARIANTS = path.join(repo, 'test/fixtures/variants');
const HANDLER = 'internal/handlers/todo_handler.go';
const TESTS = 'tests/todo_handler_test.go';

// The fixture's models file declares the ID itself: the spec lists it like any field.
const todoSpec: ApiSpec = { ...TODO_SPEC, fields: [{ name: 'ID', type: 'int', json: 'id', required: false }, ...TODO_SPEC.fields] };

/** A fresh copy of the fixture in the OS temp folder, with `replace` swapped in (target → content). */
function project(replace: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'go-validate-test-'));
  cpSync(FIXTURE, dir, { recursive: true });
  for (const [target, content] of Object.entries(replace)) writeFileSync(path.join(dir, target), content);
  return dir;
}
const variant = (name: string) => readFileSync(path.join(VARIANTS, name), 'utf8');

const HANG_TEST = `package tests

import "testing"

func TestHang(t *testing.T) {
	n := 0
	for {
		n++
	}
}
`;

/** Live (non-zombie) processes, from /proc: pid, process group and working folder. */
function liveProcesses(): { pid: number; pgrp: number; cwd: string }[] {
  return readdirSync('/proc').flatMap((name) => {
    if (!/^\d+$/.test(name)) return [];
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (state === 'Z') return [];
      let cwd = '';
      try {
        cwd = readlinkSync(`/proc/${name}/cwd`);
      } catch {
        // a kernel thread or a process that just ended
      }
      return [{ pid: Number(name), pgrp: Number(pgrp), cwd }];
    } catch {
      return [];
    }
  });
}

test('goVersion names the toolchain', async () => {
  assert.match(await goVersion(), /^go1\.\d+/);
});

test('the fixture validates, with coverage over the goal', { timeout: 300_000 }, async () => {
  const dir = project();
  try {
    const report = await validateProject({ outputDir: dir, spec: todoSpec, coverageGoal: 80 });
    assert.deepEqual(
      report.steps.map((s) => [s.name, s.ok]),
      [
        ['gofmt', true],
        ['vet', true],
        ['build', true],
        ['test', true],
        ['smoke', true],
      ],
      JSON.stringify(report.steps, null, 2),
    );
    assert.equal(report.ok, true);
    assert.ok(report.coveragePercent! >= 70, `coverage ${report.coveragePercent}`);
    assert.deepEqual(report.failures, []);
    assert.match(report.steps.find((s) => s.name === 'smoke')!.outputTail, /DELETE \/todos\/1 -> 204/);
    assert.deepEqual(readdirSync(dir).sort(), ['cmd', 'go.mod', 'internal', 'tests'], 'nothing left in the output folder');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('unformatted files are formatted, not failed', { timeout: 120_000 }, async () => {
  const messy = readFileSync(path.join(FIXTURE, 'cmd/server/main.go'), 'utf8').replaceAll('\t', '  ').replace('port := ', 'port  :=   ');
  const dir = project({ 'cmd/server/main.go': messy });
  try {
    const report = await validateProject({ outputDir: dir, spec: todoSpec, coverageGoal: 80 });
    assert.equal(report.ok, true, JSON.stringify(report, null, 2));
    assert.match(report.steps[0]!.outputTail, /reformatted:\ncmd\/server\/main\.go/);
    assert.equal(readFileSync(path.join(dir, 'cmd/server/main.go'), 'utf8'), readFileSync(path.join(FIXTURE, 'cmd/server/main.go'), 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a compile error fails vet and build, skips test and smoke, and names the handler', { timeout: 120_000 }, async () => {
  const dir = project({ [HANDLER]: variant('todo_handler.compile-error.go') });
  try {
    const report = await validateProject({ outputDir: dir, spec: todoSpec, coverageGoal: 80 });
    assert.equal(report.ok, false);
    assert.deepEqual(
      report.steps.map((s) => [s.name, s.ok, s.skipped ?? false]),
      [
        ['gofmt', true, false],
        ['vet', false, false],
        ['build', false, false],
        ['test', false, true],
        ['smoke', false, true],
      ],
    );
    assert.equal(report.coveragePercent, null);
    assert.deepEqual(
      report.failures.map((f) => f.phase),
      ['handlers'],
    );
    assert.match(report.failures[0]!.errors, /internal\/handlers\/todo_handler\.go:\d+:\d+: undefined: newTodo/);
    assert.match(report.steps[2]!.outputTail, /undefined: newTodo/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a failing assertion fails the test step and names the tests', { timeout: 120_000 }, async () => {
  const dir = project({ [TESTS]: variant('todo_handler_test.failing.go') });
  try {
    const report = await validateProject({ outputDir: dir, spec: todoSpec, coverageGoal: 80 });
    assert.equal(report.ok, false);
    const byName = Object.fromEntries(report.steps.map((s) => [s.name, s.ok]));
    assert.deepEqual(byName, { gofmt: true, vet: true, build: true, test: false, smoke: true });
    assert.deepEqual(
      report.failures.map((f) => f.phase),
      ['tests'],
    );
    assert.match(report.failures[0]!.errors, /--- FAIL: TestDelete\n {4}tests\/todo_handler_test\.go:\d+: delete: status 204, want 200/);
    assert.ok(report.coveragePercent !== null && report.coveragePercent >= 80, 'coverage is still measured');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('low coverage passes every step but is not ok, and asks the tests for more', { timeout: 120_000 }, async () => {
  const dir = project({ [TESTS]: variant('todo_handler_test.low-coverage.go') });
  try {
    const report = await validateProject({ outputDir: dir, spec: todoSpec, coverageGoal: 80 });
    assert.ok(report.steps.every((s) => s.ok));
    assert.equal(report.ok, false);
    assert.ok(report.coveragePercent !== null && report.coveragePercent < 50, `coverage ${report.coveragePercent}`);
    assert.deepEqual(
      report.failures.map((f) => f.phase),
      ['tests'],
    );
    assert.match(report.failures[0]!.errors, /coverage [\d.]+% is below the goal of 80%/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a server that will not start fails the smoke run and names the server main', { timeout: 120_000 }, async () => {
  const main = 'package main\n\nimport "log"\n\nfunc main() {\n\tlog.Fatal("refusing to start")\n}\n';
  const dir = project({ 'cmd/server/main.go': main });
  try {
    const report = await validateProject({ outputDir: dir, spec: todoSpec, coverageGoal: 80 });
    const smoke = report.steps.find((s) => s.name === 'smoke')!;
    assert.equal(smoke.ok, false);
    assert.match(smoke.outputTail, /exited before answering[\s\S]*refusing to start/);
    assert.deepEqual(
      report.failures.map((f) => f.phase),
      ['server'],
    );
    assert.doesNotMatch(report.failures[0]!.errors, /\d{4}\/\d\d\/\d\d/, 'no log timestamps, so an unchanged failure compares equal');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a test that never ends is stopped within the time limit, and nothing is left running', { timeout: 120_000 }, async () => {
  const dir = project({ [TESTS]: HANG_TEST });
  try {
    const started = Date.now();
    const report = await validateProject({ outputDir: dir, spec: todoSpec, coverageGoal: 80, timeoutMs: 20_000 });
    const elapsed = Date.now() - started;
    assert.ok(elapsed < 25_000, `took ${elapsed} ms`);
    assert.equal(report.ok, false);
    assert.equal(report.steps.find((s) => s.name === 'test')!.ok, false);
    const tests = report.failures.find((f) => f.phase === 'tests');
    assert.match(tests?.errors ?? '', /TestHang/, JSON.stringify(report, null, 2));
    assert.deepEqual(
      liveProcesses().filter((p) => p.cwd.startsWith(dir)),
      [],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('runTool kills the whole group of a hanging go test (go test, the test binary) on timeout', { timeout: 120_000 }, async () => {
  const dir = project({ [TESTS]: HANG_TEST });
  try {
    const env = toolchainEnv();
    await runTool('go', ['vet', './...'], { cwd: dir, env, timeoutMs: 100_000 }); // compile outside the limit below
    const r = await runTool('go', ['test', '-count=1', './tests/'], { cwd: dir, env, timeoutMs: 6_000 });
    assert.equal(r.timedOut, true);
    assert.equal(r.exitCode, null);
    assert.ok(r.durationMs < 10_000, `took ${r.durationMs} ms`);
    assert.deepEqual(
      liveProcesses().filter((p) => p.pgrp === r.pid || p.cwd.startsWith(dir)),
      [],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('runTool kills a grandchild on timeout', async () => {
  const r = await runTool('sh', ['-c', 'sleep 300 & echo $!; wait'], { cwd: os.tmpdir(), env: toolchainEnv(), timeoutMs: 1_000 });
  assert.equal(r.timedOut, true);
  const grandchild = Number(r.output.trim());
  assert.ok(grandchild > 0);
  assert.deepEqual(
    liveProcesses().filter((p) => p.pid === grandchild || p.pgrp === r.pid),
    [],
  );
});

test('runTool keeps the tail of the output and the exit code, with a minimal environment', async () => {
  process.env.OVERNIGHT_TEST_SECRET = 'hunter2';
  try {
    const r = await runTool('sh', ['-c', 'seq 1 20000; env; echo done >&2; exit 3'], {
      cwd: os.tmpdir(),
      env: toolchainEnv(),
      timeoutMs: 10_000,
      maxOutputBytes: 2_000,
    });
    assert.equal(r.exitCode, 3);
    assert.equal(r.timedOut, false);
    assert.ok(Buffer.byteLength(r.output) <= 2_000);
    assert.match(r.output, /GOPROXY=off\n[\s\S]*done\n$/);
    assert.doesNotMatch(r.output, /hunter2|^1\n/);
    const names = r.output
      .split('\n')
      .filter((l) => /^[A-Z_]+=/.test(l))
      .map((l) => l.split('=')[0])
      .filter((n) => n !== 'PWD' && n !== 'SHLVL' && n !== '_');
    assert.deepEqual(names.sort(), [
      'CGO_ENABLED',
      'GOCACHE',
      'GOFLAGS',
      'GOMODCACHE',
      'GOPATH',
      'GOPROXY',
      'GOSUMDB',
      'GOTELEMETRY',
      'GOTOOLCHAIN',
      'HOME',
      'PATH',
    ]);
  } finally {
    delete process.env.OVERNIGHT_TEST_SECRET;
  }
});

test('runTool rejects when the command does not exist', async () => {
  await assert.rejects(runTool('no-such-tool-xyz', [], { cwd: os.tmpdir(), env: toolchainEnv(), timeoutMs: 1_000 }), /no-such-tool-xyz: not found on PATH/);
});

test('as an activity: heartbeats name the step, and cancelling kills the running test at once', { timeout: 120_000 }, async () => {
  const dir = project({ [TESTS]: HANG_TEST });
  try {
    const env = new MockActivityEnvironment();
    const beats: unknown[] = [];
    env.on('heartbeat', (d: unknown) => {
      beats.push(d);
      if ((d as { step?: string }).step === 'test') setTimeout(() => env.cancel(), 3_000);
    });
    const started = Date.now();
    // Cancelled, not failed for another reason (a test that failed on its own would pass a bare rejects).
    await assert.rejects(env.run(validateProject, { outputDir: dir, spec: todoSpec, coverageGoal: 80, timeoutMs: 100_000 }), (e: Error) => {
      assert.ok(e instanceof CancelledFailure, `rejected with ${e.name}: ${e.message}`);
      return true;
    });
    assert.ok(Date.now() - started < 60_000);
    assert.deepEqual([...new Set(beats.map((b) => (b as { step: string }).step))], ['gofmt', 'vet', 'build', 'test']);
    assert.deepEqual(
      liveProcesses().filter((p) => p.cwd.startsWith(dir)),
      [],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('smokeRun walks the CRUD cycle on the built fixture', { timeout: 120_000 }, async () => {
  const dir = project();
  try {
    const r = await smokeRun(dir, todoSpec, toolchainEnv());
    assert.equal(r.ok, true, r.outputTail);
    assert.equal(r.phase, null);
    assert.deepEqual(
      r.outputTail.split('\n').map((l) => l.replace(/ \{.*?(?= ->)/, '')),
      [
        'POST /todos -> 201',
        'GET /todos -> 200',
        'GET /todos/1 -> 200',
        'PUT /todos/1 -> 200',
        'DELETE /todos/1 -> 204',
        'GET /todos/1 -> 404',
        'POST /todos -> 400',
      ],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('smokeRun blames the handlers for a wrong status, and stops the server', { timeout: 120_000 }, async () => {
  const handler = readFileSync(path.join(FIXTURE, HANDLER), 'utf8').replace(
    'http.StatusBadRequest, "invalid JSON body"',
    'http.StatusInternalServerError, "invalid JSON body"',
  );
  const dir = project({ [HANDLER]: handler });
  try {
    const r = await smokeRun(dir, todoSpec, toolchainEnv());
    assert.equal(r.ok, false);
    assert.equal(r.phase, 'handlers');
    assert.match(r.outputTail, /POST \/todos \{"not json -> 500, want 400: \{"error":"invalid JSON body"\}$/);
    assert.deepEqual(
      liveProcesses().filter((p) => p.cwd.startsWith(os.tmpdir()) && p.cwd.includes('overnight-smoke-')),
      [],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('sampleBody fills every field but the id with a value of its type', () => {
  const fields: ApiSpec['fields'] = [
    ...todoSpec.fields,
    { name: 'Priority', type: 'int64', json: 'priority', required: false },
    { name: 'Estimate', type: 'float64', json: 'estimate', required: false },
  ];
  assert.deepEqual(sampleBody(fields, 'create'), { title: 'smoke title', description: 'smoke description', completed: false, priority: 1, estimate: 1.5 });
  assert.deepEqual(sampleBody(fields, 'update'), { title: 'updated title', description: 'updated description', completed: true, priority: 2, estimate: 2.5 });
});
