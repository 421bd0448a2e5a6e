// A full disk (or a quota) under the output folder, the mirror or the cache: the activity fails
// with one line that says which file and what to do, as a retryable failure, so a run whose disk
// is freed in time goes on where it was. Nothing written before is lost: files are replaced
// atomically, the mirror in transactions, git commits whole or not at all.
import { ApplicationFailure } from '@temporalio/activity';

export const DISK_FULL = 'DiskFull';

/** ENOSPC or EDQUOT from Node, SQLITE_FULL from the mirror, git's own words. */
export function isDiskFull(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  if (e && (e.code === 'ENOSPC' || e.code === 'EDQUOT' || e.code === 'SQLITE_FULL')) return true;
  return typeof e?.message === 'string' && /no space left on device|disk quota exceeded|database or disk is full/i.test(e.message);
}

/** The failure a full disk becomes: one line, with the file (or folder) it could not write. */
export function diskFullFailure(where: string, err: unknown): ApplicationFailure {
  const cause = ((err as Error).message ?? String(err)).split('\n')[0];
  return ApplicationFailure.retryable(
    `the disk is full: ${where} could not be written (${cause}); free some space and the run goes on (it retries for a few minutes; after that, run the same command again)`,
    DISK_FULL,
  );
}

/** What a workspace activity writes, named from its input: the output folder, else the mirror. */
function placeOf(input: unknown): string {
  const i = (input ?? {}) as { outputDir?: unknown; dbPath?: unknown; reportDir?: unknown };
  for (const [key, what] of [
    ['outputDir', 'the output folder'],
    ['reportDir', 'the report folder'],
    ['dbPath', 'the mirror'],
  ] as const)
    if (typeof i[key] === 'string') return `${what} ${i[key]}`;
  return 'a file of the run';
}

/** The activities, each turning a full disk into DISK_FULL's one line. */
export function withDiskFullFailures<A extends Record<string, (input: never) => Promise<unknown>>>(activities: A): A {
  const wrapped: Record<string, (input: never) => Promise<unknown>> = {};
  for (const [name, fn] of Object.entries(activities))
    wrapped[name] = async (input: never) => {
      try {
        return await fn(input);
      } catch (err) {
        throw isDiskFull(err) ? diskFullFailure(placeOf(input), err) : err;
      }
    };
  return wrapped as A;
}
