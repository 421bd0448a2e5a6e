// A whole guided run over the OpenAI-compatible API (-llm-api openai), as a user starts it,
// against the scripted Ollama's /v1 behind an API key: every model call goes to
// /v1/chat/completions, the API is valid by the test's own checker, and the key is in none of
// what the run leaves behind (history, mirror, output folder, terminal).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { temporalBinary } from '../../client/temporal-server.js';
import { checkApi, specFromOutput } from '../support/check-api.js';
import { cliSetup, runCli, type CliSetup } from '../support/cli.js';
import { FIXTURE_DIR, VARIANTS_DIR, tmpDir } from '../support/run-fixtures.js';
import { scenarioResponder } from '../support/scripted-ollama.js';
import { readStatusJson } from '../support/status-schema.js';

const KEY = 'sk-e2e-4f1c9a7d2b8e6035';
let setup: CliSetup;

before(async () => {
  setup = await cliSetup({ respond: scenarioResponder('good', { fixtureDir: FIXTURE_DIR, variantsDir: VARIANTS_DIR }), apiKey: KEY });
});
after(() => setup?.stop());

/** Every file under `dir`, as bytes read as text. */
function allText(dir: string): string {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => readFileSync(path.join(e.parentPath, e.name), 'latin1'))
    .join('\n');
}

test('-llm-api openai: a guided run over /v1/chat/completions ends valid, and the API key is stored nowhere', async () => {
  const dir = tmpDir('e2e-openai');
  const output = path.join(dir, 'todo-api');
  const db = path.join(dir, 'poc.db');
  const run = await runCli(['-output', output, '-db', db, '-strategy', 'guided', '-llm-api', 'openai', ...setup.common], { OVERNIGHT_LLM_API_KEY: KEY });
  assert.equal(run.code, 0, `exit ${run.code}\n${run.stdout}\n${run.stderr}`);
  assert.match(run.stdout, /^done: the API is ready, coverage \d+\.\d%/m);

  const { calls, requests } = setup.ollama;
  assert.ok(calls.length >= 5, `${calls.length} model calls`);
  assert.deepEqual([...new Set(calls.map((c) => c.path))], ['/v1/chat/completions'], 'every model call went over the OpenAI-compatible API');
  assert.ok(
    requests.filter((r) => r.path === '/v1/chat/completions').every((r) => r.authorization === `Bearer ${KEY}`),
    'each call carried the key',
  );

  const check = await checkApi(output, specFromOutput(output));
  assert.equal(check.valid, true, check.details);
  assert.equal(readStatusJson(output).run.status, 'completed');

  const raw = execFileSync(
    temporalBinary()!,
    ['workflow', 'show', '--address', setup.temporal, '--workflow-id', readStatusJson(output).run.workflowId, '--output', 'json'],
    { encoding: 'utf8', maxBuffer: 64 << 20 },
  );
  // The CLI's JSON carries payloads base64-encoded: read them decoded too.
  const history = raw + [...raw.matchAll(/"data":\s*"([A-Za-z0-9+/=]+)"/g)].map(([, b64]) => Buffer.from(b64!, 'base64').toString('utf8')).join('\n');
  assert.match(history, /"api":"openai"/, 'the run input says which API');
  for (const [where, text] of [
    ['the workflow history', history],
    ['the output folder', allText(output)],
    ['the mirror', allText(dir).replace(allText(output), '')],
    ['the terminal', run.stdout + run.stderr],
  ])
    assert.ok(!text.includes(KEY), `the API key is in ${where}`);
});
