// The guided strategy's file phases as one activity: code files from a contract and function
// bodies, the tests file from the model's cases, the README as prose (whole, as before).
import type { GenerateFileInput, GenerateFileResult } from '../../workflows/types.js';
import { generateFile } from '../llm/generate-file.js';
import { composeCode } from './compose-code.js';
import { isContractPhase } from './contract.js';
import { composeTests } from './test-cases.js';

export async function composeFile(input: GenerateFileInput): Promise<GenerateFileResult> {
  if (isContractPhase(input.phase)) return await composeCode(input, input.phase);
  if (input.phase === 'tests') return await composeTests(input);
  return await generateFile(input);
}
