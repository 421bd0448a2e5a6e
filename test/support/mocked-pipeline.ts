// The workflow with mocked activities: the real workflow code on a real dev server, but no
// model, no files and no Go toolchain, so each branch runs in seconds. What the mocks are asked
// (and what they answer) is scripted per run; the tests read the workflow's own state and the
// calls it made.
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Context } from '@temporalio/activity';
import { Worker } from '@temporalio/worker';
import type { AllActivities } from '../../activities/index.js';
import type { PlanFileInput } from '../../activities/files/plan-file.js';
import { WORKFLOWS_PATH, WorkerGroup } from '../../worker/create-worker.js';
import { modelTaskQueue } from '../../core/task-queues.js';
import type { FileRef, FilePhase, GenerateFileInput, GenerateFileResult, RunInput } from '../../core/types.js';
import type { ValidationReport } from '../../core/run-types.js';
import { createDevServer, runInput } from './run-fixtures.js';
import { TODO_PLAN, TODO_SPEC } from './scripted-ollama.js';
import { fidelityOf } from '../../core/fidelity.js';
import type { Plan } from '../../core/plan.js';

const taskQueue = 'mocked-pipeline';

/** What one run's mocks do, and what they were asked. */
export interface Script {
  /** Working time each file call reports (the budget counts it). */
  fileMs?: number;
  /** The validation report of round n. */
  validate?: (round: number) => ValidationReport;
  /** Called when a file's model call starts; may block (a long model call) until the activity is cancelled. */
  onFile?: (input: Pick<GenerateFileInput, 'phase' | 'spec'>) => Promise<void>;
  fileCalls: { phase: FilePhase; round: number | null; resource: string }[];
  /** plan.json as each write had it. */
  planWrites: { plan: Plan; message: string }[];
  validations: number;
  statusReports: number;
  phaseRecords: string[];
}

const scripts = new Map<string, Script>();
const scriptOf = () => scripts.get(Context.current().info.workflowExecution?.workflowId ?? '')!;
const fileRef = (path: string): FileRef => ({ path, bytes: 1, sha256: '0'.repeat(64) });

/** A file's work starts: the workspace is asked for its prompt (runs before the model queue: the one file activity). */
function fileStarts(input: Pick<GenerateFileInput, 'phase' | 'spec' | 'repair'>): void {
  scriptOf().fileCalls.push({ phase: input.phase, round: input.repair?.round ?? null, resource: input.spec.resource });
}

/** The model's answer for a file, as long as the script says. */
async function answerMock(input: Pick<GenerateFileInput, 'phase' | 'spec'>) {
  const script = scriptOf();
  await script.onFile?.(input);
  return { content: 'package x\n', usage: { tokensIn: 10, tokensOut: 20, durationMs: script.fileMs ?? 5, cached: false } };
}

async function writeFileMock(input: GenerateFileInput): Promise<GenerateFileResult> {
  fileStarts(input);
  const { usage } = await answerMock(input);
  return { file: fileRef(`${input.phase}.go`), usage };
}

const mocks: AllActivities = {
  preflight: async () => ({ goVersion: 'go1.26', ollamaVersion: '0.19.0', modelDigest: 'x' }),
  checkWorkspace: async () => ({ goVersion: 'go1.26' }),
  checkModelServer: async () => ({ ollamaVersion: '0.19.0', modelDigest: 'x' }),
  fileRequest: async (input: GenerateFileInput) => (fileStarts(input), { prompt: `File: ${input.phase}` }),
  answerFile: answerMock,
  writeAnsweredFile: async ({ phase }: GenerateFileInput) => ({ file: fileRef(`${phase}.go`) }),
  planApi: async () => ({
    spec: TODO_SPEC,
    plan: TODO_PLAN,
    fidelity: fidelityOf('REST API for todo list', TODO_PLAN, 'memory'),
    usage: { tokensIn: 5, tokensOut: 5, durationMs: 5, cached: false },
    attempts: 1,
  }),
  generateFile: writeFileMock,
  composeFile: writeFileMock,
  waitForModelServer: async () => {},
  writeScaffold: async () => [fileRef('go.mod')],
  writePlanFile: async ({ plan, message }: PlanFileInput) => {
    scriptOf().planWrites.push({ plan, message });
    return fileRef('plan.json');
  },
  validateProject: async () => {
    const script = scriptOf();
    return script.validate!(script.validations++);
  },
  recordRun: async () => {},
  recordPhase: async ({ phase }: Parameters<AllActivities['recordPhase']>[0]) => {
    scriptOf().phaseRecords.push(`${phase.name}${phase.round ? `#${phase.round}` : ''} ${phase.status}`);
  },
  recordValidation: async () => {},
  writeStatusReport: async () => {
    scriptOf().statusReports++;
    return fileRef('status.json');
  },
} as unknown as AllActivities;

/** A failed validation whose errors name `phase`; `text` tells one round's errors from another's. */
export function failedReport(phase: FilePhase, text: string): ValidationReport {
  return {
    ok: false,
    steps: [{ name: 'build', ok: false, durationMs: 5, outputTail: text }],
    coveragePercent: null,
    coverageGoal: 70,
    failures: [{ phase, errors: text }],
    durationMs: 5,
  };
}

export interface MockedPipeline {
  env: TestWorkflowEnvironment;
  /** Starts a run whose activities follow `script`; `tweak` changes its input. */
  start(script: Partial<Script>, tweak?: Partial<RunInput>): Promise<{ handle: WorkflowHandle; script: Script }>;
  stop(): Promise<void>;
}

/** A dev server and workers with the mocked activities: the run's queue (with the workflows) and the model queue. */
export async function startMockedPipeline(): Promise<MockedPipeline> {
  const env = await createDevServer();
  const connection = env.nativeConnection;
  const workers = new WorkerGroup([
    await Worker.create({ connection, taskQueue, workflowsPath: WORKFLOWS_PATH, activities: mocks }),
    await Worker.create({ connection, taskQueue: modelTaskQueue(taskQueue), activities: mocks }),
  ]);
  const running = workers.run();
  let runs = 0;
  return {
    env,
    async start(script, tweak = {}) {
      const workflowId = `mocked-${Date.now()}-${runs++}`;
      const full: Script = { fileCalls: [], planWrites: [], validations: 0, statusReports: 0, phaseRecords: [], ...script };
      scripts.set(workflowId, full);
      const input = runInput('http://127.0.0.1:9', tweak);
      const handle = await env.client.workflow.start('generateApi', { taskQueue, workflowId, args: [input], workflowExecutionTimeout: '2m' });
      return { handle, script: full };
    },
    async stop() {
      workers.shutdown();
      await running;
      await env.teardown();
    },
  };
}
