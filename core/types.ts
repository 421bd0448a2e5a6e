// The contract between the workflow and its activities. Everything here crosses
// Temporal's history, so it stays small: references (paths, hashes, counts), never
// whole files. Workflows import only types from this file.
import type { Fidelity } from './fidelity.js';
import type { Plan, Store } from './plan.js';
import type { ApiSpec } from './single-resource.js';

/** The phases of a run, in the fixed order of docs/DESIGN.md. */
export const PHASES = [
  'preflight',
  'plan',
  'scaffold',
  'models',
  'repository',
  'handlers',
  'server',
  'tests',
  'readme',
  'validate',
  'repair',
  'report',
] as const;
export type PhaseName = (typeof PHASES)[number];

/** The phases that each ask the LLM for one file. */
export const FILE_PHASES = ['models', 'repository', 'handlers', 'server', 'tests', 'readme'] as const;
export type FilePhase = (typeof FILE_PHASES)[number];

/** Model options passed to Ollama as `options` (see ollama api/types.go Options). */
export interface ModelOptions {
  temperature?: number;
  num_ctx?: number;
  seed?: number;
  num_predict?: number;
}

/** The OpenAI-compatible servers whose request fields differ (activities/llm/server-kinds.ts). */
export const SERVER_KINDS = ['ollama', 'llama-server', 'vllm', 'sglang', 'tgi'] as const;
export type ServerKind = (typeof SERVER_KINDS)[number];

/** How to reach the LLM; host-independent so LLM activities can move to another task queue. */
export interface LlmSettings {
  /** The model server's base URL (-ollama), whichever API it speaks. */
  serverUrl: string;
  /** The server's API (-llm-api): Ollama's native one when absent, so recorded runs replay unchanged. */
  api?: 'ollama' | 'openai';
  /** Which OpenAI-compatible server it is (-llm-server), for the request fields it wants; absent: detected. */
  server?: ServerKind;
  model: string;
  options: ModelOptions;
  /** Whole-call limit for one chat request. */
  callTimeoutMs: number;
  /** No token for this long means the stream stalled. */
  stallTimeoutMs: number;
  /** An answer longer than this is cut off as it streams (seed: 10 MB per task). */
  maxOutputBytes: number;
  /** Options for one phase over `options` (-phase-options); a file's repair uses `repair`. */
  phaseOptions?: Partial<Record<OptionsPhase, ModelOptions>>;
}

/** The phases that ask the LLM, each of which may have its own model options. */
export const OPTIONS_PHASES = ['plan', ...FILE_PHASES, 'repair'] as const;
export type OptionsPhase = (typeof OPTIONS_PHASES)[number];

export interface RunInput {
  prompt: string;
  outputDir: string; // absolute
  dbPath: string; // absolute
  llm: LlmSettings;
  skipValidation: boolean;
  allowNonEmptyOutput: boolean;
  maxRepairRounds: number;
  coverageGoal: number; // percent
  /** Working time the run may use (seed: 30 min); time asleep does not count. Absent: no limit. */
  workingBudgetMs?: number;
  /** A worker silent this long is taken for gone and its LLM call retried elsewhere (default 60 s). */
  heartbeatTimeoutMs?: number;
  /** The server knows the custom search attributes (workflows/search-attributes.ts): keep them current. */
  searchAttributes?: boolean;
  /** How the files are written (absent in runs recorded before it existed: 'whole'). */
  strategy?: Strategy;
  /** -store, for -strategy plan: where the API keeps its items (absent: sqlite). */
  store?: Store;
  /** How long a model call waits for Ollama to answer again before the run fails (absent: 30 min; 0: not at all). */
  ollamaWaitMs?: number;
  /** Git history in the output folder (absent in runs recorded before it existed: auto). */
  git?: GitMode;
  /** -review-plan: after the plan, wait for `overnight-llm approve ID` (absent: go on at once). */
  planReview?: PlanReview;
  /** -plan-only: write plan.json and end the run there. */
  planOnly?: boolean;
  /** -every: each start writes into a folder of its own under outputDir, named after its start time. */
  outputPerStart?: boolean;
  /** -report: write report.md into the output folder at the end (a batch writes one for all its items). */
  report?: { webUiRunsUrl: string };
}

/** How long a reviewed plan waits for approval, and what happens when nobody answers. */
export interface PlanReview {
  timeoutMs: number;
  onTimeout: ReviewTimeoutAction;
}
export const REVIEW_TIMEOUT_ACTIONS = ['approve', 'stop'] as const;
export type ReviewTimeoutAction = (typeof REVIEW_TIMEOUT_ACTIONS)[number];

/** What `overnight-llm approve ID` sends: nothing (the plan as it is) or the user's plan, unchecked JSON. */
export interface PlanApproval {
  plan?: unknown;
}

/** auto: a commit per phase in a repository of the run's own; on (-git): also in the user's; off (-no-git): none. */
export type GitMode = 'auto' | 'on' | 'off';

/** The failure type of a model call that found no server: the workflow waits for it, then calls again. */
export const MODEL_SERVER_GONE = 'ModelServerUnreachable';
/** The same failure as runs recorded by 0.1.0 have it in their histories (docs/versioning.md). */
export const MODEL_SERVER_GONE_TYPES: readonly string[] = [MODEL_SERVER_GONE, 'OllamaUnreachable'];

/** How messages name the model server: Ollama by its name, any other by its URL. */
export function serverName(url: string, api: LlmSettings['api']): string {
  return api === 'openai' ? `the model server at ${url}` : 'Ollama';
}

/**
 * An input as this release reads it. Runs started by 0.1.0 (and the activities they scheduled)
 * name the model server's URL `ollamaUrl`; it is `serverUrl` since 0.2.0 (docs/versioning.md).
 */
export function withServerUrl<I>(input: I): I {
  if (typeof input !== 'object' || input === null) return input;
  const renamed = (o: Record<string, unknown>) => {
    if (!('ollamaUrl' in o) || 'serverUrl' in o) return o;
    const { ollamaUrl, ...rest } = o;
    return { ...rest, serverUrl: ollamaUrl };
  };
  const top = renamed(input as Record<string, unknown>);
  const llm = top.llm;
  return (typeof llm === 'object' && llm !== null ? { ...top, llm: renamed(llm as Record<string, unknown>) } : top) as I;
}
export const DEFAULT_OLLAMA_WAIT_MS = 30 * 60_000;

/**
 * `whole`: the seed's flow, one prompt per file, whole-file repair; for strong models.
 * `guided`: code writes the contract (types, signatures, routes) from the plan, the model writes
 * each function body, checked by the compiler as it is written; tests are cases the model
 * proposes as JSON, rendered by code and kept only when they pass. For small models.
 * `plan`: code writes the whole plan's project (every resource, rule, relation, filter, action,
 * docs/generated-api.md) and its tests; the model writes what the plan says in words (the methods
 * of behaviour.go) and the README. It replaces `guided` once the guided tests move over (#24).
 */
export const STRATEGIES = ['guided', 'whole', 'plan'] as const;
export type Strategy = (typeof STRATEGIES)[number];

// Today's code writer takes the plan's first resource as a single-resource spec (core/single-resource.ts).
export type { ApiSpec, EndpointSpec, FieldSpec } from './single-resource.js';

/** A file the run wrote, by reference. */
export interface FileRef {
  path: string; // relative to the output dir
  bytes: number;
  sha256: string;
  /** Who wrote what (the guided strategy records it; absent for whole files and run files). */
  provenance?: FileProvenance;
}

/** How one generated file was made: the model's share, the candidates, what code fixed. */
export interface FileProvenance {
  strategy: Strategy;
  /** Non-blank lines that came from the model's answers (function bodies, test cases, prose). */
  modelLines: number;
  /** Of modelLines, those found word for word in the model's prompt (-strategy plan): copied, not chosen. */
  verbatimLines?: number;
  /** Non-blank lines code wrote: the contract (types, signatures, routes, helpers) and renderings. */
  contractLines: number;
  /** Model answers tried for this file (first tries, fixes and other samples). */
  candidates: number;
  /** Deterministic fixers that changed something, e.g. goimports, import-path, unused-variable. */
  fixes: string[];
  /** Toolchain errors met while writing the file, first lines only (for the failure taxonomy). */
  errorsSeen: string[];
  /** Toolchain errors left in the file when the phase ended (0: its package compiles and vets). */
  errorsLeft: number;
}

export interface LlmUsage {
  tokensIn: number;
  tokensOut: number;
  /** Monotonic time spent on this call, for the working-time budget. */
  durationMs: number;
  /** True when the answer came from the SQLite cache, not from Ollama. */
  cached: boolean;
}

export interface PreflightResult {
  goVersion: string;
  ollamaVersion: string;
  modelDigest: string;
  /** An OpenAI-compatible server: which one, and whether it continues a prefilled answer (a status.json note). */
  prefill?: string;
}

export interface PlanResult {
  /** What today's code writer builds of the plan. */
  spec: ApiSpec;
  /** The plan as the model made it (code mended it), and where each thing the sentence asks for lives in it. */
  plan?: Plan;
  fidelity?: Fidelity;
  usage: LlmUsage;
  attempts: number;
  /** Near-misses of the schema that code mended, e.g. `fields[0].name "title" → "Title"`. */
  notes?: string[];
}

export interface RepairRequest {
  round: number;
  /** The toolchain output that names this file, trimmed. */
  errors: string;
}

export interface GenerateFileInput {
  workflowId: string;
  phase: FilePhase;
  prompt: string;
  spec: ApiSpec;
  outputDir: string;
  dbPath: string;
  llm: LlmSettings;
  coverageGoal: number;
  repair?: RepairRequest;
  git?: GitMode;
}

export interface GenerateFileResult {
  file: FileRef;
  usage: LlmUsage;
}
