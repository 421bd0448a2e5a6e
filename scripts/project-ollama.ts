// The project's own Ollama (built and stocked by scripts/setup-ollama.sh), started on a free
// loopback port with its own OLLAMA_MODELS, for the real-model tests, `make bench-models`
// and `make run-local`. As a command it runs another command with OLLAMA_HOST pointing at it:
//   node --import tsx scripts/project-ollama.ts -- node bin/overnight-llm.js -model smollm2-135m …
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync } from 'node:fs';
import { freePort } from '../lib/free-port.js';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROJECT_ROOT } from '../lib/project-root.js';

const ROOT = PROJECT_ROOT;
export const PROJECT_TOOLS = path.join(ROOT, '.tools');
export const PROJECT_MODELS = path.join(PROJECT_TOOLS, 'ollama-models');

export interface ProjectOllama {
  url: string;
  /** The server's log (stdout+stderr). */
  logFile: string;
  process: ChildProcess;
  /** Signals the server and the model runners it started (one process group): a runner outlives a killed server otherwise. */
  kill(signal: NodeJS.Signals): void;
  stop(): Promise<void>;
}

/** The ollama binary to use: on PATH, or the one setup-ollama.sh built; undefined when neither. */
export function ollamaBinary(): string | undefined {
  const onPath = spawnSync('sh', ['-c', 'command -v ollama'], { encoding: 'utf8' }).stdout.trim();
  if (onPath) return onPath;
  const built = path.join(PROJECT_TOOLS, 'bin', 'ollama');
  return existsSync(built) ? built : undefined;
}

/** Whether `model` was imported into the project's OLLAMA_MODELS by setup-ollama.sh. */
export function hasProjectModel(model: string): boolean {
  const [name, tag = 'latest'] = model.split(':');
  return existsSync(path.join(PROJECT_MODELS, 'manifests', 'registry.ollama.ai', 'library', name!, tag));
}

/** `port`: the same port again (a test that stops the server and starts it where the run expects it). */
export async function startProjectOllama(options: { logFile?: string; startTimeoutMs?: number; port?: number } = {}): Promise<ProjectOllama> {
  const binary = ollamaBinary();
  if (!binary) throw new Error('no Ollama here: run `make ollama` (scripts/setup-ollama.sh) first');
  const port = options.port ?? (await freePort());
  const host = `127.0.0.1:${port}`;
  const logFile = options.logFile ?? path.join(ROOT, '.state', `ollama-${port}.log`);
  mkdirSync(path.dirname(logFile), { recursive: true });
  const log = openSync(logFile, options.port ? 'a' : 'w');
  const child = spawn(binary, ['serve'], {
    // Loaded models stay in memory between calls of a run; one at a time on these 2-core machines.
    env: { ...process.env, OLLAMA_HOST: host, OLLAMA_MODELS: PROJECT_MODELS, OLLAMA_KEEP_ALIVE: '10m', OLLAMA_MAX_LOADED_MODELS: '1' },
    stdio: ['ignore', log, log],
    // Its own process group, so the model runners it starts go with it (a SIGKILLed server left a runner of ~840 MB behind).
    detached: true,
  });
  const kill = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // the group is gone already
    }
  };
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://${host}`;
  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`ollama serve exited with ${child.exitCode}: see ${logFile}`);
    try {
      if ((await fetch(`${url}/api/version`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      kill('SIGKILL');
      throw new Error(`ollama serve did not answer within ${options.startTimeoutMs ?? 30_000} ms: see ${logFile}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    logFile,
    process: child,
    kill,
    async stop() {
      if (child.exitCode === null) kill('SIGTERM');
      const killer = setTimeout(() => kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
      kill('SIGKILL'); // a runner the server did not take down with it
    },
  };
}

async function main(argv: string[]): Promise<number> {
  const command = argv[0] === '--' ? argv.slice(1) : argv;
  if (command.length === 0) {
    console.error('usage: project-ollama.ts -- COMMAND [ARGS…]   (runs COMMAND with OLLAMA_HOST set to the project Ollama)');
    return 2;
  }
  const ollama = await startProjectOllama();
  console.error(`project Ollama at ${ollama.url} (log ${path.relative(process.cwd(), ollama.logFile)})`);
  const child = spawn(command[0]!, command.slice(1), { stdio: 'inherit', env: { ...process.env, OLLAMA_HOST: ollama.url } });
  // Ctrl-C reaches the command (same process group); we wait for it, then stop the server.
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => {});
  const code = await new Promise<number>((resolve) => child.once('exit', (c, s) => resolve(c ?? (s === 'SIGINT' ? 130 : 1))));
  await ollama.stop();
  return code;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: Error) => {
      console.error(`project-ollama: ${err.message}`);
      process.exit(1);
    },
  );
}
