// The workflow code, bundled once per version of workflows/ and core/ (the domain it imports)
// and reused: bundling takes seconds of CPU, and the CLI starts a worker on every run.
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { projectPath } from '../lib/project-root.js';
import { stateDir } from '../lib/state-dir.js';

// The sources, also when this runs compiled from dist/: the bundler compiles them itself.
export const WORKFLOWS_DIR = projectPath('workflows');
export const WORKFLOWS_PATH = path.join(WORKFLOWS_DIR, 'index.ts');
/** The folders the bundle is compiled from: the workflows and the pure domain they import. */
const BUNDLED_DIRS = [WORKFLOWS_DIR, projectPath('core')];
const SDK_PACKAGE = projectPath('node_modules', '@temporalio', 'workflow', 'package.json');

/** A hash of everything the bundle is made of: the workflow and core sources and the SDK version (an edit in core/ bundled anew). */
export function workflowSourceHash(): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.name.endsWith('.ts')) hash.update(path.relative(WORKFLOWS_DIR, file)).update(readFileSync(file));
    }
  };
  for (const dir of BUNDLED_DIRS) walk(dir);
  if (existsSync(SDK_PACKAGE)) hash.update(readFileSync(SDK_PACKAGE));
  return hash.digest('hex').slice(0, 16);
}

/** The path of a bundle for the current sources, bundling first when there is none yet. */
export async function cachedWorkflowBundle(dir = path.join(stateDir(), 'workflow-bundles')): Promise<string> {
  const file = path.join(dir, `workflows-${workflowSourceHash()}.js`);
  if (existsSync(file)) return file;
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: new DefaultLogger('WARN') });
  mkdirSync(dir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, code);
  renameSync(tmp, file);
  return file;
}
