// Field mends the plan's normalization makes by code: a format the plan cannot hold, a flag named
// "xFlag". Each is named in the notes (plan-normalize.ts runs them).
import { isObject } from './plan.js';

/** Records one mend: what, from, to. */
export type Mend = (what: string, from: unknown, to: unknown) => void;

/** A format is email or url on a string: "uri" is url, a "date" or "date-time" string is that type,
 * and any other ("sku", "currency", a format on a number) is dropped and named, not asked again. */
export function formatKept(f: Record<string, unknown>, at: string, mend: Mend, notes: string[]): void {
  const format = typeof f.format === 'string' ? f.format.toLowerCase() : f.format;
  const asType = f.type === 'string' && typeof format === 'string' ? { date: 'date', 'date-time': 'datetime', datetime: 'datetime' }[format] : undefined;
  if (f.type === 'string' && (format === 'uri' || format === 'email' || format === 'url')) {
    if (f.format !== (format === 'uri' ? 'url' : format)) mend(`${at}.format`, f.format, format === 'uri' ? 'url' : format);
    f.format = format === 'uri' ? 'url' : format;
    return;
  }
  if (asType) mend(`${at}.type`, f.type, asType);
  else notes.push(`${at}.format ${JSON.stringify(f.format)} dropped: a format is email or url, on a string field`);
  if (asType) f.type = asType;
  delete f.format;
}

/**
 * "a watered flag": the flag is the state, so wateredFlag (or watered_flag) is named watered, as
 * "list the plants that are watered" and "sets watered to true" say it; filters by it and action
 * descriptions that name it follow.
 */
export function flagsByState(r: Record<string, unknown>, at: string, mend: Mend): void {
  if (!Array.isArray(r.fields)) return;
  const names = new Set(r.fields.map((f) => (isObject(f) ? f.name : undefined)));
  r.fields.forEach((f, i) => {
    const m = isObject(f) && f.type === 'boolean' && typeof f.name === 'string' ? /^([a-z][A-Za-z0-9]*?)Flag$/.exec(f.name) : null;
    if (!m || names.has(m[1]) || !isObject(f)) return;
    const [from, to] = [f.name as string, m[1]!];
    mend(`${at}.fields[${i}].name`, from, to);
    f.name = to;
    const renamed = (e: unknown) => {
      if (!isObject(e)) return e;
      const out = { ...e };
      if (out.field === from) out.field = to;
      if (out.name === from) out.name = to;
      if (typeof out.description === 'string') out.description = out.description.replace(new RegExp(`\\b${from}\\b`, 'g'), to);
      return out;
    };
    for (const key of ['filters', 'actions', 'rules'] as const) if (Array.isArray(r[key])) r[key] = (r[key] as unknown[]).map(renamed);
  });
}
