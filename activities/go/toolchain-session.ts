// The Go toolchain on generated code for the length of one activity: the minimal environment,
// a scratch folder of this worker's (swept when the worker is gone), and the containment that
// go vet, build and test run in. validate.ts and the guided strategy's checks both use it.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { openContainment, type Containment } from './containment.js';
import { defaultToolchainDirs, runTool, toolchainEnv, type ToolchainDirs, type ToolResult } from './run-tool.js';

/** A scratch folder under the state folder, <pid>-xxxxxx, with an empty tmp/ for TMPDIR. */
export function makeScratch(dirs: ToolchainDirs): string {
  mkdirSync(dirs.scratchDir, { recursive: true });
  const dir = mkdtempSync(path.join(dirs.scratchDir, `${process.pid}-`));
  mkdirSync(path.join(dir, 'tmp'));
  return dir;
}

export interface ToolchainSession {
  env: Record<string, string>;
  /** The scratch folder (removed by close). */
  tmp: string;
  containment: Containment;
  /** `go args` in the project (or `cwd`, a folder under tmp), contained, within `timeoutMs`. */
  go(args: string[], timeoutMs: number, signal?: AbortSignal, maxOutputBytes?: number, cwd?: string): Promise<ToolResult>;
  close(): Promise<void>;
}

export async function openToolchainSession(outputDir: string, dirs: ToolchainDirs = defaultToolchainDirs()): Promise<ToolchainSession> {
  const env = toolchainEnv(dirs);
  const tmp = makeScratch(dirs);
  env.TMPDIR = path.join(tmp, 'tmp');
  const containment = await openContainment({ writable: [outputDir, dirs.goCacheDir, dirs.homeDir, tmp], tmpDir: env.TMPDIR });
  return {
    env,
    tmp,
    containment,
    go: (args, timeoutMs, signal, maxOutputBytes, cwd = outputDir) => runTool('go', args, { cwd, env, timeoutMs, signal, maxOutputBytes, containment }),
    async close() {
      await containment.close();
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}
