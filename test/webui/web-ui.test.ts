// The Temporal Web UI, as a person sees it: headless Chromium opens the embedded dev
// server's page for a finished run and finds the run, its phases and their summaries.
// The screenshot is kept in test-artifacts/ for people to look at.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { workflowIdFor } from '../../client/run-input.js';
import { checkApi, specFromOutput } from '../support/check-api.js';
import { PROJECT_ROOT, freePort, runCli, stopEmbeddedServer } from '../support/cli.js';
import { FIXTURE_DIR, VARIANTS_DIR, tmpDir } from '../support/run-fixtures.js';
import { skipUnless } from '../support/expect.js';
import { scenarioResponder, startScriptedOllama, type ScriptedOllama } from '../support/scripted-ollama.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.join(PROJECT_ROOT, 'test-artifacts');

let ollama: ScriptedOllama;
let temporal: string;
let uiPort: number;
let browser: Browser | undefined;

before(async () => {
  ollama = await startScriptedOllama({ respond: scenarioResponder('broken-handlers-once', { fixtureDir: FIXTURE_DIR, variantsDir: VARIANTS_DIR }) });
  const port = await freePort();
  temporal = `127.0.0.1:${port}`;
  uiPort = port + 1000; // the embedded server's UI port (client/temporal-server.ts)
});

after(async () => {
  await browser?.close();
  stopEmbeddedServer(temporal);
  await ollama?.close();
});

test(
  'the Web UI shows a finished run, its phases and their summaries',
  { skip: skipUnless('chromium', existsSync(CHROMIUM), `Debian chromium is not installed at ${CHROMIUM} (make test installs it)`) },
  async () => {
    const output = path.join(tmpDir('webui'), 'todo-api');
    // -strategy whole: a file the model writes, its repair round and their activities are what the page must show.
    const run = await runCli([
      '-strategy',
      'whole',
      '-output',
      output,
      '-db',
      path.join(output, '..', 'poc.db'),
      '-ollama',
      ollama.url,
      '-temporal',
      temporal,
      '-ui',
      `http://localhost:${uiPort}`,
    ]);
    assert.equal(run.code, 0, run.stderr);
    // What the page will describe is a real, repaired API: checked here by the test's own checker.
    const check = await checkApi(output, specFromOutput(output));
    assert.equal(check.valid, true, check.details);
    const workflowId = workflowIdFor(output);
    assert.match(run.stderr, new RegExp(`http://localhost:${uiPort}/namespaces/default/workflows/${workflowId}`));

    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(`http://localhost:${uiPort}/namespaces/default/workflows/${workflowId}`, { waitUntil: 'networkidle' });
    await page.getByText('answerFile • handlers → internal/handlers/todo_handler.go: model').first().waitFor({ timeout: 30_000 });
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'web-ui-run.png'), fullPage: true });
    const text = await page.innerText('body');
    for (const expected of [
      workflowId,
      'Completed',
      'generateApi',
      // Each file is three activities: its prompt and its write on the workspace queue, the model's answer on the model queue.
      'checkWorkspace • preflight: Go',
      'checkModelServer • preflight: Ollama',
      'planApi • plan: REST API for todo list',
      'fileRequest • models → internal/models/todo.go: prompt',
      'answerFile • models → internal/models/todo.go: model',
      'writeAnsweredFile • tests → tests/todo_handler_test.go: write',
      'validateProject • go vet, build, test -cover, smoke',
      'answerFile • handlers → internal/handlers/todo_handler.go (repair round 1): model',
      'validateProject • go vet, build, test -cover, smoke (round 1)',
      // The mirror writes are local activities: the timeline names them, without a summary.
      'recordPhase',
      'writeStatusReport',
    ]) {
      assert.ok(text.includes(expected), `the page shows "${expected}"`);
    }
  },
);
