// The failure taxonomy of `make bench-models`: each line of Go toolchain output a run met is
// put in one class, so the before (strategy whole) and after (strategy guided) figures say
// which kinds of error a strategy removes. Pure functions over status.json's text.

export const FAILURE_CLASSES = ['import', 'undeclared', 'signature', 'syntax', 'unused', 'test', 'coverage', 'other'] as const;
export type FailureClass = (typeof FAILURE_CLASSES)[number];
export type ClassCounts = Record<FailureClass, number>;

export const CLASS_LABELS: Record<FailureClass, string> = {
  import: 'import',
  undeclared: 'undeclared name',
  signature: 'signature mismatch',
  syntax: 'syntax',
  unused: 'unused variable',
  test: 'failing test',
  coverage: 'coverage under the goal',
  other: 'other',
};

/** Package names a model forgets to import: `undefined: http` is a missing import, not a missing name. */
const PACKAGE_NAMES = new Set(
  (
    'http httptest json fmt strconv errors strings log os sync atomic time bytes io context sort math rand ' +
    'url regexp bufio filepath path reflect unicode utf8 slices maps testing slog signal net mux ' +
    // the generated project's own packages (core/layout.ts)
    'models repository handlers'
  ).split(' '),
);

const RULES: Array<[FailureClass, RegExp]> = [
  [
    'import',
    /imported (?:as \w+ )?and not used|could not import|is not in std|no required module provides package|cannot find package|import cycle not allowed|use of internal package|is a program, not an importable package/,
  ],
  ['unused', /declared (?:and|but) not used/],
  ['undeclared', /undefined: |has no field or method|undeclared name/],
  [
    'signature',
    /not enough arguments|too many arguments|assignment mismatch|cannot use|not enough return values|too many return values|mismatched types|invalid operation/,
  ],
  ['syntax', /syntax error|:\d+:\d+: expected |^expected |illegal character|literal not terminated|non-declaration statement/],
  ['test', /^\s*--- FAIL|^FAIL\t|^panic: /],
];

/** Lines that carry no error of their own: package headers, passing packages, test logs, our notes. */
const NOISE =
  /^(?:#|=== |--- (?:PASS|SKIP)|PASS$|FAIL$|ok\s|\?\s|coverage: |exit status |too many errors|\(killed|skipped: |reformatted:|all files were formatted|goroutine |FAIL\t.*\[(?:build|setup) failed\])/;

/** One line as the classes see it: no `vet: ` prefix, no truncation mark. */
const normalise = (line: string) =>
  line
    .replace(/^…/, '')
    .replace(/^vet: /, '')
    .trimEnd();

/** The class of one error line; `step` gofmt makes every line syntax (gofmt fails only on a parse error). */
export function classifyLine(line: string, step?: string): FailureClass {
  const text = normalise(line);
  if (step === 'gofmt') return 'syntax';
  const bare = /undefined: (\w+)$/.exec(text);
  if (bare && PACKAGE_NAMES.has(bare[1]!)) return 'import';
  return RULES.find(([, pattern]) => pattern.test(text))?.[0] ?? 'other';
}

/**
 * The error lines of a tool's output, each once (vet and build report the same compile error).
 * Indented lines are a test's log or an error's continuation, so only `--- FAIL` is kept of them;
 * a package's `FAIL\t` line counts only when no test of it said `--- FAIL` (a panic, a timeout).
 */
export function errorLines(output: string): string[] {
  const lines = output.split(/\r?\n/).map(normalise);
  const testFailed = lines.some((l) => /^\s*--- FAIL/.test(l));
  const kept = lines.filter((l) => {
    if (/^\s*--- FAIL/.test(l)) return true;
    if (!l.trim() || /^\s/.test(l) || NOISE.test(l)) return false;
    return !(testFailed && /^FAIL\t/.test(l));
  });
  return [...new Set(kept)];
}

export function emptyCounts(): ClassCounts {
  return Object.fromEntries(FAILURE_CLASSES.map((c) => [c, 0])) as ClassCounts;
}

export function addCounts(a: ClassCounts, b: ClassCounts): ClassCounts {
  return Object.fromEntries(FAILURE_CLASSES.map((c) => [c, a[c] + b[c]])) as ClassCounts;
}

/** What of status.json the taxonomy reads: a validation round and the files' provenance. */
export interface RoundText {
  coveragePercent: number | null;
  coverageGoal: number;
  steps: Array<{ name: string; ok: boolean; skipped?: boolean; outputTail: string }>;
}

/** One validation round's classes: its failed steps' lines, a failed smoke run once, coverage under the goal once. */
export function classifyRound(round: RoundText): ClassCounts {
  const counts = emptyCounts();
  const seen = new Set<string>();
  for (const step of round.steps) {
    if (step.ok || step.skipped) continue;
    // The smoke log is one request a line, not errors: the failed cycle is one failure.
    if (step.name === 'smoke') {
      counts.other++;
      continue;
    }
    for (const line of errorLines(step.outputTail)) {
      if (seen.has(line)) continue;
      seen.add(line);
      counts[classifyLine(line, step.name)]++;
    }
  }
  const testRan = round.steps.some((s) => s.name === 'test' && s.ok);
  if (testRan && round.coveragePercent !== null && round.coveragePercent < round.coverageGoal) counts.coverage++;
  return counts;
}

/** Errors met while the files were written (guided strategy's provenance.errorsSeen). */
export function classifyLines(lines: string[]): ClassCounts {
  const counts = emptyCounts();
  for (const line of lines) counts[classifyLine(line)]++;
  return counts;
}

/** A run's taxonomy: while writing (null without provenance), first validation round, final one. */
export interface RunTaxonomy {
  writing: ClassCounts | null;
  firstRound: ClassCounts | null;
  finalRound: ClassCounts | null;
}

export function taxonomyOfRun(rounds: RoundText[], errorsSeen: string[] | null): RunTaxonomy {
  return {
    writing: errorsSeen ? classifyLines(errorsSeen) : null,
    firstRound: rounds.length ? classifyRound(rounds[0]!) : null,
    finalRound: rounds.length ? classifyRound(rounds[rounds.length - 1]!) : null,
  };
}

/** "3 import, 1 syntax", or "none". */
export function countsText(counts: ClassCounts | null): string {
  if (!counts) return '–';
  const parts = FAILURE_CLASSES.filter((c) => counts[c] > 0).map((c) => `${counts[c]} ${CLASS_LABELS[c]}`);
  return parts.length ? parts.join(', ') : 'none';
}
