// 3. Worker start to first task: a worker that bundles the workflow code as it starts
// against one that loads the cached bundle (what the CLI does from its second run on).
// Each start is a new process (bench/worker-start-child.ts), as a CLI run is.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROJECT_ROOT } from '../../lib/project-root.js';
import { promisify } from 'node:util';
import type { Benchmark } from '../benchmark.js';
import { removeFolder } from '../fixture-validation.js';
import { duration, markdownTable, spread } from '../stats.js';
import type { WorkerStartFigures } from '../worker-start-child.js';
import { runInput } from '../../test/support/run-fixtures.js';
import { cachedWorkflowBundle } from '../../worker/workflow-bundle.js';

const CHILD = fileURLToPath(new URL('../worker-start-child.ts', import.meta.url));
const ROOT = PROJECT_ROOT;
const MODES = ['bundle-at-start', 'cached'] as const;
type Mode = (typeof MODES)[number];
const LABELS: Record<Mode, string> = { 'bundle-at-start': 'bundled at start (`bundleAtStart: true`)', cached: 'cached prebundled bundle' };

const COLUMNS: Array<[string, keyof WorkerStartFigures]> = [
  ['process start → imports done', 'importsMs'],
  ['connect', 'connectMs'],
  ['Worker.create', 'createMs'],
  ['create → first task picked up', 'toFirstTaskMs'],
  ['create → first task done', 'toFirstTaskDoneMs'],
  ['process start → first task done', 'processToFirstTaskDoneMs'],
];

export const benchmark: Benchmark = {
  name: 'worker-start',
  title: '3. Worker start to first task',
  async run(ctx) {
    const env = await ctx.devServer();
    await cachedWorkflowBundle(); // the cached case finds its bundle; making it is not what is timed
    const figures: Record<Mode, WorkerStartFigures[]> = { 'bundle-at-start': [], cached: [] };
    for (let i = 1; i <= ctx.reps; i++) {
      for (const mode of MODES) {
        // A run waits on a task queue no worker polls yet, so the first task is there the moment the worker asks.
        const taskQueue = `bench-worker-start-${process.pid}-${i}-${mode}`;
        const input = runInput('http://127.0.0.1:9'); // nothing listens: the run is terminated after its first task
        const handle = await env.client.workflow.start('generateApi', { taskQueue, workflowId: taskQueue, args: [input] });
        try {
          const args = ['--import', 'tsx', CHILD, env.address, env.namespace ?? 'default', taskQueue, handle.workflowId, mode];
          const { stdout } = await promisify(execFile)(process.execPath, args, { cwd: ROOT, timeout: 180_000 });
          const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as WorkerStartFigures;
          figures[mode].push(result);
          ctx.log(`rep ${i}/${ctx.reps} ${mode}: Worker.create ${duration(result.createMs)}, create → first task done ${duration(result.toFirstTaskDoneMs)}`);
        } finally {
          removeFolder(path.dirname(input.outputDir));
        }
      }
    }

    const rows = MODES.map((mode) => [LABELS[mode], ...COLUMNS.map(([, key]) => spread(figures[mode].map((f) => f[key])))]);
    return [
      "A new process per start (as the CLI starts its worker) connects to the dev server, creates the product's worker " +
        '(worker/create-worker.ts) and runs it; a run was started beforehand on a task queue nobody polled, so its first ' +
        'workflow task is waiting. "Picked up" and "done" are the server\'s times of that task\'s WorkflowTaskStarted and ' +
        'WorkflowTaskCompleted events, measured from the start of Worker.create on the same clock.',
      '',
      markdownTable(['workflow code', ...COLUMNS.map(([label]) => label)], rows),
      '',
      'The CLI uses the cached bundle (`$OVERNIGHT_STATE_DIR/workflow-bundles`, keyed by a hash of workflows/ and the SDK ' +
        'version); `make build` makes it ahead of the first run, otherwise the first run pays the bundling once.',
    ].join('\n');
  },
};
