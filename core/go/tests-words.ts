// The subtests of the methods the model writes from words: actions, filters in words, rules in
// words. Code cannot know what they mean, so it checks what every such method owes the API: an
// action answers 200 with the item or 409 with an error, changes some item it is tried on, and
// does what a description "sets F to V" says; a filter's =true and =false lists hold each item once,
// and exactly the model's examples (tests-examples.ts). Each runs again on an item with only
// its required fields, whose optional ones are nil pointers: a body that reads one without looking
// answers 500, fails here, and the run swaps it for code's stand-in and names it.
import { fieldsWithParent, parentField, type Action, type Resource } from '../plan.js';
import { goString } from './names.js';
import { at, body, candidates, literal, newFn, parentSetup, subtest } from './tests-values.js';
import { examplesTest } from './tests-examples.js';

/** Go expressions of items to try an action on: the sample item b, then b with one field changed
 * (each boolean flipped, each other enum value, each day in the future), then b with only the
 * required fields: an action that works on none of them is broken. */
function variants(r: Resource): string[] {
  const out = ['b'];
  const own = r.fields.filter((f) => !(r.parent && f.name === parentField(r.parent)));
  for (const f of own) {
    const key = goString(f.name);
    if (f.type === 'boolean') out.push(`with(b, ${key}, ${literal(!candidates(f)[0])})`);
    if (f.type === 'enum') out.push(...(f.values ?? []).slice(1, 4).map((v) => `with(b, ${key}, ${goString(v)})`));
    if (f.type === 'date') out.push(`with(b, ${key}, "2099-01-01")`);
    if (f.type === 'datetime') out.push(`with(b, ${key}, "2099-01-01T00:00:00Z")`);
  }
  const bare = leftOut(r);
  if (bare.length) out.push(bare.reduce((b, f) => `with(${b}, ${goString(f.name)}, nil)`, 'b'));
  return out.slice(0, 12);
}

/**
 * An action's subtest. One whose description begins "sets F to V" (code's own, or the model's
 * "sets published to true and publishedAt to now") is held to it on an item where F is not V yet;
 * any other must change at least one of the items it is tried on (variants).
 */
function actionLines(r: Resource, a: Action): string[] {
  const P = goString(at(r));
  const path = `item(${P}, a)+${goString(`/${a.name}`)}`;
  const m = /^sets (\w+) to ([a-z0-9_]+)\b/i.exec(a.description.trim());
  const field = m && r.fields.find((f) => f.name === m[1]);
  const want =
    field?.type === 'boolean' && /^(true|false)$/i.test(m![2]!)
      ? m![2]!.toLowerCase() === 'true'
      : field?.type === 'enum'
        ? field.values?.find((v) => v === m![2])
        : undefined;
  const before = want === undefined ? undefined : typeof want === 'boolean' ? !want : field!.values!.find((v) => v !== want);
  if (want === undefined || before === undefined)
    return [...parentSetup(r), `b := ${body(r, 1)}`, `actsOnSome(t, c, ${P}, ${goString(a.name)}, ${variants(r).join(', ')})`];
  return [
    ...parentSetup(r),
    `b := ${body(r, 1)}`,
    `b[${goString(field!.name)}] = ${literal(before)}`,
    `a := c.create(${P}, b)`,
    `setsState(t, c, ${path}, ${goString(field!.name)}, ${literal(want)})`,
  ];
}

/** The optional fields without a default: the ones a minimal item leaves nil. */
function leftOut(r: Resource) {
  return fieldsWithParent(r).filter((f) => !f.required && f.default === undefined && !(r.parent && f.name === parentField(r.parent)));
}

/** The statements creating `a`, an item with only its required fields; a rule may refuse it, and then the subtest ends. */
function minimalItem(r: Resource): string[] {
  return [
    ...parentSetup(r),
    `b := ${body(r, 1)}`,
    ...leftOut(r).map((f) => `delete(b, ${goString(f.name)})`),
    `a, ok := createMinimal(t, c, ${goString(at(r))}, b)`,
    'if !ok {',
    '\treturn',
    '}',
  ];
}

/** The subtests of r's actions and filters in words, on a full item and on a minimal one. */
export function wordsTests(r: Resource): string[] {
  const P = goString(at(r));
  const inWords = r.filters.filter((f) => f.field === undefined);
  const lists = (name: string, all: string) =>
    `partition(t, c.expect(200, "GET", ${goString(`${at(r)}?${name}=true`)}, nil), c.expect(200, "GET", ${goString(`${at(r)}?${name}=false`)}, nil), ${all})`;
  const full = [
    ...r.actions.map((a) => subtest(`action ${a.name}`, actionLines(r, a))),
    ...inWords.map((f) => subtest(`filter ${f.name}`, [`a := ${newFn(r)}(c, 1)`, `b := ${newFn(r)}(c, 2)`, lists(f.name, 'a, b')])),
    ...r.filters.flatMap((f) => examplesTest(r, f)),
  ];
  if (leftOut(r).length === 0) return full;
  return [
    ...full,
    subtest('minimal item', [
      ...minimalItem(r),
      `echoes(t, object(t, c.expect(200, "GET", item(${P}, a), nil)), b)`,
      `answered(t, c, "PUT", item(${P}, a), b, 200, 400, 409, 422)`,
      `c.expect(200, "GET", ${P}, nil)`,
    ]),
    ...r.actions.map((a) => subtest(`minimal item: action ${a.name}`, [...minimalItem(r), `acted(t, c, item(${P}, a)+${goString(`/${a.name}`)}, a)`])),
    ...inWords.map((f) => subtest(`minimal item: filter ${f.name}`, [...minimalItem(r), lists(f.name, 'a')])),
  ];
}
