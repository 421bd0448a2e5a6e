// Durations and clock times in flags: -review-timeout 1h, -every 24h, -since 12h, -at 01:30.
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

/**
 * -at: `HH:MM` (or HH:MM:SS) is the next such local time, today or tomorrow; `YYYY-MM-DDTHH:MM`
 * (local, or with Z/offset) is that moment, which must lie ahead. Null when `raw` is neither.
 */
export function parseStartTime(raw: string, now: Date = new Date()): Date | null {
  const clock = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(raw.trim());
  if (clock) {
    const [h, m, s] = [Number(clock[1]), Number(clock[2]), Number(clock[3] ?? 0)];
    if (h > 23 || m > 59 || s > 59) return null;
    const at = new Date(now);
    at.setHours(h, m, s, 0);
    if (at.getTime() <= now.getTime()) at.setDate(at.getDate() + 1);
    return at;
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/.test(raw.trim())) return null;
  const at = new Date(raw.trim());
  return Number.isNaN(at.getTime()) ? null : at;
}
