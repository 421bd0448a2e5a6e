// Actions the sentence states and the model's plan left out, put in by code: "a todo can be
// marked done", "a booking can be cancelled", "tools that can be lent and returned". Each is an
// action that sets a state: a flag of that name (false until the action), or the enum value of
// that name when the plan has one. Code writes such a body (core/plan.ts stateSetBy); each change
// is named in the notes.
import { goName, spacedName, fieldsOf, actionsOf, filtersOf } from './plan.js';
import { actionsStated, activeActionsStated } from './sentence.js';
import { meansNotFlagged } from './verbs.js';

export const NOT_A_STATE = new Set([
  ...['and', 'or', 'with', 'when', 'by', 'the', 'a', 'an', 'as', 'it', 'them', 'one', 'for', 'to', 'on', 'in', 'of'],
  // "a todo list where todos have …": a clause, not "the where todos".
  ...['where', 'that', 'which', 'who', 'whose', 'what', 'my', 'our', 'your', 'their', 'its', 'every', 'each', 'some', 'any'],
]);

type Raw = Record<string, unknown>;
const capital = (s: string) => `${s[0]!.toUpperCase()}${s.slice(1)}`;

/** Every action the sentence states, put into the plan's raw resources where missing. */
export function actionsPutIn(all: Raw[], text: string, notes: string[]): void {
  markedAs(all, text, notes);
  for (const a of [...actionsStated(text, all), ...activeActionsStated(text, all)]) {
    const r = all.find((x) => x.name === a.resource)!;
    // The model planned it under a name of its own ("cancelBooking"): its name starts with the verb.
    const planned = actionsOf(r).find((x) => typeof x.name === 'string' && x.name.toLowerCase().startsWith(a.verb));
    const named = planned ? fieldsNamed(String(planned.description ?? ''), r) : [];
    const onlyTimes = named.length > 0 && named.every((f) => f.type === 'date' || f.type === 'datetime');
    const outside = planned ? valueOutside(String(planned.description ?? ''), r) : null;
    if (planned && named.length > 0 && !onlyTimes && !outside) continue;
    // A planned one whose words name no field has nothing to change (seen: the 0.5B's "cancels a
    // booking" emptied the booking); one that only moves a date ("sets endTime to current time",
    // the 1.5B's cancel) leaves the item reading as before, not cancelled. Code's reading of the
    // sentence, a state the item shows, replaces it, under its name.
    if (planned) {
      r.actions = actionsOf(r).filter((x) => x !== planned);
      const why = outside
        ? `its description sets ${outside}, which is not one of its values`
        : onlyTimes
          ? `its description only sets ${named.map((f) => String(f.name)).join(' and ')}, and a ${a.state} ${String(r.name)} would not read as ${a.state}`
          : `its description names no field of ${String(r.name)}`;
      notes.push(`${String(r.name)}.actions.${String(planned.name)}: ${why}, so code says what it sets`);
    }
    putAction(r, planned ? String(planned.name) : a.verb, a.state, !a.undoes, a.phrase, notes);
  }
}

/** "sets status to finished" where status is an enum without "finished": the words, else null. */
function valueOutside(words: string, r: Raw): string | null {
  const m = /\bsets (\w+) to "?([a-z][a-z_ ]*?)"?(?= and |[;,.(]|$)/.exec(words.toLowerCase());
  const field = m ? fieldsOf(r).find((f) => String(f.name).toLowerCase() === m[1] && f.type === 'enum' && Array.isArray(f.values)) : undefined;
  return field && !(field.values as unknown[]).map(String).includes(m![2]!.trim()) ? `${String(field.name)} to ${m![2]!.trim()}` : null;
}

/** The fields of `r` words name ("sets endTime to now", "the end time"). */
function fieldsNamed(words: string, r: Raw): Raw[] {
  const text = words.toLowerCase();
  return fieldsOf(r).filter((f) => {
    const name = String(f.name ?? '');
    return name.length > 0 && (text.includes(name.toLowerCase()) || text.includes(spacedName(name)));
  });
}

/**
 * The action `name` that sets `state` to `value` on an item of `r`: by the flag of that name (put
 * in when missing), or by the enum value of that name ("status: cancelled").
 */
function putAction(r: Raw, name: string, state: string, value: boolean, phrase: string, notes: string[]): void {
  const fields = fieldsOf(r);
  const flag = fields.find((f) => f.type === 'boolean' && (f.name === state || f.name === `is${capital(state)}`));
  const choice = fields.find((f) => f.type === 'enum' && Array.isArray(f.values) && f.values.includes(state));
  let description: string;
  if (flag) description = `sets ${String(flag.name)} to ${value}`;
  else if (choice) description = value ? `sets ${String(choice.name)} to ${state}` : `ends the ${state} state of ${String(choice.name)}`;
  else {
    if (fields.some((f) => f.name === state)) return; // a field of that name that is no flag: not code's to change
    r.fields = [...fields, { name: state, type: 'boolean', required: false, default: false }];
    notes.push(`${String(r.name)}.${state}: a boolean (false until ${name}): the request says "${phrase}"`);
    description = `sets ${state} to ${value}`;
  }
  r.actions = [...actionsOf(r), { name, description: `${description} (the request says "${phrase}")` }];
  notes.push(`${String(r.name)}.actions + ${name}: the request says "${phrase}"`);
}

/** "a todo can be marked done", "mark a book as read": the action `markDone` that sets the flag `done`. */
function markedAs(all: Raw[], text: string, notes: string[]): void {
  for (const m of text.matchAll(/\bmark(?:ed|s)? (?:(?:a|an|the|it|them|one) )?(?:([a-z]+) )?(?:as )?([a-z]{3,})\b/g)) {
    const named = all.find((r) => m[1] !== undefined && (r.name === m[1] || r.plural === m[1]));
    const state = named || m[1] === undefined || NOT_A_STATE.has(m[1]) ? m[2]! : m[1];
    if (NOT_A_STATE.has(state)) continue;
    // The resource named in the phrase, else the last one the sentence names before it, else the only one.
    const before = text.slice(0, m.index);
    const r = named ?? [...all].sort((a, b) => before.lastIndexOf(String(b.name)) - before.lastIndexOf(String(a.name)))[0] ?? undefined;
    if (!r || (!named && all.length > 1 && before.lastIndexOf(String(r.name)) < 0)) continue;
    const action = `mark${capital(state)}`;
    const stem = state.replace(/e?d$/, '');
    if (actionsOf(r).some((a) => a.name === action || (typeof a.name === 'string' && a.name.toLowerCase().includes(stem)))) continue;
    putAction(r, action, state, true, m[0], notes);
  }
}

/**
 * An "action" named list or list… ("listPlantsThatNeedWater", the 0.5B's) is a listing, not something done
 * to one item (POST /plants/{id}/listPlantsThatNeedWater): dropped when the resource has a filter
 * in words already (code's reading of "list the …"), else made a filter: by the flag it names, or
 * in the model's words.
 */
export function listingsAsFilters(all: Raw[], notes: string[]): void {
  for (const r of all) {
    for (const a of actionsOf(r).filter((x) => typeof x.name === 'string' && /^list(?:[A-Z]|$)/.test(x.name))) {
      r.actions = actionsOf(r).filter((x) => x !== a);
      const at = `${String(r.name)}.actions.${String(a.name)}`;
      // A bare "list" names no list of its own: any filter the resource has is the listing it meant.
      const inWords = filtersOf(r).find((f) => f.field === undefined) ?? (a.name === 'list' ? filtersOf(r)[0] : undefined);
      if (inWords) {
        notes.push(`${at} dropped: a listing is a filter, here ${String(inWords.name)}`);
        continue;
      }
      const rest = String(a.name)
        .slice(4)
        .replace(new RegExp(`^${capital(String(r.plural ?? ''))}`), '')
        .replace(/^(?:That|Which|Who)(?:Are|Is)?(?=[A-Z])/, '');
      const name = rest ? `${rest[0]!.toLowerCase()}${rest.slice(1)}` : 'listed';
      const flag = fieldsOf(r).find((f) => f.name === name && f.type === 'boolean');
      r.filters = [...filtersOf(r), flag ? { name, field: name } : { name, description: String(a.description ?? name) }];
      notes.push(`${at} → filter ${name}: a listing is a filter, not an action on one ${String(r.name)}`);
    }
  }
}

/** The route each CRUD verb is, for an "action" that only names one. */
const CRUD_ROUTES: [RegExp, (plural: string) => string][] = [
  [/^(?:delete|remove|destroy)$/, (p) => `DELETE /${p}/{id} removes`],
  [/^(?:create|add|new)$/, (p) => `POST /${p} creates`],
  [/^(?:read|get|fetch|retrieve|show|view)$/, (p) => `GET /${p}/{id} reads`],
  [/^(?:update|edit|modify|replace)$/, (p) => `PUT /${p}/{id} replaces`],
];

/**
 * An "action" delete, create, read or update (remove, add, get, edit…) is a route every resource
 * has: the model's body for it (seen: the 1.5B's "removes the task", which dereferenced a nil
 * field; the 0.5B's create, read and update on a person) would only shadow the route code writes.
 * Dropped, and named.
 */
export function crudActionsAsRoutes(all: Raw[], notes: string[]): void {
  for (const r of all) {
    const own = new Set(['', goName(String(r.name)), goName(String(r.plural))]);
    for (const a of actionsOf(r)) {
      // The verb alone, or with the resource's own name: "removeTask"; "addIngredient" is not a route of recipes.
      const m = typeof a.name === 'string' ? /^([a-z]+)([A-Z]\w*)?$/.exec(a.name) : null;
      const route = m && own.has(m[2] ?? '') ? CRUD_ROUTES.find(([verb]) => verb.test(m[1]!)) : undefined;
      if (!route) continue;
      r.actions = actionsOf(r).filter((x) => x !== a);
      notes.push(`${String(r.name)}.actions.${String(a.name)} dropped: ${route[1](String(r.plural))} an item already`);
    }
  }
}

/**
 * The flag whose being false a listed state means, when one of `r`'s actions sets it: "list the
 * active bookings" where cancel sets `cancelled` → "cancelled is false", a body code writes. A
 * boolean field of the state's own name that no action sets (the 0.5B's `available` beside the
 * `lent` that lend sets) would let a client say otherwise than the actions: dropped, named.
 */
export function flagAgainstState(r: Raw, state: string, notes: string[]): string | null {
  const set = actionsOf(r).flatMap((a) => /^sets (\w+) to true\b/.exec(String(a.description ?? ''))?.[1] ?? []);
  const against = fieldsOf(r).filter((f) => f.type === 'boolean' && set.includes(String(f.name)) && meansNotFlagged(state, spacedName(f.name)));
  if (against.length !== 1) return null;
  const standIn = fieldsOf(r).find((f) => f.type === 'boolean' && [state, `is${capital(state)}`].includes(String(f.name)) && !set.includes(String(f.name)));
  if (standIn) {
    r.fields = fieldsOf(r).filter((f) => f !== standIn);
    r.filters = filtersOf(r).filter((f) => f.field !== standIn.name);
    notes.push(`${String(r.name)} field ${String(standIn.name)} dropped: no action sets it, and "${state}" reads as ${String(against[0]!.name)} is false`);
  }
  return String(against[0]!.name);
}
