// The guided strategy's prompts for one function: the first request (the contracts it may use,
// the file as it stands, the function's steps, an example of the style) and the errors of a
// candidate for the fix request, each beside the line it points at.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ApiSpec } from '../../core/types.js';
import { parseGoErrors } from '../go/fixers.js';
import { loadPrompt, PROMPTS_DIR, renderPrompt } from '../llm/prompts.js';
import { contractFor, contractSummary, type ContractPhase, type FileContract, type FunctionHole } from './contract.js';
import { promptView } from './go-source.js';

/** prompts/examples/<phase>.go.txt: one function of another API written to the same rules, to show the idioms (only
 *  the repository has one: the 0.5B model copied the handlers' example, another API's names and all, into its answers). */
function exampleFor(phase: ContractPhase): string {
  const file = path.join(PROMPTS_DIR, 'examples', `${phase}.go.txt`);
  if (!existsSync(file)) return '';
  return `An example of the style, a function of another API (books), not of this module:\n\n\`\`\`go\n${readFileSync(file, 'utf8').trimEnd()}\n\`\`\`\n\n`;
}

/** The errors of one function for the fix prompt: each with the line it points at. */
export function errorsForPrompt(errors: string[], fileText: string, file: string): string {
  const lines = fileText.split('\n');
  const parsed = parseGoErrors(errors.join('\n'));
  if (parsed.length === 0) return errors.slice(0, 8).join('\n');
  return parsed
    .slice(0, 8)
    .map((e) => (e.file.endsWith(path.basename(file)) && lines[e.line - 1] ? `- \`${lines[e.line - 1].trim()}\`: ${e.message}` : `- ${e.file}: ${e.message}`))
    .join('\n');
}

/** prompts/function.txt for one function of `file`. */
export function functionPrompt(spec: ApiSpec, contract: FileContract, file: string, phase: ContractPhase, hole: FunctionHole): string {
  const contracts = contract.uses.map((p) => contractSummary(contractFor(spec, p as ContractPhase)));
  return renderPrompt(loadPrompt('function'), {
    module: spec.module,
    plural: spec.plural,
    contracts: contracts.length ? contracts.join('\n\n') : '(nothing yet: this is the first file)',
    path: file,
    file: promptView(contract).trimEnd(),
    name: hole.name,
    signature: hole.signature,
    steps: hole.steps.map((step, i) => `${i + 1}. ${step}`).join('\n'),
    example: exampleFor(phase),
  });
}
