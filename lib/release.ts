// The release this code is: package.json's version, its one home. Recorded on every run it
// starts (the OvernightRelease search attribute), so a later release knows which recorded runs
// it must still replay (docs/versioning.md).
import { readFileSync } from 'node:fs';
import { projectPath } from './project-root.js';

export const RELEASE = (JSON.parse(readFileSync(projectPath('package.json'), 'utf8')) as { version: string }).version;
