// Plain one-line-per-event progress from the workflow's `status` query.
import type { PhaseState, RunState } from '../core/run-types.js';
import { PHASES } from '../core/types.js';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

export function phaseLine(p: PhaseState): string {
  const n = PHASES.indexOf(p.name) + 1;
  const round = p.round > 0 ? ` (round ${p.round})` : '';
  const tokens = p.tokensOut > 0 ? `, ${p.tokensIn} tokens in / ${p.tokensOut} out` : '';
  const files = p.files.length ? `, ${p.files.map((f) => f.path).join(' ')}` : '';
  const error = p.error ? `: ${p.error}` : '';
  return `[${String(n).padStart(2)}/${PHASES.length}] ${p.name}${round} ${p.status} in ${seconds(p.durationMs)}${tokens}${files}${error}`;
}

/** Prints each phase once, when it ends, and each wait for the model server; call it with every fresh state. */
export function phasePrinter(print: (line: string) => void): (state: RunState) => void {
  let printed = 0;
  let waiting: RunState['waiting'];
  return (state) => {
    const ended = state.phases.filter((p) => p.status !== 'running' && p.status !== 'pending');
    for (const p of ended.slice(printed)) print(phaseLine(p));
    printed = ended.length;
    if (state.waiting && state.waiting.since !== waiting?.since) print(waitingLine(state.waiting));
    else if (!state.waiting && waiting) print(`        done waiting for ${waiting.for}: going on`);
    waiting = state.waiting;
  };
}

export const waitingLine = (w: NonNullable<RunState['waiting']>) => `        waiting for ${w.for}, since ${w.since}`;
