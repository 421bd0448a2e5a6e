// docker-compose.yml is for users (no Docker engine runs here): check it the way Compose itself
// reads it, with `docker-compose config`, when the Debian package is installed. What the
// workers' commands do is test/e2e/compose-workers.test.ts's part.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { FLAGS } from '../../client/flags.js';
import { onPath, skipUnless } from '../support/expect.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const skip = skipUnless('docker-compose', onPath('docker-compose'), 'docker-compose is not installed (make test installs it)');

interface Service {
  ports?: (string | { host_ip?: string; published?: string | number })[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  command?: string[];
  environment?: Record<string, string>;
  volumes?: unknown[];
  user?: string;
  deploy?: unknown;
  entrypoint?: string[];
  security_opt?: string[];
}

function config(...files: string[]): Record<string, Service> {
  const args = files.flatMap((f) => ['-f', f]);
  const text = execFileSync('docker-compose', [...args, 'config'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, PWD: '/home/me/night' } });
  return (parseYaml(text) as { services: Record<string, Service> }).services;
}

test(
  'the stack: temporal, ollama with a one-shot pull, a one-shot folders, a workspace worker and a model worker, each started once what it needs is healthy',
  { skip },
  () => {
    const services = config('docker-compose.yml');
    assert.deepEqual(Object.keys(services).sort(), ['folders', 'model-worker', 'ollama', 'ollama-pull', 'temporal', 'worker']);
    assert.deepEqual(services.worker!.command, ['node', 'bin/overnight-llm.js', 'worker', '-serve', 'workflows,workspace']);
    assert.deepEqual(services['model-worker']!.command, ['node', 'bin/overnight-llm.js', 'worker', '-serve', 'model']);
    assert.equal(services['model-worker']!.environment?.OLLAMA_HOST, 'http://ollama:11434', 'the model endpoint is the model worker’s own');
    assert.equal(services.worker!.environment?.OLLAMA_HOST, undefined, 'the workspace worker never calls the model');
    assert.equal(services.worker!.depends_on?.temporal?.condition, 'service_healthy');
    assert.equal(services['model-worker']!.depends_on?.['ollama-pull']?.condition, 'service_completed_successfully');
    for (const name of ['worker', 'model-worker'])
      assert.equal(services[name]!.depends_on?.folders?.condition, 'service_completed_successfully', `${name} waits for its folders`);
    // The image's user owns /home/temporal: a new volume there is its own, no chown needed.
    assert.deepEqual(services.temporal!.volumes, ['temporal-data:/home/temporal:rw']);
    assert.equal(services.temporal!.depends_on, undefined);
    for (const name of ['temporal', 'ollama']) assert.ok(services[name]!.healthcheck?.test.length, `${name} has a healthcheck`);
  },
);

test('every port listens on 127.0.0.1 only; the output folder is mounted at the same absolute path as on the host', { skip }, () => {
  const services = config('docker-compose.yml');
  const published = Object.values(services).flatMap((s) => s.ports ?? []);
  assert.equal(published.length, 3);
  for (const port of published) assert.equal(typeof port === 'string' ? port.split(':')[0] : port.host_ip, '127.0.0.1', JSON.stringify(port));
  assert.match(JSON.stringify(services.worker!.volumes), /\/home\/me\/night\/overnight.*\/home\/me\/night\/overnight/);
  assert.match(services.worker!.user ?? '', /^\d+:\d+$/);
});

test('one default model: the one compose pulls is the CLI’s -model default, and OVERNIGHT_MODEL moves both', { skip }, () => {
  assert.deepEqual(config('docker-compose.yml')['ollama-pull']!.entrypoint, ['ollama', 'pull', FLAGS.model.default]);
  assert.equal(FLAGS.model.env, 'OVERNIGHT_MODEL');
});

test('the state folders are volumes, handed with the output folder to the workers’ user before they start', { skip }, () => {
  const services = config('docker-compose.yml');
  assert.deepEqual(services['model-worker']!.volumes, ['model-worker-state:/state:rw']);
  assert.deepEqual(services.worker!.volumes, ['/home/me/night/overnight:/home/me/night/overnight:rw', 'worker-state:/state:rw']);
  for (const name of ['worker', 'model-worker']) assert.equal(services[name]!.environment?.OVERNIGHT_STATE_DIR, '/state');
  assert.equal(services.folders!.user, '0:0');
  assert.deepEqual(services.folders!.command, ['chown', `${services.worker!.user}`, '/home/me/night/overnight', '/state/worker', '/state/model-worker']);
  assert.deepEqual(services.folders!.volumes, [
    '/home/me/night/overnight:/home/me/night/overnight:rw',
    'worker-state:/state/worker:rw',
    'model-worker-state:/state/model-worker:rw',
  ]);
});

test('the workspace worker alone may build namespaces: the shipped seccomp profile, no AppArmor, unmasked /proc', { skip }, () => {
  const services = config('docker-compose.yml');
  assert.deepEqual(services.worker!.security_opt?.slice(1), ['apparmor=unconfined', 'systempaths=unconfined']);
  assert.match(services.worker!.security_opt?.[0] ?? '', /^seccomp[:=]/);
  assert.equal(services['model-worker']!.security_opt, undefined, 'the model worker runs no generated code');
  const profile = JSON.parse(readFileSync(new URL('../../deploy/seccomp-userns.json', import.meta.url), 'utf8')) as {
    defaultAction: string;
    syscalls: { names: string[]; action: string; errnoRet: number }[];
  };
  const refused = new Set(profile.syscalls.flatMap((r) => (r.action === 'SCMP_ACT_ALLOW' ? [] : r.names)));
  for (const needed of ['unshare', 'mount', 'umount2', 'clone']) assert.ok(!refused.has(needed), `${needed} is refused`);
  for (const danger of ['kexec_load', 'init_module', 'bpf', 'setns', 'ptrace', 'keyctl', 'io_uring_setup', 'open_by_handle_at'])
    assert.ok(refused.has(danger), `${danger} is allowed`);
});

test('the GPU override adds an NVIDIA device to ollama alone', { skip }, () => {
  const services = config('docker-compose.yml', 'docker-compose.gpu.yml');
  assert.match(JSON.stringify(services.ollama!.deploy), /nvidia/);
  assert.equal(services.worker!.deploy, undefined);
});
