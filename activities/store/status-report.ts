// status.json, built from the mirror (lib/status-report.ts) and written into the output folder.
import type { Fidelity } from '../../core/fidelity.js';
import type { FileRef, GitMode } from '../../core/types.js';
import { allowedPaths } from '../../core/layout.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { buildStatusReport } from '../../lib/status-report.js';
import { commitFiles } from '../files/git-history.js';
import { MARKER_FILE } from '../../core/layout.js';
import { writeFileAtomic } from '../files/write-file.js';

export async function writeStatusReport(input: {
  dbPath: string;
  workflowId: string;
  outputDir: string;
  resource: string | null;
  /** What the sentence asked for and where it lives (absent: the run has no plan yet). */
  fidelity?: Fidelity;
  git?: GitMode;
}): Promise<FileRef> {
  const report = buildStatusReport(input.dbPath, input.workflowId, input.fidelity ?? null);
  const allowed = input.resource ? allowedPaths({ resource: input.resource }) : new Set(['status.json', MARKER_FILE]);
  const { path, bytes, sha256 } = writeFileAtomic(input.outputDir, 'status.json', JSON.stringify(report, null, 2) + '\n', allowed);
  // A run that ended before scaffold (a failed plan) leaves status.json alone: the marker says it is
  // ours, so the same command run again may start afresh in this folder.
  if (!existsSync(join(input.outputDir, MARKER_FILE)))
    writeFileAtomic(input.outputDir, MARKER_FILE, JSON.stringify({ workflowId: input.workflowId }, null, 2) + '\n', allowed);
  if (input.resource) {
    const final = report.validation?.final;
    const outcome = final
      ? `validation ${final.ok ? 'passed' : 'failed'}${final.coveragePercent === null ? '' : `, coverage ${final.coveragePercent}%`}`
      : 'not validated';
    await commitFiles(input.outputDir, input.git, ['status.json'], `report: status.json (run ${report.run.status}, ${outcome})`);
  }
  return { path, bytes, sha256 };
}
