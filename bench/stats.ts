// Small figures helpers: medians and ranges of repeated measurements, and Markdown tables
// that read well both in a terminal and in BENCHMARKS.md.

export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Milliseconds as seconds with one decimal ("12.3 s"), or as ms below a second. */
export function duration(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  return Math.abs(ms) < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export const ratio = (x: number) => (Number.isFinite(x) ? `${x.toFixed(2)}×` : '–');

/** "median (min–max)" of repeated measurements; the range is left out for one value. */
export function spread(values: number[], format: (x: number) => string = duration): string {
  if (values.length <= 1) return values.length ? format(values[0]!) : '–';
  return `${format(median(values))} (${format(Math.min(...values))}–${format(Math.max(...values))})`;
}

export function markdownTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(headers), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)].join('\n');
}

/** Milliseconds since `start` (performance.now()), whole. */
export const elapsed = (start: number) => Math.round(performance.now() - start);
