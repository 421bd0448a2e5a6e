// -at and -every: a run (or a batch) started later by a Temporal schedule on the server, so it
// starts while the user sleeps; `list` shows the schedules, `cancel ID` removes one. The
// schedule's id derives from the output folder: one schedule a folder.
import { ScheduleAlreadyRunning, ScheduleNotFoundError, type CalendarSpec, type Client, type ScheduleSpec } from '@temporalio/client';
import type { Io } from './session.js';
import type { RunMemo } from './run-input.js';
import type { Flags } from './flags.js';
import type { startAttributes } from './search-attributes.js';
import { folderIdFor } from './run-input.js';
import { formatDuration, parseDuration, parseStartTime, wallClock } from './time-flags.js';

export const SCHEDULE_PREFIX = 'overnight-schedule-';

const MONTHS = ['JANUARY', 'FEBRUARY', 'MARCH', 'APRIL', 'MAY', 'JUNE', 'JULY', 'AUGUST', 'SEPTEMBER', 'OCTOBER', 'NOVEMBER', 'DECEMBER'] as const;

export const scheduleIdFor = (outputDir: string) => folderIdFor(SCHEDULE_PREFIX.slice(0, -1), outputDir);

const DAYS = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'] as const;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * -every as a calendar on a clock in `timeZone`, when the interval is a time of day: a day, a
 * week, or whole hours that divide a day (12h, 6h). A fixed interval is UTC and shifts by an hour
 * at a daylight-saving change; a calendar stays at its time of day. Null for other intervals.
 */
export function timeOfDayCalendar(first: Date, everyMs: number, timeZone: string): CalendarSpec | null {
  const w = wallClock(first, timeZone);
  const time = { minute: w.minute, second: w.second };
  if (everyMs === DAY_MS) return { ...time, hour: w.hour };
  if (everyMs === 7 * DAY_MS) return { ...time, hour: w.hour, dayOfWeek: DAYS[w.weekday]! };
  if (everyMs % HOUR_MS === 0 && everyMs < DAY_MS && DAY_MS % everyMs === 0) {
    const step = everyMs / HOUR_MS;
    return { ...time, hour: { start: w.hour % step, end: 23, step } };
  }
  return null;
}

/**
 * When the schedule starts its work: once at `at`; every `everyMs` from `at` on (a start exactly
 * at `at`), or every `everyMs` from now (the first start is triggered at once). A time-of-day
 * interval is a calendar in `timeZone` (-tz); -at alone is an absolute moment, so UTC.
 */
export function scheduleSpecFor(at: Date | null, everyMs: number | null, now: Date, timeZone: string): ScheduleSpec {
  if (everyMs !== null) {
    const first = at ?? now;
    const startAt = new Date(first.getTime() - 1000); // none before `first`
    const calendar = timeOfDayCalendar(first, everyMs, timeZone);
    if (calendar) return { calendars: [calendar], timezone: timeZone, startAt };
    return { intervals: [{ every: everyMs, offset: first.getTime() % everyMs }], startAt };
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
  /** Each start's search attributes (the release that scheduled it), when the server has them. */
  attributes: ReturnType<typeof startAttributes>;
}

/** Creates the schedule; returns its id and one line on when it starts, or throws ScheduleAlreadyRunning. */
export async function createSchedule(client: Client, flags: Flags, work: ScheduledWork): Promise<{ id: string; when: string }> {
  const at = flags.at ? parseStartTime(flags.at, new Date(), flags.tz) : null;
  const everyMs = flags.every ? parseDuration(flags.every) : null;
  const id = scheduleIdFor(work.memo.outputDir);
  const handle = await client.schedule.create({
    scheduleId: id,
    spec: scheduleSpecFor(at, everyMs, new Date(), flags.tz),
    action: {
      type: 'startWorkflow',
      workflowType: work.workflowType,
      args: work.args,
      taskQueue: flags['task-queue'],
      workflowId: work.workflowId,
      memo: { ...work.memo },
      ...work.attributes,
    },
    // A night the machine slept through still runs when it wakes (within a day); never two at once.
    policies: { overlap: 'SKIP', catchupWindow: '1 day' },
    memo: { ...work.memo },
    ...(everyMs === null ? { state: { remainingActions: 1 } } : {}),
  });
  // The first start now, under the schedule's own overlap policy: trigger() alone allows any
  // overlap, and the server then does not track that run (a start due an hour later would run beside it).
  if (everyMs !== null && !at) await handle.trigger('SKIP');
  const start = at ? `starts at ${localTime(at, flags.tz)}` : 'starts now';
  return { id, when: `${start}${everyMs !== null ? `, then every ${formatDuration(everyMs)}, each start in a folder of its own` : ''}` };
}

/** 2026-12-03 01:30:00 Europe/Berlin. */
function localTime(at: Date, timeZone: string): string {
  const w = wallClock(at, timeZone);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${w.year}-${two(w.month)}-${two(w.day)} ${two(w.hour)}:${two(w.minute)}:${two(w.second)} ${timeZone}`;
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
