// The mutants: for each behaviour code writes, the same project with that behaviour removed. A
// shipped test proves a behaviour only when it fails on that behaviour's mutant. The ids are
// stable (other code and status.json name them); `r` is a resource's name, `f` a field's:
//
//   required:r.f      a missing required field (or an empty required string or enum) is accepted
//   min:r.f, max:r.f  a number below min / above max, a string shorter / longer, is accepted
//   format:r.f        a string not in its format (email, url) is accepted
//   enum:r.f          a value outside the enum's values is accepted
//   unique:r.f        a second item with the same value is accepted (both stores)
//   default:r.f       an optional field left out stays absent instead of taking its default
//   parent:r.p        a child naming a parent that does not exist is saved (no 422)
//   children:p.r      a parent that still has children is deleted (no 409)
//   nested:r.p        GET /ps/{id}/rs lists every r, not only the parent's
//   filter:r.name     the filter (by value, or in words) is ignored: the list is unfiltered
//   rule:r.name       the rule in words is not checked on create and replace
//   action:r.name     the action's call of the model's method is removed: the item is saved unchanged
//   pagination:r      limit and offset are read but ignored
//
// Left out because removing them changes nothing a client sees: `required` on a string whose
// min length is at least 1, or on a number whose zero is outside min/max (the other check
// refuses the missing value too); `min` 0 on a string length (no check is written for it).
import type { Field, Plan } from '../plan.js';
import { withArticle } from './names.js';
import { fieldsWithParent } from '../plan.js';

export interface Mutant {
  id: string;
  /** What the mutant lets through, in words. */
  what: string;
}

/** Whether a client can tell the required check from the others on the field. */
export function requiredIsVisible(f: Field): boolean {
  if (!f.required) return false;
  if (f.type === 'string') return !(f.min !== undefined && f.min >= 1);
  if (f.type === 'integer' || f.type === 'number') return !((f.min !== undefined && f.min > 0) || (f.max !== undefined && f.max < 0));
  return true;
}

/** Whether Validate checks a string's min length at all (a min of 0 checks nothing). */
export const checksMin = (f: Field) => f.min !== undefined && !(f.type === 'string' && f.min <= 0);

/** A default is applied to optional fields only: a required field left out is refused. */
export const appliesDefault = (f: Field) => !f.required && f.default !== undefined;

function fieldMutants(r: string, f: Field): Mutant[] {
  const at = `${r}.${f.name}`;
  const out: Mutant[] = [];
  if (requiredIsVisible(f)) out.push({ id: `required:${at}`, what: `${withArticle(r)} without ${f.name} is accepted` });
  if (checksMin(f)) out.push({ id: `min:${at}`, what: `${f.name} below its min ${f.min} is accepted` });
  if (f.max !== undefined) out.push({ id: `max:${at}`, what: `${f.name} above its max ${f.max} is accepted` });
  if (f.format) out.push({ id: `format:${at}`, what: `${f.name} that is not ${f.format === 'email' ? 'an email address' : 'an http(s) URL'} is accepted` });
  if (f.type === 'enum') out.push({ id: `enum:${at}`, what: `${f.name} outside ${(f.values ?? []).join(', ')} is accepted` });
  if (f.unique) out.push({ id: `unique:${at}`, what: `a second ${r} with the same ${f.name} is accepted` });
  if (appliesDefault(f)) out.push({ id: `default:${at}`, what: `${f.name} left out stays absent instead of ${JSON.stringify(f.default)}` });
  return out;
}

/** Every mutant of the project written from `plan`, in a fixed order (resource by resource). */
export function mutantsOf(plan: Plan): Mutant[] {
  return plan.resources.flatMap((r) => {
    const children = plan.resources.filter((c) => c.parent === r.name);
    return [
      ...fieldsWithParent(r).flatMap((f) => fieldMutants(r.name, f)),
      ...(r.parent
        ? [
            { id: `parent:${r.name}.${r.parent}`, what: `${withArticle(r.name)} whose ${r.parent} does not exist is saved` },
            {
              id: `nested:${r.name}.${r.parent}`,
              what: `/${plan.resources.find((p) => p.name === r.parent)?.plural}/{id}/${r.plural} lists every ${r.name}, not only the ${r.parent}'s`,
            },
          ]
        : []),
      ...children.map((c) => ({ id: `children:${r.name}.${c.name}`, what: `${withArticle(r.name)} that still has ${c.plural} is deleted` })),
      ...r.filters.map((f) => ({ id: `filter:${r.name}.${f.name}`, what: `?${f.name}= is ignored: the list of ${r.plural} is not filtered` })),
      ...r.rules.map((rule) => ({ id: `rule:${r.name}.${rule.name}`, what: `the rule ${rule.name} is not checked` })),
      ...r.actions.map((a) => ({ id: `action:${r.name}.${a.name}`, what: `POST /${r.plural}/{id}/${a.name} saves the ${r.name} unchanged` })),
      { id: `pagination:${r.name}`, what: `limit and offset are ignored when listing ${r.plural}` },
    ];
  });
}
