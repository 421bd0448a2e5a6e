// From flags to the workflow's input and id. The id derives from the output folder, so
// running the same command again finds the same run instead of starting a second one.
import { createHash } from 'node:crypto';
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { RunInput } from '../workflows/types.js';
import { UsageError, type Flags } from './flags.js';

export function workflowIdFor(outputDir: string): string {
  const abs = path.resolve(outputDir);
  const name = path.basename(abs).toLowerCase().replace(/[^a-z0-9-]+/g, '-').slice(0, 40) || 'root';
  return `overnight-${name}-${createHash('sha256').update(abs).digest('hex').slice(0, 10)}`;
}

/** The nearest existing folder must be writable, or the path cannot be created. */
function assertWritablePath(flag: string, target: string): void {
  let dir = target;
  while (!existsSync(dir)) dir = path.dirname(dir);
  if (dir === target && !statSync(dir).isDirectory()) {
    if (flag === '-db') {
      try {
        accessSync(dir, constants.W_OK);
        return;
      } catch {
        throw new UsageError(`${flag} ${target} is not writable: choose another path`);
      }
    }
    throw new UsageError(`${flag} ${target} exists and is not a folder: choose another path`);
  }
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new UsageError(`${flag} ${target} is not writable (${dir} is read-only for you): choose another path`);
  }
}

export function runInputFrom(flags: Flags): RunInput {
  const outputDir = path.resolve(flags.output);
  const dbPath = path.resolve(flags.db);
  assertWritablePath('-output', outputDir);
  assertWritablePath('-db', dbPath);
  return {
    prompt: flags.prompt.trim(),
    outputDir,
    dbPath,
    llm: {
      ollamaUrl: flags.ollama,
      model: flags.model,
      options: { temperature: flags.temperature, num_ctx: flags['num-ctx'], seed: flags.seed },
      callTimeoutMs: flags['llm-timeout'] * 1000,
      stallTimeoutMs: 5 * 60_000,
      maxOutputBytes: 10 * 1024 * 1024,
    },
    skipValidation: flags['skip-validation'],
    allowNonEmptyOutput: flags['allow-existing'],
    maxRepairRounds: flags['max-repair-rounds'],
    coverageGoal: flags.coverage,
  };
}
