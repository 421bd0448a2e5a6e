// The validate phase as one activity: gofmt, go vet, go build, go test with coverage over
// every package, and a smoke run of the real server, all inside one time budget. The
// report says which generated files the failures point at, for the repair loop.
import { recordValidation } from '../run-metrics.js';
import { activityContext, heartbeatIntervalMs, reportProgress } from '../activity-context.js';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ApiSpec } from '../../core/types.js';
import type { ValidationReport, ValidationStep, ValidationStepName } from '../../core/run-types.js';
import { totalCoverage } from './coverage.js';
import { FailureCollector, failuresFromOutput } from './failures.js';
import { sweepPidsCgroups } from './pids-cgroup.js';
import { entriesOfDeadOwners, killProcessesInside, reapOrphanedGroups } from './process-groups.js';
import { defaultToolchainDirs, runTool, toolchainEnv, type ToolchainDirs, type ToolResult } from './run-tool.js';
import { openToolchainSession } from './toolchain-session.js';
import { smokeRun, type SmokeBodies } from './smoke.js';

export interface ValidateInput {
  outputDir: string;
  spec: ApiSpec;
  coverageGoal: number;
  /** The smoke run's bodies, valid by the plan's rules (runs of the whole-plan writer). */
  smokeBodies?: SmokeBodies;
  /** Budget for the whole validation; each step gets what is left. Sits inside the activity's 20 min. */
  timeoutMs?: number;
}

export const DEFAULT_VALIDATE_TIMEOUT_MS = 15 * 60_000;
const STEP_TAIL_BYTES = 4096;
const GO_MISSING = 'Go toolchain not found on PATH: install Go 1.22+ from https://go.dev/dl and retry';

/** The Go files of the project, relative to it; hidden folders and testdata are not the LLM's. */
function goFiles(root: string, dir = ''): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) return entry.name.startsWith('.') || entry.name === 'testdata' ? [] : goFiles(root, rel);
    return entry.isFile() && entry.name.endsWith('.go') ? [rel] : [];
  });
}

/** Ends what a worker killed mid-validation left: its process groups, cgroups and scratch folders. */
export async function cleanUpAfterDeadWorkers(dirs: ToolchainDirs = defaultToolchainDirs()): Promise<void> {
  reapOrphanedGroups(); // first: a smoke server's binary lives in a scratch folder
  await sweepPidsCgroups();
  const leftBehind = entriesOfDeadOwners(dirs.scratchDir).map((name) => path.join(dirs.scratchDir, name));
  killProcessesInside(leftBehind); // a group its worker had no time to record
  for (const folder of leftBehind) rmSync(folder, { recursive: true, force: true });
}

function lastBytes(text: string, max = STEP_TAIL_BYTES): string {
  const trimmed = text.trimEnd();
  return trimmed.length <= max ? trimmed : `…${trimmed.slice(trimmed.length - max)}`;
}

function stepFrom(name: ValidationStepName, r: ToolResult, okTail = r.output): ValidationStep {
  const ok = r.exitCode === 0 && !r.timedOut;
  const killed = r.timedOut ? `\n(killed: the validation time limit ran out during ${name})` : '';
  return { name, ok, durationMs: r.durationMs, outputTail: lastBytes((ok ? okTail : r.output) + killed) };
}

/** gofmt -w: formatting is fixed, not failed; only a syntax error (non-zero exit) fails. */
async function gofmt(
  outputDir: string,
  env: Record<string, string>,
  timeoutMs: number,
  failures: FailureCollector,
  signal?: AbortSignal,
): Promise<ValidationStep> {
  const files = goFiles(outputDir);
  if (files.length === 0) return { name: 'gofmt', ok: false, durationMs: 0, outputTail: 'no .go files in the output folder' };
  const r = await runTool('gofmt', ['-l', '-w', ...files], { cwd: outputDir, env, timeoutMs, signal });
  if (r.exitCode !== 0) failures.addOutput(r.output);
  return stepFrom('gofmt', r, r.output.trim() ? `reformatted:\n${r.output}` : 'all files were formatted');
}

type GoRun = (args: string[], maxOutputBytes?: number) => Promise<ToolResult>;

/** go test with coverage over every package; its failures go to the files they name (the tests file when none). */
async function goTest(go: GoRun, tmp: string, left: () => number, resource: string, failures: FailureCollector) {
  const coverFile = path.join(tmp, 'cover.out');
  // go test's own limit fires first and prints where each test hangs; ours is the backstop.
  const goTimeout = `${Math.max(1, Math.floor((left() - 3_000) / 1000))}s`;
  const r = await go(['test', '-count=1', `-timeout=${goTimeout}`, '-coverpkg=./...', `-coverprofile=${coverFile}`, './...']);
  const step = stepFrom('test', r);
  const coveragePercent = existsSync(coverFile) && left() > 0 ? totalCoverage((await go(['tool', 'cover', `-func=${coverFile}`])).output) : null;
  if (!step.ok) {
    const mapped = failuresFromOutput(r.output, resource).length > 0;
    failures.addOutput(r.output);
    if (r.timedOut) failures.add('tests', `go test was killed when the validation time limit ran out: a test hangs or is far too slow`);
    else if (!mapped) failures.add('tests', `go test failed:\n${lastBytes(r.output.replace(/\t\d+(?:\.\d+)?s\b/g, ''), 2048)}`); // no timings: stable
  }
  return { step, coveragePercent };
}

/** Passing tests that cover too little (or wrote no profile) ask the tests file for more. */
function coverageShortfall(coveragePercent: number | null, coverageGoal: number, failures: FailureCollector): void {
  if (coveragePercent === null) failures.add('tests', 'go test wrote no coverage profile (run: go test -coverpkg=./... -coverprofile=cover.out ./...)');
  else if (coveragePercent < coverageGoal) {
    failures.add(
      'tests',
      `coverage ${coveragePercent}% is below the goal of ${coverageGoal}% (go test -coverpkg=./... ./..., every package counts): test more of the handlers' paths, including errors (400, 404)`,
    );
  }
}

export async function validateProject(input: ValidateInput): Promise<ValidationReport> {
  const { outputDir, spec, coverageGoal, smokeBodies, timeoutMs = DEFAULT_VALIDATE_TIMEOUT_MS } = input;
  await cleanUpAfterDeadWorkers();
  const started = performance.now();
  const deadline = started + timeoutMs;
  const ctx = activityContext();
  const signal = ctx?.cancellationSignal;
  let current: ValidationStepName = 'gofmt';
  // vet, build, test and the smoke server run generated code, or read it: contained.
  const session = await openToolchainSession(outputDir);
  const { env, tmp, containment } = session;
  // Heartbeats carry cancellation to us, and show in the Web UI which step is running.
  const beat = ctx ? setInterval(() => reportProgress({ step: current }, ctx), heartbeatIntervalMs(ctx)) : undefined;
  const steps: ValidationStep[] = [];
  const failures = new FailureCollector(spec.resource);
  let coveragePercent: number | null = null;

  const left = () => Math.floor(deadline - performance.now());
  const skip = (name: ValidationStepName, why: string) => void steps.push({ name, ok: false, skipped: true, durationMs: 0, outputTail: `skipped: ${why}` });
  const go = (args: string[], maxOutputBytes?: number) => session.go(args, left(), signal, maxOutputBytes);
  /** Runs a step unless time is up; a failure's lines go to the files they name. */
  const run = async (name: ValidationStepName, body: () => Promise<ValidationStep>): Promise<ValidationStep | undefined> => {
    current = name;
    reportProgress({ step: name }, ctx);
    if (left() <= 0) {
      skip(name, 'the validation time limit ran out');
      return undefined;
    }
    const step = await body();
    steps.push(step);
    return step;
  };

  try {
    await run('gofmt', () => gofmt(outputDir, env, left(), failures, signal));
    for (const name of ['vet', 'build'] as const) {
      await run(name, async () => {
        const r = await go([name, './...']);
        if (r.exitCode !== 0) failures.addOutput(r.output);
        return stepFrom(name, r);
      });
    }

    const build = steps.find((s) => s.name === 'build');
    if (!build?.ok) {
      const why = build ? 'the build failed' : 'the validation time limit ran out';
      skip('test', why);
      skip('smoke', why);
    } else {
      const test = await run('test', async () => {
        const r = await goTest(go, tmp, left, spec.resource, failures);
        coveragePercent = r.coveragePercent;
        return r.step;
      });
      // With failing tests the figure says little (a dead test binary covers 0%); the test failure is the news.
      if (test?.ok) coverageShortfall(coveragePercent, coverageGoal, failures);
      await run('smoke', async () => {
        const r = await smokeRun(outputDir, spec, env, { timeoutMs: left(), signal, containment, scratchParent: tmp, bodies: smokeBodies });
        if (!r.ok && r.phase) failures.add(r.phase, `smoke run of the built server:\n${lastBytes(r.outputTail, 2048)}`);
        return { name: 'smoke', ok: r.ok, durationMs: r.durationMs, outputTail: lastBytes(r.outputTail) };
      });
    }
  } finally {
    clearInterval(beat);
    await session.close();
  }

  const ok = steps.every((s) => s.ok) && coveragePercent !== null && coveragePercent >= coverageGoal;
  recordValidation(ok);
  return {
    ok,
    steps,
    coveragePercent,
    coverageGoal,
    failures: failures.list(),
    durationMs: Math.round(performance.now() - started),
    containment: containment.label,
  };
}

/** The toolchain's version, e.g. "go1.26.8 linux/amd64"; throws a message that says what to do. */
export async function goVersion(): Promise<string> {
  let result: ToolResult;
  try {
    result = await runTool('go', ['version'], { cwd: os.tmpdir(), env: toolchainEnv(), timeoutMs: 30_000 });
  } catch {
    throw new Error(GO_MISSING);
  }
  const match = /go version (go(\d+)\.(\d+)\S*)(.*)/.exec(result.output);
  if (result.exitCode !== 0 || !match) throw new Error(`${GO_MISSING} (go version said: ${result.output.trim().slice(0, 200)})`);
  const [, version, major, minor, rest] = match;
  if (Number(major) === 1 && Number(minor) < 22) throw new Error(`Go ${version} is too old: install Go 1.22+ from https://go.dev/dl and retry`);
  return `${version}${rest}`.trim();
}
