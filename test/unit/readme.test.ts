// The README is a newcomer's ten minutes: short, and every command, flag, make target and link it
// names is one the project has, so it cannot drift from the code that holds those facts.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { COMMANDS, FLAGS } from '../../client/flags.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const read = (p: string) => readFileSync(path.join(repo, p), 'utf8');
const readme = read('README.md');
const docs = readdirSync(path.join(repo, 'docs'))
  .filter((f) => f.endsWith('.md'))
  .map((f) => `docs/${f}`);

test('the README fits in 250 lines', () => {
  assert.ok(readme.split('\n').length <= 250, `README.md has ${readme.split('\n').length} lines`);
});

test('every make target the README names is in the Makefile', () => {
  const targets = new Set([...read('Makefile').matchAll(/^([a-z][a-z-]*):/gm)].map((m) => m[1]));
  for (const m of readme.matchAll(/\bmake ([a-z][a-z-]*)/g)) assert.ok(targets.has(m[1]), `make ${m[1]}`);
});

test('every flag and command the README shows the CLI with is one the CLI has', () => {
  const flags = new Set(Object.keys(FLAGS));
  const commands = new Set([...Object.keys(COMMANDS), 'help']);
  for (const block of readme.matchAll(/```bash\n([\s\S]*?)```/g)) {
    for (const line of block[1]!.split('\n').filter((l) => /overnight-llm(\.js)? /.test(l))) {
      const args = line.replace(/#.*$/, '').replace(/^.*overnight-llm(\.js)? /, '');
      for (const f of args.matchAll(/(?:^|\s)-([a-z][a-z-]*)/g)) assert.ok(flags.has(f[1]!), `-${f[1]} in: ${line}`);
      const first = /^([a-z]+)\b/.exec(args)?.[1];
      if (first) assert.ok(commands.has(first), `command ${first} in: ${line}`);
    }
  }
  for (const m of readme.matchAll(/`-([a-z][a-z-]+)[ `]/g)) assert.ok(flags.has(m[1]!), `-${m[1]}`);
});

test('every relative link of the README and docs/ points at a file of the repository', () => {
  for (const file of ['README.md', ...docs]) {
    for (const m of read(file).matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)) {
      if (/^[a-z]+:/.test(m[1]!)) continue;
      assert.ok(existsSync(path.join(repo, path.dirname(file), m[1]!)), `${file}: ${m[1]}`);
    }
  }
});
