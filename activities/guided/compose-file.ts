// The guided strategy's file phases as ONE activity, as runs recorded before the model queue
// scheduled them (they replay that way; workflows/pipeline-run.ts MODEL_QUEUE_PATCH): the same
// loops the workflow runs with activities on two queues (core/guided-code.ts,
// guided-tests.ts), run here in-process with one toolchain session per file. The README is
// prose, written whole.
import type { GenerateFileInput, GenerateFileResult } from '../../core/types.js';
import { composeCodeFile } from '../../core/guided-code.js';
import { composeTestsFile } from '../../core/guided-tests.js';
import { generateFile } from '../llm/generate-file.js';
import { checkFunctionIn, finishCodeFileIn, startCodeFile, withToolchain } from './compose-code.js';
import { isContractPhase, type ContractPhase } from './contract.js';
import { functionCandidate } from './function-candidate.js';
import { proposeTestCases } from './propose-cases.js';
import { finishTestsFile, keepPassingCasesIn, startTestsFile, testsCoverageIn } from './test-cases.js';

export async function composeFile(input: GenerateFileInput): Promise<GenerateFileResult> {
  const { phase } = input;
  if (isContractPhase(phase)) return await composeCode(input, phase);
  if (phase === 'tests') return await composeTests(input);
  return await generateFile(input);
}

/** Composes one code file (models, repository, handlers or server). */
export function composeCode(input: GenerateFileInput, phase: ContractPhase): Promise<GenerateFileResult> {
  const file = { ...input, phase };
  const model = { spec: input.spec, phase, repair: input.repair, llm: input.llm, dbPath: input.dbPath };
  return withToolchain(input.outputDir, undefined, (session) =>
    composeCodeFile({
      start: () => startCodeFile(file),
      check: (hole, bodies, candidate) => checkFunctionIn(session, { ...file, hole, bodies, candidate }),
      ask: (hole, attempt, fix) => functionCandidate({ ...model, hole, attempt, fix }),
      finish: async (outcome) => (await finishCodeFileIn(session, { ...file, model: input.llm.model, outcome })).file,
    }),
  );
}

/** Composes the tests file from the model's cases. */
export function composeTests(input: GenerateFileInput): Promise<GenerateFileResult> {
  const { spec, llm, dbPath, repair } = input;
  return withToolchain(input.outputDir, undefined, (session) =>
    composeTestsFile(
      {
        start: () => startTestsFile(input),
        propose: (ask, note) => proposeTestCases({ spec, ask, note, repair: repair !== undefined, llm, dbPath }),
        keepPassing: (cases) => keepPassingCasesIn(session, { ...input, cases }),
        coverage: () => testsCoverageIn(session, input),
        finish: async (outcome) => (await finishTestsFile({ ...input, phase: 'tests', model: llm.model, ...outcome })).file,
      },
      spec,
      input.coverageGoal,
      repair,
    ),
  );
}
