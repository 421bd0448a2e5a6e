// A small model sometimes loops: the same lines, or the same few words, again and again until
// the token limit (seen: a README answer ran to 4,096 tokens twice, 322 s). The loop is evident
// long before that; code stops the answer there and keeps its first pass.

/** Repeats of a block that make a loop evident, and the least text they must cover. */
const LINE_REPEATS = 4;
const CHAR_REPEATS = 8;
const MIN_LOOP_CHARS = 240;

/**
 * Where the answer's first pass through a loop at its end ends, or null when it does not end in
 * one: a block of 1 to 20 lines (or, within a line, of 2 to 120 characters) repeated back to back.
 */
export function loopStart(text: string): number | null {
  return lineLoop(text) ?? charLoop(text);
}

function lineLoop(text: string): number | null {
  const end = text.lastIndexOf('\n');
  if (end < 0) return null;
  const lines = text.slice(0, end).split('\n');
  for (let size = 1; size <= 20 && size * LINE_REPEATS <= lines.length; size++) {
    const block = lines.slice(-size).join('\n');
    if (block.trim().length < 10) continue;
    let repeats = 1;
    while (repeats * size + size <= lines.length && lines.slice(-(repeats + 1) * size, -repeats * size).join('\n') === block) repeats++;
    if (repeats >= LINE_REPEATS && block.length * repeats >= MIN_LOOP_CHARS) {
      // The loop began where the text first became periodic: the block found is any rotation of it.
      let start = lines.length - repeats * size;
      while (start > 0 && lines[start - 1] === lines[start - 1 + size]) start--;
      return lines.slice(0, start + size).join('\n').length + 1;
    }
  }
  return null;
}

function charLoop(text: string): number | null {
  for (let size = 2; size <= 120 && size * CHAR_REPEATS <= text.length; size++) {
    const unit = text.slice(-size);
    if (!/\S/.test(unit)) continue;
    let repeats = 1;
    while ((repeats + 1) * size <= text.length && text.slice(-(repeats + 1) * size, -repeats * size) === unit) repeats++;
    if (repeats >= CHAR_REPEATS && size * repeats >= MIN_LOOP_CHARS) {
      let start = text.length - repeats * size;
      while (start > 0 && text[start - 1] === text[start - 1 + size]) start--;
      return start + size;
    }
  }
  return null;
}
