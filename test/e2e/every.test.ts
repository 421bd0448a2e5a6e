// -every as a user leaves it for many nights: the first start runs at once, each start writes into
// a folder of its own, a start due while the last night's run still works is skipped (never two
// at once), and a night the machine slept through is caught up within a day. The schedule's later
// starts are fired with the server's own trigger under the schedule's overlap policy, as its clock
// would fire them, instead of waiting an hour.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { checkApi, specFromOutput } from '../support/check-api.js';
import { cliSetup, runCli, spawnCli, type CliSetup } from '../support/cli.js';
import { waitFor } from '../support/durability.js';
import { FIXTURE_DIR, tmpDir } from '../support/run-fixtures.js';
import { todoApiResponder } from '../support/scripted-ollama.js';

let setup: CliSetup;
// The first run's first model call waits for this: the run is in flight while the test fires the schedule again.
let releaseFirstCall!: () => void;
const firstCallHeld = new Promise<void>((resolve) => (releaseFirstCall = resolve));

before(async () => {
  const answer = todoApiResponder({ fixtureDir: FIXTURE_DIR });
  setup = await cliSetup({
    fixtureDir: FIXTURE_DIR,
    respond: async (req, i) => {
      if (i === 0) await firstCallHeld;
      return answer(req, i);
    },
  });
});
after(() => {
  releaseFirstCall();
  return setup?.stop();
});

/** The folders the schedule's starts wrote, each with its status.json. */
const startFolders = (output: string) => (existsSync(output) ? readdirSync(output).filter((name) => existsSync(path.join(output, name, 'status.json'))) : []);

test('-every 1h: the first start runs at once in a folder of its own; one due while it works is skipped; the next writes another folder', async () => {
  const output = path.join(tmpDir('e2e-every'), 'todo-api');
  assert.equal((await runCli(['list', ...setup.common])).code, 0); // starts the embedded server
  const scheduled = await runCli(['-every', '1h', '-output', output, '-db', path.join(path.dirname(output), 'mirror.db'), ...setup.common]);
  assert.equal(scheduled.code, 0, scheduled.stderr);
  assert.match(scheduled.stderr, /starts now, then every 1 h, each start in a folder of its own/);
  const id = scheduled.stdout.trim();
  const connection = await Connection.connect({ address: setup.temporal });
  const schedule = new Client({ connection }).schedule.getHandle(id);
  const worker = spawnCli(['worker', ...setup.common]);
  try {
    const described = await schedule.describe();
    assert.equal(described.policies.overlap, 'SKIP', 'never two nights at once');
    assert.equal(described.policies.catchupWindow, 24 * 3_600_000, 'a night slept through is run on waking, within a day');

    // The first start's run is at its first model call, held there: a start due now is skipped.
    await waitFor('the first run to call the model', () => setup.ollama.calls.length > 0, 120_000);
    assert.equal((await schedule.describe()).info.runningActions.length, 1, 'the server tracks the first start, so it can skip a start due meanwhile');
    await schedule.trigger('SKIP'); // a start due now, while the first run works, under the schedule's policy: skipped
    assert.equal((await schedule.describe()).info.runningActions.length, 1);

    releaseFirstCall();
    await waitFor('the first start to write its status.json', () => startFolders(output).length === 1, 180_000);
    const [first] = startFolders(output);
    assert.match(first!, /^\d{4}-\d\d-\d\d-\d{6}$/, 'named after its start time (UTC)');
    const check = await checkApi(path.join(output, first!), specFromOutput(path.join(output, first!)));
    assert.equal(check.valid, true, check.details);
    await waitFor('the first run to end', async () => ((await schedule.describe()).info.runningActions.length === 0 ? true : null), 60_000);
    // The start due during the run, long since handled by the server's scheduler, started nothing.
    assert.equal((await schedule.describe()).info.numActionsTaken, 1, 'the start due during the run was skipped');
    assert.deepEqual(startFolders(output), [first]);

    // The next night: another folder, the first one left as it was.
    await schedule.trigger('SKIP');
    await waitFor('the second start to write its status.json', () => startFolders(output).length === 2, 180_000);
    const second = startFolders(output).find((name) => name !== first)!;
    assert.equal((await checkApi(path.join(output, second), specFromOutput(path.join(output, second)))).valid, true);
    assert.equal((await schedule.describe()).info.numActionsTaken, 2);
  } finally {
    worker.kill('SIGINT');
    await new Promise((r) => worker.once('exit', r));
    await connection.close();
    await runCli(['cancel', id, ...setup.common]);
  }
});
