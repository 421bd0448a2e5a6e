// The SQLite mirror on a real file: idempotent upserts keyed like the workflow's records,
// schema migrations by PRAGMA user_version, and status.json built from it and written atomically.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { closeMirrors, openMirror, SCHEMA_VERSION } from '../../lib/db.js';
import { recordPhase, recordRun, recordValidation, type RunRecord } from '../../activities/store/mirror.js';
import { writeStatusReport } from '../../activities/store/status-report.js';
import { buildStatusReport } from '../../lib/status-report.js';
import { statusSchemaErrors } from '../support/status-schema.js';
import type { PhaseState, ValidationReport } from '../../core/run-types.js';
import { tmpDir } from '../support/run-fixtures.js';

const WF = 'wf-store-1';
const dirs: string[] = [];
afterEach(() => closeMirrors());
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function freshDb(): { dir: string; dbPath: string } {
  const dir = tmpDir('store');
  dirs.push(dir);
  return { dir, dbPath: path.join(dir, 'state', 'poc.db') };
}

const count = (dbPath: string, table: string) => (openMirror(dbPath).prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

function run(overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    workflowId: WF,
    prompt: 'REST API for todo list',
    model: 'codellama:7b',
    outputDir: '/tmp/out',
    status: 'running',
    repairRounds: 0,
    startedAt: '2026-01-01T00:00:00.000Z',
    workingMs: 0,
    ...overrides,
  };
}

function phase(name: PhaseState['name'], overrides: Partial<PhaseState> = {}): PhaseState {
  return { name, status: 'done', attempts: 1, durationMs: 100, tokensIn: 10, tokensOut: 20, files: [], round: 0, ...overrides };
}

const file = (p: string, bytes: number) => ({ path: p, bytes, sha256: createHash('sha256').update(`${p}:${bytes}`).digest('hex') });

function report(ok: boolean, steps: Array<[ValidationReport['steps'][number]['name'], boolean]>, coverage: number | null): ValidationReport {
  return {
    ok,
    steps: steps.map(([name, stepOk]) => ({ name, ok: stepOk, durationMs: 10, outputTail: stepOk ? '' : `${name} failed` })),
    coveragePercent: coverage,
    coverageGoal: 70,
    failures: [],
    durationMs: 50,
  };
}

describe('mirror upserts', () => {
  it('recordRun twice with the same workflow id keeps one row; a later call updates it', async () => {
    const { dbPath } = freshDb();
    await recordRun({ dbPath, run: run() });
    await recordRun({ dbPath, run: run() });
    assert.equal(count(dbPath, 'runs'), 1);
    await recordRun({ dbPath, run: run({ status: 'completed', endedAt: '2026-01-01T01:00:00.000Z', workingMs: 1234, repairRounds: 2 }) });
    assert.equal(count(dbPath, 'runs'), 1);
    const row = openMirror(dbPath).prepare('SELECT * FROM runs WHERE workflow_id = ?').get(WF) as Record<string, unknown>;
    assert.equal(row.status, 'completed');
    assert.equal(row.ended_at, '2026-01-01T01:00:00.000Z');
    assert.equal(row.working_ms, 1234);
    assert.equal(row.repair_rounds, 2);
  });

  it('a new run under the same workflow id (-restart) starts an empty record; the same run again keeps its rows', async () => {
    const { dbPath } = freshDb();
    const fill = async () => {
      await recordPhase({ dbPath, workflowId: WF, seq: 3, phase: phase('models', { files: [file('internal/models/todo.go', 100)] }) });
      await recordPhase({ dbPath, workflowId: WF, seq: 21, phase: phase('repair', { round: 1 }) });
      await recordValidation({ dbPath, workflowId: WF, round: 1, report: report(false, [['build', false]], null) });
    };
    await recordRun({ dbPath, run: run() });
    await fill();
    await recordRun({ dbPath, run: run({ status: 'completed', endedAt: '2026-01-01T01:00:00.000Z' }) });
    assert.deepEqual(
      ['phases', 'files', 'validations', 'validation_steps'].map((t) => count(dbPath, t)),
      [2, 1, 1, 1],
      'the same run again: its rows stay',
    );
    await recordRun({ dbPath, run: run({ startedAt: '2026-01-02T00:00:00.000Z' }) });
    assert.deepEqual(
      ['phases', 'files', 'validations', 'validation_steps'].map((t) => count(dbPath, t)),
      [0, 0, 0, 0],
      "a new run: none of the last run's rows",
    );
    assert.equal(count(dbPath, 'runs'), 1);
  });

  it('recordPhase is keyed by (workflow, phase, round); files by (workflow, path)', async () => {
    const { dbPath } = freshDb();
    const models = file('internal/models/todo.go', 100);
    const input = { dbPath, workflowId: WF, seq: 3, phase: phase('models', { status: 'running', attempts: 1, files: [] }) };
    await recordPhase(input);
    await recordPhase(input);
    assert.equal(count(dbPath, 'phases'), 1);
    await recordPhase({ ...input, phase: phase('models', { status: 'done', attempts: 2, files: [models] }) });
    await recordPhase({ ...input, phase: phase('models', { status: 'done', attempts: 2, files: [models] }) });
    assert.equal(count(dbPath, 'phases'), 1);
    assert.equal(count(dbPath, 'files'), 1);
    const row = openMirror(dbPath).prepare('SELECT status, attempts FROM phases').get();
    assert.deepEqual({ ...(row as object) }, { status: 'done', attempts: 2 });
    // A repair round is its own phase record; the file now belongs to it.
    const repaired = file('internal/models/todo.go', 120);
    await recordPhase({ dbPath, workflowId: WF, seq: 11, phase: phase('repair', { round: 1, files: [repaired] }) });
    assert.equal(count(dbPath, 'phases'), 2);
    assert.equal(count(dbPath, 'files'), 1);
    const f = openMirror(dbPath).prepare('SELECT phase, round, bytes, sha256 FROM files').get();
    assert.deepEqual({ ...(f as object) }, { phase: 'repair', round: 1, bytes: 120, sha256: repaired.sha256 });
  });

  it('recordValidation is keyed by (workflow, round), its steps by (workflow, round, step)', async () => {
    const { dbPath } = freshDb();
    const failing = report(
      false,
      [
        ['gofmt', true],
        ['vet', true],
        ['build', false],
      ],
      null,
    );
    await recordValidation({ dbPath, workflowId: WF, round: 0, report: failing });
    await recordValidation({ dbPath, workflowId: WF, round: 0, report: failing });
    assert.equal(count(dbPath, 'validations'), 1);
    assert.equal(count(dbPath, 'validation_steps'), 3);
    const passing = report(
      true,
      [
        ['gofmt', true],
        ['vet', true],
        ['build', true],
      ],
      81.5,
    );
    await recordValidation({ dbPath, workflowId: WF, round: 0, report: passing });
    assert.equal(count(dbPath, 'validations'), 1);
    assert.equal(count(dbPath, 'validation_steps'), 3);
    const v = openMirror(dbPath).prepare('SELECT ok, coverage_percent FROM validations').get();
    assert.deepEqual({ ...(v as object) }, { ok: 1, coverage_percent: 81.5 });
    const build = openMirror(dbPath).prepare("SELECT ok, output_tail FROM validation_steps WHERE step = 'build'").get();
    assert.deepEqual({ ...(build as object) }, { ok: 1, output_tail: '' });
  });
});

describe('mirror migrations', () => {
  it('a fresh database is migrated to SCHEMA_VERSION and reopening keeps the data', async () => {
    const { dbPath } = freshDb();
    assert.equal(openMirror(dbPath).pragma('user_version', { simple: true }), SCHEMA_VERSION);
    assert.ok(SCHEMA_VERSION >= 1);
    await recordRun({ dbPath, run: run() });
    closeMirrors();
    const reopened = openMirror(dbPath);
    assert.equal(reopened.pragma('user_version', { simple: true }), SCHEMA_VERSION);
    assert.equal(count(dbPath, 'runs'), 1);
    // The same path in one process shares one connection.
    assert.equal(openMirror(dbPath), reopened);
  });

  it('a version-1 mirror gains validations.containment, its rounds kept with null', async () => {
    const { dbPath } = freshDb();
    await recordRun({ dbPath, run: run() });
    await recordValidation({ dbPath, workflowId: WF, round: 0, report: { ...report(true, [['gofmt', true]], 80), containment: 'dropped below' } });
    closeMirrors();
    const v1 = new Database(dbPath);
    v1.exec(
      'ALTER TABLE validations DROP COLUMN containment; ALTER TABLE files DROP COLUMN provenance; ALTER TABLE phases DROP COLUMN notes; ALTER TABLE llm_cache DROP COLUMN done_reason',
    );
    v1.pragma('user_version = 1');
    v1.close();
    const migrated = openMirror(dbPath);
    assert.equal(migrated.pragma('user_version', { simple: true }), SCHEMA_VERSION);
    assert.deepEqual({ ...(migrated.prepare('SELECT round, ok, containment FROM validations').get() as object) }, { round: 0, ok: 1, containment: null });
    assert.equal(buildStatusReport(dbPath, WF).validation!.final.containment, null);
  });

  it('a version-2 mirror gains files.provenance and phases.notes; its rows read as null provenance and no notes', async () => {
    const { dbPath } = freshDb();
    await recordRun({ dbPath, run: run() });
    await recordPhase({ dbPath, workflowId: WF, seq: 0, phase: phase('models', { files: [file('internal/models/todo.go', 200)] }) });
    closeMirrors();
    const v2 = new Database(dbPath);
    v2.exec('ALTER TABLE files DROP COLUMN provenance; ALTER TABLE phases DROP COLUMN notes; ALTER TABLE llm_cache DROP COLUMN done_reason');
    v2.pragma('user_version = 2');
    v2.close();
    assert.equal(openMirror(dbPath).pragma('user_version', { simple: true }), SCHEMA_VERSION);
    const status = buildStatusReport(dbPath, WF);
    assert.deepEqual(status.files, [{ ...file('internal/models/todo.go', 200), provenance: null }]);
    assert.deepEqual(status.phases[0]!.notes, []);
  });

  it("a guided file's provenance and a phase's notes reach status.json as recorded", async () => {
    const { dbPath } = freshDb();
    await recordRun({ dbPath, run: run() });
    const provenance = {
      strategy: 'guided' as const,
      modelLines: 31,
      contractLines: 34,
      candidates: 7,
      fixes: ['goimports'],
      errorsSeen: ['x.go:1:1: undefined: y'],
      errorsLeft: 0,
    };
    await recordPhase({ dbPath, workflowId: WF, seq: 0, phase: phase('plan', { notes: ['fields[0].name "title" → "Title"'] }) });
    await recordPhase({
      dbPath,
      workflowId: WF,
      seq: 1,
      phase: phase('repository', { files: [{ ...file('internal/repository/todo_repo.go', 900), provenance }] }),
    });
    const status = buildStatusReport(dbPath, WF);
    assert.deepEqual(status.phases[0]!.notes, ['fields[0].name "title" → "Title"']);
    assert.deepEqual(status.files[0]!.provenance, provenance);
    assert.deepEqual(status.phases[1]!.files[0]!.provenance, provenance);
  });

  it('refuses a database from a newer overnight-llm, naming -db, and leaves it untouched and closed', () => {
    const { dbPath, dir } = freshDb();
    openMirror(dbPath);
    closeMirrors();
    const raw = new Database(dbPath);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    assert.throws(
      () => openMirror(dbPath),
      (err: Error) => {
        assert.match(err.message, /-db/);
        assert.match(err.message, new RegExp(`version ${SCHEMA_VERSION + 1}`));
        return true;
      },
    );
    assert.throws(() => openMirror(dbPath), /-db/, 'a second attempt is refused too, not served from a cache');
    const check = new Database(dbPath, { readonly: true });
    assert.equal(check.pragma('user_version', { simple: true }), SCHEMA_VERSION + 1);
    check.close();
    // The refused connection was closed: this process holds no descriptor on the file.
    const held = readdirSync('/proc/self/fd').filter((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`).startsWith(path.join(dir, 'state'));
      } catch {
        return false;
      }
    });
    assert.deepEqual(held, []);
  });
});

describe('status report', () => {
  const CONTAINMENT = 'namespaces: user, network (loopback only), pid; file size ≤ 64MiB';
  async function seed(dbPath: string): Promise<void> {
    await recordRun({ dbPath, run: run({ status: 'completed', endedAt: '2026-01-01T02:00:00.000Z', workingMs: 900, repairRounds: 1 }) });
    // Recorded out of order: the report follows seq, the workflow's order.
    await recordPhase({
      dbPath,
      workflowId: WF,
      seq: 4,
      phase: phase('repository', { files: [file('internal/repository/todo_repo.go', 300)], tokensIn: 40, tokensOut: 400, durationMs: 4000 }),
    });
    await recordPhase({ dbPath, workflowId: WF, seq: 1, phase: phase('plan', { tokensIn: 30, tokensOut: 60, durationMs: 1500, attempts: 2 }) });
    await recordPhase({
      dbPath,
      workflowId: WF,
      seq: 2,
      phase: phase('scaffold', { files: [file('go.mod', 30), file('.overnight-llm.json', 60)], tokensIn: 0, tokensOut: 0, durationMs: 5 }),
    });
    await recordPhase({
      dbPath,
      workflowId: WF,
      seq: 3,
      phase: phase('models', { files: [file('internal/models/todo.go', 200)], tokensIn: 50, tokensOut: 250, durationMs: 3000 }),
    });
    await recordPhase({ dbPath, workflowId: WF, seq: 5, phase: phase('validate', { status: 'failed', error: 'build failed', durationMs: 800 }) });
    await recordValidation({
      dbPath,
      workflowId: WF,
      round: 0,
      report: report(
        false,
        [
          ['gofmt', true],
          ['vet', true],
          ['build', false],
        ],
        null,
      ),
    });
    const passing = report(
      true,
      [
        ['gofmt', true],
        ['vet', true],
        ['build', true],
        ['test', true],
        ['smoke', true],
      ],
      78.2,
    );
    await recordValidation({ dbPath, workflowId: WF, round: 1, report: { ...passing, containment: CONTAINMENT } });
  }

  it('lists phases in workflow order with their files, validation rounds with steps, and totals that sum the phases', async () => {
    const { dbPath } = freshDb();
    await seed(dbPath);
    const r = buildStatusReport(dbPath, WF);
    assert.equal(r.run.workflowId, WF);
    assert.equal(r.run.status, 'completed');
    assert.equal(r.run.repairRounds, 1);
    assert.deepEqual(
      r.phases.map((p) => p.name),
      ['plan', 'scaffold', 'models', 'repository', 'validate'],
    );
    // Whole-file runs record no provenance: status.json says null.
    const shown = (f: ReturnType<typeof file>) => ({ ...f, provenance: null });
    assert.deepEqual(r.phases[1]!.files, [shown(file('.overnight-llm.json', 60)), shown(file('go.mod', 30))]);
    assert.deepEqual(r.phases[2]!.files, [shown(file('internal/models/todo.go', 200))]);
    assert.deepEqual(r.phases[0]!.notes, [], 'a phase with nothing mended has no notes');
    assert.equal(r.phases[0]!.attempts, 2);
    assert.equal(r.phases[4]!.error, 'build failed');
    assert.deepEqual(
      r.validation!.rounds.map((v) => [v.round, v.ok, v.steps.length]),
      [
        [0, false, 3],
        [1, true, 5],
      ],
    );
    assert.deepEqual(
      r.validation!.rounds[1]!.steps.map((s) => s.name),
      ['gofmt', 'vet', 'build', 'test', 'smoke'],
    );
    assert.equal(r.validation!.rounds[0]!.steps[2]!.outputTail, 'build failed');
    assert.equal(r.validation!.final!.coveragePercent, 78.2);
    assert.deepEqual(
      r.validation!.rounds.map((v) => v.containment),
      [null, CONTAINMENT],
      'a round without a containment says null',
    );
    assert.equal(r.totals.phases, 5);
    assert.equal(r.totals.tokensIn, 30 + 0 + 50 + 40 + 10);
    assert.equal(r.totals.tokensOut, 60 + 0 + 250 + 400 + 20);
    assert.equal(r.totals.phaseMs, 1500 + 5 + 3000 + 4000 + 800);
    assert.equal(r.totals.files, 4);
    assert.equal(r.totals.bytes, 30 + 60 + 200 + 300);
    assert.throws(() => buildStatusReport(dbPath, 'no-such-run'), /no run no-such-run/);
  });

  it('the report matches schema/status.schema.json, and the schema rejects what a reader could not use', async () => {
    const { dbPath } = freshDb();
    await seed(dbPath);
    const r = JSON.parse(JSON.stringify(buildStatusReport(dbPath, WF)));
    assert.deepEqual(statusSchemaErrors(r), []);
    const broken = (edit: (s: any) => void) => {
      const copy = structuredClone(r);
      edit(copy);
      return statusSchemaErrors(copy);
    };
    assert.match(broken((s) => delete s.files[0].sha256).join('\n'), /\/files\/0 must have required property 'sha256'/);
    assert.match(broken((s) => (s.files[0].path = '../escape.go')).join('\n'), /\/files\/0\/path must match pattern/);
    assert.match(broken((s) => (s.phases[0].name = 'deploy')).join('\n'), /\/phases\/0\/name must be equal to one of the allowed values/);
    assert.match(broken((s) => (s.run.status = 'done')).join('\n'), /\/run\/status must be equal to one of the allowed values/);
    assert.match(broken((s) => (s.totals.tokensOut = -1)).join('\n'), /\/totals\/tokensOut must be >= 0/);
    assert.match(broken((s) => (s.extra = true)).join('\n'), /must NOT have additional properties/);
    assert.match(broken((s) => delete s.validation.final.containment).join('\n'), /\/validation\/final must have required property 'containment'/);
  });

  it('writeStatusReport writes status.json atomically into the output dir and returns its sha256', async () => {
    const { dbPath, dir } = freshDb();
    await seed(dbPath);
    const outputDir = path.join(dir, 'out');
    // git: 'off' — its commit is test/activities/git-history.test.ts's and the e2e layer's subject.
    const ref = await writeStatusReport({ dbPath, workflowId: WF, outputDir, resource: 'todo', git: 'off' });
    const target = path.join(outputDir, 'status.json');
    const bytes = readFileSync(target);
    assert.equal(ref.path, 'status.json');
    assert.equal(ref.sha256, sha256(bytes));
    assert.equal(ref.bytes, bytes.length);
    assert.deepEqual(JSON.parse(bytes.toString('utf8')), JSON.parse(JSON.stringify(buildStatusReport(dbPath, WF))));
    // The run's marker comes with it when scaffold never ran (a run that failed at the plan), so the folder stays the run's.
    assert.deepEqual(readdirSync(outputDir).sort(), ['.overnight-llm.json', 'status.json'], 'no temporary file is left behind');
    assert.deepEqual(JSON.parse(readFileSync(path.join(outputDir, '.overnight-llm.json'), 'utf8')), { workflowId: WF });
    // The same report again is not rewritten; a changed one replaces the file by rename.
    const inode = statSync(target).ino;
    assert.deepEqual(await writeStatusReport({ dbPath, workflowId: WF, outputDir, resource: 'todo', git: 'off' }), ref);
    assert.equal(statSync(target).ino, inode);
    await recordRun({ dbPath, run: run({ status: 'failed', error: 'cancelled by the user' }) });
    const changed = await writeStatusReport({ dbPath, workflowId: WF, outputDir, resource: null });
    assert.notEqual(changed.sha256, ref.sha256);
    assert.notEqual(statSync(target).ino, inode);
    assert.equal(changed.sha256, sha256(readFileSync(target)));
    assert.equal(JSON.parse(readFileSync(target, 'utf8')).run.error, 'cancelled by the user');
    assert.deepEqual(readdirSync(outputDir).sort(), ['.overnight-llm.json', 'status.json']);
  });
});
