// Preflight's continuation probe and one guided function, as activities, against scripted /v1
// servers that behave like vLLM (a new turn unless continue_final_message and
// add_generation_prompt: false), like llama-server (it continues, repeating the prefill first) and
// like llama-server with a thinking template (400 to a prefill): the mode each ends in, and a
// function body that comes out whole in every mode.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { askForFunction } from '../../activities/guided/function-candidate.js';
import { bodyFromAnswer } from '../../activities/guided/go-source.js';
import { PREFILL_PROBE } from '../../activities/llm/server-profile.js';
import { preflight } from '../../activities/preflight.js';
import type { LlmSettings, PreflightResult } from '../../core/types.js';
import { chatInput, cleanUpChatInputs, quietEnv, withServer } from '../support/chat-activity.js';
import { tmpDir } from '../support/run-fixtures.js';
import type { ScriptedOllama } from '../support/scripted-ollama.js';
import type { Prefill, V1Server } from '../support/scripted-openai.js';

after(cleanUpChatInputs);

const check = (url: string, server?: LlmSettings['server']) =>
  quietEnv().run(preflight, {
    serverUrl: url,
    api: 'openai' as const,
    ...(server ? { server } : {}),
    model: 'codellama:7b',
    outputDir: path.join(tmpDir('preflight-servers'), 'out'),
    allowNonEmptyOutput: false,
    skipValidation: true,
  }) as Promise<PreflightResult>;

const SIGNATURE = 'func (r *TodoRepository) Get(id int) (models.Todo, error)';
const HOLE = { name: 'Get', signature: SIGNATURE, steps: ['look the id up'] };

/** The guided request for the repository's Get, as the scripted model recognises one. */
async function askGet(server: ScriptedOllama, llm: Partial<LlmSettings>) {
  const input = chatInput(server, { api: 'openai', ...llm });
  const prompt = `Write the Go function \`${SIGNATURE}\`.\nFile: internal/repository/todo_repo.go\nFunction: Get\n`;
  const answer = (await quietEnv().run(askForFunction, { llm: input.llm, prompt, hole: HOLE, attempt: 0, dbPath: input.dbPath, label: 'Get' })) as {
    content: string;
  };
  return answer.content;
}

/** The function calls (not the probe) and whether the server continued their prefill. */
const functionCalls = (server: ScriptedOllama) => server.calls.filter((c) => c.lastUserMessage !== PREFILL_PROBE.question);

const cases: [string, V1Server, LlmSettings['server'] | undefined, RegExp, (Prefill | undefined)[]][] = [
  [
    'llama-server as llama-cpp-python 0.3.36 serves it: it continues, repeating the prefilled text first, and code cuts the repeat',
    'llama-server',
    undefined,
    /^prefill mode: continues \(llama\.cpp's llama-server \(owned_by "llamacpp" at \/v1\/models\) continued a prefilled answer, repeating it first: code cuts the repeat\)$/,
    ['echo'],
  ],
  [
    'vLLM-like, detected: its fields are sent and it continues',
    'vllm',
    undefined,
    /^prefill mode: continues-with-fields \(vLLM \(owned_by "vllm"/,
    ['continue'],
  ],
  [
    'vLLM-like, named as Ollama by mistake: the probe sees a new turn and the function is asked for whole',
    'vllm',
    'ollama',
    /^prefill mode: no-prefill \(Ollama's \/v1 \(-llm-server\): it started a new turn instead of continuing \("1, 2, 3/,
    [undefined],
  ],
  [
    'llama-server with a thinking template: the 400 is the probe’s, and the function is asked for whole',
    'llama-server-thinking',
    undefined,
    /^prefill mode: no-prefill \(llama\.cpp's llama-server \(owned_by "llamacpp" at \/v1\/models\): it refused a prefilled answer \(400: Assistant response prefill is incompatible with enable_thinking\.\)\)/,
    [undefined],
  ],
];

describe('the continuation probe and a guided function per server', () => {
  for (const [name, v1Server, named, note, prefills] of cases)
    it(name, async () => {
      await withServer({ v1Server }, async (server) => {
        const found = await check(server.url, named);
        assert.match(found.prefill ?? '', note);
        const content = await askGet(server, named ? { server: named } : {});
        assert.ok(!content.includes('Here is'), `no prose is glued onto the answer:\n${content}`);
        assert.match(bodyFromAnswer(content, HOLE).body, /return models\.Todo\{\}, ErrNotFound/);
        assert.deepEqual(
          functionCalls(server).map((c) => c.prefill),
          prefills,
        );
      });
    });

  it("Ollama's /v1 continues a prefill as it is: no fields, one probe per server and model in a worker", async () => {
    await withServer({}, async (server) => {
      assert.match((await check(server.url)).prefill ?? '', /^prefill mode: continues \(Ollama's \/v1 \(GET \/api\/version\) continued a prefilled answer\)$/);
      await askGet(server, {});
      await askGet(server, {});
      assert.equal(server.calls.filter((c) => c.lastUserMessage === PREFILL_PROBE.question).length, 1, 'the profile is kept');
      assert.deepEqual(
        functionCalls(server).map((c) => c.prefill),
        ['continue', 'continue'],
      );
    });
  });
});

describe('a function answer the token limit cut off, or over the output cap (issue #27)', () => {
  const GET_BODY = '\tx, ok := r.items[id]\n\tif !ok {\n\t\treturn models.Todo{}, ErrNotFound\n\t}\n\treturn x, nil\n}\n';
  const ask = (server: ScriptedOllama, llm: Partial<LlmSettings>) => {
    const input = chatInput(server, llm);
    const prompt = `Write the Go function \`${SIGNATURE}\`.\nFunction: Get\n`;
    return quietEnv().run(askForFunction, { llm: input.llm, prompt, hole: HOLE, attempt: 0, dbPath: input.dbPath, label: 'Get' }) as Promise<{
      content: string;
    }>;
  };

  it('half a body cut at num_predict is no candidate; a body finished before the cut is', async () => {
    // The scripted server streams one character a chunk and stops after num_predict chunks, as a model stops at its token limit.
    await withServer({ respond: () => GET_BODY.repeat(3), chunkChars: 1 }, async (server) => {
      assert.equal((await ask(server, { options: { temperature: 0, seed: 1, num_ctx: 4096, num_predict: 20 } })).content, '', 'half a body was kept');
      const whole = await ask(server, { options: { temperature: 0, seed: 1, num_ctx: 4096, num_predict: GET_BODY.length + 10 } });
      assert.equal(bodyFromAnswer(whole.content, HOLE).body, GET_BODY.replace(/\n}\n$/, ''));
    });
  });

  it('an answer over the output cap is no candidate, not the end of the run', async () => {
    await withServer({ respond: () => ({ fault: 'oversized', bytes: 256 * 1024 }) }, async (server) => {
      assert.equal((await ask(server, { maxOutputBytes: 64 * 1024 })).content, '');
    });
  });
});
