// Go code declaring the wrong package, through the real validateProject: 2 cases (the layer's
// total is in support.ts). Go reports the fault at the importers ("is a program", "imported as
// X and not used"); the repair must be aimed at the file whose package clause is wrong.
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { validateProject } from '../../activities/go/validate.js';
import { FIXTURE_DIR } from '../support/run-fixtures.js';
import { TODO_SPEC } from '../support/scripted-ollama.js';
import { assertNoNewProcesses, descendants, makeSandbox, type Sandbox } from './support.js';

const MODELS = 'internal/models/todo.go';

describe('a wrong package clause is blamed on its own file', { timeout: 180_000 }, () => {
  let sb: Sandbox;
  before(() => {
    sb = makeSandbox();
    cpSync(FIXTURE_DIR, sb.out, { recursive: true });
  });
  after(() => sb.cleanup());

  const cases = [
    { declared: 'main', importers: [], line: /"todo-api\/internal\/models" is a program, not an importable package/ },
    { declared: 'model', importers: ['repository'], line: /"todo-api\/internal\/models" imported as model and not used/ },
  ];
  for (const c of cases) {
    it(`the models file declares package ${c.declared}: the repair is aimed at it`, async () => {
      const good = readFileSync(path.join(FIXTURE_DIR, MODELS), 'utf8');
      writeFileSync(path.join(sb.out, MODELS), good.replace('package models', `package ${c.declared}`));
      const procs = descendants();
      const r = await validateProject({ outputDir: sb.out, spec: TODO_SPEC, coverageGoal: 70 });
      await assertNoNewProcesses(procs);
      assert.equal(r.ok, false);
      // The importers still get their own lines ("undefined: models") when the name merely differs.
      assert.deepEqual(
        r.failures.map((f) => f.phase),
        ['models', ...c.importers],
      );
      const models = r.failures[0]!.errors.split('\n');
      assert.equal(models[0], `${MODELS}: declares package ${c.declared}, but it must declare package models (the package it is imported as)`);
      assert.ok(
        models.some((l) => c.line.test(l)),
        r.failures[0]!.errors,
      );
    });
  }
});
