// Every activity the worker registers. Each is a plain async function; the workflow
// sees only their types.
export { preflight } from './preflight.js';
export { planApi } from './llm/plan-api.js';
export { generateFile } from './llm/generate-file.js';
export { composeFile } from './guided/compose-file.js';
export { waitForOllama } from './llm/wait-for-ollama.js';
export { writeScaffold } from './files/scaffold.js';
export { validateProject } from './go/validate.js';
export { recordRun, recordPhase, recordValidation } from './store/mirror.js';
export { writeStatusReport } from './store/status-report.js';
