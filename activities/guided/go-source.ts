// Go source as text, just enough of it: a file rendered from its contract and bodies, a
// function cut out of an LLM answer (strings, runes and comments may hold braces), and the
// model's own parameter names mapped onto the contract's.
import { fencedBlocks } from '../llm/extract-code.js';
import { taskOf, UNWRITTEN_BODY, type FileContract, type FunctionHole } from './contract.js';

/** The file: header, then each function with its doc comment and body (`unwritten` where none yet). */
export function renderFile(c: FileContract, bodies: Record<string, string>, unwritten = UNWRITTEN_BODY): string {
  const functions = c.holes.map((h) => `// ${h.name}: ${taskOf(h)}.\n${h.signature} {\n${bodies[h.name] ?? unwritten}\n}`);
  return `${c.header}\n\n${functions.join('\n\n')}\n`;
}

/** Index just past the token that starts at `i` when it is a string, rune or comment; else i. */
function skipLiteral(src: string, i: number): number {
  const c = src[i];
  if (c === '/' && src[i + 1] === '/') {
    const end = src.indexOf('\n', i);
    return end < 0 ? src.length : end;
  }
  if (c === '/' && src[i + 1] === '*') {
    const end = src.indexOf('*/', i + 2);
    return end < 0 ? src.length : end + 2;
  }
  if (c === '`') {
    const end = src.indexOf('`', i + 1);
    return end < 0 ? src.length : end + 1;
  }
  if (c === '"' || c === "'") {
    for (let j = i + 1; j < src.length; j++) {
      if (src[j] === '\\') j++;
      else if (src[j] === c || src[j] === '\n') return j + 1;
    }
    return src.length;
  }
  return i;
}

/** Index of the bracket closing the one at `open`, or -1 when the text ends first (a cut-off answer). */
export function matchingBracket(src: string, open: number): number {
  const pairs: Record<string, string> = { '{': '}', '(': ')', '[': ']' };
  const stack: string[] = [];
  for (let i = open; i < src.length;) {
    const skipped = skipLiteral(src, i);
    if (skipped !== i) {
      i = skipped;
      continue;
    }
    const c = src[i];
    if (pairs[c]) stack.push(pairs[c]);
    else if (c === '}' || c === ')' || c === ']') {
      if (stack.pop() !== c) return -1;
      if (stack.length === 0) return i;
    }
    i++;
  }
  return -1;
}

/** A function as written in some text: its receiver and parameter names, and its body. */
export interface FoundFunction {
  name: string;
  receiverName: string | null;
  paramNames: string[];
  /** The lines between the braces, without them. */
  body: string;
}

/** Names declared by a parameter list's text, e.g. `id int, x models.Todo` → [id, x]; `a, b int` → [a, b]. */
export function parameterNames(list: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < list.length; i++) {
    if ('([{'.includes(list[i])) depth++;
    else if (')]}'.includes(list[i])) depth--;
    else if (list[i] === ',' && depth === 0) {
      parts.push(list.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(list.slice(start));
  return parts
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => /^(\w+)/.exec(p)?.[1] ?? '_');
}

const FUNC = /^[ \t]*func[ \t]*(\([^)]*\))?[ \t]*(\w+)[ \t]*\(/gm;

/** Every top-level function in Go text, in order. */
export function functionsIn(src: string): FoundFunction[] {
  const found: FoundFunction[] = [];
  for (const m of src.matchAll(FUNC)) {
    const paramsOpen = m.index! + m[0].length - 1;
    const paramsClose = matchingBracket(src, paramsOpen);
    if (paramsClose < 0) continue;
    // Results come next, maybe parenthesised; the body's brace is the first `{` after them.
    let i = paramsClose + 1;
    while (i < src.length && src[i] !== '{' && src[i] !== '\n') i = src[i] === '(' ? Math.max(i + 1, matchingBracket(src, i) + 1) : i + 1;
    if (src[i] !== '{') continue;
    const close = matchingBracket(src, i);
    if (close < 0) continue;
    const receiver = m[1] ? (/^\(\s*(\w+)\s+[*\w]/.exec(m[1])?.[1] ?? null) : null;
    const body = src
      .slice(i + 1, close)
      .replace(/^[ \t]*\n/, '')
      .replace(/\n[ \t]*$/, '');
    found.push({ name: m[2], receiverName: receiver, paramNames: parameterNames(src.slice(paramsOpen + 1, paramsClose)), body });
  }
  return found;
}

export class NoFunctionError extends Error {}

/** A body with no code: blank, comments only, or a bare panic (the stub a lazy answer copies). */
function isPlaceholder(body: string): boolean {
  const code = body.replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, '').trim();
  return code === '' || /^panic\([^\n]*\)$/.test(code);
}

/**
 * The file as a function's prompt shows it: the header, then the signatures of the functions to
 * write. The same text for every function of the file, so consecutive prompts share their prefix
 * (Ollama then reads only the tail), and there are no other bodies for a small model to copy.
 * No doc comments (the task is in the question) and no stub bodies: a stub in the prompt
 * (`// … (the body)`) was copied back as the answer.
 */
export function promptView(c: FileContract): string {
  return `${c.header}\n\n${c.holes.map((h) => h.signature).join('\n')}\n`;
}

/** The names a contract signature declares: receiver, then parameters. */
function declaredNames(signature: string): { receiver: string | null; params: string[] } {
  const found = functionsIn(`${signature} {\n}`)[0];
  return { receiver: found?.receiverName ?? null, params: found?.paramNames ?? [] };
}

/** Replaces whole-word identifiers outside strings and comments. */
export function renameIdentifiers(src: string, renames: Map<string, string>): string {
  if (renames.size === 0) return src;
  let out = '';
  for (let i = 0; i < src.length;) {
    const skipped = skipLiteral(src, i);
    if (skipped !== i) {
      out += src.slice(i, skipped);
      i = skipped;
      continue;
    }
    const word = /^[A-Za-z_]\w*/.exec(src.slice(i, i + 64));
    if (word && !/\w/.test(src[i - 1] ?? '') && src[i - 1] !== '.') {
      out += renames.get(word[0]) ?? word[0];
      i += word[0].length;
    } else {
      out += src[i++];
    }
  }
  return out;
}

/** A found function's body with its receiver and parameter names renamed to `hole`'s; null when it has no code. */
function adopt(fn: FoundFunction, hole: FunctionHole): { body: string; renamed: boolean } | null {
  const want = declaredNames(hole.signature);
  const renames = new Map<string, string>();
  if (fn.receiverName && want.receiver && fn.receiverName !== want.receiver) renames.set(fn.receiverName, want.receiver);
  fn.paramNames.forEach((name, i) => {
    const ours = want.params[i];
    if (ours && name !== ours && name !== '_') renames.set(name, ours);
  });
  const body = renameIdentifiers(fn.body, renames);
  return isPlaceholder(body) ? null : { body, renamed: renames.size > 0 };
}

/** The Go text of an answer: its fenced blocks, or the whole answer when it has none. */
function sourcesOf(answer: string): { blocks: string[]; sources: string[] } {
  const text = answer.replace(/\r\n?/g, '\n');
  const blocks = fencedBlocks(text).map((b) => b.body);
  return { blocks, sources: blocks.length ? blocks : [text] };
}

/**
 * The body of `hole` from an LLM answer: the function of that name in a fenced block (or the
 * only function there), with the model's receiver and parameter names renamed to the contract's.
 * A block with no function at all is taken as the body itself.
 */
export function bodyFromAnswer(answer: string, hole: FunctionHole): { body: string; renamed: boolean } {
  const { blocks, sources } = sourcesOf(answer);
  for (const src of sources) {
    const fns = functionsIn(src);
    // The only function of a block stands for the one asked for if only its case differs (`list`):
    // a lone `main` or `NewTodoHandler` is another function, not this one.
    const fn = fns.find((f) => f.name === hole.name) ?? (fns.length === 1 && fns[0].name.toLowerCase() === hole.name.toLowerCase() ? fns[0] : undefined);
    if (!fn) continue;
    const adopted = adopt(fn, hole);
    if (!adopted) throw new NoFunctionError(`the answer's ${hole.name} has no body (empty, a TODO or a panic): write the code that does what it must`);
    return adopted;
  }
  const only = blocks.find((b) => !isPlaceholder(b) && !/^\s*(package|func)\b/m.test(b));
  if (only) return { body: only.replace(/^\s*\{\s*\n/, '').replace(/\n\s*\}\s*$/, ''), renamed: false };
  throw new NoFunctionError(`the answer holds no function ${hole.name} (or it is cut off)`);
}

/** How the model's answer for `hole` begins: given to it to continue, so it writes the body. */
export const answerStart = (hole: FunctionHole) => `\`\`\`go\n${hole.signature} {\n`;

/**
 * The whole answer: its start, then what the model wrote, closed when generation stopped at
 * the function's closing brace (a stop sequence is not part of the answer).
 */
export function continuedAnswer(start: string, continuation: string): string {
  const text = answerText(start, continuation);
  // The stop sequence ends the function being written, the last one (a helper may come first).
  const funcs = [...text.matchAll(/^func\b/gm)];
  const last = funcs.length ? text.indexOf('{', funcs[funcs.length - 1]!.index) : -1;
  return last >= 0 && matchingBracket(text, last) < 0 ? `${text}\n}\n\`\`\`` : text;
}

/**
 * An answer the token limit cut off: function `name` counts only when its body closed before
 * the cut. (continuedAnswer closes an open body because the stop sequence ends a finished one;
 * a cut one is half a body.)
 */
export function finishedBeforeCut(start: string, continuation: string, name: string): boolean {
  const text = answerText(start, continuation);
  const func = new RegExp(`^func (?:\\([^)]*\\) )?${name}\\b`, 'm').exec(text);
  const open = func ? text.indexOf('{', func.index) : -1;
  return open >= 0 && matchingBracket(text, open) >= 0;
}

/** A model that starts over (a fence, or the signature again, perhaps after a line of prose) gave a whole answer of its own: its code is kept and its prose dropped, so nothing is glued onto the start. */
function answerText(start: string, continuation: string): string {
  const own = ownAnswerAt(continuation);
  return own >= 0 ? continuation.slice(own) : start + continuation;
}

/**
 * Where an answer of the model's own begins: an opening fence or a `func` at the margin with only
 * prose before it (a body's lines are indented by gofmt, or are code); -1 when it continues the start.
 */
export function ownAnswerAt(text: string): number {
  const found = /^(```[\w-]*\n(?=[\s\S]*\S)|func\b)/m.exec(text);
  if (!found) return -1;
  const prose = (line: string) => line.trim() === '' || (!/^\s/.test(line) && !/:=|^return\b|[{};)]\s*$/.test(line.trim()));
  return text.slice(0, found.index).split('\n').every(prose) ? found.index : -1;
}

/**
 * Every function of `holes` an answer holds besides the one asked for: a small model often
 * writes the whole file, and those functions are free candidates for the holes still to come.
 */
export function otherBodiesIn(answer: string, holes: FunctionHole[], asked: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const src of sourcesOf(answer).sources) {
    for (const fn of functionsIn(src)) {
      const hole = holes.find((h) => h.name === fn.name && h.name !== asked);
      const adopted = hole && adopt(fn, hole);
      if (adopted && !found.has(fn.name)) found.set(fn.name, adopted.body);
    }
  }
  return found;
}

/** The bodies of the contract's functions as they are in a file on disk; a stub is no body. */
export function bodiesInFile(src: string, c: FileContract): Record<string, string> {
  const bodies: Record<string, string> = {};
  const fns = functionsIn(src);
  for (const h of c.holes) {
    const fn = fns.find((f) => f.name === h.name);
    if (fn && fn.body.trim() !== UNWRITTEN_BODY.trim()) bodies[h.name] = fn.body;
  }
  return bodies;
}

/** Non-blank lines: the unit of "who wrote what". */
export const countLines = (text: string) => text.split('\n').filter((l) => l.trim() !== '').length;
