// The scripted Ollama's /v1 against the real one's (the project's Ollama 0.19, SmolLM2-135M):
// the same OpenAI-compatible requests to both, answers compared by status, media type, keys and
// types of every SSE chunk, and error texts; then chatOnce over -llm-api openai against the real
// server. RECORD_WIRE=1 saves the real answers as test/fixtures/ollama-wire/v1-*.json, which the
// unit layer holds the scripted /v1 to.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { chatOnce, type ChatInput } from '../../activities/llm/chat.js';
import { PLAN_SCHEMA } from '../../core/plan-schema.js';
import { closeMirrors } from '../../lib/db.js';
import type { LlmSettings } from '../../core/types.js';
import { openAiWireProbes } from '../support/ollama-wire.js';
import { REAL_MODEL, compareProbes, wireServers } from '../support/real-wire.js';
import { FIXTURE_DIR, runInput } from '../support/run-fixtures.js';

process.env.OVERNIGHT_STATE_DIR ??= path.resolve(FIXTURE_DIR, '../../../.state/test');

const servers = wireServers();
after(closeMirrors);

compareProbes("the scripted Ollama's /v1 answers as the real one's does", openAiWireProbes(REAL_MODEL), servers);

describe('chatOnce over -llm-api openai against the real Ollama', () => {
  const ask = (llm: Partial<LlmSettings>, input: Partial<ChatInput> = {}) => {
    const run = runInput(servers.real.url);
    return chatOnce({
      dbPath: run.dbPath,
      llm: { ...run.llm, model: REAL_MODEL, ...llm, options: { ...run.llm.options, ...llm.options } },
      messages: [{ role: 'user', content: 'Say hello.' }],
      label: 'hello',
      ...input,
    });
  };

  test('streams an answer with token counts; the prompt reads the same number of tokens as over the native API; max_tokens cuts it off', async () => {
    const openai = await ask({ api: 'openai', options: { num_predict: 4 } });
    const native = await ask({ options: { num_predict: 4 } });
    assert.ok(openai.content.length > 0);
    assert.equal(openai.usage.tokensOut, 4);
    assert.equal(openai.cutOff, true, 'finish_reason "length" at max_tokens');
    assert.ok(openai.usage.tokensIn > 0);
    assert.equal(openai.usage.tokensIn, native.usage.tokensIn, 'the same chat template renders the same prompt');
  });

  test('a JSON schema as response_format makes the answer JSON (the plan phase relies on it)', async () => {
    const out = await ask(
      { api: 'openai', options: { num_predict: 400, temperature: 0 } },
      {
        format: PLAN_SCHEMA as unknown as Record<string, unknown>,
        messages: [{ role: 'user', content: 'Plan a REST API for a todo list as JSON: module, resources (name, plural, fields, filters, actions), notBuilt.' }],
      },
    );
    assert.match(out.content, /^\s*\{/);
    if (!out.cutOff) for (const key of PLAN_SCHEMA.required) assert.ok(key in JSON.parse(out.content), `"${key}" missing from ${out.content.slice(0, 200)}`);
  });

  test('a final assistant message is continued and `stop` ends the answer over /v1 too (the guided strategy relies on both)', async () => {
    const start = '```go\nfunc add(a, b int) int {\n';
    const out = await ask(
      { api: 'openai', options: { num_predict: 80, temperature: 0 } },
      {
        messages: [
          { role: 'user', content: 'Write the Go function add that returns the sum of a and b.' },
          { role: 'assistant', content: start },
        ],
        stop: ['\n}\n'],
      },
    );
    assert.doesNotMatch(out.content, /^\s*(```|func\b)/, `a new answer instead of the body: ${JSON.stringify(out.content)}`);
    assert.ok(!out.content.includes('\n}\n'), `the stop sequence is not in the answer: ${JSON.stringify(out.content)}`);
  });
});
