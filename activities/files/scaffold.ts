// The scaffold phase: go.mod, openapi.yaml and the folders, written by code, not by the LLM.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { ApiSpec, FileRef, GitMode } from '../../core/types.js';
import { commitFiles } from './git-history.js';
import { assertNoLinks } from './confine.js';
import { allowedPaths, LAYOUT_DIRS } from '../../core/layout.js';
import { openApiFor } from './openapi.js';
import { MARKER_FILE } from '../../core/layout.js';
import { writeFileAtomic } from './write-file.js';

export interface ScaffoldInput {
  workflowId: string;
  outputDir: string;
  spec: ApiSpec;
  git?: GitMode;
}

export function goModFor(spec: ApiSpec): string {
  // 1.22: the generated server uses ServeMux method and wildcard patterns.
  return `module ${spec.module}\n\ngo 1.22\n`;
}

export async function writeScaffold({ workflowId, outputDir, spec, git }: ScaffoldInput): Promise<FileRef[]> {
  const allowed = allowedPaths(spec);
  for (const dir of LAYOUT_DIRS) {
    // A folder already there (a retried scaffold, a restarted run) is fine; a link or a file is not.
    assertNoLinks(outputDir, dir, 'folder');
    mkdirSync(path.join(outputDir, dir), { recursive: true });
  }
  const marker = JSON.stringify({ workflowId, module: spec.module, resource: spec.resource }, null, 2) + '\n';
  const files = [
    writeFileAtomic(outputDir, 'go.mod', goModFor(spec), allowed),
    writeFileAtomic(outputDir, 'openapi.yaml', openApiFor(spec), allowed),
    writeFileAtomic(outputDir, MARKER_FILE, marker, allowed),
  ];
  const refs = files.map(({ path: p, bytes, sha256 }) => ({ path: p, bytes, sha256 }));
  await commitFiles(
    outputDir,
    git,
    refs.map((f) => f.path),
    `scaffold: ${refs.map((f) => f.path).join(', ')} (module ${spec.module}, resource ${spec.resource})`,
  );
  return refs;
}
