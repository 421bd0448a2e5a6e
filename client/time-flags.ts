// Durations, clock times and time zones in flags: -review-timeout 1h, -every 24h, -since 12h,
// -at 01:30, -tz Europe/Berlin.
// Pure functions, so bad values are usage errors before any server is asked.

const UNITS_MS = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 } as const;

/** Go-style durations with days: 90s, 30m, 1h30m, 24h, 7d. Null when `raw` is not one. */
export function parseDuration(raw: string): number | null {
  const match = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(raw.trim());
  if (!match || raw.trim() === '') return null;
  const [, d, h, m, s] = match.map((part) => Number(part ?? 0));
  return d * UNITS_MS.d + h * UNITS_MS.h + m * UNITS_MS.m + s * UNITS_MS.s;
}

/** A duration for people: 1 h 30 min, 45 s. */
export function formatDuration(ms: number): string {
  const parts: string[] = [];
  let rest = Math.round(ms / 1000);
  for (const [unit, seconds] of [
    ['d', 86_400],
    ['h', 3600],
    ['min', 60],
    ['s', 1],
  ] as const) {
    if (rest >= seconds) parts.push(`${Math.floor(rest / seconds)} ${unit}`);
    rest %= seconds;
  }
  return parts.join(' ') || '0 s';
}

/** This machine's IANA time zone, the default of -tz. */
export const machineTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return name !== '';
  } catch {
    return false;
  }
}

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0 Sunday … 6 Saturday. */
  weekday: number;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** What a clock on the wall in `timeZone` shows at `at`. */
export function wallClock(at: Date, timeZone: string): WallClock {
  const fields = { year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', weekday: 'short' } as const;
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', ...fields }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)!.value;
  const n = (type: string) => Number(part(type));
  return {
    year: n('year'),
    month: n('month'),
    day: n('day'),
    hour: n('hour'),
    minute: n('minute'),
    second: n('second'),
    weekday: WEEKDAYS.indexOf(part('weekday')),
  };
}

/** The moment a wall clock in `timeZone` shows these fields (the day may overflow into the next month). */
function zonedMoment(y: number, mo: number, d: number, h: number, mi: number, s: number, timeZone: string): Date {
  const wanted = Date.UTC(y, mo - 1, d, h, mi, s);
  let guess = wanted;
  // The zone's offset at the guess moves it; twice settles it, also next to a DST change.
  for (let i = 0; i < 2; i++) {
    const w = wallClock(new Date(guess), timeZone);
    guess += wanted - Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  }
  return new Date(guess);
}

/**
 * -at: `HH:MM` (or HH:MM:SS) is the next such time on a clock in `timeZone` (-tz), today or
 * tomorrow; `YYYY-MM-DDTHH:MM` is that time there (or with Z/offset, that moment), which must lie
 * ahead. Null when `raw` is neither.
 */
export function parseStartTime(raw: string, now: Date = new Date(), timeZone = machineTimeZone()): Date | null {
  const clock = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(raw.trim());
  if (clock) {
    const [h, m, s] = [Number(clock[1]), Number(clock[2]), Number(clock[3] ?? 0)];
    if (h > 23 || m > 59 || s > 59) return null;
    const today = wallClock(now, timeZone);
    const at = zonedMoment(today.year, today.month, today.day, h, m, s, timeZone);
    return at.getTime() > now.getTime() ? at : zonedMoment(today.year, today.month, today.day + 1, h, m, s, timeZone);
  }
  const dateTime = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/.exec(raw.trim());
  if (!dateTime) return null;
  const at = new Date(raw.trim());
  if (Number.isNaN(at.getTime())) return null;
  if (dateTime[8]) return at; // an offset of its own: that moment
  const [y, mo, d, h, mi, s] = dateTime.slice(1, 7).map((p) => Number(p ?? 0)) as [number, number, number, number, number, number];
  return zonedMoment(y, mo, d, h, mi, s, timeZone);
}
