// BENCHMARKS.md: prose a person writes, and one block per benchmark that the harness
// rewrites between its markers. Running some benchmarks updates only their blocks.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Benchmark } from './benchmark.js';
import type { Machine } from './machine.js';

export const REPORT_PATH = fileURLToPath(new URL('../BENCHMARKS.md', import.meta.url));

const start = (name: string) => `<!-- bench:${name} -->`;
const end = (name: string) => `<!-- /bench:${name} -->`;
const block = (name: string, body: string) => `${start(name)}\n${body.trim()}\n${end(name)}`;

/** Real models need a real Ollama, so another target fills their section; it has a place from the start. */
const MODELS: Pick<Benchmark, 'name' | 'title'> = { name: 'models', title: '5. Real models' };
const heading = (b: Pick<Benchmark, 'title'>, body: string) => `## ${b.title}\n\n${body}`;

/** A new BENCHMARKS.md: what the figures are, how to get them, and a block for each benchmark. */
function skeleton(benchmarks: Benchmark[]): string {
  const placeholder = (b: Pick<Benchmark, 'name' | 'title'>) =>
    block(b.name, heading(b, b === MODELS ? '_filled by `make bench-models`_' : '_not measured yet_'));
  return `# Benchmarks

What a run costs beyond the model and the Go toolchain, measured by \`make bench\` (code in
[bench/](bench/)). Benchmarks report figures; they never fail the build on one. Each figure is
the median of BENCH_REPS repetitions with the range in brackets. The machine is shared with
other work and noisy: read differences under ~15 % as noise.

## How to reproduce

\`\`\`sh
make bench                                    # set up, then benchmarks 1–4 (~11 min on 2 cores)
BENCH_REPS=1 make bench                       # one repetition each, for a quick look
node --import tsx bench/run.ts overhead validation   # some of them (after make setup)
\`\`\`

A benchmark is one file in bench/benchmarks/ and named by its \`name\` (\`bench/run.ts nosuch\`
lists them). Each run rewrites its own section below and the machine block.
Go caches and the workflow bundle live in \`.state/bench\` (\`OVERNIGHT_STATE_DIR\`).

## Machine and versions of the last run

${block('machine', '_not measured yet_')}

${sectionOrder(benchmarks).map(placeholder).join('\n\n')}
`;
}

function machineBlock(m: Machine): string {
  const v = m.versions;
  return [
    `- date: ${m.date}`,
    `- machine: ${m.cores} cores, ${m.cpu}, ${m.ramGb} GB RAM (shared, noisy)`,
    `- node ${v.node}, ${v.go}, ${v.temporal}, @temporalio/* ${v.sdk}`,
    `- checkout: ${m.commit}`,
  ].join('\n');
}

/** The sections in document order: the benchmarks by their numbered titles, with a place for real models. */
function sectionOrder(benchmarks: Benchmark[]): Array<Pick<Benchmark, 'name' | 'title'>> {
  const all = benchmarks.some((b) => b.name === MODELS.name) ? benchmarks : [...benchmarks, MODELS];
  return [...all].sort((a, b) => a.title.localeCompare(b.title, 'en', { numeric: true }));
}

/**
 * The document with `name`'s block set to `body`. A block it lacks yet (a new benchmark) goes
 * before the block of the next section in `order` that it has, or at the end.
 */
export function setBlock(doc: string, name: string, body: string, order: Array<Pick<Benchmark, 'name'>> = []): string {
  const from = doc.indexOf(start(name));
  const to = doc.indexOf(end(name));
  if (from >= 0 && to > from) return doc.slice(0, from) + block(name, body) + doc.slice(to + end(name).length);
  const next = order.slice(order.findIndex((b) => b.name === name) + 1).find((b) => doc.includes(start(b.name)));
  if (!next) return `${doc.trimEnd()}\n\n${block(name, body)}\n`;
  const at = doc.indexOf(start(next.name));
  return `${doc.slice(0, at)}${block(name, body)}\n\n${doc.slice(at)}`;
}

/** Writes one benchmark's section (its heading inside the block) and the machine block. */
export function updateReport(benchmarks: Benchmark[], done: Benchmark, body: string, machine: Machine): void {
  let doc = existsSync(REPORT_PATH) ? readFileSync(REPORT_PATH, 'utf8') : skeleton(benchmarks);
  doc = setBlock(doc, 'machine', machineBlock(machine));
  doc = setBlock(doc, done.name, heading(done, body), sectionOrder(benchmarks));
  const tmp = `${REPORT_PATH}.${process.pid}.tmp`;
  writeFileSync(tmp, doc);
  renameSync(tmp, REPORT_PATH);
}
