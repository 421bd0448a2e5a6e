// A full disk under the mirror, status.json and the output folder's git history (issue #27): a
// 2 MiB tmpfs, mounted in a user namespace, holds all three, and the child fills it. Each write
// fails with one line naming the file and what to do, retryable; what was written before stays
// whole; the response cache gives up its copy instead of failing the model call; freed, the same
// calls go on.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import { expectedContainment } from '../support/expect.js';
import { assertOneLine } from './support.js';

const mount = mkdtempSync(path.join(os.tmpdir(), 'overnight-disk-full-'));
after(() => rmSync(mount, { recursive: true, force: true }));

// A tmpfs of one's own needs a user and mount namespace: what CI's containment level has too.
const canMount = spawnSync('unshare', ['-Urm', 'sh', '-c', `mount -t tmpfs -o size=64k tmpfs "${mount}"`]).status === 0;
const skip = canMount ? false : 'this machine gives no user namespaces, so no tmpfs of our own';
if (!canMount && expectedContainment())
  test('OVERNIGHT_EXPECT_CONTAINMENT is set, and this machine mounts a tmpfs in a user namespace', () => assert.fail(skip as string));

interface Step {
  step: string;
  ok?: boolean;
  type?: string;
  nonRetryable?: boolean;
  message?: string;
  status?: string;
  stored?: boolean;
}

test('a full disk: one retryable line per write naming the file, nothing written before lost, and the run goes on once freed', { skip }, () => {
  const child = fileURLToPath(new URL('./disk-full-child.ts', import.meta.url));
  const out = execFileSync(
    'unshare',
    ['-Urm', 'sh', '-c', 'mount -t tmpfs -o size=2m tmpfs "$1" && shift && exec "$@"', 'sh', mount, process.execPath, '--import', 'tsx', child, mount],
    { encoding: 'utf8', timeout: 60_000 },
  );
  const steps = new Map(
    out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Step)
      .map((s) => [s.step, s]),
  );
  const failed = (name: string, where: RegExp) => {
    const s = steps.get(name)!;
    assert.equal(s.ok, false, `${name}: the write on a full disk succeeded`);
    assert.equal(s.type, 'DiskFull', `${name}: ${s.message}`);
    assert.equal(s.nonRetryable, false, `${name}: a disk freed in time lets the retry go on`);
    assertOneLine(s.message!);
    assert.match(s.message!, where);
    assert.match(s.message!, /free some space .*run the same command again/);
  };
  failed('mirror', /^the disk is full: the mirror \S+\/state\/poc\.db could not be written \(database or disk is full\)/);
  failed('status', /^the disk is full: the output folder \S+\/out could not be written \(ENOSPC/);
  failed('git', /^the disk is full: the output folder \S+\/out could not be written \(git: .*No space left on device/);

  // Nothing the user had is lost: status.json is the one written before, whole.
  assert.equal(steps.get('status-kept')!.status, steps.get('before')!.status);
  JSON.parse(steps.get('status-kept')!.status!);
  // The model's answer is not thrown away because its cached copy could not be kept.
  assert.equal(steps.get('cache')!.stored, false);

  // Freed: the mirror still holds every phase recorded before and takes the new one; status.json says so.
  assert.equal(steps.get('mirror-again')!.ok, true, steps.get('mirror-again')!.message);
  assert.equal(steps.get('status-again')!.ok, true, steps.get('status-again')!.message);
  const after = JSON.parse(steps.get('after')!.status!) as { phases: { name: string }[] };
  assert.deepEqual(
    after.phases.map((p) => p.name),
    ['plan', 'models', 'repository'],
  );
});
