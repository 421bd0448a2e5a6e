// The scripted Ollama against the real one (the project's Ollama, scripts/setup-ollama.sh):
// the same requests to both, answers compared by status, media type, keys and types, and
// error texts. RECORD_WIRE=1 saves the real answers in test/fixtures/ollama-wire, which the
// unit layer holds the scripted Ollama to on machines without a real Ollama.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PLAN_SCHEMA } from '../../core/plan-schema.js';
import { wireProbes } from '../support/ollama-wire.js';
import { REAL_MODEL, compareProbes, wireServers } from '../support/real-wire.js';

const servers = wireServers();

// /api/show's model_info and tensors differ by architecture: the top-level keys must match.
compareProbes('the scripted Ollama answers as the real one does', wireProbes(REAL_MODEL), servers, (probe) => (probe.name === 'show' ? 0 : Infinity));

describe('the real model under our requests', () => {
  test('a prompt longer than num_ctx is cut to fit, and prompt_eval_count then says exactly num_ctx (chatOnce detects truncation by it; the scripted one does the same)', async () => {
    // ~1,500 tokens: past 512, inside 2,048 (a longer prompt or a larger context only costs minutes of prompt evaluation).
    const long = Array.from({ length: 100 }, (_, i) => `Line ${i}: the quick brown fox jumps over the lazy dog.`).join('\n');
    const ask = async (url: string, num_ctx: number) => {
      const res = await fetch(`${url}/api/chat`, {
        method: 'POST',
        body: JSON.stringify({
          model: REAL_MODEL,
          stream: false,
          options: { num_ctx, num_predict: 4, temperature: 0 },
          messages: [{ role: 'user', content: `${long}\nSay hi.` }],
        }),
      });
      assert.equal(res.status, 200);
      return ((await res.json()) as { prompt_eval_count: number }).prompt_eval_count;
    };
    assert.equal(await ask(servers.real.url, 512), 512, 'the real Ollama reads exactly num_ctx tokens of a prompt too long for it');
    assert.ok((await ask(servers.real.url, 2048)) > 512, 'and more when the prompt fits');
    assert.equal(await ask(servers.scripted.url, 512), 512, 'the scripted Ollama reports the same');
  });

  test("a JSON schema in `format` makes the answer JSON with the schema's required keys (the plan phase relies on it)", async () => {
    const res = await fetch(`${servers.real.url}/api/chat`, {
      method: 'POST',
      body: JSON.stringify({
        model: REAL_MODEL,
        stream: false,
        format: PLAN_SCHEMA,
        options: { num_predict: 400, temperature: 0, seed: 1 },
        messages: [{ role: 'user', content: 'Plan a REST API for a todo list as JSON: module, resources (name, plural, fields, filters, actions), notBuilt.' }],
      }),
    });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { message: { content: string }; done_reason: string };
    // Cut off by num_predict the JSON may be unfinished; the plan phase treats that as a retry.
    if (body.done_reason === 'stop') {
      const plan = JSON.parse(body.message.content) as Record<string, unknown>;
      for (const key of PLAN_SCHEMA.required) assert.ok(key in plan, `"${key}" missing from ${body.message.content.slice(0, 200)}`);
    } else {
      assert.equal(body.done_reason, 'length');
      assert.match(body.message.content, /^\s*\{/);
    }
  });

  test('a final assistant message is continued, not answered anew, and `stop` ends the answer (the guided strategy relies on both)', async () => {
    const start = '```go\nfunc add(a, b int) int {\n';
    const ask = (messages: { role: string; content: string }[], stop?: string[]) =>
      fetch(`${servers.real.url}/api/chat`, {
        method: 'POST',
        body: JSON.stringify({ model: REAL_MODEL, stream: false, messages, options: { num_predict: 80, temperature: 0, seed: 1, ...(stop ? { stop } : {}) } }),
      }).then(async (res) => ({ status: res.status, body: (await res.json()) as { message: { content: string }; done_reason: string } }));
    const question = { role: 'user', content: 'Write the Go function add that returns the sum of a and b.' };
    const continued = await ask([question, { role: 'assistant', content: start }], ['\n}\n']);
    assert.equal(continued.status, 200);
    const said = continued.body.message.content;
    // A new answer would open with its own fence or signature; a continuation is the body.
    assert.doesNotMatch(said, /^\s*(```|func\b)/, `a new answer instead of the body: ${JSON.stringify(said)}`);
    assert.ok(!said.includes('\n}\n'), `the stop sequence is not in the answer: ${JSON.stringify(said)}`);
    // The same question without the start: the model opens its own answer (the check above can fail).
    const fresh = await ask([question]);
    assert.match(fresh.body.message.content, /```|func\b/);
  });
});
