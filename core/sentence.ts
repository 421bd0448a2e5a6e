// What a sentence states in so many words about the resources a plan names: which belongs to
// which ("pets that belong to an owner", "trips of a van", "authors and their books") and what
// can be done to an item ("a booking can be cancelled", "tools that can be lent and returned").
// Read by code, not guessed: the plan's mends put in what the plan lacks (plan-request.ts), and
// the fidelity list names what it still lacks (fidelity.ts). Pure functions of the text.
import { singularsOf } from './plan.js';
import { isParticiple, participleOf, verbOf } from './verbs.js';

interface Named {
  name?: unknown;
  plural?: unknown;
}

/** Words a module name may carry that say nothing about the request's subject. */
export const GENERIC_MODULE_WORDS = new Set(['api', 'rest', 'go', 'golang', 'service', 'server', 'app', 'http', 'crud', 'backend', 'web']);
export const ARTICLES = new Set(['a', 'an', 'the', 'my', 'our', 'some', 'simple', 'small']);

/** The words of the request's subject: "REST API for a bike repair shop: customers …" → bike, repair, shop. */
export function subjectWords(request: string): string[] {
  const lower = request.toLowerCase();
  // "… for a library where …", "an API to manage a car rental fleet: …": the words after, up to the clause.
  const subject = /\b(?:for|to (?:manage|track|keep track of|store|organi[sz]e)|managing|tracking)\s+(.*)$/.exec(lower)?.[1] ?? lower;
  const words = subject.split(/[:;,.]/)[0]!.split(/[^a-z0-9]+/);
  const end = words.findIndex((w) => /^(?:where|with|that|which|who|whose|and|in|of|on|to|so|by)$/.test(w));
  return (end < 0 ? words : words.slice(0, end)).filter(
    (w) => w && !ARTICLES.has(w) && !GENERIC_MODULE_WORDS.has(w) && !/^(?:build|create|make|write|need|want|me|us|i|we|you)$/.test(w),
  );
}

/** The resource a word names: by its name or plural, or a plural of its name ("shelves"). */
export function resourceByWord<T extends Named>(resources: T[], word: string): T | undefined {
  return resources.find((r) => r.name === word || r.plural === word) ?? resources.find((r) => singularsOf(word).includes(String(r.name)));
}

export interface StatedRelation {
  /** The words as the sentence has them; `child` is a resource's name only when one is planned. */
  child: string;
  parent: string;
  phrase: string;
  /** "belong(s) to": the sentence says it outright, whatever the plan holds. */
  outright: boolean;
}

const DETERMINER = '(?:a|an|the|one|each|some|their|its|his|her|a given|a single)';
const CHILD_FIRST = new RegExp(
  `\\b(?<child>[a-z]+) (?:(?:that|which|who) )?(?<is>(?:is|are) )?(?<link>belongs? to|belonging to|assigned to|linked to|attached to|of|in|for|on|under|within|inside|(?:has|have)(?= (?:a|an|one) )) ${DETERMINER} (?:(?<adjective>[a-z]+) )?(?<parent>[a-z]+)`,
  'g',
);
const PARENT_FIRST =
  /\b([a-z]+) (?:and (?:their|its) |(?:(?:that|which|who) )?(?:with|has|have|having|holds?|contains?|containing) (?:many |several |multiple |their |its |some |any |one or more |zero or more )?)([a-z]+)/g;

/** The relations the sentence states between resources of the plan (and, said outright, to a child the plan lacks). */
export function relationsStated(text: string, resources: Named[]): StatedRelation[] {
  const out: StatedRelation[] = [];
  const add = (child: string, parent: string, phrase: string, outright: boolean) => {
    if (child !== parent && !out.some((r) => r.child === child && r.parent === parent)) out.push({ child, parent, phrase, outright });
  };
  for (const m of text.matchAll(CHILD_FIRST)) {
    const g = m.groups!;
    // "bookings of a parking spot": the noun after an adjective, else the first word ("an owner with").
    const last = resourceByWord(resources, g.parent!);
    const parent = last ?? (g.adjective ? resourceByWord(resources, g.adjective) : undefined);
    if (!parent) continue;
    const phrase = last ? m[0] : m[0].slice(0, -g.parent!.length - 1);
    const child = resourceByWord(resources, g.child!);
    // "tasks are assigned to a project" says it as plainly as "belong to"; "can be assigned to a member" is an action (no "are").
    const outright = g.link!.startsWith('belong') || (/^(?:assigned|linked|attached) to$/.test(g.link!) && g.is !== undefined);
    if (/^(?:assigned|linked|attached) to$/.test(g.link!) && g.is === undefined) continue;
    // "the pets of an owner" belong to it, but "the owner of a pet" is the pet's: a bare preposition needs the plural.
    const stated = outright || g.is !== undefined || /^ha/.test(g.link!) || (child !== undefined && child.plural === g.child && child.name !== g.child);
    if (!stated) continue;
    if (child) add(String(child.name), String(parent.name), phrase, outright);
    else if (outright) add(g.child!, String(parent.name), phrase, true);
  }
  for (const m of text.matchAll(PARENT_FIRST)) {
    const parent = resourceByWord(resources, m[1]!);
    const child = resourceByWord(resources, m[2]!);
    // "owners with pets", not "owners with a name": the child is named in the plural.
    if (parent && child && child.plural === m[2]) add(String(child.name), String(parent.name), m[0], false);
  }
  return out;
}

export interface StatedAction {
  /** The resource's name. */
  resource: string;
  /** The action's name: the verb of the participle ("cancel"). */
  verb: string;
  /** The state the action leaves the item in, a flag's name: "cancelled"; for an undo, the state it ends. */
  state: string;
  /** True when the action ends the state ("returned" after "lent"). */
  undoes: boolean;
  phrase: string;
}

/** Verbs that end the state another verb starts, beyond un-, de- and dis-: "lent and returned". */
const UNDO: Record<string, string[]> = {
  return: ['lend', 'borrow', 'rent', 'loan', 'hire', 'check'],
  restore: ['archive', 'delete', 'remove', 'hide', 'trash'],
  reopen: ['close'],
  close: ['open'],
  disable: ['enable'],
  enable: ['disable'],
  cancel: ['book', 'reserve', 'schedule'],
};
const undoes = (verb: string, before: string) => [`un${before}`, `de${before}`, `dis${before}`].includes(verb) || (UNDO[verb] ?? []).includes(before);

const CAN_BE =
  /\b([a-z]+),? (?:(?:that|which|who) )?(?:can|could|may|should|must|will) (?:also |only |then )?be ((?:[a-z]+)(?:(?:,? and then |,? and |,? or |, )[a-z]+)*)/g;
/** A participle followed by one of these takes an object the action would need ("assigned to a member", "rated from 1 to 5"): not a flag. */
const TAKES_OBJECT = /^ (?:to|by|with|for|into|from|on|at|as|in|between|per|up|out|off|back)\b/;

/** The actions the sentence states on items of the plan's resources: "a booking can be cancelled". */
export function actionsStated(text: string, resources: Named[]): StatedAction[] {
  const out: StatedAction[] = [];
  for (const m of text.matchAll(CAN_BE)) {
    // "tools with …, that can be lent": the resource named last before the phrase.
    const r = resourceByWord(resources, m[1]!) ?? lastNamedBefore(text.slice(0, m.index), resources);
    if (!r) continue;
    let at = m.index + m[0].length - m[2]!.length;
    let first: string | undefined;
    for (const part of m[2]!.split(/(,? and then |,? and |,? or |, )/)) {
      const start = at;
      at += part.length;
      if (/^,? (?:and then|and|or) $|^, $/.test(part)) continue;
      if (!isParticiple(part) || TAKES_OBJECT.test(text.slice(start + part.length))) break;
      const verb = verbOf(part);
      const undo = first !== undefined && undoes(verb, verbOf(first));
      out.push({ resource: String(r.name), verb, state: undo ? first! : part, undoes: undo, phrase: m[0] });
      first ??= part;
    }
  }
  return out;
}

/** Verbs of "members can borrow books" that are no action on one item: reading, writing or owning it, or the API's own routes. */
const NOT_ACTIVE = new Set(
  'have has be see view list read create add update edit change delete remove get find search browse manage access use filter sort make do set write post upload download register track store keep save also only rate review comment follow contain hold own'.split(
    ' ',
  ),
);
const ACTIVE = /\b([a-z]+) (?:can|may|could) ([a-z]+)(?:,? (?:and|or) ([a-z]+))? (?:a |an |the |their |its |other )?([a-z]+)\b/g;

/**
 * "members can borrow and return books", "a customer can cancel an order": the action on the
 * object's items, leaving them borrowed (cancelled). Not when a resource is the act itself ("a
 * booking" for "book"), nor when the verb needs more than the item ("rate a movie from 1 to 5").
 */
export function activeActionsStated(text: string, resources: Named[]): StatedAction[] {
  const out: StatedAction[] = [];
  for (const m of text.matchAll(ACTIVE)) {
    const object = resourceByWord(resources, m[4]!);
    if (!object || TAKES_OBJECT.test(text.slice(m.index + m[0].length))) continue;
    const verbs = [m[2]!, m[3]].filter((v): v is string => v !== undefined);
    if (verbs.some((v) => NOT_ACTIVE.has(v) || v.length < 3 || resources.some((r) => String(r.name) !== v && String(r.name).startsWith(v)))) continue;
    const first = participleOf(verbs[0]!);
    for (const verb of verbs) {
      const undo = verb !== verbs[0] && undoes(verb, verbs[0]!);
      out.push({ resource: String(object.name), verb, state: undo ? first : participleOf(verb), undoes: undo, phrase: m[0] });
    }
  }
  return out;
}

function lastNamedBefore<T extends Named>(before: string, resources: T[]): T | undefined {
  const words = before.split(/[^a-z]+/).filter(Boolean);
  for (let i = words.length - 1; i >= 0; i--) {
    const r = resourceByWord(resources, words[i]!);
    if (r) return r;
  }
  return undefined;
}
