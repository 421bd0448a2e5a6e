// Validation rounds on a copy of the todo API fixture (a complete generated project that
// passes), with the Go build cache in a folder we choose: cold, warm, or the bench's own.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { validateProject } from '../activities/go/validate.js';
import { FIXTURE_DIR } from '../test/support/run-fixtures.js';
import { TODO_SPEC } from '../test/support/scripted-ollama.js';
import type { ValidationReport } from '../core/run-types.js';

export function tmpFolder(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `overnight-bench-${prefix}-`));
}

export function removeFolder(dir: string): void {
  rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}

/** A fresh copy of the fixture project in its own folder. */
export function fixtureCopy(): string {
  const dir = path.join(tmpFolder('api'), 'todo-api');
  cpSync(FIXTURE_DIR, dir, { recursive: true });
  return dir;
}

/**
 * One validation round of `projectDir`, the toolchain's caches under `stateDir`.
 * validateProject takes its GOCACHE from $OVERNIGHT_STATE_DIR when it runs, so it is
 * pointed there for the round and put back after.
 */
export async function validateWithState(projectDir: string, stateDir: string): Promise<ValidationReport> {
  const saved = process.env.OVERNIGHT_STATE_DIR;
  process.env.OVERNIGHT_STATE_DIR = stateDir;
  try {
    const report = await validateProject({ outputDir: projectDir, spec: TODO_SPEC, coverageGoal: 70 });
    if (!report.ok)
      throw new Error(
        `the fixture failed validation: ${report.steps
          .filter((s) => !s.ok)
          .map((s) => `${s.name}: ${s.outputTail}`)
          .join('\n')}`,
      );
    return report;
  } finally {
    if (saved === undefined) delete process.env.OVERNIGHT_STATE_DIR;
    else process.env.OVERNIGHT_STATE_DIR = saved;
  }
}

/** Fills the bench's own Go build cache (the standard library above all), so runs measure a warm toolchain. */
export async function warmGoCache(): Promise<void> {
  const dir = fixtureCopy();
  try {
    await validateWithState(dir, process.env.OVERNIGHT_STATE_DIR!);
  } finally {
    removeFolder(path.dirname(dir));
  }
}
