// The activities of the run's own task queue: everything that works on the output folder, the
// mirror and the Go toolchain. Each is a plain async function; the workflow sees only their types.
import { finishCodeFile as finishOneCodeFile } from './guided/compose-code.js';
import { finishTestsFile as finishOneTestsFile } from './guided/test-cases.js';
import { writeAnsweredFile as writeOneAnsweredFile } from './llm/generate-file.js';
import { withHistory } from './files/git-history.js';

// The file phases commit what they write into the output folder's git history.
export const writeAnsweredFile = withHistory(writeOneAnsweredFile);
export const finishCodeFile = withHistory(finishOneCodeFile);
export const finishTestsFile = withHistory(finishOneTestsFile);
export { finishBehaviour } from './plan/behaviour.js';
export { checkWorkspace } from './preflight.js';
export { fileRequestForModel as fileRequest } from './llm/generate-file.js';
export { startCodeFile, checkFunction } from './guided/compose-code.js';
export { startTestsFile, keepPassingCases, testsCoverage } from './guided/test-cases.js';
export { writeScaffold } from './files/scaffold.js';
export { writePlanFile } from './files/plan-file.js';
export { writePlanProject, writePlanReadme } from './plan/project.js';
export { startBehaviour, checkBehaviour } from './plan/behaviour.js';
export { standInFailing } from './plan/stand-in.js';
export { validateProject } from './go/validate.js';
export { recordRun, recordPhase, recordValidation } from './store/mirror.js';
export { writeStatusReport } from './store/status-report.js';
export { writeMorningReport } from './store/morning-report.js';
