// The workflow's branches with mocked activities (test/support/mocked-pipeline.ts): the real
// workflow code on a real dev server, but no model, no files and no Go toolchain, so each branch
// runs in seconds.
import { WorkflowFailedError } from '@temporalio/client';
import { CancelledFailure } from '@temporalio/common';
import { Context } from '@temporalio/activity';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RunResult, RunState } from '../../core/run-types.js';
import { failedReport, startMockedPipeline, type MockedPipeline, type Script } from '../support/mocked-pipeline.js';

let pipeline: MockedPipeline;
before(async () => {
  pipeline = await startMockedPipeline();
});
after(() => pipeline?.stop());
const start = (script: Partial<Script>, tweak = {}) => pipeline.start(script, tweak);

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
      script.fileCalls.filter((c) => c.round !== null).map(({ phase, round }) => ({ phase, round })),
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
      script.fileCalls.filter((c) => c.round !== null).map(({ phase, round }) => ({ phase, round })),
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
