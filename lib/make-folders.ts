// mkdir -p for paths a user names (-output, -db). Node's own recursive mkdir loops forever
// where the kernel answers ENOENT for a folder whose parent exists (/proc/x: seen hanging
// preflight until its timeout, attempt after attempt); here each level is made once.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';

/** Creates `folder` and its missing parents; throws the first mkdir error (ENOENT, EACCES…). */
export function makeFolders(folder: string): void {
  const missing: string[] = [];
  for (let dir = path.resolve(folder); !existsSync(dir); dir = path.dirname(dir)) {
    missing.unshift(dir);
    if (path.dirname(dir) === dir) break;
  }
  for (const dir of missing) {
    try {
      mkdirSync(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}
