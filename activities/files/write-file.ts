// Atomic, idempotent writes: tmp file + fsync + rename, skipped when the same bytes are
// already there, so a retried activity never leaves half a file or rewrites a whole one.
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { FileRef } from '../../core/types.js';
import { assertNoLinks, confinedPath } from './confine.js';

export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function readIfPresent(abs: string): Buffer | null {
  try {
    return readFileSync(abs);
  } catch {
    return null;
  }
}

/** Writes `content` at `rel` inside `outputDir`, refusing anything outside `allowed`. */
export function writeFileAtomic(outputDir: string, rel: string, content: string, allowed?: Set<string>): FileRef & { written: boolean } {
  const abs = confinedPath(outputDir, rel, allowed);
  const bytes = Buffer.from(content, 'utf8');
  const ref = { path: rel, bytes: bytes.length, sha256: sha256(bytes) };
  assertNoLinks(outputDir, rel);
  const existing = readIfPresent(abs);
  if (existing && sha256(existing) === ref.sha256) return { ...ref, written: false };
  mkdirSync(path.dirname(abs), { recursive: true });
  assertNoLinks(outputDir, rel); // again: mkdir must not have raced a link into place
  const tmp = path.join(path.dirname(abs), `.${path.basename(abs)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  const fd = openSync(tmp, 'wx', 0o644);
  try {
    try {
      // write(2) may write less than asked (a file-size limit, a full disk): go on until all is
      // written or it fails; one call used to leave a silently truncated file under a correct hash.
      for (let done = 0; done < bytes.length;) done += writeSync(fd, bytes, done, bytes.length - done);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, abs);
  } catch (err) {
    rmSync(tmp, { force: true }); // a failed write (disk full, file too large) must not leave half a file behind
    throw err;
  }
  return { ...ref, written: true };
}

/** Reads a generated file by its layout path, or null when it is not there yet. */
export function readGeneratedFile(outputDir: string, rel: string): string | null {
  const abs = confinedPath(outputDir, rel);
  assertNoLinks(outputDir, rel);
  return readIfPresent(abs)?.toString('utf8') ?? null;
}
