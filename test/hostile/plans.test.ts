// Hostile plans to planApi: 14 cases (the layer's total is in support.ts).
// No name in a plan reaches a path, a go.mod or a prompt before the checks pass: a plan that
// stays bad is PlanInvalid after three tries, not retryable, and names what was wrong.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { closeMirrors } from '../../lib/db.js';
import { TODO_PLAN, TODO_SPEC } from '../support/scripted-ollama.js';
import { caseTimeout, runCase, type HostileCase } from './support.js';

/** The todo plan with its resource's keys overridden (`module` is the plan's own). */
const plan = ({ module, ...over }: Record<string, unknown>) =>
  JSON.stringify({ ...TODO_PLAN, ...(module === undefined ? {} : { module }), resources: [{ ...TODO_PLAN.resources[0], ...over }] });
const invalid = (message: RegExp) => ({ failure: { type: 'PlanInvalid', nonRetryable: true, message } });
const RESOURCE = /no valid plan in 3 tries \(resources\[0\]\.name must be one lower-case word.*-model/;
/** The plan prompt's worked example, answered back word for word (the 0.5B did this for "REST API for inventory"). */
const EXAMPLE = readFileSync(new URL('../../prompts/plan.txt', import.meta.url), 'utf8')
  .split('\n')
  .find((l) => l.startsWith('{"module"'))!;
const field = (i: number) => ({ name: `field${i}`, type: 'string', required: false });

export const PLAN_CASES: HostileCase[] = [
  { name: 'resource name "../x"', answer: plan({ name: '../x' }), calls: 3, limitMs: 5000, expect: invalid(RESOURCE) },
  { name: 'resource name "a/b"', answer: plan({ name: 'a/b' }), calls: 3, limitMs: 5000, expect: invalid(RESOURCE) },
  // A near-miss code mends (plan-normalize.ts) rather than asking again: taken as "todo", at once.
  { name: 'resource "Todo" (upper case) is mended to "todo"', answer: plan({ name: 'Todo' }), calls: 1, limitMs: 5000, expect: { plan: TODO_SPEC } },
  { name: 'resource "To-Do" (not one word) is still refused', answer: plan({ name: 'To-Do' }), calls: 3, limitMs: 5000, expect: invalid(RESOURCE) },
  { name: 'resource "func" (a Go keyword)', answer: plan({ name: 'func', plural: 'funcs' }), calls: 3, limitMs: 5000, expect: invalid(RESOURCE) },
  { name: 'an absurdly long resource name (5000 letters)', answer: plan({ name: 'a'.repeat(5000) }), calls: 3, limitMs: 5000, expect: invalid(RESOURCE) },
  {
    name: 'a plan with 500 fields',
    answer: plan({ fields: Array.from({ length: 500 }, (_, i) => field(i)) }),
    calls: 3,
    limitMs: 5000,
    expect: invalid(/resources\[0\]\.fields must be an array of 1 to 12 fields/),
  },
  {
    name: 'module `evil.com/x" ; rm -rf /` is refused',
    answer: plan({ module: 'evil.com/x" ; rm -rf /' }),
    calls: 3,
    limitMs: 5000,
    expect: invalid(/"module" must match/),
  },
  {
    name: "the prompt's example copied for a request about something else: asked again, then refused naming the copy",
    answer: EXAMPLE,
    calls: 3,
    limitMs: 5000,
    expect: invalid(/no valid plan in 3 tries \(cars and repairs are the example's, and the request names none of them/),
    // The second try is a fresh conversation whose prompt has no worked example to copy again.
    after: ({ server }) => {
      assert.match(server.calls[0]!.lastUserMessage, /garage/);
      assert.doesNotMatch(server.calls[1]!.lastUserMessage, /garage|example|book/);
      assert.match(server.calls[1]!.lastUserMessage, /Plan the Go REST API[\s\S]*Now the plan for/);
    },
  },
  {
    name: 'a plan that is not JSON at all',
    answer: 'A todo API needs a Todo resource with a title. Shall I go on?',
    calls: 3,
    limitMs: 5000,
    expect: invalid(/holds no JSON object/),
  },
  { name: 'a plan cut off mid-JSON', answer: plan({}).slice(0, 140) + '}', calls: 3, limitMs: 5000, expect: invalid(/not valid JSON/) },
  {
    name: 'JSON nested 30 000 levels deep',
    answer: '{"module":' + '['.repeat(30_000) + ']'.repeat(30_000) + '}',
    calls: 3,
    limitMs: 10_000,
    expect: invalid(/"module" must match|not valid JSON/),
  },
  {
    name: 'two fields sharing one JSON name (go vet would refuse the struct)',
    answer: plan({ fields: [...TODO_PLAN.resources[0]!.fields, { name: 'title', type: 'string', required: false }] }),
    calls: 3,
    limitMs: 5000,
    expect: invalid(/fields\[3\]\.name "title" is repeated/),
  },
  {
    name: 'a "__proto__" key pollutes nothing and the plan is taken as the schema allows',
    answer: `{"__proto__": {"polluted": "yes", "resource": "../evil"}, "constructor": {"prototype": {"polluted": "yes"}}, ${plan({}).slice(1)}`,
    calls: 1,
    limitMs: 5000,
    expect: { plan: TODO_SPEC },
    after: () => assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype was polluted'),
  },
];

after(() => closeMirrors());

describe('hostile plans to planApi', () => {
  for (const c of PLAN_CASES) it(c.name, { timeout: caseTimeout(c) }, () => runCase({ ...c, activity: 'plan' }));
});
