// Model options per phase: a plan wants temperature 0, the tests file a bigger context.
import type { LlmSettings, OptionsPhase } from '../../core/types.js';

/** The settings for one phase's calls: the run's options with the phase's own on top. */
export function llmForPhase(llm: LlmSettings, phase: OptionsPhase): LlmSettings {
  const own = llm.phaseOptions?.[phase];
  return own ? { ...llm, options: { ...llm.options, ...own } } : llm;
}
