// The scaffold phase: go.mod, openapi.yaml and the folders, written by code, not by the LLM.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { ApiSpec, FileRef } from '../../workflows/types.js';
import { assertNoLinks } from './confine.js';
import { allowedPaths, LAYOUT_DIRS } from '../../workflows/layout.js';
import { openApiFor } from './openapi.js';
import { MARKER_FILE } from './output-dir.js';
import { writeFileAtomic } from './write-file.js';

export interface ScaffoldInput {
  workflowId: string;
  outputDir: string;
  spec: ApiSpec;
}

export function goModFor(spec: ApiSpec): string {
  // 1.22: the generated server uses ServeMux method and wildcard patterns.
  return `module ${spec.module}\n\ngo 1.22\n`;
}

export async function writeScaffold({ workflowId, outputDir, spec }: ScaffoldInput): Promise<FileRef[]> {
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
  return files.map(({ path: p, bytes, sha256 }) => ({ path: p, bytes, sha256 }));
}
