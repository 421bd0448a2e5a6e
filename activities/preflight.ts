// The preflight phase: everything a night's run needs, checked before the first token,
// each failure a one-line message that says what to do. None is worth retrying.
import { ApplicationFailure } from '@temporalio/activity';
import { MODEL_SERVER_GONE, type PreflightResult } from '../workflows/types.js';
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
      MODEL_SERVER_GONE,
    );
  }
  try {
    await ollama.show(input.model, { signal });
  } catch (err) {
    if (err instanceof OllamaStatusError && err.statusCode === 404) {
      throw ApplicationFailure.nonRetryable(`model "${input.model}" is not in Ollama: run \`ollama pull ${input.model}\``, 'ModelNotFound');
    }
    throw ApplicationFailure.nonRetryable(`Ollama at ${input.ollamaUrl} failed to describe model "${input.model}": ${(err as Error).message}`, 'OllamaError');
  }
  // /api/show carries no digest; /api/tags lists it. Informative only: a failure here is no reason to stop.
  let digest = '';
  try {
    const want = withTag(input.model);
    digest = (await ollama.list({ signal })).models.find((m) => withTag(m.name) === want || withTag(m.model) === want)?.digest ?? '';
  } catch {
    // leave it empty
  }
  return { goVersion: go, ollamaVersion: version, modelDigest: digest };
}

/** Ollama's name for a model given without a tag: `llama3` is `llama3:latest`. */
function withTag(name: string): string {
  const n = name.trim().toLowerCase();
  return n.slice(n.lastIndexOf('/') + 1).includes(':') ? n : `${n}:latest`;
}
