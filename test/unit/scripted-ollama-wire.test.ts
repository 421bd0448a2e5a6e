// The scripted Ollama held to answers recorded from a real Ollama (test/fixtures/ollama-wire,
// recorded by `RECORD_WIRE=1 bash scripts/test.sh real`; v1-* by test/real/openai-wire.test.ts
// for its OpenAI-compatible endpoints): same status, media type, keys,
// types and error texts. The real layer checks the same against a live Ollama.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { capture, loadCapture, openAiWireProbes, wireDifferences, wireProbes } from '../support/ollama-wire.js';
import { startScriptedOllama, type ScriptedOllama } from '../support/scripted-ollama.js';

const MODEL = 'smollm2-135m'; // the model the captures were recorded with
let scripted: ScriptedOllama;

before(async () => {
  // Words before a stop sequence (the stop probe's '.'), as the real model says some before stopping.
  scripted = await startScriptedOllama({ models: [{ name: MODEL, family: 'llama' }], respond: () => 'No, I can help. Hello there' });
});

after(() => scripted?.close());

describe('the scripted Ollama matches recorded real answers', () => {
  for (const probe of [...wireProbes(MODEL), ...openAiWireProbes(MODEL)]) {
    test(`${probe.method} ${probe.path} (${probe.name})`, async () => {
      const real = loadCapture(probe.name);
      assert.equal(real.probe, probe.name);
      const ours = await capture(scripted.url, probe);
      assert.deepEqual(wireDifferences(real, ours, probe.name === 'show' ? { maxDepth: 0 } : {}), []);
    });
  }
});
