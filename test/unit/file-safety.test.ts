// Every write a run makes stays inside the output folder, on the paths of the generated
// layout, and never touches the user's own files.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { UnsafePathError, assertNoLinks, confinedPath } from '../../activities/files/confine.js';
import { readGeneratedFile, sha256, writeFileAtomic } from '../../activities/files/write-file.js';
import { writeScaffold } from '../../activities/files/scaffold.js';
import { OutputDirError, checkOutputDir } from '../../activities/files/output-dir.js';
import { MARKER_FILE } from '../../core/layout.js';
import { LAYOUT_DIRS, LIBRARY_PHASES, allowedPaths, filePathFor, importPathFor } from '../../core/layout.js';

let root: string;
const dirs: string[] = [];
/** A fresh absolute folder under the test's tmp root. */
function fresh(name: string): string {
  const d = mkdtempSync(path.join(root, `${name}-`));
  dirs.push(d);
  return d;
}

before(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'file-safety-'));
});
after(() => rmSync(root, { recursive: true, force: true }));

const ALLOWED = allowedPaths({ resource: 'todo' });
const MODELS = 'internal/models/todo.go';

/** Every file below `dir`, relative, recursively. */
function listAll(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).sort();
}

/** path → sha256 + mode + mtime of every entry below `dir`, to prove nothing changed. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rel of listAll(dir)) {
    const abs = path.join(dir, rel);
    const st = lstatSync(abs);
    const hash = st.isFile() ? createHash('sha256').update(readFileSync(abs)).digest('hex') : 'dir';
    out[rel] = `${hash} ${st.mode} ${st.mtimeMs} ${st.size}`;
  }
  return out;
}

function assertUnsafe(fn: () => unknown, pattern?: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof UnsafePathError, `expected UnsafePathError, got ${String(err)}`);
    // Thrown from any activity, it fails that activity at once: the same path is refused on every attempt.
    assert.ok(err instanceof ApplicationFailure && err.nonRetryable && err.type === 'UnsafePathError');
    if (pattern) assert.match((err as Error).message, pattern);
    return true;
  });
}

describe('confinedPath', () => {
  const out = '/srv/out';

  test('a layout path resolves inside the output dir', () => {
    assert.equal(confinedPath(out, MODELS, ALLOWED), '/srv/out/internal/models/todo.go');
    assert.equal(confinedPath(out, 'README.md', ALLOWED), '/srv/out/README.md');
    assert.equal(confinedPath(out, 'go.mod', ALLOWED), '/srv/out/go.mod');
  });

  const refused: [string, string][] = [
    ['..', '../etc/passwd'],
    ['.. in the middle', 'internal/../../x.go'],
    ['.. at the end', 'internal/models/..'],
    ['a . segment', './README.md'],
    ['absolute path', '/etc/passwd'],
    ['backslash', 'internal\\models\\todo.go'],
    ['backslash traversal', '..\\..\\x'],
    ['NUL', 'README.md\0.txt'],
    ['empty path', ''],
    ['empty segment', 'internal//models/todo.go'],
    ['trailing slash', 'internal/models/'],
  ];
  for (const [name, rel] of refused) {
    test(`refuses ${name}: ${JSON.stringify(rel)}`, () => {
      assertUnsafe(() => confinedPath(out, rel));
      assertUnsafe(() => confinedPath(out, rel, ALLOWED));
    });
  }

  test('refuses paths outside the allowed set, even harmless-looking ones', () => {
    for (const rel of ['main.go', 'internal/models/user.go', 'internal/models/todo_extra.go', '.bashrc', 'cmd/server/other.go'])
      assertUnsafe(() => confinedPath(out, rel, ALLOWED), /not a file of the generated layout/);
  });

  test('a relative output dir is refused', () => {
    assertUnsafe(() => confinedPath('generated', 'README.md'), /absolute/);
  });

  test('the allowed set is exactly the layout plus the run files', () => {
    assert.deepEqual([...ALLOWED].sort(), [
      '.overnight-llm.json',
      'README.md',
      'cmd/server/main.go',
      'go.mod',
      'internal/handlers/todo_handler.go',
      'internal/models/todo.go',
      'internal/repository/todo_repo.go',
      'openapi.yaml',
      'plan.json',
      'report.md',
      'status.json',
      'tests/todo_handler_test.go',
    ]);
  });
});

describe('writeFileAtomic', () => {
  test('writes the file, creating folders, and returns its sha256 and byte count', () => {
    const out = fresh('write');
    const content = 'package models\n\n// Café ☕\n';
    const ref = writeFileAtomic(out, MODELS, content, ALLOWED);
    assert.equal(readFileSync(path.join(out, MODELS), 'utf8'), content);
    assert.equal(ref.path, MODELS);
    assert.equal(ref.bytes, Buffer.byteLength(content, 'utf8'));
    assert.ok(ref.bytes > content.length, 'bytes counts UTF-8 bytes, not characters');
    assert.equal(ref.sha256, createHash('sha256').update(content, 'utf8').digest('hex'));
    assert.equal(ref.sha256, sha256(content));
    assert.equal(ref.written, true);
    assert.equal(readGeneratedFile(out, MODELS), content);
  });

  test('the same bytes again: skipped (written: false), file untouched', () => {
    const out = fresh('same');
    const first = writeFileAtomic(out, 'README.md', '# Todo\n', ALLOWED);
    const before = statSync(path.join(out, 'README.md'));
    const second = writeFileAtomic(out, 'README.md', '# Todo\n', ALLOWED);
    assert.equal(second.written, false);
    assert.equal(second.sha256, first.sha256);
    assert.equal(second.bytes, first.bytes);
    assert.equal(statSync(path.join(out, 'README.md')).ino, before.ino, 'not replaced by a rename');
  });

  test('different bytes replace the file', () => {
    const out = fresh('replace');
    writeFileAtomic(out, 'README.md', '# One\n', ALLOWED);
    const ref = writeFileAtomic(out, 'README.md', '# Two\n', ALLOWED);
    assert.equal(ref.written, true);
    assert.equal(readFileSync(path.join(out, 'README.md'), 'utf8'), '# Two\n');
  });

  test('leaves no tmp files behind', () => {
    const out = fresh('notmp');
    for (const p of ALLOWED) writeFileAtomic(out, p, `content of ${p}\n`, ALLOWED);
    writeFileAtomic(out, MODELS, 'changed\n', ALLOWED);
    writeFileAtomic(out, MODELS, 'changed\n', ALLOWED);
    const files = listAll(out).filter((p) => statSync(path.join(out, p)).isFile());
    assert.deepEqual(files, [...ALLOWED].sort());
    assert.ok(!listAll(out).some((p) => p.includes('.tmp')));
  });

  test('refuses a path outside the allowed set and writes nothing', () => {
    const out = fresh('outside');
    assertUnsafe(() => writeFileAtomic(out, '../escape.go', 'x', ALLOWED));
    assertUnsafe(() => writeFileAtomic(out, 'internal/models/evil.go', 'x', ALLOWED));
    assert.deepEqual(listAll(out), []);
    assert.ok(!existsSync(path.join(root, 'escape.go')));
  });

  test('refuses to write through a symlinked folder pointing outside; nothing appears in the target', () => {
    const out = fresh('linkdir');
    const elsewhere = fresh('elsewhere');
    symlinkSync(elsewhere, path.join(out, 'internal'));
    assertUnsafe(() => writeFileAtomic(out, MODELS, 'package models\n', ALLOWED), /symbolic link/);
    assert.deepEqual(listAll(elsewhere), [], 'nothing created through the link');
    assertUnsafe(() => readGeneratedFile(out, MODELS), /symbolic link/);
  });

  test('refuses a symlinked folder deeper in the path too', () => {
    const out = fresh('linkdeep');
    const elsewhere = fresh('elsewhere-deep');
    mkdirSync(path.join(out, 'internal'));
    symlinkSync(elsewhere, path.join(out, 'internal', 'models'));
    assertUnsafe(() => writeFileAtomic(out, MODELS, 'package models\n', ALLOWED), /symbolic link/);
    assert.deepEqual(listAll(elsewhere), []);
  });

  test('refuses to overwrite a symlink file, and the link target keeps its content', () => {
    const out = fresh('linkfile');
    const elsewhere = fresh('victim');
    const victim = path.join(elsewhere, 'important.txt');
    writeFileSync(victim, 'precious\n');
    symlinkSync(victim, path.join(out, 'README.md'));
    assertUnsafe(() => writeFileAtomic(out, 'README.md', '# pwned\n', ALLOWED), /symbolic link/);
    assert.equal(readFileSync(victim, 'utf8'), 'precious\n');
    assert.ok(lstatSync(path.join(out, 'README.md')).isSymbolicLink(), 'the link itself is left alone');
  });

  test('refuses a dangling symlink file (it would create the target)', () => {
    const out = fresh('dangling');
    const target = path.join(fresh('dangling-target'), 'created.txt');
    symlinkSync(target, path.join(out, 'README.md'));
    assertUnsafe(() => writeFileAtomic(out, 'README.md', '# x\n', ALLOWED));
    assert.ok(!existsSync(target));
  });

  test('refuses a FIFO as target, without blocking on it', () => {
    const out = fresh('fifo');
    execFileSync('mkfifo', [path.join(out, 'README.md')]);
    assertUnsafe(() => writeFileAtomic(out, 'README.md', '# x\n', ALLOWED), /not a regular file/);
    assert.ok(lstatSync(path.join(out, 'README.md')).isFIFO());
  });

  test('refuses a folder where the file should be', () => {
    const out = fresh('dirtarget');
    mkdirSync(path.join(out, 'README.md'));
    assertUnsafe(() => writeFileAtomic(out, 'README.md', '# x\n', ALLOWED));
  });

  test('refuses when a path component is a file, not a folder', () => {
    const out = fresh('filecomp');
    writeFileSync(path.join(out, 'internal'), 'user file\n');
    assertUnsafe(() => writeFileAtomic(out, MODELS, 'x', ALLOWED), /not a folder/);
    assert.equal(readFileSync(path.join(out, 'internal'), 'utf8'), 'user file\n');
  });

  test('assertNoLinks accepts a path that does not exist yet', () => {
    const out = fresh('nolinks');
    assert.doesNotThrow(() => assertNoLinks(out, MODELS));
  });

  test('the scaffold runs again over its own folders (a retried activity, a restarted run), not over a file or a link in their place', async () => {
    const out = fresh('rescaffold');
    const spec = { module: 'todo-api', resource: 'todo', plural: 'todos', fields: [], endpoints: [] };
    await writeScaffold({ workflowId: 'w', outputDir: out, spec });
    await writeScaffold({ workflowId: 'w', outputDir: out, spec });
    assert.ok(statSync(path.join(out, 'cmd/server')).isDirectory());
    rmSync(path.join(out, 'cmd/server'), { recursive: true });
    writeFileSync(path.join(out, 'cmd/server'), 'user file\n');
    await assert.rejects(writeScaffold({ workflowId: 'w', outputDir: out, spec }), /cmd\/server: it exists and is not a folder/);
    rmSync(path.join(out, 'cmd/server'));
    symlinkSync(os.tmpdir(), path.join(out, 'cmd/server'));
    await assert.rejects(writeScaffold({ workflowId: 'w', outputDir: out, spec }), /symbolic link/);
  });
});

describe('checkOutputDir', () => {
  test('creates a missing folder (and its parents)', () => {
    const target = path.join(fresh('parent'), 'a', 'b', 'generated');
    checkOutputDir(target, false);
    assert.ok(statSync(target).isDirectory());
  });

  test('accepts an empty folder', () => {
    const out = fresh('empty');
    assert.doesNotThrow(() => checkOutputDir(out, false));
    assert.deepEqual(listAll(out), []);
  });

  test('accepts a folder of an earlier run (holds .overnight-llm.json)', () => {
    const out = fresh('marker');
    writeFileSync(path.join(out, MARKER_FILE), '{"workflowId":"x"}\n');
    writeFileSync(path.join(out, 'go.mod'), 'module todo-api\n');
    assert.doesNotThrow(() => checkOutputDir(out, false));
  });

  test('refuses a folder with user files, naming -allow-existing; accepts it with allowNonEmpty; never changes the files', () => {
    const out = fresh('user');
    writeFileSync(path.join(out, 'notes.txt'), 'my notes\n');
    mkdirSync(path.join(out, 'src'));
    writeFileSync(path.join(out, 'src', 'main.go'), 'package main\n');
    chmodSync(path.join(out, 'notes.txt'), 0o600);
    const before = snapshot(out);
    assert.throws(
      () => checkOutputDir(out, false),
      (err: unknown) => {
        assert.ok(err instanceof OutputDirError);
        assert.match((err as Error).message, /-allow-existing/);
        assert.match((err as Error).message, /notes\.txt/);
        return true;
      },
    );
    assert.deepEqual(snapshot(out), before);
    assert.doesNotThrow(() => checkOutputDir(out, true));
    assert.deepEqual(snapshot(out), before, 'files untouched, nothing added or removed');
  });

  test('refuses / and the home folder, whatever allowNonEmpty says', () => {
    for (const allow of [false, true]) {
      assert.throws(() => checkOutputDir('/', allow), OutputDirError);
      assert.throws(() => checkOutputDir(os.homedir(), allow), OutputDirError);
      assert.throws(() => checkOutputDir(os.homedir() + '/', allow), OutputDirError);
      assert.throws(() => checkOutputDir(path.join(os.homedir(), 'x', '..'), allow), OutputDirError);
    }
  });

  test('refuses an output path that is a file, and leaves the file alone', () => {
    const parent = fresh('isfile');
    const file = path.join(parent, 'generated');
    writeFileSync(file, 'not a folder\n');
    assert.throws(() => checkOutputDir(file, true), /not a folder/);
    assert.equal(readFileSync(file, 'utf8'), 'not a folder\n');
  });

  test('a folder the kernel will not make (/proc/…) is refused at once, not retried forever', { skip: !existsSync('/proc/self') && 'no /proc here' }, () => {
    // Node's recursive mkdirSync spins on this path, so the check runs in a child with a time limit.
    const module = new URL('../../activities/files/output-dir.ts', import.meta.url).href;
    const script = `import(${JSON.stringify(module)}).then((m) => { try { m.checkOutputDir('/proc/overnight-nope/api', false); } catch (e) { console.log(e.message); } })`;
    const said = execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8', timeout: 30_000 });
    assert.match(said, /cannot create output folder \/proc\/overnight-nope\/api: ENOENT/);
  });

  test('makes every missing parent of a new output folder', () => {
    const out = path.join(fresh('nested'), 'a', 'b', 'api');
    checkOutputDir(out, false);
    assert.ok(statSync(out).isDirectory());
  });
});

describe('filePathFor', () => {
  test('maps each phase to the layout path', () => {
    assert.equal(filePathFor('models', 'todo'), 'internal/models/todo.go');
    assert.equal(filePathFor('repository', 'todo'), 'internal/repository/todo_repo.go');
    assert.equal(filePathFor('handlers', 'todo'), 'internal/handlers/todo_handler.go');
    assert.equal(filePathFor('server', 'todo'), 'cmd/server/main.go');
    assert.equal(filePathFor('tests', 'todo'), 'tests/todo_handler_test.go');
    assert.equal(filePathFor('readme', 'todo'), 'README.md');
  });

  test('what else derives from the layout: the folders scaffold makes, the import paths fixed (the allowed paths: above)', () => {
    assert.deepEqual([...LAYOUT_DIRS].sort(), ['cmd/server', 'internal/handlers', 'internal/models', 'internal/repository', 'tests']);
    assert.deepEqual(
      LIBRARY_PHASES.map((p) => importPathFor('todo-api', p)),
      ['todo-api/internal/models', 'todo-api/internal/repository', 'todo-api/internal/handlers'],
    );
  });

  for (const bad of ['../x', 'Todo', 'a/b', '', 'todo ', 'to.do', '1todo', 'todo\0', 'a'.repeat(31)]) {
    test(`refuses unsafe resource name ${JSON.stringify(bad)}`, () => {
      assert.throws(() => filePathFor('models', bad), /unsafe resource name/);
      assert.throws(() => allowedPaths({ resource: bad }), /unsafe resource name/);
    });
  }
});
