// The Temporal server goes away mid-run and comes back from its database file: the embedded
// dev server is stopped (SIGTERM) while an LLM call streams, then started again the way the
// CLI starts it (here by `overnight-llm status`, which finds nothing at -temporal and starts
// the server on the same SQLite file). The run must survive and finish with no work redone
// beyond the call that was cut off, and the CLI whose server vanished must reconnect and finish it
// by itself.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { runCli, stopEmbeddedServer } from '../support/cli.js';
import {
  CliProcess,
  bench,
  callFigures,
  embeddedServerPid,
  isAlive,
  ollamaCalls,
  outputProblems,
  sleep,
  startOllamaProcess,
  HANDLERS_FILE,
  waitFor,
  type Bench,
  type OllamaProcess,
} from '../support/durability.js';
import { readStatusJson } from '../support/status-schema.js';
import { recordHistory } from '../support/histories.js';

let b: Bench;
let ollama: OllamaProcess;

before(async () => {
  b = await bench('restart');
  ollama = await startOllamaProcess(b.dir, 40, 'ollama', [HANDLERS_FILE]); // the handlers file streams for ~20 s, the rest at once
});

after(async () => {
  stopEmbeddedServer(b.temporal);
  await ollama?.stop();
});

test('the dev server stopped mid-call and started again from its database: the run finishes', async () => {
  const started = Date.now();
  // -strategy whole: the model writes each file, so there is an LLM call to take the server away under.
  const { args, output, db } = b.runArgs('todo-api', ollama.url, ['-strategy', 'whole']);
  const runs: CliProcess[] = [];
  let outcome = '';
  try {
    const first = new CliProcess(args, b.env);
    runs.push(first);
    const runId = await first.runId();
    await waitFor('the handlers call to stream', () => ollamaCalls(ollama).some((c) => c.key === HANDLERS_FILE), 180_000);
    await sleep(1000);

    const oldServer = embeddedServerPid(b.temporal)!;
    process.kill(oldServer, 'SIGTERM');
    await waitFor('the dev server to exit', () => !isAlive(oldServer), 60_000);
    const down = Date.now();
    await sleep(3000); // the CLI's worker and client see the server gone

    // Back from its database file: any CLI command starts it again when nothing answers.
    const status = await runCli(['status', runId, '-db', db, '-temporal', b.temporal], b.env, 120_000);
    assert.match(status.stderr, /started the Temporal dev server/, status.stderr);
    assert.equal(status.code, 0, `${status.stdout}\n${status.stderr}`);
    assert.match(status.stdout, /running/, 'the restarted server still knows the run');
    const newServer = embeddedServerPid(b.temporal)!;
    assert.notEqual(newServer, oldServer);
    const downMs = Date.now() - down;

    // The first CLI carries on by itself: its client and worker reconnect to the restarted server
    // (no second command: a rerun that attaches would hide a broken reconnect).
    const result = await first.result(300_000);
    assert.equal(result.code, 0, first.transcript());
    assert.match(first.stdout, /^done: the API is ready/m);
    outcome = `the first CLI reconnected and finished the run${/lost touch with the Temporal server/.test(first.stderr) ? ' (it said it lost touch and waited)' : ''}`;

    assert.deepEqual(outputProblems(output), []);
    recordHistory(b.temporal, readStatusJson(output).run.workflowId, 'server-restart-run');
    const figures = callFigures(ollamaCalls(ollama));
    assert.equal(figures.distinct, 7);
    assert.equal(figures.redoneBeyondCutOff, 0, 'no LLM call redone but the one cut off');
    assert.ok(figures.calls <= 8, `${figures.calls} LLM calls`);
    console.log(
      `durability/server-restart: server down ${(downMs / 1000).toFixed(1)} s and restarted from its db; ${outcome}; ` +
        `LLM calls ${figures.calls}, ${figures.cutOff} cut off, ${figures.redoneBeyondCutOff} redone beyond them; ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
  } finally {
    for (const r of runs) await r.kill();
  }
});
