// Token counts and time of model calls, added up: in activities and in workflow code alike.
import type { LlmUsage } from './types.js';

/** The usage of two calls as one: tokens and time add up; cached only when both were. */
export const addUsage = (a: LlmUsage, b: LlmUsage): LlmUsage => ({
  tokensIn: a.tokensIn + b.tokensIn,
  tokensOut: a.tokensOut + b.tokensOut,
  durationMs: a.durationMs + b.durationMs,
  cached: a.cached && b.cached,
});
export const NO_USAGE: LlmUsage = { tokensIn: 0, tokensOut: 0, durationMs: 0, cached: true };
