// Hostile filesystems under a whole file's activities (the prompt, the answer, the write): 8 cases (the layer's total is in support.ts).
// An answer cannot carry a symlink, so the tricks are planted where the generated files go:
// symlinks (to a file, to a folder, to /dev/zero), FIFOs, a folder, a hard link, and a disk
// that refuses the write midway. Refused without a hang, or written by rename; never through.
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { MockActivityEnvironment } from '@temporalio/testing';
import { writeScaffold } from '../../activities/files/scaffold.js';
import { fileAsRunToday } from '../support/file-phase.js';
import { closeMirrors } from '../../lib/db.js';
import { FIXTURE_DIR } from '../support/run-fixtures.js';
import { startScriptedOllama, todoApiResponder, TODO_SPEC, whenFile, withOverrides } from '../support/scripted-ollama.js';
import {
  KiB,
  USER_TEXT,
  assertNoNewProcesses,
  assertOneLine,
  caseTimeout,
  descendants,
  fixture,
  leftoverTmp,
  llmSettings,
  makeSandbox,
  runCase,
  snapshot,
  within,
  type HostileCase,
  type Sandbox,
} from './support.js';

const HANDLERS = 'internal/handlers/todo_handler.go';
const MODELS = 'internal/models/todo.go';
const unsafe = (message: RegExp) => ({ failure: { type: 'UnsafePathError', nonRetryable: true, message } });
const at = (sb: Sandbox, rel: string) => path.join(sb.out, rel);
const mkfifo = (p: string) => execFileSync('mkfifo', [p]);
let outsideInode = 0;

export const FILESYSTEM_CASES: HostileCase[] = [
  {
    name: 'the handlers file is a symlink to a file outside: refused, the outside file untouched',
    phase: 'handlers',
    calls: 1,
    limitMs: 5000,
    prepare: (sb) => symlinkSync(sb.outside, at(sb, HANDLERS)),
    expect: unsafe(/refusing internal\/handlers\/todo_handler\.go: internal\/handlers\/todo_handler\.go is a symbolic link/),
  },
  {
    name: 'the handlers folder is a symlink to a sibling folder: refused, the sentinel untouched',
    phase: 'handlers',
    calls: 1,
    limitMs: 5000,
    prepare: (sb) => {
      rmSync(at(sb, 'internal/handlers'), { recursive: true });
      symlinkSync(path.dirname(sb.sentinel), at(sb, 'internal/handlers'));
    },
    expect: unsafe(/internal\/handlers is a symbolic link/),
  },
  {
    name: 'a FIFO at the target path: refused without opening it (no hang)',
    phase: 'handlers',
    calls: 1,
    limitMs: 5000,
    prepare: (sb) => mkfifo(at(sb, HANDLERS)),
    expect: unsafe(/todo_handler\.go: it exists and is not a regular file/),
  },
  {
    name: 'a folder at the target path: refused',
    phase: 'handlers',
    calls: 1,
    limitMs: 5000,
    prepare: (sb) => mkdirSync(at(sb, HANDLERS)),
    expect: unsafe(/it exists and is not a regular file/),
  },
  {
    name: 'a dependency file is a symlink to /dev/zero: refused before reading (no endless read)',
    phase: 'repository',
    calls: 0,
    limitMs: 5000,
    prepare: (sb) => symlinkSync('/dev/zero', at(sb, MODELS)),
    expect: unsafe(/internal\/models\/todo\.go is a symbolic link/),
  },
  {
    name: 'a dependency file is a FIFO: refused before reading (no hang)',
    phase: 'handlers',
    calls: 0,
    limitMs: 5000,
    prepare: (sb) => mkfifo(at(sb, MODELS)),
    expect: unsafe(/internal\/models\/todo\.go: it exists and is not a regular file/),
  },
  {
    name: 'a hard link at the target to a file outside: replaced by rename, the outside file untouched',
    phase: 'handlers',
    calls: 1,
    limitMs: 5000,
    prepare: (sb) => {
      linkSync(sb.outside, at(sb, HANDLERS));
      outsideInode = statSync(sb.outside).ino;
    },
    expect: { file: fixture(HANDLERS) },
    after: ({ sb }) => {
      assert.notEqual(statSync(at(sb, HANDLERS)).ino, outsideInode, 'the write went through the hard link');
      assert.equal(statSync(sb.outside).nlink, 1);
    },
  },
];

after(() => closeMirrors());

describe('hostile filesystems under a file’s activities', () => {
  for (const c of FILESYSTEM_CASES) it(c.name, { timeout: caseTimeout(c) }, () => runCase(c));

  it('the disk refuses the write midway (a 64 KiB file-size limit, EFBIG): no half file, no .tmp- file', { timeout: 60_000 }, async () => {
    // ~150 KB: over the 64 KiB limit, under the 192 KB a file may carry to the workspace.
    const big = fixture(MODELS) + `// ${'padding '.repeat(30)}\n`.repeat(600);
    const respond = withOverrides(todoApiResponder({ fixtureDir: FIXTURE_DIR }), [{ when: whenFile(MODELS), answer: '```go\n' + big + '```\n' }]);
    const server = await startScriptedOllama({ respond, chunkChars: 16 * KiB });
    const sb = makeSandbox();
    const warm = makeSandbox();
    try {
      const input = {
        workflowId: 'wf-hostile',
        phase: 'models' as const,
        prompt: 'REST API for todo list',
        spec: TODO_SPEC,
        outputDir: sb.out,
        dbPath: sb.dbPath,
        llm: llmSettings(server.url, { maxOutputBytes: 4 * 1024 * KiB }),
        coverageGoal: 70,
      };
      await writeScaffold({ workflowId: 'wf-hostile', outputDir: sb.out, spec: TODO_SPEC });
      await writeScaffold({ workflowId: 'wf-hostile', outputDir: warm.out, spec: TODO_SPEC });
      // The same exchange once elsewhere fills the LLM cache, so the limited child only reads the mirror.
      await fileAsRunToday(new MockActivityEnvironment(), { ...input, outputDir: warm.out });
      closeMirrors();
      const beside = snapshot(sb.root, sb.out);
      const outBefore = snapshot(sb.out);
      const procs = descendants();
      const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./write-limit-child.ts', import.meta.url)), JSON.stringify(input)], {
        stdio: ['pipe', 'pipe', 'inherit'],
      });
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
      const run = (async () => {
        assert.equal((await lines.next()).value, 'ready');
        execFileSync('prlimit', ['--pid', String(child.pid), `--fsize=${64 * KiB}:${64 * KiB}`]);
        child.stdin!.write('go\n');
        return JSON.parse((await lines.next()).value as string) as { ok: boolean; code?: string; message?: string };
      })();
      const r = await within(30_000, run, () => child.kill('SIGKILL'));
      assert.equal(await exited, 0);
      assert.ok(r.ok);
      const outcome = r.value;
      assert.equal(outcome.ok, false, 'the write past the limit must fail');
      assert.equal(outcome.code, 'EFBIG', String(outcome.message));
      assertOneLine(outcome.message!);
      assert.deepEqual(leftoverTmp(sb.root), [], 'the half-written temporary file was left behind');
      assert.equal(existsSync(at(sb, MODELS)), false);
      assert.deepEqual(snapshot(sb.out), outBefore);
      assert.deepEqual(snapshot(sb.root, sb.out), beside);
      assert.equal(readFileSync(sb.userFile, 'utf8'), USER_TEXT);
      await assertNoNewProcesses(procs);
    } finally {
      await server.close();
      sb.cleanup();
      warm.cleanup();
    }
  });
});
