// The tests code derives from the plan (core/go/tests.ts), run by the real Go toolchain offline:
// on the correct project they pass under go vet, cover at least 70 % of internal/, and every
// mutant of a behaviour code writes (core/go/mutants.ts) is killed by the subtest `proves` names
// (activities/go/mutants.ts). The build cache lives in $OVERNIGHT_STATE_DIR (default here:
// .state/test); every code-written mutant of the three sample plans runs, about 2 s each.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { behaviourContract, goProject, mutantsOf, renderBehaviour } from '../../core/go/index.js';
import { EDGE_BODIES, EDGE_PLAN, LIBRARY_BODIES, LIBRARY_PLAN, TODO_PLAN } from '../../core/go/sample-plans.js';
import { apiTestsGo, codeProves } from '../../core/go/tests.js';
import type { Plan, Store } from '../../core/plan.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
process.env.OVERNIGHT_STATE_DIR ??= path.join(repo, '.state', 'test');
const { runTool, toolchainEnv } = await import('../../activities/go/run-tool.js');
const { totalCoverage } = await import('../../activities/go/coverage.js');
const { runMutants } = await import('../../activities/go/mutants.js');
const { fallbackBody } = await import('../../core/go/index.js');
const holeNamed = (name: string) => behaviourContract(LIBRARY_PLAN).holes.find((h) => h.name === name)!;
const checkout = holeNamed('Book.Checkout');
const recent = holeNamed('Book.Recent');

const env = toolchainEnv();
const scratch = mkdtempSync(path.join(os.tmpdir(), 'go-tests-'));
test.after(() => rmSync(scratch, { recursive: true, force: true }));
const BODIES = { ...LIBRARY_BODIES, ...EDGE_BODIES };

/** The correct project with the derived tests, on disk; its folder. */
function writeProject(plan: Plan, store: Store, bodies: Record<string, string> = BODIES): string {
  const dir = mkdtempSync(path.join(scratch, `${plan.module.replace(/\W/g, '-')}-${store}-`));
  const contract = behaviourContract(plan);
  const tests = apiTestsGo(plan, store);
  for (const f of [...goProject(plan, { store }), { path: contract.path, content: renderBehaviour(contract, bodies) }, tests]) {
    mkdirSync(path.dirname(path.join(dir, f.path)), { recursive: true });
    writeFileSync(path.join(dir, f.path), f.content);
  }
  return dir;
}

async function go(dir: string, ...args: string[]): Promise<string> {
  const r = await runTool('go', args, { cwd: dir, env, timeoutMs: 240_000 });
  assert.equal(r.exitCode, 0, `go ${args.join(' ')} in ${dir}:\n${r.output}`);
  return r.output;
}

/** gofmt-clean, go vet, go test with coverage over internal/: the total, in percent. */
async function passes(plan: Plan, store: Store): Promise<number> {
  const started = Date.now();
  const dir = writeProject(plan, store);
  const fmt = await runTool('gofmt', ['-l', 'tests'], { cwd: dir, env, timeoutMs: 60_000 });
  assert.deepEqual([fmt.exitCode, fmt.output], [0, ''], 'gofmt would change tests/api_test.go');
  await go(dir, 'vet', './...');
  await go(dir, 'test', './...', '-count=1', '-coverpkg=./internal/...', '-coverprofile=cover.out');
  const total = totalCoverage(await go(dir, 'tool', 'cover', '-func=cover.out'));
  assert.ok(total !== null, 'go tool cover printed no total');
  console.log(`${plan.module} (${store}): vet and tests pass, coverage of internal/ ${total}% in ${Date.now() - started} ms`);
  return total;
}

/** Every code-written mutant of the plan, each killed by the subtest that proves it. */
async function killsEveryMutant(name: string, plan: Plan, store: Store = 'memory', kinds?: string[]): Promise<void> {
  const { proves } = apiTestsGo(plan, store);
  const ids = mutantsOf(plan)
    .map((m) => m.id)
    .filter((id) => codeProves(plan, id) && (!kinds || kinds.includes(id.split(':')[0]!)));
  const started = Date.now();
  const results = await runMutants({ plan, bodies: BODIES, store, ids, workDir: path.join(scratch, `${name}-${store}`) });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const killed = results.filter((r) => r.killed);
  console.log(
    `${plan.module} (${store}): ${killed.length}/${results.length} mutants killed in ${seconds} s (${results.map((r) => `${r.id} ${r.ms} ms`).join(', ')})`,
  );
  assert.deepEqual(
    results.filter((r) => r.compileError).map((r) => `${r.id}: ${r.compileError}`),
    [],
    'mutants that did not compile',
  );
  assert.deepEqual(
    results.filter((r) => !r.killed).map((r) => r.id),
    [],
    'mutants that survived',
  );
  for (const r of results) assert.ok(r.failed?.includes(proves[r.id]!), `${r.id} killed by ${r.failed?.join(', ')}, not by ${proves[r.id]}`);
}

for (const [name, plan] of [
  ['library', LIBRARY_PLAN],
  ['edge', EDGE_PLAN],
  ['todo', TODO_PLAN],
] as const) {
  test(`${name}: the derived tests pass on the correct project, cover ≥ 70 %, and kill every code-written mutant`, { timeout: 280_000 }, async () => {
    assert.ok((await passes(plan, 'memory')) >= 70);
    await killsEveryMutant(name, plan);
  });
}

// A SQLite project's suite runs once per store (TestMain): sqlite.go is tested as the memory store is,
// and the behaviours each store implements on its own (uniqueness, parents, children, nested lists) are proven on SQLite too.
test('library with the SQLite store: the suite runs over both stores, covers ≥ 70 %, and kills the store mutants on SQLite', { timeout: 400_000 }, async () => {
  assert.ok((await passes(LIBRARY_PLAN, 'sqlite')) >= 70);
  await killsEveryMutant('library', LIBRARY_PLAN, 'sqlite', ['unique', 'parent', 'children', 'nested']);
});

// The model's bodies are not code's to prove, but what an action's description says it sets is: a
// checkout that refuses a book still available, or answers 200 and leaves it available, fails the
// derived tests (and the pipeline then swaps it for code's stand-in, named not built).
test("an action body that does not set what its description says fails the derived tests; code's stand-in passes them", { timeout: 280_000 }, async () => {
  const run = async (body: string) => {
    const dir = writeProject(LIBRARY_PLAN, 'memory', { ...BODIES, 'Book.Checkout': body });
    return runTool('go', ['test', '-count=1', './tests/'], { cwd: dir, env, timeoutMs: 240_000 });
  };
  const refuses = await run('\treturn errors.New("book is already checked out")');
  assert.notEqual(refuses.exitCode, 0);
  assert.match(refuses.output, /action_checkout[\s\S]*status 409, want 200 \(it sets available to false\)/);
  const idle = await run('\treturn nil');
  assert.notEqual(idle.exitCode, 0);
  assert.match(idle.output, /available is true afterwards, want false/);
  const standIn = await run(fallbackBody(checkout));
  assert.equal(standIn.exitCode, 0, standIn.output);
});

// The derived tests' items set every optional field; a body that reads one without looking for nil
// passes them and answers 500 to the first client that leaves it out (the 1.5B's todo action did).
// The minimal-item subtests catch it; code's stand-ins pass them.
test(
  'a filter or an action body that dereferences an absent optional field fails the minimal-item subtests; the stand-ins pass',
  { timeout: 280_000 },
  async () => {
    const run = async (bodies: Record<string, string>) => {
      const dir = writeProject(LIBRARY_PLAN, 'memory', { ...BODIES, ...bodies });
      return runTool('go', ['test', '-count=1', './tests/'], { cwd: dir, env, timeoutMs: 240_000 });
    };
    const nilFilter = await run({ 'Book.Recent': '\treturn x.Published.After(now.AddDate(-1, 0, 0))' });
    assert.notEqual(nilFilter.exitCode, 0);
    assert.match(nilFilter.output, /--- FAIL: \S*minimal_item:_filter_recent/);
    assert.doesNotMatch(nilFilter.output, /--- FAIL: \S*\/filter_recent/, 'the full item has published set: only the minimal item trips it');
    const nilAction = await run({
      'Book.Checkout': [
        '\tif *x.Pages == 0 {',
        '\t\treturn errors.New("a book without pages")',
        '\t}',
        '\tx.Available = PointerTo(false)',
        '\tx.LastBorrowedAt = &now',
        '\treturn nil',
      ].join('\n'),
    });
    assert.notEqual(nilAction.exitCode, 0);
    assert.match(nilAction.output, /--- FAIL: \S*minimal_item:_action_checkout[\s\S]*status 500/);
    const standIns = await run({ 'Book.Recent': fallbackBody(recent), 'Book.Checkout': fallbackBody(checkout) });
    assert.equal(standIns.exitCode, 0, standIns.output);
  },
);

// An action in words that refuses every item (the 0.5B's cancel: 409 "invalid timestamp" always),
// or answers 200 and changes nothing (the 1.5B's publish), is broken whatever it means: no item of
// the variants (each boolean flipped, each enum value, days in the future, only required fields)
// is changed by it. Code's stand-in says it is not built, and passes.
test('an action in words that refuses every item or changes none fails the derived tests; the stand-in passes', { timeout: 280_000 }, async () => {
  const run = async (body: string) => {
    const dir = writeProject(EDGE_PLAN, 'memory', { ...BODIES, 'Slot.Archive': body });
    return runTool('go', ['test', '-count=1', './tests/'], { cwd: dir, env, timeoutMs: 240_000 });
  };
  for (const body of ['\treturn errors.New("invalid timestamp")', '\treturn nil']) {
    const broken = await run(body);
    assert.notEqual(broken.exitCode, 0, body);
    assert.match(broken.output, /--- FAIL: \S*\/action_archive[\s\S]*refused or left unchanged each of the \d+ items tried/, body);
  }
  const standIn = await run(fallbackBody(behaviourContract(EDGE_PLAN).holes.find((h) => h.name === 'Slot.Archive')!));
  assert.equal(standIn.exitCode, 0, standIn.output);
});

// A filter in words is held to the examples the model sorted from the sentence (LIBRARY_PLAN's
// recent: a book published yesterday is listed, one published 400 days ago is not). A body that
// ignores the date, or reads it backwards, fails; the sample body passes; code's stand-in is named
// in behaviour.go's NotBuilt and the examples subtest skips it.
test("a filter in words that disagrees with the model's examples fails the derived tests; the stand-in is skipped", { timeout: 280_000 }, async () => {
  const run = async (body: string) => {
    const dir = writeProject(LIBRARY_PLAN, 'memory', { ...BODIES, 'Book.Recent': body });
    return runTool('go', ['test', '-count=1', '-v', '-run', 'TestBooks/.*/filter_recent', './tests/'], { cwd: dir, env, timeoutMs: 240_000 });
  };
  const published = (cmp: string) => `\treturn x.Published != nil && x.Published.Time.${cmp}(now.AddDate(-1, 0, 0))`;
  for (const body of ['\treturn x.Published != nil', published('Before')]) {
    const wrong = await run(body);
    assert.notEqual(wrong.exitCode, 0, body);
    assert.match(wrong.output, /--- FAIL: \S*filter_recent:_the_model's_examples/, body);
    assert.match(wrong.output, /item \d+ (does not belong|belongs) in \?recent=true by the model's examples/, body);
  }
  const right = await run(published('After'));
  assert.equal(right.exitCode, 0, right.output);
  assert.match(right.output, /--- PASS: \S*filter_recent:_the_model's_examples/);
  const standIn = await run(fallbackBody(recent));
  assert.equal(standIn.exitCode, 0, standIn.output);
  assert.match(standIn.output, /--- SKIP: \S*filter_recent:_the_model's_examples/);
  assert.match(standIn.output, /Book\.Recent is code's stand-in: the filter is not built/);
});

// "a book can be checked out; list the available books": whether checking out moves a book out of
// ?available=true is the sentence's, so the model sorted a book after checkout (not listed). A
// checkout body that only stamps the date passes the action's own subtest (it changes the item)
// and fails this one; the right body passes it.
test("an action the model's example after it disagrees with fails the derived tests", { timeout: 280_000 }, async () => {
  const plan: Plan = {
    ...LIBRARY_PLAN,
    resources: LIBRARY_PLAN.resources.map((r) =>
      r.name === 'book'
        ? {
            ...r,
            // In words that name no state, the action's own subtest asks only that it change something.
            actions: [{ name: 'checkout', description: 'lends the book to a reader' }],
            filters: [...r.filters, { name: 'available', field: 'available', examples: [{ set: { available: true }, after: 'checkout', listed: false }] }],
          }
        : r,
    ),
  };
  const run = async (body: string) => {
    const dir = writeProject(plan, 'memory', { ...BODIES, 'Book.Checkout': body });
    return runTool('go', ['test', '-count=1', '-v', '-run', 'TestBooks/memory/(action_checkout|filter_available)', './tests/'], {
      cwd: dir,
      env,
      timeoutMs: 240_000,
    });
  };
  const stampsOnly = await run('\tx.LastBorrowedAt = &now\n\treturn nil');
  assert.notEqual(stampsOnly.exitCode, 0, stampsOnly.output);
  assert.match(stampsOnly.output, /--- PASS: \S*\/action_checkout/);
  assert.match(stampsOnly.output, /--- FAIL: \S*filter_available_after_checkout:_the_model's_example/);
  assert.match(
    stampsOnly.output,
    /after checkout, item \d+ is in \?available=true: true, in =false: false; by the model's reading of the request it belongs in =false/,
  );
  const right = await run(LIBRARY_BODIES['Book.Checkout']!);
  assert.equal(right.exitCode, 0, right.output);
  assert.match(right.output, /--- PASS: \S*filter_available_after_checkout:_the_model's_example/);
});

// Before a filter body is kept, the candidate check holds it to the model's examples: each example
// it answers otherwise is an error the loop sends back in a fix request (a score below a compile
// error's, so a body that compiles is never dropped for it); the right body scores 0.
test("the candidate check holds a filter body to the model's examples and words each miss for a fix request", { timeout: 280_000 }, async () => {
  const { checkBehaviour } = await import('../../activities/plan/behaviour.js');
  const dir = writeProject(LIBRARY_PLAN, 'memory');
  const check = (body: string) =>
    checkBehaviour({ outputDir: dir, plan: LIBRARY_PLAN, store: 'memory', hole: 'Book.Recent', bodies: BODIES, candidate: { body } });
  const anyDate = await check('\treturn x.Published != nil');
  assert.deepEqual(anyDate.errors, ['Book.Recent must return false for a book with published 400 days before now, available false, and returns true']);
  assert.equal(anyDate.score, 1);
  assert.equal(anyDate.errorsForFix, anyDate.errors[0]);
  const right = await check(LIBRARY_BODIES['Book.Recent']!);
  assert.deepEqual(right.errors, []);
  assert.equal(right.score, 0);
});
