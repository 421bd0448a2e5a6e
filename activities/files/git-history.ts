// The night's story as git history in the output folder: each phase that writes files (and
// each repair round) commits what it wrote, so `git log --stat` tells what happened and `git
// diff` what a repair changed. Only the run's own files are added; a retried or replayed
// activity finds nothing new and makes no second commit; a folder inside the user's own
// repository is left alone unless -git asked for it.
import { execa } from 'execa';
import { isDiskFull } from '../disk-full.js';
import { existsSync, realpathSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FileRef, GenerateFileInput, GitMode } from '../../core/types.js';

/** Written into .git when the run created the repository: it is ours to commit to. */
const OURS = 'overnight-llm';
const AUTHOR = { name: 'overnight-llm', email: 'overnight-llm@localhost' };

/** git with none of the user's configuration, hooks or signing: the commit must not depend on them. */
function git(cwd: string, args: string[]) {
  return execa('git', ['-c', 'core.hooksPath=/dev/null', '-c', 'commit.gpgsign=false', ...args], {
    cwd,
    reject: false,
    env: {
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_NAME: AUTHOR.name,
      GIT_AUTHOR_EMAIL: AUTHOR.email,
      GIT_COMMITTER_NAME: AUTHOR.name,
      GIT_COMMITTER_EMAIL: AUTHOR.email,
    },
    timeout: 30_000,
  });
}

/** Where to commit: a repository we made, none yet (we make one), the user's (only when mode is on), or skip. */
async function repositoryFor(outputDir: string, mode: GitMode): Promise<'ours' | 'theirs' | 'none' | 'skip'> {
  const top = await git(outputDir, ['rev-parse', '--show-toplevel']);
  if (top.exitCode !== 0) {
    if (top.failed && (top as { code?: string }).code === 'ENOENT') return 'skip';
    return 'none';
  }
  const here = realpathSync(outputDir);
  const atTop = top.stdout.trim() === here;
  if (atTop && existsSync(path.join(here, '.git', OURS))) return 'ours';
  if (mode === 'on') return 'theirs';
  // A new folder inside a checkout of the user's (./todo-api in this project, say) gets a
  // repository of its own; a folder the user's repository tracks files in, or is, is left alone.
  if (atTop) return 'skip';
  const tracked = await git(outputDir, ['ls-files', '--', '.']);
  return tracked.exitCode === 0 && tracked.stdout.trim() === '' ? 'none' : 'skip';
}

/**
 * Commits `files` (paths relative to the output folder) with `message`; true when a commit was
 * made, false when not (off, not ours, git missing, or nothing changed: a retry's same bytes).
 */
export async function commitFiles(outputDir: string, mode: GitMode | undefined, files: string[], message: string): Promise<boolean> {
  if ((mode ?? 'auto') === 'off' || files.length === 0) return false;
  // Our mark in the folder's own .git: ours, without asking git (two git calls a commit, not three).
  const where = existsSync(path.join(outputDir, '.git', OURS)) ? 'ours' : await repositoryFor(outputDir, mode ?? 'auto');
  if (where === 'skip') return false;
  if (where === 'none') {
    if (!succeeded(await git(outputDir, ['init', '-q']))) return false;
    writeFileSync(path.join(outputDir, '.git', OURS), 'this repository was created by overnight-llm for its run history\n');
  }
  if (!succeeded(await git(outputDir, ['add', '--', ...files]))) return false;
  // `-- files`: only these, whatever else the user has staged in a repository of theirs. Files
  // unchanged since the last commit (a retried activity) make git refuse: no second commit.
  return succeeded(await git(outputDir, ['commit', '-q', '-m', message, '--', ...files]));
}

/** A git command that refused is a commit less; a full disk is the activity's failure (activities/disk-full.ts), not a history silently cut short. */
function succeeded(r: { exitCode?: number; stderr?: unknown; stdout?: unknown }): boolean {
  if (r.exitCode === 0) return true;
  const words = `${String(r.stderr ?? '')}\n${String(r.stdout ?? '')}`;
  if (isDiskFull({ message: words })) throw Object.assign(new Error(`git: ${words.trim().split('\n')[0]}`), { code: 'ENOSPC' });
  return false;
}

/** What a file phase's activity is asked, as far as its commit message needs it. */
interface FilePhaseInput {
  phase: GenerateFileInput['phase'];
  outputDir: string;
  repair?: GenerateFileInput['repair'];
  git?: GitMode;
  /** The model's name: `model`, or the run's `llm.model`. */
  model?: string;
  llm?: { model: string };
}

/** A file phase's activity that also commits the file it wrote: `<phase>: <path> (<model>)`, a repair with what failed. */
export function withHistory<I extends FilePhaseInput, R extends { file: FileRef }>(write: (input: I) => Promise<R>) {
  return async (input: I): Promise<R> => {
    const result = await write(input);
    const { phase, repair } = input;
    const model = input.model ?? input.llm?.model ?? '';
    const title = repair ? `repair round ${repair.round}: ${result.file.path} (${model})` : `${phase}: ${result.file.path} (${model})`;
    const body = repair ? `\n\nWhat the validation said about it:\n${repair.errors.split('\n').slice(0, 20).join('\n')}` : '';
    await commitFiles(input.outputDir, input.git, [result.file.path], title + body);
    return result;
  };
}
