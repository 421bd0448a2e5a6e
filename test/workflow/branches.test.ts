// The workflow's branches with mocked activities: the real workflow code on a real dev server,
// but no model, no files and no Go toolchain, so each branch runs in seconds. What the mocks
// are asked (and what they answer) is scripted per run; the tests read the workflow's own
// state and the calls it made.
import { WorkflowFailedError } from '@temporalio/client';
import { CancelledFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Context } from '@temporalio/activity';
import { Worker } from '@temporalio/worker';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type * as realActivities from '../../activities/index.js';
import { WORKFLOWS_PATH } from '../../worker/create-worker.js';
import type { FileRef, FilePhase, GenerateFileInput, GenerateFileResult, RunInput, RunResult, RunState, ValidationReport } from '../../workflows/types.js';
import { createDevServer, runInput } from '../support/run-fixtures.js';
import { TODO_PLAN } from '../support/scripted-ollama.js';

const taskQueue = 'branches-test';

/** What one run's mocks do, and what they were asked. */
interface Script {
  /** Working time each file call reports (the budget counts it). */
  fileMs?: number;
  /** The validation report of round n. */
  validate?: (round: number) => ValidationReport;
  /** Called when a file call starts; may block (a long model call) until the activity is cancelled. */
  onFile?: (input: GenerateFileInput) => Promise<void>;
  fileCalls: { phase: FilePhase; round: number | null }[];
  validations: number;
  statusReports: number;
  phaseRecords: string[];
}

const scripts = new Map<string, Script>();
const scriptOf = () => scripts.get(Context.current().info.workflowExecution?.workflowId ?? '')!;
const fileRef = (path: string): FileRef => ({ path, bytes: 1, sha256: '0'.repeat(64) });

async function writeFileMock(input: GenerateFileInput): Promise<GenerateFileResult> {
  const script = scriptOf();
  script.fileCalls.push({ phase: input.phase, round: input.repair?.round ?? null });
  await script.onFile?.(input);
  return { file: fileRef(`${input.phase}.go`), usage: { tokensIn: 10, tokensOut: 20, durationMs: script.fileMs ?? 5, cached: false } };
}

const mocks: typeof realActivities = {
  preflight: async () => ({ goVersion: 'go1.26', ollamaVersion: '0.19.0', modelDigest: 'x' }),
  planApi: async () => ({ spec: TODO_PLAN, usage: { tokensIn: 5, tokensOut: 5, durationMs: 5, cached: false }, attempts: 1 }),
  generateFile: writeFileMock,
  composeFile: writeFileMock,
  waitForOllama: async () => {},
  writeScaffold: async () => [fileRef('go.mod')],
  validateProject: async () => {
    const script = scriptOf();
    return script.validate!(script.validations++);
  },
  recordRun: async () => {},
  recordPhase: async ({ phase }: Parameters<typeof realActivities.recordPhase>[0]) => {
    scriptOf().phaseRecords.push(`${phase.name}${phase.round ? `#${phase.round}` : ''} ${phase.status}`);
  },
  recordValidation: async () => {},
  writeStatusReport: async () => {
    scriptOf().statusReports++;
    return fileRef('status.json');
  },
} as unknown as typeof realActivities;

/** A failed validation whose errors name `phase`; `text` tells one round's errors from another's. */
function failedReport(phase: FilePhase, text: string): ValidationReport {
  return {
    ok: false,
    steps: [{ name: 'build', ok: false, durationMs: 5, outputTail: text }],
    coveragePercent: null,
    coverageGoal: 70,
    failures: [{ phase, errors: text }],
    durationMs: 5,
  };
}

let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;

before(async () => {
  env = await createDevServer();
  worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowsPath: WORKFLOWS_PATH, activities: mocks });
  running = worker.run();
});

after(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
});

let runs = 0;
async function start(script: Partial<Script>, tweak: Partial<RunInput> = {}) {
  const workflowId = `branch-${Date.now()}-${runs++}`;
  const full: Script = { fileCalls: [], validations: 0, statusReports: 0, phaseRecords: [], ...script };
  scripts.set(workflowId, full);
  const input = runInput('http://127.0.0.1:9', tweak);
  const handle = await env.client.workflow.start('generateApi', { taskQueue, workflowId, args: [input], workflowExecutionTimeout: '2m' });
  return { handle, script: full };
}

const phaseNames = (state: RunState) => state.phases.map((p) => `${p.name}${p.round ? `#${p.round}` : ''} ${p.status}`);

describe('generateApi branches, with mocked activities', () => {
  test('the working-time budget runs out: the run fails after that phase, names -budget, writes no more files and still reports', async () => {
    // Each file call reports 10 min of work: after models (10) and repository (20) the 15 min budget is spent.
    const { handle, script } = await start({ fileMs: 10 * 60_000 }, { workingBudgetMs: 15 * 60_000 });
    const failure = await handle.result().then(
      () => assert.fail('the run should fail'),
      (err: unknown) => err,
    );
    assert.ok(failure instanceof WorkflowFailedError);
    const state = await handle.query<RunState>('status');
    assert.equal(state.status, 'failed');
    assert.match(state.error ?? '', /working-time budget of 15 min is used up after repository .*raise -budget/);
    assert.deepEqual(
      script.fileCalls.map((c) => c.phase),
      ['models', 'repository'],
    );
    assert.equal(script.validations, 0, 'no validation after the budget ran out');
    assert.equal(script.statusReports, 1, 'status.json is still written');
    assert.deepEqual(phaseNames(state).slice(-2), ['repository done', 'report done']);
  });

  test('a repair round that changes nothing the toolchain sees ends the loop: no second round', async () => {
    const { handle, script } = await start({ validate: () => failedReport('handlers', 'handlers.go:3: undefined: x') }, { maxRepairRounds: 3 });
    const result = (await handle.result()) as RunResult;
    assert.equal(result.status, 'completed');
    assert.equal(result.valid, false);
    const state = await handle.query<RunState>('status');
    assert.equal(state.repairRounds, 1);
    assert.deepEqual(phaseNames(state).slice(-4), ['validate failed', 'repair#1 done', 'validate#1 failed', 'report done']);
    assert.deepEqual(
      script.fileCalls.filter((c) => c.round !== null),
      [{ phase: 'handlers', round: 1 }],
    );
  });

  test('failures that keep changing are repaired up to -max-repair-rounds, then the run ends invalid', async () => {
    const { handle, script } = await start({ validate: (n) => failedReport(n % 2 ? 'tests' : 'handlers', `error of round ${n}`) }, { maxRepairRounds: 2 });
    const result = (await handle.result()) as RunResult;
    assert.equal(result.valid, false);
    const state = await handle.query<RunState>('status');
    assert.equal(state.repairRounds, 2);
    assert.deepEqual(phaseNames(state).slice(-6), [
      'validate failed',
      'repair#1 done',
      'validate#1 failed',
      'repair#2 done',
      'validate#2 failed',
      'report done',
    ]);
    assert.deepEqual(
      script.fileCalls.filter((c) => c.round !== null),
      [
        { phase: 'handlers', round: 1 },
        { phase: 'tests', round: 2 },
      ],
    );
    assert.equal(script.validations, 3);
  });

  test('-max-repair-rounds 0: a failed validation ends the run at once, invalid', async () => {
    const { handle, script } = await start({ validate: () => failedReport('handlers', 'boom') }, { maxRepairRounds: 0 });
    const result = (await handle.result()) as RunResult;
    assert.equal(result.valid, false);
    const state = await handle.query<RunState>('status');
    assert.equal(state.repairRounds, 0);
    assert.ok(!state.phases.some((p) => p.name === 'repair'), 'no repair phase');
    assert.equal(script.validations, 1);
  });

  test('cancellation mid-call: the model call is cancelled, the run ends cancelled, status.json and the mirror say so', async () => {
    let callCancelled: unknown;
    let callStarted!: () => void;
    const started = new Promise<void>((resolve) => (callStarted = resolve));
    const { handle, script } = await start(
      {
        onFile: async (input) => {
          if (input.phase !== 'handlers') return;
          callStarted();
          // A long model call: it heartbeats, as the real ones do, which is how cancellation reaches it.
          const ctx = Context.current();
          const beat = setInterval(() => ctx.heartbeat(), 100);
          try {
            await ctx.cancelled;
          } catch (err) {
            callCancelled = err;
            throw err;
          } finally {
            clearInterval(beat);
          }
        },
      },
      { heartbeatTimeoutMs: 2000 },
    );
    await started;
    await handle.cancel();
    const failure = await handle.result().then(
      () => assert.fail('the run should end cancelled'),
      (err: unknown) => err,
    );
    assert.ok(failure instanceof WorkflowFailedError && failure.cause instanceof CancelledFailure, `got ${String(failure)}`);
    // The run need not wait for the call to acknowledge (its start is not in the history yet, so
    // the server cancels it on its own): the call learns it from the answer to its next heartbeat
    // that reaches the server (the SDK sends one per 0.8 × -heartbeat-timeout), and stops then.
    for (const deadline = Date.now() + 10_000; !callCancelled && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 50));
    assert.ok(callCancelled instanceof CancelledFailure, 'the model call itself was cancelled');
    const state = await handle.query<RunState>('status');
    assert.equal(state.status, 'cancelled');
    assert.match(state.error ?? '', /cancelled .*files written so far are kept/);
    assert.deepEqual(
      script.fileCalls.map((c) => c.phase),
      ['models', 'repository', 'handlers'],
    );
    assert.equal(script.statusReports, 1, 'status.json is written though the run was cancelled');
    assert.ok(script.phaseRecords.includes('handlers failed'), `the mirror records handlers as ended: ${script.phaseRecords.join(', ')}`);
    assert.equal(state.phases.find((p) => p.name === 'handlers')?.error, 'cancelled');
    assert.equal(script.validations, 0);
  });
});
