// -at as a user runs it before bed: the command returns at once with the schedule's id, `list`
// shows it, the run starts by itself on the server's schedule (a standalone worker runs it) and
// ends valid, and `cancel` removes the schedule.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { checkApi, specFromOutput } from '../support/check-api.js';
import { cliSetup, runCli, spawnCli, type CliSetup } from '../support/cli.js';
import { FIXTURE_DIR, tmpDir } from '../support/run-fixtures.js';
import { writersOf } from '../support/status-schema.js';
import { Client, Connection } from '@temporalio/client';
import { wallClock } from '../../client/time-flags.js';

let setup: CliSetup;
before(async () => {
  setup = await cliSetup({ fixtureDir: FIXTURE_DIR });
});
after(() => setup?.stop());

const clock = (at: Date) => [at.getHours(), at.getMinutes(), at.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');

describe('-at: a run started later by a schedule on the server', () => {
  const dir = tmpDir('e2e-schedule');
  const output = path.join(dir, 'todo-api');
  const db = path.join(dir, 'poc.db');

  test('scheduled a few seconds ahead: listed, started by itself, valid; cancel removes the schedule', async () => {
    assert.equal((await runCli(['list', ...setup.common])).code, 0); // starts the embedded server: the worker and the command then share it
    // The worker starts after the schedule is made: its start (bundling the workflows) takes both
    // cores for seconds, and a -at command slowed past its HH:MM:SS would schedule for tomorrow.
    const at = new Date(Date.now() + 10_000);
    const scheduled = await runCli(['-at', clock(at), '-output', output, '-db', db, ...setup.common]);
    assert.equal(scheduled.code, 0, scheduled.stderr);
    assert.ok(Date.now() < at.getTime(), `the -at command ended after ${clock(at)} (the machine is too slow for this test): its schedule is for tomorrow`);
    const id = scheduled.stdout.trim();
    assert.match(id, /^overnight-schedule-todo-api-\w+$/);
    assert.match(scheduled.stderr, /starts at .*a worker must be running then/s);
    const worker = spawnCli(['worker', ...setup.common]);
    try {
      assert.equal(setup.ollama.calls.length, 0, 'nothing runs before its time');

      const listed = await runCli(['list', '-json', ...setup.common]);
      const rows = JSON.parse(listed.stdout) as { workflowId: string; status: string; startTime: string; outputDir: string }[];
      const row = rows.find((r) => r.workflowId === id);
      assert.equal(row?.status, 'SCHEDULED', listed.stdout);
      assert.equal(row?.outputDir, output);
      assert.equal(Date.parse(row!.startTime), Math.floor(at.getTime() / 1000) * 1000, 'next start is the -at time (to the second)');

      // The run starts by itself; its status.json is written at its end.
      for (const deadline = Date.now() + 180_000; !existsSync(path.join(output, 'status.json')) && Date.now() < deadline;)
        await new Promise((r) => setTimeout(r, 500));
      const started = setup.ollama.calls[0]?.at ?? 0;
      assert.ok(started >= at.getTime() - 1000, `the first model call came ${at.getTime() - started} ms before the -at time`);
      const check = await checkApi(output, specFromOutput(output));
      assert.equal(check.valid, true, check.details);
      assert.deepEqual(writersOf(output), ['plan'], 'a scheduled run without -strategy runs the default');

      const after = JSON.parse((await runCli(['list', '-json', ...setup.common])).stdout) as { workflowId: string; status: string }[];
      assert.ok(
        after.some((r) => r.workflowId.startsWith('overnight-todo-api-') && r.status === 'COMPLETED'),
        'the run it started is listed, completed',
      );
      const removed = await runCli(['cancel', id, ...setup.common]);
      assert.equal(removed.code, 0, removed.stderr);
      assert.match(removed.stdout, new RegExp(`removed schedule ${id}`));
      const gone = JSON.parse((await runCli(['list', '-json', ...setup.common])).stdout) as { workflowId: string }[];
      assert.ok(!gone.some((r) => r.workflowId === id), 'the schedule is gone');
      const again = await runCli(['cancel', id, ...setup.common]);
      assert.equal(again.code, 2);
      assert.match(again.stderr, /no schedule .*overnight-llm list/);
    } finally {
      worker.kill('SIGINT');
      await new Promise((r) => worker.once('exit', r));
    }
  });
});

describe('-every 24h -tz: the time of day holds across a daylight-saving change', () => {
  test('from the night before Berlin changes its clocks: every next start is 01:30 in Berlin, 00:30 UTC before and 23:30 UTC after', async () => {
    const output = path.join(tmpDir('e2e-schedule-tz'), 'todo-api');
    const scheduled = await runCli(['-at', '2027-03-26T01:30', '-every', '24h', '-tz', 'Europe/Berlin', '-output', output, ...setup.common]);
    assert.equal(scheduled.code, 0, scheduled.stderr);
    assert.match(scheduled.stderr, /starts at 2027-03-26 01:30:00 Europe\/Berlin, then every 1 d/);
    const id = scheduled.stdout.trim();
    const connection = await Connection.connect({ address: setup.temporal });
    try {
      // The server's own reckoning of the next starts, with the zone rules it loads.
      const { info } = await new Client({ connection }).schedule.getHandle(id).describe();
      const next = info.nextActionTimes.slice(0, 5);
      assert.equal(next.length, 5, 'five starts ahead');
      assert.deepEqual(
        next.map((t) => wallClock(t, 'Europe/Berlin')).map((w) => `${w.day} ${w.hour}:${w.minute}`),
        ['26 1:30', '27 1:30', '28 1:30', '29 1:30', '30 1:30'],
      );
      assert.deepEqual(
        next.map((t) => t.toISOString().slice(11, 16)),
        ['00:30', '00:30', '00:30', '23:30', '23:30'],
        'UTC moves by the hour Berlin moved its clocks (on the 28th, from 02:00)',
      );
    } finally {
      await connection.close();
      assert.equal((await runCli(['cancel', id, ...setup.common])).code, 0);
    }
  });
});
