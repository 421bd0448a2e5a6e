// A night's batch as a user runs it: three prompts, one scripted to fail, -parallel 2; the CLI
// is killed mid-batch, the same command run again and stopped with Ctrl-C, then run once more.
// Every item ends as scripted, no answer the model finished is asked for again, and report.md
// (and `report`) say what happened.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ReportRow } from '../../lib/morning-report.js';
import { checkApi, specFromOutput } from '../support/check-api.js';
import { PROJECT_ROOT, cliSetup, runCli, spawnCli, type CliSetup } from '../support/cli.js';
import { RELEASE_KEY } from '../../workflows/search-attributes.js';
import { FIXTURE_DIR, tmpDir } from '../support/run-fixtures.js';
import { todoApiResponder, whenPlan, withOverrides, type Responder } from '../support/scripted-ollama.js';
import { readStatusJson, writersOf } from '../support/status-schema.js';
import { recordHistory } from '../support/histories.js';
import { folderIdFor, inputDigest, runInputFrom, workflowIdFor } from '../../client/run-input.js';
import { parseArgs } from '../../client/args.js';
import { Client, Connection } from '@temporalio/client';

let setup: CliSetup;
/** What each call asked (model, options, the whole conversation), by call index; and how often each question was answered whole. */
const questions = new Map<number, string>();
const finished = new Map<string, number>();
/** The model server's calls in flight now, and the most ever at once: what -parallel 2 is measured by. */
const inFlight = new Set<number>();
let mostAtOnce = 0;
/** Coverage of each valid item's folder as check-api measured it (go test over ./..., no pipeline code). */
const measured = new Map<string, number | null>();

before(async () => {
  // The plan of a prompt that asks to FAIL is never JSON: that item fails at its plan, after its tries.
  const scripted = withOverrides(todoApiResponder({ fixtureDir: FIXTURE_DIR }), [
    { when: (req) => whenPlan()(req) && req.messages.some((m) => m.content.includes('must FAIL')), answer: 'I would rather not plan this.' },
  ]);
  const respond: Responder = (req, index) => {
    questions.set(index, JSON.stringify([req.model, req.options, req.messages]));
    inFlight.add(index);
    mostAtOnce = Math.max(mostAtOnce, inFlight.size);
    return scripted(req, index);
  };
  setup = await cliSetup({
    respond,
    models: ['codellama:7b', 'codellama:13b'],
    tokensPerSecond: 100, // a plan streams for over a second, so the kill below lands inside the third item's plan call
    onCallEnd: (call, end) => {
      inFlight.delete(call.index);
      const question = questions.get(call.index)!;
      if (end.complete) finished.set(question, (finished.get(question) ?? 0) + 1);
    },
  });
});

after(() => setup?.stop());

describe('overnight-llm batch', () => {
  const dir = tmpDir('e2e-batch');
  const night = path.join(dir, 'night');
  const db = path.join(dir, 'poc.db');
  const file = path.join(dir, 'night.yaml');
  // Two models, so the two good items ask different questions (the same question would be answered from the cache).
  writeFileSync(
    file,
    [
      '- REST API for todo list',
      '- prompt: REST API for notes that must FAIL',
      '  output: broken',
      '- prompt: REST API for a todo list with due dates',
      '  model: codellama:13b',
      '',
    ].join('\n'),
  );
  const args = () => ['batch', file, '-parallel', '2', '-output', night, '-db', db, '-heartbeat-timeout', '5', ...setup.common];

  test('killed mid-batch and run again: every item ends as scripted, no finished answer is asked for again', async () => {
    const first = spawnCli(args());
    let stdout = '';
    first.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    // Kill it once the third item has started: its plan is streaming (the default strategy: the model writes the plan, code the project).
    for (const deadline = Date.now() + 120_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 200))) {
      if (setup.ollama.calls.some((c) => c.model === 'codellama:13b')) break;
    }
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    assert.doesNotMatch(stdout, /batch done/, 'killed before the batch ended');
    const callsBefore = setup.ollama.calls.length;

    // Ctrl-C while the same command runs the batch again: only this CLI's worker stops; it says how to go on.
    const interrupted = spawnCli(args());
    let stderr = '';
    interrupted.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => interrupted.once('exit', (code) => r(code)));
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
      if (/attaching to it/.test(stderr) && setup.ollama.calls.length > callsBefore) break; // its worker is at work
    }
    interrupted.kill('SIGINT');
    const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('still running 15 s after Ctrl-C'), 15_000))]);
    assert.equal(code, 130, stderr);
    assert.match(stderr, /stopping this worker; the work waits on the server .*: run the same batch command again/);

    const again = await runCli(args());
    assert.equal(again.code, 1, `one item fails, so exit 1\n${again.stdout}\n${again.stderr}`);
    assert.match(again.stderr, /already running .*: attaching to it/);
    assert.match(again.stdout, /^batch done: 2 of 3 valid — .*report\.md$/m);
    assert.ok(setup.ollama.calls.length > callsBefore, 'the second command finished the work');
    for (const [question, times] of finished) assert.equal(times, 1, `answered whole ${times} times: ${question.slice(0, 160)}`);
    assert.equal(finished.size, 5, "two plans and the failing item's three tries, each answered whole");
    assert.equal(mostAtOnce, 2, `-parallel 2: two items' model calls in flight at once, never three (at most ${mostAtOnce})`);
    // The batch workflow's history, with the kill and the attach in it, for the replay layer.
    recordHistory(setup.temporal, folderIdFor('overnight-batch', night), 'batch-run');

    // Each item's run keeps the digest a single run of the same prompt, folder and flags would have:
    // a run started into an item's folder while it works attaches only when it asks the same.
    const item = path.join(night, 'rest-api-for-todo-list');
    const connection = await Connection.connect({ address: setup.temporal });
    try {
      const described = await new Client({ connection }).workflow.getHandle(workflowIdFor(item)).describe();
      const single = parseArgs(['-prompt', 'REST API for todo list', '-output', item, '-db', db, '-heartbeat-timeout', '5', ...setup.common], {});
      assert.equal((described.memo as { input?: string }).input, inputDigest(runInputFrom(single.flags)));
      // …and the release that started its batch (docs/versioning.md), as the batch itself does.
      const release = (JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
      assert.equal(described.typedSearchAttributes.get(RELEASE_KEY), release);
    } finally {
      await connection.close();
    }

    const folders = [path.join(night, 'rest-api-for-todo-list'), path.join(night, 'broken'), path.join(night, 'rest-api-for-a-todo-list-with-due-dates')];
    for (const folder of [folders[0]!, folders[2]!]) {
      const check = await checkApi(folder, specFromOutput(folder));
      assert.equal(check.valid, true, `${folder}: ${check.details}`);
      measured.set(folder, check.coveragePercent);
      assert.deepEqual(writersOf(folder), ['plan'], 'an item without a strategy of its own runs the default');
    }
    assert.equal(readStatusJson(folders[1]!).run.status, 'failed');
  });

  test('report.md and `report -json` list the three items truthfully, from what each run recorded', async () => {
    const report = readFileSync(path.join(night, 'report.md'), 'utf8');
    const rows = report.split('\n').filter((l) => /^\| \d /.test(l));
    assert.equal(rows.length, 3, report);
    assert.match(rows[0]!, /^\| 1 \| REST API for todo list \| valid \| \d+\.\d % \|/);
    assert.match(rows[1]!, /^\| 2 \| REST API for notes that must FAIL \| failed \| – \|/);
    assert.match(rows[2]!, /^\| 3 \| REST API for a todo list with due dates \| valid \| \d+\.\d % \|/);
    assert.match(report, /## 2\. REST API for notes that must FAIL\n\n- outcome: failed — .*plan/);

    const plain = await runCli(['report', '-db', db, ...setup.common]);
    assert.equal(plain.code, 0, plain.stderr);
    assert.match(plain.stdout, /^# The night's report: the runs since /);
    assert.match(plain.stdout, /^\| \d \| REST API for notes that must FAIL \| failed \|/m);
    const listed = await runCli(['report', '-since', '1h', '-json', '-db', db, ...setup.common]);
    assert.equal(listed.code, 0, listed.stderr);
    const fromCli = (JSON.parse(listed.stdout) as ReportRow[]).filter((r) => r.folder.startsWith(night));
    assert.deepEqual(fromCli.map((r) => [r.prompt, r.outcome]).sort(), [
      ['REST API for a todo list with due dates', 'valid'],
      ['REST API for notes that must FAIL', 'failed'],
      ['REST API for todo list', 'valid'],
    ]);
    for (const row of fromCli.filter((r) => r.outcome === 'valid')) {
      // The figures are the run's own record: its status.json, written by the run, not by the report.
      const status = readStatusJson(row.folder);
      assert.equal(row.coveragePercent, status.validation?.final.coveragePercent);
      // …and true to the code: the same coverage measured by the test's own checker.
      assert.equal(row.coveragePercent, measured.get(row.folder), `${row.folder}: the report's coverage against check-api's`);
      assert.equal(row.tokensOut, status.totals.tokensOut);
      assert.ok(row.tokensOut > 0);
      assert.match(report, new RegExp(`\\| ${row.tokensIn} / ${row.tokensOut} \\|`));
    }
  });
});
