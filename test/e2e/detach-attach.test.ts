// The ways of running that do not keep the CLI's own worker: -detach (start and go), a
// standalone `worker`, `watch` and `attach` by id; and -allow-existing, which writes beside
// the user's files and must leave them as they were.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { checkApi, specFromOutput } from '../support/check-api.js';
import { cliSetup, runCli, spawnCli, type CliSetup } from '../support/cli.js';
import { FIXTURE_DIR, tmpDir } from '../support/run-fixtures.js';
import type { ScriptedOllama } from '../support/scripted-ollama.js';
import { writersOf } from '../support/status-schema.js';

let setup: CliSetup;
let ollama: ScriptedOllama;
let common: string[];

before(async () => {
  setup = await cliSetup({ fixtureDir: FIXTURE_DIR });
  ({ ollama, common } = setup);
});

after(() => setup?.stop());

/** The run's history as the Temporal server holds it: its event types (by the attributes each event carries), in order. */
async function historyEventTypes(workflowId: string): Promise<string[]> {
  const connection = await Connection.connect({ address: setup.temporal });
  try {
    const history = await new Client({ connection }).workflow.getHandle(workflowId).fetchHistory();
    return (history.events ?? []).map((e) =>
      (Object.keys(e).find((k) => k.endsWith('EventAttributes') && (e as Record<string, unknown>)[k]) ?? '?').replace(/EventAttributes$/, ''),
    );
  } finally {
    await connection.close();
  }
}

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('-detach, a standalone worker, watch and attach', () => {
  const dir = tmpDir('e2e-detach');
  const output = path.join(dir, 'todo-api');
  const db = path.join(dir, 'poc.db');
  let id = '';

  test('-detach prints the run id and exits 0 at once; without a worker nothing is asked of the model', async () => {
    const started = await runCli(['-output', output, '-db', db, '-detach', ...common]);
    assert.equal(started.code, 0, started.stderr);
    id = started.stdout.trim();
    assert.match(id, /^overnight-todo-api-\w+$/);
    // Nothing ran: the server's own history has the first workflow task scheduled and never started.
    assert.deepEqual(await historyEventTypes(id), ['workflowExecutionStarted', 'workflowTaskScheduled']);
    assert.equal(ollama.calls.length, 0, 'no worker, no model call');
    const status = await runCli(['status', id, '-json', '-db', db, ...common]);
    assert.equal(status.code, 0, status.stderr);
    const state = JSON.parse(status.stdout) as { status: string; phases: unknown[]; waiting?: { for: string } };
    assert.deepEqual([state.status, state.phases.length], ['running', 0]);
    assert.match(state.waiting?.for ?? '', /^a worker on task queue overnight-llm \(start one: overnight-llm worker\)$/);
  });

  test('a second command into that folder: another prompt is refused naming the run; the same command attaches', async () => {
    const other = await runCli(['-output', output, '-db', db, '-detach', '-prompt', 'REST API for a garden of plants', ...common]);
    assert.equal(other.code, 2, other.stderr);
    assert.equal(other.stdout, '');
    assert.match(
      other.stderr.trim(),
      new RegExp(
        `^overnight-llm: .*todo-api is being written by run ${id} \\(prompt "REST API for todo list", other flags than these\\): follow it with overnight-llm attach ${id}, or choose another -output$`,
      ),
    );
    const same = await runCli(['-output', output, '-db', db, '-detach', ...common]);
    assert.equal(same.code, 0, same.stderr);
    assert.equal(same.stdout.trim(), id);
    assert.match(same.stderr, /already in progress .*: attaching to it/);
    assert.equal(ollama.calls.length, 0, 'still no worker, no model call');
  });

  test('a standalone worker runs it; watch follows it to its end and exits with its outcome', async () => {
    const worker = spawnCli(['worker', ...common]);
    try {
      const watched = await runCli(['watch', id, '-db', db, ...common]);
      assert.equal(watched.code, 0, watched.stderr);
      assert.match(watched.stdout, /validate done/);
      assert.match(watched.stdout, /^done: the API is ready/m);
    } finally {
      worker.kill('SIGINT');
      await new Promise((r) => worker.once('exit', r));
    }
    const check = await checkApi(output, specFromOutput(output));
    assert.equal(check.valid, true, check.details);
    assert.deepEqual(writersOf(output), ['plan'], 'a detached run without -strategy runs the default');
  });

  test('attach to the finished run: its outcome and exit code, no model call', async () => {
    const calls = ollama.calls.length;
    const attached = await runCli(['attach', id, '-db', db, ...common]);
    assert.equal(attached.code, 0, attached.stderr);
    assert.match(attached.stdout, /^done: the API is ready/m);
    assert.equal(ollama.calls.length, calls);
  });
});

describe('-allow-existing', () => {
  test("writes the API beside the user's files and leaves them byte for byte", async () => {
    const output = path.join(tmpDir('e2e-allow'), 'mine');
    mkdirSync(path.join(output, 'docs'), { recursive: true });
    writeFileSync(path.join(output, 'notes.txt'), 'my thesis, do not lose\n');
    writeFileSync(path.join(output, 'docs', 'plan.md'), '# plan\n');
    const before = [sha(path.join(output, 'notes.txt')), sha(path.join(output, 'docs', 'plan.md'))];
    const r = await runCli(['-output', output, '-db', path.join(path.dirname(output), 'poc.db'), '-allow-existing', '-skip-validation', ...common]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual([sha(path.join(output, 'notes.txt')), sha(path.join(output, 'docs', 'plan.md'))], before);
    assert.deepEqual(readdirSync(path.join(output, 'docs')), ['plan.md']);
    for (const f of ['go.mod', 'cmd/server/main.go', 'internal/models/models.go', 'internal/store/sqlite.go', 'status.json'])
      assert.ok(readdirSync(path.dirname(path.join(output, f))).includes(path.basename(f)), `${f} written`);
  });
});
