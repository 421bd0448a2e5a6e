// Generated code that tries to escape, validated the way the image's worker validates it: the
// compose file's worker service as a process here (test/support/compose-services.ts), as its
// non-root user, with its environment and its state volume. 1 case (the layer's total is in
// support.ts). What a Docker host adds (seccomp profile, AppArmor, /proc masks) is not here:
// docs/several-machines.md says so.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import type { ValidationReport } from '../../core/run-types.js';
import { PROJECT_ROOT } from '../support/cli.js';
import { composeServices, hasCompose, nonRootUser, ownedFolder, type LocalService, type User } from '../support/compose-services.js';
import { tmpDir } from '../support/run-fixtures.js';
import { hostListener } from './support.js';

const CHILD = path.join(PROJECT_ROOT, 'test', 'hostile', 'image-worker-child.ts');

/** Runs `argv` as the service's user with its environment; resolves with its exit code and output. */
function runAs(service: LocalService, argv: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(argv[0]!, argv.slice(1), {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH, ...service.env },
    uid: service.user.uid,
    gid: service.user.gid,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

/** Every file and folder under `dir` handed to `user`, as if the worker had written them. */
function giveTo(dir: string, user: User): void {
  chownSync(dir, user.uid, user.gid);
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) chownSync(path.join(e.parentPath, e.name), user.uid, user.gid);
}

function cannotRun(t: TestContext, reason: string): void {
  if (process.env.OVERNIGHT_EXPECT_CONTAINMENT) assert.fail(`OVERNIGHT_EXPECT_CONTAINMENT=${process.env.OVERNIGHT_EXPECT_CONTAINMENT}, but ${reason}`);
  t.skip(reason);
}

describe('generated code validated as the image’s worker validates it', { timeout: 600_000 }, () => {
  it('reaches neither the host nor the internet, and writes neither another run’s folder nor the worker’s state', async (t) => {
    if (!hasCompose) return t.skip('docker-compose is not installed');
    const user = nonRootUser();
    const home = ownedFolder(tmpDir('hostile-image'), user);
    const services = composeServices(home, user, {});
    const worker = services.worker!;
    assert.equal((await runAs(services.folders!, services.folders!.argv)).code, 0, 'the folders service');
    const state = worker.env.OVERNIGHT_STATE_DIR!;
    const out = path.join(home, 'overnight', 'todo-api');
    const otherRun = path.join(home, 'overnight', 'other-run');
    mkdirSync(otherRun);
    chownSync(otherRun, user.uid, user.gid);

    // Without containment the worker's user may write both places: a refusal below is containment's.
    const control = await runAs(worker, ['/bin/sh', '-c', 'echo x > "$0/control" && echo x > "$1/control"', otherRun, state]);
    assert.equal(control.code, 0, control.stderr);

    const listener = await hostListener();
    const targets = [...(listener.target ? [listener.target] : []), '1.1.1.1:80'];
    try {
      mkdirSync(path.join(out, 'tests'), { recursive: true });
      writeFileSync(path.join(out, 'go.mod'), 'module todo-api\n\ngo 1.22\n');
      writeFileSync(
        path.join(out, 'tests', 'x_test.go'),
        `package tests

import (
	"net"
	"os"
	"testing"
	"time"
)

func TestEscape(t *testing.T) {
	for _, addr := range []string{${targets.map((a) => JSON.stringify(a)).join(', ')}} {
		c, err := net.DialTimeout("tcp", addr, 2*time.Second)
		if err == nil {
			c.Close()
		}
		t.Logf("DIAL %s: %v", addr, err)
	}
	t.Logf("OTHER RUN %v", os.WriteFile(${JSON.stringify(path.join(otherRun, 'pwned.txt'))}, []byte("pwned"), 0o644))
	t.Logf("STATE %v", os.WriteFile(${JSON.stringify(path.join(state, 'pwned.txt'))}, []byte("pwned"), 0o644))
	t.Logf("INSIDE %v", os.WriteFile("inside.txt", []byte("mine"), 0o644))
	t.Fail()
}
`,
      );
      giveTo(out, user);
      const run = await runAs(worker, [process.execPath, '--import', 'tsx', CHILD, out]);
      assert.equal(run.code, 0, run.stderr);
      const report = JSON.parse(run.stdout.trim().split('\n').pop()!) as ValidationReport;
      t.diagnostic(`containment as the image's worker: ${report.containment}`);
      if (/^WEAKER THAN CI/.test(report.containment ?? '')) return cannotRun(t, `the worker's user has less containment here: ${report.containment}`);
      const test = report.steps.find((s) => s.name === 'test')?.outputTail ?? '';
      for (const target of targets) assert.match(test, new RegExp(`DIAL ${target}: dial tcp ${target}: connect: network is unreachable`));
      assert.equal(listener.accepted(), 0, 'the host listener was reached');
      assert.match(test, /OTHER RUN open \S+other-run\/pwned\.txt: read-only file system/);
      assert.match(test, /STATE open \S+pwned\.txt: read-only file system/);
      assert.match(test, /INSIDE <nil>/, 'the project folder stays writable');
      assert.equal(existsSync(path.join(otherRun, 'pwned.txt')) || existsSync(path.join(state, 'pwned.txt')), false);
    } finally {
      listener.close();
      rmSync(home, { recursive: true, force: true });
    }
  });
});
