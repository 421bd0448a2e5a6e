// The whole-plan writer's repair on a real project and the real Go toolchain: a rule that refuses
// every book is swapped for code's stand-in; a filter whose body disagrees with the examples the
// model sorted keeps its body (code cannot tell which of the two is wrong), its examples leave the
// tests, and the result says so. The tests pass afterwards, re-run here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { behaviourContract, goProject, renderBehaviour } from '../../core/go/index.js';
import { LIBRARY_BODIES, LIBRARY_PLAN } from '../../core/go/sample-plans.js';
import { apiTestsGo } from '../../core/go/tests.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
process.env.OVERNIGHT_STATE_DIR ??= path.join(repo, '.state', 'test');
const { runTool, toolchainEnv } = await import('../../activities/go/run-tool.js');
const { standInFailing } = await import('../../activities/plan/stand-in.js');

const scratch = mkdtempSync(path.join(os.tmpdir(), 'stand-in-'));
test.after(() => rmSync(scratch, { recursive: true, force: true }));

test(
  "repair: a rule that fails the tests gets code's stand-in; a filter that disagrees with its examples keeps its body, unchecked",
  { timeout: 400_000 },
  async () => {
    const bodies = {
      ...LIBRARY_BODIES,
      // Recent by any date at all: LIBRARY_PLAN's examples leave out a book published 400 days ago.
      'Book.Recent': '\treturn x.Published != nil',
      'Book.TitleNotIsbn': '\treturn errors.New("every book is refused")',
    };
    const dir = path.join(scratch, 'library');
    const contract = behaviourContract(LIBRARY_PLAN);
    for (const f of [
      ...goProject(LIBRARY_PLAN, { store: 'memory' }),
      { path: contract.path, content: renderBehaviour(contract, bodies) },
      apiTestsGo(LIBRARY_PLAN, 'memory'),
    ]) {
      mkdirSync(path.dirname(path.join(dir, f.path)), { recursive: true });
      writeFileSync(path.join(dir, f.path), f.content);
    }
    const r = await standInFailing({
      workflowId: 'stand-in-test',
      outputDir: dir,
      plan: LIBRARY_PLAN,
      store: 'memory',
      git: 'off',
      bodies,
      byModel: ['Book.Checkout', 'Book.Recent', 'Book.TitleNotIsbn'],
    });
    assert.deepEqual(r.unchecked, [{ kind: 'filter', resource: 'book', element: 'recent' }]);
    assert.deepEqual(
      r.replaced.map((x) => x.name),
      ['Book.TitleNotIsbn'],
    );
    assert.equal(r.passes, true);
    assert.equal(r.tests?.path, 'tests/api_test.go');
    const tests = readFileSync(path.join(dir, 'tests/api_test.go'), 'utf8');
    assert.doesNotMatch(tests, /filter recent: the model's examples/);
    assert.match(tests, /t\.Run\("filter recent"/, "the filter's other subtests stay");
    const behaviour = readFileSync(path.join(dir, 'internal/models/behaviour.go'), 'utf8');
    assert.match(behaviour, /func \(x Book\) Recent\(now time\.Time\) bool \{\n\treturn x\.Published != nil\n\}/);
    assert.match(behaviour, /func \(x Book\) TitleNotIsbn\(\) error \{\n\treturn nil\n\}/);
    const again = await runTool('go', ['test', '-count=1', './...'], { cwd: dir, env: toolchainEnv(), timeoutMs: 240_000 });
    assert.equal(again.exitCode, 0, again.output);
  },
);
