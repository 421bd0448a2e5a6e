// Guided runs over OpenAI-compatible servers that do not simply continue a prefilled answer, as
// a user starts them (-llm-api openai, -llm-server left to auto): a scripted server that behaves
// like vLLM (a new turn unless continue_final_message and add_generation_prompt: false), one like
// llama-server (it continues, repeating the prefilled text first) and one like llama-server with
// a thinking template (400 to a prefill). Each run ends valid, and
// status.json names the prefill mode the preflight probe found.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { PREFILL_PROBE } from '../../activities/llm/server-profile.js';
import { checkApi, specFromOutput } from '../support/check-api.js';
import { freePort, runCli, stopEmbeddedServer } from '../support/cli.js';
import { FIXTURE_DIR, VARIANTS_DIR, tmpDir } from '../support/run-fixtures.js';
import { scenarioResponder, startScriptedOllama, type ScriptedOllama } from '../support/scripted-ollama.js';
import type { V1Server } from '../support/scripted-openai.js';
import { readStatusJson } from '../support/status-schema.js';

const servers = new Map<V1Server, ScriptedOllama>();
let temporal: string;

before(async () => {
  for (const v1Server of ['vllm', 'llama-server', 'llama-server-thinking'] as const)
    servers.set(v1Server, await startScriptedOllama({ respond: scenarioResponder('good', { fixtureDir: FIXTURE_DIR, variantsDir: VARIANTS_DIR }), v1Server }));
  const port = await freePort();
  temporal = `127.0.0.1:${port}`;
});
after(async () => {
  stopEmbeddedServer(temporal);
  for (const s of servers.values()) await s.close();
});

/** A guided run over the server that behaves like `v1Server`; its output folder and the server's calls. */
async function guidedRun(v1Server: V1Server) {
  const server = servers.get(v1Server)!;
  const dir = tmpDir(`e2e-${v1Server}`);
  const output = path.join(dir, 'todo-api');
  const args = ['-output', output, '-db', path.join(dir, 'poc.db'), '-strategy', 'guided', '-llm-api', 'openai'];
  const run = await runCli([...args, '-ollama', server.url, '-temporal', temporal, '-ui', 'http://localhost:1']);
  assert.equal(run.code, 0, `exit ${run.code}\n${run.stdout}\n${run.stderr}`);
  const check = await checkApi(output, specFromOutput(output));
  assert.equal(check.valid, true, check.details);
  const status = readStatusJson(output);
  assert.equal(status.run.status, 'completed');
  const notes = status.phases.find((p) => p.name === 'preflight')!.notes;
  return { server, notes };
}

test('vLLM-like: found by its owned_by, it continues a prefilled answer with its fields, and the run is valid', async () => {
  const { server, notes } = await guidedRun('vllm');
  assert.ok(
    notes.some((n) => /^prefill mode: continues-with-fields \(vLLM \(owned_by "vllm".*continue_final_message: true, add_generation_prompt: false/.test(n)),
    notes.join('\n'),
  );
  const functions = server.calls.filter((c) => c.prefill !== undefined && c.lastUserMessage !== PREFILL_PROBE.question);
  assert.ok(functions.length >= 5, `${functions.length} functions asked for with a prefill`);
  assert.deepEqual([...new Set(functions.map((c) => c.prefill))], ['continue'], 'vLLM continued every prefilled function (the fields were sent)');
});

test('llama-server: it continues a prefilled answer but repeats it first; code cuts the repeat, and the run is valid', async () => {
  const { server, notes } = await guidedRun('llama-server');
  assert.ok(
    notes.some((n) => /^prefill mode: continues \(llama\.cpp's llama-server \(owned_by "llamacpp".*repeating it first: code cuts the repeat\)$/.test(n)),
    notes.join('\n'),
  );
  const functions = server.calls.filter((c) => c.prefill !== undefined && c.lastUserMessage !== PREFILL_PROBE.question);
  assert.ok(functions.length >= 5, `${functions.length} functions asked for with a prefill`);
  assert.deepEqual([...new Set(functions.map((c) => c.prefill))], ['echo'], 'every prefilled function came back with its start repeated');
});

test('llama-server with a thinking template: the prefill is refused (400), functions are asked without one, and the run is valid', async () => {
  const { server, notes } = await guidedRun('llama-server-thinking');
  assert.ok(
    notes.some((n) =>
      /^prefill mode: no-prefill \(llama\.cpp's llama-server \(owned_by "llamacpp".*400: Assistant response prefill is incompatible with enable_thinking/.test(
        n,
      ),
    ),
    notes.join('\n'),
  );
  // Only the probe carried a prefill: the one 400 was its, and the functions were asked for whole.
  const refused = server.requests.filter((r) => r.path === '/v1/chat/completions').length - server.calls.length;
  assert.equal(refused, 1, 'one refused request: the probe');
  assert.ok(server.calls.filter((c) => c.file?.endsWith('.go')).length >= 5, 'functions were asked for');
  assert.deepEqual(
    server.calls.filter((c) => c.prefill !== undefined),
    [],
    'no function was asked for with a prefill',
  );
});
