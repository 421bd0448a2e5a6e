// The preflight activity (MockActivityEnvironment) against the scripted Ollama: a good setup
// passes and reports versions and the model digest; each broken one fails with a
// non-retryable failure whose message says what to do.
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { MARKER_FILE } from '../../core/layout.js';
import { preflight, type PreflightInput } from '../../activities/preflight.js';
import type { PreflightResult } from '../../core/types.js';
import { FIXTURE_DIR, tmpDir } from '../support/run-fixtures.js';
import { startScriptedOllama, type ScriptedOllama } from '../support/scripted-ollama.js';

process.env.OVERNIGHT_STATE_DIR ??= path.resolve(FIXTURE_DIR, '../../../.state/test');

const DIGEST = 'a'.repeat(64);
let server: ScriptedOllama;
let dir: string;
before(async () => {
  server = await startScriptedOllama({ models: [{ name: 'codellama:7b', digest: DIGEST }, 'llama3'], fixtureDir: FIXTURE_DIR });
  dir = tmpDir('preflight');
});
after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const quietEnv = () => new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR') });
const check = (i: PreflightInput) => quietEnv().run(preflight, i) as Promise<PreflightResult>;
let n = 0;
const input = (overrides: Partial<PreflightInput> = {}): PreflightInput => ({
  serverUrl: server.url,
  model: 'codellama:7b',
  outputDir: path.join(dir, `out-${++n}`),
  allowNonEmptyOutput: false,
  skipValidation: true,
  ...overrides,
});

async function failure(p: Promise<unknown>): Promise<ApplicationFailure> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof ApplicationFailure, `expected an ApplicationFailure, got ${String(err)}`);
    return err;
  }
  assert.fail('expected preflight to fail');
}

describe('preflight', () => {
  it('passes against the scripted Ollama with Go present, reporting versions and the model digest', async () => {
    const result = await check(input({ skipValidation: false }));
    assert.match(result.goVersion, /go1\.\d+/);
    assert.equal(result.ollamaVersion, '0.19.0');
    assert.equal(result.modelDigest, DIGEST);
  });

  it('finds a model given without its tag, as Ollama does (llama3 is llama3:latest)', async () => {
    const result = await check(input({ model: 'llama3' }));
    assert.match(result.modelDigest, /^[0-9a-f]{64}$/);
    assert.equal(result.goVersion, 'skipped');
  });

  it('an unknown model is ModelNotFound, saying `ollama pull <model>`', async () => {
    const f = await failure(check(input({ model: 'nosuchmodel:1b' })));
    assert.equal(f.type, 'ModelNotFound');
    assert.equal(f.nonRetryable, true);
    assert.match(f.message, /ollama pull nosuchmodel:1b/);
  });

  it('a closed port is ModelServerUnreachable, saying `ollama serve`', async () => {
    const f = await failure(check(input({ serverUrl: `http://127.0.0.1:${await closedPort()}` })));
    assert.equal(f.type, 'ModelServerUnreachable');
    assert.equal(f.nonRetryable, true);
    assert.match(f.message, /ollama serve/);
  });

  it('an output dir holding a user’s file is OutputDirUnsafe; our own earlier output or -allow-existing is fine', async () => {
    const theirs = input();
    mkdirSync(theirs.outputDir);
    writeFileSync(path.join(theirs.outputDir, 'notes.txt'), 'my notes\n');
    const asked = server.requests.length;
    const f = await failure(check(theirs));
    assert.equal(server.requests.length, asked, 'an unsafe output dir fails before Ollama is asked');
    assert.equal(f.type, 'OutputDirUnsafe');
    assert.equal(f.nonRetryable, true);
    assert.match(f.message, /notes\.txt/);
    assert.match(f.message, /-allow-existing/);
    await check({ ...theirs, allowNonEmptyOutput: true });
    const ours = input();
    mkdirSync(ours.outputDir);
    writeFileSync(path.join(ours.outputDir, MARKER_FILE), '{}\n');
    writeFileSync(path.join(ours.outputDir, 'go.mod'), 'module todo-api\n');
    await check(ours);
  });
});

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}
