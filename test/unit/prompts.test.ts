// Every prompt template must render fully for a real plan, and every prompt that asks for a
// file must name exactly that file on one `File: <path>` line (the scripted Ollama and the
// people reading the Web UI both rely on it).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FILE_LAYOUT, filePathFor } from '../../core/layout.js';
import { writeFileAtomic } from '../../activities/files/write-file.js';
import { filePrompt } from '../../activities/llm/generate-file.js';
import { PROMPTS_DIR, dependencyVars, loadPrompt, referenceBlock, renderPrompt, specVars, type PromptName } from '../../activities/llm/prompts.js';
import { FILE_PHASES, type ApiSpec, type FilePhase, type GenerateFileInput } from '../../core/types.js';
import { TODO_SPEC } from '../support/scripted-ollama-responders.js';

const SPEC: ApiSpec = { ...TODO_SPEC, fields: [TODO_SPEC.fields[0]!, { name: 'Done', type: 'bool', json: 'done', required: false }] };

/** Stub file text per path, as a reader of already-written files would return it. */
const stub = (p: string) => `// stub of ${p}\npackage ${p.split('/').slice(-2, -1)[0] ?? 'main'}\n\nfunc Stub() {}`;

/** The files each whole-file prompt must show the model, written out here rather than read from the layout table. */
const CARRIES: Record<FilePhase, string[]> = {
  models: [],
  repository: ['internal/models/todo.go'],
  handlers: ['internal/models/todo.go', 'internal/repository/todo_repo.go'],
  server: ['internal/handlers/todo_handler.go'],
  tests: ['internal/models/todo.go', 'internal/repository/todo_repo.go', 'internal/handlers/todo_handler.go'],
  readme: [],
};
const GO_FILES = [...new Set(Object.values(CARRIES).flat()), 'cmd/server/main.go', 'tests/todo_handler_test.go'];

function fileVars(phase: FilePhase): Record<string, string> {
  return {
    ...specVars(SPEC),
    path: filePathFor(phase, SPEC.resource),
    coverageGoal: '70',
    ...dependencyVars(SPEC, FILE_LAYOUT[phase].carries, stub),
  };
}

function repairVars(phase: FilePhase): Record<string, string> {
  const others = FILE_PHASES.filter((p) => p !== phase && p !== 'readme').map((p) =>
    referenceBlock(filePathFor(p, SPEC.resource), stub(filePathFor(p, SPEC.resource))),
  );
  return {
    ...specVars(SPEC),
    path: filePathFor(phase, SPEC.resource),
    coverageGoal: '70',
    round: '2',
    errors: `${filePathFor(phase, SPEC.resource)}:12:2: declared and not used: x`,
    'file:self': stub(filePathFor(phase, SPEC.resource)),
    'file:others': others.join('\n\n'),
  };
}

const fileLines = (text: string) => [...text.matchAll(/^File: (.+)$/gm)].map((m) => m[1]);

describe('templates', () => {
  test("prompts/ holds one template per phase, plus system, plan (and plan-bare, without its examples), repair, the guided strategy's function, function-fix and test-cases, and the plan writer's behaviour and filter examples", () => {
    const names = readdirSync(PROMPTS_DIR)
      .filter((f) => f.endsWith('.txt'))
      .map((f) => f.replace(/\.txt$/, ''))
      .sort();
    assert.deepEqual(
      names,
      [...FILE_PHASES, 'plan', 'plan-bare', 'repair', 'system', 'function', 'function-fix', 'test-cases', 'behaviour', 'filter-examples'].sort(),
    );
  });

  test("the behaviour prompt shows the resource's Go type, its enums and PointerTo, and says what the method does in the plan's words", async () => {
    const { behaviourCandidatePrompt } = await import('../../activities/plan/behaviour-candidate.js');
    const { LIBRARY_PLAN } = await import('../../core/go/sample-plans.js');
    const text = behaviourCandidatePrompt(LIBRARY_PLAN, 'Book.Checkout');
    assert.ok(!text.includes('{{'));
    for (const want of [
      'type Book struct',
      'BookGenreFiction BookGenre = "fiction"',
      'func PointerTo[T any](v T) *T',
      'func (x *Book) Checkout(now time.Time) error',
    ])
      assert.ok(text.includes(want), `the prompt lacks ${want}`);
    assert.match(text, /a book that is not available cannot be checked out/);
    assert.ok(!text.includes('type Author struct'), "another resource's type is not shown");
    assert.ok(!text.includes('The actions on a book'), 'the only action is the method itself: no list of others');
    // A filter in words sees the actions and what they set: what the fields mean.
    const recent = behaviourCandidatePrompt(LIBRARY_PLAN, 'Book.Recent');
    assert.match(recent, /The actions on a book, for what its fields mean:\n- POST \/books\/\{id\}\/checkout: sets available to false/);
  });

  test('every template renders for the todo spec with no {{ left', () => {
    const all: [PromptName, Record<string, string>][] = [
      ['system', {}],
      ['plan', { request: 'REST API for todo list' }],
      ['plan-bare', { request: 'REST API for todo list' }],
      ...FILE_PHASES.map((p) => [p, fileVars(p)] as [PromptName, Record<string, string>]),
      ['repair', repairVars('handlers')],
    ];
    for (const [name, vars] of all) {
      const text = renderPrompt(loadPrompt(name), vars);
      assert.ok(!text.includes('{{'), `${name}: ${text.match(/\{\{[^}]*\}\}/)?.[0]} left`);
      assert.ok(!text.includes('}}'), `${name}: stray }}`);
      assert.ok(!/undefined|\[object Object\]/.test(text), `${name}: a value rendered as undefined/object`);
    }
  });

  test('the plan prompt carries the request', () => {
    assert.ok(renderPrompt(loadPrompt('plan'), { request: 'REST API for books' }).includes('REST API for books'));
  });

  test('the rendered prompts carry the plan: module, type name, fields and endpoints', () => {
    const models = renderPrompt(loadPrompt('models'), fileVars('models'));
    assert.ok(models.includes('todo-api'));
    assert.ok(models.includes('Todo'));
    assert.ok(models.includes('- Title string `json:"title"` (required)'));
    assert.ok(models.includes('- Done bool `json:"done"`'));
    const handlers = renderPrompt(loadPrompt('handlers'), fileVars('handlers'));
    for (const e of ['GET /todos → 200', 'POST /todos → 201', 'GET /todos/{id} → 200', 'PUT /todos/{id} → 200', 'DELETE /todos/{id} → 204'])
      assert.ok(handlers.includes(e), `handlers prompt lists ${e}`);
    assert.ok(renderPrompt(loadPrompt('tests'), fileVars('tests')).includes('70%'), 'tests prompt names the coverage goal');
  });

  test('each dependency file is carried into the prompt that needs it', () => {
    for (const phase of FILE_PHASES) {
      const text = renderPrompt(loadPrompt(phase), fileVars(phase));
      for (const depPath of CARRIES[phase]) assert.ok(text.includes(stub(depPath)), `${phase} prompt carries ${depPath}`);
    }
  });
});

describe('File: lines', () => {
  for (const phase of FILE_PHASES) {
    test(`${phase}: exactly one File: line, naming ${filePathFor(phase, 'todo')}`, () => {
      const text = renderPrompt(loadPrompt(phase), fileVars(phase));
      assert.deepEqual(fileLines(text), [filePathFor(phase, SPEC.resource)]);
    });
  }

  for (const phase of FILE_PHASES.filter((p) => p !== 'readme')) {
    test(`repair of ${phase}: exactly one File: line, naming ${filePathFor(phase, 'todo')}`, () => {
      const text = renderPrompt(loadPrompt('repair'), repairVars(phase));
      assert.deepEqual(fileLines(text), [filePathFor(phase, SPEC.resource)]);
    });
  }

  test('system and plan prompts ask for no file', () => {
    assert.deepEqual(fileLines(loadPrompt('system')), []);
    assert.deepEqual(fileLines(renderPrompt(loadPrompt('plan'), { request: 'x' })), []);
  });

  test('dependency blocks never contain a File: line', () => {
    for (const phase of FILE_PHASES) {
      const deps = dependencyVars(
        SPEC,
        FILE_PHASES.filter((p) => p !== phase),
        stub,
      );
      for (const [key, block] of Object.entries(deps)) {
        assert.match(key, /^file:(models|repository|handlers|server|tests|readme)$/);
        assert.deepEqual(fileLines(block), [], `${key} has a File: line`);
        assert.doesNotMatch(block, /^\s*File:/m);
      }
    }
    assert.deepEqual(fileLines(referenceBlock('internal/models/todo.go', null)), []);
    assert.match(referenceBlock('internal/models/todo.go', null), /not written yet/);
  });

  test('dependencyVars reads each dependency by its layout path', () => {
    const asked: string[] = [];
    const vars = dependencyVars(SPEC, ['models', 'repository'], (p) => (asked.push(p), 'x'));
    assert.deepEqual(asked, ['internal/models/todo.go', 'internal/repository/todo_repo.go']);
    assert.deepEqual(Object.keys(vars), ['file:models', 'file:repository']);
    assert.ok(vars['file:models'].startsWith('internal/models/todo.go:\n```go\nx\n```'));
  });
});

describe('renderPrompt', () => {
  test('throws on a missing placeholder, naming it', () => {
    assert.throws(() => renderPrompt('Write {{module}} for {{plural}}', { module: 'm' }), /\{\{plural\}\}/);
    assert.throws(() => renderPrompt(loadPrompt('handlers'), specVars(SPEC)), /placeholder/);
    assert.throws(() => renderPrompt(loadPrompt('repair'), { ...fileVars('models') }), /\{\{(round|errors|file:self|file:others)\}\}/);
  });

  test('an empty string is a value, not a missing one', () => {
    assert.equal(renderPrompt('a{{x}}b', { x: '' }), 'ab');
  });

  test('values are inserted literally, never expanded again', () => {
    const goTemplate = 'tmpl := `{{.Title}} {{module}} $& $1`';
    assert.equal(renderPrompt('File: {{path}}\n{{file:self}}', { path: 'a.go', 'file:self': goTemplate }), `File: a.go\n${goTemplate}`);
  });
});

describe('filePrompt (the prompts generate-file actually sends)', () => {
  let out: string;
  before(() => {
    out = mkdtempSync(path.join(os.tmpdir(), 'prompts-'));
    for (const phase of FILE_PHASES) {
      const p = filePathFor(phase, SPEC.resource);
      writeFileAtomic(out, p, stub(p) + '\n');
    }
  });
  after(() => rmSync(out, { recursive: true, force: true }));

  const input = (phase: FilePhase, repair?: GenerateFileInput['repair']) =>
    ({
      workflowId: 'wf',
      phase,
      prompt: 'REST API for todo list',
      spec: SPEC,
      outputDir: out,
      dbPath: path.join(out, 'db'),
      llm: {} as GenerateFileInput['llm'],
      coverageGoal: 80,
      repair,
    }) as GenerateFileInput;

  for (const phase of FILE_PHASES) {
    test(`${phase}, first pass and repair: one File: line for its own path, nothing left unrendered`, () => {
      const first = filePrompt(input(phase));
      assert.deepEqual(fileLines(first), [filePathFor(phase, SPEC.resource)]);
      assert.ok(!first.includes('{{'));
      const carried = GO_FILES.filter((p) => first.includes(stub(p)));
      assert.deepEqual(carried.sort(), [...CARRIES[phase]].sort(), `${phase} prompt carries exactly its dependencies`);
      const repair = filePrompt(input(phase, { round: 1, errors: 'vet: something' }));
      assert.deepEqual(fileLines(repair), [filePathFor(phase, SPEC.resource)]);
      assert.ok(!repair.includes('{{'));
      assert.ok(repair.includes('vet: something'));
    });
  }
});
