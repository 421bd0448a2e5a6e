// The output folder's git history, with the real git: a repository of the run's own, one commit
// per call that changed something, and the user's repository never touched unless -git.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { commitFiles } from '../../activities/files/git-history.js';

const roots: string[] = [];
after(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

function folder(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'overnight-git-'));
  roots.push(root);
  return root;
}

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=Someone', '-c', 'user.email=someone@example.com', ...args], { cwd, encoding: 'utf8' }).trim();
const log = (cwd: string) => git(cwd, 'log', '--format=%an <%ae>|%s');

/** A repository of the user's, with one commit of a file of theirs. */
function usersRepository(): string {
  const repo = folder();
  git(repo, 'init', '-q');
  writeFileSync(path.join(repo, 'thesis.md'), '# my thesis\n');
  git(repo, 'add', 'thesis.md');
  git(repo, 'commit', '-q', '-m', 'mine');
  return repo;
}

describe('commitFiles', () => {
  test('a new folder gets a repository of its own; a commit by overnight-llm; the same tree again makes no second commit', async () => {
    const out = folder();
    writeFileSync(path.join(out, 'go.mod'), 'module todo-api\n');
    assert.equal(await commitFiles(out, 'auto', ['go.mod'], 'scaffold: go.mod'), true);
    assert.deepEqual(log(out).split('\n'), ['overnight-llm <overnight-llm@localhost>|scaffold: go.mod']);
    assert.equal(await commitFiles(out, 'auto', ['go.mod'], 'scaffold: go.mod'), false, 'a retry writes the same bytes: no commit');
    writeFileSync(path.join(out, 'go.mod'), 'module todo-api\n\ngo 1.22\n');
    assert.ok(await commitFiles(out, 'auto', ['go.mod'], 'repair round 1: go.mod'));
    assert.deepEqual(
      log(out)
        .split('\n')
        .map((l) => l.split('|')[1]),
      ['repair round 1: go.mod', 'scaffold: go.mod'],
    );
  });

  test('-no-git: nothing, not even a repository', async () => {
    const out = folder();
    writeFileSync(path.join(out, 'go.mod'), 'module x\n');
    assert.equal(await commitFiles(out, 'off', ['go.mod'], 'scaffold'), false);
    assert.equal(existsSync(path.join(out, '.git')), false);
  });

  test("a new folder inside the user's checkout gets its own repository; the user's history is untouched", async () => {
    const repo = usersRepository();
    const out = path.join(repo, 'todo-api');
    mkdirSync(out);
    writeFileSync(path.join(out, 'go.mod'), 'module todo-api\n');
    const before = git(repo, 'rev-parse', 'HEAD');
    assert.ok(await commitFiles(out, 'auto', ['go.mod'], 'scaffold: go.mod'));
    assert.equal(git(repo, 'rev-parse', 'HEAD'), before);
    assert.equal(log(repo), 'Someone <someone@example.com>|mine');
    assert.equal(log(out), 'overnight-llm <overnight-llm@localhost>|scaffold: go.mod');
  });

  test("a folder the user's repository tracks files in: untouched without -git; with -git, one commit of only the run's files", async () => {
    const repo = usersRepository();
    writeFileSync(path.join(repo, 'notes.txt'), 'staged, not mine to commit\n');
    git(repo, 'add', 'notes.txt');
    writeFileSync(path.join(repo, 'go.mod'), 'module todo-api\n');
    const before = git(repo, 'rev-parse', 'HEAD');
    assert.equal(await commitFiles(repo, 'auto', ['go.mod'], 'scaffold: go.mod'), false);
    assert.equal(git(repo, 'rev-parse', 'HEAD'), before, 'no commit without -git');
    assert.ok(await commitFiles(repo, 'on', ['go.mod'], 'scaffold: go.mod'));
    assert.equal(log(repo).split('\n')[0], 'overnight-llm <overnight-llm@localhost>|scaffold: go.mod');
    assert.equal(git(repo, 'show', '--name-only', '--format=', 'HEAD'), 'go.mod', "only the run's file is in the commit");
    assert.equal(git(repo, 'diff', '--cached', '--name-only'), 'notes.txt', "the user's staged change is still theirs, staged");
  });
});
