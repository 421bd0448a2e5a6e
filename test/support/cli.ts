// Runs the real CLI as a user would (node bin/overnight-llm.js) and cleans up the embedded
// Temporal dev server it leaves running on purpose.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { embeddedServerFor } from '../../client/temporal-server.js';
import { freePort } from '../../lib/free-port.js';
import { startScriptedOllama, type ScriptedOllama, type ScriptedOllamaOptions } from './scripted-ollama.js';

export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = fileURLToPath(new URL('../../bin/overnight-llm.js', import.meta.url));

export interface CliResult {
  /** The exit code; null when the CLI was killed by a signal (then `signal` says which). */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI to its end; past `timeoutMs` it is killed, which shows as `signal`, never as an exit code a test could accept. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 300_000, user?: { uid: number; gid: number }): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, timeout: timeoutMs, maxBuffer: 16 << 20, ...user }, (err, stdout, stderr) => {
      const failure = err as (Error & { code?: unknown; signal?: NodeJS.Signals | null; killed?: boolean }) | null;
      if (failure?.signal)
        return resolve({
          code: null,
          signal: failure.signal,
          stdout,
          stderr: `${stderr}\n[runCli: killed by ${failure.signal}${failure.killed ? ` after ${timeoutMs} ms` : ''}]`,
        });
      if (failure && typeof failure.code !== 'number') return reject(failure); // could not start the CLI at all (maxBuffer, ENOENT)
      resolve({ code: failure ? (failure.code as number) : 0, signal: null, stdout, stderr });
    });
  });
}

/** Starts the CLI without waiting, for tests that kill or signal it. */
export function spawnCli(args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

// One free-port helper for the tests and the project's Ollama.
export { freePort };

/** Kills the embedded dev server the CLI started for `address` under the current state dir. */
export function stopEmbeddedServer(address: string): void {
  const { pidFile } = embeddedServerFor(address);
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8'));
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    // already gone
  }
}

/** What an e2e file runs the CLI against: a scripted Ollama, and the address of the dev server the CLI embeds. */
export interface CliSetup {
  ollama: ScriptedOllama;
  temporal: string;
  /** -ollama, -temporal and -ui for every command of the file. */
  common: string[];
  /** Stops the embedded server and the scripted Ollama. */
  stop(): Promise<void>;
}

export async function cliSetup(ollamaOptions: ScriptedOllamaOptions): Promise<CliSetup> {
  const ollama = await startScriptedOllama(ollamaOptions);
  const port = await freePort();
  const temporal = `127.0.0.1:${port}`;
  const common = ['-ollama', ollama.url, '-temporal', temporal, '-ui', `http://localhost:${port + 1000}`];
  return {
    ollama,
    temporal,
    common,
    stop: async () => {
      stopEmbeddedServer(temporal);
      await ollama.close();
    },
  };
}
