// The project's own metrics, beside the SDK's on a worker's Prometheus endpoint (`worker
// -metrics`): recorded through the activity's metric meter, which the SDK tags with namespace,
// task queue and activity type and exports with its own. Outside an activity (plain tests,
// benchmarks) there is no meter and nothing is recorded.
import type { LlmUsage } from '../core/types.js';
import { activityContext } from './activity-context.js';

const meter = () => activityContext()?.metricMeter;

/** One model answer: tokens read and written and the speed of a served one, or a cache hit. */
export function recordModelAnswer(model: string, usage: LlmUsage): void {
  const m = meter();
  if (!m) return;
  const tags = { model };
  if (usage.cached) {
    m.createCounter('overnight_llm_cache_hits', 'answers', 'model answers taken from the response cache').add(1, tags);
    return;
  }
  m.createCounter('overnight_llm_model_answers', 'answers', 'answers the model server wrote').add(1, tags);
  m.createCounter('overnight_llm_tokens_in', 'tokens', 'prompt tokens the model server read').add(usage.tokensIn, tags);
  m.createCounter('overnight_llm_tokens_out', 'tokens', 'tokens the model server wrote').add(usage.tokensOut, tags);
  if (usage.durationMs > 0)
    m.createGauge('overnight_llm_tokens_per_second', 'float', 'tokens/s', 'output tokens per second of the latest answer').set(
      usage.tokensOut / (usage.durationMs / 1000),
      tags,
    );
}

/** One candidate the model wrote for a function (guided strategy): its count per function is the candidates it took. */
export function recordFunctionCandidate(fn: string): void {
  meter()?.createCounter('overnight_llm_function_candidates', 'candidates', 'function bodies the model wrote, by function').add(1, { function: fn });
}

/** One validation of a generated project, by outcome (valid: every step passed and coverage met the goal). */
export function recordValidation(valid: boolean): void {
  meter()
    ?.createCounter('overnight_llm_validations', 'validations', 'validations of generated projects, by outcome')
    .add(1, { outcome: valid ? 'valid' : 'invalid' });
}
