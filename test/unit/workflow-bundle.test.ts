// The workflow bundle is cached by a hash of what it is made of. The workflows import the domain in
// core/, so an edit there must give a new bundle, or a worker would run yesterday's plan checks.
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { projectPath } from '../../lib/project-root.js';
import { workflowSourceHash } from '../../worker/workflow-bundle.js';

test('the bundle hash changes with a file of core/ (nested ones too), and comes back when it goes', () => {
  const before = workflowSourceHash();
  const probe = projectPath('core', 'go', 'zz-bundle-hash-probe.ts');
  try {
    writeFileSync(probe, 'export const probe = 1;\n');
    assert.notEqual(workflowSourceHash(), before);
  } finally {
    rmSync(probe, { force: true });
  }
  assert.equal(workflowSourceHash(), before);
});
