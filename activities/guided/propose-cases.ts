// Test cases from the model, the guided strategy's model side: prompts/test-cases.txt with
// one request (an endpoint, or the lines no case ran yet), the answer held to a JSON schema by
// Ollama's `format`, parsed into cases (malformed ones dropped). No file is touched here.
import type { ApiSpec, LlmSettings, LlmUsage } from '../../core/types.js';
import { filePathFor } from '../../core/layout.js';
import type { TestCase } from '../../core/guided-tests.js';
import { chatOnce } from '../llm/chat.js';
import { llmForPhase } from '../llm/phase-options.js';
import { loadPrompt, renderPrompt, specVars } from '../llm/prompts.js';
import { parseCases, sampleBody, TEST_CASES_SCHEMA } from './tests-file.js';

export interface ProposeCasesInput {
  spec: ApiSpec;
  /** Which cases to ask for (core/guided-tests.ts words it). */
  ask: string;
  /** What the last validation said, on a repair; else empty. */
  note: string;
  repair: boolean;
  llm: LlmSettings;
  /** The response cache. */
  dbPath: string;
}

export async function proposeTestCases(input: ProposeCasesInput): Promise<{ cases: TestCase[]; usage: LlmUsage }> {
  const { spec, llm } = input;
  const path = filePathFor('tests', spec.resource);
  const prompt = renderPrompt(loadPrompt('test-cases'), { ...specVars(spec), path, sample: sampleBody(spec), ask: input.ask, more: input.note });
  const answer = await chatOnce({
    dbPath: input.dbPath,
    llm: llmForPhase(llm, input.repair ? 'repair' : 'tests'),
    messages: [{ role: 'user', content: prompt }],
    format: TEST_CASES_SCHEMA as unknown as Record<string, unknown>,
    label: `${path} cases`,
  });
  return { cases: parseCases(answer.content), usage: answer.usage };
}
