// What a benchmark is to the harness (bench/run.ts): one file in bench/benchmarks/ that
// exports `benchmark`. The harness finds it there, runs it when named (or by default), and
// puts the Markdown it returns into its own section of BENCHMARKS.md.
import type { TestWorkflowEnvironment } from '@temporalio/testing';

export interface BenchContext {
  /** Repetitions per measurement (BENCH_REPS, default 3). */
  reps: number;
  /** The Temporal dev server the benchmarks share, started on first use. */
  devServer(): Promise<TestWorkflowEnvironment>;
  /** Progress for the person watching; not part of the report. */
  log(line: string): void;
}

export interface Benchmark {
  /** The argument that selects it (`bench/run.ts overhead`) and its section's marker. */
  name: string;
  /** Its section heading, numbered as in BENCHMARKS.md, e.g. "1. Orchestration overhead". */
  title: string;
  /** false: runs only when named, e.g. one that needs a real Ollama `make bench` does not start. */
  runByDefault?: boolean;
  /** Measures, and returns the section's body: what was measured, the table, what it means. */
  run(ctx: BenchContext): Promise<string>;
}
