// The generated project's layout (a docs/DESIGN.md contract), in one table: where each file phase's
// file goes, the Go package it declares, and which files its whole-file prompt carries. Every
// other place (allowed paths, scaffold's folders, the repair loop's file map, import fixing,
// extraction's package check) derives from it. Pure, so the workflow can name files too.
import { FILE_PHASES, type ApiSpec, type FilePhase } from './types.js';

export const RESOURCE_PATTERN = /^[a-z][a-z0-9]{0,29}$/;

interface FileLayout {
  /** The folder, relative to the output folder ('' for the top). */
  dir: string;
  /** The file's name in that folder, from the plan's resource. */
  name: (resource: string) => string;
  /** The Go package its code declares; null when the file is not Go. */
  goPackage: string | null;
  /** The files the phase's whole-file prompt shows the model, so it writes against real code. */
  carries: FilePhase[];
}

export const FILE_LAYOUT: Record<FilePhase, FileLayout> = {
  models: { dir: 'internal/models', name: (r) => `${r}.go`, goPackage: 'models', carries: [] },
  repository: { dir: 'internal/repository', name: (r) => `${r}_repo.go`, goPackage: 'repository', carries: ['models'] },
  handlers: { dir: 'internal/handlers', name: (r) => `${r}_handler.go`, goPackage: 'handlers', carries: ['models', 'repository'] },
  server: { dir: 'cmd/server', name: () => 'main.go', goPackage: 'main', carries: ['handlers'] },
  tests: { dir: 'tests', name: (r) => `${r}_handler_test.go`, goPackage: 'tests', carries: ['models', 'repository', 'handlers'] },
  readme: { dir: '', name: () => 'README.md', goPackage: null, carries: [] },
};

export function filePathFor(phase: FilePhase, resource: string): string {
  if (!RESOURCE_PATTERN.test(resource)) throw new Error(`unsafe resource name ${JSON.stringify(resource)}`);
  const { dir, name } = FILE_LAYOUT[phase];
  return dir ? `${dir}/${name(resource)}` : name(resource);
}

/** The phases whose file is Go code, in the order a repair should rewrite them. */
/** The guided strategy's code files: code writes their contract, the model each function body. */
export const CONTRACT_PHASES = ['models', 'repository', 'handlers', 'server'] as const satisfies readonly FilePhase[];
export type ContractPhase = (typeof CONTRACT_PHASES)[number];
export const isContractPhase = (p: FilePhase): p is ContractPhase => (CONTRACT_PHASES as readonly string[]).includes(p);

export const CODE_PHASES = FILE_PHASES.filter((p) => FILE_LAYOUT[p].goPackage !== null);

/** The Go packages other files import (`<module>/internal/…`): everything but main and the tests. */
export const LIBRARY_PHASES = CODE_PHASES.filter((p) => FILE_LAYOUT[p].dir.startsWith('internal/'));

/** The import path of a library phase's package. */
export const importPathFor = (module: string, phase: FilePhase) => `${module}/${FILE_LAYOUT[phase].dir}`;

/** The folders scaffold creates. */
export const LAYOUT_DIRS = CODE_PHASES.map((p) => FILE_LAYOUT[p].dir);

/** The Go package a generated path must declare: its layout entry's, else its folder's name. */
export function goPackageFor(path: string): string {
  const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
  const phase = CODE_PHASES.find((p) => FILE_LAYOUT[p].dir === dir);
  if (phase) return FILE_LAYOUT[phase].goPackage!;
  return dir.startsWith('cmd/') || dir === '' ? 'main' : dir.slice(dir.lastIndexOf('/') + 1);
}

/** The files of a run beside the Go project: the plan under review, the morning report, the run's marker. */
export const PLAN_FILE = 'plan.json';
export const REPORT_FILE = 'report.md';
export const MARKER_FILE = '.overnight-llm.json';
export const RUN_FILES = ['go.mod', 'openapi.yaml', 'status.json', MARKER_FILE, PLAN_FILE, REPORT_FILE] as const;

/** Every path a run for this spec may write, relative to the output dir. */
export function allowedPaths(spec: Pick<ApiSpec, 'resource'>): Set<string> {
  return new Set([...FILE_PHASES.map((p) => filePathFor(p, spec.resource)), ...RUN_FILES]);
}

/** -every: a start's own folder under the output folder, named after its start (UTC), e.g. 2026-12-03-013000. */
export function folderForStart(outputDir: string, start: Date): string {
  return `${outputDir.replace(/\/+$/, '')}/${startStamp(start)}`;
}

export const startStamp = (start: Date) => start.toISOString().slice(0, 19).replace(/:/g, '').replace('T', '-');
