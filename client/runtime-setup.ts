// The Temporal runtime of one CLI process: its log lines, JSON on stderr from -log-level
// (OVERNIGHT_LOG_LEVEL) on, and for `worker -metrics` a Prometheus endpoint with the SDK's
// metrics and the project's own (activities/run-metrics.ts).
import { DefaultLogger, Runtime, type LogEntry } from '@temporalio/worker';
import type { LogLevel } from '@temporalio/common';
import type { Flags } from './flags.js';
import { UsageError } from './usage-error.js';

/** One log entry as one JSON line: time, level, message, then the SDK's fields (workflow id, activity type, …). */
export function jsonLogLine(entry: LogEntry): string {
  const time = new Date(Number(entry.timestampNanos / 1_000_000n)).toISOString();
  return JSON.stringify({ time, level: entry.level, message: entry.message, ...entry.meta }, (_key, value: unknown) =>
    typeof value === 'bigint' ? value.toString() : value instanceof Error ? { name: value.name, message: value.message, stack: value.stack } : value,
  );
}

export function installRuntime(flags: Pick<Flags, 'log-level' | 'metrics'>, write = (line: string) => process.stderr.write(line + '\n')): void {
  try {
    install(flags, write);
  } catch (err) {
    if (!flags.metrics || !/prometheus/i.test((err as Error).message)) throw err;
    throw new UsageError(`-metrics ${flags.metrics}: cannot serve metrics there (${(err as Error).message}): choose a free port`);
  }
}

function install(flags: Pick<Flags, 'log-level' | 'metrics'>, write: (line: string) => void): void {
  Runtime.install({
    // ERROR by default: failures reach the user as phase lines and one closing message, and the
    // worker's INFO lines would drown them.
    logger: new DefaultLogger(flags['log-level'] as LogLevel, (entry) => write(jsonLogLine(entry))),
    ...(flags.metrics ? { telemetryOptions: { metrics: { prometheus: { bindAddress: flags.metrics } } } } : {}),
    shutdownSignals: [], // ours: see shutdownOnSignals
  });
}
