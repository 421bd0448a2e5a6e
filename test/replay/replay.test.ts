// Replays recorded histories against today's workflow code: a change that would make a
// running overnight run non-deterministic fails here, not at 3 a.m. on a user's laptop.
// They come from the workflow layer (a good run, a repair round) and the durability layer
// (kills, a pause, a server restart, a cancel: timeouts, retries and failed workflow tasks).
// Refresh them with `RECORD_HISTORIES=1 bash scripts/test.sh workflow durability` when a
// change is meant to be incompatible (and version it with patched() if runs may be in flight).
import { Worker } from '@temporalio/worker';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { WORKFLOWS_PATH } from '../../worker/create-worker.js';
import { HISTORIES_DIR } from '../support/histories.js';

const files = readdirSync(HISTORIES_DIR).filter((f) => f.endsWith('.json'));

test('recorded histories exist (workflow and durability layers)', () => {
  for (const name of ['good-run', 'repair-run', 'kill-restart-run', 'sleep-run', 'server-restart-run', 'cancelled-run']) {
    assert.ok(files.includes(`${name}.json`), `${name}.json missing; found ${files.join(', ')}`);
  }
});

for (const file of files) {
  test(`replays ${file} deterministically`, async () => {
    const history = JSON.parse(readFileSync(path.join(HISTORIES_DIR, file), 'utf8'));
    await Worker.runReplayHistory({ workflowsPath: WORKFLOWS_PATH }, history, file.replace(/\.json$/, ''));
  });
}
