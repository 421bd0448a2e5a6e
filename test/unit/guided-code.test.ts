// The guided loop for one code file (core/guided-code.ts), with fake steps: which answers it asks
// for, which candidate it keeps, and what it reports. The real steps are tested where they live
// (activities) and together in the workflow layer.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  COMPILE_ERROR_SCORE,
  composeCodeFile,
  MAX_CANDIDATES,
  type CheckedFunction,
  type CodeFileOutcome,
  type CodeSteps,
  type FixRequest,
} from '../../core/guided-code.js';

/** Fake steps: `answers[hole]` are the model's answers in order; an answer `bad…` does not compile, `meh…` compiles with one failed check. */
function fake(holes: string[], answers: Record<string, string[]>, start: Record<string, string> = {}) {
  const asked: { hole: string; attempt: number; fix?: FixRequest }[] = [];
  const checked: string[] = [];
  let outcome: CodeFileOutcome | undefined;
  const judge = (hole: string, bodies: Record<string, string>, body: string): CheckedFunction => {
    const bad = body.startsWith('bad');
    const meh = body.startsWith('meh');
    const errors = bad ? [`${hole}: undefined: x`] : meh ? [`${hole}: probe: 500`] : [];
    // An answer may carry a body for another function: "ok A | other: B=ok-b".
    const [own, other] = body.split(' | other: ');
    const harvested: [string, string][] = other ? [other.split('=') as [string, string]] : [];
    return {
      errors,
      score: bad ? COMPILE_ERROR_SCORE : meh ? 1 : 0,
      bodies: { ...bodies, [hole]: own! },
      fixes: bad ? [] : ['goimports'],
      shown: own!,
      errorsForFix: errors.join('\n'),
      harvested,
    };
  };
  const steps: CodeSteps = {
    start: async () => ({ bodies: { ...start }, holes }),
    ask: async (hole, attempt, fix) => {
      asked.push({ hole, attempt, ...(fix ? { fix } : {}) });
      const content = answers[hole]?.[attempt] ?? 'bad: no more answers';
      return { content, usage: { tokensIn: 10, tokensOut: 5, durationMs: 100, cached: false } };
    },
    check: async (hole, bodies, candidate) => {
      const body = 'body' in candidate ? candidate.body : candidate.answer;
      checked.push(`${hole}:${body}`);
      return judge(hole, bodies, body);
    },
    finish: async (o) => {
      outcome = o;
      return { path: 'internal/x.go', bytes: 1, sha256: 'x' };
    },
  };
  return { steps, asked, checked, outcome: () => outcome! };
}

test('an answer that compiles and passes is kept at once: one question per function, usage summed', async () => {
  const f = fake(['A', 'B'], { A: ['ok-a'], B: ['ok-b'] });
  const { usage } = await composeCodeFile(f.steps);
  assert.deepEqual(
    f.asked.map((a) => a.hole),
    ['A', 'B'],
  );
  assert.deepEqual(f.outcome().bodies, { A: 'ok-a', B: 'ok-b' });
  assert.equal(f.outcome().candidates, 2);
  assert.deepEqual(f.outcome().left, []);
  assert.deepEqual(f.outcome().fixes, ['goimports']);
  assert.deepEqual([usage.tokensIn, usage.tokensOut, usage.cached], [20, 10, false]);
});

test('after an answer that does not compile, the next question is a fix of the best so far, with its errors', async () => {
  const f = fake(['A'], { A: ['bad-1', 'ok-fixed'] });
  await composeCodeFile(f.steps);
  assert.equal(f.asked.length, 2);
  assert.equal(f.asked[0]!.fix, undefined);
  assert.deepEqual(f.asked[1]!.fix, { answer: 'bad-1', errors: 'A: undefined: x' });
  assert.deepEqual(f.outcome().bodies, { A: 'ok-fixed' });
});

test('a later answer never makes a function worse: the candidate with the fewest errors is kept', async () => {
  const f = fake(['A'], { A: ['meh-1', 'bad-2', 'bad-3', 'meh-4', 'bad-5', 'bad-6'] });
  await composeCodeFile(f.steps);
  assert.equal(f.asked.length, MAX_CANDIDATES);
  assert.deepEqual(f.outcome().bodies, { A: 'meh-1' });
  assert.deepEqual(f.outcome().left, ['A: probe: 500'], 'a body that compiles but fails a check stays, and its errors are reported');
  // Fix requests show the best so far (meh-1), not the last answer.
  assert.ok(f.asked.filter((a) => a.fix).every((a) => a.fix!.answer === 'meh-1'));
});

test('a function no answer compiled for keeps its stub (its body leaves the file) and is named', async () => {
  const f = fake(['A', 'B'], { A: Array(MAX_CANDIDATES).fill('bad'), B: ['ok-b'] });
  await composeCodeFile(f.steps);
  assert.equal(f.asked.filter((a) => a.hole === 'A').length, MAX_CANDIDATES);
  assert.deepEqual(f.outcome().bodies, { B: 'ok-b' });
  assert.deepEqual(f.outcome().left, ['A: not written (no candidate compiled): A: undefined: x']);
  assert.equal(f.outcome().errorsSeen[0], 'A: undefined: x');
});

test('a body found in an earlier answer for another function is tried before the model is asked', async () => {
  const f = fake(['A', 'B'], { A: ['ok-a | other: B=ok-b-harvested'], B: ['ok-b-asked'] });
  await composeCodeFile(f.steps);
  assert.deepEqual(
    f.asked.map((a) => a.hole),
    ['A'],
  );
  assert.deepEqual(f.outcome().bodies, { A: 'ok-a', B: 'ok-b-harvested' });
  assert.ok(f.checked.includes('B:ok-b-harvested'));
});

test('in a repair the body already there is the one to beat, and is not counted as a candidate', async () => {
  const f = fake(['A'], { A: ['bad-1', 'bad-2', 'bad-3', 'bad-4', 'bad-5', 'bad-6'] }, { A: 'meh-old' });
  await composeCodeFile(f.steps);
  assert.deepEqual(f.outcome().bodies, { A: 'meh-old' });
  assert.equal(f.outcome().candidates, MAX_CANDIDATES);
  const passing = fake(['A'], {}, { A: 'ok-old' });
  await composeCodeFile(passing.steps);
  assert.deepEqual(passing.asked, [], 'a body that already passes is not asked about');
  assert.deepEqual(passing.outcome().bodies, { A: 'ok-old' });
});
