// `overnight-llm report`: the morning report of the runs started in the last -since, from the
// server's list of runs and what each recorded (the -db mirror, else the status.json in its folder).
import path from 'node:path';
import { recordedReport, renderReport, reportRow } from '../lib/morning-report.js';
import type { ReportItem } from '../core/run-types.js';
import { clientFor, type Io } from './session.js';
import type { Flags } from './flags.js';
import { webUiRunsUrl, type RunMemo } from './run-input.js';
import { parseDuration } from './time-flags.js';

export async function reportCommand(flags: Flags, io: Io): Promise<number> {
  const since = new Date(Date.now() - parseDuration(flags.since)!);
  const client = await clientFor(flags, io);
  // The newest execution of each folder's run: an earlier one's record was replaced by it.
  const latest = new Map<string, ReportItem & { startedAt: number }>();
  for await (const run of client.workflow.list({ query: `WorkflowType = 'generateApi' AND StartTime >= '${since.toISOString()}'` })) {
    const known = latest.get(run.workflowId);
    if (known && known.startedAt >= run.startTime.getTime()) continue;
    const memo = (run.memo ?? {}) as Partial<RunMemo>;
    latest.set(run.workflowId, {
      workflowId: run.workflowId,
      prompt: memo.prompt ?? '',
      outputDir: memo.outputDir ?? '',
      startedAt: run.startTime.getTime(),
      ...(run.status.name === 'RUNNING' ? { state: 'running' as const } : {}),
    });
  }
  const items = [...latest.values()].sort((a, b) => a.startedAt - b.startedAt);
  const dbPath = path.resolve(flags.db);
  const rows = items.map((item) => reportRow(item, item.state === 'running' ? null : recordedReport(dbPath, item), webUiRunsUrl(flags)));
  if (flags.json) io.out(JSON.stringify(rows, null, 2));
  else io.out(renderReport(rows, `the runs since ${since.toISOString()}`, new Date()).trimEnd());
  return 0;
}
