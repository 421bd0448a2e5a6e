// Qwen2.5-Coder-0.5B (make run-local's model) from the project's Ollama, on make run-local's path
// (-strategy plan, the default), through the CLI as a user runs it, for a todo list with a filter
// defined in words ("overdue"), so the model is asked for more than the plan: the filter's examples
// and its body, written through the guided loop (a prefilled answer continued) — and the real Ollama
// as a deployed model server:
//
// - It goes away right after the plan, for longer than the heartbeat timeout, and comes back: the
//   run waits, says so in the CLI and the Web UI's current details, goes on, asks no finished answer
//   again, and still ends with exit 0 and an API that code sharing nothing with the pipeline finds
//   valid (test/support/check-api.ts: go vet, build, tests with coverage ≥ 70 %, CRUD against the
//   built server), with a status.json true to the files.
// - A run over Ollama's OpenAI-compatible /v1 is routed there call by call and counts its tokens.
//   It skips validation: what /v1 must carry for a valid API (a prefill continued, `stop`, a JSON
//   schema, token counts) is proved call by call in openai-wire.test.ts, and a real run's validity in
//   the outage run above and in plan.test.ts.
//
// Both were guided runs of "REST API for todo list" (≈ 5 min and 3.5 min here); the guided
// strategy's real-model figures are in BENCHMARKS.md section 5 (make bench-models).
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { hasProjectModel, startProjectOllama, type ProjectOllama } from '../../scripts/project-ollama.js';
import { checkApi, specFromOutput } from '../support/check-api.js';
import { freePort, runCli, spawnCli, stopEmbeddedServer } from '../support/cli.js';
import { tmpDir } from '../support/run-fixtures.js';
import type { StatusReport } from '../../lib/status-report.js';
import { readStatusJson } from '../support/status-schema.js';

const MODEL = 'qwen2.5-coder-0.5b';
const RUN_LIMIT_MS = 15 * 60_000;
const SENTENCE = 'REST API for todo list where a todo has a title and a due date; list the overdue todos';

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
  ...['-prompt', SENTENCE, '-output', output, '-db', path.join(path.dirname(output), 'mirror.db')],
  ...['-model', MODEL, '-ollama', ollama.url, '-temporal', temporal, '-ui', ui, '-max-repair-rounds', '1'],
  ...extra,
];

/** Answers a run kept in its response cache (the mirror's llm_cache): each answer it used, once. */
function cachedAnswers(dbPath: string): number {
  const db = new Database(dbPath, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM llm_cache').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** Chat answers the server finished (its request log's 200 lines for the chat endpoint). */
const finishedChats = (logFile: string, endpoint: string) =>
  readFileSync(logFile, 'utf8')
    .split('\n')
    .filter((l) => l.includes('[GIN]') && /\| 200 \|/.test(l) && l.includes(`"${endpoint}"`)).length;

describe('the real Ollama as a model server', () => {
  test(
    `${MODEL}, the default strategy: Ollama stops right after the plan for longer than the heartbeat timeout and starts again: the run waits, says so, goes on, redoes no finished answer, and writes a valid todo API with a truthful status.json`,
    { timeout: RUN_LIMIT_MS + 2 * 60_000 },
    async () => {
      const dir = tmpDir('real-ollama-gone');
      const output = path.join(dir, 'todo-api');
      const started = Date.now();
      const child = spawnCli(runArgs(output, ['-heartbeat-timeout', '5', '-ollama-wait', '10']));
      let stdout = '';
      child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      try {
        // Mid-run: the plan is made, and the model is asked next for the overdue filter's examples.
        for (const deadline = Date.now() + 10 * 60_000; !/\] plan done/.test(stdout);) {
          assert.ok(Date.now() < deadline, `the run did not get going:\n${stdout}`);
          await new Promise((r) => setTimeout(r, 100));
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
      const cached = cachedAnswers(path.join(dir, 'mirror.db'));
      assert.ok(cached >= 2, `${cached} answers kept: the plan and at least one after the outage`);
      assert.equal(finishedChats(ollama.logFile, '/api/chat'), cached, 'answers Ollama finished = answers the run kept');
      const status = readStatusJson(output);
      assertTruthfulStatus(output, status, stdout);

      // The verdict again, by code that shares nothing with the pipeline's validate phase.
      const check = await checkApi(output, specFromOutput(output));
      assert.ok(check.valid, `the pipeline said valid; the independent check says: ${check.details}`);
      assert.ok(check.coveragePercent !== null && check.coveragePercent >= 70, `coverage ${check.coveragePercent} %`);
      const code = status.files.filter((f) => f.provenance && f.path.endsWith('.go'));
      const modelLines = code.reduce((n, f) => n + f.provenance!.modelLines, 0);
      const allLines = code.reduce((n, f) => n + f.provenance!.modelLines + f.provenance!.contractLines, 0);
      console.log(
        `# ${MODEL}: valid in ${Math.round((Date.now() - started) / 1000)} s with an outage, coverage ${check.coveragePercent} %, ${status.totals.tokensIn} tokens in, ` +
          `${status.totals.tokensOut} out, ${status.run.repairRounds} repair rounds, the model wrote ${modelLines} of ${allLines} Go lines`,
      );
    },
  );

  test(
    `a whole run over Ollama's OpenAI-compatible /v1 (validation skipped): every answer comes through /v1, and its token counts reach the run`,
    { timeout: RUN_LIMIT_MS + 2 * 60_000 },
    async () => {
      const dir = tmpDir('real-v1');
      const output = path.join(dir, 'todo-api');
      const native = finishedChats(ollama.logFile, '/api/chat');
      const before = finishedChats(ollama.logFile, '/v1/chat/completions');
      const run = await runCli(runArgs(output, ['-llm-api', 'openai', '-skip-validation']), {}, RUN_LIMIT_MS);
      assert.equal(run.code, 0, `exit ${run.code}\n${run.stdout.slice(-3000)}\n${run.stderr.slice(-2000)}`);
      // Every answer the run kept (the plan, the filter's examples and body, …) came through /v1, and none through the
      // native API; /v1 also answered the preflight's probe, which no run keeps.
      const kept = cachedAnswers(path.join(dir, 'mirror.db'));
      assert.ok(kept >= 2, `${kept} answers kept: the plan and at least one more`);
      const viaV1 = finishedChats(ollama.logFile, '/v1/chat/completions') - before;
      assert.ok(viaV1 >= kept && viaV1 <= kept + 2, `${viaV1} answers through /v1 for ${kept} kept and the preflight's probe`);
      assert.equal(finishedChats(ollama.logFile, '/api/chat'), native, 'no answer came through the native API');
      const status = readStatusJson(output);
      assert.equal(status.run.status, 'completed');
      assert.ok(status.totals.tokensOut > 100, `tokens out ${status.totals.tokensOut}: /v1's usage reached the run`);
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

/** status.json of a real run: valid, real tokens, the model's share where the model wrote (behaviour.go), every file's hash. */
function assertTruthfulStatus(output: string, status: StatusReport, said: string): void {
  assert.equal(status.run.model, MODEL);
  assert.equal(status.run.status, 'completed', `the pipeline ran to its end: ${said.slice(-3000)}`);
  assert.equal(status.validation?.final.ok, true, `status.json says valid too: ${said.slice(-3000)}`);
  assert.ok(status.totals.tokensOut > 100, `tokens out ${status.totals.tokensOut}`);
  const code = status.files.filter((f) => f.provenance && f.path.endsWith('.go'));
  const described = JSON.stringify(code.map((f) => [f.path, f.provenance!.modelLines, f.provenance!.candidates]));
  assert.ok(code.length >= 4, `the Go files carry their provenance: ${described}`);
  // Only behaviour.go holds model-written lines; code wrote every other file.
  assert.ok(
    code.every((f) => f.path === 'internal/models/behaviour.go' || f.provenance!.modelLines === 0),
    described,
  );
  const behaviour = code.find((f) => f.path === 'internal/models/behaviour.go');
  assert.ok(behaviour && behaviour.provenance!.candidates > 0, `the model was asked for the overdue filter's body: ${described}`);
  for (const f of status.files) {
    const data = readFileSync(path.join(output, f.path));
    assert.equal(createHash('sha256').update(data).digest('hex'), f.sha256, f.path);
  }
}
