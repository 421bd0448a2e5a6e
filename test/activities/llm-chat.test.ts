// chatOnce as an activity (MockActivityEnvironment) against the scripted Ollama: streaming
// with heartbeats and usage, the SQLite answer cache, each failure mapped to a Temporal
// ApplicationFailure a person can act on, the output cap and cancellation.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { CancelledFailure } from '@temporalio/common';
import { chatOnce } from '../../activities/llm/chat.js';
import type { ChatProgress, WaitProgress } from '../../core/run-types.js';
import { MODEL_SERVER_GONE } from '../../core/types.js';
import { waitForModelServer } from '../../activities/llm/wait-for-model-server.js';
import { FIXTURE_DIR } from '../support/run-fixtures.js';
import { fencedAnswer, startScriptedOllama } from '../support/scripted-ollama.js';
import { MODELS_FILE, chatInput, cleanUpChatInputs, closedPort, failure, quietEnv, rejection, runChat, withServer } from '../support/chat-activity.js';

after(cleanUpChatInputs);

describe('chatOnce', () => {
  it('streams the answer, reports usage from the final chunk and heartbeats growing progress', async () => {
    await withServer({}, async (server) => {
      const input = chatInput(server);
      const { beats, result } = runChat(input);
      const out = await result;
      const expected = fencedAnswer(MODELS_FILE, readFileSync(path.join(FIXTURE_DIR, MODELS_FILE), 'utf8'));
      assert.equal(out.content, expected);
      const promptChars = input.messages.reduce((n, m) => n + m.content.length, 0);
      assert.equal(out.usage.tokensIn, Math.ceil(promptChars / 4)); // prompt_eval_count
      assert.equal(out.usage.tokensOut, Math.ceil(Array.from(expected).length / 4)); // eval_count
      assert.equal(out.usage.cached, false);
      assert.ok(out.usage.durationMs >= 0);
      assert.ok(beats.length >= 3, `only ${beats.length} heartbeats`);
      for (const b of beats) assert.deepEqual(Object.keys(b).sort(), ['bytes', 'label', 'tokens']);
      assert.ok(beats.every((b) => b.label === MODELS_FILE));
      for (let i = 1; i < beats.length; i++) assert.ok(beats[i]!.tokens > beats[i - 1]!.tokens, 'tokens must grow');
      assert.equal(beats.at(-1)!.bytes, Buffer.byteLength(expected));
      assert.equal(server.calls.length, 1);
      assert.equal(server.calls[0]!.stream, true);
    });
  });

  it('a long answer in many small chunks arrives whole; heartbeats count UTF-8 bytes', async () => {
    const text = 'aé'.repeat(20_000); // 20k chunks of 2 characters, 3 bytes each
    await withServer({ respond: () => text, chunkChars: 2 }, async (server) => {
      const { beats, result } = runChat(chatInput(server));
      const out = await result;
      assert.equal(out.content, text);
      assert.equal(out.usage.tokensOut, 20_000);
      assert.equal(beats.at(-1)!.bytes, Buffer.byteLength(text));
    });
  });

  it('answers an identical second call from the SQLite cache; another temperature misses it', async () => {
    await withServer({}, async (server) => {
      const input = chatInput(server);
      const first = await runChat(input).result;
      const second = await runChat(input).result;
      assert.equal(server.calls.length, 1, 'the cached call must not reach Ollama');
      assert.equal(second.content, first.content);
      assert.equal(second.usage.cached, true);
      assert.equal(second.usage.tokensIn, first.usage.tokensIn);
      assert.equal(second.usage.tokensOut, first.usage.tokensOut);
      const warmer = await runChat({ ...input, llm: { ...input.llm, options: { ...input.llm.options, temperature: 0.7 } } }).result;
      assert.equal(server.calls.length, 2, 'a different temperature is a different question');
      assert.equal(warmer.usage.cached, false);
    });
  });

  it('an unknown model is ModelNotFound, not retryable, and says `ollama pull`', async () => {
    await withServer({}, async (server) => {
      const f = await failure(runChat(chatInput(server, { model: 'nosuchmodel:1b' })).result);
      assert.equal(f.type, 'ModelNotFound');
      assert.equal(f.nonRetryable, true);
      assert.match(f.message, /ollama pull nosuchmodel:1b/);
    });
  });

  it('a prompt longer than num_ctx (Ollama cuts it silently) is PromptTruncated, not retryable, says -num-ctx, and is not cached', async () => {
    await withServer({}, async (server) => {
      const input = chatInput(server);
      input.llm = { ...input.llm, options: { ...input.llm.options, num_ctx: 512 } };
      input.messages[1]!.content += '\n' + 'A line of context the model must see. '.repeat(200); // ~7,600 chars, ~1,900 tokens
      const f = await failure(runChat(input).result);
      assert.equal(f.type, 'PromptTruncated');
      assert.equal(f.nonRetryable, true);
      assert.match(f.message, /did not fit the model's context \(num_ctx 512 tokens\).*raise -num-ctx/);
      // The same prompt with room for it is answered, by the model, not from a cache of the cut one.
      const roomy = { ...input, llm: { ...input.llm, options: { ...input.llm.options, num_ctx: 8192 } } };
      const answered = await runChat(roomy).result;
      assert.equal(answered.usage.cached, false);
      assert.ok(answered.usage.tokensIn > 512, `read ${answered.usage.tokensIn} tokens`);
      assert.equal(server.calls.length, 2);
    });
  });

  it('a closed port is ModelServerUnreachable, not retried at once (the workflow waits for the server), and says `ollama serve`', async () => {
    const port = await closedPort();
    const f = await failure(runChat(chatInput({ url: `http://127.0.0.1:${port}` })).result);
    assert.equal(f.type, MODEL_SERVER_GONE);
    assert.equal(f.nonRetryable, true);
    assert.match(f.message, /ollama serve/);
  });

  it('an HTTP 500 is a retryable OllamaError carrying the server message', async () => {
    await withServer({ fault: { fault: 'http500', message: 'llama runner process has terminated' } }, async (server) => {
      const f = await failure(runChat(chatInput(server)).result);
      assert.equal(f.type, 'OllamaError');
      assert.equal(f.nonRetryable, false);
      assert.match(f.message, /500.*llama runner process has terminated/);
    });
  });

  it('a stalled stream is OllamaStalled, retryable, within a few seconds', async () => {
    await withServer({ fault: { fault: 'stall', afterChunks: 3 } }, async (server) => {
      const t0 = Date.now();
      const f = await failure(runChat(chatInput(server, { stallTimeoutMs: 1500 })).result);
      const elapsed = Date.now() - t0;
      assert.equal(f.type, 'OllamaStalled');
      assert.equal(f.nonRetryable, false);
      assert.ok(elapsed >= 1400 && elapsed < 5000, `stall detected after ${elapsed} ms`);
    });
  });

  it('a connection reset mid-stream is a retryable failure', async () => {
    await withServer({ fault: { fault: 'reset', afterChunks: 3 } }, async (server) => {
      const f = await failure(runChat(chatInput(server)).result);
      assert.equal(f.nonRetryable, false);
      assert.equal(f.type, 'OllamaError');
    });
  });

  it('a garbage line in the stream is a retryable failure that says malformed', async () => {
    await withServer({ fault: { fault: 'garbage', afterChunks: 2 } }, async (server) => {
      const f = await failure(runChat(chatInput(server)).result);
      assert.equal(f.nonRetryable, false);
      assert.match(f.message, /malformed/);
      assert.match(f.message, /502 Bad Gateway/);
    });
  });

  it('an error line in the stream fails with the stream’s own message', async () => {
    await withServer({ fault: { fault: 'errorLine', afterChunks: 2, message: 'CUDA error: out of memory' } }, async (server) => {
      const f = await failure(runChat(chatInput(server)).result);
      assert.equal(f.type, 'OllamaError');
      assert.equal(f.nonRetryable, false);
      assert.match(f.message, /CUDA error: out of memory/);
    });
  });

  it('an answer over maxOutputBytes is OutputTooLarge, read no further, and not cached', async () => {
    const total = 64 * 1024 * 1024;
    const cap = 256 * 1024;
    await withServer({ fault: (_req, i) => (i === 0 ? { fault: 'oversized', bytes: total } : undefined) }, async (server) => {
      const proxy = await countingProxy(server.port);
      try {
        const input = chatInput(proxy, { maxOutputBytes: cap });
        const { beats, result } = runChat(input);
        const f = await failure(result);
        assert.equal(f.type, 'OutputTooLarge');
        assert.equal(f.nonRetryable, true);
        assert.match(f.message, new RegExp(String(cap)));
        // Lines already received may still be parsed, but nothing past one socket read.
        assert.ok(beats.at(-1)!.bytes < cap + 256 * 1024, `kept reading to ${beats.at(-1)!.bytes} bytes`);
        await proxy.settled();
        assert.ok(proxy.upstreamBytes() < total / 4, `the client let ${proxy.upstreamBytes()} of ${total} bytes stream`);
        // The cut-off answer was not cached: the same question goes to the server again.
        const again = await runChat(input).result;
        assert.equal(server.calls.length, 2);
        assert.equal(again.usage.cached, false);
      } finally {
        await proxy.close();
      }
    });
  });

  it('env.cancel() during a slow stream ends the call promptly as a cancellation', async () => {
    await withServer({ tokensPerSecond: 20 }, async (server) => {
      const env = quietEnv();
      let cancelledAt = 0;
      env.on('heartbeat', (d: ChatProgress) => {
        if (d.tokens >= 5 && !cancelledAt) {
          cancelledAt = Date.now();
          env.cancel();
        }
      });
      const err = await rejection(env.run(chatOnce, chatInput(server)));
      const took = Date.now() - cancelledAt;
      assert.ok(cancelledAt > 0, 'no heartbeat arrived before the end');
      assert.ok(err instanceof CancelledFailure || err.name === 'AbortError', `expected a cancellation, got ${err.name}: ${err.message}`);
      assert.ok(took < 1000, `the call ran ${took} ms past the cancel`);
    });
  });
});

describe('waitForModelServer', () => {
  const waitFor = (url: string, untilMs: number) => {
    const env = quietEnv();
    const beats: WaitProgress[] = [];
    env.on('heartbeat', (d: WaitProgress) => beats.push(d));
    const since = new Date().toISOString();
    return { since, beats, result: env.run(waitForModelServer, { serverUrl: url, since, untilMs }) as Promise<{ probes: number }> };
  };

  it('returns once a server answers on the port, heartbeating what it waits for and since when', async () => {
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}`;
    const { since, beats, result } = waitFor(url, Date.now() + 60_000);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const server = await startScriptedOllama({ port });
    try {
      const { probes } = await result;
      assert.ok(probes >= 2, `probes ${probes}`);
      assert.ok(beats.length >= probes);
      assert.deepEqual({ ...beats[0], probes: 1 }, { waitingFor: url, since, probes: 1 });
    } finally {
      await server.close();
    }
  });

  it('past its deadline it probes once more: a server that answers is taken, none fails the run saying what to do', async () => {
    await withServer({}, async (server) => assert.deepEqual(await waitFor(server.url, Date.now() - 1).result, { probes: 1 }));
    const url = `http://127.0.0.1:${await closedPort()}`;
    const { beats, result } = waitFor(url, Date.now() - 1);
    const f = await failure(result);
    assert.equal(f.type, MODEL_SERVER_GONE);
    assert.equal(f.nonRetryable, true);
    assert.match(f.message, new RegExp(`^Ollama at ${url} did not answer for 0 min .*ollama serve.*-ollama-wait`));
    assert.equal(beats.length, 1);
  });
});

/** A TCP proxy to `port` that counts the bytes the server got to send before the client hung up. */
async function countingProxy(port: number) {
  let bytes = 0;
  let open = 0;
  let idle: (() => void) | null = null;
  const sockets = new Set<net.Socket>();
  const srv = net.createServer((client) => {
    open++;
    const up = net.connect(port, '127.0.0.1');
    sockets.add(client).add(up);
    up.on('data', (d: Buffer) => (bytes += d.length));
    client.pipe(up);
    up.pipe(client);
    let closed = false;
    const end = () => {
      client.destroy();
      up.destroy();
      if (closed) return;
      closed = true;
      sockets.delete(client);
      sockets.delete(up);
      if (--open === 0) idle?.();
    };
    for (const s of [client, up]) {
      s.on('close', end);
      s.on('error', end);
    }
  });
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port: own } = srv.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${own}`,
    upstreamBytes: () => bytes,
    /** Resolves once no connection is open (the client hung up and the server saw it). */
    settled: () => (open === 0 ? Promise.resolve() : new Promise<void>((resolve) => (idle = resolve))),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        srv.close(() => resolve());
      }),
  };
}
