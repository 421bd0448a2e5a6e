// The process groups the toolchain activities start (go test, the smoke run's server), on
// disk as well as in memory: a worker killed with SIGKILL runs no exit handler, and its
// detached groups would outlive it (a smoke-run server listens forever). The next validation,
// in whatever worker, reaps the groups whose owner is gone.
import { mkdirSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stateDir } from '../../lib/state-dir.js';

interface GroupRecord {
  pgid: number;
  /** The leader's start time (clock ticks since boot), so a reused pid is not taken for it. */
  leaderStart: string | null;
  owner: number;
  ownerStart: string | null;
  /** A scratch folder of the group's (the smoke run's server binary), removed with it. */
  scratch?: string;
}

const groupsDir = () => path.join(stateDir(), 'process-groups');
const live = new Set<number>();

process.on('exit', () => {
  for (const pgid of live) killGroup(pgid);
});

/** SIGKILL a whole process group; a group that is already gone is fine. */
export function killGroup(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

/**
 * Resolves once no process of the group is left (a SIGKILLed process takes a moment to end,
 * and an orphan is reaped by init a moment later), or after `ms`: so a caller that killed a
 * group can say "nothing is left running" when it returns.
 */
export async function groupGone(pgid: number, ms = 2_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      process.kill(-pgid, 0);
    } catch {
      return true; // ESRCH: no process in the group (EPERM cannot happen for our own children)
    }
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Fields 3 (state) and 22 (start time) of /proc/PID/stat; null when the process is gone or there is no /proc. */
function procStat(pid: number): { state: string; start: string } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] ?? '', start: fields[19] ?? '' };
  } catch {
    return null;
  }
}

const startTime = (pid: number) => procStat(pid)?.start ?? null;

/** The process that recorded a group still runs (a zombie does not; a reused pid is another process). */
function alive(pid: number, start: string | null): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const now = procStat(pid);
  if (now === null) return true; // no /proc: kill(0) is all we know
  return now.state !== 'Z' && (start === null || now.start === start);
}

/** Entries of `dir` named `<pid>-…` whose pid runs no more: left behind by a killed worker. */
export function entriesOfDeadOwners(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.filter((name) => {
    const owner = /^(\d+)-/.exec(name)?.[1];
    return owner !== undefined && Number(owner) !== process.pid && !alive(Number(owner), null);
  });
}

/** Records a group this process leads the life of; killed on our exit or by the next reaper after a crash. */
export function trackGroup(pgid: number, scratch?: string): void {
  live.add(pgid);
  const record: GroupRecord = { pgid, leaderStart: startTime(pgid), owner: process.pid, ownerStart: startTime(process.pid), scratch };
  try {
    mkdirSync(groupsDir(), { recursive: true });
    writeFileSync(path.join(groupsDir(), `${pgid}.json`), JSON.stringify(record));
  } catch {
    // the in-memory record still covers a normal exit
  }
}

export function untrackGroup(pgid: number): void {
  live.delete(pgid);
  rmSync(path.join(groupsDir(), `${pgid}.json`), { force: true });
}

/** Kills the groups recorded by processes that are gone; returns how many records it cleared. */
export function reapOrphanedGroups(): number {
  let reaped = 0;
  let names: string[];
  try {
    names = readdirSync(groupsDir()).filter((n) => n.endsWith('.json'));
  } catch {
    return 0;
  }
  for (const name of names) {
    const file = path.join(groupsDir(), name);
    let record: GroupRecord;
    try {
      record = JSON.parse(readFileSync(file, 'utf8')) as GroupRecord;
    } catch {
      rmSync(file, { force: true }); // cut short by a crash mid-write
      continue;
    }
    if (alive(record.owner, record.ownerStart)) continue;
    // A live process with the leader's pid but another start time is a stranger (our group is
    // gone then: Linux reuses no pid that still names a group). Otherwise what is left is ours.
    const leaderStart = startTime(record.pgid);
    if (leaderStart === null || record.leaderStart === null || leaderStart === record.leaderStart) killGroup(record.pgid);
    if (record.scratch && path.basename(record.scratch).startsWith('overnight-')) rmSync(record.scratch, { recursive: true, force: true });
    rmSync(file, { force: true });
    reaped++;
  }
  return reaped;
}

/**
 * Kills every process whose working folder lies inside one of `folders`; returns how many.
 * A worker killed between starting a group and recording it (a few milliseconds) leaves no
 * record, but the group still works in that worker's scratch folder: found through /proc.
 */
export function killProcessesInside(folders: string[]): number {
  if (folders.length === 0) return 0;
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return 0; // no /proc: the records are all there is
  }
  let killed = 0;
  for (const pid of pids.map(Number)) {
    if (pid === process.pid) continue;
    let cwd: string;
    try {
      cwd = readlinkSync(`/proc/${pid}/cwd`);
    } catch {
      continue; // gone, or not ours to look at
    }
    if (!folders.some((f) => cwd === f || cwd.startsWith(f + path.sep))) continue;
    try {
      process.kill(pid, 'SIGKILL'); // a stopped process ends too
      killed++;
    } catch {
      // gone meanwhile
    }
  }
  return killed;
}
