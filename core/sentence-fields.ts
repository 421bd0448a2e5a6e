// The fields a sentence lists for a resource: "guests with a name and an email", "each recipe has
// a title, a preparation time in minutes from 1 to 600 and a difficulty of easy, medium or hard".
// Read by code so that a field the model's plan dropped is put back (core/plan-request.ts) with
// the rules the sentence gives it; its type is read from its words where they say it (a list of
// values, a date, a time, a flag, a number of minutes), and is text otherwise.
import { jsonName } from './plan.js';
import { resourceByWord } from './sentence.js';

export interface StatedField {
  /** The resource's name. */
  resource: string;
  /** The field's words as the sentence has them: "preparation time". */
  words: string[];
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date' | 'datetime' | 'enum';
  values?: string[];
  unique: boolean;
  required: boolean;
  min?: number;
  max?: number;
  format?: 'email' | 'url';
  /** "open by default", "that defaults to 1". */
  default?: string | number | boolean;
  phrase: string;
}

/** Words after which a field's name ends: "a time in minutes", "a size of small, …", "a capacity from 1 to 30". */
const NAME_ENDS =
  /^(?:of|from|in|between|at|under|over|for|per|that|which|who|to|on|as|with|and|or|greater|more|less|larger|smaller|higher|lower|above|below|up|not|cannot)$/;
const ARTICLE = /^(?:a|an|one|its|their)$/;
const CLAUSE_WORDS = /^(?:that|which|who|can|could|may|must|should|will|with|has|have)$/;
const QUALIFIERS = new Set(['unique', 'required', 'optional', 'mandatory', 'positive', 'non-negative']);
// Head nouns whose type is their meaning; anything else is text.
const INTEGER = /^(?:count|quantity|number|capacity|age|year|stock|seats|pages|minutes|hours|days|duration|level|floor|rank|position|priority)$/;
/** What "<word> number" names when it is an identifier, not a quantity. */
const IDENTIFIER =
  /^(?:plate|licence|license|registration|phone|telephone|mobile|serial|account|tracking|order|invoice|passport|vat|tax|part|model|reference|id|isbn|policy|case)$/;
const NUMBER = /^(?:price|cost|amount|weight|area|total|balance|salary|distance|mileage|height|width|length|volume|rating|score|temperature|budget|fee)$/;

/** The field lists of a sentence, by the resource whose clause holds them. */
export function fieldsStated(request: string, resources: { name?: unknown; plural?: unknown }[]): StatedField[] {
  const out: StatedField[] = [];
  const text = nestedClauses(withoutParentheses(request, resources), resources);
  for (const clause of clausesOf(text, resources)) {
    const m = /\b(?:with|has|have|having)\b (.*)$/.exec(clause);
    if (!m) continue;
    const head = clause
      .slice(0, m.index)
      .split(/[^a-z]+/)
      .filter(Boolean);
    // The clause's subject: before "that/which/who" or a preposition ("jobs that belong to a customer
    // with …", "reservations of a room with …"), its last noun ("repair jobs": jobs, even where the
    // model planned a repair).
    const relative = head.findIndex((w) => /^(?:that|which|who|whose|of|for|in|on|at|from|to|by|belonging)$/.test(w));
    const subject = relative >= 0 ? head.slice(0, relative) : head;
    const named = (words: string[]) => words.map((w) => resourceByWord(resources, w)).find((r) => r !== undefined);
    // "REST API for expenses with …": no noun before "for"; the first after it.
    const owner = named([...subject].reverse()) ?? named(head);
    if (!owner) continue;
    for (const item of itemsOf(m[1]!, (w) => resourceByWord(resources, w) !== undefined)) {
      const field = fieldOf(item);
      if (field) out.push({ resource: String(owner.name), ...field, phrase: item });
    }
  }
  return out;
}

/** "low, medium, high" and "low, medium and high" as a sentence gives a choice: "low, medium or high". */
function asChoice(list: string): string {
  const parts = list.split(/,? (?:or|and) |, /).map((p) => p.trim());
  return `${parts.slice(0, -1).join(', ')} or ${parts.at(-1)}`;
}

/**
 * Lists in parentheses, read as the words they stand for: "a species (dog, cat or rabbit)" is "a
 * species of dog, cat or rabbit"; "movies (title, year, rating)" is a clause "movies with title, year, rating".
 */
function withoutParentheses(text: string, resources: { name?: unknown; plural?: unknown }[]): string {
  // "a title (required)", "a SKU (unique)": the qualifier before the name, where the reading expects it.
  const qualified = text
    .replace(/\b(a|an|one|its|their) ((?:[a-z-]+ ){0,2}[a-z-]+) \((required|unique|optional|mandatory|positive|non-negative)\)/g, '$1 $3 $2')
    .replace(/(^|, |and |with |have |has )((?:[a-z-]+ ){0,2}[a-z-]+) \((required|unique|optional|mandatory|positive|non-negative)\)/g, '$1$3 $2');
  // "(low, medium, high)", "(low, medium or high)" after a word that names no resource: its values.
  const values = qualified.replace(/\b([a-z]+) \(([a-z][a-z ]*(?:(?:, |,? or |,? and )[a-z][a-z ]*)+)\)/g, (all, word: string, list: string) =>
    resourceByWord(resources, word) !== undefined ? all : `${word} of ${asChoice(list)}`,
  );
  return values.replace(/\b([a-z]+) \(([^()]+)\)/g, (all, word: string, list: string) =>
    resourceByWord(resources, word) !== undefined && list.includes(',') ? `${word}; ${word} with ${list}` : all,
  );
}

/**
 * Clauses: what a colon, a semicolon or ", (and) (each) pets that …" starts, where "pets" names a
 * resource ("books with title, author, year of publication" is one clause: "year" names none).
 */
function clausesOf(text: string, resources: { name?: unknown; plural?: unknown }[]): string[] {
  const out: string[] = [];
  for (const part of text.split(/[:;.]/)) {
    let start = 0;
    // ", repair jobs that …": a word may stand before the resource's ("repair").
    for (const m of part.matchAll(/(?:,? and|,) (?:each |every |the )?(?:[a-z]+ )?([a-z]+) (?:with|that|which|who|of|in|for|on|has|have)\b/g)) {
      if (resourceByWord(resources, m[1]!) === undefined) continue;
      out.push(part.slice(start, m.index));
      start = m.index;
    }
    out.push(part.slice(start));
  }
  return out;
}

/** "each order has several items with a product name and …": the items' own clause, "items with a product name and …". */
function nestedClauses(text: string, resources: { name?: unknown; plural?: unknown }[]): string {
  // "a pet store with pets that have a name, …": the pets' own clause.
  const that = text.replace(/\b([a-z]+) (?:that|which|who) (have|has|hold|holds|contain|contains) /g, (all, word: string, verb: string) =>
    resourceByWord(resources, word) !== undefined ? `; ${word} ${verb} ` : all,
  );
  return that.replace(
    /\b(has|have|holds?|contains?) (?:many|several|multiple|some|one or more|any number of) ([a-z]+) with /g,
    (all, verb: string, word: string) => (resourceByWord(resources, word) !== undefined ? `${verb} ${word}; ${word} with ` : all),
  );
}

/**
 * "a title, a date and a capacity from 1 to 30" → its items; "silver or gold" after "a level of
 * basic" stays with it. A terse list without articles ("name, price and stock") is read too; a
 * part that names a resource ("with an owner") ends the list: that is a relation, not a field.
 */
function itemsOf(list: string, namesResource: (word: string) => boolean): string[] {
  const items: string[] = [];
  // "between 1900 and 2100" is one range, not two items.
  const parts = list.split(/(?<!between -?\d+(?:\.\d+)?),? and |, /).map((p) => p.trim());
  const terse = !ARTICLE.test(parts[0]?.split(' ')[0] ?? '');
  for (const part of parts) {
    const words = part.split(' ');
    if (words.some(namesResource)) break;
    // "…, vegetarian or not": a flag.
    const yesNo = /^([a-z]+) or not$/.exec(part);
    if (yesNo) {
      items.push(`a ${yesNo[1]} flag`);
      continue;
    }
    // "a status of open or closed, open by default": the default stays with its field.
    if (items.length && /^(?:[a-z0-9_.-]+ by default|by default [a-z0-9_.-]+|defaults? to [a-z0-9_.-]+)$/.test(part)) items[items.length - 1] += `, ${part}`;
    else if (ARTICLE.test(words[0]!)) items.push(part);
    // The values of "a size of small, regular or large", until the "or" that ends them.
    else if (items.length && /\bof [a-z ,]+$/.test(items.at(-1)!) && !/\bof .* or /.test(items.at(-1)!) && !words.some((w) => CLAUSE_WORDS.test(w)))
      items[items.length - 1] += `, ${part}`;
    // A terse item is a name of up to three words, perhaps with its rule after ("year between 1900 and 2100").
    else if (terse && nameLength(words) <= 3) items.push(`a ${part}`);
    // "with a title and notes": a last item of one word, without its article.
    else if (
      part === parts.at(-1) &&
      /^[a-z]{3,}$/.test(part) &&
      !/ed$/.test(part) &&
      items.length &&
      !items
        .at(-1)!
        .split(' ')
        .some((w) => CLAUSE_WORDS.test(w))
    )
      items.push(`a ${part}`);
    else break;
  }
  return items;
}

/** How many words a field's name has: those before its rule ("of", "from", a number, …). */
function nameLength(words: string[]): number {
  const end = words.findIndex((w) => NAME_ENDS.test(w) || /\d/.test(w));
  return end < 0 ? words.length : end;
}

function fieldOf(item: string): Omit<StatedField, 'resource' | 'phrase'> | null {
  const words = item.split(/\s+/).slice(1);
  // Leading ones ("a unique, required email"); "SKU unique" has its qualifier after the name (below).
  const lead = words.findIndex((w) => !QUALIFIERS.has(w));
  const qualifiers = words.slice(0, Math.min(lead < 0 ? words.length : lead, 2));
  let rest = words.slice(qualifiers.length).map((w) => (w === 'e-mail' ? 'email' : w));
  // "a number of seats from 1 to 5000" is a count of seats, named by them.
  const count = rest[0] === 'number' && rest[1] === 'of' && /^[a-z]+$/.test(rest[2] ?? '');
  if (count) rest = rest.slice(2);
  const end = rest.findIndex((w) => NAME_ENDS.test(w) || /\d/.test(w));
  let name = end < 0 ? rest : rest.slice(0, end);
  const tail = end < 0 ? '' : rest.slice(end).join(' ');
  // "SKU unique" in a list: the qualifier after the name.
  if (name.length > 1 && QUALIFIERS.has(name.at(-1)!)) {
    qualifiers.push(name.at(-1)!);
    name = name.slice(0, -1);
  }
  // "a check-in date": a hyphenated word is one word of the name (checkInDate).
  if (name.length === 0 || name.length > 3 || name.some((w) => !/^[a-z]+(?:-[a-z]+)?$/.test(w))) return null;
  const field: Omit<StatedField, 'resource' | 'phrase'> = {
    words: name,
    type: 'string',
    // "a unique email", or after its name: "a plate number that must be unique".
    unique: qualifiers.includes('unique') || /^(?:that|which) (?:must|should|has to|is to) be unique\b|^(?:that|which) (?:is|are) unique\b/.test(tail),
    required: qualifiers.includes('required') || qualifiers.includes('mandatory') || /^(?:that|which) (?:is|must be) (?:required|mandatory)\b/.test(tail),
  };
  let headNoun = name.at(-1)!;
  // "with priorities (low, medium, high) and due dates": a plural whose singular has a type is that field, once.
  const singular = /(?:ss|us|is|species|series|news)$/.test(headNoun)
    ? headNoun
    : headNoun
        .replace(/ies$/, 'y')
        .replace(/(ch|sh|x)es$/, '$1')
        .replace(/s$/, '');
  if (singular !== headNoun && (/^of /.test(tail) || /^(?:date|birthday|time|deadline)$/.test(singular) || INTEGER.test(singular) || NUMBER.test(singular))) {
    headNoun = singular;
    name = [...name.slice(0, -1), singular];
    field.words = name;
  }
  const value = '[a-z]+(?: [a-z]+){0,2}';
  const values = new RegExp(`^of (${value}(?:, ${value})*,? or ${value})`).exec(tail);
  const range = /(?:from|between) (-?\d+(?:\.\d+)?) (?:to|and) (-?\d+(?:\.\d+)?)/.exec(tail) ?? /^(-?\d+(?:\.\d+)?) ?[-–] ?(-?\d+(?:\.\d+)?)\b/.exec(tail);
  const least = /at least (-?\d+(?:\.\d+)?)/.exec(tail);
  const bounds = boundsOf(tail, qualifiers);
  if (values) {
    field.type = 'enum';
    field.values = values[1]!.split(/,? or |, /).map((v) => v.trim().replace(/\s+/g, '_'));
  } else if (headNoun === 'flag' && name.length > 1) {
    name = name.slice(0, -1);
    field.words = name;
    field.type = 'boolean';
  } else if (headNoun === 'date' || headNoun === 'birthday') field.type = 'date';
  // "a plate number", "a phone number": an identifier written with letters too; "a number of seats", "a room number" counts.
  else if (headNoun === 'number' && name.length > 1 && IDENTIFIER.test(name.at(-2)!)) field.type = 'string';
  else if (count || /^in (?:minutes|hours|seconds|days)\b/.test(tail) || INTEGER.test(headNoun)) field.type = 'integer';
  else if (headNoun === 'time' || headNoun === 'deadline' || headNoun === 'timestamp') field.type = 'datetime';
  else if (NUMBER.test(headNoun) || /^in (?:square )?(?:metres|meters|kg|grams|euros|dollars|km|miles|celsius|fahrenheit|degrees|percent)\b/.test(tail))
    field.type = 'number';
  else if (headNoun === 'email' || (headNoun === 'address' && name.includes('email'))) field.format = 'email';
  else if (/^(?:url|website|link|homepage)$/.test(headNoun)) field.format = 'url';
  if ((field.type === 'integer' || field.type === 'number') && range) [field.min, field.max] = [Number(range[1]), Number(range[2])];
  else if ((field.type === 'integer' || field.type === 'number') && least) field.min = Number(least[1]);
  else if (field.type === 'integer' || field.type === 'number') Object.assign(field, bounds(field.type));
  const byDefault = defaultOf(tail, field);
  if (byDefault !== undefined) field.default = byDefault;
  return field;
}

/**
 * Bounds in words: "greater than 0", "more than 2", "above 10", "less than 100", "at most 5", "up to
 * 10", "cannot be negative", "a positive amount". A strict bound is the next whole number for an
 * integer; for a number the plan holds only inclusive bounds, so "greater than 0" is a minimum of 0.
 */
function boundsOf(tail: string, qualifiers: string[]): (type: 'integer' | 'number') => { min?: number; max?: number } {
  const n = '(-?\\d+(?:\\.\\d+)?)';
  const above = new RegExp(`\\b(?:(?:greater|more|larger|higher) than|above|over) ${n}`).exec(tail);
  const below = new RegExp(`\\b(?:(?:less|smaller|lower|fewer) than|below|under) ${n}`).exec(tail);
  const atMost = new RegExp(`\\b(?:at most|up to|no more than|not more than) ${n}`).exec(tail);
  const notNegative =
    qualifiers.includes('non-negative') ||
    /\b(?:(?:cannot|can't|can not|must not|may not|should not) be|not|never) negative\b|\b(?:zero|0) or more\b/.test(tail);
  const positive = qualifiers.includes('positive') || /\b(?:is|be|are) positive\b/.test(tail);
  return (type) => {
    const step = type === 'integer' ? 1 : 0;
    const out: { min?: number; max?: number } = {};
    if (above) out.min = Number(above[1]) + step;
    else if (positive) out.min = step;
    else if (notNegative) out.min = 0;
    if (below) out.max = Number(below[1]) - step;
    else if (atMost) out.max = Number(atMost[1]);
    return out;
  };
}

/** The default a field's words give it, when it fits the field: "open by default", "that defaults to 1", "false by default". */
function defaultOf(tail: string, field: Omit<StatedField, 'resource' | 'phrase'>): StatedField['default'] {
  const m = /(?:\bdefaults? to |\bby default |\bdefault (?:of|is) )([a-z0-9_.-]+)|([a-z0-9_.-]+) by default\b/.exec(tail);
  const word = m?.[1] ?? m?.[2];
  if (word === undefined) return undefined;
  if (field.type === 'enum') return field.values!.includes(word) ? word : undefined;
  if (field.type === 'boolean') return word === 'true' || word === 'false' ? word === 'true' : undefined;
  if (field.type === 'integer' || field.type === 'number') {
    const n = Number(word);
    const fits = Number.isFinite(n) && (field.type === 'number' || Number.isInteger(n)) && n >= (field.min ?? -Infinity) && n <= (field.max ?? Infinity);
    return fits ? n : undefined;
  }
  return field.type === 'string' && !field.format ? word : undefined;
}

/** The JSON name a stated field gets: "preparation time" → preparationTime. */
export const statedName = (f: StatedField) => jsonName(f.words.join(' '));

const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
/** Words too common to tell two fields apart: "start time" is not "end time". */
const GENERIC = new Set(['time', 'date', 'name', 'number', 'flag', 'code', 'type', 'status']);

/** Whether a planned field is the stated one: the same name, or one holding its telling word ("licensePlate" for "licence plate" by "plate"). */
export function isStatedField(planned: string, f: StatedField): boolean {
  const p = squash(planned);
  if (p === squash(f.words.join(''))) return true;
  // A hyphenated word ("check-in") is matched whole: its first letters are another's too ("check-out").
  return f.words.some((w) => {
    const s = squash(w);
    return s.length >= 4 && !GENERIC.has(s) && (p.includes(s) || (s === w && s.length >= 6 && p.includes(s.slice(0, 4))));
  });
}
