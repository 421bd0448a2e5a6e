// Child of disk-full.test.ts, run by `unshare -Urm` with a small tmpfs mounted at argv[2]: the
// mirror, the output folder and its git history live on that disk. It fills the disk, calls the
// workspace activities as the worker serves them (withDiskFullFailures), frees the disk and calls
// them again, printing one JSON line per step.
import { closeSync, openSync, readFileSync, rmSync, writeFileSync, writeSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { withDiskFullFailures } from '../../activities/disk-full.js';
import { recordPhase, recordRun } from '../../activities/store/mirror.js';
import { writeStatusReport } from '../../activities/store/status-report.js';
import { commitFiles } from '../../activities/files/git-history.js';
import { storeAnswer } from '../../activities/store/llm-cache.js';
import { closeMirrors } from '../../lib/db.js';
import type { PhaseState } from '../../core/run-types.js';

const disk = process.argv[2]!;
const dbPath = path.join(disk, 'state', 'poc.db');
const outputDir = path.join(disk, 'out');
const workflowId = 'overnight-out-disk';
const served = withDiskFullFailures({
  recordPhase,
  writeStatusReport,
  commitStatus: ({ outputDir: dir }: { outputDir: string }) => commitFiles(dir, 'auto', ['status.json'], 'report: by hand'),
});
const phase = (name: PhaseState['name'], notes: string[] = []): PhaseState => ({
  name,
  status: 'done',
  attempts: 1,
  durationMs: 1,
  tokensIn: 1,
  tokensOut: 1,
  files: [],
  round: 0,
  notes,
});
const say = (step: string, body: object) => process.stdout.write(JSON.stringify({ step, ...body }) + '\n');
async function attempt(step: string, body: () => Promise<unknown>): Promise<void> {
  try {
    say(step, { ok: true, value: await body() });
  } catch (err) {
    const e = err as Error & { type?: string; nonRetryable?: boolean };
    say(step, { ok: false, type: e.type, nonRetryable: e.nonRetryable, message: e.message });
  }
}
const status = () => readFileSync(path.join(outputDir, 'status.json'), 'utf8');
/** Writes until the disk refuses one more byte. */
function fill(): void {
  const fd = openSync(path.join(disk, 'filler'), 'a');
  try {
    for (const size of [1 << 16, 4096, 1]) for (;;) writeSync(fd, Buffer.alloc(size));
  } catch (err) {
    if ((err as { code?: string }).code !== 'ENOSPC') throw err;
  } finally {
    closeSync(fd);
  }
  try {
    writeFileSync(path.join(disk, 'one-more'), 'x');
    throw new Error('the disk is not full');
  } catch (err) {
    if ((err as { code?: string }).code !== 'ENOSPC') throw err;
  }
}

// A run with a plan, its status.json committed: what the user has before the disk fills.
mkdirSync(outputDir, { recursive: true });
const run = {
  workflowId,
  prompt: 'REST API for todo list',
  model: 'm',
  outputDir,
  status: 'running',
  repairRounds: 0,
  startedAt: new Date().toISOString(),
  workingMs: 0,
} as const;
await recordRun({ dbPath, run });
await recordPhase({ dbPath, workflowId, seq: 0, phase: phase('plan') });
await served.writeStatusReport({ dbPath, workflowId, outputDir, resource: 'todo', git: 'auto' });
say('before', { status: status() });

// The models phase is recorded while there is room; then the disk fills.
await recordPhase({ dbPath, workflowId, seq: 1, phase: phase('models') });
fill();
await attempt('mirror', () => served.recordPhase({ dbPath, workflowId, seq: 2, phase: phase('repository', ['x'.repeat(256 << 10)]) }));
await attempt('status', () => served.writeStatusReport({ dbPath, workflowId, outputDir, resource: 'todo', git: 'auto' }));
say('status-kept', { status: status() });
say('cache', { stored: storeAnswer(dbPath, 'key', 'm', { content: 'y'.repeat(256 << 10), tokensIn: 1, tokensOut: 1, durationMs: 1 }) });
// git alone: status.json changed while there was room, then the disk filled again before the commit.
rmSync(path.join(disk, 'filler'));
writeFileSync(path.join(outputDir, 'status.json'), status().replace('"running"', '"running" '));
fill();
await attempt('git', () => served.commitStatus({ outputDir }));

// Space again: the same calls go on where they were.
rmSync(path.join(disk, 'filler'));
await attempt('mirror-again', () => served.recordPhase({ dbPath, workflowId, seq: 2, phase: phase('repository', ['x'.repeat(256 << 10)]) }));
await attempt('status-again', () => served.writeStatusReport({ dbPath, workflowId, outputDir, resource: 'todo', git: 'auto' }));
say('after', { status: status() });
closeMirrors();
