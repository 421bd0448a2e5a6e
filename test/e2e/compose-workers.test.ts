// docker-compose.yml on a first `up`, without a Docker engine: every service of ours run with
// exactly the command, environment, mounts and user `docker-compose config` gives it
// (test/support/compose-services.ts), in a fresh folder owned by a non-root user where ./overnight
// does not exist yet, against a dev server and a scripted Ollama standing for the images' own
// services. The one-shot `folders` runs as root first; then the two workers, as the user, finish
// a run started from "the host" (the same user) with -detach and an -ollama nobody answers at.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { checkApi, specFromOutput } from '../support/check-api.js';
import { cliSetup, PROJECT_ROOT, runCli, type CliSetup } from '../support/cli.js';
import { composeServices, hasCompose, nonRootUser, ownedFolder, type LocalService } from '../support/compose-services.js';
import { FIXTURE_DIR, tmpDir } from '../support/run-fixtures.js';
import { readStatusJson, writersOf } from '../support/status-schema.js';
import { skipUnless } from '../support/expect.js';

let setup: CliSetup;
const workers: ChildProcess[] = [];
const made: string[] = [];

before(async () => {
  setup = await cliSetup({ fixtureDir: FIXTURE_DIR });
});

let stopping = false;
after(async () => {
  stopping = true;
  for (const w of workers) w.kill('SIGKILL');
  await setup?.stop();
  for (const dir of made) rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
});

/** Starts a service's command here, as its user, in the image's working folder; its stderr is collected. */
function start(service: LocalService): { child: ChildProcess; stderr: () => string } {
  const [program, ...args] = service.argv;
  let stderr = '';
  // PATH is this machine's (the image's has node, go and git on it too).
  const child = spawn(program === 'node' ? process.execPath : program!, args, {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH, ...service.env },
    uid: service.user.uid,
    gid: service.user.gid,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  // A worker that stops is a failure at once, with what it said, not a watch that times out.
  child.once('exit', (code, signal) => {
    if (program === 'node' && !stopping) console.error(`${service.argv.join(' ')} exited (${code ?? signal}):\n${stderr}`);
  });
  workers.push(child);
  return { child, stderr: () => stderr };
}

describe('the compose stack on its first up', () => {
  test(
    'folders hands ./overnight and the state volumes to the user; both workers, as that user, finish a run whose -ollama answers nothing',
    { skip: skipUnless('docker-compose', hasCompose, 'docker-compose is not installed (make test installs it)') },
    async () => {
      const user = nonRootUser();
      const home = ownedFolder(tmpDir('e2e-compose'), user);
      made.push(home);
      const services = composeServices(home, user, { 'temporal:7233': setup.temporal, 'http://ollama:11434': setup.ollama.url });
      assert.equal(statSync(path.join(home, 'overnight')).uid, process.getuid!(), 'Docker made ./overnight as root (here: as this test)');

      assert.equal((await runCli(['list', ...setup.common])).code, 0); // the dev server the "temporal" service stands for
      const folders = start(services.folders!);
      const code = await new Promise((resolve) => folders.child.once('exit', resolve));
      assert.equal(code, 0, folders.stderr());
      for (const dir of ['overnight', 'volumes/worker-state', 'volumes/model-worker-state'])
        assert.deepEqual([statSync(path.join(home, dir)).uid, statSync(path.join(home, dir)).gid], [user.uid, user.gid], `${dir} is the user's`);

      assert.deepEqual(services.worker!.user, user);
      const worker = start(services.worker!);
      start(services['model-worker']!);

      // The host's CLI, run as the same user, with a state folder of its own.
      const output = path.join(home, 'overnight', 'todo-api');
      const common = ['-temporal', setup.temporal, '-ui', 'http://localhost:1', '-db', path.join(home, 'overnight', 'poc.db')];
      const cliEnv = { HOME: home, OVERNIGHT_STATE_DIR: path.join(home, '.cli-state'), OVERNIGHT_MODEL: '' };
      const started = await runCli(['-detach', '-output', output, '-ollama', 'http://127.0.0.1:9', ...common], cliEnv, 300_000, user);
      assert.equal(started.code, 0, started.stderr);
      const watched = await runCli(['watch', started.stdout.trim(), ...common], cliEnv, 600_000, user);
      assert.equal(watched.code, 0, `${watched.stdout}\n${watched.stderr}\nworker: ${worker.stderr()}`);
      // The default strategy asks the model for the plan only; the run could not have one from -ollama.
      assert.equal(setup.ollama.calls.length, 1, 'the model worker asked its own Ollama for the plan');
      // The test's checker runs as root, and git refuses a repository another user owns unless told.
      Object.assign(process.env, { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'safe.directory', GIT_CONFIG_VALUE_0: output });
      const check = await checkApi(output, specFromOutput(output));
      assert.equal(check.valid, true, check.details);
      assert.deepEqual(writersOf(output), ['plan'], 'the default strategy');
      assert.equal(statSync(path.join(output, 'status.json')).uid, user.uid, 'the output is the user’s');

      // Generated code ran as contained as on CI's machines, and the worker said nothing to the contrary.
      const containment = readStatusJson(output).validation?.final.containment ?? '';
      assert.match(containment, /^namespaces: user, network \(loopback only\), pid, mount \(read-only/);
      assert.doesNotMatch(worker.stderr(), /WARNING/);
      // The caches live in the state volumes, which outlive the containers.
      assert.equal(statSync(path.join(home, 'volumes', 'worker-state', 'go-build')).uid, user.uid);
      assert.equal(statSync(path.join(home, 'volumes', 'model-worker-state', 'llm-cache.db')).uid, user.uid);
    },
  );

  test(
    'a worker that cannot build CI’s namespaces says so at start (the image without ip(8), here: ip hidden by a bind mount)',
    { skip: skipUnless('docker-compose', hasCompose, 'docker-compose is not installed (make test installs it)') },
    async () => {
      assert.equal((await runCli(['list', ...setup.common])).code, 0); // the "temporal" service, when this test runs alone
      const home = tmpDir('e2e-compose-weaker');
      made.push(home);
      const worker = composeServices(home, nonRootUser(), { 'temporal:7233': setup.temporal }).worker!;
      const hide = 'for p in /usr/sbin/ip /usr/bin/ip /sbin/ip /bin/ip; do [ ! -e "$p" ] || mount --bind /dev/null "$p" || exit 1; done; exec "$@"';
      const child = spawn(
        'unshare',
        ['--map-root-user', '--mount', '--propagation', 'private', '/bin/sh', '-c', hide, 'hide-ip', process.execPath, ...worker.argv.slice(1)],
        {
          cwd: PROJECT_ROOT,
          env: { PATH: process.env.PATH, ...worker.env },
          stdio: ['ignore', 'ignore', 'pipe'],
        },
      );
      workers.push(child);
      let stderr = '';
      const polling = new Promise<void>((resolve, reject) => {
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()) && /worker: polling/.test(stderr) && resolve());
        child.once('exit', (code) => reject(new Error(`the worker exited (${code}): ${stderr}`)));
      });
      await polling;
      child.kill('SIGKILL');
      assert.match(
        stderr,
        /^worker: WARNING: generated code runs with containment "none" \(ip not found\), weaker than "namespaces\+readonly": it can reach the network and write wherever this worker can\. Docker: docs\/several-machines\.md#the-sandbox-in-a-container$/m,
      );
    },
  );
});
