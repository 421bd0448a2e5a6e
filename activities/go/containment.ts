// Containment for the commands that run generated code (go vet, build, test, the smoke server).
// On Linux each one runs in fresh user, network, pid and mount namespaces (`unshare`, util-linux):
//  - network: a loopback interface only (brought up with ip(8), which httptest servers need);
//    the internet and the host's own addresses are unreachable;
//  - pid: the command is pid 1 of its namespace, so when the group kill reaches it the kernel
//    kills everything inside, even processes that left the process group (setsid);
//  - mount: a fresh /proc (the worker's environment is not readable through /proc/PID/environ),
//    every mount read-only except the project, the Go caches and the scratch folder, and a
//    size-capped tmpfs as TMPDIR.
// Limits: RLIMIT_FSIZE per file, RLIMIT_NPROC set inside the user namespace (so it counts that
// namespace's processes, not the user's whole session; the kernel exempts real root from it),
// and as root a pids cgroup (pids-cgroup.ts). The strongest level that works is probed once per
// process; a machine that allows no namespaces gets the file-size limit alone.
import { execa } from 'execa';
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openPidsCgroup, type PidsCgroup } from './pids-cgroup.js';

export type ContainmentLevel = 'namespaces+readonly' | 'namespaces' | 'none';

/** The level CI's machines have (.ci/run): anything less is said at worker start and in status.json. */
export const CI_LEVEL: ContainmentLevel = 'namespaces+readonly';
const LEVELS: ContainmentLevel[] = ['none', 'namespaces', CI_LEVEL];

/** What generated code can do here that it cannot at the CI level, or null at that level. */
export function weakerThanCi(level: ContainmentLevel): string | null {
  if (LEVELS.indexOf(level) >= LEVELS.indexOf(CI_LEVEL)) return null;
  return level === 'none' ? 'it can reach the network and write wherever this worker can' : 'it can write wherever this worker can';
}

/** The worker's start-up warning when containment is weaker than CI's, else null. */
export function containmentWarning({ level, reason }: Pick<Probe, 'level' | 'reason'>): string | null {
  const weaker = weakerThanCi(level);
  if (!weaker) return null;
  return `WARNING: generated code runs with containment "${level}"${reason ? ` (${reason})` : ''}, weaker than "${CI_LEVEL}": ${weaker}. Docker: docs/several-machines.md#the-sandbox-in-a-container`;
}

export interface Limits {
  /** RLIMIT_FSIZE: the largest file a contained process may write. */
  fileBytes: number;
  /** RLIMIT_NPROC inside the user namespace, and the pids cgroup's pids.max (threads count too). */
  processes: number;
  /** Size of the tmpfs mounted as TMPDIR (at the read-only level). */
  tmpfsBytes: number;
}

export const DEFAULT_LIMITS: Limits = { fileBytes: 64 * 2 ** 20, processes: 4096, tmpfsBytes: 256 * 2 ** 20 };

export interface ContainSpec {
  /** Folders that stay writable: the project, the Go caches, the scratch folder. */
  writable: string[];
  /** TMPDIR of the contained commands: a tmpfs at the read-only level, else a plain folder. */
  tmpDir: string;
  limits?: Partial<Limits>;
}

export interface Containment {
  level: ContainmentLevel;
  /** True when contained commands reach loopback only (the smoke run then probes through a bridge). */
  isolatesNetwork: boolean;
  /** What ran, for the validation report. */
  label: string;
  /** How many tasks the contained commands may have at once, or null when nothing enforces a cap. */
  maxProcesses: number | null;
  /** The command line that runs `cmd args` contained. */
  wrap(cmd: string, args: string[]): { file: string; args: string[] };
  close(): Promise<void>;
}

export interface Probe {
  level: ContainmentLevel;
  tools: Tools;
  /** Why a stronger level did not work. */
  reason: string;
}

interface Tools {
  unshare?: string;
  ip?: string;
  mount?: string;
  prlimit?: string;
}

// Runs inside the namespaces as their root: args are ip, mount, readonly (1/0), tmpDir, tmpfs
// size, the writable folders, `--`, then the command. Any failure exits 97: never half contained.
const INNER = `ip=$1 mnt=$2 ro=$3 tmp=$4 size=$5; shift 5
fail() { echo "containment: $*" >&2; exit 97; }
"$ip" link set lo up || fail "cannot bring up loopback"
if [ "$ro" = 1 ]; then
  while read -r _ _ _ _ mp opts _; do
    mp=$(printf '%b' "$mp"); o=\${opts#r[ow]}
    "$mnt" -o "remount,bind,ro$o" "$mp" || fail "cannot make $mp read-only"
  done < /proc/self/mountinfo
  while [ "$1" != -- ]; do
    { "$mnt" --bind "$1" "$1" && "$mnt" -o remount,bind,rw "$1"; } || fail "cannot keep $1 writable"
    shift
  done
  "$mnt" -t tmpfs -o "size=$size,mode=700" tmpfs "$tmp" || fail "cannot mount a tmpfs on $tmp"
fi
while [ "$1" != -- ]; do shift; done; shift
cd -P "$PWD" || fail "cannot enter $PWD" # the old working folder is the mount beneath the writable bind
exec "$@"`;

const NAMESPACES = ['--user', '--map-root-user', '--net', '--pid', '--fork', '--kill-child'];
const MOUNT_NAMESPACE = ['--mount', '--propagation', 'private', '--mount-proc'];

function commandLine(level: ContainmentLevel, tools: Tools, spec: ContainSpec, limits: Limits, cmd: string, args: string[]): string[] {
  let argv = [cmd, ...args];
  const inUserNamespace = level !== 'none';
  // Outside a user namespace RLIMIT_NPROC would count every process of the user's session.
  if (tools.prlimit) argv = [tools.prlimit, `--fsize=${limits.fileBytes}`, ...(inUserNamespace ? [`--nproc=${limits.processes}`] : []), '--', ...argv];
  if (inUserNamespace) {
    const readonly = level === 'namespaces+readonly';
    argv = [
      tools.unshare!,
      ...NAMESPACES,
      ...(readonly ? MOUNT_NAMESPACE : []),
      '/bin/sh',
      '-c',
      INNER,
      'contain',
      tools.ip!,
      tools.mount ?? 'mount',
      readonly ? '1' : '0',
      spec.tmpDir,
      String(limits.tmpfsBytes),
      ...spec.writable,
      '--',
      ...argv,
    ];
  }
  return argv;
}

/** The tool's absolute path; ip(8) lives in sbin, which a user's PATH may lack. */
function findTool(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/sbin', '/usr/bin', '/bin'];
  for (const dir of dirs.filter(Boolean)) {
    try {
      accessSync(path.join(dir, name), constants.X_OK);
      return path.join(dir, name);
    } catch {
      // not here
    }
  }
  return undefined;
}

async function probe(): Promise<Probe> {
  const tools: Tools = { unshare: findTool('unshare'), ip: findTool('ip'), mount: findTool('mount'), prlimit: findTool('prlimit') };
  if (process.platform !== 'linux') return { level: 'none', tools, reason: `namespaces are Linux only (this is ${process.platform})` };
  const missing = (['unshare', 'ip', 'mount'] as const).filter((t) => !tools[t]);
  if (missing.length) return { level: 'none', tools, reason: `${missing.join(', ')} not found` };
  const dir = mkdtempSync(path.join(os.tmpdir(), 'overnight-contain-probe-'));
  const reasons: string[] = [];
  try {
    mkdirSync(path.join(dir, 'tmp'));
    for (const level of ['namespaces+readonly', 'namespaces'] as const) {
      // The probe's command checks what the level promises: one interface, loopback, and it is up.
      const check = '[ "$("$0" -o link show | wc -l)" = 1 ] && "$0" -o link show up | grep -q " lo:"';
      const [file, ...args] = commandLine(level, tools, { writable: [dir], tmpDir: path.join(dir, 'tmp') }, DEFAULT_LIMITS, '/bin/sh', [
        '-c',
        check,
        tools.ip!,
      ]);
      const r = await execa(file!, args, {
        cwd: dir,
        reject: false,
        timeout: 10_000,
        stdin: 'ignore',
        extendEnv: false,
        env: { PATH: process.env.PATH ?? '' },
      });
      if (r.exitCode === 0) return { level, tools, reason: reasons.join('; ') };
      reasons.push(
        `${level}: ${String(r.stderr || r.shortMessage)
          .trim()
          .split('\n')
          .pop()}`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { level: 'none', tools, reason: reasons.join('; ') };
}

let probed: Promise<Probe> | undefined;

/** The containment this machine allows, probed once per process. */
export function containmentLevel(): Promise<Probe> {
  probed ??= probe();
  return probed;
}

const mib = (bytes: number) => `${Math.round(bytes / 2 ** 20)}MiB`;

/** Containment for one validation: `wrap` each command that runs generated code, `close` at the end. */
export async function openContainment(spec: ContainSpec): Promise<Containment> {
  const { level, tools, reason } = await containmentLevel();
  const limits = { ...DEFAULT_LIMITS, ...spec.limits };
  const cgroup: PidsCgroup | null = openPidsCgroup(limits.processes);
  const parts: string[] = [];
  if (level === 'none') parts.push(`no namespaces (${reason})`);
  else
    parts.push(
      `namespaces: user, network (loopback only), pid${level === 'namespaces+readonly' ? `, mount (read-only but the project, Go caches and scratch; TMPDIR tmpfs ${mib(limits.tmpfsBytes)})` : ''}`,
    );
  if (level === 'namespaces' && reason) parts.push(`no read-only mounts (${reason})`);
  if (tools.prlimit) parts.push(`file size ≤ ${mib(limits.fileBytes)}`);
  else parts.push('no rlimits (prlimit not found)');
  const root = process.getuid?.() === 0;
  const nproc = Boolean(tools.prlimit) && level !== 'none';
  if (nproc) parts.push(`processes ≤ ${limits.processes}${root ? ' (RLIMIT_NPROC: not enforced for root)' : ''}`);
  if (cgroup) parts.push(`pids cgroup ≤ ${limits.processes}`);
  return {
    level,
    isolatesNetwork: level !== 'none',
    // Said first and in capitals: whoever reads status.json skims this line.
    label: (weakerThanCi(level) ? `WEAKER THAN CI (${CI_LEVEL}): ` : '') + parts.join('; '),
    maxProcesses: cgroup || (nproc && !root) ? limits.processes : null,
    wrap(cmd, args) {
      let argv = commandLine(level, tools, spec, limits, cmd, args);
      // Join the cgroup before anything else starts, so every descendant is counted.
      if (cgroup) argv = ['/bin/sh', '-c', 'echo $$ > "$0" && exec "$@"', cgroup.procsFile, ...argv];
      return { file: argv[0]!, args: argv.slice(1) };
    },
    close: async () => cgroup?.remove(),
  };
}
