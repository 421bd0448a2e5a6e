// The model's side of a filter's examples: code makes example items (core/filter-examples.ts), the
// model, shown the request and one item at a time (perhaps after an action), says whether the list
// holds it, and again whether the list leaves it out; only an item both answers agree on is an
// example (asked about all of them at once, the 0.5B and 1.5B answered in patterns: true, true,
// false, false). Verdicts that cannot be used leave the filter without examples, and say why.
import { agreed, examplesFrom, itemLine, itemsToSort, QUESTIONS, verdictOf, verdictSchema } from '../../core/filter-examples.js';
import type { FilterExample, Plan } from '../../core/plan.js';
import type { LlmSettings, LlmUsage } from '../../core/types.js';
import { addUsage, NO_USAGE } from '../../core/usage.js';
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

/** prompts/filter-examples.txt for each item of one filter, and the items. */
export function filterExamplesPrompts(input: Omit<FilterExamplesInput, 'llm' | 'dbPath'>) {
  const r = input.plan.resources.find((x) => x.name === input.resource);
  const f = r?.filters.find((x) => x.name === input.filter);
  if (!r || !f) throw new Error(`the plan has no filter ${input.filter} of ${input.resource}`);
  const items = itemsToSort(r, f);
  const described = (name: string) => r.actions.find((a) => a.name === name)!.description;
  const actions = r.actions.map((a) => `POST /${r.plural}/{id}/${a.name}: ${a.description}`);
  const description = f.field ? `the ${r.plural} whose ${f.field} is true` : `the ${r.plural} that match "${(f.description ?? f.name).replace(/\.$/, '')}"`;
  const now = new Date(input.now);
  const template = loadPrompt('filter-examples');
  const prompt = (item: (typeof items)[number], asked: keyof typeof QUESTIONS) =>
    renderPrompt(template, {
      request: input.request,
      plural: r.plural,
      name: r.name,
      filter: f.name,
      description,
      actions: actions.length ? `Its actions:\n${actions.map((a) => `- ${a}`).join('\n')}\n` : '',
      now: `${now.toISOString().slice(0, 16)}:00Z`,
      item: itemLine(item.set, now, r),
      after: item.after ? `Then POST /${r.plural}/{id}/${item.after} is called on it (${described(item.after)}).\n` : '',
      question: `${item.after ? `After ${item.after}, is` : 'Is'} this ${r.name} ${asked === 'listed' ? 'one of' : 'left out of'} ${description}?`,
      answer: QUESTIONS[asked].answer,
    });
  return { prompts: items.map((item) => ({ listed: prompt(item, 'listed'), leftOut: prompt(item, 'leftOut') })), items };
}

export async function filterExamples(input: FilterExamplesInput): Promise<FilterExamplesResult> {
  const { prompts, items } = filterExamplesPrompts(input);
  let usage = NO_USAGE;
  const ask = async (prompt: string, key: keyof typeof QUESTIONS, label: string) => {
    const answer = await chatOnce({
      dbPath: input.dbPath,
      llm: llmForPhase(input.llm, 'plan'),
      messages: [{ role: 'user', content: prompt }],
      format: verdictSchema(key),
      label,
    });
    usage = addUsage(usage, answer.usage);
    return verdictOf(answer.content, key);
  };
  const verdicts: (boolean | null)[] = [];
  for (const [i, p] of prompts.entries()) {
    const label = `examples of ${input.resource} ${input.filter}: item ${i + 1} of ${items.length}`;
    verdicts.push(agreed(await ask(p.listed, 'listed', label), await ask(p.leftOut, 'leftOut', `${label}, asked the other way`)));
  }
  return { ...examplesFrom(items, verdicts), usage };
}
