// Paths a new user takes that nobody had tried (issue #27 item 5): the limits on a prompt and on
// a batch, a batch file written on Windows (CRLF), prompts in other languages, and two CLIs
// starting the embedded Temporal server at once.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { embeddedServerFor } from '../../client/temporal-server.js';
import { cliSetup, freePort, runCli, stopEmbeddedServer, type CliSetup } from '../support/cli.js';
import type { Plan } from '../../core/plan.js';
import { FIXTURE_DIR, tmpDir } from '../support/run-fixtures.js';
import { todoApiResponder } from '../support/scripted-ollama-responders.js';

let setup: CliSetup;

/** What a model plans for a lending library, whatever language it was asked in. */
const LIBRARY_PLAN: Plan = {
  module: 'library-api',
  resources: [
    {
      name: 'book',
      plural: 'books',
      fields: [
        { name: 'title', type: 'string', required: true },
        { name: 'author', type: 'string', required: false },
        { name: 'lent', type: 'boolean', required: false },
      ],
      filters: [],
      actions: [],
      rules: [],
    },
  ],
  notBuilt: [],
};

before(async () => {
  setup = await cliSetup({ respond: todoApiResponder({ fixtureDir: FIXTURE_DIR, plan: LIBRARY_PLAN }) });
});

after(() => setup?.stop());

/** A usage error: exit 2, one line on stderr matching `message`, nothing on stdout, no model call. */
function assertUsageError(r: { code: number | null; stdout: string; stderr: string }, message: RegExp): void {
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr.trim().split('\n').length, 1, `one line, got:\n${r.stderr}`);
  assert.match(r.stderr.trim(), message);
}

describe('the 2,000-character prompt and the 100-item batch', () => {
  const dir = tmpDir('e2e-limits');
  const args = (...more: string[]) => [...more, '-output', path.join(dir, 'api'), '-db', path.join(dir, 'poc.db'), ...setup.common];

  test('-prompt of 2,001 characters: one line, exit 2, nothing started', async () => {
    const r = await runCli(args('-prompt', 'a'.repeat(2001)));
    assertUsageError(r, /^overnight-llm: -prompt is 2001 characters long, over the limit of 2000: describe the API in a sentence or two$/);
    assert.equal(existsSync(path.join(dir, 'api')), false, 'no output folder made');
  });

  test('2,000 characters in a script outside the BMP (two UTF-16 units each) are within the limit', async () => {
    const r = await runCli(args('-prompt', '𠀀'.repeat(2000), '-detach'));
    assert.equal(r.code, 0, r.stderr);
    const id = r.stdout.trim();
    assert.match(id, /^overnight-api-\w+$/);
    const cancelled = await runCli(['cancel', id, ...setup.common]);
    assert.equal(cancelled.code, 0, cancelled.stderr);
  });

  test('a batch of 101 prompts: one line naming the file, exit 2', async () => {
    const file = path.join(dir, 'big.txt');
    writeFileSync(file, Array.from({ length: 101 }, (_, i) => `REST API number ${i + 1}\n`).join(''));
    const r = await runCli(['batch', file, ...args()]);
    assertUsageError(r, /^overnight-llm: batch file .*big\.txt has 101 prompts, over the limit of 100 a batch: split it into two files$/);
  });

  test('a batch item over 2,000 characters: one line naming the file and the item, exit 2', async () => {
    const file = path.join(dir, 'long.txt');
    writeFileSync(file, `REST API for todo list\n${'b'.repeat(2001)}\n`);
    const r = await runCli(['batch', file, ...args()]);
    assertUsageError(
      r,
      /^overnight-llm: batch file .*long\.txt, item 2: the prompt is 2001 characters long, over the limit of 2000: describe the API in a sentence or two$/,
    );
  });
});

describe('a batch file with CRLF line endings and prompts in other languages', () => {
  const dir = tmpDir('e2e-crlf');
  const night = path.join(dir, 'night');
  const file = path.join(dir, 'night.txt');
  const prompts = ['API REST pour une bibliothèque de prêt', '図書館の貸し出しを管理する REST API'];
  // As Notepad writes it: a byte-order mark, CRLF, a comment, a blank line.
  writeFileSync(file, `\uFEFF# tonight\r\n${prompts[0]}\r\n\r\n${prompts[1]}\r\n`);

  // Validation is skipped: the code writer's Go is proven elsewhere; here the prompts' way through is.
  test('each line is one prompt, byte for byte; a plan named in English is no copy; each item in a folder of its own', async () => {
    const r = await runCli(['batch', file, '-output', night, '-db', path.join(dir, 'poc.db'), '-skip-validation', ...setup.common]);
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /^batch done: 2 of 2 /m);
    const folders = readdirSync(night)
      .filter((f) => existsSync(path.join(night, f, 'status.json')))
      .sort();
    assert.equal(folders.length, 2, `two item folders, got ${readdirSync(night).join(', ')}`);
    const recorded = folders
      .map((f) => (JSON.parse(readFileSync(path.join(night, f, 'status.json'), 'utf8')) as { run: { prompt: string } }).run.prompt)
      .sort();
    assert.deepEqual(recorded, [...prompts].sort());
    for (const folder of folders) assert.match(folder, /^[a-z0-9-]+$/, `a plain folder name: ${folder}`);
    assert.ok(folders.includes('api-rest-pour-une-bibliotheque-de-pret'), `the French prompt's folder keeps its words: ${folders.join(', ')}`);
    const listed = await runCli(['list', '-json', ...setup.common]);
    assert.equal(listed.code, 0, listed.stderr);
    for (const prompt of prompts) assert.ok(listed.stdout.includes(JSON.stringify(prompt).slice(1, -1)), `list shows ${prompt}`);
  });
});

describe('a second batch into a folder whose batch is in flight', () => {
  test('another batch file is refused naming the running batch; the same command attaches', async () => {
    const dir = tmpDir('e2e-two-batches');
    const night = path.join(dir, 'night');
    const mine = path.join(dir, 'mine.txt');
    const theirs = path.join(dir, 'theirs.txt');
    writeFileSync(mine, 'REST API for a lending library\n');
    writeFileSync(theirs, 'REST API for a garden of plants\n');
    const args = (file: string) => ['batch', file, '-output', night, '-db', path.join(dir, 'poc.db'), '-detach', ...setup.common];
    // -detach and no worker: the batch stays in flight, and no model is asked.
    const first = await runCli(args(mine));
    assert.equal(first.code, 0, first.stderr);
    const id = first.stdout.trim();
    try {
      const other = await runCli(args(theirs));
      assertUsageError(
        other,
        new RegExp(
          `^overnight-llm: .*night is being written by run ${id} \\(prompt "batch of 1 from mine\\.txt", other flags than these\\): follow it with overnight-llm attach ${id}, or choose another -output$`,
        ),
      );
      const same = await runCli(args(mine));
      assert.equal(same.code, 0, same.stderr);
      assert.equal(same.stdout.trim(), id);
      assert.match(same.stderr, /already running .*: attaching to it/);
    } finally {
      await runCli(['cancel', id, ...setup.common]);
    }
  });
});

describe('two CLIs starting the embedded Temporal server at once', () => {
  const started = /started the Temporal dev server on /;
  let address = '';

  after(() => stopEmbeddedServer(address));

  test('one starts it, the other waits for it; both answer, and the pid file names the server that runs', async () => {
    address = `127.0.0.1:${await freePort()}`;
    const both = await Promise.all([runCli(['list', '-temporal', address]), runCli(['list', '-temporal', address])]);
    for (const r of both) assert.equal(r.code, 0, r.stderr);
    assert.equal(both.filter((r) => started.test(r.stderr)).length, 1, both.map((r) => r.stderr).join('\n---\n'));
    const { pidFile } = embeddedServerFor(address);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    assert.doesNotThrow(() => process.kill(pid, 0), `the server in ${pidFile} (${pid}) is alive`);
    assert.equal(existsSync(path.join(path.dirname(pidFile), 'starting.lock')), false, 'the lock is released');
  });

  test('a lock left by a process that died is taken over, not waited on', async () => {
    const stale = `127.0.0.1:${await freePort()}`;
    try {
      const { pidFile } = embeddedServerFor(stale);
      const lock = path.join(path.dirname(pidFile), 'starting.lock');
      const dead = spawnSync('true').pid; // exited: no process holds this pid now
      mkdirSync(path.dirname(lock), { recursive: true });
      writeFileSync(lock, String(dead));
      const r = await runCli(['list', '-temporal', stale]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, started);
      assert.doesNotMatch(r.stderr, /waiting for the Temporal dev server/);
      assert.equal(existsSync(lock), false, 'the lock is released');
    } finally {
      stopEmbeddedServer(stale);
    }
  });
});
