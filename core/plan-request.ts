// What the request says, read by code to mend the plan: the module named after its subject, a
// resource it does not ask for dropped, and the relations, uniqueness and ranges it states in so
// many words put in. Code reads what the sentence says; it does not guess what it means.
import { actionsPutIn, crudActionsAsRoutes, flagAgainstState, listingsAsFilters, NOT_A_STATE } from './plan-actions.js';
import { GO_KEYWORDS, isObject, MAX_FIELDS, pluralOf, RESOURCE_PATTERN, singularsOf, spacedName, withArticle, fieldsOf, filtersOf } from './plan.js';
import { namesWordOf } from './fidelity.js';
import { comparisonsStated } from './plan-compare.js';
import { ARTICLES, GENERIC_MODULE_WORDS, relationsStated, subjectWords } from './sentence.js';
import { participleOf, verbOf } from './verbs.js';
import { namedIfBare, parentNameDropped, resourcesPutIn } from './stated-resources.js';
import { fieldsStated, isStatedField, statedName } from './sentence-fields.js';

/** A module name from the request's subject: "REST API for a bookstore" → bookstore-api; null when it gives nothing. */
export function moduleFromRequest(request: string): string | null {
  const kept = subjectWords(request).slice(0, 3);
  return kept.length && /^[a-z]/.test(kept[0]!) ? `${kept.join('-')}-api` : null;
}

/**
 * The request's words that may name a thing, without its verbs: "list the expenses", "find books
 * by author" (a list, a find, is no resource the 0.5B should add) and the word after "can"
 * ("members can book classes": no books).
 */
function nounWords(request: string): string[] {
  const verbs =
    /\b(?:list|show|find|filter)(?= (?:the|all|every|each|my|our|their|its|them|only|[a-z]+s)\b)|(?<=\b(?:can|cannot|may|must|should|will) (?:also |then |only )?)[a-z]+/g;
  return request
    .toLowerCase()
    .replace(verbs, ' ')
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** A module named after nothing in the request is the prompt's example copied ("library-api" for a gym). */
export function moduleFitsRequest(module: string, request: string, resources: unknown[]): boolean {
  const lower = request.toLowerCase();
  const names = resources.map((r) => (isObject(r) && typeof r.name === 'string' ? r.name : ''));
  const own = module.split(/[^a-z0-9]+/).filter((w) => w && !GENERIC_MODULE_WORDS.has(w));
  return own.length === 0 || own.some((w) => lower.includes(w) || names.some((n) => n && (n.includes(w) || w.includes(n))));
}

/** Whether the request names a resource: by its name, its plural, or a word that starts like it ("gardening" for garden). */
export function namedBy(request: string): (r: unknown) => boolean {
  const words = new Set(nounWords(request));
  return (r) => {
    const n = isObject(r) && typeof r.name === 'string' ? r.name : '';
    const plural = isObject(r) && typeof r.plural === 'string' ? r.plural : '';
    return (
      n !== '' &&
      (words.has(n) ||
        words.has(plural) ||
        // Not "scheduled" for a schedule: the state an action leaves ("talks can be scheduled").
        [...words].some((w) => singularsOf(w).includes(n) || (w.length >= 4 && w !== participleOf(n) && (w.startsWith(n) || n.startsWith(w)))))
    );
  };
}

/**
 * "REST API for todo list", "a guest list": the word before "list" is the item the list holds. A
 * plan of one resource the sentence does not name (the 1.5B planned tasks for a todo list) takes
 * that noun, so the API keeps the sentence's word. "reading list" and "shopping list" name an
 * activity, not an item: left alone.
 */
export function listNounKept(resources: unknown[], request: string, notes: string[]): void {
  const noun = /\b([a-z]+) list\b/.exec(request.toLowerCase())?.[1];
  const [only] = resources;
  // Only a well-formed name is replaced: a bad one is still reported to the model, not mended into a good one.
  if (
    !noun ||
    resources.length !== 1 ||
    !isObject(only) ||
    typeof only.name !== 'string' ||
    !RESOURCE_PATTERN.test(only.name) ||
    GO_KEYWORDS.has(only.name) ||
    namedBy(request)(only)
  )
    return;
  if (noun.endsWith('ing') || noun.endsWith('s') || ARTICLES.has(noun) || GENERIC_MODULE_WORDS.has(noun) || !/^[a-z]{3,20}$/.test(noun)) return;
  notes.push(`resource ${JSON.stringify(only.name)} → ${JSON.stringify(noun)}: the request asks for a ${noun} list`);
  only.name = noun;
  only.plural = pluralOf(noun);
}

/**
 * The sentence decides the API: when it names some of the planned resources, a resource it does
 * not name and none of those belongs to is the model's addition (seen: users with passwords for
 * "REST API for todo list") and is dropped, named in the notes. A resource left with no fields
 * (its only field was an id) is dropped too.
 */
export function dropUnasked(resources: unknown[], request: string | undefined, notes: string[]): unknown[] {
  const nameOf = (r: unknown) => (isObject(r) && typeof r.name === 'string' ? r.name : '');
  let kept = resources.filter((r) => {
    if (!isObject(r) || !Array.isArray(r.fields) || r.fields.length > 0 || resources.length === 1) return true;
    notes.push(`resource ${JSON.stringify(nameOf(r))} dropped: it has no fields besides its id`);
    return false;
  });
  if (request === undefined) return kept;
  const named = namedBy(request);
  const asked = kept.filter(named);
  if (asked.length === 0) return kept;
  const parents = new Set(asked.map((r) => (isObject(r) && typeof r.parent === 'string' ? r.parent : '')));
  kept = kept.filter((r) => {
    if (named(r) || parents.has(nameOf(r))) return true;
    notes.push(`resource ${JSON.stringify(nameOf(r))} dropped: the request does not ask for it`);
    return false;
  });
  return kept;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** The field's name is listed in another resource's clause and not in this one's. */
const listedElsewhere = (listed: Set<string>, r: Record<string, unknown>, field: string) =>
  !listed.has(`${String(r.name)}.${field}`) && [...listed].some((key) => key.endsWith(`.${field}`));

/**
 * What the sentence states in so many words and the plan left out, code puts in, each named:
 * "pets that belong to an owner" (the relation), "a unique email", "a capacity from 1 to 30",
 * "a mileage of at least 0". Only where a field or resource of that very name is planned: code
 * does not guess what the sentence means, it reads what it says.
 */
export function statedInSentence(resources: unknown[], request: string, notes: string[]): void {
  const text = request.toLowerCase();
  const added = resourcesPutIn(resources, text, notes);
  const all = resources.filter(isObject);
  for (const stated of relationsStated(text, all)) {
    const child = all.find((r) => r.name === stated.child);
    const parent = all.find((r) => r.name === stated.parent)!;
    if (child && child.parent === undefined && parent.parent !== child.name) {
      child.parent = parent.name;
      notes.push(`${String(child.name)}.parent → "${String(parent.name)}": the request says "${stated.phrase}"`);
    }
  }
  fieldsPutIn(all, text, notes);
  parentNameDropped(all, text, notes);
  namedIfBare(added, notes);
  actionsPutIn(all, text, notes);
  // A field the sentence lists in a resource's clause was read with its rules there ("departments have a unique name"):
  // the whole-sentence reading below is for the others, or another resource's "name" would be made unique too.
  const listed = new Set(fieldsStated(text, all).map((f) => `${f.resource}.${statedName(f)}`));
  for (const r of all) {
    for (const f of fieldsOf(r)) {
      const name = spacedName(f.name);
      if (!name) continue;
      const at = `${String(r.name)}.${String(f.name)}`;
      if (!f.unique && f.type !== 'boolean' && !listedElsewhere(listed, r, String(f.name)) && new RegExp(`\\bunique ${escape(name)}\\b`).test(text)) {
        f.unique = true;
        delete f.default;
        notes.push(`${at}.unique → true: the request says "unique ${name}"`);
      }
      if (f.type !== 'integer' && f.type !== 'number') continue;
      // Up to the bound, not across another item: "a year of publication and a rating from 1 to 5" gives the year none.
      const gap = (n: number) => `(?:(?! and (?:a|an|the|one|its|their) )[a-z ]){0,${n}}?`;
      const range = new RegExp(`\\b${escape(name)}\\b${gap(30)}(?:from|between) (-?\\d+(?:\\.\\d+)?) (?:to|and) (-?\\d+(?:\\.\\d+)?)`).exec(text);
      const least = new RegExp(`\\b${escape(name)}\\b${gap(20)}(?:of )?at least (-?\\d+(?:\\.\\d+)?)`).exec(text);
      if (range && f.min === undefined && f.max === undefined) {
        [f.min, f.max] = [Number(range[1]), Number(range[2])];
        notes.push(`${at} min/max → ${range[1]}/${range[2]}: the request says "${range[0]}"`);
      } else if (least && f.min === undefined) {
        f.min = Number(least[1]);
        notes.push(`${at}.min → ${least[1]}: the request says "${least[0]}"`);
      }
    }
  }
  listedAs(resources, text, notes);
  comparisonsStated(resources, text, notes);
  listingsAsFilters(all, notes);
  crudActionsAsRoutes(all, notes);
}

/**
 * "guests with a name and an email": a field the sentence lists and the plan lacks is put in, with
 * the type and rules its words give; a planned one gets what the sentence states and it lacks (the
 * values of "a level of basic, silver or gold", a range, a date the model typed as text or a number).
 */
function fieldsPutIn(all: Record<string, unknown>[], text: string, notes: string[]): void {
  for (const stated of fieldsStated(text, all)) {
    const r = all.find((x) => x.name === stated.resource)!;
    const fields = fieldsOf(r);
    const planned = fields.find((f) => typeof f.name === 'string' && isStatedField(f.name, stated));
    const says = `the request says "${stated.phrase}"`;
    if (!planned) {
      if (fields.length >= MAX_FIELDS || (r.parent !== undefined && isStatedField(`${String(r.parent)}Id`, stated))) continue;
      const { resource: _r, words: _w, phrase: _p, unique, ...rules } = stated;
      r.fields = [...fields, { name: statedName(stated), ...rules, ...(unique ? { unique } : {}) }];
      notes.push(`${String(r.name)}.${statedName(stated)}: ${withArticle(stated.type)} field the plan left out: ${says}`);
      continue;
    }
    const at = `${String(r.name)}.${String(planned.name)}`;
    const retype =
      (stated.type === 'enum' && planned.type !== 'enum') || (/^date/.test(stated.type) && (planned.type === 'string' || planned.type === 'integer'));
    const plannedValues = Array.isArray(planned.values) ? planned.values.map(String) : [];
    if (!retype && stated.values && planned.type === 'enum' && [...plannedValues].sort().join() !== [...stated.values].sort().join()) {
      // The sentence's values, not the model's reading of them ("on_road", or "on the road" left out).
      notes.push(`${at}.values ${plannedValues.join(', ')} → ${stated.values.join(', ')}: ${says}`);
      planned.values = stated.values;
      if (planned.default !== undefined && !stated.values.includes(String(planned.default))) delete planned.default;
    }
    if (retype) {
      notes.push(`${at}.type ${String(planned.type)} → ${stated.type}: ${says}`);
      planned.type = stated.type;
      if (stated.values) planned.values = stated.values;
      delete planned.min;
      delete planned.max;
      delete planned.default;
    }
    // "a plate number that must be unique", "a holder email": the rule the sentence gives, where the planned field lacks it.
    if (stated.unique && !planned.unique && planned.type !== 'boolean') {
      notes.push(`${at}.unique → true: ${says}`);
      planned.unique = true;
      delete planned.default;
    }
    const numeric = planned.type === 'integer' || planned.type === 'number';
    // The sentence's bounds win over the model's ("an amount that cannot be negative" planned ≥ -10000 by the 0.5B).
    const differs = (k: 'min' | 'max') => stated[k] !== undefined && planned[k] !== stated[k];
    if (numeric && (differs('min') || differs('max'))) {
      notes.push(
        `${at} min/max ${planned.min ?? '–'}/${planned.max ?? '–'} → ${stated.min ?? planned.min ?? '–'}/${stated.max ?? planned.max ?? '–'}: ${says}`,
      );
      if (stated.min !== undefined) planned.min = stated.min;
      if (stated.max !== undefined) planned.max = stated.max;
    }
    if (stated.format && planned.type === 'string' && planned.format === undefined) {
      notes.push(`${at}.format → ${stated.format}: ${says}`);
      planned.format = stated.format;
    }
    // "open by default": the sentence's default, on a field of the type the default fits; a create may then leave it out.
    if (stated.default !== undefined && planned.type === stated.type && planned.default !== stated.default && !planned.unique) {
      notes.push(`${at}.default → ${JSON.stringify(stated.default)}${planned.required === true ? ', required → false' : ''}: ${says}`);
      planned.default = stated.default;
      planned.required = false;
    }
  }
}

const camel = (words: string) => words.replace(/ ([a-z])/g, (_m, c: string) => c.toUpperCase());

/**
 * "list the classes on a given date", "list the trips by status": a filter by that field's value;
 * "list the tools that are available", "list the active bookings": a filter by a flag of that
 * name; "F is false" when an action sets a flag F the state is the absence of (cancelled for
 * "active"); else a filter in words (the model writes what "active" means).
 * Put in only when the resource has no filter of that name; a resource the model made of the
 * adjective ("free" for "the free rooms") is dropped. Each change is named in the notes.
 */
function listedAs(resources: unknown[], text: string, notes: string[]): void {
  const all = resources.filter(isObject);
  const byPlural = (w: string) => all.find((r) => r.plural === w);
  const add = (r: Record<string, unknown>, filter: Record<string, unknown>, phrase: string) => {
    if (filtersOf(r).some((f) => f.name === filter.name || (filter.field !== undefined && f.field === filter.field))) return;
    r.filters = [...filtersOf(r), filter];
    notes.push(`${String(r.name)}.filters + ${String(filter.name)}: the request says "${phrase}"`);
  };
  const byState = (r: Record<string, unknown>, state: string, phrase: string) => {
    const name = camel(state);
    // "the orders that are not delivered yet" with a delivered flag: delivered is false, code's.
    const not = /^not ([a-z]+)$/.exec(state);
    const negated = not && fieldsOf(r).find((f) => f.type === 'boolean' && (f.name === not[1] || f.name === camel(`is ${not[1]}`)));
    if (negated) return notDone(r, name, `${String(negated.name)} is false`, phrase);
    // "the jobs that are not done yet" with a status of waiting, in progress or done: status is not done, code's.
    const otherValue = not && fieldsOf(r).find((f) => f.type === 'enum' && Array.isArray(f.values) && f.values.includes(not[1]));
    if (otherValue) return notDone(r, name, `${String(otherValue.name)} is not ${not[1]}`, phrase);
    // "the plants that need water" with a watered flag: the ones not watered, a body code writes (core/plan-compare.ts).
    const need = /^needs? ([a-z]+)$/.exec(state);
    const done = need && fieldsOf(r).find((f) => f.type === 'boolean' && verbOf(spacedName(f.name).replace(/^is /, '')) === need[1]);
    if (done) return notDone(r, name, `${String(done.name)} is false`, phrase);
    // "the active bookings" where cancel sets cancelled: the ones not cancelled (core/verbs.ts).
    const against = flagAgainstState(r, state, notes);
    if (against) return notDone(r, name, `${against} is false`, phrase);
    // "the favorite contacts" with a favorited flag (the action "favorite" sets it).
    const flag = fieldsOf(r).find(
      (f) => f.type === 'boolean' && (f.name === name || f.name === `is${name[0]!.toUpperCase()}${name.slice(1)}` || verbOf(String(f.name)) === state),
    );
    // "the repairs that are ready" with a status of waiting or ready: a filter by that enum's value (?status=ready), code's.
    const choice = fieldsOf(r).find((f) => f.type === 'enum' && Array.isArray(f.values) && f.values.includes(state));
    if (!flag && choice) return add(r, { name: choice.name, field: choice.name }, phrase);
    add(r, flag ? { name: flag.name, field: flag.name } : { name, description: `the request lists them as "${phrase}"` }, phrase);
  };
  const notDone = (r: Record<string, unknown>, name: string, description: string, phrase: string) => {
    const planned = filtersOf(r).find((f) => f.name === name);
    if (planned?.description === description) return;
    r.filters = [...filtersOf(r).filter((f) => f !== planned), { name, description }];
    notes.push(`${String(r.name)}.filters ${planned ? `${name} →` : `+ ${name}:`} "${description}": the request says "${phrase}"`);
  };
  const clause = (at: number) => text.slice(at).split(/[;.]/)[0]!.trim();
  // "list the …", and "find", "show", "filter" the same way ("search" asks for text that contains, which no filter here does).
  for (const m of text.matchAll(/\b(?:list|find|show|filter) (?:all )?(?:the |of the )?([a-z]+)(?: ([a-z]+))?\b/g)) {
    const phrase = clause(m.index);
    const first = byPlural(m[1]!);
    if (first) {
      const rest = text.slice(m.index + m[0].length - (m[2]?.length ?? 0)).split(/[;.,(]/)[0]!;
      const by = /^(?:on|by|with|for|per) (?:a |an |the |their |its )?(?:given |certain |specific |chosen )?([a-z]+(?: [a-z]+)?)/.exec(rest);
      const state = /^(?:that|which|who) (?:are |is )?(?:currently |still )?(not (?:yet )?[a-z]+|out of [a-z]+|needs? [a-z]+|[a-z]+)/.exec(rest);
      if (by) {
        const field = fieldsOf(first).find((f) => f.type !== 'datetime' && f.type !== 'number' && [by[1], by[1]!.split(' ')[0]].includes(spacedName(f.name)));
        if (field) add(first, { name: field.name, field: field.name }, phrase);
      } else if (state && !NOT_A_STATE.has(state[1]!)) byState(first, state[1]!.replace(/^not yet /, 'not '), phrase);
      continue;
    }
    // "list the quick recipes": an adjective before a planned plural.
    const second = m[2] ? byPlural(m[2]) : undefined;
    if (!second || NOT_A_STATE.has(m[1]!) || all.some((r) => r.plural === m[1])) continue;
    const made = all.find(
      (r) =>
        r !== second && [m[1], `${m[1]}${String(second.name)}`].includes(String(r.name)) && r.parent === undefined && !all.some((o) => o.parent === r.name),
    );
    if (made) {
      all.splice(all.indexOf(made), 1);
      resources.splice(resources.indexOf(made), 1);
      notes.push(`resource ${JSON.stringify(m[1])} dropped: the request uses "${m[1]}" of ${m[2]} ("${phrase}")`);
    }
    byState(second, m[1]!, phrase);
  }
}

/**
 * What the model says is not built, kept where it names something the request says: "payments" for
 * a shop that takes them. The rest is the model's own ("logins" for an inventory, "create a new
 * person" for CRUD it has): dropped and named, so the morning's list holds only what was asked.
 */
export function notBuiltAsked(notBuilt: unknown[], request: string, notes: string[]): unknown[] {
  return notBuilt.filter((n) => {
    if (!isObject(n) || typeof n.what !== 'string' || namesWordOf(request, n.what)) return true;
    notes.push(`notBuilt ${JSON.stringify(n.what)} dropped: the request does not ask for it`);
    return false;
  });
}
