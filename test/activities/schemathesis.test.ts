// The generated API meets its own description: code writes the Go project (core/go) and its
// openapi.yaml (core/openapi.ts) from a plan, and Schemathesis, a tool nobody here wrote, sends
// it valid and invalid requests drawn from that openapi.yaml (scripts/schemathesis.sh: the
// server built offline, on a free port, SQLite in a temporary folder) and finds no failure.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { promisify } from 'node:util';
import { BEHAVIOUR_PATH, behaviourContract, goProject, renderBehaviour } from '../../core/go/index.js';
import { EDGE_BODIES, EDGE_PLAN, LIBRARY_BODIES, LIBRARY_PLAN, TODO_PLAN } from '../../core/go/sample-plans.js';
import { openApiFor } from '../../core/openapi.js';
import type { Plan, Store } from '../../core/plan.js';
import { GO_MOD_CACHE } from '../../activities/go/run-tool.js';

const run = promisify(execFile);
const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function writeProject(plan: Plan, bodies: Record<string, string>, store: Store): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'schemathesis-'));
  dirs.push(dir);
  const files = [
    ...goProject(plan, { store }),
    { path: BEHAVIOUR_PATH, content: renderBehaviour(behaviourContract(plan), bodies) },
    { path: 'openapi.yaml', content: openApiFor(plan) },
  ];
  for (const f of files) {
    mkdirSync(path.join(dir, path.dirname(f.path)), { recursive: true });
    writeFileSync(path.join(dir, f.path), f.content);
  }
  return dir;
}

const cases: [string, Plan, Record<string, string>, Store][] = [
  ['todo, SQLite', TODO_PLAN, {}, 'sqlite'],
  ['authors and books (a parent, enum, date, unique, range, email, default, filters, an action, a rule), SQLite', LIBRARY_PLAN, LIBRARY_BODIES, 'sqlite'],
  ['edge cases (extreme ranges, every type), in memory', EDGE_PLAN, EDGE_BODIES, 'memory'],
];

for (const [name, plan, bodies, store] of cases) {
  test(`Schemathesis finds no failure: ${name}`, { timeout: 240_000 }, async () => {
    const dir = writeProject(plan, bodies, store);
    const env = { ...process.env, GOMODCACHE: GO_MOD_CACHE, GOPROXY: 'off' };
    const out = await run('bash', ['scripts/schemathesis.sh', dir], { env, maxBuffer: 16 << 20 }).catch(
      (err: { code?: number; stdout?: string; stderr?: string }) => err,
    );
    const text = `${out.stdout ?? ''}${out.stderr ?? ''}`;
    const summary = /schemathesis: (\d+) distinct failures in (\d+) test cases/.exec(text);
    assert.ok(summary, `no summary from scripts/schemathesis.sh:\n${text.slice(-3000)}`);
    assert.equal(Number(summary[1]), 0, text.slice(-4000));
    assert.ok(Number(summary[2]) >= 200, `only ${summary[2]} cases`);
  });
}
