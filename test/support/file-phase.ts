// One whole-strategy file the way today's workflow runs it (workflows/file-phase.ts wholeFile):
// the prompt read in the workspace, the model's answer as the model worker serves it, the file
// written in the workspace, each step an activity of its own. The hostile layer drives this, not
// the one-activity generateFile kept only for runs recorded before the model queue.
import type { MockActivityEnvironment } from '@temporalio/testing';
import { answerFileForWorkspace, fileRequestForModel, writeAnsweredFile } from '../../activities/llm/generate-file.js';
import type { GenerateFileInput, GenerateFileResult } from '../../core/types.js';

export async function fileAsRunToday(env: MockActivityEnvironment, input: GenerateFileInput): Promise<GenerateFileResult> {
  const { spec, phase, outputDir, repair, coverageGoal, llm, dbPath, workflowId, git } = input;
  const { prompt } = (await env.run(fileRequestForModel, { spec, phase, outputDir, repair, coverageGoal })) as Awaited<ReturnType<typeof fileRequestForModel>>;
  const answer = (await env.run(answerFileForWorkspace, { spec, phase, prompt, repair: repair !== undefined, llm, dbPath })) as Awaited<
    ReturnType<typeof answerFileForWorkspace>
  >;
  const { file } = (await env.run(writeAnsweredFile, {
    workflowId,
    phase,
    spec,
    outputDir,
    repair,
    git,
    model: llm.model,
    content: answer.content,
  })) as Awaited<ReturnType<typeof writeAnsweredFile>>;
  return { file, usage: answer.usage };
}
