// tests/api_test.go: the tests code derives from the plan (docs/generated-api.md). Each resource
// gets its contract checked over HTTP (create, get, list, replace, delete, the errors), and each
// behaviour code writes a subtest named after its mutant (mutants.ts) that fails on that mutant:
// `proves` maps the mutant's id to the subtest. Rules in words, actions and filters in words are
// the model's bodies, proven by the model's cases; the file only checks their answers' shape.
import { fieldsWithParent, goName, parentField, type Action, type Field, type Plan, type Resource, type Store } from '../plan.js';
import { mutantsOf } from './mutants.js';
import { goNumber, goString } from './names.js';
import { newClientFunc, storesRun, TEST_HELPERS } from './tests-helpers.js';

export const API_TESTS_PATH = 'tests/api_test.go';

type Value = string | number | boolean;

const literal = (v: Value) => (typeof v === 'string' ? goString(v) : typeof v === 'number' ? goNumber(v) : String(v));

/** A string of `length` characters in the field's format (email, url), else of x's. */
function stringOfLength(f: Field, length: number): string {
  if (f.format === 'email') return `${'a'.repeat(Math.max(1, length - 5))}@b.co`;
  if (f.format === 'url') return `https://${'a'.repeat(Math.max(1, length - 8))}`;
  return 'x'.repeat(Math.max(0, length));
}

/** Valid values of a field, distinct where the type allows; the first is the sample. */
function candidates(f: Field): Value[] {
  const four = [1, 2, 3, 4];
  switch (f.type) {
    case 'boolean':
      return [true, false];
    case 'enum':
      return f.values ?? [];
    case 'date':
      return four.map((n) => `2024-05-0${n}`);
    case 'datetime':
      return four.map((n) => `2024-05-01T1${n - 1}:00:00Z`);
    case 'integer':
    case 'number': {
      const lo = f.min ?? -Infinity;
      const hi = f.max ?? Infinity;
      const start = lo <= 1 && 1 <= hi ? 1 : Number.isFinite(lo) ? Math.ceil(lo) : Math.floor(hi);
      // Zero last: a rule in words often refuses it ("count is not zero").
      const out = [0, 1, 2, 3, -1, -2, -3, 4, 5, 6].map((d) => start + d).filter((v) => v >= lo && v <= hi && v !== 0);
      return out.length > 0 ? out.slice(0, 4) : [Number.isFinite(lo) ? lo : hi];
    }
    case 'string': {
      if (f.format === 'email') return ['a', 'b', 'c', 'd'].map((c) => `${c}@example.com`);
      if (f.format === 'url') return ['', '/2', '/3', '/4'].map((p) => `https://example.com${p}`);
      return four.map((n) => {
        let s = `${f.name} ${n}`;
        if (f.max !== undefined && s.length > f.max) s = `${n}${f.name}`.slice(0, Math.max(1, f.max));
        return s.padEnd(Math.max(1, f.min ?? 1), 'x');
      });
    }
  }
}

/** Another valid value than the sample, for a filter's second item; undefined: leave the field out. */
function otherValue(f: Field): Value | undefined | null {
  const c = candidates(f);
  if (c.length > 1) return c[1];
  return f.required ? null : undefined;
}

const bodyFn = (r: Resource) => `${r.name}Body`;
const newFn = (r: Resource) => `new${goName(r.name)}`;
const testName = (r: Resource) => `Test${goName(r.plural)}`;
const at = (r: Resource) => `/${r.plural}`;

/** `authorBody(n)`, `bookBody(n, p)`: the n-th valid item of r (its parent p). */
const body = (r: Resource, n: number | string, parent = 'p') => `${bodyFn(r)}(${n}${r.parent ? `, ${parent}` : ''})`;

function bodyFunc(r: Resource): string {
  const lines = fieldsWithParent(r).map((f) => {
    if (r.parent && f.name === parentField(r.parent)) return `\tb[${goString(f.name)}] = parent`;
    const c = candidates(f);
    const varies = (f.unique || f.type === 'string') && c.length > 1;
    return `\tb[${goString(f.name)}] = ${varies ? `nth(n, ${c.map(literal).join(', ')})` : literal(c[0]!)}`;
  });
  const parent = r.parent ? `, and of the ${r.parent} parent` : '';
  return `// ${bodyFn(r)} is a valid ${r.name}, the n-th: its unique values differ from the other n's${parent}.
func ${bodyFn(r)}(n int${r.parent ? ', parent int64' : ''}) map[string]any {
	b := map[string]any{}
${lines.join('\n')}
	return b
}

// ${newFn(r)} creates the n-th ${r.name}${r.parent ? `, and first its ${r.parent}` : ''}; its id.
func ${newFn(r)}(c *client, n int) int64 {
	return c.create(${goString(at(r))}, ${r.parent ? `${bodyFn(r)}(n, ${newFn({ ...r, name: r.parent })}(c, n))` : `${bodyFn(r)}(n)`})
}`;
}

/** The statement creating the parent `p` a body of r needs, if any. */
const parentSetup = (r: Resource) => (r.parent ? [`p := ${newFn({ ...r, name: r.parent })}(c, 1)`] : []);

/** A bad value for a filter's query parameter, or none (a string filter takes any). */
function badParam(plan: Plan, r: Resource, name: string): string | undefined {
  const filter = r.filters.find((f) => f.name === name)!;
  if (filter.field === undefined) return 'maybe';
  const type = fieldsWithParent(r).find((f) => f.name === filter.field)?.type;
  return { boolean: 'maybe', integer: 'x', enum: 'not-a-value', date: '2024-13-01' }[type as string];
}

/** The statements of the subtest that fails on the mutant `id` of resource r, or undefined when code cannot write one. */
function mutantTest(plan: Plan, r: Resource, id: string): string[] | undefined {
  const [kind, rest] = id.split(':') as [string, string];
  const name = rest.split('.')[1] ?? '';
  const f = fieldsWithParent(r).find((x) => x.name === name);
  const P = goString(at(r));
  const set = (v: string) => [...parentSetup(r), `b := ${body(r, 1)}`, `b[${goString(name)}] = ${v}`, `c.expect(400, "POST", ${P}, b)`];
  switch (kind) {
    case 'required':
      return [
        ...parentSetup(r),
        `b := ${body(r, 1)}`,
        `delete(b, ${goString(name)})`,
        `refused(c, ${P}, b, ${goString(`${name} is required`)})`,
        ...(f!.type === 'string' || f!.type === 'enum' ? [`b[${goString(name)}] = ""`, `refused(c, ${P}, b, ${goString(`${name} is required`)})`] : []),
      ];
    case 'min':
      return set(f!.type === 'string' ? goString(stringOfLength(f!, f!.min! - 1)) : goNumber(f!.min! - 1));
    case 'max':
      return set(f!.type === 'string' ? goString(stringOfLength(f!, f!.max! + 1)) : goNumber(f!.max! + 1));
    case 'format':
      return set(goString('x'.repeat(Math.min(Math.max(1, f!.min ?? 1), f!.max ?? Infinity))));
    case 'enum':
      return set(goString('not one of the values'));
    case 'unique':
      return [
        ...parentSetup(r),
        `first := ${body(r, 1)}`,
        `c.create(${P}, first)`,
        `b := ${body(r, 2)}`,
        `b[${goString(name)}] = first[${goString(name)}]`,
        `c.expect(409, "POST", ${P}, b)`,
        `second := c.create(${P}, ${body(r, 2)})`,
        `c.expect(409, "PUT", item(${P}, second), b)`,
      ];
    case 'default':
      return [
        ...parentSetup(r),
        `b := ${body(r, 1)}`,
        `delete(b, ${goString(name)})`,
        `x := object(t, c.expect(201, "POST", ${P}, b))`,
        `hasValue(t, x, ${goString(name)}, ${goString(JSON.stringify(f!.default))})`,
        `hasValue(t, object(t, c.expect(200, "GET", item(${P}, idOf(t, x)), nil)), ${goString(name)}, ${goString(JSON.stringify(f!.default))})`,
      ];
    case 'parent':
      return [`c.expect(422, "POST", ${P}, ${body(r, 1, '999999')})`, `x := ${newFn(r)}(c, 1)`, `c.expect(422, "PUT", item(${P}, x), ${body(r, 2, '999999')})`];
    case 'children': {
      const child = plan.resources.find((c) => c.name === name)!;
      return [
        `p := ${newFn(r)}(c, 1)`,
        `kid := c.create(${goString(at(child))}, ${body(child, 1)})`,
        `c.expect(409, "DELETE", item(${P}, p), nil)`,
        `c.expect(204, "DELETE", item(${goString(at(child))}, kid), nil)`,
        `c.expect(204, "DELETE", item(${P}, p), nil)`,
      ];
    }
    case 'nested': {
      const parent = plan.resources.find((p) => p.name === r.parent)!;
      return [
        ...parentSetup(r),
        `other := ${newFn(parent)}(c, 2)`,
        `a := c.create(${P}, ${body(r, 1)})`,
        `c.create(${P}, ${body(r, 2, 'other')})`,
        `sameIDs(t, c.expect(200, "GET", fmt.Sprintf(${goString(`${at(parent)}/%d${at(r)}`)}, p), nil), a)`,
      ];
    }
    case 'filter': {
      const filter = r.filters.find((x) => x.name === name)!;
      const field = fieldsWithParent(r).find((x) => x.name === filter.field);
      if (!field) return undefined;
      const isParent = r.parent !== undefined && field.name === parentField(r.parent);
      const other = otherValue(field);
      if (!isParent && other === null) return undefined;
      const F = goString(field.name);
      return [
        ...parentSetup(r),
        `first := ${body(r, 1)}`,
        `a := c.create(${P}, first)`,
        isParent ? `b := ${body(r, 2, `${newFn(plan.resources.find((p) => p.name === r.parent)!)}(c, 2)`)}` : `b := ${body(r, 2)}`,
        ...(isParent ? [] : [other === undefined ? `delete(b, ${F})` : `b[${F}] = ${literal(other!)}`]),
        `c.create(${P}, b)`,
        `sameIDs(t, c.expect(200, "GET", ${goString(`${at(r)}?${filter.name}=`)}+param(first[${F}]), nil), a)`,
      ];
    }
    case 'pagination':
      return [
        ...parentSetup(r),
        `c.create(${P}, ${body(r, 1)})`,
        `second := c.create(${P}, ${body(r, 2)})`,
        `sameIDs(t, c.expect(200, "GET", ${goString(`${at(r)}?limit=1&offset=1`)}, nil), second)`,
        `sameIDs(t, c.expect(200, "GET", ${goString(`${at(r)}?offset=2`)}, nil))`,
      ];
    default:
      return undefined;
  }
}

/** Whether the behaviour of mutant `id` is code's to prove here: not a rule, an action or a filter in words. */
export function codeProves(plan: Plan, id: string): boolean {
  const [kind, rest] = id.split(':') as [string, string];
  if (kind === 'rule' || kind === 'action') return false;
  if (kind !== 'filter') return true;
  const [resource, name] = rest.split('.');
  return plan.resources.find((r) => r.name === resource)?.filters.find((f) => f.name === name)?.field !== undefined;
}

const subtest = (name: string, lines: string[]) =>
  `\tt.Run(${goString(name)}, func(t *testing.T) {\n\t\tc := newClient(t)\n${lines.map((l) => `\t\t${l}`).join('\n')}\n\t})`;

function contractTests(plan: Plan, r: Resource): string[] {
  const P = goString(at(r));
  const children = plan.resources.filter((c) => c.parent === r.name);
  const parent = plan.resources.find((p) => p.name === r.parent);
  const nested = parent ? [`sameIDs(t, c.expect(200, "GET", fmt.Sprintf(${goString(`${at(parent)}/%d${at(r)}?limit=1`)}, p), nil), b)`] : [];
  const fields = fieldsWithParent(r);
  const queries = ['bogus=1', 'limit=0', 'limit=1001', 'limit=x', 'offset=-1', 'limit=1&limit=2'];
  for (const f of r.filters) {
    const bad = badParam(plan, r, f.name);
    if (bad !== undefined) queries.push(`${f.name}=${bad}`);
  }
  const suffixes = [...r.actions.map((a) => ['"POST"', `/${a.name}`]), ...children.map((c) => ['"GET"', at(c)])];
  const badDays = fields
    .filter((f) => f.type === 'date' || f.type === 'datetime')
    .map((f) => `${goString(f.name)}: ${goString(f.type === 'date' ? '2024-13-01' : 'yesterday')}`);
  const out = [
    subtest('crud', [
      ...parentSetup(r),
      `first := ${body(r, 1)}`,
      `a := c.create(${P}, first)`,
      `b := c.create(${P}, ${body(r, 2)})`,
      `sameIDs(t, c.expect(200, "GET", ${P}, nil), a, b)`,
      `echoes(t, object(t, c.expect(200, "GET", item(${P}, a), nil)), first)`,
      `third := ${body(r, 3)}`,
      `echoes(t, object(t, c.expect(200, "PUT", item(${P}, a), third)), third)`,
      `echoes(t, object(t, c.expect(200, "GET", item(${P}, a), nil)), third)`,
      `c.expect(200, "PUT", item(${P}, a), third)`,
      `c.expect(204, "DELETE", item(${P}, a), nil)`,
      `c.expect(404, "GET", item(${P}, a), nil)`,
      `c.expect(404, "DELETE", item(${P}, a), nil)`,
      `sameIDs(t, c.expect(200, "GET", ${P}, nil), b)`,
      ...nested,
    ]),
    subtest('errors', [
      ...parentSetup(r),
      `a := c.create(${P}, ${body(r, 1)})`,
      `for _, id := range []string{"abc", "0", "-1", "99999999999999999999"} {`,
      `\tc.expect(400, "GET", ${goString(`${at(r)}/`)}+id, nil)`,
      `\tc.expect(400, "PUT", ${goString(`${at(r)}/`)}+id, ${body(r, 2)})`,
      `\tc.expect(400, "DELETE", ${goString(`${at(r)}/`)}+id, nil)`,
      ...suffixes.map(([m, s]) => `\tc.expect(400, ${m}, ${goString(`${at(r)}/`)}+id+${goString(s!)}, nil)`),
      `}`,
      `c.expect(404, "GET", item(${P}, 999), nil)`,
      `c.expect(404, "PUT", item(${P}, 999), ${body(r, 2)})`,
      `c.expect(404, "DELETE", item(${P}, 999), nil)`,
      ...suffixes.map(([m, s]) => `c.expect(404, ${m}, item(${P}, 999)+${goString(s!)}, nil)`),
      `for _, bad := range []string{"", "not json", "[]", "null", "{} {}", ${goString('{"a": 1')}} {`,
      `\tc.expect(400, "POST", ${P}, bad)`,
      `\tc.expect(400, "PUT", item(${P}, a), bad)`,
      `}`,
      `c.expect(413, "POST", ${P}, ${goString('{"a": "')}+strings.Repeat("a", 1<<20)+${goString('"}')})`,
      `for _, key := range []string{"id", "no_such_field"} {`,
      `\tb := ${body(r, 2)}`,
      `\tb[key] = 1`,
      `\tc.expect(400, "POST", ${P}, b)`,
      `}`,
      `for _, key := range []string{${fields.map((f) => goString(f.name)).join(', ')}} {`,
      `\tfor _, v := range []any{nil, []any{}} {`,
      `\t\tb := ${body(r, 2)}`,
      `\t\tb[key] = v`,
      `\t\tc.expect(400, "POST", ${P}, b)`,
      `\t}`,
      `}`,
      ...(badDays.length
        ? [`for key, v := range map[string]string{${badDays.join(', ')}} {`, `\tb := ${body(r, 2)}`, `\tb[key] = v`, `\tc.expect(400, "POST", ${P}, b)`, `}`]
        : []),
      `for _, q := range []string{${queries.map(goString).join(', ')}} {`,
      `\tc.expect(400, "GET", ${goString(`${at(r)}?`)}+q, nil)`,
      ...(parent ? [`\tc.expect(400, "GET", fmt.Sprintf(${goString(`${at(parent)}/%d${at(r)}?`)}, p)+q, nil)`] : []),
      `}`,
    ]),
    ...r.actions.map((a) => subtest(`action ${a.name}`, actionLines(r, a))),
    ...r.filters
      .filter((f) => f.field === undefined)
      .map((f) =>
        subtest(`filter ${f.name}`, [
          `a := ${newFn(r)}(c, 1)`,
          `b := ${newFn(r)}(c, 2)`,
          `partition(t, c.expect(200, "GET", ${goString(`${at(r)}?${f.name}=true`)}, nil), c.expect(200, "GET", ${goString(`${at(r)}?${f.name}=false`)}, nil), a, b)`,
        ]),
      ),
  ];
  return out;
}

/**
 * An action's subtest. One whose description begins "sets F to V" (code's own, or the model's
 * "sets published to true and publishedAt to now") is held to it on an item where F is not V yet;
 * any other answers 200 with the item or 409 with an error.
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
  if (want === undefined || before === undefined) return [`a := ${newFn(r)}(c, 1)`, `acted(t, c, ${path}, a)`];
  return [
    ...parentSetup(r),
    `b := ${body(r, 1)}`,
    `b[${goString(field!.name)}] = ${literal(before)}`,
    `a := c.create(${P}, b)`,
    `setsState(t, c, ${path}, ${goString(field!.name)}, ${literal(want)})`,
  ];
}

/** tests/api_test.go for the plan, and the subtest that proves each code-written mutant. */
export function apiTestsGo(plan: Plan, store: Store = 'memory'): { path: typeof API_TESTS_PATH; content: string; proves: Record<string, string> } {
  const proves: Record<string, string> = {};
  const byModel: string[] = [];
  const tests = plan.resources.map((r) => {
    const mutants = mutantsOf(plan).filter((m) => m.id.split(':')[1]!.split('.')[0] === r.name);
    const subtests: string[] = [];
    for (const m of mutants) {
      const lines = codeProves(plan, m.id) ? mutantTest(plan, r, m.id) : undefined;
      if (!lines) {
        byModel.push(m.id);
        continue;
      }
      proves[m.id] = `${testName(r)}/${store}/${m.id}`;
      subtests.push(subtest(m.id, lines));
    }
    return `// ${testName(r)} checks the routes of the ${r.plural}, then each behaviour code writes for them:
// the subtest named after a mutant fails on that mutant.
func ${testName(r)}(t *testing.T) {
	forEachStore(t, func(t *testing.T) {
${[...contractTests(plan, r), ...subtests].map(indent).join('\n')}
	})
}`;
  });
  const first = plan.resources[0]!;
  const routes = `// TestRoutes checks the answers of the mux itself: an unknown route, a wrong method.
func TestRoutes(t *testing.T) {
	forEachStore(t, func(t *testing.T) {
		c := newClient(t)
		c.expect(404, "GET", "/no/such/route", nil)
		status, h, _ := c.call("PATCH", ${goString(`${at(first)}/1`)}, nil)
		if status != 405 || h.Get("Allow") == "" {
			t.Fatalf("PATCH ${at(first)}/1: status %d, Allow %q; want 405 and the allowed methods", status, h.Get("Allow"))
		}
	})
}`;
  const notHere = byModel.length ? `// Proven by the model's cases, not here: ${byModel.join(', ')}.\n` : '';
  const content = `// Code generated from the plan by overnight-llm. DO NOT EDIT.

// Package tests checks the API over HTTP as docs/generated-api.md describes it: every route of
// every resource, and each behaviour code writes in a subtest named after its mutant.
${notHere}package tests

import (
	"bytes"
${store === 'sqlite' ? '\t"context"\n' : ''}	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
${store === 'sqlite' ? '\t"path/filepath"\n' : ''}	"slices"
	"strings"
	"testing"

	${goString(`${plan.module}/internal/handlers`)}
	${goString(`${plan.module}/internal/store`)}
)

${[storesRun(store), newClientFunc(store), ...tests, routes, ...plan.resources.map(bodyFunc), TEST_HELPERS].join('\n\n')}
`;
  return { path: API_TESTS_PATH, content, proves };
}

/** One more tab at the start of each line of a Go block (blank lines stay blank). */
const indent = (block: string) => block.replace(/^(?=.)/gm, '\t');
