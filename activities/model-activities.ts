// The activities that only call the model: served on the model task queue
// (core/task-queues.ts) by a worker beside the model server. None reads or writes the
// output folder; each returns text and usage (or waits for the server).
export { planApi } from './llm/plan-api.js';
export { waitForModelServer } from './llm/wait-for-model-server.js';
// Its name in runs recorded by 0.1.0, which still call it so (docs/versioning.md).
export { waitForModelServer as waitForOllama } from './llm/wait-for-model-server.js';
export { checkModelServer } from './preflight.js';
export { answerFileForWorkspace as answerFile } from './llm/generate-file.js';
export { functionCandidate } from './guided/function-candidate.js';
export { proposeTestCases } from './guided/propose-cases.js';
export { behaviourCandidate } from './plan/behaviour-candidate.js';
export { filterExamples } from './plan/filter-examples.js';
