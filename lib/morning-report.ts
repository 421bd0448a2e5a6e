// The morning report: per run its prompt, outcome, coverage, time, tokens, repair rounds, Web UI
// link and folder, read from what the run recorded (its mirror, or its status.json). A batch
// writes it as report.md beside its items; `overnight-llm report` prints it for recent runs.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { BatchItemState, ReportItem } from '../core/run-types.js';
import { fidelityLines } from '../core/fidelity.js';
import { buildStatusReport, type StatusReport } from './status-report.js';

/** One run in the report: what a person asks of it in the morning. */
export interface ReportRow {
  workflowId: string;
  prompt: string;
  outcome: BatchItemState | 'running';
  coveragePercent: number | null;
  startedAt: string | null;
  wallMs: number | null;
  workingMs: number | null;
  tokensIn: number;
  tokensOut: number;
  repairRounds: number;
  webUi: string;
  folder: string;
  error: string | null;
  /** The fidelity list's lines (core/fidelity.ts): what was asked and where it is, or why not. */
  fidelity: string[];
}

/** A run's outcome as status.json records it. */
export function outcomeOf(report: StatusReport): ReportRow['outcome'] {
  const { status } = report.run;
  if (status === 'failed' || status === 'cancelled' || status === 'running') return status;
  const final = report.validation?.final;
  if (final) return final.ok ? 'valid' : 'invalid';
  const skipped = (name: string) => report.phases.some((p) => p.name === name && p.status === 'skipped');
  return skipped('scaffold') ? 'planned' : 'unvalidated';
}

export function reportRow(item: ReportItem, recorded: StatusReport | null, webUiRunsUrl: string): ReportRow {
  const run = recorded?.run;
  const ended = run?.endedAt ? Date.parse(run.endedAt) : null;
  return {
    workflowId: item.workflowId,
    prompt: item.prompt,
    outcome: recorded ? outcomeOf(recorded) : (item.state ?? 'waiting'),
    coveragePercent: recorded?.validation?.final.coveragePercent ?? null,
    startedAt: run?.startedAt ?? null,
    wallMs: run && ended !== null ? ended - Date.parse(run.startedAt) : null,
    workingMs: run?.workingMs ?? null,
    tokensIn: recorded?.totals.tokensIn ?? 0,
    tokensOut: recorded?.totals.tokensOut ?? 0,
    repairRounds: run?.repairRounds ?? 0,
    webUi: `${webUiRunsUrl}${encodeURIComponent(item.workflowId)}`,
    folder: item.outputDir,
    error: run?.error ?? item.error ?? null,
    fidelity: recorded?.fidelity ? fidelityLines(recorded.fidelity) : [],
  };
}

/** The run's record: the mirror at `dbPath`, else the status.json in its folder, else none. */
export function recordedReport(dbPath: string | null, item: ReportItem): StatusReport | null {
  const written = statusFileOf(item);
  if (dbPath) {
    try {
      // The mirror has the phases as they are now; the fidelity list is in status.json only.
      return { ...buildStatusReport(dbPath, item.workflowId), fidelity: written?.fidelity ?? null };
    } catch {
      // not in this mirror: its status.json may have it
    }
  }
  return written;
}

function statusFileOf(item: ReportItem): StatusReport | null {
  const file = path.join(item.outputDir, 'status.json');
  if (!existsSync(file)) return null;
  try {
    const report = JSON.parse(readFileSync(file, 'utf8')) as StatusReport;
    return report.run?.workflowId === item.workflowId ? report : null;
  } catch {
    return null;
  }
}

const minutes = (ms: number | null) => (ms === null ? '–' : ms < 60_000 ? `${Math.round(ms / 1000)} s` : `${(ms / 60_000).toFixed(1)} min`);
const cell = (text: string) => text.replace(/\s+/g, ' ').replace(/\|/g, '\\|');

export function renderReport(rows: ReportRow[], title: string, generatedAt: Date): string {
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(row.outcome, (counts.get(row.outcome) ?? 0) + 1);
  const tally = [...counts].map(([outcome, n]) => `${n} ${outcome}`).join(', ');
  const lines = [
    `# The night's report: ${title}`,
    '',
    `${generatedAt.toISOString()} · ${rows.length} run${rows.length === 1 ? '' : 's'}${tally ? `: ${tally}` : ''}`,
    '',
    '| # | prompt | outcome | coverage | time (working) | tokens in / out | repair rounds | folder |',
    '|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (r, i) =>
        `| ${i + 1} | ${cell(r.prompt)} | ${r.outcome} | ${r.coveragePercent === null ? '–' : `${r.coveragePercent.toFixed(1)} %`} | ` +
        `${minutes(r.wallMs)} (${minutes(r.workingMs)}) | ${r.tokensIn} / ${r.tokensOut} | ${r.repairRounds} | ${cell(r.folder)} |`,
    ),
  ];
  for (const [i, r] of rows.entries()) {
    lines.push('', `## ${i + 1}. ${cell(r.prompt)}`, '', `- outcome: ${r.outcome}${r.error ? ` — ${cell(r.error)}` : ''}`);
    lines.push(`- folder: ${r.folder} (status.json; \`git -C ${r.folder} log --stat\`)`, `- Web UI: ${r.webUi}`, `- run id: ${r.workflowId}`);
    if (r.fidelity.length) lines.push('- what was asked for, and where it is:', ...r.fidelity.map((l) => `  - ${cell(l)}`));
  }
  return lines.join('\n') + '\n';
}
