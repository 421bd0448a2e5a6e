// Replays recorded histories against today's workflow code: a change that would make a
// running overnight run non-deterministic fails here, not at 3 a.m. on a user's laptop.
// They come from the workflow layer (a good run, a repair round, a guided run, a plan-strategy
// run, a plan review with an edit, a wait for Ollama), the e2e layer (a batch killed and
// attached again) and the durability layer (kills, a pause, a server restart, a cancel).
// Refresh them with `RECORD_HISTORIES=1 bash scripts/test.sh workflow e2e durability` when a
// change is meant to be incompatible (and version it with patched() if runs may be in flight:
// keep the histories from before it in a folder of their own, listed in OLDER below).
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { WORKFLOWS_PATH } from '../../worker/create-worker.js';
import { HISTORIES_DIR } from '../support/histories.js';

// Runs recorded before a versioned change (patched()) stay in a folder of their own: they must
// still replay, through the old branch, as long as such runs may be in flight.
const OLDER = ['before-local-mirror', 'before-model-queue', 'before-model-server-names'];
const files = readdirSync(HISTORIES_DIR).filter((f) => f.endsWith('.json'));
const olderFiles = OLDER.flatMap((dir) =>
  readdirSync(path.join(HISTORIES_DIR, dir))
    .filter((f) => f.endsWith('.json'))
    .map((f) => path.join(dir, f)),
);
const NAMES = ['good-run', 'repair-run', 'kill-restart-run', 'sleep-run', 'server-restart-run', 'cancelled-run'];
// The default path's runs (issue #27 item 2), recorded after the versioned changes (the wait's older copy is in before-model-server-names).
const DEFAULT_PATH = ['guided-run', 'plan-strategy-run', 'plan-review-edit-run', 'ollama-wait-run', 'batch-run'];

test("recorded histories exist (workflow, e2e and durability layers), today's and older ones", () => {
  for (const name of [...NAMES, ...DEFAULT_PATH]) assert.ok(files.includes(`${name}.json`), `${name}.json missing; found ${files.join(', ')}`);
  for (const name of NAMES)
    for (const dir of ['before-local-mirror', 'before-model-queue'])
      assert.ok(olderFiles.includes(path.join(dir, `${name}.json`)), `${dir}/${name}.json missing`);
  // The one recorded run that waited for the model server, as 0.1.0 named the wait (model-server-names).
  assert.ok(olderFiles.includes(path.join('before-model-server-names', 'ollama-wait-run.json')));
});

// One bundle of today's workflow code for every history: bundling is most of a replay's time.
const workflowBundle = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH });

for (const file of [...files, ...olderFiles]) {
  test(`replays ${file} deterministically`, async () => {
    const history = JSON.parse(readFileSync(path.join(HISTORIES_DIR, file), 'utf8'));
    await Worker.runReplayHistory({ workflowBundle }, history, file.replace(/\.json$/, '').replace('/', '-'));
  });
}
