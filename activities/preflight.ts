// The preflight phase: everything a night's run needs, checked before the first token,
// each failure a one-line message that says what to do. None is worth retrying.
import { ApplicationFailure } from '@temporalio/activity';
import type { PreflightResult } from '../workflows/types.js';
import { OutputDirError, checkOutputDir } from './files/output-dir.js';
import { goVersion } from './go/validate.js';
import { OllamaClient, OllamaStatusError } from './llm/ollama.js';

export interface PreflightInput {
  ollamaUrl: string;
  model: string;
  outputDir: string;
  allowNonEmptyOutput: boolean;
  skipValidation: boolean;
}

export async function preflight(input: PreflightInput): Promise<PreflightResult> {
  try {
    checkOutputDir(input.outputDir, input.allowNonEmptyOutput);
  } catch (err) {
    if (err instanceof OutputDirError) throw ApplicationFailure.nonRetryable(err.message, 'OutputDirUnsafe');
    throw err;
  }
  let go = 'skipped';
  if (!input.skipValidation) {
    try {
      go = await goVersion();
    } catch (err) {
      throw ApplicationFailure.nonRetryable((err as Error).message, 'GoMissing');
    }
  }
  const ollama = new OllamaClient(input.ollamaUrl);
  const signal = AbortSignal.timeout(10_000);
  let version: string;
  try {
    version = await ollama.version({ signal });
  } catch {
    throw ApplicationFailure.nonRetryable(
      `Ollama is not reachable at ${input.ollamaUrl}: start it with \`ollama serve\` (or pass -ollama URL)`,
      'OllamaUnreachable',
    );
  }
  let digest = '';
  try {
    const shown = await ollama.show(input.model, { signal });
    digest = typeof shown.digest === 'string' ? shown.digest : '';
  } catch (err) {
    if (err instanceof OllamaStatusError && err.statusCode === 404) {
      throw ApplicationFailure.nonRetryable(`model "${input.model}" is not in Ollama: run \`ollama pull ${input.model}\``, 'ModelNotFound');
    }
    throw ApplicationFailure.nonRetryable(`Ollama at ${input.ollamaUrl} failed to describe model "${input.model}": ${(err as Error).message}`, 'OllamaError');
  }
  return { goVersion: go, ollamaVersion: version, modelDigest: digest };
}
