// From flags to the workflow's input and id. The id derives from the output folder, so
// running the same command again finds the same run instead of starting a second one.
import { createHash } from 'node:crypto';
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ReviewTimeoutAction, RunInput, Strategy } from '../core/types.js';
import type { Store } from '../core/plan.js';
import { parseDuration } from './time-flags.js';
import { openMirror } from '../lib/db.js';
import { makeFolders } from '../lib/make-folders.js';
import { UsageError, type Flags } from './flags.js';
import { llmServerOf, parsePhaseOptions } from './flag-values.js';

/** Kept with the run on the server, so `list` shows it without asking a worker. */
export interface RunMemo {
  prompt: string;
  model: string;
  outputDir: string;
  /** inputDigest of the run's input (runs started before it was kept have none). */
  input?: string;
}

/** The Web UI's address of a run in -namespace, without the run's id. */
export function webUiRunsUrl(flags: Pick<Flags, 'ui' | 'namespace'>): string {
  return `${flags.ui.replace(/\/+$/, '')}/namespaces/${encodeURIComponent(flags.namespace)}/workflows/`;
}

/**
 * An id from a folder: `<kind>-<folder name>-<hash of its path>`, so the same command in the same
 * folder finds the same run (kind "overnight"), batch ("overnight-batch") or schedule ("overnight-schedule").
 */
export function folderIdFor(kind: string, folder: string): string {
  const abs = path.resolve(folder);
  const name =
    path
      .basename(abs)
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .slice(0, 40) || 'root';
  return `${kind}-${name}-${createHash('sha256').update(abs).digest('hex').slice(0, 10)}`;
}

export const workflowIdFor = (outputDir: string) => folderIdFor('overnight', outputDir);

/** A digest of what a run (or batch) was asked to do, every flag: two starts into one folder are the same run only when theirs agree. */
export function inputDigest(input: unknown): string {
  const sorted = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sorted)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.entries(v)
              .sort(([a], [b]) => a.localeCompare(b))
              .map(([k, x]) => [k, sorted(x)]),
          )
        : v;
  return createHash('sha256')
    .update(JSON.stringify(sorted(input)))
    .digest('hex')
    .slice(0, 16);
}

/** `target` must be creatable: its nearest existing ancestor a writable folder (or itself, of the right kind). */
function assertWritablePath(flag: string, target: string, kind: 'file' | 'folder'): void {
  let existing = target;
  while (!existsSync(existing)) existing = path.dirname(existing);
  const isDir = statSync(existing).isDirectory();
  if (existing !== target && !isDir) throw new UsageError(`${flag} ${target}: ${existing} is a file, not a folder; choose another path`);
  if (existing === target && kind === 'folder' && !isDir) throw new UsageError(`${flag} ${target} exists and is not a folder: choose another path`);
  if (existing === target && kind === 'file' && isDir)
    throw new UsageError(`${flag} ${target} is a folder: name a database file, e.g. ${path.join(target, 'poc.db')}`);
  try {
    accessSync(existing, constants.W_OK);
  } catch {
    throw new UsageError(`${flag} ${target} is not writable: choose another path`);
  }
}

export function runInputFrom(flags: Flags): RunInput {
  const outputDir = path.resolve(flags.output);
  const dbPath = path.resolve(flags.db);
  assertWritablePath('-output', outputDir, 'folder');
  assertWritablePath('-db', dbPath, 'file');
  openMirrorOrExplain(dbPath);
  // Writable by access(2) is not enough (root may write "anywhere", yet not under /proc):
  // making the folder now turns that into a usage error instead of a failed preflight.
  try {
    makeFolders(outputDir);
  } catch (err) {
    throw new UsageError(`-output ${outputDir} cannot be created (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}): choose another path`);
  }
  return {
    prompt: flags.prompt.trim(),
    outputDir,
    dbPath,
    llm: {
      serverUrl: flags.ollama,
      ...llmServerOf(flags),
      model: flags.model,
      options: {
        temperature: flags.temperature,
        num_ctx: flags['num-ctx'],
        seed: flags.seed,
        // Ollama shifts the context and goes on generating: without a cap a looping model runs until -llm-timeout.
        ...(flags['num-predict'] > 0 ? { num_predict: flags['num-predict'] } : {}),
      },
      phaseOptions: parsePhaseOptions(flags['phase-options']),
      callTimeoutMs: flags['llm-timeout'] * 1000,
      stallTimeoutMs: 5 * 60_000,
      maxOutputBytes: 10 * 1024 * 1024,
    },
    skipValidation: flags['skip-validation'],
    allowNonEmptyOutput: flags['allow-existing'],
    maxRepairRounds: flags['max-repair-rounds'],
    coverageGoal: flags.coverage,
    workingBudgetMs: flags.budget > 0 ? flags.budget * 60_000 : undefined,
    heartbeatTimeoutMs: flags['heartbeat-timeout'] * 1000,
    strategy: flags.strategy as Strategy,
    // Only the whole-plan writer reads it; other runs' inputs stay as recorded.
    ...(flags.strategy === 'plan' ? { store: flags.store as Store } : {}),
    ollamaWaitMs: flags['ollama-wait'] * 60_000,
    git: flags['no-git'] ? 'off' : flags.git ? 'on' : 'auto',
    ...(flags['review-plan']
      ? { planReview: { timeoutMs: parseDuration(flags['review-timeout'])!, onTimeout: flags['on-review-timeout'] as ReviewTimeoutAction } }
      : {}),
    ...(flags['plan-only'] ? { planOnly: true } : {}),
    ...(flags.report ? { report: { webUiRunsUrl: webUiRunsUrl(flags) } } : {}),
  };
}

/** Opens the mirror now, so a bad -db is a usage error and not a run that fails later. */
function openMirrorOrExplain(dbPath: string): void {
  try {
    openMirror(dbPath);
  } catch (err) {
    throw new UsageError(`-db ${dbPath} cannot be used: ${(err as Error).message}`);
  }
}

/**
 * Another run in flight writes `outputDir`: following it is right only when this command asks for
 * the same run (an inputDigest in each memo; runs started before digests were kept compare prompt and model).
 */
export function assertSameRun(outputDir: string, workflowId: string, theirs: Partial<RunMemo>, mine: RunMemo): void {
  const same = theirs.input !== undefined ? theirs.input === mine.input : theirs.prompt === mine.prompt && theirs.model === mine.model;
  if (!same)
    throw new UsageError(
      `${outputDir} is being written by run ${workflowId} (prompt ${JSON.stringify(theirs.prompt ?? '?')}, other flags than these): follow it with overnight-llm attach ${workflowId}, or choose another -output`,
    );
}
