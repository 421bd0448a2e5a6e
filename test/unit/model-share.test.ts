// The model's share of behaviour.go under -strategy plan: its lines, and those it copied word for
// word from its prompt (issue 24: the share must stay small, and it is measured, not assumed).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LIBRARY_PLAN } from '../../core/go/sample-plans.js';
import { behaviourCandidatePrompt } from '../../activities/plan/behaviour-candidate.js';
import { modelShare } from '../../activities/plan/behaviour.js';

test('a line of the prompt copied into a body counts as copied; braces and chosen lines do not', () => {
  const prompt = behaviourCandidatePrompt(LIBRARY_PLAN, 'Book.Checkout');
  // The prompt shows how an optional field is set; a body that only repeats that line copied it.
  const example = /(x\.\w+ = PointerTo\([^)]*\))/.exec(prompt)?.[1];
  assert.ok(example, `the prompt shows PointerTo in use:\n${prompt}`);
  const bodies = { 'Book.Checkout': `\t${example}\n\tif x.Title == "" {\n\t\treturn errors.New("no title")\n\t}\n\treturn nil` };
  assert.deepEqual(modelShare(LIBRARY_PLAN, bodies, ['Book.Checkout']), { modelLines: 5, verbatimLines: 1 });
  assert.deepEqual(modelShare(LIBRARY_PLAN, bodies, []), { modelLines: 0, verbatimLines: 0 }, 'only the methods the model wrote count');
});
