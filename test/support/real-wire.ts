// The real layer's wire comparison, shared by the native (test/real/wire.test.ts) and the
// OpenAI-compatible (test/real/openai-wire.test.ts) files: the project's Ollama and a scripted
// one side by side, and a test per probe that sends it to both and compares the answers.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { hasProjectModel, startProjectOllama, type ProjectOllama } from '../../scripts/project-ollama.js';
import { capture, saveCaptures, wireDifferences, type Capture, type Probe } from './ollama-wire.js';
import { startScriptedOllama, type ScriptedOllama } from './scripted-ollama.js';

export const REAL_MODEL = 'smollm2-135m';

export interface WireServers {
  real: ProjectOllama;
  scripted: ScriptedOllama;
}

/** Starts both servers before the file's tests and stops them after; the object is filled in by then. */
export function wireServers(): WireServers {
  const servers = {} as WireServers;
  before(async () => {
    assert.ok(hasProjectModel(REAL_MODEL), `the model ${REAL_MODEL} is not in .tools/ollama-models: run \`make ollama\``);
    servers.real = await startProjectOllama();
    // Words before a stop sequence (the stop probes' '.'), as the real model says some before stopping.
    servers.scripted = await startScriptedOllama({ models: [{ name: REAL_MODEL, family: 'llama' }], respond: () => 'No, I can help. Hello there' });
  });
  after(async () => {
    await servers.scripted?.close();
    await servers.real?.stop();
  });
  return servers;
}

/** A test per probe: the same request to both, the answers alike by shape; RECORD_WIRE=1 saves the real ones. */
export function compareProbes(title: string, probes: Probe[], servers: WireServers, maxDepthOf: (probe: Probe) => number = () => Infinity): void {
  describe(title, () => {
    const captured: Capture[] = [];
    for (const probe of probes) {
      test(`${probe.method} ${probe.path} (${probe.name})`, async () => {
        const r = await capture(servers.real.url, probe);
        const s = await capture(servers.scripted.url, probe);
        captured.push(r);
        assert.deepEqual(wireDifferences(r, s, { maxDepth: maxDepthOf(probe) }), []);
      });
    }
    after(() => {
      if (process.env.RECORD_WIRE === '1') saveCaptures(captured);
    });
  });
}
