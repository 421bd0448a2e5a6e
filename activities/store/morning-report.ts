// report.md: the morning report (lib/morning-report.ts) written beside a batch's items.
import type { FileRef } from '../../core/types.js';
import type { ReportItem } from '../../core/run-types.js';
import { writeFileAtomic } from '../files/write-file.js';
import { recordedReport, renderReport, reportRow } from '../../lib/morning-report.js';
import { REPORT_FILE } from '../../core/layout.js';

export interface MorningReportInput {
  dbPath: string;
  /** The folder report.md goes into. */
  reportDir: string;
  title: string;
  webUiRunsUrl: string;
  items: ReportItem[];
}

/** Writes report.md (an activity: the batch's end, or a run's with -report). */
export async function writeMorningReport(input: MorningReportInput): Promise<FileRef> {
  const rows = input.items.map((item) => reportRow(item, recordedReport(input.dbPath, item), input.webUiRunsUrl));
  const { path: rel, bytes, sha256 } = writeFileAtomic(input.reportDir, REPORT_FILE, renderReport(rows, input.title, new Date()), new Set([REPORT_FILE]));
  return { path: rel, bytes, sha256 };
}
