// Where and with what the figures were measured: they mean little without it.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { temporalBinary } from '../client/temporal-server.js';

export interface Machine {
  date: string;
  cpu: string;
  cores: number;
  ramGb: number;
  versions: { node: string; go: string; temporal: string; sdk: string };
  /** The checkout measured: its commit, "-dirty" with uncommitted changes (others' work in progress, too). */
  commit: string;
}

function output(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'not found';
  }
}

const firstLine = (cmd: string, args: string[]) => output(cmd, args).split('\n')[0]!;

/** `temporal --version`; a CLI built with `go install` says 0.0.0-DEV, so its module version is added. */
function temporalVersion(bin: string | null): string {
  if (!bin) return 'temporal not found';
  const said = firstLine(bin, ['--version']).replace(/^temporal version /, '');
  const mod = /\bmod\s+github\.com\/temporalio\/cli\s+(v\S+)/.exec(output('go', ['version', '-m', bin]));
  return `temporal CLI ${mod ? `${mod[1]} ` : ''}${said}`;
}

function cpuModel(): string {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (match) return match[1]!.trim();
  } catch {
    // not Linux: fall through to what Node knows
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

export function describeMachine(): Machine {
  const sdk = JSON.parse(readFileSync(new URL('../node_modules/@temporalio/worker/package.json', import.meta.url), 'utf8')) as { version: string };
  return {
    date: new Date()
      .toISOString()
      .replace(/:\d\d\.\d+Z$/, ' UTC')
      .replace('T', ' '),
    cpu: cpuModel(),
    cores: os.availableParallelism(),
    ramGb: Math.round(os.totalmem() / 2 ** 30),
    commit: output('git', ['-C', fileURLToPath(new URL('..', import.meta.url)), 'describe', '--always', '--dirty']),
    versions: {
      node: process.version,
      go: firstLine('go', ['version']).replace(/^go version /, ''),
      temporal: temporalVersion(temporalBinary()),
      sdk: sdk.version,
    },
  };
}

/** One line under a section's heading: sections are measured at different times. */
export function measuredLine(m: Machine, reps: number): string {
  return `_Measured ${m.date}, ${m.cores} cores, BENCH_REPS=${reps}._`;
}
