// docker-compose.yml's two workers, started with exactly the commands and environment Compose
// would give them (read from `docker-compose config`; only the service names become this
// machine's addresses), against a dev server and a scripted Ollama: a run started from "the host"
// with -detach and an -ollama nobody answers at finishes valid, because the model worker calls
// its own endpoint. No Docker engine runs here; this is what can be checked without one.
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { stateDir } from '../../lib/state-dir.js';
import { checkApi, specFromOutput } from '../support/check-api.js';
import { cliSetup, PROJECT_ROOT, runCli, type CliSetup } from '../support/cli.js';
import { FIXTURE_DIR, tmpDir } from '../support/run-fixtures.js';
import { writersOf } from '../support/status-schema.js';

const hasCompose = spawnSync('sh', ['-c', 'command -v docker-compose']).status === 0;

interface Service {
  command: string[];
  environment: Record<string, string>;
}

let setup: CliSetup;
const workers: ChildProcess[] = [];

before(async () => {
  setup = await cliSetup({ fixtureDir: FIXTURE_DIR });
});

after(async () => {
  for (const w of workers) w.kill('SIGKILL');
  await setup?.stop();
});

/** A compose service as a process here: its command, its environment with the service names replaced. */
function startService(service: Service, state: string): ChildProcess {
  const local: Record<string, string> = { 'temporal:7233': setup.temporal, 'http://ollama:11434': setup.ollama.url };
  const env = Object.fromEntries(Object.entries(service.environment).map(([k, v]) => [k, local[v] ?? v]));
  const home = path.join(state, 'home');
  // The state folder is fresh, as in a new container, but for its Go build cache: the layer's own
  // (a cold one compiles the SQLite driver again, minutes of CPU here; the commands, environment
  // and roles of the workers are what this test proves, not a cold build).
  const sharedCache = path.join(stateDir(), 'go-build');
  mkdirSync(sharedCache, { recursive: true });
  mkdirSync(path.join(state, 'state'), { recursive: true });
  symlinkSync(sharedCache, path.join(state, 'state', 'go-build'));
  const [program, ...args] = service.command;
  assert.equal(program, 'node');
  const child = spawn(process.execPath, args, {
    cwd: PROJECT_ROOT,
    // HOME and the state folder as in the container, but under this test's folder.
    env: {
      PATH: process.env.PATH,
      ...env,
      HOME: home,
      OVERNIGHT_STATE_DIR: path.join(state, 'state'),
      GOCACHE: process.env.GOCACHE ?? '',
      GOPATH: process.env.GOPATH ?? '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  workers.push(child);
  return child;
}

describe('the compose stack’s workers', () => {
  test(
    'the workspace worker and the model worker, as Compose starts them, finish a run whose -ollama answers nothing',
    { skip: hasCompose ? false : 'docker-compose is not installed' },
    async () => {
      const config = execFileSync('docker-compose', ['-f', 'docker-compose.yml', 'config'], { cwd: PROJECT_ROOT, encoding: 'utf8' });
      const services = (parseYaml(config) as { services: Record<string, Service> }).services;
      const dir = tmpDir('e2e-compose');
      assert.equal((await runCli(['list', ...setup.common])).code, 0); // the dev server the "temporal" service stands for
      startService(services.worker!, path.join(dir, 'worker'));
      startService(services['model-worker']!, path.join(dir, 'model-worker'));

      const output = path.join(dir, 'overnight', 'todo-api');
      const common = ['-temporal', setup.temporal, '-ui', 'http://localhost:1', '-db', path.join(dir, 'overnight', 'poc.db')];
      const started = await runCli(['-detach', '-output', output, '-ollama', 'http://127.0.0.1:9', ...common]);
      assert.equal(started.code, 0, started.stderr);
      const watched = await runCli(['watch', started.stdout.trim(), ...common]);
      assert.equal(watched.code, 0, `${watched.stdout}\n${watched.stderr}`);
      // The default strategy asks the model for the plan only; the run could not have one from -ollama.
      assert.equal(setup.ollama.calls.length, 1, 'the model worker asked its own Ollama for the plan');
      const check = await checkApi(output, specFromOutput(output));
      assert.equal(check.valid, true, check.details);
      assert.deepEqual(writersOf(output), ['plan'], 'the default strategy');
    },
  );
});
