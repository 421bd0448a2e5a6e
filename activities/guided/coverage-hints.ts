// What the tests have not reached yet, in words a small model can turn into a test case: the
// lines of code no case ran (a `writeError(w, http.StatusNotFound, …)` in Get says "ask for an
// id no one has"), read from the cover profile. A percentage per function says much less.

/** One block of a Go cover profile: `module/path/file.go:12.3,14.5 2 0`. */
interface ProfileBlock {
  file: string;
  startLine: number;
  endLine: number;
  count: number;
}

export function profileBlocks(profile: string, module: string): ProfileBlock[] {
  const blocks: ProfileBlock[] = [];
  for (const line of profile.split('\n')) {
    const m = /^(\S+\.go):(\d+)\.\d+,(\d+)\.\d+ \d+ (\d+)$/.exec(line.trim());
    if (!m || !m[1].startsWith(`${module}/`)) continue;
    blocks.push({ file: m[1].slice(module.length + 1), startLine: Number(m[2]), endLine: Number(m[3]), count: Number(m[4]) });
  }
  return blocks;
}

/**
 * The code the tests never ran, as `Get: writeError(w, http.StatusNotFound, "todo not found")`,
 * in the packages an HTTP case can reach (not cmd/, whose main no test runs). `read` gives a
 * file of the module by its path, or null.
 */
export function uncoveredCode(profile: string, module: string, read: (file: string) => string | null, limit = 12): string[] {
  const out: string[] = [];
  const texts = new Map<string, string[] | null>();
  for (const b of profileBlocks(profile, module)) {
    if (b.count > 0 || !b.file.startsWith('internal/')) continue;
    if (!texts.has(b.file)) texts.set(b.file, read(b.file)?.split('\n') ?? null);
    const lines = texts.get(b.file);
    if (!lines) continue;
    let fn = '';
    for (let i = b.startLine - 1; i >= 0 && !fn; i--) fn = /^func\s*(?:\([^)]*\))?\s*(\w+)\(/.exec(lines[i] ?? '')?.[1] ?? '';
    for (let i = b.startLine; i <= b.endLine; i++) {
      const code = (lines[i - 1] ?? '').trim();
      // The block's own braces and bare returns say nothing about which request reaches it.
      if (code === '' || /^[{}]+$/.test(code) || code === 'return' || code.startsWith('//')) continue;
      const hint = `${fn || b.file}: ${code.replace(/\s*\{$/, '')}`;
      if (!out.includes(hint)) out.push(hint);
    }
  }
  return out.slice(0, limit);
}

/** Functions of the module under 100 % in `go tool cover -func` output, as the prompt names them. */
export function uncoveredFunctions(coverFunc: string): string[] {
  return coverFunc
    .split('\n')
    .map((l) => /\/internal\/(\w+)\/[\w.]+:\d+:\s+(\w+)\s+(\d+(?:\.\d+)?)%/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null && Number(m[3]) < 100)
    .map((m) => `${m[1]}.${m[2]} (${m[3]} % covered)`);
}
