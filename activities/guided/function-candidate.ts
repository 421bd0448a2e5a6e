// One function body from the model, the guided strategy's model side: the prompt names the
// function and its steps (function-prompt.ts); a fix request shows the best answer so far with
// its errors. The answer is started for the model with the function's signature and stops at
// its closing brace. No file is read or written here: the workspace checks the answer
// (compose-code.ts), and the loop between them is core/guided-code.ts.
import type { ApiSpec, LlmSettings, LlmUsage, RepairRequest } from '../../core/types.js';
import type { FixRequest } from '../../core/guided-code.js';
import { ApplicationFailure } from '@temporalio/activity';
import { chatOnce } from '../llm/chat.js';
import { NO_USAGE } from '../../core/usage.js';
import type { Message } from '../llm/ollama.js';
import { llmForPhase } from '../llm/phase-options.js';
import { loadPrompt, renderPrompt } from '../llm/prompts.js';
import { contractFor, type ContractPhase } from './contract.js';
import { functionPrompt } from './function-prompt.js';
import { answerStart, continuedAnswer, finishedBeforeCut } from './go-source.js';
import { recordFunctionCandidate } from '../run-metrics.js';

/** Tokens one function's answer may have (num_predict). */
const FUNCTION_MAX_TOKENS = 1024;
/** Generation ends at the function's closing brace: gofmt puts it alone at the start of a line. */
const FUNCTION_END = ['\n}\n'];

export interface FunctionCandidateInput {
  spec: ApiSpec;
  phase: ContractPhase;
  hole: string;
  repair?: RepairRequest;
  /** Which try for this function (0 is the run's own options; later ones another seed, warmer). */
  attempt: number;
  fix?: FixRequest;
  llm: LlmSettings;
  /** The response cache (the model worker's own, or the run's mirror when it serves the workspace too). */
  dbPath: string;
}

/** The model's answer for one function: the whole answer text (its start included) and the usage. */
export async function functionCandidate(input: FunctionCandidateInput): Promise<{ content: string; usage: LlmUsage }> {
  const contract = contractFor(input.spec, input.phase);
  const hole = contract.holes.find((h) => h.name === input.hole);
  if (!hole) throw new Error(`${contract.path} has no function ${input.hole} in its contract`);
  const prompt =
    functionPrompt(input.spec, contract, contract.path, input.phase, hole) +
    (input.repair ? `\nThe last validation of the module said:\n${input.repair.errors.slice(0, 1500)}\n` : '');
  const llm = llmForPhase(input.llm, input.repair ? 'repair' : input.phase);
  // A repair round is a new sample: the same seed would replay the cached failing answer.
  const seedOffset = (input.repair?.round ?? 0) * 7919;
  return askForFunction({ ...input, llm, prompt, hole, seedOffset, label: `${contract.path} ${hole.name}` });
}

export interface FunctionRequest {
  /** The phase's settings (llmForPhase). */
  llm: LlmSettings;
  prompt: string;
  hole: { name: string; signature: string; steps: string[] };
  attempt: number;
  fix?: FixRequest;
  seedOffset?: number;
  dbPath: string;
  label: string;
}

/** One function asked of the model, started with its signature; shared by the guided functions and behaviour.go's methods. */
export async function askForFunction(request: FunctionRequest): Promise<{ content: string; usage: LlmUsage }> {
  const { hole, fix, attempt: i } = request;
  recordFunctionCandidate(request.label);
  const base: Message[] = [
    { role: 'system', content: loadPrompt('system') },
    { role: 'user', content: request.prompt },
  ];
  // One function never needs more; a small model that starts rewriting the whole file is cut short.
  const numPredict = Math.min(request.llm.options.num_predict || FUNCTION_MAX_TOKENS, FUNCTION_MAX_TOKENS);
  const llm = { ...request.llm, options: { ...request.llm.options, num_predict: numPredict } };
  const seed = (llm.options.seed ?? 0) + (request.seedOffset ?? 0);
  const messages: Message[] = fix
    ? [
        ...base,
        { role: 'assistant', content: fix.answer },
        { role: 'user', content: renderPrompt(loadPrompt('function-fix'), { errors: fix.errors, signature: hole.signature }) },
      ]
    : base;
  // Another sample is another seed and a warmer temperature; the first is the run's own options.
  // At the run's own temperature a small model answers a fix request with the same function:
  // fixes run warmer, and other samples warmer still, each with its own seed.
  const warmer = Math.max(fix ? 0.5 : 0.8, llm.options.temperature ?? 0);
  const options = i === 0 ? { ...llm.options, seed } : { ...llm.options, seed: seed + 1000 * i, temperature: warmer };
  // The answer is started for the model (a final assistant message it continues): it
  // writes this function's body, not a whole file, a `main` or another API's function.
  // A server that cannot continue one is asked without it, and its whole answer read.
  const start = answerStart(hole);
  let answer;
  try {
    answer = await chatOnce({ dbPath: request.dbPath, llm: { ...llm, options }, messages, prefill: start, stop: FUNCTION_END, label: request.label });
  } catch (err) {
    // An answer over the output cap is a bad candidate, not the run's end: the loop asks again.
    if (err instanceof ApplicationFailure && err.type === 'OutputTooLarge') return { content: '', usage: NO_USAGE };
    throw err;
  }
  const begun = answer.prefilled ? start : '';
  // No answer is better than half a function: the check then says none came (or it was cut off).
  if (answer.cutOff && !finishedBeforeCut(begun, answer.content, hole.name)) return { content: '', usage: answer.usage };
  return { content: continuedAnswer(begun, answer.content), usage: answer.usage };
}
