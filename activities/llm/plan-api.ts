// The plan phase: the model returns a JSON plan constrained by the plan schema (Ollama `format`,
// `response_format` on OpenAI-compatible servers); an answer that fails the checks goes back to
// the model with the errors, a bounded number of times. Then code lists what the sentence asked
// for and where it lives (core/fidelity.ts), against what today's code writer builds of it.
import { ApplicationFailure } from '@temporalio/activity';
import { fidelityOf } from '../../core/fidelity.js';
import { parsePlan } from '../../core/plan-check.js';
import { copiedFromExample, exampleElementsDropped, exampleResources, exampleWords, workedExampleParts } from '../../core/plan-example.js';
import type { Store } from '../../core/plan.js';
import { PLAN_SCHEMA } from '../../core/plan-schema.js';
import { builtOf, singleResourceSpec } from '../../core/single-resource.js';
import type { LlmSettings, LlmUsage, PlanResult } from '../../core/types.js';
import { chatOnce } from './chat.js';
import { llmForPhase } from './phase-options.js';
import type { Message } from './ollama.js';
import { loadPrompt, renderPrompt } from './prompts.js';

export interface PlanInput {
  prompt: string;
  dbPath: string;
  llm: LlmSettings;
  maxTries?: number;
  /** -strategy plan: the writer builds the whole plan, kept in `store` (absent: today's single-resource writer). */
  wholePlan?: boolean;
  store?: Store;
}

export async function planApi({ prompt, dbPath, llm: runLlm, maxTries = 3, wholePlan, store = 'sqlite' }: PlanInput): Promise<PlanResult> {
  const llm = llmForPhase(runLlm, 'plan');
  const template = loadPrompt('plan');
  const messages: Message[] = [{ role: 'user', content: renderPrompt(template, { request: prompt }) }];
  // The worked example's resources, read from the prompt file itself: a plan of them the request does not name was copied.
  const example = exampleResources(template);
  const worked = workedExampleParts(template);
  const words = [...exampleWords(template), ...worked.elements];
  const usage: LlmUsage = { tokensIn: 0, tokensOut: 0, durationMs: 0, cached: true };
  let errors: string[] = [];
  let shownExample = true;
  for (let attempt = 1; attempt <= maxTries; attempt++) {
    const answer = await chatOnce({ dbPath, llm, messages, format: PLAN_SCHEMA as unknown as Record<string, unknown>, label: 'plan' });
    usage.tokensIn += answer.usage.tokensIn;
    usage.tokensOut += answer.usage.tokensOut;
    usage.durationMs += answer.usage.durationMs;
    usage.cached &&= answer.usage.cached;
    const checked = parsePlan(answer.content, prompt);
    // A request for nothing an API stores (a chess engine) ends at the plan whatever the plan holds: no copy to ask again about.
    const buildable = checked.ok && fidelityOf(prompt, checked.plan, store).buildable;
    const copied = checked.ok && buildable ? copiedFromExample(checked.plan.resources, prompt, example) : [];
    if (checked.ok && copied.length === 0) {
      const { plan, notes: dropped } = exampleElementsDropped(checked.plan, prompt, words, worked);
      const notes = [...(checked.notes ?? []), ...dropped];
      const fidelity = wholePlan ? fidelityOf(prompt, plan, store) : fidelityOf(prompt, plan, 'memory', builtOf(plan));
      return { spec: singleResourceSpec(plan), plan, fidelity, usage, attempts: attempt, ...(notes.length ? { notes } : {}) };
    }
    errors = checked.ok
      ? [`${copied.join(' and ')} are the example's, and the request names none of them: plan what "${prompt}" keeps, named by its own words`]
      : checked.errors;
    if (copied.length > 0 && shownExample) {
      // Shown the examples again, the 0.5B copies them again: a fresh conversation, with a prompt that has none.
      shownExample = false;
      messages.splice(0, messages.length, { role: 'user', content: renderPrompt(loadPrompt('plan-bare'), { request: prompt }) });
      continue;
    }
    messages.push(
      { role: 'assistant', content: answer.content.slice(0, 4000) },
      {
        role: 'user',
        content: `That plan does not fit the ${checked.ok ? 'request' : 'schema'}:\n- ${errors.join('\n- ')}\nAnswer again with the corrected JSON only.`,
      },
    );
  }
  throw ApplicationFailure.nonRetryable(
    `the model gave no valid plan in ${maxTries} tries (${errors.slice(0, 3).join('; ')}): try a stronger model (-model) or a plainer -prompt`,
    'PlanInvalid',
  );
}
