// The preflight phase: everything a night's run needs, checked before the first token,
// each failure a one-line message that says what to do. None is worth retrying. Two halves,
// each where its work is: the output folder and Go (workspace), the model server (model).
import { ApplicationFailure } from '@temporalio/activity';
import { MODEL_SERVER_GONE, type LlmSettings, type PreflightResult } from '../core/types.js';
import { OutputDirError, checkOutputDir } from './files/output-dir.js';
import { goVersion } from './go/validate.js';
import { serverName } from './llm/model-server.js';
import { OllamaClient, OllamaStatusError } from './llm/ollama.js';
import { API_KEY_VARIABLE, OpenAiClient, OpenAiStatusError } from './llm/openai.js';
import { profileNote, serverProfile } from './llm/server-profile.js';

export interface PreflightInput {
  serverUrl: string;
  /** The model server's API (LlmSettings.api): Ollama's native one when absent. */
  api?: LlmSettings['api'];
  model: string;
  outputDir: string;
  allowNonEmptyOutput: boolean;
  skipValidation: boolean;
}

export interface ModelServerCheckInput {
  serverUrl: string;
  api?: LlmSettings['api'];
  /** -llm-server (LlmSettings.server): detected when absent. */
  server?: LlmSettings['server'];
  model: string;
}

/** The whole preflight in one activity, as runs recorded before the model queue call it. */
export async function preflight(input: PreflightInput): Promise<PreflightResult> {
  const { goVersion: go } = await checkWorkspace(input);
  return { goVersion: go, ...(await checkModelServer(input)) };
}

/** The workspace's half: the output folder is safe to write, and Go is there (unless validation is skipped). */
export async function checkWorkspace(
  input: Pick<PreflightInput, 'outputDir' | 'allowNonEmptyOutput' | 'skipValidation'>,
): Promise<Pick<PreflightResult, 'goVersion'>> {
  try {
    checkOutputDir(input.outputDir, input.allowNonEmptyOutput);
  } catch (err) {
    if (err instanceof OutputDirError) throw ApplicationFailure.nonRetryable(err.message, 'OutputDirUnsafe');
    throw err;
  }
  if (input.skipValidation) return { goVersion: 'skipped' };
  try {
    return { goVersion: await goVersion() };
  } catch (err) {
    throw ApplicationFailure.nonRetryable((err as Error).message, 'GoMissing');
  }
}

/** The model's half: the server answers and has the model. */
export async function checkModelServer(input: ModelServerCheckInput): Promise<Omit<PreflightResult, 'goVersion'>> {
  if (input.api === 'openai') return await checkOpenAiServer(input);
  const ollama = new OllamaClient(input.serverUrl);
  const signal = AbortSignal.timeout(10_000);
  let version: string;
  try {
    version = await ollama.version({ signal });
  } catch {
    throw ApplicationFailure.nonRetryable(
      `Ollama is not reachable at ${input.serverUrl}: start it with \`ollama serve\` (or pass -ollama URL)`,
      MODEL_SERVER_GONE,
    );
  }
  try {
    await ollama.show(input.model, { signal });
  } catch (err) {
    if (err instanceof OllamaStatusError && err.statusCode === 404) {
      throw ApplicationFailure.nonRetryable(`model "${input.model}" is not in Ollama: run \`ollama pull ${input.model}\``, 'ModelNotFound');
    }
    throw ApplicationFailure.nonRetryable(`Ollama at ${input.serverUrl} failed to describe model "${input.model}": ${(err as Error).message}`, 'OllamaError');
  }
  // /api/show carries no digest; /api/tags lists it. Informative only: a failure here is no reason to stop.
  let digest = '';
  try {
    const want = withTag(input.model);
    digest = (await ollama.list({ signal })).models.find((m) => withTag(m.name) === want || withTag(m.model) === want)?.digest ?? '';
  } catch {
    // leave it empty
  }
  return { ollamaVersion: version, modelDigest: digest };
}

/** An OpenAI-compatible server: it answers GET /v1/models, and the list has the model. */
async function checkOpenAiServer(input: ModelServerCheckInput): Promise<Omit<PreflightResult, 'goVersion'>> {
  const server = serverName(input.serverUrl, input.api);
  let found: Awaited<ReturnType<OpenAiClient['models']>>;
  try {
    found = await new OpenAiClient(input.serverUrl).models({ signal: AbortSignal.timeout(10_000) });
  } catch (err) {
    // No HTTP answer at all: nothing listens there (a wrong answer is a status error).
    if (!(err instanceof OpenAiStatusError))
      throw ApplicationFailure.nonRetryable(`${server} is not reachable: start it (or pass -ollama URL)`, MODEL_SERVER_GONE);
    if (err.statusCode === 401 || err.statusCode === 403)
      throw ApplicationFailure.nonRetryable(
        `${server} refused the request (${err.statusCode}): ${err.message}; set ${API_KEY_VARIABLE} to its API key where the worker runs`,
        'Unauthorized',
      );
    throw ApplicationFailure.nonRetryable(
      `${server} did not list its models at /v1/models (${err.statusCode}: ${err.message}): is it an OpenAI-compatible server? -ollama takes its base URL`,
      'OllamaError',
    );
  }
  const ids = found.list.data.map((m) => String(m.id));
  if (!ids.some((id) => id === input.model || withTag(id) === withTag(input.model))) {
    const served = ids.length ? `it serves ${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ', …' : ''}` : 'it serves none';
    throw ApplicationFailure.nonRetryable(`model "${input.model}" is not served by ${server}: ${served} (pass one with -model)`, 'ModelNotFound');
  }
  return { ollamaVersion: `OpenAI-compatible API${found.server ? ` (${found.server})` : ''}`, modelDigest: '', prefill: await checkPrefill(input, server) };
}

/** The continuation probe (server-profile.ts), in status.json's words; failures that no run can get past stop here. */
async function checkPrefill(input: ModelServerCheckInput, server: string): Promise<string> {
  try {
    return profileNote(await serverProfile(input, AbortSignal.timeout(120_000)));
  } catch (err) {
    if (!(err instanceof OpenAiStatusError))
      throw ApplicationFailure.nonRetryable(`${server} is not reachable: start it (or pass -ollama URL)`, MODEL_SERVER_GONE);
    throw ApplicationFailure.nonRetryable(
      `${server} failed an 8-token test answer (${err.statusCode}: ${err.message}): check that it serves -model ${input.model}`,
      'OllamaError',
    );
  }
}

/** Ollama's name for a model given without a tag: `llama3` is `llama3:latest`. */
function withTag(name: string): string {
  const n = name.trim().toLowerCase();
  return n.slice(n.lastIndexOf('/') + 1).includes(':') ? n : `${n}:latest`;
}
