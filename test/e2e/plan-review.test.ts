// The plan before any code, as a user drives it from a second terminal: -review-plan waits,
// `plan ID` shows the plan, `approve ID -edit` with a bad file is refused (exit 2) while the run
// keeps waiting, a good edit is what every later phase uses; -plan-only writes plan.json and stops.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import type { Plan } from '../../core/plan.js';
import { checkApi, specFromOutput } from '../support/check-api.js';
import { cliSetup, runCli, spawnCli, type CliSetup } from '../support/cli.js';
import { FIXTURE_DIR, tmpDir } from '../support/run-fixtures.js';
import { TODO_PLAN } from '../support/scripted-ollama.js';
import { readStatusJson } from '../support/status-schema.js';

let setup: CliSetup;
before(async () => {
  setup = await cliSetup({ fixtureDir: FIXTURE_DIR });
});
after(() => setup?.stop());

describe('-review-plan and -plan-only', () => {
  const dir = tmpDir('e2e-review');

  test('the run waits for approve; a bad -edit is refused with exit 2 and the run waits on; a good edit is used by every later phase', async () => {
    const output = path.join(dir, 'todo-api');
    const common = ['-db', path.join(dir, 'poc.db'), ...setup.common];
    const started = spawnCli(['-review-plan', '-output', output, ...common]);
    let stdout = '';
    started.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    const ended = new Promise<number | null>((resolve) => started.once('exit', resolve));
    try {
      // `plan ID` answers once the plan waits.
      const id = await waitFor(async () => {
        const listed = JSON.parse((await runCli(['list', '-json', ...setup.common])).stdout) as { workflowId: string; outputDir: string }[];
        const runId = listed.find((r) => r.outputDir === output)?.workflowId;
        if (!runId) return null;
        const shown = await runCli(['plan', runId, ...common]);
        return shown.code === 0 && /waiting for approval until/.test(shown.stdout) ? runId : null;
      });
      const shown = await runCli(['plan', id, ...common]);
      assert.match(shown.stdout, /^Go module todo-api\nresource todo \(plural todos\)$/m);
      assert.match(shown.stdout, /^what the request asks for, and where it is:\n  ✓ todo → /m);
      assert.match(shown.stdout, /^ {2}title +string +required$/m);
      assert.match(shown.stdout, /^ {2}DELETE \/todos\/\{id\} +→ 204$/m);
      assert.match(stdout, /waiting for your approval of the plan/);
      const asJson = await runCli(['plan', id, '-json', ...common]);
      assert.deepEqual(JSON.parse(asJson.stdout), TODO_PLAN, 'plan -json is the form -edit takes');
      assert.equal(setup.ollama.calls.filter((c) => c.file).length, 0, 'no file asked for before approval');
      assert.equal(setup.ollama.calls.length, 1, 'the plan, asked once');
      assert.deepEqual(JSON.parse(readFileSync(path.join(output, 'plan.json'), 'utf8')), TODO_PLAN);

      const bad = path.join(dir, 'bad.json');
      const todo = TODO_PLAN.resources[0]!;
      writeFileSync(bad, JSON.stringify({ ...TODO_PLAN, resources: [{ ...todo, plural: 'todo' }] }));
      const refused = await runCli(['approve', id, '-edit', bad, ...common]);
      assert.equal(refused.code, 2, refused.stderr);
      assert.match(
        refused.stderr,
        /^overnight-llm: -edit .*bad\.json: the edited plan is not valid: resources\[0\]\.plural must be one lower-case word different from its name/m,
      );
      const notJson = path.join(dir, 'not.json');
      writeFileSync(notJson, '{ plural: todos');
      const unreadable = await runCli(['approve', id, '-edit', notJson, ...common]);
      assert.equal(unreadable.code, 2);
      assert.match(unreadable.stderr, /-edit .*not\.json is not JSON/);
      assert.match((await runCli(['plan', id, ...common])).stdout, /waiting for approval until/, 'still waiting');

      // The edit: description becomes required, which the project code writes from the plan must then require.
      const edited: Plan = {
        ...TODO_PLAN,
        resources: [{ ...todo, fields: todo.fields.map((f) => (f.name === 'description' ? { ...f, required: true } : f)) }],
      };
      const good = path.join(dir, 'good.json');
      writeFileSync(good, JSON.stringify(edited, null, 2));
      const approved = await runCli(['approve', id, '-edit', good, ...common]);
      assert.equal(approved.code, 0, approved.stderr);
      assert.match(approved.stdout, /approved: .* goes on with your plan/);
      assert.equal(await ended, 0, stdout);
    } finally {
      started.kill('SIGKILL');
    }
    assert.deepEqual(
      JSON.parse(readFileSync(path.join(output, 'plan.json'), 'utf8')).resources[0].fields,
      TODO_PLAN.resources[0]!.fields.map((f) => ({ ...f, required: f.required || f.name === 'description' })),
    );
    // Every later phase had the edit: the scaffold's openapi.yaml and models say so (no pointer, no omitempty), and
    // the model was asked for nothing after the plan (the default strategy: code writes the project from the plan).
    const openapi = parseYaml(readFileSync(path.join(output, 'openapi.yaml'), 'utf8')) as { components: { schemas: Record<string, { required?: string[] }> } };
    assert.ok(openapi.components.schemas.TodoInput?.required?.includes('description'), 'openapi.yaml has the edited required field');
    assert.match(readFileSync(path.join(output, 'internal/models/models.go'), 'utf8'), /^\tDescription +string +`json:"description"`$/m);
    assert.deepEqual(
      setup.ollama.calls.map((c) => c.file),
      [undefined],
      'one model call, the plan',
    );
    const check = await checkApi(output, specFromOutput(output));
    assert.equal(check.valid, true, check.details);
    const log = execFileSync('git', ['-C', output, 'log', '--format=%s', '--reverse'], { encoding: 'utf8' });
    assert.match(log, /^plan: plan\.json, the model's plan .*\nplan: plan\.json, edited by the user .*\nscaffold: /m);
    const notes = readStatusJson(output).phases.find((p) => p.name === 'plan')?.notes ?? [];
    assert.ok(
      notes.some((n) => /replaced by the user's edit/.test(n)),
      notes.join('\n'),
    );
  });

  test("-plan-only writes plan.json, no code, and exits 0; the folder's status.json says so", async () => {
    const output = path.join(dir, 'plan-only');
    const run = await runCli(['-plan-only', '-output', output, '-db', path.join(dir, 'poc.db'), ...setup.common]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^done after the plan: the plan is written to plan\.json \(-plan-only\)/m);
    // What was asked and where it is in the plan, before the last line.
    assert.match(run.stdout, /^what you asked for, and where it is:\n {2}✓ todo → /m);
    assert.deepEqual(JSON.parse(readFileSync(path.join(output, 'plan.json'), 'utf8')), TODO_PLAN);
    assert.equal(existsSync(path.join(output, 'go.mod')), false, 'no scaffold');
    const status = readStatusJson(output);
    assert.deepEqual(
      status.phases.filter((p) => p.status !== 'skipped').map((p) => p.name),
      ['preflight', 'plan', 'report'],
    );
  });
});

describe('a sentence the plan cannot hold', () => {
  const dir = tmpDir('e2e-cannot-build');

  test('a chess engine ends at the plan with one line that says why and what to ask instead, exit 1, no code', async () => {
    const output = path.join(dir, 'chess');
    const run = await runCli(['-prompt', 'a chess engine', '-output', output, '-db', path.join(dir, 'poc.db'), ...setup.common]);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    const last = run.stdout.trim().split('\n').at(-1)!;
    assert.match(
      last,
      /^done after the plan: the request asks for computation beyond storing and serving data, which overnight-llm does not build, .*e\.g\. "REST API for/,
    );
    assert.equal(existsSync(path.join(output, 'go.mod')), false, 'no code was written');
    const status = readStatusJson(output);
    assert.equal(status.fidelity?.buildable, false);
    assert.ok(status.fidelity?.requirements.some((r) => r.asked === 'engine' && r.where === null));
  });
});

async function waitFor<T>(probe: () => Promise<T | null>, timeoutMs = 60_000): Promise<T> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await new Promise((r) => setTimeout(r, 500))) {
    const value = await probe();
    if (value !== null) return value;
  }
  throw new Error(`not within ${timeoutMs} ms`);
}
