// Section 5 of BENCHMARKS.md, built from bench/results/models.jsonl alone: per strategy, the
// newest run of each model and prompt (with the commit it measured), each model's score against
// its target, and the failure taxonomy
// before (whole) and after (guided). Pure: rows in, Markdown out.
import { STRATEGIES, type Strategy } from '../core/types.js';
import { COVERAGE_GOAL } from '../test/support/check-api.js';
import { PROMPTS, promptName, type ModelRow } from './model-rows.js';
import { markdownTable } from './stats.js';
import { addCounts, CLASS_LABELS, countsText, emptyCounts, FAILURE_CLASSES, type ClassCounts, type RunTaxonomy } from './taxonomy.js';

/** Valid runs out of the five prompts each model should reach. */
export const TARGETS: Record<string, number> = { 'qwen2.5-coder-1.5b': 4, 'qwen2.5-coder-0.5b': 3 };
export const WALL_LIMIT_MS = 45 * 60_000;
const PROMPT_COUNT = Object.keys(PROMPTS).length;

/** Seconds under 100 s, minutes above: runs take from half a minute to most of an hour. */
const time = (ms: number | null) => (ms === null ? '–' : ms < 100_000 ? `${(ms / 1000).toFixed(1)} s` : `${(ms / 60_000).toFixed(1)} min`);
const orDash = (x: number | null, format: (x: number) => string = String) => (x === null ? '–' : format(x));
const utc = (iso: string) => iso.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ' UTC');

/** Models in the order they were first run, prompts in the order of PROMPTS (others last). */
function byModelAndPrompt(rows: ModelRow[]) {
  const models = [...new Set(rows.map((r) => r.model))];
  const prompts = Object.values(PROMPTS);
  const promptRank = (p: string) => (prompts.includes(p) ? prompts.indexOf(p) : prompts.length);
  return (a: ModelRow, b: ModelRow) => models.indexOf(a.model) - models.indexOf(b.model) || promptRank(a.prompt) - promptRank(b.prompt);
}

/**
 * For each strategy, the newest row of each model and prompt, whatever commit it measured: one
 * model's runs take hours, so the models are measured at different commits (the table says which).
 */
export function newestRuns(rows: ModelRow[]): Map<Strategy, ModelRow[]> {
  const result = new Map<Strategy, ModelRow[]>();
  for (const strategy of STRATEGIES) {
    const mine = rows.filter((r) => r.strategy === strategy).sort((a, b) => a.date.localeCompare(b.date));
    if (mine.length === 0) continue;
    const byRun = new Map(mine.map((r) => [`${r.model}\n${r.prompt}`, r]));
    result.set(strategy, [...byRun.values()].sort(byModelAndPrompt(rows)));
  }
  return result;
}

const commitsOf = (rows: ModelRow[]) => [...new Set(rows.map((r) => r.commit))].join(', ');

function errorsCell(t: RunTaxonomy): string {
  const parts = [countsText(t.firstRound), countsText(t.finalRound)];
  return (t.writing ? [countsText(t.writing), ...parts] : parts).join(' → ');
}

function runsTable(rows: ModelRow[]): string {
  return markdownTable(
    [
      'model',
      'prompt',
      'commit',
      'outcome',
      'wall',
      'working',
      'tokens in',
      'tokens out',
      'tokens/s',
      'repair rounds',
      'coverage',
      'candidates',
      "model's lines",
      'errors',
    ],
    rows.map((r) => [
      r.model,
      promptName(r.prompt),
      r.commit,
      r.check?.valid ? r.outcome.replace(/^valid/, '**valid**') : r.outcome,
      time(r.wallMs),
      time(r.workingMs),
      String(r.tokensIn),
      String(r.tokensOut),
      orDash(r.tokensPerSecond),
      String(r.repairRounds),
      orDash(r.coveragePercent, (c) => `${c.toFixed(1)} %`),
      orDash(r.candidates),
      orDash(r.modelShare, (s) => `${Math.round(s * 100)} %`),
      errorsCell(r.taxonomy),
    ]),
  );
}

/** "N of 5 valid" against the model's target, and the wall-time limit, saying by how much either is missed. */
export function targetLine(model: string, rows: ModelRow[]): string {
  const valid = rows.filter((r) => r.check?.valid).length;
  const notRun = Math.max(0, PROMPT_COUNT - rows.length);
  const target = TARGETS[model];
  let score = `${valid} of ${PROMPT_COUNT} valid`;
  if (notRun) score += ` (${notRun} prompt${notRun > 1 ? 's' : ''} not run)`;
  if (target === undefined) score += ', no target';
  else if (valid >= target) score += `: target ≥ ${target} of ${PROMPT_COUNT} met`;
  else if (valid + notRun >= target) score += `: target ≥ ${target} of ${PROMPT_COUNT} not reached yet`;
  else score += `: target ≥ ${target} of ${PROMPT_COUNT} missed by ${target - valid}`;
  const longest = Math.max(...rows.map((r) => r.wallMs));
  const over = rows.filter((r) => r.wallMs > WALL_LIMIT_MS).length;
  const limit = `${WALL_LIMIT_MS / 60_000} min`;
  const wall = over
    ? `${over} run${over > 1 ? 's' : ''} over the ${limit} wall limit (longest ${time(longest)}, ${time(longest - WALL_LIMIT_MS)} over)`
    : `every run within ${limit} wall (longest ${time(longest)})`;
  return `- **${model}**: ${score}; ${wall}.`;
}

const total = (rows: ModelRow[], pick: (t: RunTaxonomy) => ClassCounts | null) =>
  rows.some((r) => pick(r.taxonomy)) ? rows.reduce((sum, r) => addCounts(sum, pick(r.taxonomy) ?? emptyCounts()), emptyCounts()) : null;

function taxonomyTable(runs: Map<Strategy, ModelRow[]>): string {
  const columns: Array<[string, ClassCounts | null]> = [];
  for (const strategy of ['whole', 'guided'] as const) {
    const rows = runs.get(strategy) ?? [];
    if (strategy === 'guided') columns.push([`${strategy}: while writing`, total(rows, (t) => t.writing)]);
    columns.push([`${strategy}: first round`, total(rows, (t) => t.firstRound)], [`${strategy}: final round`, total(rows, (t) => t.finalRound)]);
  }
  const cell = (counts: ClassCounts | null, c: (typeof FAILURE_CLASSES)[number]) => (counts ? String(counts[c]) : '–');
  return markdownTable(
    ['class', ...columns.map(([name]) => name)],
    [
      ...FAILURE_CLASSES.map((c) => [CLASS_LABELS[c], ...columns.map(([, counts]) => cell(counts, c))]),
      ['**all**', ...columns.map(([, n]) => (n ? String(FAILURE_CLASSES.reduce((s, c) => s + n[c], 0)) : '–'))],
    ],
  );
}

const BASELINE =
  'No `whole` rows yet, so the before-figures are the earlier baseline: on 2026-11-25 the whole-file flow gave 0 of 4 valid ' +
  '(SmolLM2-135M on todo list, bookstore and notes, Qwen2.5-Coder-0.5B on todo list; this section as of commit d8f348a); ' +
  '`BENCH_STRATEGY=whole make bench-models` measures it again.';

export function modelsSection(rows: ModelRow[], settings: string): string {
  const runs = newestRuns(rows);
  const shown = [...runs.values()].flat();
  if (shown.length === 0) return `_No runs in bench/results/models.jsonl yet._\n\n${BASELINE}`;
  const dates = shown.map((r) => r.date).sort();
  const [from, to] = [utc(dates[0]!), utc(dates.at(-1)!)];
  const range = from.slice(0, 10) === to.slice(0, 10) ? `${from.slice(0, -4)}–${to.slice(11)}` : `${from} – ${to}`;
  const commits = [...runs].map(([strategy, r]) => `${commitsOf(r)} (${strategy})`).join('; ');
  const machines = [...new Set(shown.map((r) => r.machine))].join('; ');
  const out = [
    `_Runs of ${range}, ${machines}; the newest run of each model and prompt, at commit ${commits}. Rewritten by \`make bench-models\` from [bench/results/models.jsonl](bench/results/models.jsonl) after each run; older rows stay in that file._`,
    '',
    `${settings} **Valid** is the harness's own check of the output folder (test/support/check-api.ts, no code of the pipeline's validate phase): ` +
      `go vet, go build, go test with ≥ ${COVERAGE_GOAL} % coverage over ./... (the coverage column), and POST, GET list, GET, PUT, DELETE (204), GET (404) against the built server. ` +
      'Outcome: valid; "invalid at" the first check step that failed; or the run\'s end ("failed at" the phase it failed in). ' +
      "working = status.json's working time; tokens/s = tokens out ÷ the LLM phases' durations (prompt evaluation included); " +
      "candidates = model answers tried over all files; model's lines = the share of the files' non-blank lines the model wrote (code writes the rest); " +
      'errors = failure classes (below) while writing → in the first validation round → in the final one.',
  ];
  for (const [strategy, r] of runs) {
    const models = [...new Set(r.map((x) => x.model))];
    out.push(
      '',
      `### Strategy ${strategy} (commit ${commitsOf(r)})`,
      '',
      runsTable(r),
      '',
      ...models.map((m) =>
        targetLine(
          m,
          r.filter((x) => x.model === m),
        ),
      ),
    );
  }
  out.push(
    '',
    '### Failure taxonomy, before (whole) and after (guided)',
    '',
    "Toolchain error lines per class, summed over the runs above: while the files were written (guided only: the compiler's errors as each function body was checked), " +
      'in the first validation round (the files as written) and in the final one (after repairs). Vet and build report a compile error once; a failed smoke run counts once as other.',
    '',
    taxonomyTable(runs),
  );
  if (!runs.has('whole')) out.push('', BASELINE);
  return out.join('\n');
}
