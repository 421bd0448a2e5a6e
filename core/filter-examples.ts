// Example items for a filter defined in words ("the active bookings"), sorted by the model from
// the sentence. Code makes the items: a base item, then one change at a time (a flag set, another
// enum value, the dates moved around now), then the base item after each action ("cancel", then
// is it active?); the model only says which of them the list holds. The verdicts are the model's
// understanding of the words, said once: they go into the methods' prompts and into subtests that
// hold the filter and the actions to them (core/go/tests-examples.ts). A filter by a flag
// (`?available=true`) is code's, but whether lending moves a tool out of it is the sentence's: its
// items are the ones after an action.
import { parentField, stateSetBy, type Field, type Filter, type FilterExample, type Resource } from './plan.js';

export type ExampleValue = string | number | boolean;

/** The most items the model is asked to sort: more are more for a small model to get wrong. */
const MAX_ITEMS = 8;
const MAX_AFTER = 3;

/** An item to sort: the values code set, and the action called on it after it was created. */
export interface ItemToSort {
  set: Record<string, ExampleValue>;
  after?: string;
}

const isDay = (f: Field) => f.type === 'date' || f.type === 'datetime';
/** A date `n` units from now: hours for a date-time, days for a date. */
const shift = (f: Field, n: number, days = f.type === 'date') =>
  f.type === 'date' ? `today${n < 0 ? '' : '+'}${n}d` : `now${n < 0 ? '' : '+'}${n}${days ? 'd' : 'h'}`;

/** The fields an example may set: the resource's own, not its parent's id, not free text or numbers. */
function exampleFields(r: Resource): Field[] {
  return r.fields.filter((f) => !(r.parent && f.name === parentField(r.parent)) && ['boolean', 'enum', 'date', 'datetime'].includes(f.type));
}

/**
 * The items to sort, without verdicts: the base (flags off, first enum values, dates around now:
 * a lone date a day ago, several spanning now as a start and an end would), then each flag on,
 * each other enum value, and the dates all past, long past and all future.
 */
export function exampleItems(r: Resource): Record<string, ExampleValue>[] {
  const fields = exampleFields(r);
  const days = fields.filter(isDay);
  const base: Record<string, ExampleValue> = {};
  for (const f of fields) {
    if (f.type === 'boolean') base[f.name] = false;
    if (f.type === 'enum' && f.values?.length) base[f.name] = f.values[0]!;
  }
  days.forEach((f, i) => (base[f.name] = shift(f, days.length > 1 && i > 0 ? 1 : -1)));
  const out = [base];
  const changed = (changes: Record<string, ExampleValue>) => out.push({ ...base, ...changes });
  for (const f of fields.filter((x) => x.type === 'boolean').slice(0, 3)) changed({ [f.name]: true });
  if (days.length) {
    if (days.length > 1) changed(Object.fromEntries(days.map((f, i) => [f.name, shift(f, i - 1 - days.length)])));
    changed(Object.fromEntries(days.map((f, i) => [f.name, shift(f, -400 + i, true)])));
    changed(Object.fromEntries(days.map((f, i) => [f.name, shift(f, 30 + i, true)])));
  }
  for (const f of fields.filter((x) => x.type === 'enum')) for (const v of (f.values ?? []).slice(1, 3)) changed({ [f.name]: v });
  return out.slice(0, MAX_ITEMS);
}

const RELATIVE = /^(now|today)([+-]\d+)([hd])$/;

/** A relative date as an offset: [hours, days]; null for any other value. */
export function relativeOffset(v: ExampleValue): { hours: number; days: number; date: boolean } | null {
  const m = typeof v === 'string' ? RELATIVE.exec(v) : null;
  if (!m) return null;
  const n = Number(m[2]);
  return { hours: m[3] === 'h' ? n : 0, days: m[3] === 'd' ? n : 0, date: m[1] === 'today' };
}

/** How far from now an offset is, and which way: [`2 hours`, -1]. */
function distance(o: { hours: number; days: number }): [string, number] {
  const n = o.hours || o.days;
  return [`${Math.abs(n)} ${o.hours ? 'hour' : 'day'}${Math.abs(n) === 1 ? '' : 's'}`, Math.sign(n)];
}

/** A value as the model reads it: a relative date resolved against `now`, with how far it is ("2 hours ago"). */
export function shownValue(v: ExampleValue, now: Date): string {
  const o = relativeOffset(v);
  if (!o) return JSON.stringify(v);
  const at = new Date(now.getTime() + (o.hours * 3600 + o.days * 86400) * 1000);
  const text = o.date ? at.toISOString().slice(0, 10) : `${at.toISOString().slice(0, 16)}:00Z`;
  const [far, sign] = distance(o);
  return `${JSON.stringify(text)} (${sign < 0 ? `${far} ago` : `in ${far}`})`;
}

/**
 * One item as the prompt shows it; a value an action sets says so ("lent: true (as lend leaves
 * it)"): shown the flag alone, the 1.5B called a lent tool available.
 */
export function itemLine(item: Record<string, ExampleValue>, now: Date, r?: Resource): string {
  const setBy = (k: string, v: ExampleValue) =>
    r?.actions.find((a) => {
      const s = stateSetBy(r, a);
      return s?.field.name === k && s.value === v;
    });
  return Object.entries(item)
    .map(([k, v]) => {
      const a = setBy(k, v);
      return `${k}: ${shownValue(v, now)}${a ? ` (as ${a.name} leaves it)` : ''}`;
    })
    .join(', ');
}

/**
 * Each item is asked about twice, the second time the other way round ("is it left out?"): a
 * model that answers by habit, not by the item (the 0.5B often says false to everything), then
 * contradicts itself, and that item is no example. (With a reason asked first, the 0.5B and 1.5B
 * reasoned about the request's wording, not the item, and answered all one way.)
 */
export const QUESTIONS = {
  listed: { key: 'listed', answer: '{"listed": true} if it is, {"listed": false} if it is not' },
  leftOut: { key: 'leftOut', answer: '{"leftOut": true} if it is left out, {"leftOut": false} if it is listed' },
} as const;

/** The JSON schema of one answer to a question. */
export const verdictSchema = (key: 'listed' | 'leftOut') => ({ type: 'object', properties: { [key]: { type: 'boolean' } }, required: [key] });

/** The model's answer to one question, or null when it holds none. */
export function verdictOf(answer: string, key: 'listed' | 'leftOut' = 'listed'): boolean | null {
  try {
    const v = (JSON.parse(answer) as Record<string, unknown>)?.[key];
    return typeof v === 'boolean' ? v : null;
  } catch {
    return null;
  }
}

/** Whether the list holds the item by both answers, or null when they contradict each other or one is missing. */
export const agreed = (listed: boolean | null, leftOut: boolean | null): boolean | null =>
  listed === null || leftOut === null || listed === leftOut ? null : listed;

/**
 * The base item after each action (at most 3): an action that sets a state is tried on an item in
 * another state (a return on a lent tool), any other on the base item.
 */
export function afterItems(r: Resource): ItemToSort[] {
  const base = exampleItems(r)[0]!;
  return r.actions.slice(0, MAX_AFTER).map((a) => {
    const s = stateSetBy(r, a);
    if (!s) return { set: base, after: a.name };
    const other = s.field.type === 'boolean' ? !s.value : s.field.values!.find((v) => v !== s.value)!;
    return { set: { ...base, [s.field.name]: other }, after: a.name };
  });
}

/** A filter by a flag's value (`?available=true`): code compares, but actions may move items in and out. */
const byFlag = (r: Resource, f: Filter) => f.field !== undefined && r.fields.find((x) => x.name === f.field)?.type === 'boolean';

/** The actions whose effect on a filter's list code does not know: all for a filter in words; for one by a flag, those that do not set that flag. */
export function actionsUnknownTo(r: Resource, f: Filter): string[] {
  return r.actions.filter((a) => f.field === undefined || stateSetBy(r, a)?.field.name !== f.field).map((a) => a.name);
}

/** The items the model sorts for one filter: the plain ones for a filter in words, then the ones after each action whose effect code does not know. */
export function itemsToSort(r: Resource, f: Filter): ItemToSort[] {
  const plain = f.field === undefined && exampleFields(r).length > 0 ? exampleItems(r).map((set) => ({ set })) : [];
  const unknown = actionsUnknownTo(r, f);
  return [...plain, ...afterItems(r).filter((i) => unknown.includes(i.after!))];
}

/**
 * The agreed verdicts as examples, or why they cannot be used: an item without one (no answer, or
 * two that contradict each other) is left out, more than half of them is too many; with plain
 * items the rest must list some items and leave out others (all one way tells a body nothing).
 */
export function examplesFrom(items: ItemToSort[], verdicts: (boolean | null)[]): { examples: FilterExample[] } | { why: string } {
  const kept = items.flatMap((item, i) => (verdicts[i] === null || verdicts[i] === undefined ? [] : [{ ...item, listed: verdicts[i] as boolean }]));
  if (kept.length === 0 || kept.length * 2 < items.length)
    return { why: `the model contradicted itself, or did not answer, on ${items.length - kept.length} of ${items.length} items` };
  const oneWay = kept.every((e) => e.listed) || kept.every((e) => !e.listed);
  if (oneWay && kept.some((e) => e.after === undefined)) return { why: `the model ${kept[0]!.listed ? 'listed' : 'left out'} every item` };
  return { examples: kept };
}

/**
 * The filters of a resource whose examples the model is asked for, none given yet (a plan the user
 * edited may hold some): in words and not a comparison code writes, or by a flag when actions exist.
 */
export const sortableFilters = (r: Resource, codeWrites: (f: Filter) => boolean) =>
  r.filters.filter(
    (f) =>
      !f.examples?.length &&
      ((f.field === undefined && !codeWrites(f) && (exampleFields(r).length > 0 || r.actions.length > 0)) ||
        (byFlag(r, f) && actionsUnknownTo(r, f).length > 0)),
  );

/** An example's values in words, as the method's prompt and its fix requests show them: "done false, due 1 day before now". */
export function exampleWords(set: Record<string, ExampleValue>): string {
  const value = (v: ExampleValue) => {
    const o = relativeOffset(v);
    if (!o) return JSON.stringify(v);
    const [far, sign] = distance(o);
    return `${far} ${sign < 0 ? 'before' : 'after'} now`;
  };
  return Object.entries(set)
    .map(([k, v]) => `${k} ${value(v)}`)
    .join(', ');
}

/** The examples in words for the filter's prompt (not the ones after an action): "now" stands for the current time. */
export function examplesForPrompt(examples: FilterExample[]): string {
  const line = (e: FilterExample) => `- ${exampleWords(e.set)}: ${e.listed ? 'true' : 'false'}`;
  return examples
    .filter((e) => e.after === undefined)
    .map(line)
    .join('\n');
}

/** A value an example may give a field: its type's, in range, a date relative to now or a calendar one. */
function fits(f: Field, v: unknown): boolean {
  switch (f.type) {
    case 'boolean':
      return typeof v === 'boolean';
    case 'enum':
      return typeof v === 'string' && (f.values ?? []).includes(v);
    case 'date':
    case 'datetime':
      return typeof v === 'string' && (relativeOffset(v) !== null || !Number.isNaN(Date.parse(v)));
    case 'integer':
    case 'number':
      return typeof v === 'number' && (f.type === 'number' || Number.isInteger(v)) && v >= (f.min ?? -Infinity) && v <= (f.max ?? Infinity);
    case 'string':
      return typeof v === 'string';
  }
}

/** A filter's examples as the plan check reads them (a plan the user edits may carry them): each problem is one line. */
export function checkExamples(value: unknown, fields: Field[], actions: string[], where: string, errors: string[]): FilterExample[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) {
    errors.push(`${where}.examples must be a list of {"set": {field: value}, "listed": true or false}`);
    return undefined;
  }
  return value.map((e, i) => {
    const at = `${where}.examples[${i}]`;
    const set = typeof e === 'object' && e !== null && !Array.isArray(e) ? (e as Record<string, unknown>).set : undefined;
    const listed = typeof e === 'object' && e !== null ? (e as Record<string, unknown>).listed : undefined;
    const after = typeof e === 'object' && e !== null ? (e as Record<string, unknown>).after : undefined;
    if (typeof listed !== 'boolean') errors.push(`${at}.listed must be true or false`);
    if (after !== undefined && !actions.includes(after as string))
      errors.push(`${at}.after must name an action of this resource (${actions.join(', ') || 'it has none'}), or be left out`);
    if (typeof set !== 'object' || set === null || Array.isArray(set)) {
      errors.push(`${at}.set must be an object of field values`);
      return { set: {}, listed: listed === true };
    }
    for (const [k, v] of Object.entries(set)) {
      const f = fields.find((x) => x.name === k);
      if (!f) errors.push(`${at}.set.${k} is not a field`);
      else if (!fits(f, v))
        errors.push(
          `${at}.set.${k}: ${JSON.stringify(v)} is not a valid ${f.type}${f.type === 'date' || f.type === 'datetime' ? ' (or now-2h, today+30d)' : ''}`,
        );
    }
    return { set: set as Record<string, ExampleValue>, ...(typeof after === 'string' ? { after } : {}), listed: listed === true };
  });
}
