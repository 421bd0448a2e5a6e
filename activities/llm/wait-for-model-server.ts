// Waiting for a model server that went away: after a laptop wakes, Ollama is often still
// starting. The workflow calls this when a model call found its server unreachable, then calls
// again; finished answers come from the response cache, so nothing finished is redone.
import { ApplicationFailure } from '@temporalio/activity';
import { activityContext, heartbeatIntervalMs, reportProgress } from '../activity-context.js';
import { MODEL_SERVER_GONE, type LlmSettings } from '../../core/types.js';
import { type WaitProgress } from '../../core/run-types.js';
import { probeServer, serverName } from './model-server.js';

export interface WaitForModelServerInput {
  serverUrl: string;
  /** The server's API (LlmSettings.api), which says what to probe: Ollama's /api/version when absent, else /v1/models. */
  api?: LlmSettings['api'];
  /** When the wait began (workflow time, ISO): shown in heartbeats, kept across retries of this activity. */
  since: string;
  /** Give up after this moment (epoch ms); a sleeping laptop's time counts, so a wake probes once more. */
  untilMs: number;
}

const FIRST_PAUSE_MS = 1_000;
const LONGEST_PAUSE_MS = 15_000;

/** Resolves when the server answers its probe (model-server.ts); fails, not worth retrying, when `untilMs` passes first. */
export async function waitForModelServer(input: WaitForModelServerInput): Promise<{ probes: number }> {
  const ctx = activityContext();
  let pause = FIRST_PAUSE_MS;
  for (let probes = 1; ; probes++) {
    reportProgress({ waitingFor: input.serverUrl, since: input.since, probes } satisfies WaitProgress, ctx);
    try {
      await probeServer(input.serverUrl, input.api, AbortSignal.timeout(5_000));
      return { probes };
    } catch {
      // not yet
    }
    if (Date.now() >= input.untilMs) {
      const minutes = Math.round((input.untilMs - Date.parse(input.since)) / 60_000);
      const server = input.api === 'openai' ? `${serverName(input.serverUrl, input.api)} did not answer` : `Ollama at ${input.serverUrl} did not answer`;
      const start = input.api === 'openai' ? 'start it' : 'start it with `ollama serve`';
      throw ApplicationFailure.nonRetryable(
        `${server} for ${minutes} min (since ${input.since}): ${start}, then run the same command again (or raise -ollama-wait)`,
        MODEL_SERVER_GONE,
      );
    }
    // Heartbeat while pausing, so a long pause is not taken for a lost worker.
    pause = Math.min(pause * 2, LONGEST_PAUSE_MS, Math.max(0, input.untilMs - Date.now()) + 10);
    await pauseWithHeartbeats(pause, ctx, { waitingFor: input.serverUrl, since: input.since, probes });
  }
}

async function pauseWithHeartbeats(ms: number, ctx: ReturnType<typeof activityContext>, progress: WaitProgress): Promise<void> {
  const step = heartbeatIntervalMs(ctx);
  for (let left = ms; left > 0; left -= step) {
    const nap = Math.min(step, left);
    // The activity's sleep ends early when the run is cancelled.
    await (ctx ? ctx.sleep(nap) : new Promise((resolve) => setTimeout(resolve, nap)));
    reportProgress(progress, ctx);
  }
}
