// A filter body the model wrote, held to the examples it sorted from the request before it is
// kept: the examples subtest runs on the candidate (memory store), and each example the body
// answers otherwise becomes an error of the candidate, which the loop (core/guided-code.ts) sends
// back to the model in a fix request. Failures that are not the body's answers (a stub rule that
// panics on create) are not counted here: the validation judges them later.
import type { BehaviourHole } from '../../core/go/index.js';
import { testName } from '../../core/go/tests-values.js';
import { withArticle, type Plan } from '../../core/plan.js';
import type { ToolchainSession } from '../go/toolchain-session.js';

/** `go test -run` of one filter's examples subtest, on the memory store. */
const examplesRun = (plural: string, filter: string) => `^${plural}$/^memory$/^filter_${filter}:`;

/** Each example the filter's body answers otherwise than the model sorted it: one line a fix request can show. */
export async function examplesMissed(session: ToolchainSession, plan: Plan, hole: BehaviourHole): Promise<string[]> {
  if (hole.kind !== 'filter') return [];
  const r = plan.resources.find((x) => x.name === hole.resource);
  const f = r?.filters.find((x) => x.name === hole.element);
  if (!r || !f?.examples?.some((e) => e.after === undefined)) return [];
  const run = await session.go(['test', '-count=1', '-run', examplesRun(testName(r), f.name), './tests/'], 240_000, undefined, 128 * 1024);
  if (run.exitCode === 0) return [];
  const words = new Map([...run.output.matchAll(/example item (\d+) \((.*)\): listed (?:true|false)/g)].map((m) => [m[1]!, m[2]!]));
  return [...run.output.matchAll(/item (\d+) (does not belong|belongs) in \?\w+=true by the model's examples/g)].flatMap((m) => {
    const item = words.get(m[1]!);
    const want = m[2] === 'belongs';
    return item ? [`${hole.name} must return ${want} for ${withArticle(r.name)} with ${item}, and returns ${!want}`] : [];
  });
}
