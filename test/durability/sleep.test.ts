// "The laptop sleeps": on the default path (no -strategy: the plan strategy), while the plan
// call streams, the CLI with its worker, the scripted Ollama and the embedded Temporal server are
// all stopped (SIGSTOP) for longer than the heartbeat timeout, then continued. The run must finish, and the pause must not count against the
// working-time budget: with -budget 1 the run passes although its wall time is well over 1 min.
//
// SIGSTOP is not a suspend: the monotonic clock runs on through it, so an LLM attempt that
// survived the pause would measure it. A real wake-up races the server's heartbeat timer
// against the worker's next heartbeat, and the monotonic clock (which stops during a suspend)
// covers both outcomes; here the server is continued first, so its timer deterministically
// takes the silent worker for gone and the stopped attempt's time is thrown away with it.
import { Client, Connection } from '@temporalio/client';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { stopEmbeddedServer } from '../support/cli.js';
import {
  CliProcess,
  bench,
  callFigures,
  embeddedServerPid,
  ollamaCalls,
  outputProblems,
  sleep,
  startOllamaProcess,
  waitFor,
  type Bench,
  type OllamaProcess,
} from '../support/durability.js';
import { readStatusJson, writersOf } from '../support/status-schema.js';
import { checkApi, specFromOutput } from '../support/check-api.js';
import { recordHistory } from '../support/histories.js';

const TOKENS_PER_SECOND = 5; // the plan call (~75 chunks): ~15 s, long enough to pause inside, short enough for 1 min of working time
const PAUSE_MS = 20_000; // four heartbeat timeouts (-heartbeat-timeout 5)
const BUDGET_MS = 60_000; // -budget 1

let b: Bench;
let ollama: OllamaProcess;
let connection: Connection | undefined;
const stopped: number[] = [];

before(async () => {
  b = await bench('sleep');
  ollama = await startOllamaProcess(b.dir, TOKENS_PER_SECOND, 'ollama', ['plan']); // the call paused inside; the rest at once
});

after(async () => {
  for (const pid of stopped) {
    try {
      process.kill(pid, 'SIGCONT');
    } catch {
      // gone
    }
  }
  await connection?.close();
  stopEmbeddedServer(b.temporal);
  await ollama?.stop();
});

test('a pause of at least 20 s of worker, Ollama and server mid-call: the run finishes and the pause is not working time', async () => {
  // The default path, as `make run-local` runs it: the model plans, code writes the project.
  const { args, output } = b.runArgs('todo-api', ollama.url, ['-budget', '1']);
  const started = Date.now();
  const cli = new CliProcess(args, b.env);
  try {
    const runId = await cli.runId();
    await waitFor('the plan call to stream', () => ollamaCalls(ollama).some((c) => c.key === 'plan'), 180_000);
    await sleep(1000);
    const server = embeddedServerPid(b.temporal);
    assert.ok(server, 'the embedded server has a pid file');

    // Sleep: everything stops at once.
    const paused = Date.now();
    for (const pid of [cli.pid, ollama.pid, server]) {
      process.kill(pid, 'SIGSTOP');
      stopped.push(pid);
    }
    // At least PAUSE_MS, and long enough that the wall time passes the 1 min budget whatever the
    // machine's speed: a run that counted the pause as work would fail its budget.
    await sleep(Math.max(PAUSE_MS, started + BUDGET_MS - Date.now()));
    process.kill(server, 'SIGCONT');
    connection = await Connection.connect({ address: b.temporal });
    const handle = new Client({ connection }).workflow.getHandle(runId);
    const retried = await waitFor(
      'the server to take the silent worker for gone',
      async () => {
        const activity = (await handle.describe()).raw.pendingActivities?.[0];
        return activity && (activity.attempt ?? 1) >= 2 ? activity : null;
      },
      20_000,
      250,
    );
    process.kill(ollama.pid, 'SIGCONT');
    process.kill(cli.pid, 'SIGCONT');
    const pauseMs = Date.now() - paused;
    stopped.length = 0;

    const result = await cli.result(300_000);
    const wallMs = Date.now() - started;
    assert.equal(result.code, 0, cli.transcript());
    assert.match(cli.stdout, /^done: the API is ready/m);
    assert.deepEqual(outputProblems(output, { modelFiles: false }), []);
    // Code wrote the project from the plan: re-checked here, not by the pipeline's word.
    const check = await checkApi(output, specFromOutput(output));
    assert.equal(check.valid, true, check.details);

    const status = readStatusJson(output);
    recordHistory(b.temporal, status.run.workflowId, 'sleep-run');
    assert.deepEqual(writersOf(output), ['plan'], 'the default path');
    const figures = callFigures(ollamaCalls(ollama));
    assert.equal(figures.redoneBeyondCutOff, 0);
    assert.ok(figures.calls <= 8, `${figures.calls} LLM calls`);
    // The budget did not count the pause: working time is far below wall time minus the pause,
    // the run passed a 1 min budget, and its wall time went past that minute.
    const workingMs = status.run.workingMs;
    assert.ok(workingMs < wallMs - pauseMs, `working ${workingMs} ms, wall ${wallMs} ms, pause ${pauseMs} ms`);
    assert.ok(workingMs < BUDGET_MS, `working ${workingMs} ms`);
    assert.ok(wallMs > BUDGET_MS, `wall ${wallMs} ms: the pause carries it past the 1 min budget`);
    console.log(
      `durability/sleep: 1 pause of ${(pauseMs / 1000).toFixed(1)} s survived (worker, Ollama and server stopped; ` +
        `the stopped LLM attempt timed out, attempt ${retried.attempt} took over); working ${(workingMs / 1000).toFixed(1)} s ` +
        `of a ${BUDGET_MS / 60_000} min budget, wall ${(wallMs / 1000).toFixed(1)} s; LLM calls ${figures.calls}, ${figures.cutOff} cut off, ` +
        `${figures.redoneBeyondCutOff} redone beyond them; the CLI ${/lost touch with the Temporal server/.test(cli.stderr) ? `lost touch with the server (${/lost touch with the Temporal server at \S+ \((.*)\): waiting/.exec(cli.stderr)?.[1]}) and waited for it` : 'kept its connection'}`,
    );
  } finally {
    await cli.kill();
  }
});
