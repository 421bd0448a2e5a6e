// Runs one toolchain command on generated code: its own process group, a hard time limit
// that kills the whole group (go test's test binary, a server a test forked), a minimal
// environment with no secrets, and only the tail of the output kept.
import { execa } from 'execa';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { projectPath } from '../../lib/project-root.js';
import { stateDir } from '../../lib/state-dir.js';
import type { Containment } from './containment.js';
import { groupGone, killGroup, trackGroup, untrackGroup } from './process-groups.js';

export interface RunToolOptions {
  cwd: string;
  timeoutMs: number;
  env: Record<string, string>;
  /** Keep only the last this-many bytes of stdout+stderr. */
  maxOutputBytes?: number;
  signal?: AbortSignal;
  /** Runs the command inside it (containment.ts); the leader of the group is then its wrapper. */
  containment?: Containment;
}

export interface ToolResult {
  /** null when the process was killed (timeout) or died from a signal. */
  exitCode: number | null;
  timedOut: boolean;
  /** stdout and stderr interleaved in arrival order, the last maxOutputBytes of it. */
  output: string;
  durationMs: number;
  /** The child's pid, which is also its process group id (the tests check the whole group is gone). */
  pid: number | undefined;
}

export const DEFAULT_MAX_OUTPUT_BYTES = 1024 * 1024;

// Process groups still running are killed if this process exits first, and recorded on disk
// for the next validation to reap if this process is killed (detached children outlive us otherwise).

/** Keeps the last `max` bytes of a stream of chunks. */
export class OutputTail {
  private chunks: Buffer[] = [];
  private size = 0;
  constructor(private readonly max: number) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size - this.chunks[0]!.length >= this.max) this.size -= this.chunks.shift()!.length;
  }

  toString(): string {
    const all = Buffer.concat(this.chunks);
    if (all.length <= this.max) return all.toString('utf8');
    // A cut lands inside a line: the tail starts at the next whole one (a broken "1" of "19751"
    // read as a line of its own), or, in one long line, past a broken UTF-8 sequence.
    const tail = all.subarray(all.length - this.max);
    if (all[all.length - this.max - 1] === 0x0a) return tail.toString('utf8');
    const newline = tail.indexOf(0x0a);
    return newline >= 0 && newline < tail.length - 1 ? tail.subarray(newline + 1).toString('utf8') : tail.toString('utf8').replace(/^\uFFFD+/, '');
  }
}

/** Never rejects on a non-zero exit; rejects when the command cannot start, or with the signal's reason on abort. */
export async function runTool(cmd: string, args: string[], options: RunToolOptions): Promise<ToolResult> {
  const { cwd, timeoutMs, env, maxOutputBytes = DEFAULT_MAX_OUTPUT_BYTES, signal, containment } = options;
  signal?.throwIfAborted();
  const started = performance.now();
  const tail = new OutputTail(maxOutputBytes);
  const command = containment ? containment.wrap(cmd, args) : { file: cmd, args };
  const child = execa(command.file, command.args, {
    cwd,
    env,
    extendEnv: false,
    detached: true, // leader of a new process group, so one kill reaches every descendant
    reject: false,
    buffer: false,
    stdin: 'ignore',
  });
  const pgid = child.pid;
  if (pgid !== undefined) trackGroup(pgid);
  child.stdout?.on('data', (c: Buffer) => tail.push(c));
  child.stderr?.on('data', (c: Buffer) => tail.push(c));
  // When the leader exits, anything it left behind in its group goes too.
  child.on('exit', () => pgid !== undefined && killGroup(pgid));

  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    if (pgid !== undefined) killGroup(pgid);
  }, timeoutMs);
  const onAbort = () => pgid !== undefined && killGroup(pgid);
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const result = await child;
    if (result.failed && result.exitCode === undefined && !result.isTerminated) {
      const code = (result as { code?: string }).code;
      if (code === 'ENOENT' && !existsSync(cwd)) throw new Error(`${cmd}: working folder ${cwd} does not exist`);
      throw new Error(code === 'ENOENT' ? `${cmd}: not found on PATH` : `${cmd} could not start: ${result.message}`);
    }
    if (pgid !== undefined) await groupGone(pgid); // the group was killed when its leader ended
    signal?.throwIfAborted();
    return { exitCode: result.exitCode ?? null, timedOut, output: tail.toString(), durationMs: Math.round(performance.now() - started), pid: pgid };
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    if (pgid !== undefined) untrackGroup(pgid);
  }
}

export interface ToolchainDirs {
  goCacheDir: string;
  homeDir: string;
  /** Validation scratch folders, <pid>-xxxxxx each, swept when their worker is gone. */
  scratchDir: string;
}

/** Folders the toolchain may write: under $OVERNIGHT_STATE_DIR or ~/.local/state/overnight-llm. */
export function defaultToolchainDirs(): ToolchainDirs {
  const state = stateDir();
  return { goCacheDir: path.join(state, 'go-build'), homeDir: path.join(state, 'go-home'), scratchDir: path.join(state, 'validate-tmp') };
}

/**
 * The module cache generated projects build from: set-up (scripts/setup.sh) downloads into it
 * the SQLite driver that core/go/gomod.ts pins, since builds have no network. Read only here.
 */
export const GO_MOD_CACHE = projectPath('.tools', 'go-mod');

/**
 * The whole environment the toolchain sees: PATH to find go, our own HOME and caches,
 * no network (GOPROXY=off, no checksum database; modules come from GO_MOD_CACHE), no cgo,
 * no telemetry, and none of the user's other variables, so generated code never sees a secret.
 */
export function toolchainEnv(dirs: Pick<ToolchainDirs, 'goCacheDir' | 'homeDir'> = defaultToolchainDirs()): Record<string, string> {
  const { goCacheDir, homeDir } = dirs;
  mkdirSync(goCacheDir, { recursive: true });
  mkdirSync(homeDir, { recursive: true });
  return {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: homeDir,
    GOCACHE: goCacheDir,
    GOPATH: path.join(homeDir, 'go'),
    GOMODCACHE: GO_MOD_CACHE,
    GOPROXY: 'off',
    GOSUMDB: 'off',
    GOFLAGS: '-mod=mod',
    GOTOOLCHAIN: 'local',
    CGO_ENABLED: '0',
    GOTELEMETRY: 'off',
  };
}
