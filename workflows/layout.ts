// The generated project's layout (a DESIGN.md contract): the only paths a run may write, from the
// plan's resource name. Pure, so the workflow can name files in its summaries.
import type { ApiSpec, FilePhase } from './types.js';

export const RESOURCE_PATTERN = /^[a-z][a-z0-9]{0,29}$/;

export function filePathFor(phase: FilePhase, resource: string): string {
  if (!RESOURCE_PATTERN.test(resource)) throw new Error(`unsafe resource name ${JSON.stringify(resource)}`);
  switch (phase) {
    case 'models':
      return `internal/models/${resource}.go`;
    case 'repository':
      return `internal/repository/${resource}_repo.go`;
    case 'handlers':
      return `internal/handlers/${resource}_handler.go`;
    case 'server':
      return 'cmd/server/main.go';
    case 'tests':
      return `tests/${resource}_handler_test.go`;
    case 'readme':
      return 'README.md';
  }
}

/** Files the run itself writes, beside the LLM's. */
export const RUN_FILES = ['go.mod', 'status.json', '.overnight-llm.json'] as const;

/** Every path a run for this spec may write, relative to the output dir. */
export function allowedPaths(spec: Pick<ApiSpec, 'resource'>): Set<string> {
  const phases: FilePhase[] = ['models', 'repository', 'handlers', 'server', 'tests', 'readme'];
  return new Set([...phases.map((p) => filePathFor(p, spec.resource)), ...RUN_FILES]);
}

/** The folders scaffold creates. */
export const LAYOUT_DIRS = ['cmd/server', 'internal/models', 'internal/repository', 'internal/handlers', 'tests'];
