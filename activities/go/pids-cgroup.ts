// A pids cgroup per validation, for root only: the kernel exempts real root from RLIMIT_NPROC,
// so without it a fork bomb in a generated test would take the machine's pids until the time
// limit. cgroup v1 (/sys/fs/cgroup/pids) or v2 with the pids controller; null when neither can
// be written (every ordinary user), which containment.ts reports.
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { entriesOfDeadOwners } from './process-groups.js';

export interface PidsCgroup {
  /** Writing a pid here moves that process (and its future children) into the cgroup. */
  procsFile: string;
  /** Kills what is still inside and removes the cgroup. */
  remove(): Promise<void>;
}

const V1 = '/sys/fs/cgroup/pids';
const V2 = '/sys/fs/cgroup';
let made = 0;

/** The folder our cgroups live in, created (and on v2 given the pids controller) on first use. */
function parentCgroup(): string | null {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return null;
  if (existsSync(path.join(V1, 'tasks'))) {
    mkdirSync(path.join(V1, 'overnight-llm'), { recursive: true });
    return path.join(V1, 'overnight-llm');
  }
  const controllers = (() => {
    try {
      return readFileSync(path.join(V2, 'cgroup.controllers'), 'utf8');
    } catch {
      return '';
    }
  })();
  if (!/\bpids\b/.test(controllers)) return null;
  const parent = path.join(V2, 'overnight-llm');
  writeFileSync(path.join(V2, 'cgroup.subtree_control'), '+pids');
  mkdirSync(parent, { recursive: true });
  writeFileSync(path.join(parent, 'cgroup.subtree_control'), '+pids');
  return parent;
}

function killMembers(dir: string): void {
  if (existsSync(path.join(dir, 'cgroup.kill'))) {
    writeFileSync(path.join(dir, 'cgroup.kill'), '1');
    return;
  }
  for (const pid of readFileSync(path.join(dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean)) {
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      // gone already
    }
  }
}

/** rmdir fails while killed members are still being torn down: retry for a while, then leave it to the sweep. */
async function removeCgroup(dir: string): Promise<void> {
  for (let i = 0; i < 40; i++) {
    try {
      killMembers(dir);
      rmdirSync(dir);
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** A new cgroup allowing `maxPids` tasks, or null when this process may not make one. */
export function openPidsCgroup(maxPids: number): PidsCgroup | null {
  try {
    const parent = parentCgroup();
    if (!parent) return null;
    const dir = path.join(parent, `${process.pid}-${++made}`);
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'pids.max'), String(maxPids));
    return { procsFile: path.join(dir, 'cgroup.procs'), remove: () => removeCgroup(dir) };
  } catch {
    return null;
  }
}

/** Kills and removes the cgroups of workers that are gone. */
export async function sweepPidsCgroups(): Promise<void> {
  let parent: string | null;
  try {
    parent = parentCgroup();
  } catch {
    return;
  }
  if (parent) for (const name of entriesOfDeadOwners(parent)) await removeCgroup(path.join(parent, name));
}
