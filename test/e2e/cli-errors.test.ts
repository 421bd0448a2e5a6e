// Bad input, as a user meets it: one line that says what was wrong and what to do, the
// documented exit code, and nothing of the user's touched.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { PROJECT_ROOT, freePort, runCli, stopEmbeddedServer } from '../support/cli.js';
import { tmpDir } from '../support/run-fixtures.js';
import { startScriptedOllama, type ScriptedOllama } from '../support/scripted-ollama.js';

let temporal: string;
let ollama: ScriptedOllama;

before(async () => {
  temporal = `127.0.0.1:${await freePort()}`;
  ollama = await startScriptedOllama({ models: ['codellama:7b'] });
});

after(async () => {
  stopEmbeddedServer(temporal);
  await ollama?.close();
});

/** The last line of stderr: the message the user reads. */
const lastLine = (text: string) => text.trim().split('\n').pop() ?? '';

describe('bad usage exits 2 with one line naming the flag', () => {
  const cases: [string[], RegExp][] = [
    [['-coverage', 'lots'], /-coverage takes a number/],
    [['-max-repair-rounds', '99'], /-max-repair-rounds must be between 0 and 10/],
    [['-ollama', 'ftp://x'], /-ollama takes an http\(s\) URL/],
    [['-model', 'bad model!'], /-model "bad model!" is not an Ollama model name/],
    [['-output', ''], /-output must not be empty/],
    [['-temporal', 'localhost'], /-temporal takes host:port/],
    [['-no-such-flag'], /unknown flag -no-such-flag/],
    [['-output'], /-output needs a value/],
    [['attach'], /attach takes one run id/],
    [['-db', `${import.meta.filename}/poc.db`], /-db .*cli-errors\.test\.ts is a file, not a folder/],
    [['-db', '/'], /-db \/ is a folder: name a database file/],
    // Node's recursive mkdir never returns for these (ENOENT under an existing parent).
    [['-output', '/proc/overnight-nope/api'], /-output \/proc\/overnight-nope\/api cannot be created \(ENOENT\)/],
    [['-db', '/proc/overnight-nope/poc.db'], /-db \/proc\/overnight-nope\/poc.db cannot be used: ENOENT/],
  ];
  for (const [args, message] of cases) {
    test(args.join(' ') || '(empty)', async () => {
      const r = await runCli(args, {}, 60_000);
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stderr.trim().split('\n').length, 1, `one line, got:\n${r.stderr}`);
      assert.match(r.stderr, message);
    });
  }

  test('-help and -version exit 0', async () => {
    const help = await runCli(['-help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /-skip-validation/);
    const version = await runCli(['--version']);
    assert.equal(version.code, 0);
    assert.match(version.stdout, /^overnight-llm \d+\.\d+\.\d+/);
    const command = await runCli(['help']);
    assert.equal(command.code, 0);
    assert.equal(command.stdout, help.stdout, 'help as a command prints what -help does');
    assert.ok(help.stdout.trim().split('\n').length <= 40, 'one screen');
    const batch = await runCli(['batch', '-help']);
    assert.equal(batch.code, 0);
    assert.match(batch.stdout, /^overnight-llm batch FILE: [\s\S]*-parallel/);
    const unknown = await runCli(['help', 'nope']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^overnight-llm: help: no topic "nope": the topics are flags, start, /);
  });

  test("-help, -version and bad usage answer without loading Temporal's native runtime", async () => {
    // NODE_DEBUG=module names every CommonJS module node loads; the native bridge is one.
    const loadsBridge = (stderr: string) => /@temporalio\/core-bridge/.test(stderr);
    for (const args of [['-help'], ['-version'], ['-coverage', '200']]) {
      const r = await runCli(args, { NODE_DEBUG: 'module' });
      assert.ok(r.code === 0 || r.code === 2, `${args.join(' ')}: exit ${r.code}`);
      assert.ok(!loadsBridge(r.stderr), `${args.join(' ')} loaded @temporalio/core-bridge`);
    }
    // The check can fail: the module that runs commands does load it.
    const control = spawnSync(process.execPath, ['--import', 'tsx', '-e', "await import('./client/run-command.ts')"], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, NODE_DEBUG: 'module' },
      encoding: 'utf8',
    });
    assert.ok(loadsBridge(control.stderr), 'client/run-command.ts loads the native bridge');
  });
});

describe('a run that cannot start fails with exit 1 and says what to do', () => {
  const base = () => ['-temporal', temporal, '-db', path.join(tmpDir('db'), 'poc.db'), '-output', path.join(tmpDir('out'), 'api')];

  test('Ollama not reachable: say how to start it', async () => {
    const deadPort = await freePort();
    const r = await runCli([...base(), '-ollama', `http://127.0.0.1:${deadPort}`]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(lastLine(r.stderr), /Ollama is not reachable at http:\/\/127\.0\.0\.1:\d+: start it with `ollama serve`/);
  });

  test('model missing: say ollama pull', async () => {
    const r = await runCli([...base(), '-ollama', ollama.url, '-model', 'qwen2.5-coder:1.5b']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(lastLine(r.stderr), /model "qwen2\.5-coder:1\.5b" is not in Ollama: run `ollama pull qwen2\.5-coder:1\.5b`/);
  });

  test('Go missing: say how to get it', async () => {
    const r = await runCli([...base(), '-ollama', ollama.url], { PATH: '/usr/bin:/bin' });
    assert.equal(r.code, 1, r.stderr);
    assert.match(lastLine(r.stderr), /Go toolchain not found/);
  });

  test("an output folder with the user's files is refused and left untouched", async () => {
    const out = path.join(tmpDir('user'), 'mine');
    mkdirSync(out);
    writeFileSync(path.join(out, 'notes.txt'), 'my thesis, do not lose\n');
    const before = createHash('sha256')
      .update(readFileSync(path.join(out, 'notes.txt')))
      .digest('hex');
    const r = await runCli(['-temporal', temporal, '-db', path.join(tmpDir('db'), 'poc.db'), '-output', out, '-ollama', ollama.url]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(lastLine(r.stderr), /already holds files overnight-llm did not write .* -allow-existing/);
    assert.deepEqual(readdirSync(out), ['notes.txt']);
    assert.equal(
      createHash('sha256')
        .update(readFileSync(path.join(out, 'notes.txt')))
        .digest('hex'),
      before,
    );
  });
});
