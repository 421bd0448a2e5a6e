// `make run-local`'s path with a real model: Qwen2.5-Coder-0.5B from the project's Ollama, -strategy plan, turns a sentence
// that asks for rules and an action into an API, through the CLI as a user runs it. What the
// sentence promised is checked over HTTP by an acceptance script that reads only the sentence and openapi.yaml
// (test/support/acceptance.ts: names found by the sentence's words in openapi.yaml), the data
// must survive a restart (SQLite, the default store), and Schemathesis must find no failure
// against the API's own openapi.yaml. Nothing here trusts the pipeline's verdict.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { hasProjectModel, startProjectOllama, type ProjectOllama } from '../../scripts/project-ollama.js';
import { GO_MOD_CACHE } from '../../activities/go/run-tool.js';
import { buildServer, collectionOf, named, serve } from '../support/acceptance.js';
import { freePort, runCli, stopEmbeddedServer } from '../support/cli.js';
import { tmpDir } from '../support/run-fixtures.js';
import { readStatusJson } from '../support/status-schema.js';

const exec = promisify(execFile);
const MODEL = 'qwen2.5-coder-0.5b';
const RUN_LIMIT_MS = 15 * 60_000;
const SENTENCE = 'REST API for a todo list where a todo has a title, a due date and a priority of low, medium or high, and can be marked done';

let ollama: ProjectOllama;
let temporal: string;

before(async () => {
  assert.ok(hasProjectModel(MODEL), `the model ${MODEL} is not in .tools/ollama-models: run \`make ollama\``);
  ollama = await startProjectOllama();
  temporal = `127.0.0.1:${await freePort()}`;
});

after(async () => {
  stopEmbeddedServer(temporal);
  await ollama?.stop();
});

test(
  `${MODEL}, -strategy plan: what the sentence asks is served, checked over HTTP, kept across a restart, and clean under Schemathesis`,
  { timeout: RUN_LIMIT_MS + 5 * 60_000 },
  async () => {
    const dir = tmpDir('real-plan');
    const output = path.join(dir, 'todo-api');
    const args = ['-prompt', SENTENCE, '-output', output, '-db', path.join(dir, 'mirror.db'), '-model', MODEL, '-strategy', 'plan'];
    const run = await runCli([...args, '-ollama', ollama.url, '-temporal', temporal, '-ui', `http://localhost:${await freePort()}`], {}, RUN_LIMIT_MS);
    const said = `exit ${run.code}\n${run.stdout.slice(-3000)}\n${run.stderr.slice(-2000)}`;
    assert.equal(run.code, 0, said);
    const status = readStatusJson(output);
    assert.equal(status.validation?.final.ok, true, said);

    // The acceptance script: a todo with a title, a due date, a priority of low, medium or high, marked done.
    const todos = collectionOf(output, 'todos');
    const fields = Object.keys(todos.properties);
    const title = named(fields, ['title'], 'the title');
    const due = named(fields, ['due'], 'the due date');
    const priority = named(fields, ['priority'], 'the priority');
    assert.equal(todos.properties[due]!.format, 'date', `${due} is a date`);
    assert.deepEqual([...(todos.properties[priority]!.enum ?? [])].sort(), ['high', 'low', 'medium'], `${priority} is low, medium or high`);
    const done = named(todos.actions, ['done', 'complete'], 'the action that marks a todo done');
    const flag = named(fields, ['done', 'complete'], 'the flag the action sets');

    const binary = await buildServer(output);
    const dbPath = path.join(dir, 'data.db');
    let api = await serve(binary, dbPath);
    try {
      const item = { [title]: 'water the plants', [due]: '2026-12-24', [priority]: 'high' };
      const created = await api.call('POST', '/todos', item);
      assert.equal(created.status, 201, JSON.stringify(created.json));
      const id = created.json.id as number;
      for (const [what, body] of [
        ['a priority outside low, medium, high', { ...item, [priority]: 'urgent' }],
        ['a due date that is not a date', { ...item, [due]: 'next tuesday' }],
        ['no title', { [due]: '2026-12-24', [priority]: 'low' }],
      ] as const)
        assert.equal((await api.call('POST', '/todos', body)).status, 400, `${what} is refused`);
      const marked = await api.call('POST', `/todos/${id}/${done}`);
      assert.equal(marked.status, 200, `POST /todos/${id}/${done}: ${JSON.stringify(marked.json)}`);
      assert.equal((await api.call('GET', `/todos/${id}`)).json[flag], true, `${done} sets ${flag}`);
      // SQLite by default: the todo is still there after a restart.
      await api.stop();
      api = await serve(binary, dbPath);
      const again = await api.call('GET', `/todos/${id}`);
      assert.equal(again.status, 200);
      assert.equal(again.json[title], 'water the plants');
    } finally {
      await api.stop();
    }

    const env = { ...process.env, GOMODCACHE: GO_MOD_CACHE, GOPROXY: 'off', GOFLAGS: '-mod=mod' };
    const st = await exec('bash', ['scripts/schemathesis.sh', output], { env, maxBuffer: 16 << 20 }).catch((e: { stdout?: string; stderr?: string }) => e);
    const text = `${st.stdout ?? ''}${st.stderr ?? ''}`;
    const summary = /schemathesis: (\d+) distinct failures in (\d+) test cases/.exec(text);
    assert.ok(summary, text.slice(-3000));
    assert.equal(Number(summary[1]), 0, text.slice(-4000));
    console.log(
      `# ${MODEL} -strategy plan: valid, acceptance passed, Schemathesis ${summary[2]} cases 0 failures, coverage ${status.validation?.final.coveragePercent}%`,
    );
  },
);
