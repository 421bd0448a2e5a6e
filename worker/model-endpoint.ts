// The model endpoint belongs to the worker that serves model calls: a worker started with its
// own -ollama, OLLAMA_HOST, -llm-api or -llm-server sends every model call it serves there, whatever URL
// the run's input carries (that one is the CLI's, perhaps on another machine). The response
// cache moves with the model calls: a worker that serves them without the workspace keeps it
// in a file of its own, since the run's mirror (-db) is a path on the workspace's machine.
import path from 'node:path';
import { stateDir } from '../lib/state-dir.js';
import type { LlmSettings } from '../core/types.js';

export interface ModelEndpoint {
  /** The server's URL, for every model call this worker serves; the run's when absent. */
  serverUrl?: string;
  api?: LlmSettings['api'];
  /** Which OpenAI-compatible server it is (-llm-server); detected when absent. */
  server?: LlmSettings['server'];
  /** The response cache's SQLite file; the run's mirror (its dbPath) when absent. */
  cacheDbPath?: string;
}

/** The response cache of a worker that serves model calls but not the workspace. */
export const modelWorkerCache = () => path.join(stateDir(), 'llm-cache.db');

/** A model call's input as this worker serves it: its own endpoint and cache, where it has them. */
export function servedInput<I>(input: I, endpoint: ModelEndpoint): I {
  if (typeof input !== 'object' || input === null) return input;
  const served: Record<string, unknown> = { ...(input as Record<string, unknown>) };
  if (endpoint.serverUrl !== undefined) {
    // `api` only when not Ollama's native one and `server` only when named, as the CLI writes run inputs.
    const api = endpoint.api === 'openai' ? { api: endpoint.api, ...(endpoint.server ? { server: endpoint.server } : {}) } : {};
    if (typeof served.llm === 'object' && served.llm !== null) {
      const { api: _run, server: _runServer, ...llm } = served.llm as LlmSettings;
      served.llm = { ...llm, serverUrl: endpoint.serverUrl, ...api };
    }
    if ('serverUrl' in served) {
      delete served.api;
      delete served.server;
      Object.assign(served, { serverUrl: endpoint.serverUrl, ...api });
    }
  }
  if (endpoint.cacheDbPath !== undefined && 'dbPath' in served) served.dbPath = endpoint.cacheDbPath;
  return served as I;
}

/** The activities, each serving its input with `endpoint`. */
export function withModelEndpoint<A extends Record<string, (input: never) => Promise<unknown>>>(activities: A, endpoint: ModelEndpoint): A {
  if (endpoint.serverUrl === undefined && endpoint.cacheDbPath === undefined) return activities;
  const served: Record<string, (input: never) => Promise<unknown>> = {};
  for (const [name, fn] of Object.entries(activities)) served[name] = (input: never) => fn(servedInput(input, endpoint));
  return served as A;
}
