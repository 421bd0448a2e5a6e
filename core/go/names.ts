// The Go names and types every file of the generated project agrees on, derived once from the
// plan, and the small text helpers the writers share (gofmt's column alignment, literals, imports).
import { childrenOf, fieldsWithParent, goName, parentField, type Field, type Plan, type Resource, type Store } from '../plan.js';

/** One field of a resource as Go sees it (the parent's id field included). */
export interface GoField {
  field: Field;
  /** The JSON key, the query parameter and the SQL column: `dueDate`. */
  json: string;
  /** The struct field: `DueDate`, `AuthorID`. */
  go: string;
  /** The Go type inside package models, without the pointer: `string`, `Date`, `TodoStatus`. */
  type: string;
  /** Optional fields are pointers, so a response leaves out one never set. */
  pointer: boolean;
  isParent: boolean;
}

/** One resource as Go sees it. */
export interface GoResource {
  r: Resource;
  /** The model type: `Todo`. */
  T: string;
  /** The plural for function names: `Todos`. */
  Ts: string;
  fields: GoField[];
  parent?: Resource;
  children: Resource[];
}

/** What every writer is given: the plan's Go names and which behaviour the mutant removes. */
export interface GoContext {
  plan: Plan;
  module: string;
  store: Store;
  resources: GoResource[];
  /** The calendar-day type: `Date`, or `CalendarDate` when a resource is itself called date. */
  date: string;
  /** False for the one behaviour the mutant removes (ids in mutants.ts). */
  keeps: (mutantId: string) => boolean;
}

const GO_TYPES: Record<Exclude<Field['type'], 'enum' | 'date'>, string> = {
  string: 'string',
  integer: 'int64',
  number: 'float64',
  boolean: 'bool',
  datetime: 'time.Time',
};

export const enumType = (r: Resource, f: Field) => `${goName(r.name)}${goName(f.name)}`;

export function goContext(plan: Plan, store: Store, mutant?: string): GoContext {
  const date = plan.resources.some((r) => goName(r.name) === 'Date') ? 'CalendarDate' : 'Date';
  const resources = plan.resources.map((r): GoResource => {
    const fields = fieldsWithParent(r).map((f): GoField => {
      const type = f.type === 'enum' ? enumType(r, f) : f.type === 'date' ? date : GO_TYPES[f.type];
      const isParent = r.parent !== undefined && f.name === parentField(r.parent);
      return { field: f, json: f.name, go: goName(f.name), type, pointer: !f.required, isParent };
    });
    const parent = r.parent ? plan.resources.find((p) => p.name === r.parent) : undefined;
    return { r, T: goName(r.name), Ts: goName(r.plural), fields, parent, children: childrenOf(plan, r) };
  });
  return { plan, module: plan.module, store, resources, date, keeps: (id) => id !== mutant };
}

/** The resource of that name. */
export function goResource(ctx: GoContext, name: string): GoResource {
  const found = ctx.resources.find((g) => g.r.name === name);
  if (!found) throw new Error(`no resource ${name} in the plan`);
  return found;
}

/** The field's type as another package writes it: `models.Date`, `*models.TodoStatus`. */
export function qualified(f: GoField, withPointer = true): string {
  const base = /^[A-Z]/.test(f.type) ? `models.${f.type}` : f.type;
  return withPointer && f.pointer ? `*${base}` : base;
}

/** A Go number literal: whole numbers written out in full (never 1e+21). */
export function goNumber(n: number): string {
  return Number.isInteger(n) ? BigInt(n).toString() : String(n);
}

/** A Go interpreted string literal for any text. */
export const goString = (s: string) => JSON.stringify(s);

/** One line of prose for a `//` comment or a string: no line breaks from the plan's words. */
export const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

/**
 * Rows of cells aligned into columns the way gofmt aligns struct fields and const specs: each
 * cell but the last padded to its column's widest cell plus one space.
 */
export function aligned(rows: string[][], indent = '\t'): string[] {
  const widths: number[] = [];
  for (const row of rows) row.slice(0, -1).forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => indent + row.map((cell, i) => (i < row.length - 1 ? cell.padEnd(widths[i]!) + ' ' : cell)).join(''));
}

/** Standard packages by the identifier their code is called through. */
export const STD_IMPORTS: Record<string, string> = {
  bytes: 'bytes',
  context: 'context',
  errors: 'errors',
  fmt: 'fmt',
  io: 'io',
  json: 'encoding/json',
  log: 'log',
  mail: 'net/mail',
  math: 'math',
  http: 'net/http',
  os: 'os',
  regexp: 'regexp',
  signal: 'os/signal',
  slices: 'slices',
  sort: 'sort',
  sql: 'database/sql',
  strconv: 'strconv',
  strings: 'strings',
  sync: 'sync',
  syscall: 'syscall',
  time: 'time',
  unicode: 'unicode',
  url: 'net/url',
  utf8: 'unicode/utf8',
};

/** Code without its comments and string literals, so only real uses of a package count. */
function codeOnly(src: string): string {
  return src.replace(/"(?:[^"\\\n]|\\.)*"|`[^`]*`|'(?:[^'\\\n]|\\.)*'|\/\/[^\n]*/g, '""');
}

/**
 * The import block of a file: the standard packages `body` calls, then `extra`, import specs
 * written out (`"todo-api/internal/models"`, `_ "modernc.org/sqlite"`). Derived from the code
 * itself, so a mutant that removes the only use of a package still compiles.
 */
export function importsFor(body: string, extra: string[] = []): string {
  const code = codeOnly(body);
  const std = Object.entries(STD_IMPORTS)
    .filter(([id]) => new RegExp(`(?<![\\w.])${id}\\.`).test(code))
    .map(([, path]) => path)
    .sort()
    .map(goString);
  const path = (spec: string) => spec.replace(/^\S+ /, '');
  const groups = [std, [...extra].sort((a, b) => (path(a) < path(b) ? -1 : 1))].filter((g) => g.length > 0);
  if (groups.length === 0) return '';
  if (std.length + extra.length === 1) return `import ${groups[0]![0]}\n`;
  return `import (\n${groups.map((g) => g.map((spec) => `\t${spec}`).join('\n')).join('\n\n')}\n)\n`;
}

/** A whole Go file: package clause, the imports its body uses, the body. */
export function goFile(pkg: string, body: string, extra: string[] = []): string {
  const imports = importsFor(body, extra);
  return `package ${pkg}\n\n${imports ? `${imports}\n` : ''}${body.trim()}\n`;
}

/** The word with its article: `a todo`, `an author`. */
export { withArticle } from '../plan.js';
