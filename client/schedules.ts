// -at and -every: a run (or a batch) started later by a Temporal schedule on the server, so it
// starts while the user sleeps; `list` shows the schedules, `cancel ID` removes one. The
// schedule's id derives from the output folder: one schedule a folder.
import { ScheduleAlreadyRunning, ScheduleNotFoundError, type Client, type ScheduleSpec } from '@temporalio/client';
import type { Io, RunMemo } from './session.js';
import type { Flags } from './flags.js';
import { folderIdFor } from './run-input.js';
import { formatDuration, parseDuration, parseStartTime } from './time-flags.js';

export const SCHEDULE_PREFIX = 'overnight-schedule-';

const MONTHS = ['JANUARY', 'FEBRUARY', 'MARCH', 'APRIL', 'MAY', 'JUNE', 'JULY', 'AUGUST', 'SEPTEMBER', 'OCTOBER', 'NOVEMBER', 'DECEMBER'] as const;

export const scheduleIdFor = (outputDir: string) => folderIdFor(SCHEDULE_PREFIX.slice(0, -1), outputDir);

/**
 * When the schedule starts its work: once at `at`; every `everyMs` from `at` on (its interval's
 * offset puts a start exactly at `at`); or every `everyMs` from now (the first start is
 * triggered at once). All in UTC: `at` is an absolute moment already.
 */
export function scheduleSpecFor(at: Date | null, everyMs: number | null, now: Date): ScheduleSpec {
  if (everyMs !== null) {
    const first = at ?? now;
    return { intervals: [{ every: everyMs, offset: first.getTime() % everyMs }], startAt: new Date(first.getTime() - 1000) };
  }
  if (!at) throw new Error('a schedule needs -at or -every');
  return {
    calendars: [
      {
        year: at.getUTCFullYear(),
        month: MONTHS[at.getUTCMonth()]!,
        dayOfMonth: at.getUTCDate(),
        hour: at.getUTCHours(),
        minute: at.getUTCMinutes(),
        second: at.getUTCSeconds(),
      },
    ],
  };
}

export interface ScheduledWork {
  workflowType: 'generateApi' | 'runBatch';
  args: unknown[];
  /** The id each start's run gets (the server appends the start time). */
  workflowId: string;
  memo: RunMemo;
}

/** Creates the schedule; returns its id and one line on when it starts, or throws ScheduleAlreadyRunning. */
export async function createSchedule(client: Client, flags: Flags, work: ScheduledWork): Promise<{ id: string; when: string }> {
  const at = flags.at ? parseStartTime(flags.at) : null;
  const everyMs = flags.every ? parseDuration(flags.every) : null;
  const id = scheduleIdFor(work.memo.outputDir);
  const handle = await client.schedule.create({
    scheduleId: id,
    spec: scheduleSpecFor(at, everyMs, new Date()),
    action: {
      type: 'startWorkflow',
      workflowType: work.workflowType,
      args: work.args,
      taskQueue: flags['task-queue'],
      workflowId: work.workflowId,
      memo: { ...work.memo },
    },
    // A night the machine slept through still runs when it wakes (within a day); never two at once.
    policies: { overlap: 'SKIP', catchupWindow: '1 day' },
    memo: { ...work.memo },
    ...(everyMs === null ? { state: { remainingActions: 1 } } : {}),
  });
  if (everyMs !== null && !at) await handle.trigger();
  const start = at ? `starts at ${at.toString()}` : 'starts now';
  return { id, when: `${start}${everyMs !== null ? `, then every ${formatDuration(everyMs)}, each start in a folder of its own` : ''}` };
}

/** -at / -every instead of starting now: the schedule, and how to see it and remove it. Exit 0, or 1 when the folder has one already. */
export async function scheduleWork(client: Client, flags: Flags, io: Io, work: ScheduledWork): Promise<number> {
  let scheduled;
  try {
    scheduled = await createSchedule(client, flags, work);
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    const id = scheduleIdFor(work.memo.outputDir);
    io.err(`overnight-llm: ${work.memo.outputDir} has a schedule already (${id}): see overnight-llm list; overnight-llm cancel ${id} removes it`);
    return 1;
  }
  io.err(`scheduled ${scheduled.id}: ${scheduled.when} → ${work.memo.outputDir}`);
  io.err(`a worker must be running then (overnight-llm worker, or make worker); overnight-llm list shows it, overnight-llm cancel ${scheduled.id} removes it`);
  io.out(scheduled.id);
  return 0;
}

/** `list`: the schedules of overnight-llm, with their next starts. */
export async function scheduleLines(client: Client): Promise<{ id: string; next: string | null; memo: Partial<RunMemo> }[]> {
  const rows = [];
  for await (const schedule of client.schedule.list()) {
    if (!schedule.scheduleId.startsWith(SCHEDULE_PREFIX)) continue;
    const next = schedule.info.nextActionTimes[0]?.toISOString() ?? null;
    rows.push({ id: schedule.scheduleId, next, memo: (schedule.memo ?? {}) as Partial<RunMemo> });
  }
  return rows;
}

/** `cancel ID` of a schedule: removes it (runs it started go on; cancel them by their own ids). */
export async function removeSchedule(client: Client, id: string, io: Io): Promise<number> {
  try {
    await client.schedule.getHandle(id).delete();
  } catch (err) {
    if (!(err instanceof ScheduleNotFoundError)) throw err;
    io.err(`overnight-llm: no schedule ${id}: see overnight-llm list`);
    return 2;
  }
  io.out(`removed schedule ${id}`);
  return 0;
}
