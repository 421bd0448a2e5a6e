// chatOnce as an activity (MockActivityEnvironment) against a scripted Ollama, for the tests
// of either API: a chat input with a fresh mirror, a server for one test, heartbeats collected,
// the failure a call ends with, and a port nothing listens on.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { chatOnce, type ChatInput, type ChatOutput } from '../../activities/llm/chat.js';
import { closeMirrors } from '../../lib/db.js';
import type { LlmSettings } from '../../core/types.js';
import type { ChatProgress } from '../../core/run-types.js';
import { FIXTURE_DIR, runInput } from './run-fixtures.js';
import { startScriptedOllama, type ScriptedOllama, type ScriptedOllamaOptions } from './scripted-ollama.js';

process.env.OVERNIGHT_STATE_DIR ??= path.resolve(FIXTURE_DIR, '../../../.state/test');

export const MODELS_FILE = 'internal/models/todo.go';
const dirs: string[] = [];

/** For `after()`: closes the mirrors and removes the folders of every chatInput. */
export function cleanUpChatInputs(): void {
  closeMirrors();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** A chat input with a fresh mirror, asking the scripted model for the models file. */
export function chatInput(server: { url: string }, llm: Partial<LlmSettings> = {}): ChatInput {
  const run = runInput(server.url);
  dirs.push(path.dirname(run.dbPath));
  return {
    dbPath: run.dbPath,
    llm: { ...run.llm, ...llm },
    messages: [
      { role: 'system', content: 'You write Go.' },
      { role: 'user', content: `Write the model.\n\nFile: ${MODELS_FILE}\n\nStandard library only.` },
    ],
    label: MODELS_FILE,
  };
}

export async function withServer(opts: ScriptedOllamaOptions, fn: (s: ScriptedOllama) => Promise<void>): Promise<void> {
  const server = await startScriptedOllama({ fixtureDir: FIXTURE_DIR, ...opts });
  try {
    await fn(server);
  } finally {
    await server.close();
  }
}

/** An activity context whose worker logger keeps expected failures out of the test output. */
export const quietEnv = () => new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR') });

/** Runs chatOnce in a fresh activity context; heartbeats are collected. */
export function runChat(input: ChatInput, env = quietEnv()) {
  const beats: ChatProgress[] = [];
  env.on('heartbeat', (d: ChatProgress) => beats.push(d));
  return { beats, result: env.run(chatOnce, input) as Promise<ChatOutput> };
}

/** The error a promise rejects with; fails the test when it resolves. */
export async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  assert.fail('expected the activity to fail');
}

export async function failure(p: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await rejection(p);
  assert.ok(err instanceof ApplicationFailure, `expected an ApplicationFailure, got ${err?.name}: ${err?.message}`);
  return err;
}

/** A port nothing listens on. */
export async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}
