// Pulls the file out of an LLM answer. The answer is hostile input: prose around the
// code, several blocks, a missing closing fence, or binary junk are all expected.
import { goPackageFor } from '../../core/layout.js';
import { oneLine } from './ollama.js';

export class ExtractionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExtractionError';
  }
}

interface FencedBlock {
  lang: string;
  body: string;
}

const FENCE = /^\s*(```+|~~~+)\s*([\w+#.-]*)[^\n]*$/;

/** Every fenced block in order; an unclosed last block runs to the end of the answer. */
export function fencedBlocks(answer: string): FencedBlock[] {
  const lines = answer.split(/\r?\n/);
  const blocks: FencedBlock[] = [];
  let open: { fence: string; lang: string; start: number } | null = null;
  for (let i = 0; i < lines.length; i++) {
    const m = FENCE.exec(lines[i]);
    if (!m) continue;
    if (!open) {
      open = { fence: m[1], lang: m[2].toLowerCase(), start: i + 1 };
    } else if (m[1].startsWith(open.fence[0]) && m[1].length >= open.fence.length && m[2] === '') {
      blocks.push({ lang: open.lang, body: lines.slice(open.start, i).join('\n') });
      open = null;
    }
  }
  if (open) blocks.push({ lang: open.lang, body: lines.slice(open.start).join('\n') });
  return blocks;
}

/** True when the text is mostly not printable: a model that emits junk, not code. */
function looksBinary(text: string): boolean {
  if (text.includes('\u0000')) return true;
  const controls = text.match(/[\u0001-\u0008\u000e-\u001f\u007f\ufffd]/g)?.length ?? 0;
  return controls > Math.max(8, text.length / 100);
}

function extractGo(answer: string, path: string): string {
  const pkg = goPackageFor(path);
  // [ \t], not \s: \s spans newlines, and a flood of blank lines made this quadratic (hours for 1 MB).
  const declares = (code: string, name?: string) => new RegExp(`^[ \\t]*package[ \\t]+${name ?? '\\w+'}[ \\t]*$`, 'm').test(code);
  const all = fencedBlocks(answer);
  const goBlocks = all.filter((b) => b.lang === '' || b.lang === 'go' || b.lang === 'golang');
  // Several blocks: the one for this file declares its package; prefer the longest such.
  const byLength = (blocks: FencedBlock[]) => [...blocks].sort((a, b) => b.body.length - a.body.length);
  const ownPackage = (b: FencedBlock) => declares(b.body, pkg) || declares(b.body, `${pkg}_test`);
  const chosen =
    byLength(goBlocks).find(ownPackage) ??
    byLength(all).find(ownPackage) ?? // a wrong fence language (```python around Go code): still the block, whole
    byLength(goBlocks).find((b) => declares(b.body)) ??
    byLength(all).find((b) => declares(b.body));
  if (chosen) return chosen.body;
  // No usable fence: take from the package clause to the end, dropping trailing prose after the last brace.
  const start = answer.search(/^[ \t]*package[ \t]+\w+[ \t]*$/m);
  if (start < 0) {
    // A small model writes `package internal.models`: say what the line must be, for the retry.
    const wrong = /^[ \t]*package[ \t]+(\S[^\n]{0,60})$/m.exec(answer)?.[1]?.trim();
    if (wrong)
      throw new ExtractionError(`the answer for ${path} declares "package ${oneLine(wrong, 40)}", which is not Go: the file must start with "package ${pkg}"`);
    throw new ExtractionError(`the answer for ${path} holds no Go code (no "package" clause)`);
  }
  const code = answer.slice(start).trimStart();
  const lastBrace = code.lastIndexOf('}');
  return lastBrace > 0 ? code.slice(0, lastBrace + 1) : code;
}

function extractMarkdown(answer: string): string {
  // A README wraps its own fenced examples, so a ```markdown wrapper closes at its LAST fence.
  // Prose before the wrapper ("Here is the README:") is dropped, unless it looks like the README itself (a heading).
  const lines = answer.trim().split(/\r?\n/);
  const open = lines.findIndex((l) => FENCE.test(l));
  const first = open >= 0 ? FENCE.exec(lines[open]) : null;
  if (first && /^(markdown|md)$/i.test(first[2]) && !lines.slice(0, open).some((l) => /^\s*#/.test(l))) {
    let end = lines.length;
    for (let i = lines.length - 1; i > open; i--) {
      if (/^\s*(```+|~~~+)\s*$/.test(lines[i])) {
        end = i;
        break;
      }
    }
    return lines.slice(open + 1, end).join('\n');
  }
  return answer.trim();
}

/** The file content for `path` from an LLM answer, with a trailing newline. */
export function extractFile(raw: string, path: string): string {
  const answer = raw.replace(/\r\n?/g, '\n');
  if (looksBinary(answer)) throw new ExtractionError(`the answer for ${path} is binary junk, not text`);
  const code = path.endsWith('.go') ? extractGo(answer, path) : extractMarkdown(answer);
  const trimmed = code.trimEnd(); // not /\s+$/: quadratic on a long run of spaces inside the code
  if (!trimmed) throw new ExtractionError(`the answer for ${path} is empty`);
  return trimmed + '\n';
}
