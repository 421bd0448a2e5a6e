// A night's batch: one ordinary run (a child workflow, under its own folder's id) per item, at
// most `parallel` at once; a failed or invalid item does not stop the others; report.md at the
// end. A killed CLI or server finds the batch where it was: its children's histories hold
// every finished step.
import { ChildWorkflowFailure, isCancellation, executeChild, proxyLocalActivities, setHandler } from '@temporalio/workflow';
import type * as activities from '../activities/index.js';
import type { generateApi } from './pipeline.js';
import { batchStatusQuery } from './queries.js';
import { rootMessage } from './run-state.js';
import type { BatchInput, BatchItem, BatchItemState, BatchState, RunResult } from './types.js';

const { writeMorningReport } = proxyLocalActivities<typeof activities>({ startToCloseTimeout: '1m', retry: { maximumAttempts: 5 } });

export async function runBatch(input: BatchInput): Promise<BatchState> {
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

/** One item to its end; its failure is its outcome, not the batch's. */
async function runItem({ workflowId, input }: BatchItem): Promise<{ state: BatchItemState; coveragePercent: number | null; error?: string }> {
  try {
    const result = await executeChild<typeof generateApi>('generateApi', {
      workflowId,
      args: [input],
      // A cancelled batch asks its items to stop; each still writes its status.json.
      parentClosePolicy: 'REQUEST_CANCEL',
      memo: { prompt: input.prompt, model: input.llm.model, outputDir: input.outputDir },
      staticSummary: `${input.prompt} → ${input.outputDir}`,
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
