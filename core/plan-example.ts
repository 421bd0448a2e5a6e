// The plan prompt's examples, read from prompts/plan.txt itself, and what of them a plan copied
// without the request asking: a plan made of the worked example's resources is asked again; a
// filter, action or field named by an example that the request does not say is dropped and named.
import { isObject, stateSetBy, type Plan } from './plan.js';
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

/**
 * The worked example's own parts, read from its JSON in the prompt: the names of its fields that
 * are not days (a date is too common to call a copy), and of its filters and actions ("close").
 */
export function workedExampleParts(template: string): { fields: string[]; elements: string[] } {
  const fields = new Set<string>();
  const elements = new Set<string>();
  for (const m of template.matchAll(/^\{"module".*\}$/gm)) {
    let example: unknown;
    try {
      example = JSON.parse(m[0]);
    } catch {
      continue;
    }
    const resources = isObject(example) && Array.isArray(example.resources) ? example.resources : [];
    for (const r of resources.filter(isObject)) {
      for (const f of Array.isArray(r.fields) ? r.fields.filter(isObject) : [])
        if (typeof f.name === 'string' && f.type !== 'date' && f.type !== 'datetime') fields.add(f.name);
      for (const key of ['filters', 'actions'])
        for (const e of Array.isArray(r[key]) ? (r[key] as unknown[]).filter(isObject) : []) if (typeof e.name === 'string') elements.add(e.name);
    }
  }
  return { fields: [...fields], elements: [...elements] };
}

/**
 * The filters, actions and fields of a plan named by one of the prompt's examples (`words`:
 * "overdue", "mark done", the worked example's "close"; `fields`: its "cost") that the request
 * does not say: the model's additions, copied from the prompt, each dropped and named (the 0.5B
 * gave "REST API for inventory" an overdue filter and a cancel action, and a band's rehearsals a
 * cost and a close action). A field goes with the filters and actions that use it; a resource
 * keeps at least one field.
 */
export function exampleElementsDropped(plan: Plan, request: string, words: string[], fields: string[] = []): { plan: Plan; notes: string[] } {
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
      fields: r.fields.filter((f) => !dropped.includes(f.name)),
      filters: keep('filter', r.filters, (f) => f.field),
      actions: keep('action', r.actions, (a) => stateSetBy(r, a)?.field.name),
    };
  });
  return { plan: { ...plan, resources }, notes };
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
