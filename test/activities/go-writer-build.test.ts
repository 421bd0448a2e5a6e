// The Go projects core/go/ writes, compiled and served for real: go vet and go build offline
// (GOPROXY=off, the module cache set-up fills), the server started on a free loopback port with
// each store, and the contract of docs/generated-api.md checked over HTTP. Every mutant of two
// plans compiles. The build cache lives in $OVERNIGHT_STATE_DIR (default here: .state/test),
// warmed by scripts/setup.sh; a cold one costs about 1.5 minutes more.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { behaviourContract, goProject, mutantsOf, renderBehaviour } from '../../core/go/index.js';
import { EDGE_BODIES, EDGE_PLAN, LIBRARY_BODIES, LIBRARY_PLAN, TODO_PLAN } from '../../core/go/sample-plans.js';
import type { Plan, Store } from '../../core/plan.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
process.env.OVERNIGHT_STATE_DIR ??= path.join(repo, '.state', 'test');
const { runTool, toolchainEnv } = await import('../../activities/go/run-tool.js');
const { freePort } = await import('../../lib/free-port.js');

const env = toolchainEnv();
const scratch = mkdtempSync(path.join(os.tmpdir(), 'go-writer-build-'));
test.after(() => rmSync(scratch, { recursive: true, force: true }));

/** The project on disk with behaviour.go's bodies filled in; its folder. */
function writeProject(plan: Plan, store: Store, mutant?: string): string {
  const dir = mkdtempSync(path.join(scratch, `${plan.module.replace(/\W/g, '-')}-${store}-`));
  const contract = behaviourContract(plan);
  const files = [...goProject(plan, { store, mutant }), { path: contract.path, content: renderBehaviour(contract, { ...LIBRARY_BODIES, ...EDGE_BODIES }) }];
  for (const f of files) {
    mkdirSync(path.dirname(path.join(dir, f.path)), { recursive: true });
    writeFileSync(path.join(dir, f.path), f.content);
  }
  return dir;
}

async function go(dir: string, ...args: string[]): Promise<number> {
  const r = await runTool('go', args, { cwd: dir, env, timeoutMs: 240_000 });
  assert.equal(r.exitCode, 0, `go ${args.join(' ')} in ${dir}:\n${r.output}`);
  return r.durationMs;
}

/** gofmt's form already, vet, then build the server binary; its path. */
async function build(plan: Plan, store: Store): Promise<string> {
  const dir = writeProject(plan, store);
  const unformatted = await runTool('gofmt', ['-l', '.'], { cwd: dir, env, timeoutMs: 60_000 });
  assert.deepEqual([unformatted.exitCode, unformatted.output], [0, ''], 'gofmt would change these files');
  const vet = await go(dir, 'vet', './...');
  const built = await go(dir, 'build', '-o', 'server', './cmd/server');
  console.log(`${plan.module} ${store}: go vet ${vet} ms, go build ${built} ms`);
  return path.join(dir, 'server');
}

interface Server {
  base: string;
  stop(): Promise<number | null>;
}

/** Starts the binary on a free loopback port; resolves once it answers. */
async function serve(binary: string, dbPath: string): Promise<Server> {
  const port = await freePort();
  const child: ChildProcess = spawn(binary, [], { env: { PORT: String(port), DB_PATH: dbPath }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      await fetch(`${base}/`);
      break;
    } catch {
      if (i > 100 || child.exitCode !== null) throw new Error(`the server did not start: ${stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    base,
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

interface Answer {
  status: number;
  body: any;
  headers: Headers;
}

function client(base: string) {
  const call = async (method: string, url: string, body?: unknown): Promise<Answer> => {
    const init: RequestInit = { method, headers: { 'content-type': 'application/json' } };
    if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
    const res = await fetch(base + url, init);
    const text = await res.text();
    if (text) assert.equal(res.headers.get('content-type'), 'application/json', `${method} ${url}: ${text}`);
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
  };
  const expect = async (status: number, method: string, url: string, body?: unknown) => {
    const a = await call(method, url, body);
    assert.equal(a.status, status, `${method} ${url} ${typeof body === 'string' ? body : JSON.stringify(body)} → ${JSON.stringify(a.body)}`);
    if (status >= 400) assert.equal(typeof a.body?.error, 'string', 'errors are {"error": "…"}');
    return a;
  };
  return { call, expect };
}

const ann = { name: 'Ann Lee', email: 'ann@example.com' };

async function checkAuthors({ expect }: ReturnType<typeof client>): Promise<void> {
  const created = await expect(201, 'POST', '/authors', { ...ann, website: 'https://ann.example.com' });
  assert.equal(created.headers.get('location'), '/authors/1');
  assert.deepEqual(created.body, { id: 1, ...ann, website: 'https://ann.example.com' });
  assert.deepEqual((await expect(200, 'GET', '/authors/1')).body, created.body);
  // An id or a page size written as a whole number with a zero fraction is that number, as openapi.yaml's integer is
  // (Schemathesis sent /plots/4.0 to the 0.5B's garden API, and 400 was a schema-valid request refused); 1.5 and "1." are not.
  assert.deepEqual((await expect(200, 'GET', '/authors/1.0')).body, created.body);
  for (const url of ['/authors/1.5', '/authors/1.', '/authors/.0', '/authors?limit=1.5']) await expect(400, 'GET', url);
  assert.equal((await expect(200, 'GET', '/authors?limit=1.0&offset=0.00')).body.length, 1);
  const bad: unknown[] = [
    { ...ann, email: 'b@example.com', nick: 'b' }, // unknown key
    { ...ann, email: 'b@example.com', id: 7 },
    { name: null, email: 'b@example.com' },
    { name: 5, email: 'b@example.com' },
    { name: 'Bob' }, // required
    { name: 'B', email: 'b@example.com' }, // min length
    { name: 'B'.repeat(101), email: 'b@example.com' }, // max length
    { name: 'Bob', email: 'bob' }, // email
    { name: 'Bob', email: 'b@example.com', website: 'ftp://example.com' }, // url
    { name: 'Bob', email: 'b@example.com', website: null },
    '{',
    '{}{}',
    '[]',
    'null',
  ];
  for (const body of bad) await expect(400, 'POST', '/authors', body);
  await expect(409, 'POST', '/authors', { name: 'Other', email: ann.email });
  await expect(413, 'POST', '/authors', JSON.stringify({ ...ann, name: 'x'.repeat(1_100_000) }));
  await expect(201, 'POST', '/authors', { name: 'Bo Yin', email: 'bo@example.com' });
}

async function checkBooks({ expect }: ReturnType<typeof client>): Promise<void> {
  const first = await expect(201, 'POST', '/books', { authorId: 1, title: 'Go', isbn: '111' });
  assert.deepEqual(first.body, { id: 1, authorId: 1, title: 'Go', isbn: '111', genre: 'fiction', available: true }, 'defaults applied, unset fields left out');
  const recent = new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 10);
  const at = '2024-01-02T03:04:05+02:00';
  const second = { authorId: 1, title: 'Rust', isbn: '222', genre: 'science', published: recent, pages: 300, rating: 4.5, lastBorrowedAt: at };
  assert.deepEqual((await expect(201, 'POST', '/books', second)).body, { id: 2, available: true, ...second });
  await expect(201, 'POST', '/books', { authorId: 2, title: 'C', isbn: '333', published: '2001-02-03' });
  // JSON Schema counts 12.0 as an integer (Schemathesis sends it): a whole number written so is one
  // (the body is refused for its missing title, not for its numbers); 12.5 is not.
  assert.equal((await expect(400, 'POST', '/books', '{"authorId": 2.0, "isbn": "335", "pages": 12.0}')).body.error, 'title is required');
  assert.match((await expect(400, 'POST', '/books', '{"authorId": 2, "title": "E", "isbn": "336", "pages": 12.5}')).body.error, /pages must be a whole number/);
  await expect(422, 'POST', '/books', { authorId: 99, title: 'X', isbn: '444' });
  await expect(409, 'POST', '/books', { authorId: 1, title: 'X', isbn: '111' });
  for (const extra of [
    { genre: 'poetry' },
    { pages: 0 },
    { pages: 5001 },
    { pages: 1.5 },
    { rating: 5.5 },
    { rating: -1 },
    { published: '2024-13-01' },
    { lastBorrowedAt: 'yesterday' },
    { title: '444' },
  ])
    await expect(400, 'POST', '/books', { authorId: 1, title: 'X', isbn: '444', ...extra });
  const ids = (a: Answer) => (a.body as { id: number }[]).map((b) => b.id);
  assert.deepEqual(ids(await expect(200, 'GET', '/authors/1/books')), [1, 2]);
  await expect(404, 'GET', '/authors/99/books');
  assert.deepEqual(ids(await expect(200, 'GET', '/books?genre=science')), [2]);
  assert.deepEqual(ids(await expect(200, 'GET', '/books?authorId=2')), [3]);
  assert.deepEqual(ids(await expect(200, 'GET', '/books?published=2001-02-03')), [3]);
  assert.deepEqual(ids(await expect(200, 'GET', '/books?recent=true')), [2]);
  assert.deepEqual(ids(await expect(200, 'GET', '/books?recent=false&genre=fiction')), [1, 3]);
  assert.deepEqual(ids(await expect(200, 'GET', '/authors/1/books?limit=1&offset=1')), [2]);
  assert.deepEqual(ids(await expect(200, 'GET', '/books?offset=5')), []);
  for (const q of [
    'genre=poetry',
    'available=true',
    'recent=maybe',
    'limit=0',
    'limit=1001',
    'offset=-1',
    'limit=x',
    'authorId=one',
    'genre=science&genre=history',
  ])
    await expect(400, 'GET', `/books?${q}`);
  const done = await expect(200, 'POST', '/books/1/checkout');
  assert.equal(done.body.available, false);
  assert.match(done.body.lastBorrowedAt, /^\d{4}-\d\d-\d\dT/);
  assert.match((await expect(409, 'POST', '/books/1/checkout')).body.error, /not available/);
  await expect(200, 'PUT', '/books/1', { authorId: 2, title: 'Go 2', isbn: '111' });
  await expect(409, 'PUT', '/books/1', { authorId: 2, title: 'Go 2', isbn: '222' });
  await expect(422, 'PUT', '/books/1', { authorId: 77, title: 'Go 2', isbn: '111' });
  await expect(404, 'PUT', '/books/999', { authorId: 2, title: 'Go 2', isbn: '999' });
  for (const id of ['abc', '0', '-1', '99999999999999999999']) await expect(400, 'GET', `/books/${id}`);
  await expect(404, 'GET', '/books/999');
  await expect(409, 'DELETE', '/authors/1');
  await expect(204, 'DELETE', '/books/2');
  await expect(204, 'DELETE', '/authors/1');
  await expect(404, 'DELETE', '/authors/1');
  await expect(404, 'GET', '/no/such/route');
  const wrong = await expect(405, 'PATCH', '/books/3');
  assert.match(wrong.headers.get('allow') ?? '', /GET/);
}

for (const store of ['sqlite', 'memory'] as const) {
  test(`the library API with the ${store} store: the contract over HTTP, and a restart`, { timeout: 280_000 }, async () => {
    const binary = await build(LIBRARY_PLAN, store);
    const db = path.join(path.dirname(binary), 'data.db');
    let server = await serve(binary, db);
    try {
      const api = client(server.base);
      await checkAuthors(api);
      await checkBooks(api);
      assert.equal(await server.stop(), 0, 'SIGTERM shuts the server down gracefully');
      server = await serve(binary, db);
      await client(server.base).expect(store === 'sqlite' ? 200 : 404, 'GET', '/books/3');
    } finally {
      await server.stop();
    }
  });
}

test('the todo API (memory) and the edge plan (both stores) build and serve', { timeout: 280_000 }, async () => {
  const todo = await serve(await build(TODO_PLAN, 'memory'), '');
  try {
    const { expect } = client(todo.base);
    assert.deepEqual((await expect(201, 'POST', '/todos', { title: 'a' })).body, { id: 1, title: 'a', done: false });
    await expect(201, 'POST', '/todos', { title: 'b', done: true });
    await expect(400, 'POST', '/todos', { title: '' });
    assert.deepEqual((await expect(200, 'GET', '/todos?done=true')).body, [{ id: 2, title: 'b', done: true }]);
  } finally {
    await todo.stop();
  }
  for (const store of ['memory', 'sqlite'] as const) {
    const binary = await build(EDGE_PLAN, store);
    const edge = await serve(binary, path.join(path.dirname(binary), 'data.db'));
    try {
      const { expect } = client(edge.base);
      const day = { day: '2024-02-29', at: '2024-02-29T10:00:00.5-05:00', kind: 'in_person', count: -5 };
      assert.deepEqual((await expect(201, 'POST', '/dates', day)).body, { id: 1, ...day, score: 1.5, start: '2024-01-01' });
      await expect(409, 'POST', '/dates', { ...day, at: undefined });
      await expect(400, 'POST', '/dates', { ...day, day: '2024-03-01', at: undefined, count: 0 }); // the rule in words
      await expect(201, 'POST', '/slots', { dateId: 1, label: 'am' });
      assert.equal((await expect(200, 'POST', '/slots/1/archive')).body.archived, true);
      assert.equal((await expect(200, 'GET', '/dates?kind=in_person&day=2024-02-29')).body.length, 1);
      assert.equal((await expect(200, 'GET', '/dates/1/slots?dateId=1')).body.length, 1);
      assert.equal((await expect(200, 'POST', '/dates/1/goOnline')).body.kind, 'online', "code's body for an action that sets an enum value");
    } finally {
      await edge.stop();
    }
  }
});

test('every mutant compiles: the library with SQLite, the edge plan in memory', { timeout: 280_000 }, async () => {
  const jobs = [
    ...mutantsOf(LIBRARY_PLAN).map((m) => [LIBRARY_PLAN, 'sqlite', m.id] as const),
    ...mutantsOf(EDGE_PLAN).map((m) => [EDGE_PLAN, 'memory', m.id] as const),
  ];
  const started = Date.now();
  // Two at a time: linking is single-threaded, compiling uses both cores.
  const worker = async () => {
    for (let job = jobs.shift(); job !== undefined; job = jobs.shift()) await go(writeProject(job[0], job[1], job[2]), 'build', './...');
  };
  await Promise.all([worker(), worker()]);
  console.log(`the mutants built in ${Date.now() - started} ms`);
});
