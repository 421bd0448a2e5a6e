// The same command again, as a user types it after a run ended: the exit code says the
// finished run's outcome, and a run that failed early does not lock its folder.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { freePort, runCli, stopEmbeddedServer } from '../support/cli.js';
import { FIXTURE_DIR, VARIANTS_DIR, tmpDir } from '../support/run-fixtures.js';
import { scenarioResponder, startScriptedOllama, type Responder, type ScriptedOllama } from '../support/scripted-ollama.js';
import { readStatusJson } from '../support/status-schema.js';

let temporal: string;
let ui: string;
const servers: ScriptedOllama[] = [];

before(async () => {
  const port = await freePort();
  temporal = `127.0.0.1:${port}`;
  ui = `http://localhost:${port + 1000}`;
});

after(async () => {
  stopEmbeddedServer(temporal);
  for (const s of servers) await s.close();
});

async function scripted(respond: Responder) {
  const server = await startScriptedOllama({ respond });
  servers.push(server);
  return server;
}

describe('the same command again', () => {
  test('after a run that finished with an invalid API: exit 1, says so and how to try again, asks the model nothing', async () => {
    // The handlers file the model writes whole does not compile, and no repair round may fix it.
    const ollama = await scripted(scenarioResponder('broken-handlers-once', { fixtureDir: FIXTURE_DIR, variantsDir: VARIANTS_DIR }));
    const dir = tmpDir('again-invalid');
    const args = [
      '-strategy',
      'whole',
      '-output',
      path.join(dir, 'api'),
      '-db',
      path.join(dir, 'poc.db'),
      '-max-repair-rounds',
      '0',
      '-ollama',
      ollama.url,
      '-temporal',
      temporal,
      '-ui',
      ui,
    ];
    const first = await runCli(args);
    assert.equal(first.code, 1, first.stderr);
    assert.match(first.stdout, /^done, but the API did not pass validation/m);
    const calls = ollama.calls.length;
    const again = await runCli(args);
    assert.equal(again.code, 1, again.stderr);
    assert.match(
      again.stdout,
      /already holds a finished run \(overnight-api-\w+\) with an API that did not pass validation: see .*status\.json, or pass -restart to start over/,
    );
    assert.equal(ollama.calls.length, calls);
  });

  test('after a run that failed at the plan: the folder is ours, and the run starts again in it', async () => {
    const noPlan = await scripted(() => 'I would rather not.');
    const dir = tmpDir('again-plan');
    const output = path.join(dir, 'api');
    const args = ['-output', output, '-db', path.join(dir, 'poc.db'), '-skip-validation', '-temporal', temporal, '-ui', ui];
    const failed = await runCli([...args, '-ollama', noPlan.url]);
    assert.equal(failed.code, 1, failed.stderr);
    assert.match(failed.stderr, /run failed: .*plan/i);
    assert.equal(readStatusJson(output).run.status, 'failed');
    const good = await scripted(scenarioResponder('good', { fixtureDir: FIXTURE_DIR, variantsDir: VARIANTS_DIR }));
    const again = await runCli([...args, '-ollama', good.url]);
    assert.equal(again.code, 0, `${again.stdout}\n${again.stderr}`);
    // -skip-validation: nothing built the code, so the CLI does not call it ready.
    assert.match(again.stdout, /^done: the code is written, not validated \(-skip-validation/m);
    assert.doesNotMatch(again.stdout, /API is ready/);
    assert.equal(readStatusJson(output).run.status, 'completed');
    assert.ok(existsSync(path.join(output, 'cmd/server/main.go')));
  });
});
