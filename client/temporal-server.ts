// Finds the Temporal server, or starts the embedded default: when nothing answers at a
// local address, `temporal server start-dev` runs in the background with its SQLite file
// and the Web UI under the per-user state folder, and outlives this CLI. A deployed server
// (TLS or an API key) is never started here: failing to reach it says why in one line.
import { Connection } from '@temporalio/client';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { projectPath } from '../lib/project-root.js';
import { stateDir } from '../lib/state-dir.js';
import { devServerSearchAttributeArgs } from './search-attributes.js';
import { isSecured, type TemporalConnectOptions } from './temporal-connection.js';
import { tlsProblem } from './tls-problem.js';

/** The Temporal CLI: $OVERNIGHT_TEMPORAL_BIN, then PATH, then the project's .tools/bin. */
export function temporalBinary(): string | null {
  if (process.env.OVERNIGHT_TEMPORAL_BIN) return process.env.OVERNIGHT_TEMPORAL_BIN;
  const onPath = spawnSync('sh', ['-c', 'command -v temporal'], { encoding: 'utf8' });
  if (onPath.status === 0 && onPath.stdout.trim()) return onPath.stdout.trim();
  const local = projectPath('.tools', 'bin', 'temporal');
  return existsSync(local) ? local : null;
}

export function isLocalAddress(address: string): boolean {
  const host = address.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  return ['localhost', '127.0.0.1', '::1'].includes(host);
}

async function tryConnect(options: TemporalConnectOptions, timeoutMs = 3000): Promise<Connection | null> {
  return connectOrError(options, timeoutMs).then((r) => (r instanceof Connection ? r : null));
}

async function connectOrError(options: TemporalConnectOptions, timeoutMs: number): Promise<Connection | Error> {
  try {
    const connection = await Connection.connect({ ...options, connectTimeout: timeoutMs });
    await connection.workflowService.getSystemInfo({});
    return connection;
  } catch (err) {
    return err as Error;
  }
}

export interface EmbeddedServer {
  address: string;
  uiPort: number;
  dbFile: string;
  logFile: string;
  pidFile: string;
}

/** The dev server's files and ports for a local address. */
export function embeddedServerFor(address: string): EmbeddedServer {
  const port = Number(address.split(':').pop());
  const dir = path.join(stateDir(), `temporal-${port}`);
  return { address, uiPort: port + 1000, dbFile: path.join(dir, 'temporal.db'), logFile: path.join(dir, 'server.log'), pidFile: path.join(dir, 'server.pid') };
}

export class TemporalUnavailableError extends Error {}

/** Connects to Temporal, starting the embedded dev server first when needed and allowed. */
export async function connectOrStartTemporal(options: TemporalConnectOptions, log: (line: string) => void): Promise<Connection> {
  const { address } = options;
  const existing = await connectOrError(options, isSecured(options) ? 10_000 : 3000);
  if (existing instanceof Connection) return existing;
  if (isSecured(options)) {
    // The client's own error only says it missed its deadline: a handshake of our own says why.
    const problem = await tlsProblem(options);
    throw new TemporalUnavailableError(
      problem ?? `Temporal did not answer at ${address} (${existing.message}): check -temporal, the API key and the Temporal profile`,
    );
  }
  if (!isLocalAddress(address)) {
    throw new TemporalUnavailableError(`Temporal is not reachable at ${address}: check -temporal, or start a server there`);
  }
  const bin = temporalBinary();
  if (!bin) {
    throw new TemporalUnavailableError(
      `nothing answers at ${address} and the Temporal CLI is not installed: run \`make setup\` (builds it into .tools/bin) or put \`temporal\` on PATH`,
    );
  }
  const server = embeddedServerFor(address);
  mkdirSync(path.dirname(server.dbFile), { recursive: true });
  // Two commands started at once (a worker and a run) both find no server: one starts it, the
  // other waits for it. Two servers on one SQLite file would both fail, and leave it half made.
  const lock = path.join(path.dirname(server.dbFile), 'starting.lock');
  if (!takeLock(lock)) {
    log(`waiting for the Temporal dev server that another overnight-llm is starting on ${address}`);
    const connection = await connectWithin({ address }, 60_000, () => false);
    if (connection) return connection;
    throw new TemporalUnavailableError(`the Temporal dev server did not come up on ${address}: see ${server.logFile}`);
  }
  try {
    // The lock may have been freed by a command that has just started the server: use that one.
    return (await tryConnect(options, 1000)) ?? (await startEmbedded(bin, server, log));
  } finally {
    rmSync(lock, { force: true });
  }
}

/** Creates `lock` holding our pid; false when a live process holds it (a dead one's is taken over). */
function takeLock(lock: string): boolean {
  for (let tries = 0; tries < 2; tries++) {
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(readFileSync(lock, 'utf8'));
      if (holder > 0 && isAlive(holder)) return false;
      rmSync(lock, { force: true });
    }
  }
  return false;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function connectWithin(options: TemporalConnectOptions, ms: number, gaveUp: () => boolean): Promise<Connection | null> {
  for (const deadline = Date.now() + ms; Date.now() < deadline && !gaveUp(); await new Promise((r) => setTimeout(r, 500))) {
    const connection = await tryConnect(options, 2000);
    if (connection) return connection;
  }
  return null;
}

async function startEmbedded(bin: string, server: EmbeddedServer, log: (line: string) => void): Promise<Connection> {
  const { address } = server;
  const port = address.split(':').pop()!;
  const logFd = openSync(server.logFile, 'a');
  const child = spawn(
    bin,
    [
      'server',
      'start-dev',
      '--ip',
      '127.0.0.1',
      '--port',
      port,
      '--ui-port',
      String(server.uiPort),
      '--db-filename',
      server.dbFile,
      '--log-level',
      'warn',
      ...devServerSearchAttributeArgs(),
    ],
    { detached: true, stdio: ['ignore', logFd, logFd] },
  );
  child.unref();
  writeFileSync(server.pidFile, String(child.pid));
  log(`started the Temporal dev server on ${address} (Web UI http://localhost:${server.uiPort}, data ${server.dbFile}, log ${server.logFile})`);
  const connection = await connectWithin({ address }, 60_000, () => child.exitCode !== null);
  if (connection) return connection;
  throw new TemporalUnavailableError(`the Temporal dev server did not come up on ${address}: see ${server.logFile}`);
}
