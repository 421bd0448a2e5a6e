// tests/api_test.go: the tests code derives from the plan (docs/generated-api.md). Each resource
// gets its contract checked over HTTP (create, get, list, replace, delete, the errors), and each
// behaviour code writes a subtest named after its mutant (mutants.ts) that fails on that mutant:
// `proves` maps the mutant's id to the subtest. What the model writes from words (actions, filters
// and rules in words) gets the checks every such method owes the API (tests-words.ts).
import { fieldsWithParent, parentField, type Plan, type Resource, type Store } from '../plan.js';
import { mutantsOf } from './mutants.js';
import { goNumber, goString } from './names.js';
import { at, body, bodyFunc, literal, newFn, otherValue, parentSetup, stringOfLength, subtest, testName } from './tests-values.js';
import { newClientFunc, storesRun, TEST_HELPERS } from './tests-helpers.js';
import { wordsTests } from './tests-words.js';
import { EXAMPLE_HELPERS, hasExamples, readsNotBuilt } from './tests-examples.js';

export const API_TESTS_PATH = 'tests/api_test.go';

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
    ...wordsTests(r),
  ];
  return out;
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
  const examples = hasExamples(plan);
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
${examples ? '\t"time"\n' : ''}
	${goString(`${plan.module}/internal/handlers`)}
${readsNotBuilt(plan) ? `\t${goString(`${plan.module}/internal/models`)}\n` : ''}	${goString(`${plan.module}/internal/store`)}
)

${[storesRun(store), newClientFunc(store), ...tests, routes, ...plan.resources.map(bodyFunc), TEST_HELPERS, ...(examples ? [EXAMPLE_HELPERS] : [])].join('\n\n')}
`;
  return { path: API_TESTS_PATH, content, proves };
}

/** One more tab at the start of each line of a Go block (blank lines stay blank). */
const indent = (block: string) => block.replace(/^(?=.)/gm, '\t');
