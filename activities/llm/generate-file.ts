// The file phases (models … readme) and the repair of one file: render the phase's
// prompt with the files it depends on, ask the model, extract the file, write it.
import { ApplicationFailure } from '@temporalio/activity';
import { type GenerateFileInput, type GenerateFileResult, type LlmUsage } from '../../workflows/types.js';
import { CODE_PHASES, FILE_LAYOUT, filePathFor, allowedPaths } from '../../workflows/layout.js';
import { readGeneratedFile, writeFileAtomic } from '../files/write-file.js';
import { addUsage, chatOnce } from './chat.js';
import { llmForPhase } from './phase-options.js';
import { ExtractionError, extractFile } from './extract-code.js';
import type { Message } from './ollama.js';
import { dependencyVars, loadPrompt, referenceBlock, renderPrompt, specVars } from './prompts.js';

/** The user message asking for the file, first pass or repair. */
export function filePrompt(input: GenerateFileInput): string {
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

/** Asks for one file; one firmer follow-up when the answer holds no usable code. */
export async function generateFile(input: GenerateFileInput): Promise<GenerateFileResult> {
  const path = filePathFor(input.phase, input.spec.resource);
  const messages: Message[] = [
    { role: 'system', content: loadPrompt('system') },
    { role: 'user', content: filePrompt(input) },
  ];
  const llm = llmForPhase(input.llm, input.repair ? 'repair' : input.phase);
  let usage: LlmUsage | null = null;
  for (let tries = 1; ; tries++) {
    const answer = await chatOnce({ dbPath: input.dbPath, llm, messages, label: path });
    usage = usage ? addUsage(usage, answer.usage) : answer.usage;
    try {
      // A file cut off at num_predict would lose its end (or be "repaired" by a closing fence we add): ask again.
      if (answer.cutOff) throw new ExtractionError(`the answer was cut off at ${llm.options.num_predict ?? '?'} tokens (-num-predict) before the file ended`);
      const content = extractFile(answer.content, path);
      const { written: _written, ...file } = writeFileAtomic(input.outputDir, path, content, allowedPaths(input.spec));
      return { file, usage };
    } catch (err) {
      if (!(err instanceof ExtractionError)) throw err;
      const hint = answer.cutOff ? 'raise -num-predict (0: no limit) or try a stronger model (-model)' : 'try a stronger model (-model)';
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
