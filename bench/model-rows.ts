// The rows of `make bench-models`: one JSON object a finished run in bench/results/models.jsonl
// (committed), written the moment the run ends, so a stopped session loses at most the run it
// was in, and section 5 of BENCHMARKS.md can always be rebuilt from the file alone.
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../lib/project-root.js';
import type { Strategy } from '../core/types.js';
import { COVERAGE_GOAL, type ApiCheck } from '../test/support/check-api.js';
import { taxonomyOfRun, type RoundText, type RunTaxonomy } from './taxonomy.js';

const ROOT = PROJECT_ROOT;
export const ROWS_PATH = path.join(ROOT, 'bench', 'results', 'models.jsonl');

/** The everyday prompts, by the short keys BENCH_PROMPTS accepts. */
export const PROMPTS: Record<string, string> = {
  todo: 'REST API for todo list',
  bookstore: 'REST API for a bookstore',
  notes: 'REST API for notes',
  inventory: 'REST API for inventory',
  events: 'REST API for events',
};

/** "todo list" for "REST API for todo list": what a table needs. */
export const promptName = (prompt: string) => prompt.replace(/^REST API for (a |an )?/, '');

export interface ModelRow {
  /** Short commit, "-dirty" when tracked files outside the bench's own output differ from it. */
  commit: string;
  /** When the run started, ISO 8601. */
  date: string;
  machine: string;
  model: string;
  prompt: string;
  strategy: Strategy;
  /** "valid", "invalid at <check step>" or "<status> at <phase>": see outcomeOf. */
  outcome: string;
  /** The pipeline's own verdict, beside the harness's. */
  run: { status: string; valid: boolean; error: string | null };
  wallMs: number;
  workingMs: number | null;
  tokensIn: number;
  tokensOut: number;
  /** The LLM phases' summed durations (phases with tokens out). */
  llmMs: number;
  tokensPerSecond: number | null;
  repairRounds: number;
  /** The harness's check of the output folder (test/support/check-api.ts); null when it had no project to check. */
  check: ApiCheck | null;
  coveragePercent: number | null;
  /** Sums over files[].provenance; null when no file has one (strategy whole). */
  candidates: number | null;
  modelLines: number | null;
  contractLines: number | null;
  /** modelLines ÷ (modelLines + contractLines). */
  modelShare: number | null;
  taxonomy: RunTaxonomy;
}

/** What of status.json the rows read; written defensively, status.json's schema moves. */
export interface StatusJson {
  run?: { workingMs?: number; repairRounds?: number; status?: string; error?: string | null };
  phases?: Array<{ name: string; status: string; durationMs: number; tokensOut: number; error?: string | null }>;
  validation?: { rounds: RoundText[] } | null;
  files?: Array<{ provenance?: { modelLines: number; contractLines: number; candidates: number; errorsSeen?: string[] } | null }>;
  totals?: { tokensIn: number; tokensOut: number };
}

export function readStatus(outputDir: string): StatusJson | null {
  const file = path.join(outputDir, 'status.json');
  try {
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as StatusJson) : null;
  } catch {
    return null;
  }
}

/** Every row in the file; a line cut short by a kill is skipped. */
export function readRows(file = ROWS_PATH): ModelRow[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((line) => {
      try {
        return line.trim() ? [JSON.parse(line) as ModelRow] : [];
      } catch {
        return [];
      }
    });
}

export function appendRow(row: ModelRow, file = ROWS_PATH): void {
  mkdirSync(path.dirname(file), { recursive: true });
  // After a line cut short by a kill, start a new line, or this row would be lost with it.
  const cut = existsSync(file) && !/(^|\n)$/.test(readFileSync(file, 'utf8'));
  appendFileSync(file, `${cut ? '\n' : ''}${JSON.stringify(row)}\n`);
}

export const sameRun = (a: Pick<ModelRow, 'commit' | 'model' | 'prompt' | 'strategy'>, b: Pick<ModelRow, 'commit' | 'model' | 'prompt' | 'strategy'>) =>
  a.commit === b.commit && a.model === b.model && a.prompt === b.prompt && a.strategy === b.strategy;

/** The code measured: HEAD, "-dirty" with changes to tracked files (the rows file and BENCHMARKS.md, which the bench writes, do not count). */
export function checkoutLabel(root = ROOT): string {
  const git = (args: string[]) => execFileSync('git', ['-C', root, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    const dirty = git(['status', '--porcelain', '--untracked-files=no', '--', '.', ':(exclude)bench/results', ':(exclude)BENCHMARKS.md']) !== '';
    return `${git(['rev-parse', '--short', 'HEAD'])}${dirty ? '-dirty' : ''}`;
  } catch {
    return 'unknown';
  }
}

type Check = Pick<ApiCheck, 'vet' | 'build' | 'test' | 'coveragePercent' | 'crud' | 'valid'>;

/** The first step of the harness's check that failed. */
function failedCheckStep(check: Check): string {
  if (!check.vet) return 'vet';
  if (!check.build) return 'build';
  if (!check.test) return 'test';
  const lowCoverage = check.coveragePercent === null || check.coveragePercent < COVERAGE_GOAL;
  if (lowCoverage) return check.crud ? 'coverage' : 'coverage, CRUD';
  return 'CRUD';
}

/**
 * The harness's verdict: "valid"; a run that did not complete, "<status> at <last failed phase>";
 * a completed one the check rejects, "invalid at <first failed check step>". Where the pipeline's
 * own verdict differs, it is added: one of the two checks is wrong.
 */
export function outcomeOf(run: { status: string; valid: boolean }, status: StatusJson | null, check: Check | null): string {
  const disagree = check && run.valid !== check.valid ? ` (pipeline: ${run.valid ? 'valid' : 'invalid'})` : '';
  if (check?.valid) return `valid${disagree}`;
  if (run.status !== 'completed') {
    const failed = status?.phases?.filter((p) => p.status === 'failed').pop();
    return `${run.status}${failed ? ` at ${failed.name}` : ''}`;
  }
  return check ? `invalid at ${failedCheckStep(check)}${disagree}` : 'invalid (no project to check)';
}

/** The figures status.json gives a row: time, tokens, repairs, provenance sums and the taxonomy. */
export function statusFigures(status: StatusJson | null) {
  const phases = status?.phases ?? [];
  const llmMs = phases.filter((p) => p.tokensOut > 0).reduce((n, p) => n + p.durationMs, 0);
  const tokensOut = status?.totals?.tokensOut ?? 0;
  const provenance = (status?.files ?? []).flatMap((f) => (f.provenance ? [f.provenance] : []));
  const sum = (key: 'modelLines' | 'contractLines' | 'candidates') => (provenance.length ? provenance.reduce((n, p) => n + p[key], 0) : null);
  const [modelLines, contractLines] = [sum('modelLines'), sum('contractLines')];
  const written = modelLines !== null && contractLines !== null ? modelLines + contractLines : 0;
  return {
    workingMs: status?.run?.workingMs ?? null,
    tokensIn: status?.totals?.tokensIn ?? 0,
    tokensOut,
    llmMs,
    tokensPerSecond: llmMs > 0 ? Math.round((tokensOut / (llmMs / 1000)) * 10) / 10 : null,
    repairRounds: status?.run?.repairRounds ?? 0,
    candidates: sum('candidates'),
    modelLines,
    contractLines,
    modelShare: written > 0 ? modelLines! / written : null,
    taxonomy: taxonomyOfRun(status?.validation?.rounds ?? [], provenance.length ? provenance.flatMap((p) => p.errorsSeen ?? []) : null),
  };
}
