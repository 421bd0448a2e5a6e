// What CI declares its machines have (.ci/run): OVERNIGHT_EXPECT=docker-compose,chromium and
// OVERNIGHT_EXPECT_CONTAINMENT=<level>. A test that needs a missing thing skips on a laptop, and
// fails where it was declared, so a CI runner without it cannot pass with the test skipped.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';

/** The things a test may need that a machine may lack; containment has a level of its own. */
export const EXPECTABLE = ['docker-compose', 'chromium'] as const;
export type Expectable = (typeof EXPECTABLE)[number];

/** The things OVERNIGHT_EXPECT names; an unknown name is a mistake in CI's set-up, said at once. */
export function expectedHere(env: NodeJS.ProcessEnv = process.env): Set<Expectable> {
  const names = (env.OVERNIGHT_EXPECT ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !(EXPECTABLE as readonly string[]).includes(n));
  if (unknown.length) throw new Error(`OVERNIGHT_EXPECT names ${unknown.join(', ')}: it takes ${EXPECTABLE.join(', ')}`);
  return new Set(names as Expectable[]);
}

/** Whether `command` is on PATH. */
export const onPath = (command: string): boolean => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;

/** The containment level CI expects (OVERNIGHT_EXPECT_CONTAINMENT), or undefined. */
export const expectedContainment = (env: NodeJS.ProcessEnv = process.env): string | undefined => env.OVERNIGHT_EXPECT_CONTAINMENT || undefined;

/**
 * A test's `skip` option for something it needs: false when the machine has it; else the reason.
 * Where CI declared the thing, a failing test naming what is missing is added too.
 */
export function skipUnless(thing: Expectable, have: boolean, reason: string): string | false {
  if (have) return false;
  if (expectedHere().has(thing))
    test(`OVERNIGHT_EXPECT names ${thing}, and this machine has it`, () => assert.fail(`OVERNIGHT_EXPECT names ${thing}, but ${reason}`));
  return reason;
}
