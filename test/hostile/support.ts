// The hostile layer's harness: LLM output (and whatever answers as Ollama) is hostile input.
// Hostile cases in this layer: 71 (answers 21, transport 11, plans 13, filesystem 8, workflow 6, containment 8, image worker 1, wrong package 2, disk full 1).
//
// Each activity-level case runs the real activity (generateFile / planApi) in a
// MockActivityEnvironment against a scripted Ollama on 127.0.0.1, in a sandbox:
//   <root>/out/                 the output folder, scaffolded by writeScaffold
//   <root>/user-notes.txt       a user's file beside the output folder
//   <root>/sibling/sentinel.txt a sentinel in a sibling folder
//   <root>/outside.txt          a file outside the output folder that tricks aim at
// and the mirror database in a tmp folder of its own. Every case then asserts: <root> minus
// out/ is byte-for-byte as before (tree with hashes), no `.tmp-` file anywhere, no process
// this test started is left, the call ended within the case's stated limit, and the outcome
// is clear: the layout's file with the expected content (nothing else in out/ changed), or an
// ApplicationFailure with the expected type, retryability and a one-line message.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { writeScaffold } from '../../activities/files/scaffold.js';
import { fileAsRunToday } from '../support/file-phase.js';
import { planApi } from '../../activities/llm/plan-api.js';
import { filePathFor } from '../../core/layout.js';
import type { ApiSpec, FilePhase, GenerateFileInput, GenerateFileResult, LlmSettings, PlanResult } from '../../core/types.js';
import { FIXTURE_DIR } from '../support/run-fixtures.js';
import {
  startScriptedOllama,
  todoApiResponder,
  TODO_SPEC,
  whenFile,
  whenPlan,
  withOverrides,
  type Override,
  type ScriptedOllama,
  type ScriptedOllamaOptions,
  type ScriptedRequest,
} from '../support/scripted-ollama.js';

process.env.OVERNIGHT_STATE_DIR ??= path.resolve(FIXTURE_DIR, '../../../.state/test');

export const fixture = (rel: string) => readFileSync(path.join(FIXTURE_DIR, rel), 'utf8');
export const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
export const KiB = 1024;
export const MiB = 1024 * 1024;

export interface Sandbox {
  root: string;
  out: string;
  dbPath: string;
  userFile: string;
  sentinel: string;
  outside: string;
  cleanup(): void;
}

export const USER_TEXT = 'my own notes, not generated: do not touch\n';

export function makeSandbox(): Sandbox {
  const root = mkdtempSync(path.join(os.tmpdir(), 'overnight-hostile-'));
  const dbDir = mkdtempSync(path.join(os.tmpdir(), 'overnight-hostile-db-'));
  const sb = {
    root,
    out: path.join(root, 'out'),
    dbPath: path.join(dbDir, 'mirror.db'),
    userFile: path.join(root, 'user-notes.txt'),
    sentinel: path.join(root, 'sibling', 'sentinel.txt'),
    outside: path.join(root, 'outside.txt'),
    cleanup: () => {
      rmSync(root, { recursive: true, force: true });
      rmSync(dbDir, { recursive: true, force: true });
    },
  };
  mkdirSync(path.dirname(sb.sentinel), { recursive: true });
  writeFileSync(sb.userFile, USER_TEXT);
  writeFileSync(sb.sentinel, 'sentinel\n');
  writeFileSync(sb.outside, 'outside the output folder\n');
  return sb;
}

/** Every entry under `dir` (not following links, never opening FIFOs or devices), with hashes. */
export function snapshot(dir: string, exclude?: string): Map<string, string> {
  const tree = new Map<string, string>();
  const walk = (abs: string) => {
    for (const name of readdirSync(abs).sort()) {
      const full = path.join(abs, name);
      if (exclude && full === exclude) continue;
      const rel = path.relative(dir, full);
      const st = lstatSync(full);
      if (st.isSymbolicLink()) tree.set(rel, `link → ${readlinkSync(full)}`);
      else if (st.isDirectory()) {
        tree.set(rel, `dir ${(st.mode & 0o7777).toString(8)}`);
        walk(full);
      } else if (st.isFile()) tree.set(rel, `file ${(st.mode & 0o7777).toString(8)} ${sha256(readFileSync(full))}`);
      else tree.set(rel, `special ${st.mode.toString(8)}`);
    }
  };
  walk(dir);
  return tree;
}

/** Paths (relative to dir) whose name marks a temporary file of writeFileAtomic. */
export function leftoverTmp(dir: string): string[] {
  return [...snapshot(dir).keys()].filter((rel) => path.basename(rel).includes('.tmp-'));
}

/** Every process below this one (children, grandchildren), from /proc. */
export function descendants(root = process.pid): Map<number, string> {
  const parent = new Map<number, { ppid: number; what: string }>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(Number(d), { ppid: Number(fields[1]), what: `${stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))} [${fields[0]}]` });
    } catch {
      // gone meanwhile
    }
  }
  const found = new Map<number, string>();
  const queue = [root];
  while (queue.length) {
    const p = queue.shift()!;
    for (const [pid, info] of parent) if (info.ppid === p && !found.has(pid)) (found.set(pid, info.what), queue.push(pid));
  }
  return found;
}

/** Asserts no process below this one appeared since `before` (waiting up to `graceMs` for exits). */
export async function assertNoNewProcesses(before: Map<number, string>, graceMs = 2000): Promise<void> {
  const deadline = Date.now() + graceMs;
  let extra: string[] = [];
  do {
    extra = [...descendants()].filter(([pid]) => !before.has(pid)).map(([pid, what]) => `${pid} ${what}`);
    if (extra.length === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  } while (Date.now() < deadline);
  assert.fail(`processes left running: ${extra.join(', ')}`);
}

/** Settles `p` or gives up after `limitMs` (then calls `onTimeout`, e.g. to cancel the activity). */
export async function within<T>(limitMs: number, p: Promise<T>, onTimeout: () => void = () => {}) {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), limitMs)));
  const settled = p.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  const first = await Promise.race([settled, timeout]);
  clearTimeout(timer);
  if (first === 'timeout') {
    onTimeout();
    await Promise.race([settled, new Promise((r) => setTimeout(r, 2000))]);
    assert.fail(`the call did not end within its limit of ${limitMs} ms (a hang)`);
  }
  return { ...first, ms: Date.now() - started };
}

/** A failure message people read: one line, no control characters, short. */
export function assertOneLine(message: string): void {
  assert.ok(message.length > 0 && message.length <= 1000, `message of ${message.length} characters`);
  assert.doesNotMatch(message, /[\u0000-\u001f\u007f]/, `message has control characters or line breaks: ${JSON.stringify(message.slice(0, 200))}`);
}

export interface ExpectFailure {
  type: string;
  nonRetryable: boolean;
  message: RegExp;
}

export interface Ctx {
  sb: Sandbox;
  server: ScriptedOllama;
  seen: ScriptedRequest[];
  input: GenerateFileInput;
  value?: GenerateFileResult | PlanResult;
  ms: number;
}

export interface HostileCase {
  name: string;
  /** The activities run: a whole file as today's workflow runs it (default, fileAsRunToday) or planApi. */
  activity?: 'generate' | 'plan';
  /** The file phase asked for (default models). */
  phase?: FilePhase;
  /** What the model answers to the call for the phase's file (or the plan); the good answer otherwise. */
  answer?: Override['answer'];
  /** How many calls `answer` answers (all of them when absent). */
  times?: number;
  server?: Partial<ScriptedOllamaOptions>;
  llm?: Partial<LlmSettings>;
  /** Runs after scaffolding, before the snapshot: plant links, FIFOs, files. */
  prepare?: (sb: Sandbox) => void;
  /** The call must end within this many milliseconds. */
  limitMs: number;
  /** The file's expected content (at the layout's path), or the failure. */
  expect: { file: string } | { plan: ApiSpec } | { failure: ExpectFailure };
  /** Calls the scripted Ollama must have seen. */
  calls?: number;
  after?: (ctx: Ctx) => void | Promise<void>;
}

export function llmSettings(url: string, over: Partial<LlmSettings> = {}): LlmSettings {
  return {
    serverUrl: url,
    model: 'codellama:7b',
    options: { temperature: 0, seed: 1, num_ctx: 4096 },
    callTimeoutMs: 30_000,
    stallTimeoutMs: 1500,
    maxOutputBytes: 64 * KiB,
    ...over,
  };
}

const quietEnv = () => new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR') });

/** Runs one case end to end with every check of the layer. */
export async function runCase(c: HostileCase): Promise<void> {
  const sb = makeSandbox();
  const seen: ScriptedRequest[] = [];
  const phase = c.phase ?? 'models';
  const target = filePathFor(phase, TODO_SPEC.resource);
  const overrides: Override[] =
    c.answer === undefined ? [] : [{ when: c.activity === 'plan' ? whenPlan() : whenFile(target), times: c.times, answer: c.answer }];
  const respond = withOverrides(todoApiResponder({ fixtureDir: FIXTURE_DIR }), overrides);
  const server = await startScriptedOllama({ ...c.server, respond: (req, i) => (seen.push(req), respond(req, i)) });
  try {
    await writeScaffold({ workflowId: 'wf-hostile', outputDir: sb.out, spec: TODO_SPEC });
    c.prepare?.(sb);
    const input: GenerateFileInput = {
      workflowId: 'wf-hostile',
      phase,
      prompt: 'REST API for todo list',
      spec: TODO_SPEC,
      outputDir: sb.out,
      dbPath: sb.dbPath,
      llm: llmSettings(server.url, c.llm),
      coverageGoal: 70,
    };
    const beside = snapshot(sb.root, sb.out);
    const outBefore = snapshot(sb.out);
    const procs = descendants();
    const env = quietEnv();
    const call: Promise<GenerateFileResult | PlanResult> =
      c.activity === 'plan'
        ? (env.run(planApi, { prompt: input.prompt, dbPath: sb.dbPath, llm: input.llm }) as Promise<PlanResult>)
        : fileAsRunToday(env, input);
    const r = await within(c.limitMs, call, () => env.cancel());

    assert.deepEqual(snapshot(sb.root, sb.out), beside, 'something outside the output folder changed');
    assert.equal(readFileSync(sb.userFile, 'utf8'), USER_TEXT);
    assert.deepEqual(leftoverTmp(sb.root), [], 'temporary files were left behind');
    await assertNoNewProcesses(procs);
    const outAfter = snapshot(sb.out);
    const changed = [...new Set([...outBefore.keys(), ...outAfter.keys()])].filter((k) => outBefore.get(k) !== outAfter.get(k));

    if ('failure' in c.expect) {
      const want = c.expect.failure;
      assert.equal(r.ok, false, `expected a ${want.type} failure, the call succeeded`);
      const err = (r as { error: unknown }).error;
      assert.ok(err instanceof ApplicationFailure, `expected an ApplicationFailure, got ${String(err)}`);
      assert.equal(err.type, want.type, `type of: ${err.message}`);
      assert.equal(err.nonRetryable, want.nonRetryable, `nonRetryable of ${err.type}: ${err.message}`);
      assert.match(err.message, want.message);
      assertOneLine(err.message);
      assert.deepEqual(changed, [], 'a failed call changed the output folder');
    } else if ('plan' in c.expect) {
      assert.ok(r.ok, `expected a plan, got ${r.ok ? '' : String((r as { error: unknown }).error)}`);
      assert.deepEqual((r.value as PlanResult).spec, c.expect.plan);
      assert.deepEqual(changed, []);
    } else {
      assert.ok(r.ok, `expected ${target} to be written, got ${r.ok ? '' : String((r as { error: unknown }).error)}`);
      const { file } = r.value as GenerateFileResult;
      assert.equal(file.path, target, 'the path written is always the layout’s');
      const onDisk = readFileSync(path.join(sb.out, target));
      assert.ok(
        onDisk.equals(Buffer.from(c.expect.file, 'utf8')),
        `content of ${target} differs from the expected (${onDisk.length} vs ${Buffer.byteLength(c.expect.file)} bytes)`,
      );
      assert.equal(file.sha256, sha256(onDisk));
      assert.equal(file.bytes, onDisk.length);
      assert.deepEqual(changed, [target], 'only the layout’s file may change');
    }
    if (c.calls !== undefined) assert.equal(server.calls.length, c.calls, 'calls to the scripted Ollama');
    await c.after?.({ sb, server, seen, input, value: r.ok ? r.value : undefined, ms: r.ms });
  } finally {
    await server.close();
    sb.cleanup();
  }
}

/** The node:test timeout of a case: above the case's own limit, so a hang fails with the case's message. */
export function caseTimeout(c: HostileCase): number {
  return c.limitMs + 15_000;
}

/** A listener on this machine's own non-loopback IPv4 address, counting connections; target is null when there is none. */
export async function hostListener(): Promise<{ target: string | null; accepted: () => number; close: () => void }> {
  const hostIp = Object.values(os.networkInterfaces())
    .flat()
    .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
  let accepted = 0;
  const listener = createServer((c) => (accepted++, c.destroy()));
  await new Promise<void>((resolve) => listener.listen(0, hostIp ?? '127.0.0.1', resolve));
  const target = hostIp ? `${hostIp}:${(listener.address() as AddressInfo).port}` : null;
  return { target, accepted: () => accepted, close: () => listener.close() };
}
