// The terminal view of a running run. On a terminal: a live block (phase n of N, the file
// being written, tokens and tokens/s from the LLM activity's heartbeats, working time,
// repair round, the Web UI link) under the phase lines. Elsewhere (CI, logs): the phase
// lines alone, one per event.
import { defaultPayloadConverter } from '@temporalio/common';
import type { WorkflowHandle } from '@temporalio/client';
import logUpdate from 'log-update';
import { PHASES } from '../core/types.js';
import { type ActivityProgress as Heartbeat, type RunState } from '../core/run-types.js';
import { phasePrinter, waitingLine } from './progress.js';

export async function currentHeartbeat(handle: WorkflowHandle): Promise<Heartbeat | null> {
  const description = await handle.describe().catch(() => null);
  const payload = description?.raw.pendingActivities?.[0]?.heartbeatDetails?.payloads?.[0];
  if (!payload) return null;
  try {
    return defaultPayloadConverter.fromPayload<Heartbeat>(payload);
  } catch {
    return null;
  }
}

const clock = (ms: number) => {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
};

export interface RunView {
  /** A fresh state (and heartbeat) from the poller. */
  update(state: RunState, heartbeat: Heartbeat | null): void;
  /** Clears the live block, leaving the phase lines. */
  close(): void;
}

export function runView(out: (line: string) => void, link: string, live = process.stdout.isTTY === true): RunView {
  if (!live) {
    const print = phasePrinter(out);
    return { update: (state) => print(state), close: () => {} };
  }
  const print = phasePrinter((line) => {
    logUpdate.clear();
    out(line);
  });
  let last: { tokens: number; at: number } | null = null;
  let rate = 0;
  return {
    update(state, heartbeat) {
      print(state);
      const now = Date.now();
      const tokens = heartbeat?.tokens ?? 0;
      if (last && tokens >= last.tokens && now > last.at) rate = ((tokens - last.tokens) * 1000) / (now - last.at);
      last = { tokens, at: now };
      const running = state.phases.find((p) => p.status === 'running');
      const phase = running ? `phase ${PHASES.indexOf(running.name) + 1}/${PHASES.length} ${running.name}` : 'between phases';
      const file = state.waiting
        ? `: ${waitingLine(state.waiting).trim()}`
        : heartbeat?.label
          ? ` → ${heartbeat.label}`
          : heartbeat?.step
            ? `: ${heartbeat.step}`
            : '';
      logUpdate(
        [
          `${phase}${file}`,
          `tokens ${tokens} (${rate.toFixed(1)} tok/s)   working time ${clock(state.workingMs)}   repair round ${state.repairRounds}`,
          `Web UI: ${link}`,
        ].join('\n'),
      );
    },
    close: () => logUpdate.clear(),
  };
}
