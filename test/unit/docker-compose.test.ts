// docker-compose.yml is for users (no Docker engine runs here): check it the way Compose itself
// reads it, with `docker-compose config`, when the Debian package is installed. What the
// workers' commands do is test/e2e/compose-workers.test.ts's part.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
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
}

function config(...files: string[]): Record<string, Service> {
  const args = files.flatMap((f) => ['-f', f]);
  const text = execFileSync('docker-compose', [...args, 'config'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, PWD: '/home/me/night' } });
  return (parseYaml(text) as { services: Record<string, Service> }).services;
}

test('the stack: temporal, ollama with a one-shot pull, a workspace worker and a model worker, each started once what it needs is healthy', { skip }, () => {
  const services = config('docker-compose.yml');
  assert.deepEqual(Object.keys(services).sort(), ['model-worker', 'ollama', 'ollama-pull', 'temporal', 'temporal-data', 'worker']);
  assert.deepEqual(services.worker!.command, ['node', 'bin/overnight-llm.js', 'worker', '-serve', 'workflows,workspace']);
  assert.deepEqual(services['model-worker']!.command, ['node', 'bin/overnight-llm.js', 'worker', '-serve', 'model']);
  assert.equal(services['model-worker']!.environment?.OLLAMA_HOST, 'http://ollama:11434', 'the model endpoint is the model worker’s own');
  assert.equal(services.worker!.environment?.OLLAMA_HOST, undefined, 'the workspace worker never calls the model');
  assert.equal(services.worker!.depends_on?.temporal?.condition, 'service_healthy');
  assert.equal(services['model-worker']!.depends_on?.['ollama-pull']?.condition, 'service_completed_successfully');
  assert.equal(services.temporal!.depends_on?.['temporal-data']?.condition, 'service_completed_successfully', 'its volume is handed to uid 1000 first');
  for (const name of ['temporal', 'ollama']) assert.ok(services[name]!.healthcheck?.test.length, `${name} has a healthcheck`);
});

test('every port listens on 127.0.0.1 only; the output folder is mounted at the same absolute path as on the host', { skip }, () => {
  const services = config('docker-compose.yml');
  const published = Object.values(services).flatMap((s) => s.ports ?? []);
  assert.equal(published.length, 3);
  for (const port of published) assert.equal(typeof port === 'string' ? port.split(':')[0] : port.host_ip, '127.0.0.1', JSON.stringify(port));
  assert.match(JSON.stringify(services.worker!.volumes), /\/home\/me\/night\/overnight.*\/home\/me\/night\/overnight/);
  assert.match(services.worker!.user ?? '', /^\d+:\d+$/);
});

test('the GPU override adds an NVIDIA device to ollama alone', { skip }, () => {
  const services = config('docker-compose.yml', 'docker-compose.gpu.yml');
  assert.match(JSON.stringify(services.ollama!.deploy), /nvidia/);
  assert.equal(services.worker!.deploy, undefined);
});
