// Reads the total from `go tool cover -func=FILE`, whose last line is
// `total:\t(statements)\t83.1%`.

/** The total coverage in percent, or null when the output has no total line. */
export function totalCoverage(coverFuncOutput: string): number | null {
  const match = /^total:\s+\(statements\)\s+(\d+(?:\.\d+)?)%\s*$/m.exec(coverFuncOutput);
  return match ? Number(match[1]) : null;
}
