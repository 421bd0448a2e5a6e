// The guided strategy's loop for the tests file: the model proposes test cases endpoint by
// endpoint, code renders them and keeps those that pass; while coverage is under the goal, the
// lines no case ran go back to the model. Pure decisions over the model's step (`propose`) and
// the workspace's (`start`, `keepPassing`, `coverage`, `finish`), run by the workflow with
// activities or in-process by the single-activity composeFile of runs recorded before the split.
import type { ApiSpec, EndpointSpec, FileRef, LlmUsage, RepairRequest } from './types.js';
import { addUsage, NO_USAGE } from './usage.js';

/** Rounds of cases at most: one request per endpoint, then requests for the lines still unrun. */
export const MAX_CASE_ROUNDS = 3;

/** One case as the model proposes it (activities/guided/tests-file.ts renders and parses them). */
export interface TestCase {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  body: string;
  status: number;
}

export interface TestSteps {
  /** The cases already in the file (a repair adds to them), else none. */
  start(): Promise<TestCase[]>;
  /** The model's cases for `ask`; `note` adds what the last validation said. */
  propose(ask: string, note: string): Promise<{ cases: TestCase[]; usage: LlmUsage }>;
  /** Writes the cases, runs them, keeps those that pass; errorsSeen says what was dropped. */
  keepPassing(cases: TestCase[]): Promise<{ kept: TestCase[]; errorsSeen: string[] }>;
  /** The coverage of the cases so far, and what they leave unrun: lines of code, else functions. */
  coverage(): Promise<{ percent: number | null; short: string[] }>;
  finish(outcome: { cases: TestCase[]; candidates: number; errorsSeen: string[] }): Promise<FileRef>;
}

const key = (c: TestCase) => `${c.method} ${c.path} ${c.body} ${c.status}`;

/** What to ask of one endpoint: a case for its success and for each way a request to it can fail. */
export function endpointAsk(spec: ApiSpec, e: EndpointSpec): string {
  const at = (id: string) => e.path.replace('{id}', id);
  const hasBody = e.method === 'POST' || e.method === 'PUT';
  const required = spec.fields.find((f) => f.required);
  const requests = [
    `${e.method} ${at('1')}${hasBody ? ' with a good body' : ''}`,
    ...(e.path.includes('{id}') ? [`${e.method} ${at('999')}: no ${spec.resource} has that id`, `${e.method} ${at('abc')}: the id is not a number`] : []),
    ...(hasBody ? [`${e.method} ${at('1')} with a body that is not JSON`] : []),
    ...(hasBody && required ? [`${e.method} ${at('1')} with a body without "${required.json}"`] : []),
  ];
  return `Propose test cases for ${e.method} ${e.path}, one for each of these requests:\n${requests.map((r) => `- ${r}`).join('\n')}`;
}

/** Composes the tests file with `steps`; the file as written and the model's usage. */
export async function composeTestsFile(
  steps: TestSteps,
  spec: ApiSpec,
  coverageGoal: number,
  repair: RepairRequest | undefined,
): Promise<{ file: FileRef; usage: LlmUsage }> {
  let usage = NO_USAGE;
  let candidates = 0;
  const errorsSeen: string[] = [];
  // A repair adds to the cases already there: a round never leaves fewer passing ones.
  let cases = await steps.start();
  const note = repair ? `\nThe last validation of the module said:\n${repair.errors.slice(0, 1500)}\n` : '';
  const propose = async (ask: string) => {
    const answer = await steps.propose(ask, note);
    usage = addUsage(usage, answer.usage);
    candidates++;
    return answer.cases;
  };
  const keepPassing = async (more: TestCase[]) => {
    const fresh = more.filter((c, i) => !cases.some((k) => key(k) === key(c)) && more.findIndex((o) => key(o) === key(c)) === i);
    const r = await steps.keepPassing([...cases, ...fresh]);
    errorsSeen.push(...r.errorsSeen);
    return r.kept;
  };
  // First one endpoint at a time: asked for the whole API at once, the 0.5B model proposed the
  // same five successes round after round.
  const proposed: TestCase[] = [];
  for (const e of spec.endpoints) proposed.push(...(await propose(endpointAsk(spec, e))));
  cases = await keepPassing(proposed);
  for (let round = 1; round < MAX_CASE_ROUNDS; round++) {
    const cover = await steps.coverage();
    if (cover.percent !== null && cover.percent >= coverageGoal + 5) break;
    const ask =
      `The cases so far cover ${cover.percent ?? 0} % of the code. No case reaches these lines of it yet:\n${cover.short
        .slice(0, 12)
        .map((l) => `- ${l}`)
        .join('\n')}\n` + `Propose cases whose requests reach those lines, different from these: ${cases.map(key).join('; ')}`;
    cases = await keepPassing(await propose(ask));
  }
  const file = await steps.finish({ cases, candidates, errorsSeen: errorsSeen.slice(0, 20) });
  return { file, usage };
}
