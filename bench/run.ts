// `make bench`: runs the benchmarks in bench/benchmarks/ (all that run by default, or those
// named: `node --import tsx bench/run.ts overhead validation`), prints each one's table and
// writes its section of BENCHMARKS.md. BENCH_REPS sets the repetitions (default 3).
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PROJECT_ROOT } from '../lib/project-root.js';
import type { Benchmark, BenchContext } from './benchmark.js';
import { describeMachine, measuredLine } from './machine.js';
import { REPORT_PATH, updateReport } from './report.js';
import { duration, elapsed } from './stats.js';

const ROOT = PROJECT_ROOT;
const BENCHMARKS_DIR = fileURLToPath(new URL('./benchmarks/', import.meta.url));

// The bench's own Go caches and workflow bundle, and the Temporal CLI setup builds.
process.env.OVERNIGHT_STATE_DIR ??= path.join(ROOT, '.state', 'bench');
process.env.PATH = `${path.join(ROOT, '.tools', 'bin')}${path.delimiter}${process.env.PATH ?? ''}`;

/** Every benchmark file's `benchmark`, in the order of their numbered titles. */
async function discover(): Promise<Benchmark[]> {
  const files = readdirSync(BENCHMARKS_DIR).filter((f) => f.endsWith('.ts'));
  const found = await Promise.all(
    files.map(async (f) => ((await import(pathToFileURL(path.join(BENCHMARKS_DIR, f)).href)) as { benchmark: Benchmark }).benchmark),
  );
  return found.sort((a, b) => a.title.localeCompare(b.title, 'en', { numeric: true }));
}

function parseReps(): number {
  const reps = Number(process.env.BENCH_REPS ?? 3);
  if (!Number.isInteger(reps) || reps < 1) {
    console.error(`bench: BENCH_REPS must be a whole number ≥ 1, not ${process.env.BENCH_REPS}`);
    process.exit(2);
  }
  return reps;
}

async function main(): Promise<number> {
  const all = await discover();
  const names = process.argv.slice(2);
  const unknown = names.filter((n) => !all.some((b) => b.name === n));
  if (unknown.length) {
    console.error(`bench: no benchmark ${unknown.join(', ')}; there are: ${all.map((b) => b.name).join(', ')}`);
    return 2;
  }
  const chosen = names.length ? all.filter((b) => names.includes(b.name)) : all.filter((b) => b.runByDefault !== false);
  const reps = parseReps();
  const machine = describeMachine();

  let server: Promise<TestWorkflowEnvironment> | undefined;
  const ctx: BenchContext = {
    reps,
    // Imported here: the dev server helper installs the SDK's runtime, which only the benchmarks that use it need.
    devServer: () => (server ??= import('../test/support/run-fixtures.js').then((m) => m.createDevServer())),
    log: (line) => console.error(`  ${line}`),
  };

  let failed = 0;
  const began = performance.now();
  try {
    for (const b of chosen) {
      console.error(`\n== ${b.title} (${b.name}, ${reps} rep${reps > 1 ? 's' : ''})`);
      const t0 = performance.now();
      try {
        const text = await b.run(ctx);
        // A benchmark that runs once says so in its own measured line.
        const body = text.startsWith('_Measured') ? text : `${measuredLine(machine, reps)}\n\n${text}`;
        console.log(`\n## ${b.title}\n\n${body}\n`);
        updateReport(all, b, body, machine);
        console.error(`  done in ${duration(elapsed(t0))}`);
      } catch (err) {
        // A benchmark that breaks (not one with a poor figure) fails `make bench`, after the others ran.
        failed++;
        console.error(`  ${b.name} broke: ${(err as Error).stack ?? err}`);
      }
    }
  } finally {
    if (server) await (await server).teardown();
  }
  console.error(
    `\nbench: ${chosen.length - failed} of ${chosen.length} benchmarks in ${duration(elapsed(began))}; figures in ${path.relative(process.cwd(), REPORT_PATH)}`,
  );
  return failed ? 1 : 0;
}

process.exitCode = await main();
