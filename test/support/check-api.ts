// An independent verdict on a generated API: go vet, go build, go test with coverage over every
// package, and a CRUD cycle against the built server, all run here with plain child processes.
// It shares no code with the pipeline's validate phase (activities/go/), so a bug there cannot
// make both say "valid". Used by `make bench-models` and the real test layer.
import { execa, type ResultPromise } from 'execa';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { freePort } from '../../lib/free-port.js';

export type FieldType = 'string' | 'int' | 'int64' | 'float64' | 'bool';

export interface CheckSpec {
  resource: string;
  plural: string;
  /** `sample`: the value a create sends, when the API's own description asks for one (a date, an enum value, a number in range). */
  fields: Array<{ name: string; type: FieldType; json: string; required: boolean; sample?: unknown }>;
}

export interface ApiCheck {
  vet: boolean;
  build: boolean;
  test: boolean;
  coveragePercent: number | null;
  crud: boolean;
  valid: boolean;
  /** One line a step (and the tail of what failed), for a person. */
  details: string;
}

export const COVERAGE_GOAL = 70;
const COMMAND_TIMEOUT_MS = 5 * 60_000;
const READY_TIMEOUT_MS = 15_000;
const REQUEST_TIMEOUT_MS = 5_000;
const TAIL_CHARS = 1500;

// One build cache for every check in this process and after: a cold one costs ~1 min of CPU. In the
// suite's state folder (scripts/test.sh), which outlives the suite's temporary folders.
const CACHE_ROOT = path.join(process.env.OVERNIGHT_STATE_DIR ?? os.tmpdir(), 'check-api-cache');
const GO_ENV = {
  GOFLAGS: '-mod=mod',
  GOPROXY: 'off',
  GOTOOLCHAIN: 'local',
  CGO_ENABLED: '0',
  GOCACHE: path.join(CACHE_ROOT, 'go-build'),
  GOPATH: path.join(CACHE_ROOT, 'gopath'),
  // The modules set-up fetched (modernc.org/sqlite, for -strategy plan's SQLite store); whole and guided outputs need none.
  GOMODCACHE: fileURLToPath(new URL('../../.tools/go-mod', import.meta.url)),
  GOWORK: 'off',
  GOTELEMETRY: 'off',
};

const tail = (text: string) => (text.length > TAIL_CHARS ? `…${text.slice(-TAIL_CHARS)}` : text).trimEnd();

/** Kills a child's whole process group (go test's test binaries, a server's children). */
function killGroup(child: ResultPromise): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** A go command in its own process group, killed with its children when `timeoutMs` runs out. */
async function go(args: string[], cwd: string, timeoutMs = COMMAND_TIMEOUT_MS): Promise<{ ok: boolean; output: string }> {
  const child = execa('go', args, { cwd, env: GO_ENV, detached: true, reject: false, all: true, stdin: 'ignore' });
  let timedOut = false;
  const timer = setTimeout(() => ((timedOut = true), killGroup(child)), timeoutMs);
  const result = await child;
  clearTimeout(timer);
  const output = `${result.all ?? ''}${timedOut ? `\n(killed after ${timeoutMs / 1000} s)` : ''}`;
  return { ok: result.exitCode === 0 && !timedOut, output };
}

/** The `total:` line of `go tool cover -func`, in percent. */
export function coverageTotal(coverFunc: string): number | null {
  const match = /^total:\s+\(statements\)\s+([\d.]+)%/m.exec(coverFunc);
  return match ? Number(match[1]) : null;
}

/**
 * A POST body with every field but the id: strings "sample <json>", numbers 7 or 1.5, true; the
 * PUT body (`update`) sets bools to false, which a working API must take as a value.
 */
export function sampleBody(spec: CheckSpec, update = false): Record<string, unknown> {
  const value = (f: CheckSpec['fields'][number]) =>
    f.type === 'bool' ? !update : f.sample !== undefined ? f.sample : f.type === 'string' ? `sample ${f.json}` : f.type === 'float64' ? 1.5 : 7;
  return Object.fromEntries(spec.fields.filter((f) => f.json.toLowerCase() !== 'id').map((f) => [f.json, value(f)]));
}

/** Resolves once something accepts connections on 127.0.0.1:port; false when the server exits or time runs out. */
async function waitForPort(port: number, exited: () => boolean): Promise<boolean> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline && !exited()) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (open) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

const idOf = (value: unknown) => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>).id : undefined);

/** A list answer's items: a bare array, or the first array in an object around one ({"items": [...]}). */
function itemsOf(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  const inner = typeof value === 'object' && value !== null ? Object.values(value).find(Array.isArray) : undefined;
  return (inner as unknown[] | undefined) ?? [];
}

/** The CRUD cycle; each request adds a line to `log`, and the first unexpected answer ends it. */
async function crudCycle(base: string, spec: CheckSpec, log: string[]): Promise<boolean> {
  const body = JSON.stringify(sampleBody(spec));
  const call = async (method: string, url: string, want: number, send?: string) => {
    const res = await fetch(base + url, {
      method,
      body: send,
      headers: send ? { 'content-type': 'application/json' } : {},
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await res.text();
    log.push(`${method} ${url} -> ${res.status}${res.status === want ? '' : `, want ${want}: ${text.trim().slice(0, 200)}`}`);
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      // not JSON: fine for DELETE
    }
    return res.status === want ? { json, text } : null;
  };
  const collection = `/${spec.plural}`;
  const created = await call('POST', collection, 201, body);
  const id = idOf(created?.json);
  if (!created || typeof id !== 'number') {
    if (created) log.push(`the POST answer has no numeric "id": ${created.text.trim().slice(0, 200)}`);
    return false;
  }
  const list = await call('GET', collection, 200);
  if (!list || !itemsOf(list.json).some((x) => idOf(x) === id)) {
    if (list) log.push(`the list does not hold id ${id}: ${list.text.trim().slice(0, 200)}`);
    return false;
  }
  const item = `${collection}/${id}`;
  const update = JSON.stringify(sampleBody(spec, true));
  return Boolean(
    (await call('GET', item, 200)) && (await call('PUT', item, 200, update)) && (await call('DELETE', item, 204)) && (await call('GET', item, 404)),
  );
}

/** Builds ./cmd/server, runs it on a free port and walks the CRUD cycle; the server is always killed. */
async function checkCrud(outputDir: string, spec: CheckSpec, scratch: string, log: string[]): Promise<boolean> {
  const binary = path.join(scratch, 'server');
  const built = await go(['build', '-o', binary, './cmd/server'], outputDir);
  if (!built.ok) return (log.push(`go build ./cmd/server failed:\n${tail(built.output)}`), false);
  const port = await freePort();
  const server = execa(binary, [], { cwd: scratch, env: { PORT: String(port) }, extendEnv: false, detached: true, reject: false, all: true, stdin: 'ignore' });
  let exited = false;
  void server.then(() => (exited = true));
  let ok = false;
  try {
    if (!(await waitForPort(port, () => exited))) {
      log.push(`the server did not listen on PORT=${port} within ${READY_TIMEOUT_MS / 1000} s${exited ? ' (it exited)' : ''}`);
      return false;
    }
    ok = await crudCycle(`http://127.0.0.1:${port}`, spec, log);
    return ok;
  } catch (err) {
    log.push(`a request failed: ${(err as Error).message}`);
    return false;
  } finally {
    killGroup(server);
    const { all } = await server;
    // What the server printed explains a failed cycle (a panic, a wrong address).
    if (!ok && all?.trim()) log.push(`server output:\n${tail(all)}`);
  }
}

export async function checkApi(outputDir: string, spec: CheckSpec): Promise<ApiCheck> {
  mkdirSync(CACHE_ROOT, { recursive: true });
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'overnight-check-'));
  const log: string[] = [];
  const step = (name: string, r: { ok: boolean; output: string }) => log.push(r.ok ? `${name}: ok` : `${name}: failed\n${tail(r.output)}`);
  try {
    const vet = await go(['vet', './...'], outputDir);
    step('go vet', vet);
    const build = await go(['build', './...'], outputDir);
    step('go build', build);
    let test = false;
    let coveragePercent: number | null = null;
    let crud = false;
    if (build.ok) {
      const profile = path.join(scratch, 'cover.out');
      // go test's own timeout fires first and says which test hangs.
      const limit = `-timeout=${Math.floor(COMMAND_TIMEOUT_MS / 1000) - 30}s`;
      const tested = await go(['test', '-count=1', limit, '-coverpkg=./...', `-coverprofile=${profile}`, './...'], outputDir);
      step('go test', tested);
      test = tested.ok;
      if (existsSync(profile)) coveragePercent = coverageTotal((await go(['tool', 'cover', `-func=${profile}`], outputDir)).output);
      log.push(`coverage: ${coveragePercent === null ? 'no profile' : `${coveragePercent}%`} (goal ${COVERAGE_GOAL}%)`);
      crud = await checkCrud(outputDir, spec, scratch, log);
    } else {
      log.push('go test, CRUD: skipped (the build failed)');
    }
    const valid = vet.ok && build.ok && test && coveragePercent !== null && coveragePercent >= COVERAGE_GOAL && crud;
    return { vet: vet.ok, build: build.ok, test, coveragePercent, crud, valid, details: log.join('\n') };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

const GO_TYPES: Record<string, FieldType> = {
  string: 'string',
  bool: 'bool',
  int: 'int',
  int32: 'int',
  int64: 'int64',
  uint: 'int',
  float64: 'float64',
  float32: 'float64',
};

/** The fields of `type <Resource> struct` (or the file's first struct with json tags) from the models file. */
export function fieldsFromModels(source: string, resource: string): CheckSpec['fields'] {
  const structs = [...source.matchAll(/type\s+(\w+)\s+struct\s*\{([^}]*)\}/g)];
  const chosen = structs.find((m) => m[1]!.toLowerCase() === resource.toLowerCase()) ?? structs.find((m) => m[2]!.includes('json:"'));
  if (!chosen) return [];
  return [...chosen[2]!.matchAll(/^\s*(\w+)\s+(\*?[\w.]+)\s+`[^`]*json:"([^"]*)"[^`]*`/gm)].flatMap(([, name, goType, tag]) => {
    const [json, ...opts] = tag!.split(',');
    const type = GO_TYPES[goType!.replace('*', '')];
    // Types a JSON body cannot fill with our samples (time.Time, nested structs) are left out.
    if (!type || json === '-') return [];
    return [{ name: name!, type, json: json || name!, required: !opts.includes('omitempty') }];
  });
}

/** The collection's path segment from the handlers' routes (`"GET /todos"` or `HandleFunc("/todos"`). */
export function pluralFromHandlers(source: string): string | null {
  const match = /"(?:GET|POST|PUT|DELETE)\s+\/([\w-]+)/.exec(source) ?? /HandleFunc\(\s*"\/([\w-]+)/.exec(source);
  return match ? match[1]! : null;
}

/**
 * What a check needs, from a run's output folder: module and resource from `.overnight-llm.json`
 * (-strategy plan's marker lists its resources: the first is checked); plural and fields from
 * there or status.json when recorded, else from the generated Go files (the resource's own files,
 * or the plan writer's handlers.go and models.go).
 */
export function specFromOutput(outputDir: string): CheckSpec & { module: string } {
  const read = (rel: string) => {
    const file = path.join(outputDir, rel);
    return existsSync(file) ? readFileSync(file, 'utf8') : null;
  };
  const marker = JSON.parse(read('.overnight-llm.json') ?? 'null') as
    (Partial<CheckSpec> & { module?: string; resources?: string[]; spec?: Partial<CheckSpec> }) | null;
  const resource = marker?.resource ?? marker?.resources?.[0];
  if (!resource || !marker?.module) throw new Error(`${outputDir} has no .overnight-llm.json with module and resource: the run never reached scaffold`);
  const status = JSON.parse(read('status.json') ?? 'null') as { spec?: Partial<CheckSpec> } | null;
  const recorded = { ...status?.spec, ...marker.spec, ...marker };
  const { module } = marker;
  const handlers = read(`internal/handlers/${resource}_handler.go`) ?? read('internal/handlers/handlers.go') ?? '';
  const plural = recorded.plural ?? pluralFromHandlers(handlers) ?? `${resource}s`;
  // -strategy plan's projects describe themselves in openapi.yaml: its rules say what a create must send.
  const described = marker.resources ? fieldsFromOpenapi(read('openapi.yaml'), plural) : null;
  const fields = described ?? recorded.fields ?? fieldsFromModels(read(`internal/models/${resource}.go`) ?? read('internal/models/models.go') ?? '', resource);
  return { module, resource, plural, fields };
}

interface Property {
  type?: string;
  format?: string;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  readOnly?: boolean;
}

/** The fields of POST /{plural}'s body in openapi.yaml, each with a value its schema takes; null without one. */
export function fieldsFromOpenapi(yaml: string | null, plural: string): CheckSpec['fields'] | null {
  const doc = yaml ? (parseYaml(yaml) as any) : null;
  let schema = doc?.paths?.[`/${plural}`]?.post?.requestBody?.content?.['application/json']?.schema;
  if (schema?.$ref) schema = doc.components?.schemas?.[String(schema.$ref).split('/').pop()!];
  if (!schema?.properties) return null;
  const required = new Set<string>(schema.required ?? []);
  return Object.entries(schema.properties as Record<string, Property>)
    .filter(([json, p]) => json !== 'id' && !p.readOnly)
    .map(([json, p]) => {
      const type: FieldType = p.type === 'boolean' ? 'bool' : p.type === 'integer' ? 'int64' : p.type === 'number' ? 'float64' : 'string';
      return { name: json, type, json, required: required.has(json), sample: sampleOf(p, json) };
    });
}

/** A value `p` takes: its first enum value, a date or date-time, an e-mail or URL, a number inside its range, a string of its length. */
function sampleOf(p: Property, json: string): unknown {
  if (p.enum?.length) return p.enum[0];
  if (p.type === 'integer' || p.type === 'number') {
    const fallback = p.type === 'integer' ? 7 : 1.5;
    if (p.minimum !== undefined && fallback < p.minimum) return p.minimum;
    if (p.maximum !== undefined && fallback > p.maximum) return p.maximum;
    return fallback;
  }
  if (p.type !== 'string') return undefined;
  const text =
    p.format === 'date'
      ? '2026-01-02'
      : p.format === 'date-time'
        ? '2026-01-02T10:00:00Z'
        : p.format === 'email'
          ? 'sample@example.com'
          : p.format === 'uri' || p.format === 'url'
            ? 'https://example.com/sample'
            : `sample ${json}`;
  if (p.format) return text;
  return text.padEnd(p.minLength ?? 0, 'x').slice(0, p.maxLength ?? Infinity);
}
