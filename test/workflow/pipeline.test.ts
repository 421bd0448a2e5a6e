// The workflow on a real Temporal dev server, with a real worker, the scripted Ollama
// and the real Go toolchain: the phase sequence, the repair loop, skip-validation, and
// a failure that says what to do.
import { WorkflowFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createHash } from 'node:crypto';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { rootMessage } from '../../workflows/run-state.js';
import type { FilePhase, RunInput } from '../../core/types.js';
import type { RunResult, RunState } from '../../core/run-types.js';
import { filePathFor } from '../../core/layout.js';
import { FIXTURE_DIR, VARIANTS_DIR, startDevServerWithWorker, runInput } from '../support/run-fixtures.js';
import { readStatusJson } from '../support/status-schema.js';
import { recordHistory } from '../support/histories.js';
import { COVERAGE_KEY, MODEL_KEY, OUTCOME_KEY, PHASE_KEY } from '../../workflows/search-attributes.js';
import {
  SCRIPTED_OLLAMA_VERSION,
  scenarioResponder,
  startScriptedOllama,
  TODO_SPEC,
  todoApiResponder,
  withOverrides,
  type ScenarioName,
} from '../support/scripted-ollama.js';
import { checkApi } from '../support/check-api.js';

let env: TestWorkflowEnvironment;
let stopServer: () => Promise<void> = async () => {};
/** No run result is awaited without a deadline: a stuck run fails as timed out, not as a hung test file. */
const RUN_DEADLINE = '10m';
const taskQueue = 'pipeline-test';

before(async () => {
  ({ env, stop: stopServer } = await startDevServerWithWorker(taskQueue));
});

after(async () => {
  await stopServer();
});

async function runScenario(scenario: ScenarioName, tweak: (input: RunInput) => void = () => {}, id = `wf-${scenario}-${Date.now()}`) {
  const ollama = await startScriptedOllama({ respond: scenarioResponder(scenario, { fixtureDir: FIXTURE_DIR, variantsDir: VARIANTS_DIR }) });
  try {
    const input = runInput(ollama.url);
    tweak(input);
    const handle = await env.client.workflow.start('generateApi', { taskQueue, workflowId: id, args: [input], workflowExecutionTimeout: RUN_DEADLINE });
    const result = (await handle.result()) as RunResult;
    const state = await handle.query<RunState>('status');
    return { input, result, state, handle, calls: ollama.calls.length, callList: ollama.calls };
  } finally {
    await ollama.close();
  }
}

/** Polls `probe` until it returns a value, failing after `ms`. */
async function pollUntil<T>(probe: () => Promise<T | undefined>, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`nothing after ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The repair requests the model was sent, in order. */
const repairPrompts = (calls: { lastUserMessage: string }[]) => calls.map((c) => c.lastUserMessage).filter((m) => /^Repair round \d+\./m.test(m));

const phaseNames = (state: RunState) => state.phases.map((p) => (p.round ? `${p.name}#${p.round}` : p.name));

describe('generateApi on a real dev server', () => {
  test('a good model yields a valid API, every phase in order, and status.json', async () => {
    const { input, result, state, handle, calls } = await runScenario('good');
    assert.equal(result.valid, true);
    assert.equal(result.unvalidated, undefined);
    assert.ok(result.coveragePercent !== null && result.coveragePercent >= 70, `coverage ${result.coveragePercent}`);
    assert.deepEqual(phaseNames(state), [
      'preflight',
      'plan',
      'scaffold',
      'models',
      'repository',
      'handlers',
      'server',
      'tests',
      'readme',
      'validate',
      'report',
    ]);
    assert.ok(state.phases.every((p) => p.status === 'done'));
    assert.equal(calls, 7, 'one plan call and one call per generated file');
    const status = readStatusJson(input.outputDir);
    assert.equal(status.run.status, 'completed');
    assert.equal(status.validation?.final.ok, true);
    assert.match(
      status.validation?.final.containment ?? '',
      /^(WEAKER THAN CI \(namespaces\+readonly\): )?(namespaces: |no namespaces \()/,
      'the validation names its containment',
    );
    // What built it: the preflight's findings, in status.json.
    // `go version` says e.g. "go version go1.26.8 linux/amd64"; the scripted model's digest is the sha256 of its name.
    const goVersion = execFileSync('go', ['version'], { encoding: 'utf8' })
      .trim()
      .replace(/^go version /, '');
    const digest = createHash('sha256').update('codellama:7b').digest('hex').slice(0, 12);
    assert.deepEqual(status.phases[0]!.notes, [`Go ${goVersion}, Ollama ${SCRIPTED_OLLAMA_VERSION}, model codellama:7b (${digest})`]);
    for (const f of ['go.mod', 'cmd/server/main.go', 'internal/handlers/todo_handler.go', 'tests/todo_handler_test.go', 'README.md']) {
      assert.ok(existsSync(path.join(input.outputDir, f)), f);
    }
    // What the Web UI and `list` filter on.
    const attributes = (await handle.describe()).typedSearchAttributes;
    assert.deepEqual(
      [attributes.get(PHASE_KEY), attributes.get(MODEL_KEY), attributes.get(OUTCOME_KEY), attributes.get(COVERAGE_KEY)],
      ['report', 'codellama:7b', 'valid', result.coveragePercent],
    );
    recordHistory(env.address, handle.workflowId, 'good-run');
  });

  test('a compile error is sent back to the model and repaired', async () => {
    const { result, state, handle, callList } = await runScenario('broken-handlers-once');
    recordHistory(env.address, handle.workflowId, 'repair-run');
    assert.equal(result.valid, true);
    assert.deepEqual(phaseNames(state).slice(9), ['validate', 'repair#1', 'validate#1', 'report']);
    const firstValidation = state.phases[9];
    assert.equal(firstValidation.status, 'failed', 'a validation that found errors shows as failed');
    assert.match(firstValidation.error ?? '', /vet, build failed|build failed/);
    const repair = state.phases.find((p) => p.name === 'repair')!;
    assert.deepEqual(
      repair.files.map((f) => f.path),
      ['internal/handlers/todo_handler.go'],
    );
    // What the model was sent: the file, the round and the compiler's own words about it.
    const asked = repairPrompts(callList);
    assert.equal(asked.length, 1);
    assert.match(asked[0]!, /^File: internal\/handlers\/todo_handler\.go$/m);
    assert.match(asked[0]!, /Repair round 1/);
    assert.match(asked[0]!, /todo_handler\.go:46:\d+: undefined: newTodo/);
  });

  test('a failing test is sent back with its output, and the tests file is repaired', async () => {
    const { result, state, callList } = await runScenario('failing-tests-once');
    assert.equal(result.valid, true, result.error);
    assert.deepEqual(phaseNames(state).slice(9), ['validate', 'repair#1', 'validate#1', 'report']);
    assert.deepEqual(
      state.phases.find((p) => p.name === 'repair')!.files.map((f) => f.path),
      [filePathFor('tests', 'todo')],
    );
    const asked = repairPrompts(callList);
    assert.equal(asked.length, 1);
    assert.match(asked[0]!, /^File: tests\/todo_handler_test\.go$/m);
    assert.match(asked[0]!, /TestDelete/);
    assert.match(asked[0]!, /delete: status 204, want 200/);
  });

  test('coverage under the goal sends the tests back asking for more, and the tests file is repaired', async () => {
    const { result, state, callList } = await runScenario('low-coverage-once');
    assert.equal(result.valid, true, result.error);
    assert.ok(result.coveragePercent !== null && result.coveragePercent >= 70);
    assert.match(state.phases[9]!.error ?? '', /coverage [\d.]+% is under the 70% goal/);
    assert.deepEqual(
      state.phases.find((p) => p.name === 'repair')!.files.map((f) => f.path),
      [filePathFor('tests', 'todo')],
    );
    const asked = repairPrompts(callList);
    assert.equal(asked.length, 1);
    assert.match(asked[0]!, /^File: tests\/todo_handler_test\.go$/m);
    assert.match(asked[0]!, /coverage [\d.]+% is below the goal of 70%/);
  });

  test('-skip-validation skips validate and repair, and the result says the code was not validated', async () => {
    const { result, state, handle } = await runScenario('broken-handlers-once', (input) => (input.skipValidation = true));
    // The handlers do not compile here: the run completed as asked, and says nothing checked it.
    assert.equal(result.status, 'completed');
    assert.equal(result.unvalidated, true, 'a skipped validation is not a passed one');
    assert.equal(result.coveragePercent, null);
    const skipped = state.phases.filter((p) => p.status === 'skipped').map((p) => p.name);
    assert.deepEqual(skipped, ['validate', 'repair']);
    assert.equal((await handle.describe()).typedSearchAttributes.get(OUTCOME_KEY), 'unvalidated');
  });

  test('-strategy guided: a body the compiler rejects is fixed where it is written, the API is valid, checked independently', async () => {
    const broken = '```go\nfunc (h *TodoHandler) Get(w http.ResponseWriter, r *http.Request) {\n\twriteJSON(w, http.StatusOK, h.repo.Find(1))\n}\n```';
    const respond = withOverrides(todoApiResponder({ fixtureDir: FIXTURE_DIR }), [
      { when: (req) => req.file === 'internal/handlers/todo_handler.go' && /^Function: Get$/m.test(req.lastUserMessage), times: 1, answer: broken },
    ]);
    const ollama = await startScriptedOllama({ respond });
    try {
      const input = runInput(ollama.url, { strategy: 'guided' });
      const handle = await env.client.workflow.start('generateApi', {
        taskQueue,
        workflowId: `wf-guided-${Date.now()}`,
        args: [input],
        workflowExecutionTimeout: RUN_DEADLINE,
      });
      const result = (await handle.result()) as RunResult;
      const state = await handle.query<RunState>('status');
      assert.equal(result.valid, true, result.error);
      assert.deepEqual(phaseNames(state).slice(9), ['validate', 'report'], 'no repair round: the error was fixed while the file was written');
      const fix = ollama.calls.find((c) => /is not right yet/.test(c.lastUserMessage));
      assert.match(fix?.lastUserMessage ?? '', /h\.repo\.Find undefined/);
      const status = readStatusJson(input.outputDir);
      const handlers = status.files.find((f) => f.path === 'internal/handlers/todo_handler.go')!;
      assert.equal(handlers.provenance?.candidates, 6, 'five handlers, Get twice');
      assert.equal(handlers.provenance?.errorsLeft, 0);
      // The pipeline's verdict, re-checked by code that shares none of it: vet, build, tests ≥ 70 %, CRUD.
      const check = await checkApi(input.outputDir, TODO_SPEC);
      assert.ok(check.valid, check.details);
      recordHistory(env.address, handle.workflowId, 'guided-run');
    } finally {
      await ollama.close();
    }
  });

  test('Ollama going away mid-run and coming back: the run waits, says so, and redoes only the call that was cut off', async () => {
    const first = await startScriptedOllama({
      fixtureDir: FIXTURE_DIR,
      // The handlers call is cut off mid-answer, and the server goes with it.
      fault: (req) => (req.file === filePathFor('handlers', 'todo') ? { fault: 'reset', afterChunks: 5 } : undefined),
      onCall: (call) => {
        if (call.file === filePathFor('handlers', 'todo')) setTimeout(() => void first.close(), 5);
      },
    });
    let second: Awaited<ReturnType<typeof startScriptedOllama>> | undefined;
    try {
      const input = runInput(first.url);
      const handle = await env.client.workflow.start('generateApi', {
        taskQueue,
        workflowId: `wf-ollama-away-${Date.now()}`,
        args: [input],
        workflowExecutionTimeout: RUN_DEADLINE,
      });
      const waiting = await pollUntil(async () => (await handle.query<RunState>('status')).waiting, 60_000);
      assert.equal(waiting.for, `Ollama at ${first.url}`);
      const details = await handle.query<{ currentDetails: string }>('__temporal_workflow_metadata');
      assert.match(details.currentDetails, new RegExp(`waiting for Ollama at ${first.url}\\*\\*, since ${waiting.since}`), 'the Web UI shows the wait');
      second = await startScriptedOllama({ port: first.port, fixtureDir: FIXTURE_DIR });
      const result = (await handle.result()) as RunResult;
      assert.equal(result.valid, true, result.error);
      const state = await handle.query<RunState>('status');
      assert.equal(state.waiting, undefined);
      assert.deepEqual(phaseNames(state), [
        'preflight',
        'plan',
        'scaffold',
        'models',
        'repository',
        'handlers',
        'server',
        'tests',
        'readme',
        'validate',
        'report',
      ]);
      // Nothing finished before the outage is asked again: the new server sees the cut-off call and what came after.
      const file = (phase: FilePhase) => filePathFor(phase, 'todo');
      assert.deepEqual(
        first.calls.map((c) => c.file ?? 'plan'),
        ['plan', file('models'), file('repository'), file('handlers')],
      );
      assert.deepEqual(
        second.calls.map((c) => c.file),
        [file('handlers'), file('server'), file('tests'), file('readme')],
      );
      const check = await checkApi(input.outputDir, TODO_SPEC);
      assert.ok(check.valid, check.details);
      recordHistory(env.address, handle.workflowId, 'ollama-wait-run');
    } finally {
      await first.close();
      await second?.close();
    }
  });

  test('-ollama-wait 0: a run whose Ollama is gone fails at once, saying how to start it', async () => {
    const ollama = await startScriptedOllama({
      fixtureDir: FIXTURE_DIR,
      onCall: (call) => {
        if (call.file === 'internal/models/todo.go') void ollama.close();
      },
      fault: (req) => (req.file === 'internal/models/todo.go' ? { fault: 'reset', afterChunks: 2 } : undefined),
    });
    try {
      const handle = await env.client.workflow.start('generateApi', {
        taskQueue,
        workflowId: `wf-no-wait-${Date.now()}`,
        args: [runInput(ollama.url, { ollamaWaitMs: 0 })],
        workflowExecutionTimeout: RUN_DEADLINE,
      });
      const err = await handle.result().then(
        () => null,
        (e) => e,
      );
      assert.ok(err instanceof WorkflowFailedError, `expected a failed workflow, got ${err}`);
      assert.match(rootMessage(err), new RegExp(`Ollama is not reachable at ${ollama.url}: start it with \`ollama serve\``));
      const state = await handle.query<RunState>('status');
      assert.equal(state.phases.at(-2)?.name, 'models');
    } finally {
      await ollama.close();
    }
  });

  test('a missing model fails the run at preflight with the command that fixes it', async () => {
    const err = await runScenario('good', (input) => (input.llm.model = 'nosuch:1b')).then(
      () => null,
      (e) => e,
    );
    assert.ok(err instanceof WorkflowFailedError, `expected a failed workflow, got ${err}`);
    assert.match(rootMessage(err), /ollama pull nosuch:1b/);
  });
});
