// Shared set-up for tests that run the pipeline: a real Temporal dev server, a scripted
// Ollama, a fresh output folder and mirror, and the run input that ties them together.
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { createWorker } from '../../worker/create-worker.js';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { temporalBinary } from '../../client/temporal-server.js';
import { SEARCH_ATTRIBUTE_KEYS } from '../../workflows/search-attributes.js';
import type { RunInput } from '../../core/types.js';

export const FIXTURE_DIR = fileURLToPath(new URL('../fixtures/todo-api/', import.meta.url));
export const VARIANTS_DIR = fileURLToPath(new URL('../fixtures/variants/', import.meta.url));

/** A real dev server from the Temporal CLI the project's setup installs. */
export async function createDevServer(): Promise<TestWorkflowEnvironment> {
  const bin = temporalBinary();
  if (!bin) throw new Error('the Temporal CLI is missing: run `bash scripts/setup.sh` first');
  Runtime.install({ logger: new DefaultLogger('WARN') });
  return TestWorkflowEnvironment.createLocal({
    server: { executable: { type: 'existing-path', path: bin }, extraArgs: ['--log-level', 'error'], searchAttributes: SEARCH_ATTRIBUTE_KEYS },
  });
}

/** A dev server with the real workers (workflow code bundled from source) polling `taskQueue` and its model queue. */
export async function startDevServerWithWorker(taskQueue: string): Promise<{ env: TestWorkflowEnvironment; stop: () => Promise<void> }> {
  const env = await createDevServer();
  const worker = await createWorker({ connection: env.nativeConnection, namespace: env.namespace ?? 'default', taskQueue, bundleAtStart: true });
  const running = worker.run();
  return {
    env,
    stop: async () => {
      worker.shutdown();
      await running;
      await env.teardown();
    },
  };
}

export function tmpDir(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `overnight-${prefix}-`));
}

/** A run input against `serverUrl`, writing into a fresh folder. */
export function runInput(serverUrl: string, overrides: Partial<RunInput> = {}): RunInput {
  const dir = tmpDir('run');
  return {
    prompt: 'REST API for todo list',
    outputDir: path.join(dir, 'out'),
    dbPath: path.join(dir, 'mirror.db'),
    llm: {
      serverUrl,
      model: 'codellama:7b',
      options: { temperature: 0, seed: 1, num_ctx: 4096 },
      callTimeoutMs: 60_000,
      stallTimeoutMs: 10_000,
      maxOutputBytes: 1024 * 1024,
    },
    skipValidation: false,
    allowNonEmptyOutput: false,
    maxRepairRounds: 3,
    coverageGoal: 70,
    searchAttributes: true,
    ...overrides,
  };
}
