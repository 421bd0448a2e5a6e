// The plan prompt's examples, read from prompts/plan.txt itself, and what of them a plan copied
// without the request asking: a plan made of the worked example's resources is asked again; a
// filter, action or field named by an example that the request does not say is dropped and named.
import { isObject, spacedName, stateSetBy, type Field, type Plan } from './plan.js';
import { namedBy } from './plan-request.js';

/** The resource names of the plan prompt's examples, read from the prompt text itself: the worked
 * example's, the relation's ("a book belongs to an author") and the plain request's ("a todo has"). */
export const exampleResources = (template: string) => [
  ...[...template.matchAll(/"name": "([a-z]+)", "plural": "[a-z]+"/g)].map((m) => m[1]!),
  ...[...template.matchAll(/\(an? ([a-z]+) belongs to an? ([a-z]+)\)/g)].flatMap((m) => [m[1]!, m[2]!]),
  ...[...template.matchAll(/^A plain request .*?: an? ([a-z]+) has\b/gm)].map((m) => m[1]!),
];

/** The filter and action names the plan prompt gives as examples: ("overdue"), ("mark done", "cancel"). */
export const exampleWords = (template: string) =>
  [...template.matchAll(/\(("[a-z ]+"(?:, "[a-z ]+")*)\)/g)].flatMap((m) => [...m[1]!.matchAll(/"([a-z ]+)"/g)].map((w) => w[1]!));

export interface WorkedExample {
  fields: string[];
  elements: string[];
  /** Its bounds beyond 0 and 1 (a count from 0, a rating from 1 are too common to call a copy): cost's 10000. */
  bounds: number[];
  /** Its unique fields' names: plate. */
  uniques: string[];
}

/**
 * The worked example's own parts, read from its JSON in the prompt: the names of its fields that
 * are not days (a date is too common to call a copy), of its filters and actions ("close"), and its bounds.
 */
export function workedExampleParts(template: string): WorkedExample {
  const fields = new Set<string>();
  const elements = new Set<string>();
  const bounds = new Set<number>();
  const uniques = new Set<string>();
  for (const m of template.matchAll(/^\{"module".*\}$/gm)) {
    let example: unknown;
    try {
      example = JSON.parse(m[0]);
    } catch {
      continue;
    }
    const resources = isObject(example) && Array.isArray(example.resources) ? example.resources : [];
    for (const r of resources.filter(isObject)) {
      for (const f of Array.isArray(r.fields) ? r.fields.filter(isObject) : []) {
        if (typeof f.name === 'string' && f.type !== 'date' && f.type !== 'datetime') fields.add(f.name);
        for (const b of [f.min, f.max]) if (typeof b === 'number' && b !== 0 && b !== 1) bounds.add(b);
        if (f.unique === true && typeof f.name === 'string') uniques.add(f.name);
      }
      for (const key of ['filters', 'actions'])
        for (const e of Array.isArray(r[key]) ? (r[key] as unknown[]).filter(isObject) : []) if (typeof e.name === 'string') elements.add(e.name);
    }
  }
  return { fields: [...fields], elements: [...elements], bounds: [...bounds], uniques: [...uniques] };
}

/** Whether the request writes the number: 10000, 10,000, 10 000, 10k. */
function writes(request: string, n: number): boolean {
  const said = request.toLowerCase().replace(/(\d)[, ](?=\d{3}\b)/g, '$1');
  const forms = [String(n), ...(n % 1000 === 0 ? [`${n / 1000}k`] : [])];
  return forms.some((f) => new RegExp(`(?<![\\d.])${f.replace('.', '\\.')}(?![\\d.]*\\d)`).test(said));
}

/**
 * The filters, actions and fields of a plan named by one of the prompt's examples (`words`:
 * "overdue", "mark done", the worked example's "close"; `fields`: its "cost") that the request
 * does not say: the model's additions, copied from the prompt, each dropped and named (the 0.5B
 * gave "REST API for inventory" an overdue filter and a cancel action, and a band's rehearsals a
 * cost and a close action). A field goes with the filters and actions that use it; a resource
 * keeps at least one field.
 */
export function exampleElementsDropped(plan: Plan, request: string, words: string[], worked?: WorkedExample): { plan: Plan; notes: string[] } {
  const fields = worked?.fields ?? [];
  const bounds = (worked?.bounds ?? []).filter((b) => !writes(request, b));
  const uniques = worked?.uniques ?? [];
  const said = request.toLowerCase();
  const unsaid = (name: string) =>
    !name
      .split(/(?=[A-Z])/)
      .map((w) => w.toLowerCase())
      .every((w) => said.includes(w.length > 4 ? w.slice(0, -1) : w));
  const copied = (name: string) => words.some((w) => w.replace(/ /g, '').toLowerCase() === name.toLowerCase()) && unsaid(name);
  const notes: string[] = [];
  const resources = plan.resources.map((r) => {
    const gone = r.fields.filter((f) => fields.includes(f.name) && f.type !== 'date' && f.type !== 'datetime' && unsaid(f.name)).map((f) => f.name);
    const dropped = gone.length < r.fields.length ? gone : [];
    for (const f of dropped) notes.push(`${r.name} field ${f} dropped: the plan prompt's example, and the request does not ask for it`);
    const keep = <T extends { name: string }>(kind: string, list: T[], uses: (e: T) => string | undefined) =>
      list.filter((e) => {
        const field = uses(e);
        if (!copied(e.name) && !(field && dropped.includes(field))) return true;
        notes.push(`${r.name} ${kind} ${e.name} dropped: the plan prompt's example, and the request does not ask for it`);
        return false;
      });
    return {
      ...r,
      fields: r.fields
        .filter((f) => !dropped.includes(f.name))
        .map((f) => withoutCopiedBounds(r.name, f, bounds, notes))
        .map((f) => withoutCopiedUnique(r.name, f, uniques, said, notes)),
      filters: keep('filter', r.filters, (f) => f.field),
      actions: keep('action', r.actions, (a) => stateSetBy(r, a)?.field.name),
    };
  });
  return { plan: { ...plan, resources }, notes };
}

/** A field's min or max that is one of the worked example's bounds the request never writes (a price "≤ 10000" nobody asked for): dropped, named. */
function withoutCopiedBounds(resource: string, f: Field, bounds: number[], notes: string[]): Field {
  const copied = (['min', 'max'] as const).filter((k) => f[k] !== undefined && bounds.includes(f[k]));
  if (copied.length === 0) return f;
  const kept = { ...f };
  for (const k of copied) {
    notes.push(`${resource} field ${f.name} ${k} ${f[k]} dropped: the plan prompt's example's bound, and the request does not say it`);
    delete kept[k];
  }
  return kept;
}

/** A unique rule on a field named like the example's unique one (a booking's licencePlate) that the request (`said`) does not call unique: dropped, named. */
function withoutCopiedUnique(resource: string, f: Field, uniques: string[], said: string, notes: string[]): Field {
  if (!f.unique || !uniques.some((u) => f.name.toLowerCase().includes(u.toLowerCase()))) return f;
  const words = spacedName(f.name);
  // "a unique plate", "plates are unique", "a plate number that must be unique".
  if (
    new RegExp(`\\bunique (?:[a-z]+ ){0,2}${words}|\\b${words}s?(?: [a-z]+){0,2}? (?:(?:that|which) )?(?:is|are|must be|should be|has to be) unique`).test(said)
  )
    return f;
  notes.push(`${resource} field ${f.name} unique dropped: the plan prompt's example's rule, and the request does not say unique`);
  const { unique: _u, ...kept } = f;
  return kept;
}

/**
 * The resources of a plan that are the plan prompt's worked example's (`example`: their names),
 * though the request names none of them: the model copied the example instead of planning the
 * request (seen: cars and repairs for "REST API for inventory"). A request in another language
 * is never held to English names (a library's books for "API REST pour une bibliothèque de prêt").
 */
export function copiedFromExample(resources: { name: string; plural: string }[], request: string, example: string[]): string[] {
  // A request with letters beyond English's (prêt, 図書館) may name a book in its own words: no copy can be told from it.
  if (/\p{L}/u.test(request.replace(/[A-Za-z]/g, ''))) return [];
  const named = namedBy(request);
  return resources.filter((r) => example.includes(r.name) && !named(r)).map((r) => r.plural);
}
