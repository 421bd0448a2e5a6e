// 2. One validation round (gofmt, vet, build, test with coverage, smoke run) of the todo API
// fixture: with an empty Go build cache, then warm — again on the same folder, and on a new
// folder as the next run's project is (Go keys its cache by folder too, so a new folder
// recompiles the project's own packages but not the standard library).
import path from 'node:path';
import type { Benchmark } from '../benchmark.js';
import { fixtureCopy, removeFolder, tmpFolder, validateWithState } from '../fixture-validation.js';
import { duration, markdownTable, spread } from '../stats.js';
import type { ValidationReport, ValidationStepName } from '../../core/run-types.js';

const MODES = ['cold', 'warm, same folder', 'warm, new folder'] as const;
type Mode = (typeof MODES)[number];
/** The steps in the order they run, as the commands they are. */
const STEPS: Record<ValidationStepName, string> = { gofmt: 'gofmt', vet: 'go vet', build: 'go build', test: 'go test -cover', smoke: 'smoke run' };

const stepMs = (r: ValidationReport, name: ValidationStepName) => r.steps.find((s) => s.name === name)?.durationMs ?? NaN;
/** What the round spends outside its steps: `go tool cover -func` above all. */
const betweenMs = (r: ValidationReport) => r.durationMs - r.steps.reduce((n, s) => n + s.durationMs, 0);

export const benchmark: Benchmark = {
  name: 'validation',
  title: '2. A validation round, cold and warm',
  async run(ctx) {
    const reports: Record<Mode, ValidationReport[]> = { cold: [], 'warm, same folder': [], 'warm, new folder': [] };
    for (let i = 1; i <= ctx.reps; i++) {
      const state = tmpFolder('state'); // GOCACHE, GOPATH and HOME for this repetition only: empty
      const first = fixtureCopy();
      const second = fixtureCopy();
      try {
        reports.cold.push(await validateWithState(first, state));
        reports['warm, same folder'].push(await validateWithState(first, state));
        reports['warm, new folder'].push(await validateWithState(second, state));
        ctx.log(`rep ${i}/${ctx.reps}: ${MODES.map((m) => `${m} ${duration(reports[m].at(-1)!.durationMs)}`).join(', ')}`);
      } finally {
        for (const dir of [state, path.dirname(first), path.dirname(second)]) removeFolder(dir);
      }
    }

    const row = (label: string, figure: (r: ValidationReport) => number) => [label, ...MODES.map((m) => spread(reports[m].map(figure)))];
    const rows = [
      ...Object.entries(STEPS).map(([step, label]) => row(label, (r) => stepMs(r, step as ValidationStepName))),
      row('between steps (go tool cover)', betweenMs),
      row('**whole round**', (r) => r.durationMs),
    ];
    return [
      `\`validateProject\` (activities/go/validate.ts) on a copy of test/fixtures/todo-api, outside Temporal. ` +
        `Cold: an empty GOCACHE (and GOPATH, HOME) for each repetition, so the standard library is compiled too. ` +
        `Warm, same folder: the same round again with that cache — vet and build come from the cache; \`go test -count=1\` ` +
        `and the smoke run never do. Warm, new folder: a fresh copy of the project in another folder with the same cache, ` +
        `which is what each new run of the pipeline sees.`,
      '',
      markdownTable(['step', ...MODES], rows),
      '',
      'The pipeline keeps one Go build cache per state folder (`$OVERNIGHT_STATE_DIR/go-build`), so only the first run on a machine pays the cold figure.',
    ].join('\n');
  },
};
