// End to end, as a user runs it: the CLI starts the embedded Temporal dev server, runs its
// own worker, talks to a scripted Ollama, and the real Go toolchain checks what it wrote.
import Database from 'better-sqlite3';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { checkApi, specFromOutput, type ApiCheck } from '../support/check-api.js';
import { scenarioResponder, type ScriptedOllama } from '../support/scripted-ollama.js';
import { PROJECT_ROOT, cliSetup, runCli, type CliSetup } from '../support/cli.js';
import { FIXTURE_DIR, VARIANTS_DIR, tmpDir } from '../support/run-fixtures.js';
import { readStatusJson, writersOf } from '../support/status-schema.js';

let setup: CliSetup;
let ollama: ScriptedOllama;
let temporal: string;
let common: string[];

before(async () => {
  setup = await cliSetup({ respond: scenarioResponder('good', { fixtureDir: FIXTURE_DIR, variantsDir: VARIANTS_DIR }) });
  ({ ollama, temporal, common } = setup);
});

after(() => setup?.stop());

/** The toolchain and CRUD over HTTP, by the test's own checker (none of the pipeline's validate or smoke code): valid, coverage ≥ 70 %. */
async function validApi(output: string): Promise<ApiCheck> {
  const check = await checkApi(output, specFromOutput(output));
  assert.equal(check.valid, true, check.details);
  assert.ok(check.coveragePercent !== null && check.coveragePercent >= 70, check.details);
  return check;
}

/** `git log` of the output folder, oldest first: author|subject. */
function gitLog(output: string): string[] {
  return execFileSync('git', ['-C', output, 'log', '--reverse', '--format=%an|%s'], { encoding: 'utf8' }).trim().split('\n');
}

/** What openapi.yaml lists ("GET /todos/{id} 404"), and what the check's CRUD round was answered ("GET /todos/{id} 200"). */
function openapiAgainstCrud(output: string, details: string): { listed: string[]; answered: Set<string> } {
  const answered = new Set(
    [...details.matchAll(/^(GET|POST|PUT|DELETE) (\S+) -> (\d{3})$/gm)].map(([, m, p, s]) => `${m} ${p!.replace(/\/\d+$/, '/{id}')} ${s}`),
  );
  const doc = parseYaml(readFileSync(path.join(output, 'openapi.yaml'), 'utf8')) as { paths: Record<string, Record<string, { responses: object }>> };
  const listed = Object.entries(doc.paths).flatMap(([route, item]) =>
    Object.entries(item)
      .filter(([k]) => k !== 'parameters')
      .flatMap(([method, op]) => Object.keys(op.responses).map((status) => `${method.toUpperCase()} ${route} ${status}`)),
  );
  return { listed, answered };
}

describe('overnight-llm end to end, with no -strategy: the default, plan', () => {
  const dir = tmpDir('e2e');
  const output = path.join(dir, 'todo-api');
  const db = path.join(dir, 'poc.db');

  test('one command: the model plans, code writes a Go API that vets, builds, tests ≥ 70 % and serves CRUD', async () => {
    const run = await runCli(['-output', output, '--db', db, ...common]);
    assert.equal(run.code, 0, `exit ${run.code}\n${run.stdout}\n${run.stderr}`);
    assert.match(run.stderr, /started the Temporal dev server/);
    assert.match(run.stderr, /namespaces\/default\/workflows\/overnight-todo-api-/);
    assert.match(run.stdout, /\[10\/12\] validate done/);
    assert.match(run.stdout, /^done: the API is ready, coverage \d+\.\d%/m);
    // What was asked and where it is: the CLI's last lines and the README's last section, written by code.
    assert.match(run.stdout, /^what you asked for, and where it is:\n {2}✓ todo → \/todos: GET, POST, GET, PUT, DELETE\n/m);
    const readme = readFileSync(path.join(output, 'README.md'), 'utf8');
    assert.match(readme, /\n## What was asked for, and where it is\n\n.*\n\n- ✓ todo → \/todos: GET, POST, GET, PUT, DELETE\n/);
    const status = readStatusJson(output);
    assert.deepEqual(status.fidelity?.buildable, true);

    // The plan strategy's project (docs/generated-api.md), all of it code's: the plan holds nothing in words,
    // so the model was asked for the plan and nothing else.
    for (const file of [
      'internal/models/models.go',
      'internal/models/behaviour.go',
      'internal/store/sqlite.go',
      'internal/handlers/handlers.go',
      'tests/api_test.go',
      'openapi.yaml',
    ])
      assert.ok(existsSync(path.join(output, file)), `${file} is missing`);
    assert.equal(existsSync(path.join(output, 'internal/handlers/todo_handler.go')), false, 'no file of the whole strategy');
    assert.deepEqual(writersOf(output), ['plan']);
    for (const f of status.files.filter((x) => x.provenance)) assert.equal(f.provenance?.modelLines, 0, `${f.path}: the model wrote none of it`);
    assert.deepEqual(
      ollama.calls.map((c) => c.file),
      [undefined],
      'one model call, the plan',
    );
    const check = await validApi(output);
    // The night's story in git: code's commits, by overnight-llm, and nothing left uncommitted.
    assert.deepEqual(gitLog(output), [
      'overnight-llm|scaffold: the project code writes from the plan (todos; store sqlite)',
      'overnight-llm|readme: README.md from the plan, by code',
      'overnight-llm|report: status.json (run completed, validation passed, coverage ' + status.validation?.final.coveragePercent + '%)',
    ]);
    assert.equal(execFileSync('git', ['-C', output, 'status', '--porcelain'], { encoding: 'utf8' }).trim(), '');
    // openapi.yaml promises no success the server did not answer in that CRUD round.
    const { listed, answered } = openapiAgainstCrud(output, check.details);
    const successes = listed.filter((r) => / 2\d\d$/.test(r));
    assert.equal(successes.length, 5, listed.join(', '));
    for (const r of successes) assert.ok(answered.has(r), `openapi.yaml lists ${r}, which the server did not answer (${[...answered].join(', ')})`);
  });

  test('status.json and the SQLite mirror agree on every phase', () => {
    const status = readStatusJson(output);
    const mirror = new Database(db, { readonly: true });
    const rows = mirror
      .prepare('SELECT phase, round, status, tokens_in, tokens_out FROM phases WHERE workflow_id = ? ORDER BY seq')
      .all(status.run.workflowId) as {
      phase: string;
      round: number;
      status: string;
      tokens_in: number;
      tokens_out: number;
    }[];
    const validation = mirror.prepare('SELECT containment FROM validations WHERE workflow_id = ? ORDER BY round DESC').get(status.run.workflowId) as {
      containment: string;
    };
    mirror.close();
    assert.match(
      status.validation?.final.containment ?? '',
      /^(WEAKER THAN CI \(namespaces\+readonly\): )?(namespaces: |no namespaces \()/,
      'the final validation names its containment',
    );
    assert.equal(status.validation?.final.containment, validation.containment);
    assert.deepEqual(
      status.phases.map((p: { name: string; round: number; status: string; tokensIn: number; tokensOut: number }) => [
        p.name,
        p.round,
        p.status,
        p.tokensIn,
        p.tokensOut,
      ]),
      rows.map((r) => [r.phase, r.round, r.status, r.tokens_in, r.tokens_out]),
    );
    // Code writes the project at the scaffold and the behaviour at models: the phases of files the model writes whole are skipped.
    assert.deepEqual(
      status.phases.map((p) => `${p.name}:${p.status}`),
      [
        ...['preflight', 'plan', 'scaffold', 'models'].map((p) => `${p}:done`),
        ...['repository', 'handlers', 'server', 'tests'].map((p) => `${p}:skipped`),
        ...['readme:done', 'validate:done', 'repair:skipped', 'report:done'],
      ],
    );
    assert.equal(status.run.status, 'completed');
    assert.ok(status.totals.tokensOut > 0);
  });

  test('the same command again finds the finished run instead of starting another', async () => {
    const calls = ollama.calls.length;
    const again = await runCli(['-output', output, '--db', db, ...common]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /already holds a finished run \(overnight-todo-api-\w+\) with a valid API: see .*status\.json/);
    assert.equal(ollama.calls.length, calls, 'no LLM call for a finished run');
  });

  test('status and list show the run', async () => {
    const status = await runCli(['status', '-output', output, '-db', db, ...common]);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /completed .*REST API for todo list/);
    assert.match(status.stdout, /validate done/);
    // From elsewhere, with another mirror: the run's own mirror is found through the server.
    const id = readStatusJson(output).run.workflowId;
    const elsewhere = await runCli(['status', id, '-db', path.join(tmpDir('e2e-elsewhere'), 'other.db'), ...common]);
    assert.equal(elsewhere.code, 0, elsewhere.stderr);
    assert.match(elsewhere.stdout, new RegExp(`^${id}: completed .*REST API for todo list`));
    assert.match(elsewhere.stdout, /validate done/);
    const list = await runCli(['list', '-json', ...common]);
    assert.equal(list.code, 0, list.stderr);
    const row = (JSON.parse(list.stdout) as { workflowId: string; status: string; model: string; prompt: string; outputDir: string }[]).find((r) =>
      r.workflowId.startsWith('overnight-todo-api-'),
    );
    assert.deepEqual(row && [row.status, row.model, row.prompt, row.outputDir], ['COMPLETED', 'codellama:7b', 'REST API for todo list', output]);
    const plain = await runCli(['list', ...common]);
    assert.match(plain.stdout, /COMPLETED\s+valid \d+\.\d%\s+overnight-todo-api-\S+\s+codellama:7b\s+"REST API for todo list"/);
  });

  test('list filters on the search attributes the CLI registered on its embedded server', async () => {
    const id = readStatusJson(output).run.workflowId;
    const listed = async (filter: string) => {
      const r = await runCli(['list', '-json', filter, ...common]);
      assert.equal(r.code, 0, r.stderr);
      return (JSON.parse(r.stdout) as { workflowId: string }[]).some((row) => row.workflowId === id);
    };
    assert.equal(await listed(`OvernightOutcome = 'valid' AND OvernightCoverage >= 70 AND OvernightModel = 'codellama:7b'`), true);
    assert.equal(await listed(`OvernightOutcome = 'failed'`), false);
    // The release that started it, for the patch deprecation path (docs/versioning.md).
    const release = (JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    assert.equal(await listed(`OvernightRelease = '${release}'`), true);
    assert.equal(await listed(`OvernightRelease = '0.0.0-never'`), false);
    const bad = await runCli(['list', 'NoSuchAttribute = 1', ...common]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr.trim(), /^overnight-llm: list: the server refused the filter "NoSuchAttribute = 1": .*NoSuchAttribute/);
    assert.equal(bad.stderr.trim().split('\n').length, 1);
  });

  test('status -json and watch serve scripts; an unknown id is one line and exit 2', async () => {
    const json = await runCli(['status', '-json', '-output', output, '-db', db, ...common]);
    assert.equal(json.code, 0, json.stderr);
    const state = JSON.parse(json.stdout) as { status: string; phases: { name: string }[]; validation: { ok: boolean } };
    assert.equal(state.status, 'completed');
    assert.equal(state.phases.length, 12);
    assert.equal(state.validation.ok, true);
    const id = (JSON.parse(json.stdout) as { workflowId: string }).workflowId;
    const watch = await runCli(['watch', id, '-db', db, ...common]);
    assert.equal(watch.code, 0, watch.stderr);
    assert.match(watch.stdout, /^done: the API is ready/m);
    // From another folder, with another mirror: the phases still come from the run's own mirror.
    const watchElsewhere = await runCli(['watch', id, '-db', path.join(tmpDir('e2e-watch-elsewhere'), 'other.db'), ...common]);
    assert.equal(watchElsewhere.code, 0, watchElsewhere.stderr);
    assert.match(watchElsewhere.stdout, /validate done/);
    assert.match(watchElsewhere.stdout, /^done: the API is ready/m);
    const unknown = await runCli(['status', 'overnight-nosuch', ...common]);
    assert.equal(unknown.code, 2);
    assert.equal(unknown.stderr.trim(), `overnight-llm: no run overnight-nosuch on ${temporal}: see overnight-llm list`);
  });

  test("-restart is a new sample: the model is asked again with the next seed, not served the last run's answers", async () => {
    const before = ollama.calls.length;
    const again = await runCli(['-output', output, '--db', db, '-restart', ...common]);
    assert.equal(again.code, 0, `${again.stdout}\n${again.stderr}`);
    assert.match(again.stderr, /run 2 for .*todo-api: model seed 43/);
    const asked = ollama.calls.slice(before);
    assert.deepEqual(
      asked.map((c) => c.file),
      [undefined],
      'the model was asked for the plan again, not the response cache',
    );
    assert.deepEqual([...new Set(asked.map((c) => c.seed))], [43], 'every call of the second run has the new seed');
    assert.ok(
      ollama.calls.slice(0, before).every((c) => c.seed === 42),
      'the first run used -seed (42)',
    );
  });
});

describe('-strategy whole end to end', () => {
  test('the model writes each file whole: the folder holds its answers byte for byte, a commit a file, a valid API', async () => {
    const dir = tmpDir('e2e-whole');
    const output = path.join(dir, 'whole-api');
    const run = await runCli(['-output', output, '--db', path.join(dir, 'poc.db'), '-strategy', 'whole', ...common]);
    assert.equal(run.code, 0, `exit ${run.code}\n${run.stdout}\n${run.stderr}`);
    assert.match(run.stdout, /^done: the API is ready, coverage \d+\.\d%/m);
    assert.deepEqual(
      readStatusJson(output).phases.map((p) => p.name),
      ['preflight', 'plan', 'scaffold', 'models', 'repository', 'handlers', 'server', 'tests', 'readme', 'validate', 'report'],
    );
    // The scripted model answers with the fixture's files: what reached the folder is exactly them.
    for (const file of [
      'cmd/server/main.go',
      'internal/models/todo.go',
      'internal/repository/todo_repo.go',
      'internal/handlers/todo_handler.go',
      'tests/todo_handler_test.go',
    ]) {
      assert.equal(
        readFileSync(path.join(output, file), 'utf8'),
        readFileSync(path.join(FIXTURE_DIR, file), 'utf8'),
        `${file} is the model's answer, byte for byte`,
      );
    }
    const check = await validApi(output);
    // The night's story in git: a commit per phase that wrote files, by overnight-llm, and nothing left uncommitted.
    assert.deepEqual(gitLog(output), [
      'overnight-llm|scaffold: go.mod, openapi.yaml, .overnight-llm.json (module todo-api, resource todo)',
      'overnight-llm|models: internal/models/todo.go (codellama:7b)',
      'overnight-llm|repository: internal/repository/todo_repo.go (codellama:7b)',
      'overnight-llm|handlers: internal/handlers/todo_handler.go (codellama:7b)',
      'overnight-llm|server: cmd/server/main.go (codellama:7b)',
      'overnight-llm|tests: tests/todo_handler_test.go (codellama:7b)',
      'overnight-llm|readme: README.md (codellama:7b)',
      'overnight-llm|report: status.json (run completed, validation passed, coverage ' + readStatusJson(output).validation?.final.coveragePercent + '%)',
    ]);
    assert.equal(execFileSync('git', ['-C', output, 'status', '--porcelain'], { encoding: 'utf8' }).trim(), '');
    // openapi.yaml promises nothing the server did not answer in that CRUD round.
    const { listed, answered } = openapiAgainstCrud(output, check.details);
    assert.equal(listed.length, 6, listed.join(', '));
    for (const r of listed) assert.ok(answered.has(r), `openapi.yaml lists ${r}, which the server did not answer (${[...answered].join(', ')})`);
  });
});
