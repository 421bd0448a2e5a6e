// Activities kept only for runs recorded before the model queue (docs/versioning.md): the whole
// preflight, and each file phase as ONE activity that calls the model and writes the file. They
// run on the run's own task queue, with the serving worker's own model server when it has one.
import { composeFile } from './guided/compose-file.js';
import { generateFile } from './llm/generate-file.js';
import { withHistory } from './files/git-history.js';
import { preflight } from './preflight.js';
import { servesCalls, servesProbes, type ModelWorkerOwns } from './model-activities.js';

export function createLegacyCalls(owns: Pick<ModelWorkerOwns, 'server'>) {
  const call = servesCalls(owns);
  return {
    preflight: servesProbes(owns)(preflight),
    // The file phases commit what they write into the output folder's git history.
    generateFile: call(withHistory(generateFile)),
    composeFile: call(withHistory(composeFile)),
  };
}

export type LegacyCalls = ReturnType<typeof createLegacyCalls>;
