// The model's side of a filter in words: code makes example items (core/filter-examples.ts), the
// model, shown the request and the items, says which ones the list holds. One call per filter;
// an answer that cannot be used leaves the filter without examples, and says why.
import { examplesFromAnswer, exampleItems, itemLines, verdictSchema } from '../../core/filter-examples.js';
import type { FilterExample, Plan } from '../../core/plan.js';
import type { LlmSettings, LlmUsage } from '../../core/types.js';
import { chatOnce } from '../llm/chat.js';
import { llmForPhase } from '../llm/phase-options.js';
import { loadPrompt, renderPrompt } from '../llm/prompts.js';

export interface FilterExamplesInput {
  request: string;
  plan: Plan;
  resource: string;
  filter: string;
  /** The time the items' dates are shown against (ISO); the tests move them with their own now. */
  now: string;
  llm: LlmSettings;
  dbPath: string;
}

export type FilterExamplesResult = ({ examples: FilterExample[] } | { why: string }) & { usage: LlmUsage };

/** prompts/filter-examples.txt for one filter, and the items it shows. */
export function filterExamplesPrompt(input: Omit<FilterExamplesInput, 'llm' | 'dbPath'>) {
  const r = input.plan.resources.find((x) => x.name === input.resource);
  const f = r?.filters.find((x) => x.name === input.filter);
  if (!r || !f) throw new Error(`the plan has no filter ${input.filter} of ${input.resource}`);
  const items = exampleItems(r);
  const actions = r.actions.map((a) => `POST /${r.plural}/{id}/${a.name}: ${a.description}`);
  const now = new Date(input.now);
  const prompt = renderPrompt(loadPrompt('filter-examples'), {
    request: input.request,
    plural: r.plural,
    filter: f.name,
    description: `the ${r.plural} that match: ${(f.description ?? f.name).replace(/\.?$/, '.')}`,
    actions: actions.length ? `Its actions:\n${actions.map((a) => `- ${a}`).join('\n')}\n` : '',
    now: `${now.toISOString().slice(0, 16)}:00Z`,
    count: String(items.length),
    items: itemLines(items, now),
  });
  return { prompt, items };
}

export async function filterExamples(input: FilterExamplesInput): Promise<FilterExamplesResult> {
  const { prompt, items } = filterExamplesPrompt(input);
  const answer = await chatOnce({
    dbPath: input.dbPath,
    llm: llmForPhase(input.llm, 'plan'),
    messages: [{ role: 'user', content: prompt }],
    format: verdictSchema(items.length),
    label: `examples of ${input.resource} ${input.filter}`,
  });
  return { ...examplesFromAnswer(answer.content, items), usage: answer.usage };
}
