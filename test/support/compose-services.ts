// docker-compose.yml's services as processes on this machine, which has no Docker engine: the
// file rendered by `docker-compose config` for a fresh folder (its $PWD) and a non-root user
// (OVERNIGHT_UID), each named volume a new root-owned folder as Docker makes one, the missing
// bind source made by root as Docker does, and each service's command and environment with its
// mount targets turned into those folders. Used by test/e2e/compose-workers.test.ts and the
// hostile layer, so both run generated code the way the image's worker does.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { PROJECT_ROOT } from './cli.js';

export const hasCompose = spawnSync('sh', ['-c', 'command -v docker-compose']).status === 0;

/** The non-root user the workers run as (scripts/setup.sh --for-tests makes it when run as root). */
export const TEST_USER = 'overnight-test';

export interface User {
  uid: number;
  gid: number;
}

/** The user to run as: this process's own when it is not root, else the set-up's TEST_USER. */
export function nonRootUser(): User {
  if (process.getuid!() !== 0) return { uid: process.getuid!(), gid: process.getgid!() };
  const id = (flag: string) => spawnSync('id', [flag, TEST_USER], { encoding: 'utf8' });
  const uid = id('-u');
  assert.equal(uid.status, 0, `no user ${TEST_USER}: run bash scripts/setup.sh --for-tests (as root it creates it)`);
  return { uid: Number(uid.stdout), gid: Number(id('-g').stdout) };
}

export interface LocalService {
  /** argv with container paths replaced. */
  argv: string[];
  env: Record<string, string>;
  user: User;
}

interface Service {
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  user?: string;
}

/** The stack rendered for `folder` (its $PWD) and `user`, with a place for each mount under `folder`. */
export function composeServices(folder: string, user: User, addresses: Record<string, string>): Record<string, LocalService> {
  const env = { ...process.env, PWD: folder, OVERNIGHT_UID: String(user.uid), OVERNIGHT_GID: String(user.gid) };
  const text = execFileSync('docker-compose', ['-f', 'docker-compose.yml', 'config'], { cwd: PROJECT_ROOT, encoding: 'utf8', env });
  const services = (parseYaml(text) as { services: Record<string, Service> }).services;
  const local: Record<string, LocalService> = {};
  for (const [name, s] of Object.entries(services)) {
    const mounts: [string, string][] = (s.volumes ?? []).map((v) => {
      const [source, target] = v.split(':') as [string, string];
      // A bind source Docker creates when missing (as root); a named volume is a new root-owned folder.
      const here = source.startsWith('/') ? source : path.join(folder, 'volumes', source);
      mkdirSync(here, { recursive: true });
      return [target, here];
    });
    const place = (value: string) => {
      for (const [target, here] of mounts) if (value === target || value.startsWith(`${target}/`)) return here + value.slice(target.length);
      return addresses[value] ?? value;
    };
    const [uid, gid] = (s.user ?? '0:0').split(':').map(Number) as [number, number];
    local[name] = {
      argv: (s.command ?? []).map(place),
      env: Object.fromEntries(Object.entries(s.environment ?? {}).map(([k, v]) => [k, place(v)])),
      user: { uid, gid },
    };
  }
  return local;
}

/** A fresh folder the user owns, as the folder a user runs `docker compose up` in. */
export function ownedFolder(folder: string, user: User): string {
  mkdirSync(folder, { recursive: true });
  chownSync(folder, user.uid, user.gid);
  return folder;
}
