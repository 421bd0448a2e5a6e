// Crash and restart: the CLI (and the worker inside it) is SIGKILLed at four points of one
// run — between phases, inside an LLM call, inside `go test`, inside the smoke run — and each
// time the same command is run again. It must attach to the run in progress and finish it,
// with no LLM call redone beyond the ones cut off, no file lost, and no process or
// validation scratch folder of a killed worker left over.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { stopEmbeddedServer } from '../support/cli.js';
import {
  CliProcess,
  bench,
  childrenOf,
  isAlive,
  callFigures,
  ollamaCalls,
  outputProblems,
  processesInside,
  scratchFoldersOf,
  sleep,
  waitFor,
  type Bench,
  type OllamaProcess,
  startOllamaProcess,
  HANDLERS_FILE,
} from '../support/durability.js';
import { readStatusJson } from '../support/status-schema.js';
import { recordHistory } from '../support/histories.js';

let b: Bench;
let ollama: OllamaProcess;

before(async () => {
  b = await bench('kill');
  ollama = await startOllamaProcess(b.dir, 40, 'ollama', [HANDLERS_FILE]); // the handlers file streams for ~20 s, the rest at once
});

after(async () => {
  stopEmbeddedServer(b.temporal);
  await ollama?.stop();
});

test('SIGKILL between phases, inside an LLM call, inside go test and inside the smoke run: the same command attaches and finishes', async () => {
  const started = Date.now();
  // -strategy whole: the model writes each file, so there is an LLM call long enough to kill the worker inside.
  const { args, output } = b.runArgs('todo-api', ollama.url, ['-strategy', 'whole']);
  const runs: CliProcess[] = [];
  const start = () => {
    const cli = new CliProcess(args, b.env);
    runs.push(cli);
    return cli;
  };
  const kills: string[] = [];
  let smokeOrphan: number | null = null;
  let goTestOrphaned = false;
  let smokeOrphanDir = '';
  /** Validation scratch folders the workers killed inside validation left (<state dir>/validate-tmp/<pid>-…). */
  const killedScratch: string[] = [];
  const kill = async (cli: CliProcess, where: string) => {
    await cli.kill('SIGKILL');
    kills.push(where);
  };
  /** The smoke run's server: the CLI's child whose working folder is a smoke-run scratch folder. */
  const smokeServer = (cli: CliProcess) => childrenOf(cli.pid).find((p) => path.basename(p.cwd).startsWith('overnight-smoke-'));

  try {
    // (b) between phases: right after the scaffold line.
    let cli = start();
    await cli.waitForStdout(/^\[ 3\/12\] scaffold done/m);
    await kill(cli, 'after scaffold');

    // (a) inside an LLM call: this CLI's worker has started streaming the handlers file. Calls
    // before it are answered at once, so the first worker may have started one before its kill:
    // only a call begun after this CLI attached counts.
    const handlersCalls = () => ollamaCalls(ollama).filter((c) => c.key === HANDLERS_FILE).length;
    const handlersBefore = handlersCalls();
    cli = start();
    await waitFor('the second CLI to attach', () => /already in progress .*attaching/.test(cli.stderr), 60_000);
    await waitFor('its handlers call to start', () => handlersCalls() > handlersBefore, 180_000);
    await sleep(1000);
    await kill(cli, 'inside the handlers LLM call');

    // (c) inside validation: the readme is written, validate runs gofmt, vet, build, then go test.
    cli = start();
    await cli.waitForStdout(/^\[ 9\/12\] readme done/m, 240_000);
    const goTest = await waitFor('go test to run', () => childrenOf(cli.pid).find((p) => /\bgo test\b/.test(p.cmdline)), 120_000, 20);
    await sleep(1000);
    await kill(cli, 'inside validation (go test)');
    goTestOrphaned = isAlive(goTest.pid);
    killedScratch.push(...scratchFoldersOf([cli.pid]));

    // (d) inside the smoke run: its server is up. A killed worker's validation is retried after
    // the toolchain heartbeat timeout (1 min), so this waits for the retry's smoke run.
    cli = start();
    const server = await waitFor('the smoke run server', () => smokeServer(cli), 240_000, 5);
    // Held where it is, so the kill orphans it for certain (a smoke run is over in milliseconds):
    // the worker that finishes the run must reap it (SIGKILL to its group ends a stopped process too;
    // found by its working folder when the kill came before its worker had recorded the group).
    process.kill(server.pid, 'SIGSTOP');
    await kill(cli, 'inside the smoke run');
    assert.ok(isAlive(server.pid), 'the smoke server outlived the kill of its worker');
    smokeOrphan = server.pid;
    smokeOrphanDir = server.cwd;
    killedScratch.push(...scratchFoldersOf([cli.pid]));

    cli = start();
    const last = await cli.result(300_000);
    assert.equal(last.code, 0, cli.transcript());
    assert.match(cli.stderr, /already in progress .*attaching/);
    assert.match(cli.stdout, /^done: the API is ready/m);
  } finally {
    for (const r of runs) await r.kill();
  }

  // Nothing redone: 1 plan + 6 files, plus at most one cut-off call per kill.
  const calls = ollamaCalls(ollama);
  const figures = callFigures(calls);
  assert.ok(figures.calls <= 7 + kills.length, `${figures.calls} LLM calls for 7 answers and ${kills.length} kills: ${calls.map((c) => c.key).join(', ')}`);
  assert.equal(figures.distinct, 7);
  assert.equal(figures.redoneBeyondCutOff, 0, `a call that had finished was made again: ${JSON.stringify(calls.map((c) => [c.key, c.end?.complete]))}`);

  // Nothing lost: status.json is complete and true to the files, no half-written file.
  assert.deepEqual(outputProblems(output), []);
  const status = readStatusJson(output);
  recordHistory(b.temporal, status.run.workflowId, 'kill-restart-run');
  const validate = status.phases.filter((p) => p.name === 'validate');
  assert.ok(validate.length >= 1 && validate.every((p) => p.status === 'done'));

  // Nothing left over: no go test, test binary or smoke server of a killed worker still runs.
  const places = [output, b.tmp, ...killedScratch];
  const strays = await waitFor('no process left in the output or scratch folders', () => processesInside(places).length === 0 || null, 20_000).catch(() =>
    processesInside(places),
  );
  assert.equal(strays, true, `processes left over: ${JSON.stringify(strays)}`);
  assert.ok(smokeOrphan !== null);
  assert.equal(isAlive(smokeOrphan), false, `the killed worker's smoke server ${smokeOrphan} still runs`);
  assert.equal(existsSync(smokeOrphanDir), false, `the killed worker's smoke binary is still in ${smokeOrphanDir}`);

  // A worker killed inside validation leaves its scratch folder; the worker that finishes the run sweeps it.
  assert.ok(killedScratch.length > 0, 'the kill inside go test left no scratch folder under validate-tmp: the check below would prove nothing');
  assert.ok(runs.every((r) => !isAlive(r.pid)));
  assert.deepEqual(scratchFoldersOf(runs.map((r) => r.pid)), [], 'a dead worker’s scratch folder is left under validate-tmp');

  console.log(
    `durability/kill: ${kills.length} kills survived (${kills.join('; ')}); LLM calls ${figures.calls} for 7 answers, ` +
      `${figures.cutOff} cut off, ${figures.redoneBeyondCutOff} redone beyond them; ` +
      `go test orphaned by its kill: ${goTestOrphaned ? 'yes' : 'no (it had ended)'}; smoke server orphaned by its kill (held by SIGSTOP): reaped; scratch folders of killed workers: ${killedScratch.length}, all swept; ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
});
