// English verbs as a sentence states an action on an item: "a booking can be cancelled" asks for
// the action `cancel` that leaves the booking cancelled. Rules with a table of irregular verbs;
// test/unit/verbs.test.ts holds the words they were checked on.

/** Past participles that no rule turns back into their verb. */
const IRREGULAR: Record<string, string> = {
  lent: 'lend',
  sent: 'send',
  spent: 'spend',
  sold: 'sell',
  told: 'tell',
  bought: 'buy',
  brought: 'bring',
  caught: 'catch',
  taught: 'teach',
  paid: 'pay',
  laid: 'lay',
  held: 'hold',
  kept: 'keep',
  left: 'leave',
  lost: 'lose',
  found: 'find',
  won: 'win',
  done: 'do',
  favorited: 'favorite',
  favourited: 'favourite',
  read: 'read',
  shut: 'shut',
  set: 'set',
  reset: 'reset',
  put: 'put',
  hidden: 'hide',
  given: 'give',
  taken: 'take',
  written: 'write',
  chosen: 'choose',
  frozen: 'freeze',
  unfrozen: 'unfreeze',
  shown: 'show',
  known: 'know',
  seen: 'see',
  eaten: 'eat',
  begun: 'begin',
  run: 'run',
  built: 'build',
  rebuilt: 'rebuild',
  drawn: 'draw',
  worn: 'wear',
  torn: 'tear',
  sworn: 'swear',
  stolen: 'steal',
  forgiven: 'forgive',
  undone: 'undo',
  withdrawn: 'withdraw',
  rated: 'rate',
};

/** Words that end like a participle and are not one ("red", "bed"), or are one of the CRUD routes every resource has. */
const NOT_AN_ACTION = new Set([
  'red',
  'bed',
  'need',
  'seed',
  'feed',
  'speed',
  'created',
  'read',
  'updated',
  'edited',
  'deleted',
  'removed',
  'listed',
  'added',
  'viewed',
  'changed',
  'modified',
  'retrieved',
  'fetched',
  'stored',
  'saved',
  'replaced',
  'searched',
  'filtered',
  'sorted',
  'found',
  'paged',
  'paginated',
  'queried',
  'marked',
  'used',
]);

/** A word a sentence may use after "can be" for an action on an item: cancelled, lent, published. */
export function isParticiple(word: string): boolean {
  if (NOT_AN_ACTION.has(word) || word.length < 4) return false;
  return word in IRREGULAR || /[^e]ed$|eed$/.test(word);
}

/** The verb of a past participle: cancelled → cancel, lent → lend, archived → archive, carried → carry. */
export function verbOf(participle: string): string {
  const w = participle.toLowerCase();
  if (w in IRREGULAR) return IRREGULAR[w]!;
  if (/ied$/.test(w)) return `${w.slice(0, -3)}y`;
  if (/eed$/.test(w)) return w.slice(0, -1); // agreed → agree, freed → free
  if (!/ed$/.test(w)) return w;
  const stem = w.slice(0, -2);
  // A doubled last consonant is the spelling's, not the verb's: stopped → stop, cancelled → cancel (but add, fill, pass, install stay).
  if ((/([bdgkmnprt])\1$/.test(stem) && stem.length > 3) || /(?:[^aeiou]e|ve|de)ll$/.test(stem)) return stem.slice(0, -1);
  if (/([a-z])\1$/.test(stem)) return stem;
  const sound = stem.replace(/qu/g, 'kw'); // the u of "qu" is no vowel: quoted, required
  return SILENT_E.some((e) => e.test(sound)) && !/(?:cus|[aeiou]{2}[^aeious])$/.test(sound) ? `${stem}e` : stem;
}

const STRESSED_LAST = new Set(['submit', 'commit', 'admit', 'permit', 'omit', 'occur', 'refer', 'prefer', 'transfer', 'regret', 'control', 'patrol', 'equip']);

/** The past participle of a verb: borrow → borrowed, like → liked, carry → carried, cancel → cancelled, stop → stopped, lend → lent. */
export function participleOf(verb: string): string {
  const irregular = Object.entries(IRREGULAR).find(([participle, v]) => v === verb && participle !== verb);
  if (irregular) return irregular[0];
  if (/e$/.test(verb)) return `${verb}d`;
  if (/[^aeiou]y$/.test(verb)) return `${verb.slice(0, -1)}ied`;
  // One syllable ending consonant-vowel-consonant doubles it (stop, ship, plan), as do a stressed last syllable (submit,
  // occur) and a final l after one vowel (cancel, label); open, visit and offer do not.
  const oneSyllable = /^[^aeiou]*[aeiou][bdgklmnprt]$/.test(verb);
  if (oneSyllable || STRESSED_LAST.has(verb) || /[^aeiou][aeiou]l$/.test(verb)) return `${verb}${verb.at(-1)}ed`;
  return `${verb}ed`;
}

/** Endings after which -ed swallowed an e: archived, closed, completed, charged, scheduled, required, shared, stored, liked, named, provided. */
const SILENT_E = [
  /[vczg]$/,
  /[aeiou]s$/,
  /[^aeiou](?:at|ut|ot|in)$/,
  /let$/,
  /(?:ul|[^aeiou]l)$/,
  /[^aeiou][iu]r$/,
  /[^aeiou]ar$/,
  /(?:st|sc|gn|pl)or$/,
  /[^aeiou][aeiou][kmd]$/,
  /typ$/,
];

/**
 * The states a list names by what has not happened to an item: "the active bookings" are the
 * ones not cancelled, "the available tools" the ones not lent. Each state → the flags whose being
 * false it means; an "un-" state means its participle's flag is false (unpaid → paid).
 */
const NOT_YET: Record<string, string[]> = {
  active: ['cancelled', 'canceled', 'archived', 'closed', 'ended', 'expired', 'suspended', 'deactivated', 'disabled', 'finished', 'completed', 'retired'],
  available: ['lent', 'borrowed', 'loaned', 'booked', 'reserved', 'rented', 'taken', 'sold', 'occupied', 'adopted', 'checked out', 'assigned'],
  free: ['booked', 'reserved', 'taken', 'occupied', 'rented', 'assigned'],
  vacant: ['occupied', 'booked', 'taken', 'rented'],
  open: ['closed', 'resolved', 'done', 'completed', 'finished', 'cancelled', 'canceled'],
  pending: ['done', 'completed', 'finished', 'approved', 'processed', 'shipped', 'delivered', 'confirmed', 'accepted', 'rejected', 'paid'],
  outstanding: ['paid', 'done', 'completed', 'returned', 'resolved', 'settled'],
  incomplete: ['done', 'completed', 'finished'],
  unfinished: ['done', 'completed', 'finished'],
  current: ['archived', 'ended', 'expired', 'cancelled', 'canceled', 'retired'],
};

/** Whether a list of items in `state` ("active") is the items whose `flag` ("cancelled", "is cancelled") is false. */
export function meansNotFlagged(state: string, flag: string): boolean {
  const f = flag.toLowerCase().replace(/^is /, '');
  if (NOT_YET[state]?.includes(f)) return true;
  const done = state.slice(2);
  return /^un[a-z]{4,}$/.test(state) && done === f && (isParticiple(done) || done === 'read');
}
