// The activities that only call the model, served on the model task queue (core/task-queues.ts)
// by a worker beside the model server. None reads or writes the output folder; each returns text
// and usage (or waits for the server). The worker builds them from what it owns: its response
// cache and, when it was given one, its own model server. The run's input still names the run's
// server (its -ollama): that is the user's choice, and a worker started later (`attach` after a
// reboot, with no flags) must still find it.
import type { LlmSettings } from '../core/types.js';
import { planApi } from './llm/plan-api.js';
import { waitForModelServer } from './llm/wait-for-model-server.js';
import { checkModelServer } from './preflight.js';
import { answerFileForWorkspace } from './llm/generate-file.js';
import { functionCandidate } from './guided/function-candidate.js';
import { proposeTestCases } from './guided/propose-cases.js';
import { behaviourCandidate } from './plan/behaviour-candidate.js';
import { filterExamples } from './plan/filter-examples.js';

/** Where a model call goes: a server's URL, its API (Ollama's native one when absent) and which OpenAI-compatible server it is. */
export type ModelServer = Pick<LlmSettings, 'serverUrl' | 'api' | 'server'>;

/** What a worker that serves model calls owns. */
export interface ModelWorkerOwns {
  /** Its own model server (-ollama, OLLAMA_HOST, -llm-api, -llm-server given to `worker`): every call goes there. Absent: each run's. */
  server?: ModelServer;
  /** Its response cache (a SQLite file). Absent: the run's mirror, the input's dbPath. */
  cacheDbPath?: string;
}

/** The model activities, as a worker that owns `owns` serves them. */
export function createModelActivities(owns: ModelWorkerOwns = {}) {
  const call = servesCalls(owns);
  const probe = servesProbes(owns);
  return {
    planApi: call(planApi),
    answerFile: call(answerFileForWorkspace),
    functionCandidate: call(functionCandidate),
    proposeTestCases: call(proposeTestCases),
    behaviourCandidate: call(behaviourCandidate),
    filterExamples: call(filterExamples),
    checkModelServer: probe(checkModelServer),
    waitForModelServer: probe(waitForModelServer),
    // Its name in runs recorded by 0.1.0, which still call it so (docs/versioning.md).
    waitForOllama: probe(waitForModelServer),
  };
}

export type ModelActivities = ReturnType<typeof createModelActivities>;

/** Model calls served with the worker's own server and cache in place of the run's. */
export function servesCalls(owns: ModelWorkerOwns) {
  return <I extends { llm: LlmSettings; dbPath: string }, O>(activity: (input: I) => Promise<O>) =>
    (input: I): Promise<O> =>
      activity({ ...input, llm: onServer(input.llm, owns.server), dbPath: owns.cacheDbPath ?? input.dbPath });
}

/** Questions to the server itself (is it there, has it the model) asked of the worker's own server. */
export function servesProbes(owns: ModelWorkerOwns) {
  return <I extends ModelServer, O>(activity: (input: I) => Promise<O>) =>
    (input: I): Promise<O> =>
      activity(onServer(input, owns.server));
}

/**
 * The run's server settings, or the worker's own when it has one. The worker's -llm-server
 * replaces the run's; a worker without one drops the run's, to detect its own server's kind.
 */
export function onServer<S extends ModelServer>(run: S, own: ModelServer | undefined): S {
  if (!own) return run;
  const { api: _api, server: _server, ...rest } = run;
  // `api` only when not Ollama's native one and `server` only when named, as the CLI writes run inputs.
  const api = own.api === 'openai' ? { api: own.api, ...(own.server ? { server: own.server } : {}) } : {};
  return { ...rest, serverUrl: own.serverUrl, ...api } as S;
}
