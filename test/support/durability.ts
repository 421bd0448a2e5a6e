// Helpers for the durability tests: the real CLI as a child process we can kill, stop and
// interrupt, the scripted Ollama as its own process (so it can be stopped too), and the
// checks that a run which survived all that redid nothing and lost nothing.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { sha256 } from '../../activities/files/write-file.js';
import { defaultToolchainDirs } from '../../activities/go/run-tool.js';
import { embeddedServerFor } from '../../client/temporal-server.js';
import { readStatusJson } from './status-schema.js';
import { freePort, spawnCli } from './cli.js';
import { FIXTURE_DIR, tmpDir } from './run-fixtures.js';

const OLLAMA_MAIN = fileURLToPath(new URL('./scripted-ollama-main.ts', import.meta.url));

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns something truthy; throws naming `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => T | Promise<T>, timeoutMs = 120_000, everyMs = 100): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}`);
    await sleep(everyMs);
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    // A zombie answers kill(0) but is gone for every purpose here.
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** The scripted Ollama in its own process, logging every call's start and end to files. */
export interface OllamaProcess {
  url: string;
  pid: number;
  callsFile: string;
  endsFile: string;
  stop(): Promise<void>;
}

/** The call the durability tests kill, pause or cancel inside: the longest answer of the todo fixture. */
export const HANDLERS_FILE = 'internal/handlers/todo_handler.go';

/**
 * `slowFiles`: pace only the calls for these files at `tokensPerSecond` and answer every other call
 * at once (the pace is there to land a kill inside one call; slowing every call only costs time).
 */
export async function startOllamaProcess(dir: string, tokensPerSecond: number, name = 'ollama', slowFiles: string[] = []): Promise<OllamaProcess> {
  const callsFile = path.join(dir, `${name}-calls.jsonl`);
  const endsFile = path.join(dir, `${name}-ends.jsonl`);
  const args = [
    '--import',
    'tsx',
    OLLAMA_MAIN,
    '--port',
    '0',
    '--scenario',
    'good',
    '--tokens-per-second',
    String(tokensPerSecond),
    '--calls-file',
    callsFile,
    '--ends-file',
    endsFile,
    ...slowFiles.flatMap((f) => ['--slow-file', f]),
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => line.startsWith('listening ') && resolve(line.slice('listening '.length)));
    child.once('exit', (code) => reject(new Error(`the scripted Ollama exited with ${code} before listening`)));
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGCONT'); // in case a test left it stopped
    child.kill('SIGTERM');
    await exited;
  };
  return { url, pid: child.pid!, callsFile, endsFile, stop };
}

interface CallRecord {
  index: number;
  file?: string;
  /** A hash of the request: the same request asked again has the same one. */
  request: string;
  pid: number;
  at: number;
}
interface EndRecord extends CallRecord {
  complete: boolean;
  chunksSent: number;
  chunks: number;
}

function jsonLines<T>(file: string): T[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
}

/** What the scripted Ollama saw: each call with how it ended, keyed by the file asked for (the plan has none). */
export function ollamaCalls(o: Pick<OllamaProcess, 'callsFile' | 'endsFile'>) {
  const ends = jsonLines<EndRecord>(o.endsFile);
  return jsonLines<CallRecord>(o.callsFile).map((c) => ({
    ...c,
    key: c.file ?? 'plan',
    end: ends.find((e) => e.pid === c.pid && e.index === c.index) ?? null,
  }));
}
export type OllamaCall = ReturnType<typeof ollamaCalls>[number];

/** Calls, calls cut off before their answer was whole, and calls redone although an earlier one for the same file had finished. */
export function callFigures(calls: OllamaCall[]) {
  const finished = new Set<string>();
  let cutOff = 0;
  let redone = 0;
  for (const c of calls) {
    if (finished.has(c.key)) redone++;
    if (c.end?.complete) finished.add(c.key);
    else cutOff++;
  }
  return { calls: calls.length, distinct: new Set(calls.map((c) => c.key)).size, cutOff, redoneBeyondCutOff: redone };
}

/** The CLI as a child process, its output gathered line by line. */
export class CliProcess {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(args: string[], env: NodeJS.ProcessEnv) {
    this.child = spawnCli(args, env);
    this.child.stdout!.on('data', (c: Buffer) => (this.stdout += c.toString()));
    this.child.stderr!.on('data', (c: Buffer) => (this.stderr += c.toString()));
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** The run id from the `run <id>: <link>` line. */
  async runId(timeoutMs = 90_000): Promise<string> {
    return (await waitFor('the run id on stderr', () => /^run (\S+):/m.exec(this.stderr)?.[1], timeoutMs)) as string;
  }

  async waitForStdout(pattern: RegExp, timeoutMs = 180_000): Promise<void> {
    await waitFor(`${pattern} on the CLI's stdout`, () => pattern.test(this.stdout) || this.ended(), timeoutMs);
    if (!pattern.test(this.stdout)) throw new Error(`the CLI ended before printing ${pattern}:\n${this.transcript()}`);
  }

  ended(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (this.ended()) return;
    this.child.kill(signal);
    if (signal === 'SIGKILL') await this.exited;
  }

  /** Waits for the exit; kills it after `timeoutMs` (and says so in the error). */
  async result(timeoutMs = 300_000): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }> {
    const started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), timeoutMs)));
    const r = await Promise.race([this.exited, timedOut]);
    clearTimeout(timer);
    if (!r) {
      await this.kill();
      throw new Error(`the CLI did not exit within ${timeoutMs / 1000}s:\n${this.transcript()}`);
    }
    return { ...r, ms: Date.now() - started };
  }

  transcript(): string {
    return `--- stdout\n${this.stdout}--- stderr\n${this.stderr}`;
  }
}

/** One test file's world: a Temporal address of its own, a scratch folder, and the CLI's flags. */
export interface Bench {
  temporal: string;
  dir: string;
  /** The TMPDIR the CLI uses (validation scratch is under the state dir: scratchFoldersOf). */
  tmp: string;
  env: NodeJS.ProcessEnv;
  /** The flags of one run: output folder, mirror, Ollama, Temporal, 5 s heartbeat timeout. */
  runArgs(name: string, serverUrl: string, extra?: string[]): { args: string[]; output: string; db: string };
}

export async function bench(prefix: string): Promise<Bench> {
  const port = await freePort();
  const temporal = `127.0.0.1:${port}`;
  const dir = tmpDir(prefix);
  const tmp = path.join(dir, 'tmp');
  mkdirSync(tmp);
  return {
    temporal,
    dir,
    tmp,
    env: { TMPDIR: tmp },
    runArgs(name, serverUrl, extra = []) {
      const output = path.join(dir, name);
      const db = path.join(dir, `${name}.db`);
      const args = [
        '-output',
        output,
        '-db',
        db,
        '-ollama',
        serverUrl,
        '-temporal',
        temporal,
        '-ui',
        `http://localhost:${port + 1000}`,
        '-heartbeat-timeout',
        '5',
        ...extra,
      ];
      return { args, output, db };
    },
  };
}

export function embeddedServerPid(temporal: string): number | null {
  const { pidFile } = embeddedServerFor(temporal);
  return existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) : null;
}

/** The validation scratch folders (<state dir>/validate-tmp/<pid>-…) of the workers with these pids. */
export function scratchFoldersOf(pids: number[]): string[] {
  const { scratchDir } = defaultToolchainDirs();
  if (!existsSync(scratchDir)) return [];
  return readdirSync(scratchDir)
    .filter((name) => pids.some((pid) => name.startsWith(`${pid}-`)))
    .map((name) => path.join(scratchDir, name));
}

/** Processes (other than this one) whose cwd, executable or command line lies inside one of `dirs`. */
export function processesInside(dirs: string[]): { pid: number; cmdline: string; cwd: string }[] {
  const inside = (p: string) => dirs.some((d) => p === d || p.startsWith(d + path.sep) || p.includes(d + path.sep));
  const found = [];
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid === process.pid || !isAlive(pid)) continue;
    let cwd = '';
    let exe = '';
    let cmdline = '';
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
      cwd = readlinkSync(`/proc/${pid}/cwd`);
      exe = readlinkSync(`/proc/${pid}/exe`);
    } catch {
      // gone, or not ours to look at
    }
    if (inside(cwd) || inside(exe) || inside(cmdline)) found.push({ pid, cmdline, cwd });
  }
  return found;
}

/** The direct children of `pid` with their working folders and command lines (cheap enough to poll every few ms). */
export function childrenOf(pid: number): { pid: number; cwd: string; cmdline: string }[] {
  const pids: number[] = [];
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      pids.push(...readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').split(' ').filter(Boolean).map(Number));
    }
  } catch {
    // gone
  }
  return pids.flatMap((child) => {
    try {
      const cmdline = readFileSync(`/proc/${child}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
      return [{ pid: child, cwd: readlinkSync(`/proc/${child}/cwd`), cmdline }];
    } catch {
      return [];
    }
  });
}

/** Every file under `root`, relative. */
export function filesUnder(root: string, rel = ''): string[] {
  return readdirSync(path.join(root, rel), { withFileTypes: true }).flatMap((e) => {
    const p = rel ? `${rel}/${e.name}` : e.name;
    return e.isDirectory() ? filesUnder(root, p) : [p];
  });
}

/** What "nothing lost" means for a finished output folder; returns the problems found (none is good). */
/** What a run's folder must hold after kills and pauses; `modelFiles` (-strategy whole): the model's answers, byte for byte. */
export function outputProblems(output: string, { modelFiles = true } = {}): string[] {
  const problems: string[] = [];
  const status = readStatusJson(output);
  if (status.run.status !== 'completed') problems.push(`status.json says ${status.run.status}: ${status.run.error}`);
  if (status.validation?.final.ok !== true) problems.push('status.json: the final validation is not ok');
  if (status.files.length < 7) problems.push(`status.json lists ${status.files.length} files`);
  for (const f of status.files) {
    const abs = path.join(output, f.path);
    if (!existsSync(abs)) problems.push(`${f.path} is listed in status.json but missing`);
    else if (sha256(readFileSync(abs)) !== f.sha256) problems.push(`${f.path} does not match its sha256 in status.json`);
  }
  for (const f of filesUnder(output)) if (f.includes('.tmp-')) problems.push(`leftover temporary file ${f}`);
  // Not only what status.json claims: the scripted model (scenario good) answers with the fixture's
  // files, a known-good API (the activities layer builds, tests and smoke-runs it), so each must be
  // there byte for byte, however often the run was killed or paused.
  for (const f of modelFiles ? filesUnder(FIXTURE_DIR).filter((p) => p.endsWith('.go')) : []) {
    const abs = path.join(output, f);
    if (!existsSync(abs)) problems.push(`${f} was never written`);
    else if (!readFileSync(abs).equals(readFileSync(path.join(FIXTURE_DIR, f)))) problems.push(`${f} differs from the model's answer`);
  }
  return problems;
}
