#!/usr/bin/env node
// Runs the CLI compiled into dist/ (set-up builds it: `npm run build`). When a source file is
// newer than that build (you are changing the code) it runs the TypeScript through tsx instead,
// so an edit takes effect at once and a stale build never runs.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const built = path.join(root, 'dist', 'client', 'cli.js');
const stamp = path.join(root, 'dist', '.built');

/** The newest modification time of the .ts sources the CLI is made of: the build's folders. */
function newestSource() {
  let newest = 0;
  for (const dir of JSON.parse(readFileSync(path.join(root, 'tsconfig.build.json'), 'utf8')).include) {
    const walk = (d) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
      }
    };
    if (existsSync(path.join(root, dir))) walk(path.join(root, dir));
  }
  return newest;
}

if (existsSync(built) && existsSync(stamp) && statSync(stamp).mtimeMs >= newestSource()) {
  await import(built);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../client/cli.ts');
}
