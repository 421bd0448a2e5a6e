// "list the quick recipes (under 30 minutes)": the sentence says what "quick" means, a number
// compared with a field. Code reads it: the filter in words gets a description code can write the
// body of ("preparationTime < 30"), so the model is not asked to guess what "quick" means and the
// filter cannot silently mean something else.
import { goName, isObject, spacedName, type Field, type Filter, type Resource, fieldsOf, filtersOf } from './plan.js';

const OPERATORS: [RegExp, string][] = [
  [/^(?:under|below|less than|fewer than|shorter than|cheaper than)$/, '<'],
  [/^(?:over|above|more than|longer than|greater than)$/, '>'],
  [/^(?:at least|no less than)$/, '>='],
  [/^(?:at most|no more than|up to)$/, '<='],
];
const COMPARISON =
  /\b(under|below|less than|fewer than|shorter than|cheaper than|over|above|more than|longer than|greater than|at least|no less than|at most|no more than|up to) (-?\d+(?:\.\d+)?)(?: ([a-z]+))?/;

type Raw = Record<string, unknown>;

/** The number field a comparison is about: the only one, or the one the sentence measures in `unit` ("a preparation time in minutes"). */
function fieldCompared(r: Raw, text: string, unit: string | undefined): Raw | undefined {
  const numbers = fieldsOf(r).filter((f) => (f.type === 'integer' || f.type === 'number') && typeof f.name === 'string');
  if (numbers.length === 1) return numbers[0];
  if (!unit) return undefined;
  const said = numbers.filter((f) => text.includes(`${spacedName(f.name)} in ${unit}`));
  return said.length === 1 ? said[0] : undefined;
}

/**
 * For each "list the ADJ PLURAL (… under N unit)" of a planned resource, the filter ADJ is
 * "F < N" of the number field the comparison is about; put in, or its description replaced, and named.
 */
export function comparisonsStated(resources: unknown[], text: string, notes: string[]): void {
  const all = resources.filter(isObject);
  for (const m of text.matchAll(/\blist (?:all )?(?:the |of the )?([a-z]+) ([a-z]+)\b([^;.]*)/g)) {
    const r = all.find((x) => x.plural === m[2]);
    const cmp = COMPARISON.exec(m[3]!);
    if (!r || !cmp || !/^[a-z]+$/.test(m[1]!)) continue;
    const op = OPERATORS.find(([words]) => words.test(cmp[1]!))![1];
    const field = fieldCompared(r, text, cmp[3]);
    if (!field || (field.type === 'integer' && !Number.isInteger(Number(cmp[2])))) continue;
    const description = `${String(field.name)} ${op} ${cmp[2]}`;
    const name = m[1]!;
    const filter = filtersOf(r).find((f) => f.name === name);
    if (filter?.description === description) continue;
    r.filters = [...filtersOf(r).filter((f) => f !== filter), { name, description }];
    notes.push(`${String(r.name)}.filters ${name} → "${description}": the request says "${m[0].trim()}"`);
  }
  comparedByName(all, text, notes);
}

/** A number that counts something else than the field: "up to 10 per page", "more than 3 items". */
const NOT_A_MEASURE = /^(?:per|at|a|an|items?|results?|entries|records|times)$/;

/**
 * "list the expenses above 100", "list the rooms with a price under 80": no adjective names the
 * filter, so code names it after the field and the comparison (`amountAbove100`).
 */
function comparedByName(all: Raw[], text: string, notes: string[]): void {
  for (const m of text.matchAll(/\blist (?:all )?(?:the |of the )?([a-z]+)\b([^;.]*)/g)) {
    const r = all.find((x) => x.plural === m[1]);
    const cmp = COMPARISON.exec(m[2]!);
    if (!r || !cmp || (cmp[3] && (NOT_A_MEASURE.test(cmp[3]) || all.some((x) => x.plural === cmp[3])))) continue;
    const before = m[2]!.slice(0, cmp.index);
    const numbers = fieldsOf(r).filter((f) => (f.type === 'integer' || f.type === 'number') && typeof f.name === 'string');
    const named = numbers.filter((f) => before.includes(spacedName(f.name)));
    const field = named.length === 1 ? named[0] : fieldCompared(r, text, cmp[3]);
    if (!field || (field.type === 'integer' && !Number.isInteger(Number(cmp[2])))) continue;
    const op = OPERATORS.find(([words]) => words.test(cmp[1]!))![1];
    const description = `${String(field.name)} ${op} ${cmp[2]}`;
    if (filtersOf(r).some((f) => f.description === description)) continue;
    const word = cmp[1]!.replace(/ ([a-z])/g, (_w, c: string) => c.toUpperCase());
    const name = `${String(field.name)}${word[0]!.toUpperCase()}${word.slice(1)}${Number.isInteger(Number(cmp[2])) && Number(cmp[2]) >= 0 ? cmp[2] : ''}`;
    r.filters = [...filtersOf(r).filter((f) => f.name !== name), { name, description }];
    notes.push(`${String(r.name)}.filters + ${name} → "${description}": the request says "${m[0].trim()}"`);
  }
}

/** The comparison a filter's description is, when it is code's form "F < N" of a number field of r. */
export function comparisonOf(r: Resource, filter: Filter): { field: Field; op: string; value: number } | null {
  const m = /^(\w+) (<|<=|>|>=) (-?\d+(?:\.\d+)?)$/.exec(filter.description ?? '');
  const field = m ? r.fields.find((f) => f.name === m[1] && (f.type === 'integer' || f.type === 'number')) : undefined;
  if (!m || !field || (field.type === 'integer' && !Number.isInteger(Number(m[3])))) return null;
  return { field, op: m[2]!, value: Number(m[3]) };
}

/** The Go body of a filter that is a comparison: a nil optional field does not match. */
export function comparisonBody(c: { field: Field; op: string; value: number }): string {
  const F = `x.${goName(c.field.name)}`;
  return c.field.required ? `\treturn ${F} ${c.op} ${c.value}` : `\treturn ${F} != nil && *${F} ${c.op} ${c.value}`;
}

/** "status is not done" of an enum field with that value ("the jobs that are not done yet"): the field and the value; null otherwise. */
export function enumNotOf(r: Resource, filter: Filter): { field: Field; value: string } | null {
  const m = /^(\w+) is not (\w+)$/.exec(filter.description ?? '');
  const field = m ? r.fields.find((f) => f.name === m[1] && f.type === 'enum' && f.values?.includes(m[2]!)) : undefined;
  return m && field ? { field, value: m[2]! } : null;
}

/**
 * The Go body code writes for a filter whose description is one of code's forms: "F < N" of a
 * number field, "F is false" of a flag ("the plants that need water": watered is false), "F is
 * not V" of an enum ("the jobs that are not done yet"). Null: the filter is the model's to write.
 */
export function knownFilterBody(r: Resource, filter: Filter): string | null {
  const compared = comparisonOf(r, filter);
  if (compared) return comparisonBody(compared);
  const other = enumNotOf(r, filter);
  if (other) {
    const F = `x.${goName(other.field.name)}`;
    // An optional enum is a pointer; one never set is not that value.
    return other.field.required
      ? `\treturn string(${F}) != ${JSON.stringify(other.value)}`
      : `\treturn ${F} == nil || string(*${F}) != ${JSON.stringify(other.value)}`;
  }
  const m = /^(\w+) is (true|false)$/.exec(filter.description ?? '');
  const flag = m ? r.fields.find((f) => f.name === m[1] && f.type === 'boolean') : undefined;
  if (!m || !flag) return null;
  const F = `x.${goName(flag.name)}`;
  // An optional flag is a pointer; one never set reads as false.
  if (m[2] === 'true') return flag.required ? `\treturn ${F}` : `\treturn ${F} != nil && *${F}`;
  return flag.required ? `\treturn !${F}` : `\treturn ${F} == nil || !*${F}`;
}
