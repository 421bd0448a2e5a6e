// `overnight-llm batch FILE`: one parent run (workflows/batch.ts) that runs an ordinary run per
// item, -parallel N at once, and writes report.md. The same command again attaches to the batch
// (or, once it has ended, shows how it ended), as `start` does for one folder.
import type { Client, WorkflowHandle } from '@temporalio/client';
import { WorkflowFailedError } from '@temporalio/client';
import path from 'node:path';
import { batchStatusQuery } from '../workflows/queries.js';
import { rootMessage } from '../workflows/run-state.js';
import type { BatchInput, BatchItemState, BatchItemStatus, BatchState } from '../core/run-types.js';
import type { runBatch } from '../workflows/batch.js';
import { REPORT_FILE } from '../core/layout.js';
import { itemFolders, readBatchFile } from './batch-file.js';
import { clientFor, resultOf, uiLink, withWorker, type Io } from './session.js';
import type { Flags } from './flags.js';
import { assertSameRun, folderIdFor, inputDigest, runInputFrom, webUiRunsUrl, workflowIdFor, type RunMemo } from './run-input.js';
import { ensureSearchAttributes, startAttributes } from './search-attributes.js';
import { scheduleWork } from './schedules.js';

/** The batch's id derives from its folder, so the same command again finds it. */
export const batchIdFor = (batchDir: string) => folderIdFor('overnight-batch', batchDir);

/** The batch's input from the file and the flags; bad lines and flags fail before any server is asked. */
export function batchInputFrom(flags: Flags, file: string): BatchInput {
  const lines = readBatchFile(file);
  const outputDir = path.resolve(flags.output);
  const folders = itemFolders(lines, outputDir);
  const items = lines.map((line, i) => {
    const input = runInputFrom({ ...flags, prompt: line.prompt, output: folders[i]!, model: line.model ?? flags.model });
    return { workflowId: workflowIdFor(input.outputDir), input, inputDigest: inputDigest(input) };
  });
  return { items, parallel: flags.parallel, outputDir, dbPath: path.resolve(flags.db), webUiRunsUrl: webUiRunsUrl(flags) };
}

/** Items that ended as asked: valid (or unvalidated with -skip-validation, planned with -plan-only). */
const succeeded = (state: BatchItemState, flags: Flags) =>
  state === 'valid' || (state === 'unvalidated' && flags['skip-validation']) || (state === 'planned' && flags['plan-only']);

export async function batchCommand(flags: Flags, file: string, io: Io): Promise<number> {
  const input = batchInputFrom(flags, file);
  const client = await clientFor(flags, io);
  const attributes = await ensureSearchAttributes(client.connection, flags.namespace);
  for (const item of input.items) item.input.searchAttributes = attributes.ok;
  const batchId = batchIdFor(input.outputDir);
  const memo: RunMemo = {
    prompt: `batch of ${input.items.length} from ${path.basename(file)}`,
    model: flags.model,
    outputDir: input.outputDir,
    input: inputDigest(input),
  };
  if (flags.at || flags.every) {
    const args = [{ ...input, ...(flags.every ? { outputPerStart: true } : {}) }];
    return scheduleWork(client, flags, io, { workflowType: 'runBatch', args, workflowId: batchId, memo, attributes: startAttributes(attributes.ok) });
  }
  const previous = await client.workflow
    .getHandle(batchId)
    .describe()
    .catch(() => null);
  if (previous?.status.name === 'RUNNING') {
    // Another batch file (or other flags) into this folder: attaching would drop this one's prompts without a word.
    assertSameRun(input.outputDir, batchId, (previous.memo ?? {}) as Partial<RunMemo>, memo);
    io.err(`the batch for ${input.outputDir} is already running (${batchId}): attaching to it`);
  } else if (previous?.status.name === 'COMPLETED' && !flags.restart) {
    const state = (await client.workflow.getHandle(batchId).result()) as BatchState;
    io.out(`${input.outputDir} already holds a finished batch (${batchId}): ${path.join(input.outputDir, REPORT_FILE)}; pass -restart to run it again`);
    return summary(state, input.outputDir, flags, io);
  }
  const handle = await client.workflow.start<typeof runBatch>('runBatch', {
    taskQueue: flags['task-queue'],
    workflowId: batchId,
    args: [input],
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    memo: { ...memo },
    staticSummary: `batch of ${input.items.length} (${path.basename(file)}) → ${input.outputDir}`,
    ...startAttributes(attributes.ok),
  });
  io.err(`batch ${batchId}: ${input.items.length} runs, ${flags.parallel} at once: ${uiLink(flags, batchId)}`);
  if (flags.detach) {
    io.out(batchId);
    return 0;
  }
  return followBatch(client, handle, input.outputDir, flags, io);
}

/** Follows a batch with a worker in this process, a line as each item starts and ends. */
export async function followBatch(client: Client, handle: WorkflowHandle, batchDir: string, flags: Flags, io: Io): Promise<number> {
  let shown: BatchItemStatus[] = [];
  const show = (items: BatchItemStatus[]) => {
    items.forEach((item, i) => {
      if (shown[i]?.state === item.state) return;
      const coverage = item.coveragePercent === null ? '' : `, coverage ${item.coveragePercent.toFixed(1)}%`;
      const error = item.error ? `: ${item.error}` : '';
      if (item.state !== 'waiting') io.out(`[${i + 1}/${items.length}] ${item.state}${coverage}${error} — ${item.prompt} → ${item.outputDir}`);
    });
    shown = items;
  };
  let polling = true;
  const poll = (async () => {
    while (polling) {
      const state = await client.withDeadline(Date.now() + 3000, () => handle.query(batchStatusQuery)).catch(() => null);
      if (state && polling) show(state.items);
      await new Promise((r) => setTimeout(r, 1000));
    }
  })();
  try {
    const again = 'run the same batch command again';
    const state = (await withWorker(flags, io, again, () => resultOf(handle, flags, io))) as BatchState | null;
    polling = false;
    if (state === null) return 130;
    await poll;
    show(state.items);
    return summary(state, batchDir, flags, io);
  } catch (err) {
    polling = false;
    if (err instanceof WorkflowFailedError) {
      io.err(`batch failed: ${rootMessage(err)}`);
      return 1;
    }
    throw err;
  }
}

function summary(state: BatchState, batchDir: string, flags: Flags, io: Io): number {
  const ok = state.items.filter((item) => succeeded(item.state, flags)).length;
  const report = state.report ? ` — ${path.join(batchDir, state.report.path)}` : '';
  io.out(`batch done: ${ok} of ${state.items.length} ${flags['plan-only'] ? 'planned' : 'valid'}${report}`);
  return ok === state.items.length ? 0 : 1;
}
