// The guided strategy's composeFile as an activity (MockActivityEnvironment) against the
// scripted Ollama and the real Go toolchain: the files it composes make an API the validate
// activity passes; a function that does not compile goes back to the model with the compiler's
// words and the better candidate is kept; mechanical faults are fixed by code with no model call;
// test cases that fail are dropped; provenance says who wrote what.
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { writeScaffold } from '../../activities/files/scaffold.js';
import { composeFile } from '../../activities/guided/compose-file.js';
import { validateProject } from '../../activities/go/validate.js';
import { closeMirrors } from '../../lib/db.js';
import { FILE_PHASES, type FilePhase, type GenerateFileInput, type GenerateFileResult } from '../../core/types.js';
import { FIXTURE_DIR, runInput } from '../support/run-fixtures.js';
import { guidedTestCases } from '../support/guided-answers.js';
import { startScriptedOllama, todoApiResponder, TODO_SPEC, withOverrides, type Override, type ScriptedRequest } from '../support/scripted-ollama.js';

process.env.OVERNIGHT_STATE_DIR ??= path.resolve(FIXTURE_DIR, '../../../.state/test');

const dirs: string[] = [];
after(() => {
  closeMirrors();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const compose = (input: GenerateFileInput) =>
  new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR') }).run(composeFile, input) as Promise<GenerateFileResult>;

const REPO = 'internal/repository/todo_repo.go';
const HANDLERS = 'internal/handlers/todo_handler.go';
const asks = (name: string) => (req: ScriptedRequest) => req.file === REPO && new RegExp(`^Function: ${name}$`, 'm').test(req.lastUserMessage);

/** Composes every file phase in order against a scripted model with `overrides`; returns the results and the requests seen. */
async function composeAll(overrides: Override[] = [], repairOverrides: Override[] = []) {
  const seen: ScriptedRequest[] = [];
  const respond = withOverrides(todoApiResponder({ fixtureDir: FIXTURE_DIR }), overrides);
  const server = await startScriptedOllama({ respond: (req, i) => (seen.push(req), respond(req, i)) });
  const run = runInput(server.url, { strategy: 'guided' });
  dirs.push(path.dirname(run.dbPath));
  try {
    await writeScaffold({ workflowId: 'wf-guided', outputDir: run.outputDir, spec: TODO_SPEC });
    const results = new Map<FilePhase, GenerateFileResult>();
    for (const phase of FILE_PHASES) {
      results.set(
        phase,
        await compose({
          workflowId: 'wf-guided',
          phase,
          prompt: run.prompt,
          spec: TODO_SPEC,
          outputDir: run.outputDir,
          dbPath: run.dbPath,
          llm: run.llm,
          coverageGoal: 70,
        }),
      );
    }
    // Then, when asked, a repair round of the repository and the tests against a model that now answers worse.
    if (repairOverrides.length) {
      overrides.unshift(...repairOverrides);
      const base = {
        workflowId: 'wf-guided',
        prompt: run.prompt,
        spec: TODO_SPEC,
        outputDir: run.outputDir,
        dbPath: run.dbPath,
        llm: run.llm,
        coverageGoal: 70,
      };
      const repair = { round: 1, errors: 'smoke run of the built server:\nGET /todos -> 500' };
      results.set('repository', await compose({ ...base, phase: 'repository', repair }));
      results.set('tests', await compose({ ...base, phase: 'tests', repair }));
    }
    return { results, seen, outputDir: run.outputDir };
  } finally {
    await server.close();
  }
}

describe('guided strategy: composeFile', () => {
  it('composes an API that vets, builds, passes its tests over the coverage goal and serves CRUD', async () => {
    const { results, seen, outputDir } = await composeAll();
    const report = await validateProject({ outputDir, spec: TODO_SPEC, coverageGoal: 70 });
    assert.ok(report.ok, JSON.stringify(report.steps.filter((s) => !s.ok)));
    assert.ok(report.coveragePercent! >= 70, `coverage ${report.coveragePercent}`);
    // One request per function (1 + 5 + 5 + 1), one for the cases, one for the README.
    const functionCalls = seen.filter((r) => /^Function: /m.test(r.lastUserMessage)).length;
    assert.equal(functionCalls, 12);
    const repo = results.get('repository')!.file.provenance!;
    assert.equal(repo.candidates, 5);
    assert.equal(repo.errorsLeft, 0);
    assert.ok(repo.modelLines > 20 && repo.contractLines > 10, JSON.stringify(repo));
    // The file on disk holds the model's bodies inside the contract.
    const source = readFileSync(path.join(outputDir, REPO), 'utf8');
    assert.match(source, /func \(r \*TodoRepository\) Get\(id int\) \(models\.Todo, error\) \{\n\tr\.mu\.Lock\(\)/);
    const tests = results.get('tests')!.file.provenance!;
    assert.equal(tests.modelLines, guidedTestCases(TODO_SPEC).length);
    assert.equal(results.get('readme')!.file.provenance, undefined);
  });

  it('sends a function the compiler rejects back with its error, keeps the fixed one; mechanical faults are fixed by code', async () => {
    const getWithUndefined =
      '```go\nfunc (r *TodoRepository) Get(id int) (models.Todo, error) {\n\tr.mu.Lock()\n\tdefer r.mu.Unlock()\n\treturn lookup(r.items, id)\n}\n```';
    // Other parameter names, an unused variable and a missing import of strconv: code fixes all three.
    const deleteOtherNames =
      '```go\nfunc (repo *TodoRepository) Delete(todoID int) error {\n\trepo.mu.Lock()\n\tdefer repo.mu.Unlock()\n\tlabel := strconv.Itoa(todoID)\n\tif _, ok := repo.items[todoID]; !ok {\n\t\treturn ErrNotFound\n\t}\n\tdelete(repo.items, todoID)\n\treturn nil\n}\n```';
    const { results, seen, outputDir } = await composeAll([
      { when: asks('Get'), times: 1, answer: getWithUndefined },
      { when: asks('Delete'), times: 1, answer: deleteOtherNames },
    ]);
    const fix = seen.find((r) => /is not right yet/.test(r.lastUserMessage));
    assert.ok(fix, 'a fix request was sent');
    assert.match(fix.lastUserMessage, /`return lookup\(r\.items, id\)`: undefined: lookup/);
    const repo = results.get('repository')!.file.provenance!;
    assert.equal(repo.candidates, 6, 'five functions, one of them twice');
    assert.deepEqual([...repo.fixes].sort(), ['goimports', 'renamed-parameters', 'unused-variable']);
    assert.ok(repo.errorsSeen.some((e) => /undefined: lookup/.test(e)));
    const source = readFileSync(path.join(outputDir, REPO), 'utf8');
    assert.match(source, /_ = strconv\.Itoa\(id\)/);
    assert.doesNotMatch(source, /lookup|todoID|repo\./);
    const report = await validateProject({ outputDir, spec: TODO_SPEC, coverageGoal: 70 });
    assert.ok(report.ok, JSON.stringify(report.steps.filter((s) => !s.ok)));
  });

  it('a repair round never makes a file worse: a function whose new answers do not compile keeps its old body, the old cases stay', async () => {
    const broken = '```go\nfunc (r *TodoRepository) Get(id int) (models.Todo, error) {\n\treturn lookup(id)\n}\n```';
    const { results, outputDir } = await composeAll(
      [],
      [
        { when: asks('Get'), answer: broken },
        {
          when: (r) => /^Test cases for:/m.test(r.lastUserMessage),
          answer: JSON.stringify({ cases: [{ name: 'wrong', method: 'GET', path: '/todos/1', body: '', status: 404 }] }),
        },
      ],
    );
    const repo = results.get('repository')!.file.provenance!;
    assert.equal(repo.errorsLeft, 0, JSON.stringify(repo));
    assert.doesNotMatch(readFileSync(path.join(outputDir, REPO), 'utf8'), /lookup|not written yet/);
    assert.equal(
      results.get('tests')!.file.provenance!.modelLines,
      guidedTestCases(TODO_SPEC).length,
      'the cases from before are kept; the failing new one is dropped',
    );
    const report = await validateProject({ outputDir, spec: TODO_SPEC, coverageGoal: 70 });
    assert.ok(report.ok, JSON.stringify(report.steps.filter((s) => !s.ok)));
  });

  it('drops proposed test cases that fail and keeps the rest', async () => {
    const wrong = { name: 'wrong status', method: 'GET', path: '/todos/1', body: '', status: 404 };
    const { results, outputDir } = await composeAll([
      { when: (r) => /^Test cases for:/m.test(r.lastUserMessage), times: 1, answer: JSON.stringify({ cases: [...guidedTestCases(TODO_SPEC), wrong] }) },
    ]);
    const tests = results.get('tests')!.file.provenance!;
    assert.equal(tests.modelLines, guidedTestCases(TODO_SPEC).length);
    assert.ok(
      tests.errorsSeen.some((e) => /wrong status: GET \/todos\/1 answered 200, want 404/.test(e)),
      JSON.stringify(tests.errorsSeen),
    );
    assert.doesNotMatch(readFileSync(path.join(outputDir, 'tests/todo_handler_test.go'), 'utf8'), /wrong status/);
    const handlers = results.get('handlers')!.file.provenance!;
    assert.equal(handlers.errorsLeft, 0);
    assert.ok(readFileSync(path.join(outputDir, HANDLERS), 'utf8').includes('mux.HandleFunc("DELETE /todos/{id}", h.Delete)'));
  });
});
