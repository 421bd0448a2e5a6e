// Stopping on purpose. `overnight-llm cancel ID` ends a run for good: the CLI following it
// says so and exits non-zero, status.json and the mirror say "cancelled", and the LLM stream
// in flight is closed. Ctrl-C only stops this CLI's worker: it exits (130) saying how to
// resume, and the same command later attaches to the run and finishes it.
import Database from 'better-sqlite3';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { runCli, stopEmbeddedServer } from '../support/cli.js';
import {
  CliProcess,
  bench,
  callFigures,
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
  b = await bench('signals');
  ollama = await startOllamaProcess(b.dir, 40, 'ollama', [HANDLERS_FILE]); // the handlers file streams for ~20 s, the rest at once
});

after(async () => {
  stopEmbeddedServer(b.temporal);
  await ollama?.stop();
});

/** -strategy whole: the model writes each file, so the handlers call streams long enough to cancel or interrupt inside. */
const WHOLE = ['-strategy', 'whole'];

/** The handlers call of this run (the calls file is shared by the file's tests). */
const handlersCall = (after: number) => ollamaCalls(ollama).find((c) => c.key === HANDLERS_FILE && c.at >= after);

test('cancel: the CLI exits non-zero, status.json and the mirror say cancelled, the LLM stream is closed', async () => {
  const started = Date.now();
  const { args, output, db } = b.runArgs('cancelled-api', ollama.url, WHOLE);
  const cli = new CliProcess(args, b.env);
  try {
    const runId = await cli.runId();
    const call = await waitFor('the handlers call to stream', () => handlersCall(started), 180_000);
    await sleep(1000);

    const cancelledAt = Date.now();
    const cancel = await runCli(['cancel', runId, '-temporal', b.temporal], b.env, 60_000);
    assert.equal(cancel.code, 0, cancel.stderr);
    assert.match(cancel.stdout, /cancel requested/);

    const result = await cli.result(60_000);
    assert.notEqual(result.code, 0, cli.transcript());
    assert.equal(result.code, 1);
    assert.match(cli.stderr, /cancel/i, cli.transcript());

    // The stream in flight was closed well before its answer was whole.
    const end = await waitFor('the handlers stream to end', () => ollamaCalls(ollama).find((c) => c.pid === call.pid && c.index === call.index)?.end, 30_000);
    assert.equal(end.complete, false, 'the cancelled call was cut off, not finished');
    assert.ok(end.chunksSent < end.chunks, `${end.chunksSent} of ${end.chunks} chunks sent`);
    assert.equal(ollamaCalls(ollama).filter((c) => c.at > end.at).length, 0, 'no LLM call after the cancel');

    const status = readStatusJson(output);
    recordHistory(b.temporal, status.run.workflowId, 'cancelled-run');
    assert.equal(status.run.status, 'cancelled');
    const mirror = new Database(db, { readonly: true });
    const row = mirror.prepare('SELECT status FROM runs WHERE workflow_id = ?').get(runId) as { status: string };
    mirror.close();
    assert.equal(row.status, 'cancelled');
    console.log(
      `durability/cancel: CLI exited ${result.code} ${((Date.now() - cancelledAt) / 1000).toFixed(1)} s after the cancel ("${cli.stderr.trim().split('\n').pop()}"); ` +
        `stream closed after ${(end.at - cancelledAt) / 1000} s with ${end.chunksSent}/${end.chunks} chunks; ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
  } finally {
    await cli.kill();
  }
});

test('Ctrl-C: the CLI exits 130 within 15 s saying how to resume; the same command attaches and finishes', async () => {
  const started = Date.now();
  const { args, output } = b.runArgs('interrupted-api', ollama.url, WHOLE);
  const first = new CliProcess(args, b.env);
  let again: CliProcess | undefined;
  try {
    const runId = await first.runId();
    await waitFor('the handlers call to stream', () => handlersCall(started), 180_000);
    await sleep(1000);

    first.child.kill('SIGINT');
    const stopped = await first.result(15_000);
    assert.equal(stopped.code, 130, first.transcript());
    assert.ok(first.stderr.includes(`overnight-llm attach ${runId}`), first.transcript());

    again = new CliProcess(args, b.env);
    const result = await again.result(300_000);
    assert.equal(result.code, 0, again.transcript());
    assert.match(again.stderr, /already in progress .*attaching/);
    assert.match(again.stdout, /^done: the API is ready/m);
    assert.deepEqual(outputProblems(output), []);

    const figures = callFigures(ollamaCalls(ollama).filter((c) => c.at >= started));
    assert.equal(figures.distinct, 7);
    assert.equal(figures.redoneBeyondCutOff, 0);
    assert.ok(figures.calls <= 8, `${figures.calls} LLM calls`);
    console.log(
      `durability/ctrl-c: exit 130 after ${(stopped.ms / 1000).toFixed(1)} s; the re-run attached and finished; ` +
        `LLM calls ${figures.calls}, ${figures.cutOff} cut off, ${figures.redoneBeyondCutOff} redone beyond them; ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
  } finally {
    await first.kill();
    await again?.kill();
  }
});
