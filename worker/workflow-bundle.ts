// The workflow code, bundled once per version of workflows/ and reused: bundling takes
// seconds of CPU, and the CLI starts a worker on every run.
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { projectPath } from '../lib/project-root.js';
import { stateDir } from '../lib/state-dir.js';

// The sources, also when this runs compiled from dist/: the bundler compiles them itself.
export const WORKFLOWS_DIR = projectPath('workflows');
export const WORKFLOWS_PATH = path.join(WORKFLOWS_DIR, 'index.ts');
const SDK_PACKAGE = projectPath('node_modules', '@temporalio', 'workflow', 'package.json');

/** A hash of everything the bundle is made of: our workflow sources and the SDK version. */
export function workflowSourceHash(): string {
  const hash = createHash('sha256');
  for (const name of readdirSync(WORKFLOWS_DIR).sort()) {
    if (name.endsWith('.ts')) hash.update(name).update(readFileSync(path.join(WORKFLOWS_DIR, name)));
  }
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
