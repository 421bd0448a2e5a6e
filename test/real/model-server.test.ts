// The real project Ollama as a deployed model server: it goes away mid-run for longer than the
// heartbeat timeout and comes back (the run waits, says so in the CLI and the Web UI's current
// details, goes on, and no answer it finished is asked for again); and a whole run over its
// OpenAI-compatible /v1 API ends the way a native run does (make run-local's model, guided).
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { hasProjectModel, startProjectOllama, type ProjectOllama } from '../../scripts/project-ollama.js';
import { checkApi, specFromOutput } from '../support/check-api.js';
import { freePort, runCli, spawnCli, stopEmbeddedServer } from '../support/cli.js';
import { tmpDir } from '../support/run-fixtures.js';
import { readStatusJson } from '../support/status-schema.js';

const MODEL = 'qwen2.5-coder-0.5b';
const RUN_LIMIT_MS = 15 * 60_000;

let ollama: ProjectOllama;
let temporal: string;
let ui: string;

before(async () => {
  assert.ok(hasProjectModel(MODEL), `the model ${MODEL} is not in .tools/ollama-models: run \`make ollama\``);
  ollama = await startProjectOllama();
  const port = await freePort();
  temporal = `127.0.0.1:${port}`;
  ui = `http://localhost:${port + 1000}`;
});

after(async () => {
  stopEmbeddedServer(temporal);
  await ollama?.stop();
});

const runArgs = (output: string, extra: string[]) => [
  ...['-prompt', 'REST API for todo list', '-output', output, '-db', path.join(path.dirname(output), 'mirror.db')],
  ...['-model', MODEL, '-strategy', 'guided', '-ollama', ollama.url, '-temporal', temporal, '-ui', ui, '-max-repair-rounds', '1'],
  ...extra,
];

/** Chat answers the server finished (its request log's 200 lines for the chat endpoint). */
const finishedChats = (logFile: string, endpoint: string) =>
  readFileSync(logFile, 'utf8')
    .split('\n')
    .filter((l) => l.includes('[GIN]') && /\| 200 \|/.test(l) && l.includes(`"${endpoint}"`)).length;

describe('the real Ollama as a model server', () => {
  test(
    'Ollama stops mid-run for longer than the heartbeat timeout and starts again: the run waits, says so, goes on, redoes no finished answer',
    { timeout: RUN_LIMIT_MS + 2 * 60_000 },
    async () => {
      const dir = tmpDir('real-ollama-gone');
      const output = path.join(dir, 'todo-api');
      const child = spawnCli(runArgs(output, ['-heartbeat-timeout', '5', '-ollama-wait', '10']));
      let stdout = '';
      child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      try {
        // Mid-run: the plan is made and a file is being written.
        for (const deadline = Date.now() + 5 * 60_000; !/\] plan done/.test(stdout) || finishedChats(ollama.logFile, '/api/chat') < 3;) {
          assert.ok(Date.now() < deadline, `the run did not get going:\n${stdout}`);
          await new Promise((r) => setTimeout(r, 500));
        }
        const port = Number(new URL(ollama.url).port);
        const logFile = ollama.logFile;
        ollama.kill('SIGKILL'); // gone with its runner, as after a crash: no goodbye to the call in flight
        await ollama.stop();
        await new Promise((r) => setTimeout(r, 15_000)); // three heartbeat timeouts
        const details = await currentDetails(output);
        assert.match(details, /waiting for Ollama at http:\/\/127\.0\.0\.1:\d+/, `the Web UI's current details: ${details}`);
        ollama = await startProjectOllama({ port, logFile });
        const code = await exited;
        assert.equal(code, 0, `exit 0 and a valid API:\n${stdout.slice(-3000)}`);
      } finally {
        child.kill('SIGKILL');
      }
      assert.match(stdout, /waiting for Ollama at http:\/\/127\.0\.0\.1:\d+, since /, 'the CLI said it waited');
      assert.match(stdout, /done waiting for Ollama at .*: going on/);
      // Every answer Ollama finished is in the response cache once: none was asked for twice.
      const db = new Database(path.join(dir, 'mirror.db'), { readonly: true });
      const cached = (db.prepare('SELECT count(*) AS n FROM llm_cache').get() as { n: number }).n;
      db.close();
      assert.equal(finishedChats(ollama.logFile, '/api/chat'), cached, 'answers Ollama finished = answers the run kept');
      const check = await checkApi(output, specFromOutput(output));
      assert.ok(check.valid, check.details);
    },
  );

  test(
    `a whole run over Ollama's OpenAI-compatible /v1 ends as a native run does: exit 0, valid, re-checked independently`,
    { timeout: RUN_LIMIT_MS + 2 * 60_000 },
    async () => {
      const dir = tmpDir('real-v1');
      const output = path.join(dir, 'todo-api');
      const before = finishedChats(ollama.logFile, '/v1/chat/completions');
      const run = await runCli(runArgs(output, ['-llm-api', 'openai']), {}, RUN_LIMIT_MS);
      assert.equal(run.code, 0, `exit ${run.code}\n${run.stdout.slice(-3000)}\n${run.stderr.slice(-2000)}`);
      assert.ok(finishedChats(ollama.logFile, '/v1/chat/completions') > before + 10, 'the answers came through /v1');
      const status = readStatusJson(output);
      assert.equal(status.validation?.final.ok, true);
      assert.ok(status.totals.tokensOut > 500, `tokens out ${status.totals.tokensOut}: /v1's usage reached the run`);
      const check = await checkApi(output, specFromOutput(output));
      assert.ok(check.valid, check.details);
    },
  );
});

/** The run's current details, as the Web UI shows them (Temporal's workflow metadata query). */
async function currentDetails(output: string): Promise<string> {
  const connection = await Connection.connect({ address: temporal });
  try {
    const client = new Client({ connection });
    for await (const run of client.workflow.list({ query: `WorkflowType = 'generateApi' AND ExecutionStatus = 'Running'` })) {
      if ((run.memo as { outputDir?: string } | undefined)?.outputDir !== output) continue;
      const meta = (await client.workflow.getHandle(run.workflowId).query('__temporal_workflow_metadata')) as { currentDetails?: string };
      return meta.currentDetails ?? '';
    }
    return '';
  } finally {
    await connection.close();
  }
}
