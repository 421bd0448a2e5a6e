// The project's folder (prompts/, workflows/, .tools/bin, package.json), whether this code runs
// from its TypeScript sources or compiled into dist/: the one place that knows the difference.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const parent = fileURLToPath(new URL('..', import.meta.url)); // the folder above lib/
export const PROJECT_ROOT = path.basename(parent) === 'dist' ? path.dirname(parent) : parent;

/** A path inside the project, e.g. projectPath('prompts'). */
export const projectPath = (...parts: string[]) => path.join(PROJECT_ROOT, ...parts);
