// plan.json in the output folder: the plan a reviewed run waits on (-review-plan, -plan-only),
// in the form `overnight-llm approve ID -edit FILE` takes back.
import type { Plan } from '../../core/plan.js';
import type { FileRef, GitMode } from '../../core/types.js';
import { allowedPaths } from '../../core/layout.js';
import { commitFiles } from './git-history.js';
import { writeFileAtomic } from './write-file.js';
import { PLAN_FILE } from '../../core/layout.js';

export interface PlanFileInput {
  outputDir: string;
  plan: Plan;
  /** The git commit's message: whose plan this is. */
  message: string;
  git?: GitMode;
}

export async function writePlanFile({ outputDir, plan, message, git }: PlanFileInput): Promise<FileRef> {
  const allowed = allowedPaths({ resource: plan.resources[0]!.name });
  const { path: rel, bytes, sha256 } = writeFileAtomic(outputDir, PLAN_FILE, JSON.stringify(plan, null, 2) + '\n', allowed);
  await commitFiles(outputDir, git, [rel], message);
  return { path: rel, bytes, sha256 };
}
