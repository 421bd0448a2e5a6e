// Maps toolchain output to the generated files it names, so the repair loop asks the LLM
// to rewrite only those files, each with only the lines about it. Lines are made stable
// (relative paths, no timings, no addresses) so an unchanged failure compares equal.
import type { FilePhase } from '../../core/types.js';
import { CODE_PHASES, filePathFor } from '../../core/layout.js';

export interface PhaseFailure {
  phase: FilePhase;
  errors: string;
}

/** Per-phase cap on the error text handed to a repair prompt. */
export const MAX_ERRORS_BYTES = 4096;

const FILE_REF = /(?:[\w.@+~\-/]*\/)?[\w.+\-]+\.go(?=:\d+)/g;
const HEADER = /^# \[?([^\s\]]+)\]?(?: \[[^\]]*\])?$/;
const STACK_FRAME = /^\t\S+\.go:\d+(?: \+0x[0-9a-f]+)?$/;
const TEST_FAIL = /^\s*--- FAIL: /;
// Go reports a wrong package clause at the importers; the fault is the imported file's.
const NOT_IMPORTABLE = /"([^"]+)" is a program, not an importable package/;
const IMPORTED_AS = /"([^"]+)" imported as (\w+) and not used/;

/** Collects failure lines per phase across several tool outputs; `list()` gives the capped result. */
export class FailureCollector {
  private readonly byPath = new Map<string, FilePhase>();
  private readonly byBase = new Map<string, string | null>(); // null: two files share the name
  private readonly lines = new Map<FilePhase, Set<string>>();

  constructor(resource: string) {
    for (const phase of CODE_PHASES) {
      const rel = filePathFor(phase, resource);
      this.byPath.set(rel, phase);
      const base = rel.slice(rel.lastIndexOf('/') + 1);
      this.byBase.set(base, this.byBase.has(base) ? null : rel);
    }
  }

  add(phase: FilePhase, line: string): void {
    const set = this.lines.get(phase) ?? new Set<string>();
    set.add(line.length > 1000 ? `${line.slice(0, 1000)}…` : line);
    this.lines.set(phase, set);
  }

  /** Reads `go vet|build|test` or `gofmt` output; lines that name no generated file are left out. */
  addOutput(output: string): void {
    let packageDir: string | null = null; // from `# module/internal/handlers`, resolves `./x.go`
    let panic: string | null = null;
    // Inside a failed test's log or a panic's preamble, unnamed lines (multi-line messages,
    // "running tests:" of a test timeout) still belong to the tests.
    let block: 'test' | 'panic' | null = null;
    const lines = output.split(/\r?\n/);
    lines.forEach((raw, i) => {
      const header = HEADER.exec(raw);
      if (header) {
        packageDir = this.packageDir(header[1]!);
        return;
      }
      if (/^panic: /.test(raw)) {
        panic = stable(raw);
        block = 'panic';
        this.add('tests', panic);
        return;
      }
      if (TEST_FAIL.test(raw)) {
        block = 'test';
        this.add('tests', stable(raw));
        return;
      }
      const { line, phases } = this.resolveRefs(raw.replace(/^vet: /, ''), packageDir);
      if (this.blameWrongPackage(stable(line))) return;
      if (phases.length === 0) {
        if (block === 'panic' && raw.trim() === '') block = null;
        else if (block === 'test' && !/^ {4,}\S/.test(raw)) block = null;
        if (block) this.add('tests', stable(raw));
        return;
      }
      for (const phase of phases) {
        if (STACK_FRAME.test(raw)) {
          // A frame is only useful with its function (the line above) and the panic it explains.
          if (panic) this.add(phase, panic);
          if (i > 0) this.add(phase, stable(lines[i - 1]!));
        }
        this.add(phase, stable(line));
      }
    });
  }

  list(): PhaseFailure[] {
    return CODE_PHASES.filter((p) => this.lines.has(p)).map((phase) => ({ phase, errors: capLines([...this.lines.get(phase)!]) }));
  }

  /**
   * A line about an imported package that declares the wrong name goes to that package's file,
   * with what its package clause must be. True when the importer is not to blame at all.
   */
  private blameWrongPackage(line: string): boolean {
    const program = NOT_IMPORTABLE.exec(line);
    const importedAs = program ? null : IMPORTED_AS.exec(line);
    const dir = this.packageDir((program ?? importedAs)?.[1] ?? '');
    const file = dir === null ? undefined : [...this.byPath.keys()].find((rel) => rel.slice(0, rel.lastIndexOf('/')) === dir);
    if (!file) return false;
    const want = dir!.slice(dir!.lastIndexOf('/') + 1);
    const declared = program ? 'main' : importedAs![2]!;
    if (declared === want) return false;
    const phase = this.byPath.get(file)!;
    this.add(phase, `${file}: declares package ${declared}, but it must declare package ${want} (the package it is imported as)`);
    this.add(phase, line);
    return program !== null;
  }

  private packageDir(importPath: string): string | null {
    for (const rel of this.byPath.keys()) {
      const dir = rel.slice(0, rel.lastIndexOf('/'));
      if (importPath === dir || importPath.endsWith(`/${dir}`)) return dir;
    }
    return null;
  }

  /** Rewrites every file reference to its path in the output dir and says which phases it names. */
  private resolveRefs(text: string, packageDir: string | null): { line: string; phases: FilePhase[] } {
    const phases: FilePhase[] = [];
    const line = text.replace(FILE_REF, (ref) => {
      const rel = this.resolve(ref, packageDir);
      if (!rel) return ref;
      const phase = this.byPath.get(rel)!;
      if (!phases.includes(phase)) phases.push(phase);
      return rel;
    });
    return { line, phases };
  }

  private resolve(ref: string, packageDir: string | null): string | null {
    const name = ref.replace(/^\.\//, '');
    if (!name.includes('/')) {
      if (packageDir && this.byPath.has(`${packageDir}/${name}`)) return `${packageDir}/${name}`;
      return this.byBase.get(name) ?? null;
    }
    for (const rel of this.byPath.keys()) if (name === rel || name.endsWith(`/${rel}`)) return rel;
    return null;
  }
}

/** The failures `output` points at, by phase. */
export function failuresFromOutput(output: string, resource: string): PhaseFailure[] {
  const collector = new FailureCollector(resource);
  collector.addOutput(output);
  return collector.list();
}

/** Drops what changes from run to run: timings, pointer arguments, code offsets. */
function stable(line: string): string {
  return line
    .replace(/ \(\d+(?:\.\d+)?m?s\)$/, '')
    .replace(/ \+0x[0-9a-f]+$/, '')
    .replace(/^(\S+)\((?:0x|\{0x)[^)]*\)$/, '$1(...)')
    .replace(/\s+$/, '');
}

/** Joins lines up to MAX_ERRORS_BYTES, saying how many were left out. */
export function capLines(lines: string[], max = MAX_ERRORS_BYTES): string {
  const kept: string[] = [];
  let bytes = 0;
  for (const [i, line] of lines.entries()) {
    const size = Buffer.byteLength(line) + 1;
    if (bytes + size > max - 40) {
      kept.push(`… ${lines.length - i} more lines`);
      break;
    }
    kept.push(line);
    bytes += size;
  }
  return kept.join('\n');
}
