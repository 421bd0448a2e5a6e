// The values and bodies tests/api_test.go builds its items from: valid values of each field, the
// n-th valid item of a resource (its Go builder), and the statements that create its parent.
import { fieldsWithParent, goName, parentField, type Field, type Resource } from '../plan.js';
import { goNumber, goString } from './names.js';

export type Value = string | number | boolean;

export const literal = (v: Value) => (typeof v === 'string' ? goString(v) : typeof v === 'number' ? goNumber(v) : String(v));

/** A string of `length` characters in the field's format (email, url), else of x's. */
export function stringOfLength(f: Field, length: number): string {
  if (f.format === 'email') return `${'a'.repeat(Math.max(1, length - 5))}@b.co`;
  if (f.format === 'url') return `https://${'a'.repeat(Math.max(1, length - 8))}`;
  return 'x'.repeat(Math.max(0, length));
}

/** Valid values of a field, distinct where the type allows; the first is the sample. */
export function candidates(f: Field): Value[] {
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
export function otherValue(f: Field): Value | undefined | null {
  const c = candidates(f);
  if (c.length > 1) return c[1];
  return f.required ? null : undefined;
}

export const bodyFn = (r: Resource) => `${r.name}Body`;
export const newFn = (r: Resource) => `new${goName(r.name)}`;
export const testName = (r: Resource) => `Test${goName(r.plural)}`;
export const at = (r: Resource) => `/${r.plural}`;

/** `authorBody(n)`, `bookBody(n, p)`: the n-th valid item of r (its parent p). */
export const body = (r: Resource, n: number | string, parent = 'p') => `${bodyFn(r)}(${n}${r.parent ? `, ${parent}` : ''})`;

export function bodyFunc(r: Resource): string {
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
export const parentSetup = (r: Resource) => (r.parent ? [`p := ${newFn({ ...r, name: r.parent })}(c, 1)`] : []);

/** A Go subtest with its own client (and so its own empty store). */
export const subtest = (name: string, lines: string[]) =>
  `\tt.Run(${goString(name)}, func(t *testing.T) {\n\t\tc := newClient(t)\n${lines.map((l) => `\t\t${l}`).join('\n')}\n\t})`;
