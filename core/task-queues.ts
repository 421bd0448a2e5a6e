// Two kinds of work, two task queues: the workflows and everything that touches the output
// folder, the mirror and the Go toolchain stay on the run's own queue (-task-queue, so runs
// recorded before the split keep theirs); model calls go to a queue of their own, served by
// workers beside the model server, on another machine if need be.

/** What a worker can serve (`overnight-llm worker -serve`). */
export const SERVED_WORK = ['workflows', 'workspace', 'model'] as const;
export type ServedWork = (typeof SERVED_WORK)[number];

/** The model calls' queue of a run whose workflow runs on `taskQueue`. */
export function modelTaskQueue(taskQueue: string): string {
  return `${taskQueue}-model`;
}

/**
 * Text that crosses between the two (a file's prompt, a file's answer) travels in the run's
 * history, whose events Temporal keeps small (it refuses a payload over 2 MB; the hostile tests
 * hold each event under 256 KiB). No file of a generated API comes near this.
 */
export const CROSSING_LIMIT_BYTES = 192 * 1024;
