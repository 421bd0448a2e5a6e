// The smoke run: build the real server, start it on a free port and walk the CRUD cycle
// over HTTP, the way a user's first curl session would. The log it returns is stable from
// run to run (no timings, no port), so an unchanged failure compares equal.
import { execa } from 'execa';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { freePort } from '../../lib/free-port.js';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Agent, request as httpRequest } from 'undici';
import type { ApiSpec, FieldSpec } from '../../core/types.js';
import type { Containment } from './containment.js';
import { killGroup, trackGroup, untrackGroup } from './process-groups.js';
import { OutputTail, runTool } from './run-tool.js';

export interface SmokeOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Build and run the server inside it. */
  containment?: Containment;
  /** Where the scratch folder (the server binary) goes; os.tmpdir() by default. */
  scratchParent?: string;
  /** The bodies to create and replace with (a plan's rules refuse sampleBody's values); sampleBody's by default. */
  bodies?: SmokeBodies;
}

export interface SmokeBodies {
  create: Record<string, unknown>;
  update: Record<string, unknown>;
}

export interface SmokeResult {
  ok: boolean;
  /** One line per request with its status; the server's own output when it did not come up. */
  outputTail: string;
  durationMs: number;
  /** The file to blame: the server main when it never answered, else the handlers. */
  phase: 'server' | 'handlers' | null;
}

const READY_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 3_000;
const SOCKET = 'http.sock';

// A server in its own network namespace is unreachable from here, and a unix socket file is
// not: this relay runs beside it inside the namespace and carries each connection on the
// socket to its 127.0.0.1:PORT. (A veth pair would need real root; probing from inside the
// namespace would mean running this module there.)
const RELAY = `const net = require('node:net');
const port = Number(process.argv[2]);
net.createServer((c) => {
  const u = net.connect(port, '127.0.0.1');
  const end = () => (c.destroy(), u.destroy());
  c.on('error', end).on('close', end);
  u.on('error', end).on('close', end);
  c.pipe(u).pipe(c);
}).listen(process.argv[1]);`;

/** How the smoke run starts the server and reaches it: directly on 127.0.0.1, or through the relay. */
function serverLaunch(binary: string, tmp: string, port: number, containment?: Containment) {
  if (!containment?.isolatesNetwork) {
    const { file, args } = containment ? containment.wrap(binary, []) : { file: binary, args: [] };
    return { file, args, dispatcher: undefined, connectPath: undefined };
  }
  // The relay listens on a relative name (a unix socket path has at most 107 bytes); we connect
  // through a short link to the scratch folder when the full path is too long.
  let connectPath = path.join(tmp, SOCKET);
  if (connectPath.length > 100) {
    const link = path.join(mkdtempSync(path.join(os.tmpdir(), 'overnight-smoke-link-')), 's');
    symlinkSync(tmp, link);
    connectPath = path.join(link, SOCKET);
  }
  const { file, args } = containment.wrap('/bin/sh', ['-c', '"$0" -e "$1" "$2" "$3" & exec "$4"', process.execPath, RELAY, SOCKET, String(port), binary]);
  return { file, args, dispatcher: new Agent({ connect: { socketPath: connectPath } }), connectPath };
}

/** A body with every field of the spec but the id, filled with values of the right type. */
export function sampleBody(fields: FieldSpec[], variant: 'create' | 'update'): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const f of fields) {
    if (f.json.toLowerCase() === 'id' || f.name.toLowerCase() === 'id') continue;
    const update = variant === 'update';
    body[f.json] =
      f.type === 'string'
        ? `${update ? 'updated' : 'smoke'} ${f.json}`
        : f.type === 'bool'
          ? update
          : f.type === 'float64'
            ? update
              ? 2.5
              : 1.5
            : update
              ? 2
              : 1;
  }
  return body;
}

function idOf(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return null;
  const id = (value as Record<string, unknown>).id ?? (value as Record<string, unknown>).ID;
  return typeof id === 'number' || typeof id === 'string' ? String(id) : null;
}

/** The items of a list answer: a bare array, or the first array inside an object. */
function itemsOf(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (typeof value === 'object' && value !== null) return (Object.values(value).find(Array.isArray) as unknown[] | undefined) ?? [];
  return [];
}

type Answer = { status: number; text: string; json: unknown };
type Request = (method: string, urlPath: string, body?: string) => Promise<Answer>;

/** One HTTP request to the server, JSON-parsed when it is JSON; throws when nothing answers in time. */
function requester(base: string, dispatcher: Agent | undefined, signal?: AbortSignal): Request {
  return async (method, urlPath, body) => {
    const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
    const res = await httpRequest(base + urlPath, {
      method: method as 'GET',
      body,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      signal: signal ? AbortSignal.any([timeout, signal]) : timeout,
      dispatcher,
    });
    const text = await res.body.text();
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      // not JSON: fine for DELETE and errors
    }
    return { status: res.statusCode, text, json };
  };
}

/** The server started in its own process group, recorded for the reaper, its output kept. */
function startServer(launch: ReturnType<typeof serverLaunch>, tmp: string, port: number, env: Record<string, string>) {
  const output = new OutputTail(16_384);
  const server = execa(launch.file, launch.args, {
    cwd: tmp,
    env: { ...env, PORT: String(port) },
    extendEnv: false,
    detached: true,
    reject: false,
    buffer: false,
    stdin: 'ignore',
  });
  if (server.pid !== undefined) trackGroup(server.pid, tmp); // reaped (with its binary) by the next validation if this worker is killed
  server.stdout?.on('data', (c: Buffer) => output.push(c));
  server.stderr?.on('data', (c: Buffer) => output.push(c));
  const state = { exited: false };
  server.on('exit', () => (state.exited = true));
  server.catch(() => undefined); // its end is watched through `exited`
  // Stable from run to run: no timestamps, no port.
  const stableOutput = () =>
    output
      .toString()
      .replace(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d(?:\.\d+)? /gm, '')
      .replaceAll(String(port), '$PORT')
      .trimEnd();
  return { server, hasExited: () => state.exited, stableOutput };
}

/** Waits until the server answers anything (a refused connection means not yet); the log line why not when it never does. */
async function untilListening(request: Request, collection: string, hasExited: () => boolean, signal?: AbortSignal): Promise<string | null> {
  const readyBy = performance.now() + READY_TIMEOUT_MS;
  for (;;) {
    signal?.throwIfAborted();
    if (hasExited()) return 'the server exited before answering on $PORT';
    try {
      await request('GET', collection);
      return null;
    } catch {
      if (performance.now() > readyBy) return `the server did not answer on 127.0.0.1:$PORT within ${READY_TIMEOUT_MS / 1000}s (does main.go listen on $PORT?)`;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** The CRUD cycle a user's first curl session walks; true when every answer was one expected. */
async function crudCycle(request: Request, log: string[], spec: ApiSpec, bodies?: SmokeBodies): Promise<boolean> {
  /** One request; null (and a log line with the body) when the status is not one expected. */
  const expect = async (method: string, urlPath: string, want: number[], body?: string) => {
    let res: Answer;
    try {
      res = await request(method, urlPath, body);
    } catch (err) {
      log.push(`${method} ${urlPath}${body ? ` ${body}` : ''} -> no answer (${(err as Error).name}), want ${want.join(' or ')}`);
      return null;
    }
    const ok = want.includes(res.status);
    log.push(`${method} ${urlPath}${body ? ` ${body}` : ''} -> ${res.status}${ok ? '' : `, want ${want.join(' or ')}: ${res.text.trim().slice(0, 300)}`}`);
    return ok ? res : null;
  };
  const collection = `/${spec.plural}`;
  const created = await expect('POST', collection, [201], JSON.stringify(bodies?.create ?? sampleBody(spec.fields, 'create')));
  if (!created) return false;
  const id = idOf(created.json);
  if (id === null) {
    log.push(`the POST answer has no "id" (or "ID") field: ${created.text.trim().slice(0, 300)}`);
    return false;
  }
  const item = `${collection}/${id}`;
  const list = await expect('GET', collection, [200]);
  if (!list) return false;
  if (!itemsOf(list.json).some((x) => idOf(x) === id)) {
    log.push(`the list does not contain id ${id}: ${list.text.trim().slice(0, 300)}`);
    return false;
  }
  const cycle: [string, string, number[], string?][] = [
    ['GET', item, [200]],
    ['PUT', item, [200], JSON.stringify(bodies?.update ?? sampleBody(spec.fields, 'update'))],
    ['DELETE', item, [200, 204]],
    ['GET', item, [404]],
    ['POST', collection, [400], '{"not json'],
  ];
  for (const [method, urlPath, want, body] of cycle) if (!(await expect(method, urlPath, want, body))) return false;
  return true;
}

export async function smokeRun(outputDir: string, spec: ApiSpec, env: Record<string, string>, options: SmokeOptions = {}): Promise<SmokeResult> {
  const started = performance.now();
  const { timeoutMs = 120_000, signal, containment, scratchParent = os.tmpdir() } = options;
  const log: string[] = [];
  const done = (ok: boolean, phase: SmokeResult['phase']): SmokeResult => ({
    ok,
    outputTail: log.join('\n'),
    durationMs: Math.round(performance.now() - started),
    phase,
  });
  const tmp = mkdtempSync(path.join(scratchParent, 'overnight-smoke-'));
  let server: ReturnType<typeof execa> | undefined;
  let launch: ReturnType<typeof serverLaunch> | undefined;
  try {
    const binary = path.join(tmp, 'server');
    const build = await runTool('go', ['build', '-o', binary, './cmd/server'], { cwd: outputDir, env, timeoutMs, maxOutputBytes: 16_384, signal, containment });
    if (build.exitCode !== 0) {
      log.push(`go build ./cmd/server failed${build.timedOut ? ' (time limit)' : ''}`, build.output.trimEnd());
      return done(false, 'server');
    }
    const port = await freePort();
    launch = serverLaunch(binary, tmp, port, containment);
    const running = startServer(launch, tmp, port, env);
    server = running.server;
    const request = requester(`http://127.0.0.1:${port}`, launch.dispatcher, signal);
    const notListening = await untilListening(request, `/${spec.plural}`, running.hasExited, signal);
    if (notListening) {
      log.push(notListening, running.stableOutput());
      return done(false, 'server');
    }
    return (await crudCycle(request, log, spec, options.bodies)) ? done(true, null) : done(false, 'handlers');
  } finally {
    if (server?.pid !== undefined) {
      killGroup(server.pid);
      await server.catch(() => undefined);
      untrackGroup(server.pid);
    }
    await launch?.dispatcher?.destroy();
    if (launch?.connectPath && !launch.connectPath.startsWith(tmp)) rmSync(path.dirname(path.dirname(launch.connectPath)), { recursive: true, force: true });
    rmSync(tmp, { recursive: true, force: true });
  }
}
