// Hostile answers to a whole file's activities: 21 cases (the layer's total is in support.ts).
// What the model writes is hostile input: prose, several blocks, wrong fences, junk, floods,
// paths and placeholders inside the text. The written path is always the layout's.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { closeMirrors } from '../../lib/db.js';
import { plainReadme } from '../../core/readme.js';
import { TODO_SPEC } from '../support/scripted-ollama-responders.js';
import { fencedAnswer } from '../support/scripted-ollama.js';
import { MiB, caseTimeout, fixture, runCase, sha256, type HostileCase } from './support.js';

const MODELS_FILE = 'internal/models/todo.go';
const MODELS = fixture(MODELS_FILE);
const PROSE = 'Sure! A todo has a title, a description and a completed flag. Store them in a struct. Let me know if you need more.';
const fenced = (body: string, lang = 'go') => `\`\`\`${lang}\n${body.replace(/\n$/, '')}\n\`\`\`\n`;
const noCode = (why: RegExp) => ({ failure: { type: 'NoCodeInAnswer', nonRetryable: true, message: why } });
const BIG = { maxOutputBytes: 4 * MiB };
const BIG_CHUNKS = { chunkChars: 64 * 1024 };

/** Deterministic bytes 0..255 as characters: NULs, controls, high bytes, no structure. */
function junk(length: number): string {
  let out = '';
  for (let i = 0; out.length < length; i++) {
    for (const b of createHash('sha256').update(String(i)).digest()) out += String.fromCharCode(b);
  }
  return out.slice(0, length);
}

const passwdHash = () => sha256(readFileSync('/etc/passwd'));
let passwdBefore = '';
const RAW_STRING_WITH_FENCES =
  MODELS + '\n// Help is shown by the server on GET /help.\nconst Help = `\n# Help\n\n```bash\ncurl localhost:8080/todos\n```\n`\n';
const PLACEHOLDERS = MODELS + "\n// {{file:self}} {{resource}} {{nope}} $& $1 $$ $` $'\n";
const UNICODE =
  MODELS +
  '\n// \u202Eevil\u202C right-to-left override, zero\u200Bwidth, emoji 🚀, العربية, עברית\nconst Greeting = "héllo \u202Edlrow\u202C \u2066isolate\u2069"\n';

export const ANSWER_CASES: HostileCase[] = [
  { name: 'prose only, twice: NoCodeInAnswer after one firmer follow-up', answer: PROSE, calls: 2, limitMs: 5000, expect: noCode(/no Go code.*twice.*-model/) },
  { name: 'prose first, code on the follow-up: the code is written', answer: PROSE, times: 1, calls: 2, limitMs: 5000, expect: { file: MODELS } },
  {
    name: "several code blocks: the file's own package is chosen over usage examples and tests",
    answer: [
      'Run it with:',
      fenced('go run ./cmd/server', 'bash'),
      'Usage example (longer than the file itself):',
      fenced(`package main\n\nfunc main() {\n${'\t// example line\n'.repeat(80)}}\n`),
      'The file:',
      fenced(MODELS),
      'And a test:',
      fenced('package models_test\n\nimport "testing"\n\nfunc TestX(t *testing.T) {}\n'),
    ].join('\n'),
    limitMs: 5000,
    expect: { file: MODELS },
  },
  {
    name: 'wrong fence language (```python around Go): the block, whole',
    answer: `Here it is:\n${fenced(MODELS, 'python')}Hope that helps!\n`,
    limitMs: 5000,
    expect: { file: MODELS },
  },
  {
    name: 'missing closing fence: the block runs to the end of the answer',
    answer: `Here it is:\n\`\`\`go\n${MODELS}`,
    limitMs: 5000,
    expect: { file: MODELS },
  },
  { name: 'binary junk with NUL bytes, twice', answer: junk(8192), calls: 2, limitMs: 5000, expect: noCode(/binary junk/) },
  {
    name: 'a flood of terminal escape sequences in the block, twice',
    answer: fenced('package models\n' + '\x1b[2J\x1b[H\x07\x1b]0;pwned\x07'.repeat(200)),
    calls: 2,
    limitMs: 5000,
    expect: noCode(/binary junk/),
  },
  { name: 'an empty answer, twice', answer: '', calls: 2, limitMs: 5000, expect: noCode(/no Go code/) },
  // The README never fails a valid API: after two unusable answers code writes a plain one from the plan.
  {
    name: 'a whitespace-only README, twice: code writes a plain README',
    phase: 'readme',
    answer: ' \n\n\t \n',
    calls: 2,
    limitMs: 5000,
    expect: { file: plainReadme(TODO_SPEC) },
  },
  {
    name: '`File: ../../etc/passwd` and absolute paths in the answer have no effect',
    answer: `File: ../../etc/passwd\nFile: /etc/passwd\nSave this as /tmp/evil.go and ../../../outside.txt:\n\n${fenced(MODELS)}\nFile: ${'../'.repeat(12)}etc/shadow\n`,
    prepare: () => void (passwdBefore = passwdHash()),
    limitMs: 5000,
    expect: { file: MODELS },
    after: () => assert.equal(passwdHash(), passwdBefore, '/etc/passwd changed'),
  },
  {
    name: 'Go code declaring the wrong package is written as it is (validation catches it)',
    answer: fenced(MODELS.replace('package models', 'package main')),
    limitMs: 5000,
    expect: { file: MODELS.replace('package models', 'package main') },
  },
  {
    name: 'unicode, RTL-override and zero-width characters in code are written as text',
    answer: fencedAnswer(MODELS_FILE, UNICODE),
    limitMs: 5000,
    expect: { file: UNICODE },
  },
  {
    name: 'lone UTF-16 surrogates become U+FFFD, and the reference matches the disk',
    answer: fenced(MODELS + '// broken: \ud800 \udfff\n'),
    limitMs: 5000,
    expect: { file: MODELS + '// broken: \ufffd \ufffd\n' },
  },
  { name: 'CR-only line endings become LF', answer: fenced(MODELS).replace(/\n/g, '\r'), limitMs: 5000, expect: { file: MODELS } },
  {
    // Under the answer cap, over what may cross to the workspace in the run's history: one line, nothing written.
    name: 'a 2 MB single line inside the code, under the cap: refused on its way to the workspace, in one line',
    answer: fenced(MODELS + '// ' + 'a'.repeat(2 * MiB) + '\n'),
    llm: BIG,
    server: BIG_CHUNKS,
    limitMs: 15_000,
    expect: {
      failure: {
        type: 'FileTooLarge',
        nonRetryable: true,
        message: /^the answer for internal\/models\/todo\.go is \d+ KB, over the 192 KB a file may have on its way to the workspace/,
      },
    },
  },
  {
    name: 'a 2 MB answer that is one line without a newline, twice',
    answer: 'package models ' + 'x'.repeat(2 * MiB),
    llm: BIG,
    server: BIG_CHUNKS,
    calls: 2,
    limitMs: 15_000,
    expect: noCode(/no Go code/),
  },
  {
    name: 'a million blank lines before the code (once quadratic: hours)',
    answer: fenced('\n'.repeat(MiB) + MODELS),
    llm: BIG,
    server: BIG_CHUNKS,
    limitMs: 15_000,
    expect: {
      failure: {
        type: 'FileTooLarge',
        nonRetryable: true,
        message: /^the answer for internal\/models\/todo\.go is \d+ KB, over the 192 KB a file may have on its way to the workspace/,
      },
    },
  },
  {
    name: 'a megabyte of spaces inside a line of code (once quadratic)',
    answer: fenced(MODELS.replace('type Todo struct {', `type Todo struct {${' '.repeat(MiB)}`)),
    llm: BIG,
    server: BIG_CHUNKS,
    limitMs: 15_000,
    expect: {
      failure: {
        type: 'FileTooLarge',
        nonRetryable: true,
        message: /^the answer for internal\/models\/todo\.go is \d+ KB, over the 192 KB a file may have on its way to the workspace/,
      },
    },
  },
  {
    name: 'fifty thousand empty fenced blocks, then the file',
    answer: '```\n```\n'.repeat(50_000) + fenced(MODELS),
    llm: BIG,
    server: BIG_CHUNKS,
    limitMs: 15_000,
    expect: { file: MODELS },
  },
  {
    name: 'code fences inside a Go raw string, in a longer fence',
    answer: fencedAnswer(MODELS_FILE, RAW_STRING_WITH_FENCES),
    limitMs: 5000,
    expect: { file: RAW_STRING_WITH_FENCES },
  },
  {
    name: 'template placeholders and $-patterns in the code stay literal, here and in the next prompt',
    answer: fenced(PLACEHOLDERS),
    limitMs: 5000,
    expect: { file: PLACEHOLDERS },
    after: async ({ sb, seen, input }) => {
      const { MockActivityEnvironment } = await import('@temporalio/testing');
      const { fileAsRunToday } = await import('../support/file-phase.js');
      await fileAsRunToday(new MockActivityEnvironment(), { ...input, phase: 'repository' as const });
      const prompt = seen.at(-1)!.lastUserMessage;
      assert.ok(prompt.includes(PLACEHOLDERS.trim()), 'the repository prompt lacks the models file verbatim');
      assert.equal(readFileSync(path.join(sb.out, 'internal/repository/todo_repo.go'), 'utf8'), fixture('internal/repository/todo_repo.go'));
    },
  },
];

after(() => closeMirrors());

describe('hostile answers to a file’s activities', () => {
  for (const c of ANSWER_CASES) it(c.name, { timeout: caseTimeout(c) }, () => runCase(c));
});
