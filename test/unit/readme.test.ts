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

test('a default or an environment variable the README and docs/ give a flag is the one the flag table has', () => {
  const norm = (v: unknown) => String(v).replace(/[`\s%]/g, '');
  let checked = 0;
  for (const file of ['README.md', ...docs]) {
    const text = read(file).replace(/\s+/g, ' ');
    // "`-coverage`, default 70 %", "`-review-timeout` (default `1h`)", "`-log-level INFO` (env `OVERNIGHT_LOG_LEVEL`, default `ERROR`)":
    // each "default"/"env" with a value belongs to the last flag named before it in the same sentence.
    for (const m of text.matchAll(/\b(default|env):? (`[^`]+`|\d+(?:\.\d+)? ?(?:%|h\b)?)/g)) {
      const before = text.slice(Math.max(0, m.index - 60), m.index);
      const name = [...before.matchAll(/`-([a-z][a-z-]+)[^`]*`/g)].filter((f) => !/\.\s/.test(before.slice(f.index))).pop()?.[1];
      if (!name) continue;
      const [, what, value] = m;
      const spec = FLAGS[name as keyof typeof FLAGS] as { default?: unknown; env?: string } | undefined;
      if (!spec) continue; // a flag of `go test` or the Go server, not ours
      const want = what === 'env' ? spec.env : spec.default;
      assert.equal(norm(value), norm(want), `${file}: -${name} … ${m[0]}, the flag table: ${want}`);
      checked++;
    }
  }
  assert.ok(checked >= 5, `only ${checked} defaults found: the pattern no longer matches the docs`);
});
