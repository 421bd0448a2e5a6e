// The guided loop for the tests file (core/guided-tests.ts), with fake steps: one question per
// endpoint, then questions for the lines still unrun while coverage is short, duplicates and
// failing cases never kept, a repair adding to the cases already there.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { composeTestsFile, MAX_CASE_ROUNDS, type TestCase, type TestSteps } from '../../core/guided-tests.js';
import { TODO_PLAN } from '../../core/go/sample-plans.js';
import { singleResourceSpec } from '../../core/single-resource.js';

const spec = singleResourceSpec(TODO_PLAN);
const get = (path: string, status = 200): TestCase => ({ name: `get ${path}`, method: 'GET', path, body: '', status });

/** Fake steps: the model proposes `perAsk(ask)`; a case passes unless its status is 599; coverage follows `coverage`. */
function fake(perAsk: (ask: string, n: number) => TestCase[], coverage: (number | null)[], start: TestCase[] = []) {
  const asks: { ask: string; note: string }[] = [];
  const kept: TestCase[][] = [];
  let finished: { cases: TestCase[]; candidates: number; errorsSeen: string[] } | undefined;
  let round = 0;
  const steps: TestSteps = {
    start: async () => start,
    propose: async (ask, note) => {
      asks.push({ ask, note });
      return { cases: perAsk(ask, asks.length), usage: { tokensIn: 3, tokensOut: 2, durationMs: 1, cached: false } };
    },
    keepPassing: async (cases) => {
      kept.push(cases);
      return { kept: cases.filter((c) => c.status !== 599), errorsSeen: cases.filter((c) => c.status === 599).map((c) => `${c.name}: failed`) };
    },
    coverage: async () => ({ percent: coverage[round++] ?? null, short: ['handlers.go:42 return 404'] }),
    finish: async (o) => {
      finished = o;
      return { path: 'tests/api_test.go', bytes: 1, sha256: 'x' };
    },
  };
  return { steps, asks, kept, finished: () => finished! };
}

test('one question per endpoint, then none when coverage is over the goal; failing cases are dropped and said', async () => {
  const f = fake((_a, n) => [get(`/todos/${n}`), get('/todos/x', 599)], [90]);
  const { usage } = await composeTestsFile(f.steps, spec, 70, undefined);
  assert.equal(f.asks.length, spec.endpoints.length);
  assert.match(f.asks[0]!.ask, /^Propose test cases for GET \/todos/);
  assert.equal(f.kept.length, 1, 'the cases are run once, all together');
  assert.deepEqual(
    f.finished().cases.map((c) => c.path),
    spec.endpoints.map((_e, i) => `/todos/${i + 1}`),
  );
  assert.equal(f.finished().errorsSeen[0], 'get /todos/x: failed');
  assert.equal(f.finished().candidates, spec.endpoints.length);
  assert.equal(usage.tokensIn, 3 * spec.endpoints.length);
});

test('while coverage is short, the unrun lines go back to the model, at most MAX_CASE_ROUNDS rounds; a case proposed twice is kept once', async () => {
  const f = fake((_a, n) => [get('/todos'), get(`/todos/${n}`)], [40, 50, 60]);
  await composeTestsFile(f.steps, spec, 70, undefined);
  const more = f.asks.slice(spec.endpoints.length);
  assert.equal(more.length, MAX_CASE_ROUNDS - 1);
  assert.match(more[0]!.ask, /cover 40 % of the code[\s\S]*handlers\.go:42 return 404[\s\S]*different from these: GET \/todos /);
  const paths = f.finished().cases.map((c) => c.path);
  assert.equal(paths.filter((p) => p === '/todos').length, 1);
  assert.equal(new Set(paths).size, paths.length);
});

test('a repair keeps the cases already there and tells the model what the validation said', async () => {
  const old = get('/todos/1');
  const f = fake(() => [old, get('/todos/2')], [90], [old]);
  await composeTestsFile(f.steps, spec, 70, { round: 1, errors: 'tests/api_test.go:12: want 200, got 404' });
  assert.match(f.asks[0]!.note, /The last validation of the module said:\ntests\/api_test\.go:12/);
  assert.deepEqual(f.kept[0]![0], old);
  assert.equal(f.finished().cases.filter((c) => c.path === '/todos/1').length, 1);
});
