// Keeps every write inside the output folder: no '..', no absolute paths, no symlinked
// folders or files, no device files, and only the paths of the generated layout.
import { ApplicationFailure } from '@temporalio/common';
import { lstatSync } from 'node:fs';
import path from 'node:path';

/**
 * A path the generated project may not use. Never worth retrying (a symlink, FIFO or folder
 * where a file goes is still there on the next attempt), so the failure says so itself.
 */
export class UnsafePathError extends ApplicationFailure {
  constructor(message: string) {
    super(message, 'UnsafePathError', true);
  }
}

/** Checks `rel` lexically and against `allowed`; returns the absolute path. */
export function confinedPath(outputDir: string, rel: string, allowed?: Set<string>): string {
  if (!path.isAbsolute(outputDir)) throw new UnsafePathError(`output dir must be absolute: ${outputDir}`);
  if (rel.includes('\0') || rel.includes('\\')) throw new UnsafePathError(`refusing path with a NUL or backslash: ${JSON.stringify(rel)}`);
  if (path.isAbsolute(rel)) throw new UnsafePathError(`refusing absolute path ${rel}`);
  const parts = rel.split('/');
  if (parts.some((p) => p === '..' || p === '.' || p === '')) throw new UnsafePathError(`refusing path ${JSON.stringify(rel)}`);
  if (allowed && !allowed.has(rel)) throw new UnsafePathError(`refusing ${rel}: not a file of the generated layout`);
  const abs = path.join(outputDir, rel);
  if (path.relative(outputDir, abs).startsWith('..')) throw new UnsafePathError(`refusing ${rel}: outside ${outputDir}`);
  return abs;
}

/** Refuses when any existing component below outputDir is a symlink, or the target is not a regular file (a folder, for `kind` folder). */
export function assertNoLinks(outputDir: string, rel: string, kind: 'file' | 'folder' = 'file'): void {
  let current = outputDir;
  const parts = rel.split('/');
  for (let i = 0; i < parts.length; i++) {
    current = path.join(current, parts[i]);
    let st;
    try {
      st = lstatSync(current);
    } catch {
      return; // does not exist yet: nothing below it can be a link
    }
    if (st.isSymbolicLink()) throw new UnsafePathError(`refusing ${rel}: ${path.relative(outputDir, current)} is a symbolic link`);
    const last = i === parts.length - 1;
    if (!last && !st.isDirectory()) throw new UnsafePathError(`refusing ${rel}: ${path.relative(outputDir, current)} is not a folder`);
    if (last && kind === 'file' && !st.isFile()) throw new UnsafePathError(`refusing ${rel}: it exists and is not a regular file`);
    if (last && kind === 'folder' && !st.isDirectory()) throw new UnsafePathError(`refusing ${rel}: it exists and is not a folder`);
  }
}
