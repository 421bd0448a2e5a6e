// Child of image-worker.test.ts: validates one planted project as the compose stack's worker
// does (the parent starts it as that worker's user, with its environment) and prints the
// validation report as one JSON line.
import { validateProject } from '../../activities/go/validate.js';
import { TODO_SPEC } from '../support/scripted-ollama.js';

const report = await validateProject({ outputDir: process.argv[2]!, spec: TODO_SPEC, coverageGoal: 70, timeoutMs: 120_000 });
process.stdout.write(JSON.stringify(report) + '\n');
