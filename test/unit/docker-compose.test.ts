// docker-compose.yml is for users (no Docker engine runs here): check it the way Compose
// itself reads it, with `docker-compose config`, when the Debian package is installed.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const hasCompose = spawnSync('sh', ['-c', 'command -v docker-compose']).status === 0;

test(
  'docker-compose.yml is a valid Compose file with temporal, ollama and the worker',
  { skip: hasCompose ? false : 'docker-compose is not installed (make test installs it)' },
  () => {
    const out = execFileSync('docker-compose', ['-f', 'docker-compose.yml', 'config', '--services'], { cwd: ROOT, encoding: 'utf8' });
    assert.deepEqual(out.trim().split('\n').sort(), ['ollama', 'temporal', 'worker']);
    const full = execFileSync('docker-compose', ['-f', 'docker-compose.yml', 'config'], { cwd: ROOT, encoding: 'utf8' });
    assert.match(full, /7233:7233|published: "?7233/);
    assert.match(full, /8233/);
    assert.match(full, /TEMPORAL_ADDRESS: temporal:7233/);
  },
);
