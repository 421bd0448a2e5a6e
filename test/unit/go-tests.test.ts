// The tests code derives from the plan (core/go/tests.ts): a subtest for every behaviour code
// writes, named after its mutant, listed in `proves`; the behaviour the model writes left to the
// model's cases and named so in the file; the same file every time. The Go toolchain runs them in
// test/activities/go-tests.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mutantsOf } from '../../core/go/index.js';
import { EDGE_PLAN, LIBRARY_PLAN, TODO_PLAN } from '../../core/go/sample-plans.js';
import { apiTestsGo, codeProves } from '../../core/go/tests.js';
import { hasExamples } from '../../core/go/tests-examples.js';
import { goName, type Plan } from '../../core/plan.js';

const PLANS: [string, Plan][] = [
  ['todo', TODO_PLAN],
  ['library', LIBRARY_PLAN],
  ['edge', EDGE_PLAN],
];

for (const [name, plan] of PLANS) {
  test(`${name}: proves covers every mutant code writes, each by a subtest in the file, under the store the project ships`, () => {
    const store = name === 'library' ? 'sqlite' : 'memory';
    const { path, content, proves } = apiTestsGo(plan, store);
    assert.equal(path, 'tests/api_test.go');
    const ids = mutantsOf(plan).map((m) => m.id);
    const byCode = ids.filter((id) => !/^(rule|action):/.test(id) && !(id.startsWith('filter:') && !isFilterByValue(plan, id)));
    assert.deepEqual(
      ids.filter((id) => codeProves(plan, id)),
      byCode,
    );
    assert.deepEqual(Object.keys(proves), byCode);
    for (const [id, subtest] of Object.entries(proves)) {
      const resource = plan.resources.find((r) => r.name === id.split(':')[1]!.split('.')[0])!;
      assert.equal(subtest, `Test${goName(resource.plural)}/${store}/${id}`);
      assert.ok(content.includes(`t.Run(${JSON.stringify(id)}, func(t *testing.T) {`), `no subtest ${id}`);
      assert.ok(content.includes(`func Test${goName(resource.plural)}(t *testing.T) {`));
    }
    const left = ids.filter((id) => !byCode.includes(id));
    if (left.length) assert.ok(content.includes(`// Proven by the model's cases, not here: ${left.join(', ')}.`));
    else assert.doesNotMatch(content, /Proven by the model's cases/);
  });

  test(`${name}: the file is package tests over the plan's module, stdlib only, and deterministic`, () => {
    const { content } = apiTestsGo(plan);
    assert.match(content, /^\/\/ Code generated .* DO NOT EDIT\.$/m);
    assert.match(content, /^package tests$/m);
    const imports = /^import \(\n([\s\S]*?)\n\)/m
      .exec(content)![1]!
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    assert.deepEqual(
      imports.filter((i) => !/^"[a-z/]+"$/.test(i) || i.includes('internal')),
      // The models package only for behaviour.go's NotBuilt, read by the subtests of a filter's examples.
      [`"${plan.module}/internal/handlers"`, ...(hasExamples(plan) ? [`"${plan.module}/internal/models"`] : []), `"${plan.module}/internal/store"`],
    );
    assert.match(content, /var s store\.Store = store\.NewMemory\(\)/);
    assert.match(content, /^var stores = \[\]string\{"memory"\}$/m);
    assert.doesNotMatch(content, /OpenSQLite/, 'a memory project has no SQLite store to open');
    // A SQLite project's tests run every test over both stores.
    const sqlite = apiTestsGo(plan, 'sqlite').content;
    assert.match(sqlite, /^var stores = \[\]string\{"memory", "sqlite"\}$/m);
    assert.match(sqlite, /store\.OpenSQLite\(context\.Background\(\), filepath\.Join\(t\.TempDir\(\), "test\.db"\)\)/);
    assert.equal(apiTestsGo(structuredClone(plan)).content, content);
    assert.doesNotMatch(content, / +\n|\n\n\n/, 'no trailing spaces, no double blank lines');
    assert.ok(content.endsWith('}\n'));
  });
}

test('valid samples follow the field rules: enum first value, in-range numbers, formats, distinct unique values', () => {
  const { content } = apiTestsGo(LIBRARY_PLAN);
  assert.match(content, /b\["email"\] = nth\(n, "a@example\.com", "b@example\.com"/);
  assert.match(content, /b\["genre"\] = "fiction"/);
  assert.match(content, /b\["pages"\] = 1\n/);
  assert.match(content, /b\["published"\] = "2024-05-01"\n/);
  assert.match(content, /b\["lastBorrowedAt"\] = "2024-05-01T10:00:00Z"\n/);
  assert.match(content, /b\["isbn"\] = nth\(n, "isbn 1", "isbn 2"/);
  const edge = apiTestsGo(EDGE_PLAN).content;
  assert.match(edge, /b\["count"\] = 1\n/, 'inside -5..5 and not zero');
  assert.match(edge, /b\["day"\] = nth\(n, "2024-05-01", "2024-05-02"/, 'a unique day differs per item');
  assert.match(edge, /b\["website"\] = nth\(n, "https:\/\/example\.com"/);
  // A parent is created before its child.
  assert.match(content, /return c\.create\("\/books", bookBody\(n, newAuthor\(c, n\)\)\)/);
});

function isFilterByValue(plan: Plan, id: string): boolean {
  const [resource, name] = id.slice('filter:'.length).split('.');
  return plan.resources.find((r) => r.name === resource)!.filters.find((f) => f.name === name)!.field !== undefined;
}
