// A night's batch: one ordinary run (a child workflow, under its own folder's id) per item, at
// most `parallel` at once; a failed or invalid item does not stop the others; report.md at the
// end. A killed CLI or server finds the batch where it was: its children's histories hold
// every finished step.
import {
  ChildWorkflowFailure,
  isCancellation,
  executeChild,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
  type ChildWorkflowOptions,
} from '@temporalio/workflow';
import { folderForStart, startStamp } from '../core/layout.js';
import type * as activities from '../activities/workspace-activities.js';
import type { generateApi } from './pipeline.js';
import { batchStatusQuery } from './queries.js';
import { RELEASE_KEY } from './search-attributes.js';
import { rootMessage } from './run-state.js';
import type { BatchInput, BatchItem, BatchItemState, BatchState, RunResult } from '../core/run-types.js';

const { writeMorningReport } = proxyLocalActivities<typeof activities>({ startToCloseTimeout: '1m', retry: { maximumAttempts: 5 } });

export async function runBatch(batch: BatchInput): Promise<BatchState> {
  const input = batch.outputPerStart ? batchForStart(batch, workflowInfo().startTime) : batch;
  const state: BatchState = {
    items: input.items.map((item) => ({
      workflowId: item.workflowId,
      prompt: item.input.prompt,
      outputDir: item.input.outputDir,
      state: 'waiting',
      coveragePercent: null,
    })),
    report: null,
  };
  setHandler(batchStatusQuery, () => state);
  let next = 0;
  const lane = async () => {
    while (next < input.items.length) {
      const index = next++;
      const status = state.items[index]!;
      status.state = 'running';
      Object.assign(status, await runItem(input.items[index]!));
    }
  };
  await Promise.all(Array.from({ length: Math.min(input.parallel, input.items.length) }, lane));
  state.report = await writeMorningReport({
    dbPath: input.dbPath,
    reportDir: input.outputDir,
    title: `a batch of ${input.items.length}`,
    webUiRunsUrl: input.webUiRunsUrl,
    items: state.items.map(({ workflowId, prompt, outputDir, state: itemState, error }) => ({ workflowId, prompt, outputDir, state: itemState, error })),
  });
  return state;
}

/** -every: this start's batch in a folder of its own, its items under it, their ids marked with the start. */
function batchForStart(batch: BatchInput, start: Date): BatchInput {
  const outputDir = folderForStart(batch.outputDir, start);
  const moved = (folder: string) =>
    folder.startsWith(`${batch.outputDir}/`) ? `${outputDir}${folder.slice(batch.outputDir.length)}` : folderForStart(folder, start);
  const items = batch.items.map(({ workflowId, input }) => ({
    workflowId: `${workflowId}-${startStamp(start)}`,
    input: { ...input, outputDir: moved(input.outputDir) },
  }));
  return { ...batch, outputDir, items, outputPerStart: false };
}

/** The items carry the release that started their batch (docs/versioning.md), when the server has the attribute. */
function releaseOfThisBatch(): Pick<ChildWorkflowOptions, 'typedSearchAttributes'> {
  const release = workflowInfo().typedSearchAttributes.get(RELEASE_KEY);
  return release === undefined ? {} : { typedSearchAttributes: [{ key: RELEASE_KEY, value: release }] };
}

/** One item to its end; its failure is its outcome, not the batch's. */
async function runItem({ workflowId, input, inputDigest }: BatchItem): Promise<{ state: BatchItemState; coveragePercent: number | null; error?: string }> {
  try {
    const result = await executeChild<typeof generateApi>('generateApi', {
      workflowId,
      args: [input],
      // A cancelled batch asks its items to stop; each still writes its status.json.
      parentClosePolicy: 'REQUEST_CANCEL',
      memo: { prompt: input.prompt, model: input.llm.model, outputDir: input.outputDir, ...(inputDigest ? { input: inputDigest } : {}) },
      staticSummary: `${input.prompt} → ${input.outputDir}`,
      ...releaseOfThisBatch(),
    });
    return { state: itemState(result, input.skipValidation), coveragePercent: result.coveragePercent };
  } catch (err) {
    if (!(err instanceof ChildWorkflowFailure)) throw err;
    return { state: isCancellation(err.cause) ? 'cancelled' : 'failed', coveragePercent: null, error: rootMessage(err) };
  }
}

function itemState(result: RunResult, skipValidation: boolean): BatchItemState {
  if (result.stoppedAfterPlan) return 'planned';
  if (result.valid) return skipValidation ? 'unvalidated' : 'valid';
  return 'invalid';
}
