// Operators can see a worker: `worker -metrics HOST:PORT` serves Prometheus metrics, the SDK's and
// the project's own, and a scrape during a run shows the token counters rising; `-log-level INFO`
// makes its log lines JSON a log collector reads. The scripted Ollama answers; a real dev server runs.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { cliSetup, freePort, runCli, spawnCli, type CliSetup } from '../support/cli.js';
import { FIXTURE_DIR, tmpDir } from '../support/run-fixtures.js';

let setup: CliSetup;
before(async () => {
  setup = await cliSetup({ fixtureDir: FIXTURE_DIR });
  assert.equal((await runCli(['list', ...setup.common])).code, 0); // starts the embedded server: the worker and the run then share it
});
after(() => setup?.stop());

/** The sum over a metric's series in a Prometheus text scrape (counters may carry a _total suffix); null when absent. */
function metricSum(scrape: string, name: string): number | null {
  const values = [...scrape.matchAll(new RegExp(`^${name}(?:_total)?(?:\\{[^}]*\\})? (\\S+)$`, 'gm'))].map((m) => Number(m[1]));
  return values.length ? values.reduce((a, b) => a + b, 0) : null;
}

const scrape = (url: string) => fetch(url).then((r) => (r.ok ? r.text() : Promise.reject(new Error(`${url}: HTTP ${r.status}`))));

test('worker -metrics: during a run the token counters rise; the SDK metrics are there; -log-level INFO logs JSON lines', async () => {
  const dir = tmpDir('e2e-metrics');
  const output = path.join(dir, 'todo-api');
  const metrics = `127.0.0.1:${await freePort()}`;
  const url = `http://${metrics}/metrics`;
  const worker = spawnCli(['worker', '-metrics', metrics, '-log-level', 'info', ...setup.common]);
  let stderr = '';
  worker.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  try {
    for (const deadline = Date.now() + 30_000; !stderr.includes('worker: polling') && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 200));
    assert.match(stderr, new RegExp(`metrics at ${url.replace(/[./]/g, '\\$&')}`));

    // -strategy whole: a model call per file, so the counters have steps to rise by; -skip-validation:
    // what is measured here is the model side, the Go checks have their own tests.
    const started = await runCli(['-detach', '-skip-validation', '-strategy', 'whole', '-output', output, '-db', path.join(dir, 'poc.db'), ...setup.common]);
    assert.equal(started.code, 0, started.stderr);
    const seen: number[] = [];
    let last = '';
    for (const deadline = Date.now() + 120_000; !existsSync(path.join(output, 'status.json')) && Date.now() < deadline;) {
      last = await scrape(url);
      seen.push(metricSum(last, 'overnight_llm_tokens_out') ?? 0);
      await new Promise((r) => setTimeout(r, 100));
    }
    last = await scrape(url);
    seen.push(metricSum(last, 'overnight_llm_tokens_out') ?? 0);
    const distinct = [...new Set(seen)];
    assert.ok(existsSync(path.join(output, 'status.json')), 'the run ended');
    assert.ok(distinct.length >= 3, `the tokens written rose step by step during the run: ${distinct.join(' → ')}`);
    assert.deepEqual(
      distinct,
      [...distinct].sort((a, b) => a - b),
      'a counter never falls',
    );
    assert.equal(metricSum(last, 'overnight_llm_model_answers'), setup.ollama.calls.length, 'one answer counted per model call');
    assert.ok((metricSum(last, 'overnight_llm_tokens_in') ?? 0) > 0, last);
    assert.ok((metricSum(last, 'overnight_llm_tokens_per_second') ?? 0) > 0, last);
    assert.match(last, /^temporal_activity_execution_latency/m, "the SDK's own metrics on the same endpoint");

    const logLines = stderr.split('\n').filter((l) => l.startsWith('{'));
    assert.ok(logLines.length > 0, stderr);
    for (const line of logLines) {
      const entry = JSON.parse(line) as { time: string; level: string; message: string };
      assert.ok(['INFO', 'WARN', 'ERROR'].includes(entry.level) && entry.message && !Number.isNaN(Date.parse(entry.time)), line);
    }
  } finally {
    worker.kill('SIGTERM');
    await new Promise((r) => worker.once('exit', r));
  }
});

test("the CLI's own run with -metrics: its in-process worker serves the same endpoint, and the token counters rise during the run", async () => {
  const dir = tmpDir('e2e-cli-metrics');
  const output = path.join(dir, 'todo-api');
  const metrics = `127.0.0.1:${await freePort()}`;
  const url = `http://${metrics}/metrics`;
  const cli = spawnCli(['-metrics', metrics, '-skip-validation', '-strategy', 'whole', '-output', output, '-db', path.join(dir, 'poc.db'), ...setup.common]);
  let stderr = '';
  cli.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((r) => cli.once('exit', r));
  let ended = false;
  void exited.then(() => (ended = true));
  try {
    const seen: number[] = [];
    while (!ended) {
      const text = await scrape(url).catch(() => ''); // not up before the worker starts
      if (text) seen.push(metricSum(text, 'overnight_llm_tokens_out') ?? 0);
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(await exited, 0, stderr);
    assert.match(stderr, new RegExp(`serves metrics at ${url.replace(/[./]/g, '\\$&')}`));
    const distinct = [...new Set(seen)];
    assert.ok(distinct.length >= 3, `the tokens written rose step by step during the run: ${distinct.join(' → ')}`);
    assert.deepEqual(
      distinct,
      [...distinct].sort((a, b) => a - b),
      'a counter never falls',
    );
  } finally {
    cli.kill('SIGTERM');
  }
});
