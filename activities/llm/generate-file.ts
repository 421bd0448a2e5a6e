// The file phases (models … readme) and the repair of one file, in three halves that run
// where their work is: the prompt with the files it depends on (workspace), the model's answer
// and the file extracted from it (model), the file written (workspace).
import { fidelitySection, type Fidelity } from '../../core/fidelity.js';
import { plainReadme } from '../../core/readme.js';
import { ApplicationFailure } from '@temporalio/activity';
import type { ApiSpec, FilePhase, FileRef, GenerateFileInput, GenerateFileResult, GitMode, LlmSettings, LlmUsage, RepairRequest } from '../../core/types.js';
import { CODE_PHASES, FILE_LAYOUT, filePathFor, allowedPaths } from '../../core/layout.js';
import { CROSSING_LIMIT_BYTES } from '../../core/task-queues.js';
import { readGeneratedFile, writeFileAtomic } from '../files/write-file.js';
import { addUsage, chatOnce } from './chat.js';
import { llmForPhase } from './phase-options.js';
import { ExtractionError, extractFile } from './extract-code.js';
import type { Message } from './ollama.js';
import { dependencyVars, loadPrompt, referenceBlock, renderPrompt, specVars } from './prompts.js';

/** The user message asking for the file, first pass or repair. */
export function filePrompt(input: Pick<GenerateFileInput, 'spec' | 'phase' | 'outputDir' | 'repair' | 'coverageGoal'>): string {
  const { spec, phase, outputDir, repair } = input;
  const path = filePathFor(phase, spec.resource);
  const read = (p: string) => readGeneratedFile(outputDir, p);
  const vars: Record<string, string> = { ...specVars(spec), path, coverageGoal: String(input.coverageGoal) };
  if (!repair) return renderPrompt(loadPrompt(phase), { ...vars, ...dependencyVars(spec, FILE_LAYOUT[phase].carries, read) });
  const others = CODE_PHASES.filter((p) => p !== phase).map((p) => {
    const otherPath = filePathFor(p, spec.resource);
    return referenceBlock(otherPath, read(otherPath));
  });
  return renderPrompt(loadPrompt('repair'), {
    ...vars,
    round: String(repair.round),
    errors: repair.errors,
    'file:self': read(path) ?? '(missing)',
    'file:others': others.join('\n\n'),
  });
}

export interface AnswerFileInput {
  phase: FilePhase;
  spec: ApiSpec;
  /** The user message asking for the file (filePrompt, rendered where the files are). */
  prompt: string;
  repair: boolean;
  llm: LlmSettings;
  /** The response cache. */
  dbPath: string;
}

/** The workspace's half before the model: the prompt, with the files it carries read from the output folder. */
export async function fileRequest(input: Pick<GenerateFileInput, 'spec' | 'phase' | 'outputDir' | 'repair' | 'coverageGoal'>): Promise<{ prompt: string }> {
  return { prompt: filePrompt(input) };
}

/** The model's half: asks for one file; one firmer follow-up when the answer holds no usable code. Returns the file's content. */
export async function answerFile(input: AnswerFileInput): Promise<{ content: string; usage: LlmUsage; note?: string }> {
  const path = filePathFor(input.phase, input.spec.resource);
  const messages: Message[] = [
    { role: 'system', content: loadPrompt('system') },
    { role: 'user', content: input.prompt },
  ];
  const llm = llmForPhase(input.llm, input.repair ? 'repair' : input.phase);
  let usage: LlmUsage | null = null;
  for (let tries = 1; ; tries++) {
    // Prose has no block that is meant to repeat: a README that loops is stopped where the loop is evident.
    const answer = await chatOnce({ dbPath: input.dbPath, llm, messages, label: path, stopLoops: input.phase === 'readme' });
    usage = usage ? addUsage(usage, answer.usage) : answer.usage;
    try {
      // A file cut off at num_predict would lose its end (or be "repaired" by a closing fence we add): ask again.
      if (answer.cutOff) throw new ExtractionError(`the answer was cut off at ${llm.options.num_predict ?? '?'} tokens (-num-predict) before the file ended`);
      return { content: extractFile(answer.content, path), usage };
    } catch (err) {
      if (!(err instanceof ExtractionError)) throw err;
      const hint = answer.cutOff ? 'raise -num-predict (0: no limit) or try a stronger model (-model)' : 'try a stronger model (-model)';
      // The README only adds comfort: an answer that cannot be used never fails the API; code writes a plain one and says so.
      if (tries >= 2 && input.phase === 'readme')
        return {
          content: plainReadme(input.spec),
          usage,
          note: `README.md: the model's answer could not be used (${err.message}, twice): code wrote a plain README from the plan`,
        };
      if (tries >= 2) throw ApplicationFailure.nonRetryable(`${err.message}, twice: ${hint}`, 'NoCodeInAnswer');
      messages.push(
        { role: 'assistant', content: answer.content.slice(0, 4000) },
        {
          role: 'user',
          content: `That answer cannot be used: ${err.message}.\nAnswer again with the whole file\n\nFile: ${path}\n\nin exactly one fenced code block, nothing else.`,
        },
      );
    }
  }
}

/** Over CROSSING_LIMIT_BYTES, text bound for the other queue is refused, naming what it is. */
function refuseOverCrossing(text: string, what: string, advice: string, type: string): void {
  const kb = Math.round(Buffer.byteLength(text) / 1024);
  if (Buffer.byteLength(text) > CROSSING_LIMIT_BYTES)
    throw ApplicationFailure.nonRetryable(`${what} is ${kb} KB, over the ${CROSSING_LIMIT_BYTES / 1024} KB ${advice}`, type);
}

/** fileRequest as the workspace serves it: the prompt crosses to the model worker in the run's history. */
export async function fileRequestForModel(input: Parameters<typeof fileRequest>[0]): Promise<{ prompt: string }> {
  const request = await fileRequest(input);
  const what = `the prompt for ${filePathFor(input.phase, input.spec.resource)} with the files it carries`;
  refuseOverCrossing(
    request.prompt,
    what,
    'a prompt may have on its way to the model worker: a file before it is far larger than an API needs; try a stronger model (-model)',
    'PromptTooLarge',
  );
  return request;
}

/** answerFile as the model worker serves it: the file crosses to the workspace in the run's history (a looping model's giant file stops here). */
export async function answerFileForWorkspace(input: AnswerFileInput): Promise<{ content: string; usage: LlmUsage; note?: string }> {
  const answer = await answerFile(input);
  const what = `the answer for ${filePathFor(input.phase, input.spec.resource)}`;
  refuseOverCrossing(
    answer.content,
    what,
    'a file may have on its way to the workspace: no file of this API needs that much (a model stuck in a loop?); lower -num-predict or try a stronger model (-model)',
    'FileTooLarge',
  );
  return answer;
}

export interface WriteAnsweredFileInput {
  workflowId: string;
  phase: FilePhase;
  spec: ApiSpec;
  outputDir: string;
  content: string;
  /** The model's name, for the commit message. */
  model: string;
  repair?: RepairRequest;
  git?: GitMode;
  /** For the README: what the sentence asked for and where it lives, appended by code. */
  fidelity?: Fidelity;
}

/** The workspace's half after the model: the file written, confined to the layout. */
export async function writeAnsweredFile(input: WriteAnsweredFileInput): Promise<{ file: FileRef }> {
  const path = filePathFor(input.phase, input.spec.resource);
  // The README ends with the fidelity list, so the morning's reader sees what is there and what is not before the code.
  const content = input.phase === 'readme' && input.fidelity ? `${input.content.trimEnd()}\n\n${fidelitySection(input.fidelity)}` : input.content;
  const { written: _written, ...file } = writeFileAtomic(input.outputDir, path, content, allowedPaths(input.spec));
  return { file };
}

/** One file in one activity (runs recorded before the model queue): the prompt, the model's answer, the file written. */
export async function generateFile(input: GenerateFileInput): Promise<GenerateFileResult> {
  const { prompt } = await fileRequest(input);
  const { content, usage } = await answerFile({ ...input, prompt, repair: input.repair !== undefined });
  const { file } = await writeAnsweredFile({ ...input, content, model: input.llm.model });
  return { file, usage };
}
