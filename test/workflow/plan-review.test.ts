// -plan-only and -review-plan in the workflow, with mocked activities (test/support/mocked-pipeline.ts):
// the run stops or waits after its plan, `approve` (an Update) refuses a bad edit while the run
// keeps waiting, a good edit is what every later phase gets, and the review timer's default
// action happens when nobody answers.
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { approvePlanUpdate, statusQuery } from '../../workflows/queries.js';
import type { RunResult, RunState } from '../../core/run-types.js';
import { TODO_PLAN } from '../support/scripted-ollama.js';
import { startMockedPipeline, type MockedPipeline } from '../support/mocked-pipeline.js';
import { recordHistory } from '../support/histories.js';

let pipeline: MockedPipeline;
before(async () => {
  pipeline = await startMockedPipeline();
});
after(() => pipeline?.stop());

const passing = () => ({ ok: true, steps: [], coveragePercent: 80, coverageGoal: 70, failures: [], durationMs: 5 });
const review = (timeoutMs: number, onTimeout: 'approve' | 'stop' = 'approve') => ({ planReview: { timeoutMs, onTimeout } });

/** The run's state once it waits for approval (it asks the run itself, as `plan ID` does). */
async function waitingState(handle: WorkflowHandle): Promise<RunState> {
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
    const state = await handle.query(statusQuery);
    if (state.review) return state;
  }
  throw new Error('the run never waited for approval');
}

const phaseStatuses = (state: RunState) => state.phases.map((p) => `${p.name} ${p.status}`);

/** The updates' refusal, as the CLI gets it. */
async function refusal(promise: Promise<unknown>): Promise<string> {
  const err = await promise.then(
    () => assert.fail('the approval should be refused'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof WorkflowUpdateFailedError, `got ${String(err)}`);
  return (err.cause as Error).message;
}

describe('the plan before any code', () => {
  test('-plan-only: plan.json is written, no file is asked for, the run ends planned and says why', async () => {
    const { handle, script } = await pipeline.start({ validate: passing }, { planOnly: true });
    const result = (await handle.result()) as RunResult;
    assert.equal(result.status, 'completed');
    assert.equal(result.valid, false);
    assert.equal(result.stoppedAfterPlan?.why, 'plan-only');
    assert.deepEqual(script.fileCalls, []);
    assert.equal(script.validations, 0);
    assert.deepEqual(
      script.planWrites.map((w) => w.plan),
      [TODO_PLAN],
    );
    const state = await handle.query(statusQuery);
    assert.deepEqual(phaseStatuses(state), [
      'preflight done',
      'plan done',
      'scaffold skipped',
      'models skipped',
      'repository skipped',
      'handlers skipped',
      'server skipped',
      'tests skipped',
      'readme skipped',
      'validate skipped',
      'repair skipped',
      'report done',
    ]);
    assert.match(state.phases[1]!.notes?.join('\n') ?? '', /plan\.json \(-plan-only\)/);
    assert.equal(script.statusReports, 1, 'status.json is written');
    const described = await handle.describe();
    assert.deepEqual(described.searchAttributes.OvernightOutcome, ['planned']);
  });

  test("-review-plan: a bad edit is refused with the plan checks' words while the run waits; a good edit is what every later phase gets", async () => {
    const { handle, script } = await pipeline.start({ validate: passing }, review(10 * 60_000));
    const state = await waitingState(handle);
    assert.deepEqual(state.plan, TODO_PLAN);
    assert.ok(
      state.fidelity?.requirements.some((r) => r.where?.startsWith('/todos')),
      'the fidelity list is there to review with the plan',
    );
    assert.match(state.waiting?.for ?? '', /approval of the plan: overnight-llm plan .* overnight-llm approve /);
    assert.equal(state.review?.onTimeout, 'approve');
    // What the Web UI shows as the run's current details.
    const { currentDetails } = (await handle.query('__temporal_workflow_metadata')) as { currentDetails?: string };
    assert.match(currentDetails ?? '', /\*\*waiting for your approval of the plan: overnight-llm plan .*\*\*, since .* \(until .*, then approve\)/);
    assert.equal(script.fileCalls.length, 0, 'no code before approval');

    const todo = TODO_PLAN.resources[0]!;
    const bad = {
      ...TODO_PLAN,
      resources: [
        { ...todo, name: 'Todo Item', fields: [] },
        { ...todo, name: 'tag', plural: 'tags', parent: 'folder' },
      ],
    };
    const why = await refusal(handle.executeUpdate(approvePlanUpdate, { args: [{ plan: bad }] }));
    assert.match(
      why,
      /^the edited plan is not valid: resources\[0\]\.name must be one lower-case word.*; resources\[0\]\.fields must be an array of 1 to 12 fields.*resources\[1\]\.parent "folder" must be the name of another resource of the plan$/,
    );
    assert.ok((await handle.query(statusQuery)).review, 'still waiting after the refusal');

    const edit = { ...TODO_PLAN, module: 'task-api', resources: [{ ...todo, name: 'task', plural: 'tasks' }] };
    const approved = await handle.executeUpdate(approvePlanUpdate, { args: [{ plan: edit }] });
    assert.equal(approved.resources[0]!.plural, 'tasks');
    const result = (await handle.result()) as RunResult;
    assert.equal(result.valid, true);
    assert.deepEqual(new Set(script.fileCalls.map((c) => c.resource)), new Set(['task']), 'every file phase got the edit');
    assert.deepEqual(
      script.planWrites.map((w) => w.message.replace(/ \(.*/, '')),
      ["plan: plan.json, the model's plan", 'plan: plan.json, edited by the user'],
    );
    const done = await handle.query(statusQuery);
    assert.equal(done.plan?.resources[0]!.name, 'task');
    assert.ok(
      done.fidelity?.requirements.some((r) => r.where?.startsWith('/tasks')),
      'the fidelity list follows the edit',
    );
    assert.equal(done.review, undefined);
    assert.match(done.phases[1]!.notes?.join('\n') ?? '', /replaced by the user's edit/);
    await assert.rejects(
      handle.executeUpdate(approvePlanUpdate, { args: [{}] }),
      (err: Error) => err instanceof WorkflowNotFoundError && /already completed/.test(err.message),
      'an ended run takes no approval',
    );
    recordHistory(pipeline.env.address, handle.workflowId, 'plan-review-edit-run');
  });

  test("approve without an edit: the model's plan goes on; a run without -review-plan refuses approval", async () => {
    const { handle, script } = await pipeline.start({ validate: passing }, review(10 * 60_000));
    await waitingState(handle);
    const approved = await handle.executeUpdate(approvePlanUpdate, { args: [{}] });
    assert.deepEqual(approved, TODO_PLAN);
    assert.equal(((await handle.result()) as RunResult).valid, true);
    assert.equal(script.fileCalls.length, 6);

    const plain = await pipeline.start({ validate: passing, onFile: () => new Promise((r) => setTimeout(r, 500)) });
    const why = await refusal(plain.handle.executeUpdate(approvePlanUpdate, { args: [{}] }));
    assert.match(why, /started without -review-plan/);
    await plain.handle.result();
  });

  test('nobody approves within -review-timeout: -on-review-timeout approve goes on with the plan, stop ends the run planned', async () => {
    const goesOn = await pipeline.start({ validate: passing }, review(1500, 'approve'));
    const stops = await pipeline.start({ validate: passing }, review(1500, 'stop'));
    const [on, off] = (await Promise.all([goesOn.handle.result(), stops.handle.result()])) as RunResult[];
    assert.equal(on!.valid, true);
    assert.equal(goesOn.script.fileCalls.length, 6);
    const onState = await goesOn.handle.query(statusQuery);
    assert.match(onState.phases[1]!.notes?.join('\n') ?? '', /not approved within 1.5 s: the run went on with it \(-on-review-timeout approve\)/);

    assert.equal(off!.stoppedAfterPlan?.why, 'not-approved');
    assert.match(off!.stoppedAfterPlan?.message ?? '', /not approved within 1.5 s: the run stopped there/);
    assert.deepEqual(stops.script.fileCalls, []);
  });
});
