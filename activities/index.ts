// Every activity the worker registers. Each is a plain async function; the workflow
// sees only their types.
export { preflight } from './preflight.js';
export { planApi } from './llm/plan-api.js';
import { composeFile as composeOneFile } from './guided/compose-file.js';
import { generateFile as generateOneFile } from './llm/generate-file.js';
import { withHistory } from './files/git-history.js';

// The file phases commit what they write into the output folder's git history.
export const generateFile = withHistory(generateOneFile);
export const composeFile = withHistory(composeOneFile);
export { waitForOllama } from './llm/wait-for-ollama.js';
export { writeScaffold } from './files/scaffold.js';
export { writePlanFile } from './files/plan-file.js';
export { validateProject } from './go/validate.js';
export { recordRun, recordPhase, recordValidation } from './store/mirror.js';
export { writeStatusReport } from './store/status-report.js';
export { writeMorningReport } from './store/morning-report.js';
