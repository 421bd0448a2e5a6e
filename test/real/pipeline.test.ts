// The whole pipeline against a real Ollama with the smallest real model (SmolLM2-135M), through
// the CLI as a user runs it: real wire, real streaming, real tokens. A 135M model rarely writes
// Go that compiles, so the run may end in a failed validation; what must hold is that it ends
// cleanly, on time, with the documented exit code and a status.json that tells the truth.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { hasProjectModel, startProjectOllama, type ProjectOllama } from '../../scripts/project-ollama.js';
import { freePort, runCli, stopEmbeddedServer } from '../support/cli.js';
import { tmpDir } from '../support/run-fixtures.js';
import { readStatusJson } from '../support/status-schema.js';

const MODEL = 'smollm2-135m';
const RUN_LIMIT_MS = 25 * 60_000;

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

test(`a whole run with ${MODEL} ends cleanly with a truthful status.json`, { timeout: RUN_LIMIT_MS + 60_000 }, async () => {
  const dir = tmpDir('real');
  const output = path.join(dir, 'todo-api');
  const started = Date.now();
  const run = await runCli(
    ['-prompt', 'REST API for todo list', '-output', output, '-db', path.join(dir, 'mirror.db'), '-model', MODEL,
      '-ollama', ollama.url, '-temporal', temporal, '-ui', ui, '-max-repair-rounds', '1', '-budget', '20'],
    {}, RUN_LIMIT_MS,
  );
  const wallMs = Date.now() - started;
  const said = `exit ${run.code} after ${Math.round(wallMs / 1000)} s\n${run.stdout.slice(-3000)}\n${run.stderr.slice(-2000)}`;
  assert.ok(run.code === 0 || run.code === 1, said);

  const status = readStatusJson(output);
  assert.equal(status.run.model, MODEL);
  assert.equal(status.run.status, run.code === 0 ? 'completed' : 'failed', said);
  assert.notEqual(status.run.endedAt, null);
  if (run.code === 1) {
    assert.ok(status.run.error && !status.run.error.includes('\n'), `a failed run says why in one line: ${status.run.error}`);
    assert.match(run.stderr + run.stdout, new RegExp(escapeRegExp(status.run.error.slice(0, 60))));
  }
  // Real tokens were counted: the plan phase asked the real model at least once.
  const plan = status.phases.find((p) => p.name === 'plan');
  assert.ok(plan && plan.attempts >= 1 && plan.tokensOut > 0, `plan phase: ${JSON.stringify(plan)}`);
  assert.ok(status.totals.tokensOut >= plan.tokensOut);
  // No phase is left running, and a failed run names a failed phase.
  assert.deepEqual(status.phases.filter((p) => p.status === 'running'), []);
  if (run.code === 1) assert.ok(status.phases.some((p) => p.status === 'failed'), JSON.stringify(status.phases.map((p) => [p.name, p.status])));
  // Every file status.json lists is on disk with the bytes and hash it says.
  for (const f of status.files) {
    const data = readFileSync(path.join(output, f.path));
    assert.equal(data.length, f.bytes, f.path);
    assert.equal(createHash('sha256').update(data).digest('hex'), f.sha256, f.path);
  }
  // Validation's verdict agrees with the exit code.
  if (status.validation) assert.equal(status.validation.final.ok, run.code === 0, said);
  if (run.code === 0) assert.ok(existsSync(path.join(output, 'go.mod')));
  console.log(`# ${MODEL}: exit ${run.code} in ${Math.round(wallMs / 1000)} s, ${status.totals.tokensOut} tokens out, ${status.run.repairRounds} repair rounds, ${status.run.error ?? 'valid'}`);
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
