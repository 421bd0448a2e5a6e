// The Temporal activity context, for code that also runs outside an activity (plain calls
// in tests and benchmarks): heartbeats and cancellation when there is one, nothing otherwise.
import { Context } from '@temporalio/activity';
import type { ActivityProgress } from '../core/run-types.js';
import { HEARTBEAT_TIMEOUT_MS } from '../core/defaults.js';

export function activityContext(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined;
  }
}

/** How often to beat so the activity's heartbeat timeout never fires while it works: a third of it, at most 5 s. */
export function heartbeatIntervalMs(ctx = activityContext()): number {
  return Math.min(5_000, (ctx?.info.heartbeatTimeoutMs ?? HEARTBEAT_TIMEOUT_MS) / 3);
}

/** Heartbeats with what the CLI's live view and the Web UI show (one shape for every activity). */
export function reportProgress(progress: ActivityProgress, ctx = activityContext()): void {
  ctx?.heartbeat(progress);
}
