// The project's own metrics as activities record them, through the activity's metric meter (the
// one a worker's -metrics endpoint exports): a served answer counts its tokens and speed, a cached
// one counts a cache hit and no tokens; candidates count per function, validations per outcome.
// A recording meter stands in for the SDK's exporter (test/e2e/worker-metrics.test.ts scrapes the real one).
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import type { MetricMeter, MetricTags } from '@temporalio/common';
import { recordFunctionCandidate, recordValidation } from '../../activities/run-metrics.js';
import { chatInput, cleanUpChatInputs, runChat, withServer } from '../support/chat-activity.js';

after(cleanUpChatInputs);

interface Recorded {
  name: string;
  value: number;
  tags: MetricTags;
}

/** A MetricMeter that keeps every value recorded, with its tags. */
function recordingMeter(recorded: Recorded[], base: MetricTags = {}): MetricMeter {
  const metric = (name: string) => {
    const record = (value: number, extraTags: MetricTags = {}) => recorded.push({ name, value, tags: { ...base, ...extraTags } });
    const self = { name, add: record, record, set: record, withTags: () => self };
    return self;
  };
  return {
    createCounter: metric,
    createHistogram: metric,
    createGauge: metric,
    createUpDownCounter: metric,
    withTags: (tags: MetricTags) => recordingMeter(recorded, { ...base, ...tags }),
  } as unknown as MetricMeter;
}

const env = (recorded: Recorded[]) => new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR'), metricMeter: recordingMeter(recorded) });
const sum = (recorded: Recorded[], name: string) => recorded.filter((r) => r.name === name).reduce((a, r) => a + r.value, 0);

test('a served answer counts its tokens in and out and its speed; the same call again is a cache hit with no tokens', async () => {
  await withServer({}, async (server) => {
    const input = chatInput(server);
    const first: Recorded[] = [];
    const served = await runChat(input, env(first)).result;
    assert.equal(sum(first, 'overnight_llm_model_answers'), 1);
    assert.equal(sum(first, 'overnight_llm_tokens_in'), served.usage.tokensIn);
    assert.equal(sum(first, 'overnight_llm_tokens_out'), served.usage.tokensOut);
    assert.ok(served.usage.tokensOut > 0 && sum(first, 'overnight_llm_tokens_per_second') > 0);
    assert.equal(sum(first, 'overnight_llm_cache_hits'), 0);
    assert.deepEqual(first[0]!.tags.model, input.llm.model, 'tagged with the model');

    const second: Recorded[] = [];
    const cached = await runChat(input, env(second)).result;
    assert.equal(cached.usage.cached, true);
    assert.equal(sum(second, 'overnight_llm_cache_hits'), 1);
    assert.equal(sum(second, 'overnight_llm_tokens_out'), 0, 'a cache hit writes no tokens');
    assert.equal(server.calls.length, 1, 'the model was asked once');
  });
});

test('candidates count per function, validations per outcome; outside an activity nothing is recorded and nothing fails', async () => {
  const recorded: Recorded[] = [];
  await env(recorded).run(async () => {
    recordFunctionCandidate('internal/handlers/todo_handler.go Update');
    recordFunctionCandidate('internal/handlers/todo_handler.go Update');
    recordValidation(false);
    recordValidation(true);
  });
  assert.deepEqual(
    recorded.map((r) => [r.name, r.value, r.tags.function ?? r.tags.outcome]),
    [
      ['overnight_llm_function_candidates', 1, 'internal/handlers/todo_handler.go Update'],
      ['overnight_llm_function_candidates', 1, 'internal/handlers/todo_handler.go Update'],
      ['overnight_llm_validations', 1, 'invalid'],
      ['overnight_llm_validations', 1, 'valid'],
    ],
  );
  recordValidation(true); // a plain call, as in benchmarks
});
