// Hostile answers through the whole run: 6 cases (the last on the default path, -strategy plan) (the layer's total is in support.ts), on a real
// dev server with a real Worker (WORKFLOWS_PATH and the real activities), the scripted Ollama
// and, for the wrong-package case, the real Go toolchain. Each run ends with a clear verdict in
// the run's result and in status.json, and what crosses Temporal's history stays small.
import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import proto from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { closeMirrors } from '../../lib/db.js';
import { rootMessage } from '../../workflows/run-state.js';
import type { LlmSettings, RunInput } from '../../core/types.js';
import type { RunResult, RunState } from '../../core/run-types.js';
import { FIXTURE_DIR, startDevServerWithWorker } from '../support/run-fixtures.js';
import { startScriptedOllama, todoApiResponder, TODO_SPEC, whenFile, whenPlan, withOverrides, type Override } from '../support/scripted-ollama.js';
import { fencedAnswer, generatedReadme, hasFormat, type Answer, type ScriptedRequest } from '../support/scripted-ollama-responders.js';
import { behaviourContract } from '../../core/go/index.js';
import { MAX_CANDIDATES } from '../../core/guided-code.js';
import { LIBRARY_BODIES, LIBRARY_PLAN } from '../../core/go/sample-plans.js';
import { singleResourceSpec } from '../../core/single-resource.js';
import { checkApi, specFromOutput } from '../support/check-api.js';
import { readStatusJson } from '../support/status-schema.js';
import {
  KiB,
  MiB,
  USER_TEXT,
  assertNoNewProcesses,
  assertOneLine,
  descendants,
  fixture,
  leftoverTmp,
  llmSettings,
  makeSandbox,
  snapshot,
  within,
  type Sandbox,
} from './support.js';

const MODELS = 'internal/models/todo.go';
const HANDLERS = 'internal/handlers/todo_handler.go';
const PROSE = 'Handlers are functions that take a ResponseWriter and a Request. You can write them yourself!';
const HISTORY_EVENT_LIMIT = 256 * KiB;

let env: TestWorkflowEnvironment;
let stopServer: () => Promise<void> = async () => {};
/** No run result is awaited without a deadline: a stuck run fails as timed out, not as a hung test file. */
const RUN_DEADLINE = '5m';
const taskQueue = 'hostile-workflow';

before(async () => {
  ({ env, stop: stopServer } = await startDevServerWithWorker(taskQueue));
});

after(async () => {
  await stopServer();
  closeMirrors();
});

interface Run {
  sb: Sandbox;
  input: RunInput;
  result?: RunResult;
  error?: unknown;
  state: RunState;
  status: {
    run: { status: string; error: string | null };
    phases: { name: string; status: string; error: string | null }[];
    validation: { final: { ok: boolean; steps: { outputTail: string }[] } } | null;
  };
  handle: WorkflowHandle;
}

/** One run against `overrides`, with the layer's checks around it; `limitMs` bounds the whole run. */
async function hostileRun(
  name: string,
  overrides: Override[],
  { llm, ...tweak }: Partial<Omit<RunInput, 'llm'>> & { llm?: Partial<LlmSettings> },
  limitMs: number,
  fn: (run: Run) => Promise<void>,
): Promise<void> {
  const ollama = await startScriptedOllama({ respond: withOverrides(todoApiResponder({ fixtureDir: FIXTURE_DIR }), overrides), chunkChars: 4 * KiB });
  const sb = makeSandbox();
  try {
    const input: RunInput = {
      prompt: 'REST API for todo list',
      outputDir: sb.out,
      dbPath: sb.dbPath,
      llm: llmSettings(ollama.url, { maxOutputBytes: MiB, stallTimeoutMs: 10_000, ...llm }),
      skipValidation: true,
      allowNonEmptyOutput: false,
      maxRepairRounds: 1,
      coverageGoal: 70,
      ...tweak,
    };
    const beside = snapshot(sb.root, sb.out);
    const procs = descendants();
    const handle = await env.client.workflow.start('generateApi', {
      taskQueue,
      workflowId: `hostile-${name}-${Date.now()}`,
      args: [input],
      workflowExecutionTimeout: RUN_DEADLINE,
    });
    const r = await within(limitMs, handle.result() as Promise<RunResult>, () => void handle.terminate('hostile test: over its time limit').catch(() => {}));
    assert.deepEqual(snapshot(sb.root, sb.out), beside, 'something outside the output folder changed');
    assert.equal(readFileSync(sb.userFile, 'utf8'), USER_TEXT);
    assert.deepEqual(leftoverTmp(sb.root), [], 'temporary files were left behind');
    await assertNoNewProcesses(procs, 5000);
    await assertSmallHistory(handle);
    const state = await handle.query<RunState>('status');
    const status = JSON.parse(readFileSync(path.join(sb.out, 'status.json'), 'utf8'));
    await fn({ sb, input, result: r.ok ? r.value : undefined, error: r.ok ? undefined : r.error, state, status, handle });
  } finally {
    await ollama.close();
    sb.cleanup();
  }
}

/** No event of the run's history carries more than HISTORY_EVENT_LIMIT bytes, encoded as the server stores it. */
async function assertSmallHistory(handle: WorkflowHandle): Promise<void> {
  const history = await handle.fetchHistory();
  const events = history.events ?? [];
  assert.ok(events.length > 0);
  for (const event of events) {
    const bytes = proto.temporal.api.history.v1.HistoryEvent.encode(event).finish().length;
    assert.ok(bytes <= HISTORY_EVENT_LIMIT, `history event ${event.eventId} (${event.eventType}) is ${bytes} bytes`);
  }
}

/** The run failed with `message`; status.json agrees, and names the phase that failed. */
function assertFailedRun(run: Run, phase: string, message: RegExp): void {
  assert.ok(run.error instanceof WorkflowFailedError, `expected a failed run, got ${String(run.error ?? JSON.stringify(run.result))}`);
  const root = rootMessage(run.error);
  assert.match(root, message);
  assertOneLine(root);
  assert.equal(run.state.status, 'failed');
  assert.equal(run.status.run.status, 'failed');
  assert.match(run.status.run.error ?? '', message);
  const failed = run.status.phases.filter((p) => p.status === 'failed');
  assert.deepEqual(
    failed.map((p) => p.name),
    [phase],
    'status.json names the phase that failed',
  );
  assert.match(failed[0]!.error ?? '', message);
}

describe('hostile answers through a whole run on a real dev server', () => {
  it('a plan that stays invalid: the run fails with the PlanInvalid message, status.json says so', { timeout: 120_000 }, async () => {
    const bad = JSON.stringify({ ...TODO_SPEC, resource: '../x' });
    await hostileRun('plan', [{ when: whenPlan(), answer: bad }], {}, 60_000, async (run) => {
      assertFailedRun(run, 'plan', /the model gave no valid plan in 3 tries \(resources\[0\]\.name must be one lower-case word.*-model/);
      assert.deepEqual(
        run.state.phases.map((p) => p.name),
        ['preflight', 'plan', 'report'],
      );
      assert.equal(existsSync(path.join(run.sb.out, 'go.mod')), false, 'nothing was scaffolded from a bad plan');
    });
  });

  it('prose-only answers for the handlers file: the run fails at handlers, status.json says why', { timeout: 120_000 }, async () => {
    await hostileRun('prose', [{ when: whenFile(HANDLERS), answer: PROSE }], {}, 60_000, async (run) => {
      assertFailedRun(run, 'handlers', /the answer for internal\/handlers\/todo_handler\.go holds no Go code.*twice.*-model/);
      assert.equal(readFileSync(path.join(run.sb.out, MODELS), 'utf8'), fixture(MODELS));
      assert.equal(existsSync(path.join(run.sb.out, HANDLERS)), false);
    });
  });

  it('a 150 KB file, then a 2 MiB answer over the 1 MiB cap: the run fails with the cap message, history stays small', { timeout: 120_000 }, async () => {
    // Under the 192 KB a file may have on its way from the model worker to the workspace (it crosses the history).
    const bigModels = fixture(MODELS) + `// ${'x'.repeat(76)}\n`.repeat(1_900); // ~150 KB
    const overrides: Override[] = [
      { when: whenFile(MODELS), answer: '```go\n' + bigModels + '```\n' },
      { when: whenFile(HANDLERS), answer: { fault: 'oversized', bytes: 2 * MiB } },
    ];
    // The 150 KB file is carried into the next prompts (~38 k tokens): a context that holds them, so
    // the answer cap is what ends the run (a 4096-token context ends it sooner: the next test).
    const roomy = { llm: { options: { temperature: 0, seed: 1, num_ctx: 1 << 20 } } };
    await hostileRun('oversized', overrides, roomy, 60_000, async (run) => {
      assertFailedRun(run, 'handlers', /the model's answer passed the output cap of 1048576 bytes and was cut off/);
      assert.equal(readFileSync(path.join(run.sb.out, MODELS), 'utf8'), bigModels);
      const models = run.state.phases.find((p) => p.name === 'models')!;
      assert.equal(models.files[0]!.bytes, Buffer.byteLength(bigModels));
    });
  });

  it(
    'a 920 KB file: refused on its way to the workspace, the run fails at models saying so, nothing written, history stays small',
    { timeout: 120_000 },
    async () => {
      const hugeModels = fixture(MODELS) + `// ${'x'.repeat(76)}\n`.repeat(11_500); // ~920 KB, under the 1 MiB output cap
      await hostileRun('huge', [{ when: whenFile(MODELS), answer: '```go\n' + hugeModels + '```\n' }], {}, 60_000, async (run) => {
        assertFailedRun(run, 'models', /the answer for internal\/models\/todo\.go is \d+ KB, over the 192 KB a file may have on its way to the workspace/);
        assert.equal(existsSync(path.join(run.sb.out, MODELS)), false);
      });
    },
  );

  it(
    'a 150 KB file carried into the next prompt, which no 4096-token context holds: the run fails there, saying so (not a silent cut)',
    { timeout: 120_000 },
    async () => {
      const bigModels = fixture(MODELS) + `// ${'x'.repeat(76)}\n`.repeat(1_900);
      await hostileRun('truncated', [{ when: whenFile(MODELS), answer: '```go\n' + bigModels + '```\n' }], {}, 60_000, async (run) => {
        assertFailedRun(run, 'repository', /the prompt did not fit the model's context \(num_ctx 4096 tokens\).*raise -num-ctx/);
        assert.equal(existsSync(path.join(run.sb.out, 'internal/repository/todo_repo.go')), false, 'nothing written from a cut prompt');
      });
    },
  );

  it('Go code declaring the wrong package: written, then validation fails naming its package', { timeout: 300_000 }, async (t) => {
    const wrong = fixture(MODELS).replace('package models', 'package main');
    await hostileRun(
      'package',
      [{ when: whenFile(MODELS), answer: '```go\n' + wrong + '```\n' }],
      { skipValidation: false, maxRepairRounds: 1 },
      240_000,
      async (run) => {
        assert.equal(run.error, undefined, `the run itself ends (valid or not): ${String(run.error)}`);
        assert.equal(run.result!.valid, false);
        assert.equal(readFileSync(path.join(run.sb.out, MODELS), 'utf8'), wrong, 'written as the model wrote it');
        const validate = run.status.phases.filter((p) => p.name === 'validate');
        assert.ok(validate.length >= 1 && validate.every((p) => p.status === 'failed' && /build failed/.test(p.error ?? '')), JSON.stringify(validate));
        assert.equal(run.status.validation!.final.ok, false);
        // Go reports the fault at the importers: `import "todo-api/internal/models" is a program`.
        const models = /"todo-api\/internal\/models" is a program, not an importable package/;
        assert.ok(
          run.status.validation!.final.steps.some((s) => models.test(s.outputTail)),
          'the build output names the models package',
        );
        const failures = run.state.validation!.failures;
        assert.ok(
          failures.every((f) => models.test(f.errors)),
          'each blamed file carries the line that names the models package',
        );
        await t.test('the repair is aimed at the models file itself', () => {
          assert.deepEqual(
            failures.map((f) => f.phase),
            ['models'],
            'the importers (repository, handlers) are not to blame',
          );
          assert.match(failures[0]!.errors, /^internal\/models\/todo\.go: declares package main, but it must declare package models/);
          const repairs = run.state.phases.filter((p) => p.name === 'repair');
          assert.ok(
            repairs.length >= 1 && repairs.every((p) => p.files.every((f) => f.path === MODELS)),
            `repair rewrote ${JSON.stringify(repairs.map((p) => p.files.map((f) => f.path)))}`,
          );
        });
      },
    );
  });

  it(
    "the default path (-strategy plan): behaviour.go's methods answered with prose, a restart that ignores the prefill, another file's path and code that writes outside; a huge answer",
    { timeout: 300_000 },
    async () => {
      const holes = behaviourContract(LIBRARY_PLAN).holes;
      const methodOf = (req: ScriptedRequest) => req.messages.map((m) => /^Method: (\S+)$/m.exec(m.content)?.[1]).find(Boolean);
      const asked = new Map<string, number>();
      const hostile = (req: ScriptedRequest): Answer => {
        const question = /^(?:After \w+, i|I)s this book (one of|left out of) the books that match "published in the last 365 days"\?$/m.exec(
          req.lastUserMessage,
        );
        if (question) {
          const listed = !/published: "[^"]*" \(400 days ago\)/.test(req.lastUserMessage);
          return JSON.stringify(question[1] === 'one of' ? { listed } : { leftOut: !listed });
        }
        if (hasFormat(req.format)) return JSON.stringify(LIBRARY_PLAN);
        const method = methodOf(req);
        if (!method) return fencedAnswer('README.md', generatedReadme(singleResourceSpec(LIBRARY_PLAN)));
        asked.set(method, (asked.get(method) ?? 0) + 1);
        const hole = holes.find((h) => h.name === method)!;
        // Checkout: the first answer is 2 MiB of text, over the 1 MiB cap; every later one is prose.
        if (method === 'Book.Checkout') return asked.get(method) === 1 ? { fault: 'oversized', bytes: 2 * MiB } : PROSE;
        // Recent: the model ignores the start it was given and writes a whole answer of its own, prose first.
        if (method === 'Book.Recent') return `Sure! Here it is:\n\`\`\`go\n${hole.signature} {\n${LIBRARY_BODIES[method]}\n}\n\`\`\`\n`;
        // TitleNotIsbn: another file's path, another package, and code that would write outside the folder.
        return [
          '```go',
          '// File: ../../escaped.go',
          'package main',
          'import "os"',
          'func init() { _ = os.WriteFile("../../escaped.txt", []byte("out"), 0o644) }',
          `${hole.signature} {`,
          LIBRARY_BODIES[method],
          '}',
          '```',
        ].join('\n');
      };
      await hostileRun(
        'default-path',
        [{ when: () => true, answer: hostile }],
        {
          prompt: 'REST API for a library: authors and books with a checkout action',
          strategy: 'plan',
          store: 'sqlite',
          skipValidation: false,
          maxRepairRounds: 1,
        },
        240_000,
        async (run) => {
          assert.equal(run.error, undefined, `the run ends: ${String(run.error)}`);
          assert.equal(run.result!.valid, true, run.result!.error);
          // Re-checked here, not by the pipeline's word: vet, build, tests ≥ 70 %, CRUD over HTTP.
          const check = await checkApi(run.sb.out, specFromOutput(run.sb.out));
          assert.equal(check.valid, true, check.details);
          const source = readFileSync(path.join(run.sb.out, 'internal/models/behaviour.go'), 'utf8');
          // Checkout never had a body that compiled: code's stand-in, and the run names it.
          assert.match(source, /func \(x \*Book\) Checkout\(now time\.Time\) error \{\n/);
          assert.doesNotMatch(source, /Sure|escaped|os\.WriteFile|package main/);
          const notBuilt = readStatusJson(run.sb.out).fidelity!.requirements.filter((r) => r.where === null);
          assert.ok(
            notBuilt.some((r) => /checkout/.test(r.why ?? '')),
            JSON.stringify(notBuilt),
          );
          // Recent's own answer is the model's code, kept; TitleNotIsbn's body alone, from inside its foreign file.
          assert.ok(source.includes(LIBRARY_BODIES['Book.Recent']!), 'the restarted answer was kept');
          assert.ok(source.includes(LIBRARY_BODIES['Book.TitleNotIsbn']!), `the method's body was not taken out of the foreign file:\n${source}`);
          // Wherever the answer's paths lead from the folders the code is written and run in.
          const bases = [run.sb.out, path.join(run.sb.out, 'internal/models'), path.join(run.sb.out, 'tests'), run.sb.root];
          for (const base of bases)
            for (const name of ['../../escaped.go', '../../escaped.txt'])
              assert.equal(existsSync(path.resolve(base, name)), false, `${path.resolve(base, name)} was written`);
          // Each method is asked a bounded number of times: the huge answer and the prose end in code's stand-in, not a loop.
          assert.ok((asked.get('Book.Checkout') ?? 0) >= 2 && (asked.get('Book.Checkout') ?? 0) <= MAX_CANDIDATES, JSON.stringify([...asked]));
          assert.equal(asked.get('Book.Recent'), 1);
          assert.equal(asked.get('Book.TitleNotIsbn'), 1);
        },
      );
    },
  );
});
