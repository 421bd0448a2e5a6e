// Deterministic fixes of generated Go before any model is asked again: the module's own import
// paths, goimports (missing standard imports added, unused ones dropped, gofmt), and a variable
// declared and not used turned into `_`. And the check a file gets where it is written: its
// package built and vetted, the errors as lines `path:line:col: message`.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { projectPath } from '../../lib/project-root.js';
import { FILE_LAYOUT, LIBRARY_PHASES, importPathFor } from '../../core/layout.js';
import { runTool } from './run-tool.js';
import type { ToolchainSession } from './toolchain-session.js';

const PROJECT_BIN = projectPath('.tools', 'bin');

/** goimports: $OVERNIGHT_GOIMPORTS_BIN, the project's .tools/bin (scripts/setup.sh builds it), then PATH. */
export function goimportsBinary(): string {
  if (process.env.OVERNIGHT_GOIMPORTS_BIN) return process.env.OVERNIGHT_GOIMPORTS_BIN;
  const local = path.join(PROJECT_BIN, 'goimports');
  return existsSync(local) ? local : 'goimports';
}

/**
 * Imports of the module's own packages under another path (`todo-api/models`,
 * `github.com/x/todo-api/internal/models`) point at `<module>/internal/<pkg>`; imports of
 * third-party modules are dropped (the project builds offline with the standard library only).
 */
export function fixImportPaths(src: string, module: string): string {
  return src.replace(/^([ \t]*(?:import[ \t]+)?(?:\w+[ \t]+)?)"([^"\n]+)"[ \t]*$/gm, (line, lead: string, importPath: string) => {
    const last = importPath.split('/').pop()!;
    const phase = LIBRARY_PHASES.find((p) => FILE_LAYOUT[p].goPackage === last);
    if (phase && importPath !== importPathFor(module, phase)) return `${lead}"${importPathFor(module, phase)}"`;
    const firstElement = importPath.split('/')[0];
    if (firstElement.includes('.') && !importPath.startsWith(module)) return ''; // github.com/…: not available offline
    return line;
  });
}

const COMMA_IF = /^([ \t]*)(?:([^\n]+?);[ \t]*)?if ([^{};\n]+?),[ \t]*((?:return\b|[A-Za-z_][\w.]*[ \t]*(?::=|=|\+=|-=|\+\+|--))[^\n{]*)$/;

/**
 * `if cond, stmt` on one line (a small model copying a step's "if x, return y" wording) becomes
 * `if cond { stmt }`, also after a `stmt;` on the same line. Comments are left alone. Only worth
 * trying on a file that does not parse; null when nothing matched.
 */
export function fixCommaIf(src: string): string | null {
  let changed = false;
  const lines = src.split('\n').map((line) => {
    if (/^\s*(\/\/|\/\*|\*)/.test(line)) return line;
    const m = COMMA_IF.exec(line);
    if (!m || (m[2] ?? '').includes('//')) return line;
    const [, indent, before, cond, stmt] = m;
    changed = true;
    return `${before ? `${indent}${before}\n` : ''}${indent}if ${cond} {\n${indent}\t${stmt.trimEnd()}\n${indent}}`;
  });
  return changed ? lines.join('\n') : null;
}

/** One toolchain error: where, and what. */
export interface GoError {
  file: string;
  line: number;
  col: number;
  message: string;
}

/** `path:line:col: message` lines of go build / go vet / gofmt output ("vet: " prefixes stripped). */
export function parseGoErrors(output: string): GoError[] {
  const errors: GoError[] = [];
  for (const raw of output.split('\n')) {
    const m = /^(?:vet: )?(?:\.\/)?([\w./-]+\.go):(\d+):(\d+): (.+)$/.exec(raw.trim());
    if (m) errors.push({ file: m[1], line: Number(m[2]), col: Number(m[3]), message: m[4] });
  }
  return errors;
}

/**
 * `declared and not used: x` at line:col: x becomes `_`; when that leaves only blanks on the
 * left of `:=`, it becomes `=` (or `for range` in a range clause). Returns null when nothing applied.
 */
export function fixUnusedVariables(src: string, errors: GoError[]): string | null {
  const lines = src.split('\n');
  let changed = false;
  for (const e of errors) {
    const name = /declared and not used: (\w+)/.exec(e.message)?.[1];
    const line = lines[e.line - 1];
    if (!name || line === undefined || line.slice(e.col - 1, e.col - 1 + name.length) !== name) continue;
    let fixed = line.slice(0, e.col - 1) + '_' + line.slice(e.col - 1 + name.length);
    fixed = fixed.replace(/^(\s*)for\s+_(\s*,\s*_)?\s*:=\s*range\b/, '$1for range').replace(/^(\s*(?:if\s+)?)(_(?:\s*,\s*_)*)\s*:=/, '$1$2 =');
    if (/^\s*var\s+_\s+[\w.*[\]]+\s*$/.test(fixed)) fixed = ''; // `var x T` never used: gone
    lines[e.line - 1] = fixed;
    changed = true;
  }
  return changed ? lines.join('\n') : null;
}

/**
 * `cannot use true (untyped bool constant) as *bool value in assignment`, and the same for a value
 * of type T assigned to a *T: the model forgot that optional fields are pointers. The value
 * becomes `PointerTo(value)` (models.go declares it). Returns null when nothing applied.
 */
export function fixPointerAssignments(src: string, errors: GoError[]): string | null {
  const lines = src.split('\n');
  let changed = false;
  // Right to left on each line, so an earlier column still points where it did.
  for (const e of [...errors].sort((a, b) => a.line - b.line || b.col - a.col)) {
    const m = /^cannot use (.+) \((?:untyped (\w+) constant|value of type ([\w.]+))\) as \*([\w.]+) value in assignment$/.exec(e.message);
    const line = lines[e.line - 1];
    if (!m || line === undefined) continue;
    const [, value, untyped, typed, target] = m;
    // PointerTo infers the constant's default type: an untyped float is a float64.
    if ((untyped === 'float' ? 'float64' : (untyped ?? typed)) !== target) continue;
    if (line.slice(e.col - 1, e.col - 1 + value!.length) !== value) continue;
    lines[e.line - 1] = `${line.slice(0, e.col - 1)}PointerTo(${value})${line.slice(e.col - 1 + value!.length)}`;
    changed = true;
  }
  return changed ? lines.join('\n') : null;
}

/** Runs goimports on one file in place; its syntax errors come back as the tool's output. */
export async function runGoimports(session: ToolchainSession, outputDir: string, rel: string, timeoutMs = 60_000): Promise<{ ok: boolean; output: string }> {
  // goimports parses; it runs none of the generated code, so it needs no containment.
  const r = await runTool(goimportsBinary(), ['-w', rel], { cwd: outputDir, env: session.env, timeoutMs });
  return { ok: r.exitCode === 0, output: r.output };
}

/** Errors of the package in `pkgDir` (relative, e.g. internal/models): go build, then go vet when it builds. */
export async function checkPackage(session: ToolchainSession, pkgDir: string, signal?: AbortSignal, timeoutMs = 120_000): Promise<string[]> {
  const pattern = `./${pkgDir}`;
  const build = await session.go(['build', '-o', '/dev/null', pattern], timeoutMs, signal, 64 * 1024);
  if (build.timedOut) return [`go build ${pattern}: timed out`];
  if (build.exitCode === 0) {
    const vet = await session.go(['vet', pattern], timeoutMs, signal, 64 * 1024);
    if (vet.exitCode === 0) return [];
    return errorLines(vet.output, `go vet ${pattern} failed`);
  }
  return errorLines(build.output, `go build ${pattern} failed`);
}

function errorLines(output: string, fallback: string): string[] {
  const lines = output
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /\.go:\d+:\d+: /.test(l));
  return lines.length ? lines.map((l) => l.replace(/^vet: /, '').replace(/^\.\//, '')) : [`${fallback}: ${output.trim().split('\n').slice(-3).join(' ')}`];
}

/** Exported names a Go source declares at top level (types, functions, variables, constants). */
export function exportedNames(src: string): string[] {
  const names = new Set<string>();
  for (const m of src.matchAll(/^(?:type|func|var|const)\s+(?:\([^)]*\)\s*)?([A-Z]\w*)/gm)) names.add(m[1]);
  for (const m of src.matchAll(/^\t([A-Z]\w*)\s*(?:=|[\w.*[\]]+\s*=)/gm)) names.add(m[1]); // inside var ( … ) blocks
  return [...names];
}

/**
 * `undefined: ErrTitleRequired` in package handlers, where package models declares it: the
 * name gets its package (`models.ErrTitleRequired`). `known` maps a name to the package that
 * exports it. Returns null when nothing applied.
 */
export function qualifyNames(src: string, errors: GoError[], known: Map<string, string>): string | null {
  const lines = src.split('\n');
  let changed = false;
  // Right to left within a line, so earlier columns stay valid.
  const targets = errors
    .map((e) => ({ e, name: /^undefined: (\w+)$/.exec(e.message)?.[1] }))
    .filter((t): t is { e: GoError; name: string } => t.name !== undefined && known.has(t.name))
    .sort((a, b) => a.e.line - b.e.line || b.e.col - a.e.col);
  for (const { e, name } of targets) {
    const line = lines[e.line - 1];
    if (line === undefined || line.slice(e.col - 1, e.col - 1 + name.length) !== name || line[e.col - 2] === '.') continue;
    lines[e.line - 1] = `${line.slice(0, e.col - 1)}${known.get(name)}.${line.slice(e.col - 1)}`;
    changed = true;
  }
  return changed ? lines.join('\n') : null;
}
