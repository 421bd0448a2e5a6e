// A worker whose generated code runs less contained than on CI's machines says so at start
// (worker/create-worker.ts makes this line for the CLI to print) and in each validation's containment label.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CI_LEVEL, containmentWarning, weakerThanCi } from '../../activities/go/containment.js';

test('at the CI level there is nothing to say', () => {
  assert.equal(CI_LEVEL, 'namespaces+readonly');
  assert.equal(weakerThanCi(CI_LEVEL), null);
  assert.equal(containmentWarning({ level: CI_LEVEL, reason: '' }), null);
});

test('below it, one line names the level, why, what generated code can then do, and where to read more', () => {
  assert.equal(
    containmentWarning({ level: 'none', reason: 'ip not found' }),
    'WARNING: generated code runs with containment "none" (ip not found), weaker than "namespaces+readonly": it can reach the network and write wherever this worker can. Docker: docs/several-machines.md#the-sandbox-in-a-container',
  );
  const readonlyMissing = containmentWarning({ level: 'namespaces', reason: 'namespaces+readonly: mount: permission denied' });
  assert.match(
    readonlyMissing ?? '',
    /^WARNING: generated code runs with containment "namespaces" \(namespaces\+readonly: mount: permission denied\), weaker than "namespaces\+readonly": it can write wherever this worker can\./,
  );
  assert.doesNotMatch(readonlyMissing ?? '', /\n/, 'one line');
});
