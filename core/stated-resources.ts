// A kind of item the sentence says outright belongs to another, and the plan lacks: "ingredients
// that belong to a recipe". The small models make it a text field of the parent (recipe.ingredients
// "flour, eggs"), which no list, relation or rule of the sentence can live on. Code puts in the
// resource, under the parent, and drops the parent's field of that name; its fields are then read
// from the sentence like any other resource's ("… with a name and a quantity"). Each change named.
import { isObject, MAX_RESOURCES, pluralOf, RESOURCE_PATTERN, singularsOf, withArticle, fieldsOf, filtersOf } from './plan.js';
import { relationsStated } from './sentence.js';

/** Words CHILD_FIRST can read as a child that are no kind of item: "everything that belongs to a user". */
const NOT_A_THING = new Set([
  'everything',
  'anything',
  'something',
  'nothing',
  'all',
  'each',
  'one',
  'it',
  'they',
  'them',
  'that',
  'which',
  'what',
  'who',
  'data',
]);

/** The singular and plural a sentence's noun stands for: ingredients → ingredient/ingredients; ingredient → the same. */
function nounForms(word: string): { name: string; plural: string } {
  const singular = singularsOf(word).find((s) => s !== word && pluralOf(s) === word);
  return singular ? { name: singular, plural: word } : { name: word, plural: pluralOf(word) };
}

/**
 * Puts into `resources` (the plan's raw list) each resource the sentence says belongs to a planned
 * one and the plan lacks; returns them, still without fields (see namedIfBare).
 */
export function resourcesPutIn(resources: unknown[], text: string, notes: string[]): Record<string, unknown>[] {
  const added: Record<string, unknown>[] = [];
  for (const stated of relationsStated(text, resources.filter(isObject))) {
    const all = resources.filter(isObject);
    if (!stated.outright || all.some((r) => r.name === stated.child) || all.length >= MAX_RESOURCES || NOT_A_THING.has(stated.child)) continue;
    const { name, plural } = nounForms(stated.child);
    if (!RESOURCE_PATTERN.test(name) || all.some((r) => r.name === name || r.plural === plural)) continue;
    const parent = all.find((r) => r.name === stated.parent)!;
    // The model's stand-in for the list: a field of the parent named after the children.
    const fields = Array.isArray(parent.fields) ? parent.fields.filter(isObject) : [];
    const standIn = fields.find((f) => typeof f.name === 'string' && [name, plural].includes(f.name.toLowerCase()));
    if (standIn && fields.length > 1) {
      parent.fields = fields.filter((f) => f !== standIn);
      notes.push(`${String(parent.name)}.${String(standIn.name)} dropped: ${plural} are items of their own (the request says "${stated.phrase}")`);
    }
    const resource = { name, plural, parent: parent.name, fields: [], filters: [], actions: [] };
    resources.push(resource);
    added.push(resource);
    notes.push(`resources + ${name} (/${plural}, each of ${withArticle(String(parent.name))}): the request says "${stated.phrase}"`);
  }
  return added;
}

/**
 * A resource put in with no field the sentence lists gets a `name`: a resource holds at least one
 * field, and a thing a person lists by kind has a name before anything else. Named in the notes.
 */
export function namedIfBare(added: Record<string, unknown>[], notes: string[]): void {
  for (const r of added) {
    if (Array.isArray(r.fields) && r.fields.length === 0) {
      r.fields = [{ name: 'name', type: 'string', required: true }];
      notes.push(`${String(r.name)}.name: a text field, as the request lists no field of ${String(r.plural)}`);
    }
  }
}

/**
 * "pets that belong to an owner", planned with a text field `owner` beside the relation: a pet
 * holds its owner's id (`ownerId`, code's), and the owner's name is the owner's. Dropped unless
 * the sentence asks for "an owner name" (or "the owner's name"), or a filter is by it.
 */
export function parentNameDropped(all: Record<string, unknown>[], text: string, notes: string[]): void {
  for (const r of all) {
    const fields = fieldsOf(r);
    const twice = typeof r.parent === 'string' ? fields.find((f) => f.name === r.parent && f.type === 'string') : undefined;
    if (!twice || fields.length < 2 || filtersOf(r).some((f) => f.field === twice.name)) continue;
    if (new RegExp(`\\b${String(r.parent)}(?:'s)? name\\b`).test(text)) continue; // "an owner name": the field is that
    r.fields = fields.filter((f) => f !== twice);
    notes.push(
      `${String(r.name)}.${String(twice.name)} dropped: ${String(r.parent)}Id links each ${String(r.name)} to its ${String(r.parent)}, whose fields are its own`,
    );
  }
}
