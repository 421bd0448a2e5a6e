// The record of toolchain process groups: a group whose owner was SIGKILLed (no exit handler
// ran) is reaped by the next reaper; a live owner's group is left alone.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { tmpDir } from '../support/run-fixtures.js';

const saved = process.env.OVERNIGHT_STATE_DIR;
let state: string;
let groups: typeof import('../../activities/go/process-groups.js');

before(async () => {
  state = tmpDir('groups');
  process.env.OVERNIGHT_STATE_DIR = state;
  groups = await import('../../activities/go/process-groups.js');
});

after(() => {
  if (saved === undefined) delete process.env.OVERNIGHT_STATE_DIR;
  else process.env.OVERNIGHT_STATE_DIR = saved;
});

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

/** A node process that starts a detached `sleep` group, records it (with `scratch`), prints its pid and waits. */
function owner(scratch: string): Promise<{ ownerPid: number; groupPid: number; kill: () => void }> {
  const code = `
    const { spawn } = require('node:child_process');
    import(${JSON.stringify(new URL('../../activities/go/process-groups.ts', import.meta.url).href)}).then((g) => {
      const c = spawn('sleep', ['120'], { detached: true, stdio: 'ignore' });
      g.trackGroup(c.pid, ${JSON.stringify(scratch)});
      console.log(c.pid);
      setInterval(() => {}, 1000);
    });`;
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', code], {
    env: { ...process.env, OVERNIGHT_STATE_DIR: state },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout!.once('data', (d: Buffer) => resolve({ ownerPid: child.pid!, groupPid: Number(d.toString().trim()), kill: () => child.kill('SIGKILL') }));
    child.once('exit', (c) => reject(new Error(`owner exited ${c}`)));
  });
}

test('a group recorded by a live owner is kept; once the owner is SIGKILLed the next reaper kills it', async () => {
  const scratch = path.join(state, 'overnight-smoke-test');
  mkdirSync(scratch);
  const o = await owner(scratch);
  const dir = path.join(state, 'process-groups');
  try {
    assert.ok(existsSync(path.join(dir, `${o.groupPid}.json`)));
    assert.equal(groups.reapOrphanedGroups(), 0, 'the owner is alive');
    assert.ok(alive(o.groupPid));
    o.kill();
    for (let i = 0; i < 50 && alive(o.ownerPid); i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok(alive(o.groupPid), 'SIGKILL runs no exit handler: the group outlived its owner');
    assert.equal(groups.reapOrphanedGroups(), 1);
    for (let i = 0; i < 50 && alive(o.groupPid); i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(alive(o.groupPid), false);
    assert.deepEqual(readdirSync(dir), []);
    assert.equal(existsSync(scratch), false, 'its scratch folder went with it');
  } finally {
    o.kill();
    try {
      process.kill(-o.groupPid, 'SIGKILL');
    } catch {
      // reaped
    }
  }
});

test('a group this process tracks and untracks leaves no record', async () => {
  const c = spawn('sleep', ['30'], { detached: true, stdio: 'ignore' });
  groups.trackGroup(c.pid!);
  assert.ok(existsSync(path.join(state, 'process-groups', `${c.pid}.json`)));
  groups.killGroup(c.pid!);
  groups.untrackGroup(c.pid!);
  assert.equal(existsSync(path.join(state, 'process-groups', `${c.pid}.json`)), false);
  assert.equal(groups.reapOrphanedGroups(), 0);
});

test('a process its worker had no time to record (stopped, even) is killed when it works inside a folder given, others are not', async () => {
  const dead = path.join(state, 'scratch-of-a-dead-worker');
  const other = path.join(state, 'scratch-of-a-live-worker');
  mkdirSync(path.join(dead, 'overnight-smoke-x'), { recursive: true });
  mkdirSync(other, { recursive: true });
  const inside = spawn('sleep', ['60'], { cwd: path.join(dead, 'overnight-smoke-x'), detached: true, stdio: 'ignore' });
  const outside = spawn('sleep', ['60'], { cwd: other, detached: true, stdio: 'ignore' });
  try {
    process.kill(inside.pid!, 'SIGSTOP'); // as a test holds a smoke server the instant it starts
    assert.equal(groups.killProcessesInside([dead]), 1);
    await Promise.race([new Promise((r) => inside.once('exit', r)), new Promise((r) => setTimeout(r, 2000))]);
    assert.equal(inside.signalCode, 'SIGKILL', 'the stopped process inside is still there');
    assert.ok(alive(outside.pid!), 'a process outside the folders given was killed');
  } finally {
    inside.kill('SIGKILL');
    outside.kill('SIGKILL');
  }
});
