// The guided strategy's pure parts: a function cut out of a hostile answer, the model's
// parameter names mapped onto the contract's, the deterministic fixers, the contract derived
// from the plan, and test cases parsed from JSON and read back from `go test -json`.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { contractFor, handlerMethodFor } from '../../activities/guided/contract.js';
import { uncoveredCode, uncoveredFunctions } from '../../activities/guided/coverage-hints.js';
import { endpointAsk } from '../../activities/guided/test-cases.js';
import {
  answerStart,
  bodyFromAnswer,
  continuedAnswer,
  finishedBeforeCut,
  functionsIn,
  matchingBracket,
  NoFunctionError,
  otherBodiesIn,
  renameIdentifiers,
} from '../../activities/guided/go-source.js';
import { casesInFile, failedCases, parseCases, renderTests } from '../../activities/guided/tests-file.js';
import {
  exportedNames,
  fixCommaIf,
  fixImportPaths,
  fixPointerAssignments,
  fixUnusedVariables,
  parseGoErrors,
  qualifyNames,
} from '../../activities/go/fixers.js';
import { TODO_SPEC } from '../support/scripted-ollama.js';

const GET = contractFor(TODO_SPEC, 'repository').holes.find((h) => h.name === 'Get')!;

describe('cutting a function out of an answer', () => {
  test('braces inside strings, runes, raw strings and comments do not end the body', () => {
    const src = 'func (r *X) Get(id int) (T, error) {\n\ts := "}"\n\tc := \'}\'\n\traw := `{`\n\t// }\n\t/* } */\n\treturn T{}, nil\n}\n';
    const [fn] = functionsIn(src);
    assert.equal(fn.name, 'Get');
    assert.match(fn.body, /return T\{\}, nil$/);
    assert.equal(matchingBracket('{ "}" ', 0), -1, 'a cut-off body has no closing brace');
  });

  test("the function of that name is taken from prose and several blocks, with the model's names renamed to the contract's", () => {
    const answer =
      'Sure! Here it is:\n```go\npackage repository\n\nfunc helper() {}\n\nfunc (repo *TodoRepository) Get(todoID int) (models.Todo, error) {\n\trepo.mu.Lock()\n\tdefer repo.mu.Unlock()\n\tt, ok := repo.items[todoID]\n\tif !ok {\n\t\treturn models.Todo{}, ErrNotFound\n\t}\n\treturn t, nil // todoID found\n}\n```\nHope it helps.';
    const { body, renamed } = bodyFromAnswer(answer, GET);
    assert.ok(renamed);
    assert.match(body, /r\.mu\.Lock\(\)/);
    assert.match(body, /r\.items\[id\]/);
    assert.match(body, /\/\/ todoID found/, 'comments are left as written');
    assert.doesNotMatch(body, /repo\./);
  });

  test('a field or method named like a parameter is not renamed', () => {
    assert.equal(renameIdentifiers('x.id = id; s := "id"', new Map([['id', 'n']])), 'x.id = n; s := "id"');
  });

  test('a bare body in a block is taken as the body; prose alone or a cut-off function is refused', () => {
    assert.equal(bodyFromAnswer('```go\nreturn models.Todo{}, nil\n```', GET).body, 'return models.Todo{}, nil');
    assert.throws(() => bodyFromAnswer('I cannot help with that.', GET), NoFunctionError);
    assert.throws(() => bodyFromAnswer('```go\nfunc (r *TodoRepository) Get(id int) (models.Todo, error) {\n\tr.mu.Lock()\n', GET), NoFunctionError);
  });
});

describe('an answer the model continues', () => {
  test("the body written after the given signature, stopped at the closing brace, is the function's body", () => {
    const start = answerStart(GET);
    const text = continuedAnswer(start, '\tx, ok := r.items[id]\n\tif !ok {\n\t\treturn models.Todo{}, ErrNotFound\n\t}\n\treturn x, nil');
    assert.equal(bodyFromAnswer(text, GET).body, '\tx, ok := r.items[id]\n\tif !ok {\n\t\treturn models.Todo{}, ErrNotFound\n\t}\n\treturn x, nil');
    const closed = continuedAnswer(start, '\treturn models.Todo{}, ErrNotFound\n}\n```');
    assert.equal(bodyFromAnswer(closed, GET).body, '\treturn models.Todo{}, ErrNotFound', 'an answer that closed itself is not closed twice');
  });

  test('cut off by the token limit: a body closed before the cut counts, half a body does not (issue #27)', () => {
    const start = answerStart(GET);
    // Stopped at its closing brace: the stop sequence ate the brace, the body is whole. Cut: it is not.
    assert.equal(finishedBeforeCut(start, '\treturn models.Todo{}, ErrNotFound', 'Get'), false, 'half a body, closed by nobody');
    assert.equal(finishedBeforeCut(start, '\treturn r.items[id], nil\n}\n\nfunc (r *TodoRepository) List() []models.Todo {\n\tout := ', 'Get'), true);
    assert.equal(finishedBeforeCut(start, 'Sure! Here is more prose than code and', 'Get'), false);
    // A helper first, then the function asked for, cut inside it.
    assert.equal(
      finishedBeforeCut(start, '```go\nfunc helper() int { return 1 }\nfunc (r *TodoRepository) Get(id int) (models.Todo, error) {\n\tx := ', 'Get'),
      false,
    );
  });

  test('a helper before the function asked for: the stop sequence ended the last one, which is closed', () => {
    const text = continuedAnswer(
      answerStart(GET),
      '```go\nfunc helper() int { return 1 }\nfunc (r *TodoRepository) Get(id int) (models.Todo, error) {\n\treturn r.items[id], nil',
    );
    assert.equal(bodyFromAnswer(text, GET).body, '\treturn r.items[id], nil');
  });

  test('a model that starts over with its own fence or signature is read as a whole answer', () => {
    const own = continuedAnswer(answerStart(GET), '```go\nfunc (repo *TodoRepository) Get(n int) (models.Todo, error) {\n\treturn repo.items[n], nil');
    assert.equal(bodyFromAnswer(own, GET).body, '\treturn r.items[id], nil');
  });
});

describe('deterministic fixers', () => {
  test("imports of the module's own packages under another path are corrected; third-party ones dropped", () => {
    const src = 'import (\n\t"net/http"\n\t"todo/models"\n\tm "github.com/me/todo-api/internal/repository"\n\t"github.com/go-test/deep"\n)\n';
    assert.equal(fixImportPaths(src, 'todo-api'), 'import (\n\t"net/http"\n\t"todo-api/internal/models"\n\tm "todo-api/internal/repository"\n\n)\n');
  });

  test('a value assigned to an optional (pointer) field becomes PointerTo(value); other mismatches are left alone', () => {
    const src = 'func (x *Job) Finish(now time.Time) error {\n\tx.Finished = true\n\tx.Price = x.Base + 1\n\tx.Note = 3\n\treturn nil\n}';
    const errors = parseGoErrors(
      [
        'internal/models/behaviour.go:2:15: cannot use true (untyped bool constant) as *bool value in assignment',
        'internal/models/behaviour.go:3:12: cannot use x.Base + 1 (value of type float64) as *float64 value in assignment',
        'internal/models/behaviour.go:4:11: cannot use 3 (untyped int constant) as *string value in assignment',
      ].join('\n'),
    );
    assert.equal(
      fixPointerAssignments(src, errors),
      'func (x *Job) Finish(now time.Time) error {\n\tx.Finished = PointerTo(true)\n\tx.Price = PointerTo(x.Base + 1)\n\tx.Note = 3\n\treturn nil\n}',
    );
    assert.equal(fixPointerAssignments(src, errors.slice(2)), null);
  });

  test('declared and not used: the name becomes _, and := becomes = when nothing new is left', () => {
    const src = 'func f(m map[int]int) {\n\tx, ok := m[1]\n\tif !ok {\n\t}\n\ty := len(m)\n}';
    const errors = parseGoErrors('./internal/x/x.go:2:2: declared and not used: x\ninternal/x/x.go:5:2: declared and not used: y');
    assert.equal(errors.length, 2);
    assert.equal(fixUnusedVariables(src, errors), 'func f(m map[int]int) {\n\t_, ok := m[1]\n\tif !ok {\n\t}\n\t_ = len(m)\n}');
    assert.equal(fixUnusedVariables(src, parseGoErrors('x.go:1:1: undefined: z')), null);
  });
});

describe('the contract', () => {
  test('every endpoint of the plan is routed to its handler method; required fields get their error variable', () => {
    const handlers = contractFor(TODO_SPEC, 'handlers');
    for (const e of TODO_SPEC.endpoints)
      assert.ok(handlers.header.includes(`mux.HandleFunc("${e.method} ${e.path}", h.${handlerMethodFor(e.method, e.path)})`));
    assert.deepEqual(
      handlers.holes.map((h) => h.name),
      ['List', 'Create', 'Get', 'Update', 'Delete'],
    );
    const models = contractFor(TODO_SPEC, 'models');
    assert.match(models.header, /ErrTitleRequired = errors\.New\("title is required"\)/);
    assert.deepEqual(models.holes[0].steps, ['if strings.TrimSpace(x.Title) == "", return ErrTitleRequired', 'return nil']);
  });
});

describe('test cases', () => {
  test('malformed cases are dropped: bad method, status, path with spaces, non-JSON answer', () => {
    const answer = JSON.stringify({
      cases: [
        { name: 'ok', method: 'get', path: '/todos', body: '', status: 200 },
        { name: 'bad method', method: 'PATCH', path: '/todos', body: '', status: 200 },
        { name: 'bad status', method: 'GET', path: '/todos', body: '', status: 999 },
        { name: 'spaces', method: 'GET', path: '/todos/ 1', body: '', status: 200 },
        { name: 'object body', method: 'POST', path: '/todos', body: { title: 'x' }, status: 201 },
      ],
    });
    assert.deepEqual(
      parseCases(answer).map((c) => c.name),
      ['ok', 'object body'],
    );
    assert.equal(parseCases(answer)[1].body, '{"title":"x"}');
    assert.deepEqual(parseCases('not json'), []);
  });

  test("a case's strings become Go literals, even with quotes, backticks and lone surrogates", () => {
    const file = renderTests(TODO_SPEC, [{ name: 'q"`\ud800', method: 'POST', path: '/todos', body: '{"title":"`x`"}', status: 201 }]);
    assert.ok(file.includes('{"q\\"`\ufffd", "POST", "/todos", "{\\"title\\":\\"`x`\\"}", 201},'));
  });

  test('failed subtests are read from go test -json; uncovered functions from go tool cover -func', () => {
    const json = [
      { Action: 'run', Test: 'TestAPI/case00' },
      { Action: 'output', Test: 'TestAPI/case01', Output: '    x_test.go:70: get: GET /todos/1 answered 404, want 200\n' },
      { Action: 'fail', Test: 'TestAPI/case01' },
      { Action: 'pass', Test: 'TestAPI/case00' },
    ].map((e) => JSON.stringify(e));
    assert.deepEqual(failedCases(json.join('\n')), [{ index: 1, message: 'x_test.go:70: get: GET /todos/1 answered 404, want 200' }]);
    const cover =
      'todo-api/internal/handlers/todo_handler.go:60:\tUpdate\t\t55.0%\ntodo-api/internal/models/todo.go:20:\tValidate\t100.0%\ntotal:\t(statements)\t80.0%';
    assert.deepEqual(uncoveredFunctions(cover), ['handlers.Update (55.0 % covered)']);
  });

  test('each endpoint is asked for its success and each way a request to it fails', () => {
    const put = TODO_SPEC.endpoints.find((e) => e.method === 'PUT')!;
    assert.deepEqual(endpointAsk(TODO_SPEC, put).split('\n').slice(1), [
      '- PUT /todos/1 with a good body',
      '- PUT /todos/999: no todo has that id',
      '- PUT /todos/abc: the id is not a number',
      '- PUT /todos/1 with a body that is not JSON',
      '- PUT /todos/1 with a body without "title"',
    ]);
    const list = TODO_SPEC.endpoints.find((e) => e.method === 'GET' && !e.path.includes('{id}'))!;
    assert.deepEqual(endpointAsk(TODO_SPEC, list).split('\n').slice(1), ['- GET /todos']);
  });

  test('the lines no case ran are named with their function, from the cover profile; cmd/ and covered blocks are not', () => {
    const src = [
      'package handlers',
      '',
      'func (h *TodoHandler) Get(w http.ResponseWriter, r *http.Request) {',
      '	id, err := pathID(r)',
      '	if err != nil {',
      '		writeError(w, http.StatusBadRequest, "invalid id")',
      '		return',
      '	}',
      '	x, err := h.repo.Get(id)',
      '	if errors.Is(err, repository.ErrNotFound) {',
      '		writeError(w, http.StatusNotFound, "todo not found")',
      '		return',
      '	}',
      '}',
    ].join('\n');
    const profile = [
      'mode: set',
      'todo-api/internal/handlers/todo_handler.go:3.70,5.16 2 1',
      'todo-api/internal/handlers/todo_handler.go:5.16,8.3 2 0',
      'todo-api/internal/handlers/todo_handler.go:9.2,10.46 2 1',
      'todo-api/internal/handlers/todo_handler.go:10.46,13.3 2 0',
      'todo-api/cmd/server/main.go:10.13,20.2 5 0',
    ].join('\n');
    const read = (f: string) => (f === 'internal/handlers/todo_handler.go' ? src : null);
    assert.deepEqual(uncoveredCode(profile, 'todo-api', read), [
      'Get: if err != nil',
      'Get: writeError(w, http.StatusBadRequest, "invalid id")',
      'Get: if errors.Is(err, repository.ErrNotFound)',
      'Get: writeError(w, http.StatusNotFound, "todo not found")',
    ]);
  });
});

describe('placeholders are not code', () => {
  test('an answer that copies the stub, or holds only a TODO, is refused', () => {
    for (const body of ['\tpanic("not written yet")', '\t// TODO: not written yet', '\t// TODO\n\tpanic("todo")', ''])
      assert.throws(() => bodyFromAnswer(`\`\`\`go\nfunc (r *TodoRepository) Get(id int) (models.Todo, error) {\n${body}\n}\n\`\`\``, GET), /no body/);
  });
});

describe('harvest', () => {
  test('the other functions of a whole-file answer are kept for later, renamed; the one asked for and placeholders are not', () => {
    const holes = contractFor(TODO_SPEC, 'repository').holes;
    const answer =
      '```go\npackage repository\n\nfunc (r *TodoRepository) List() []models.Todo {\n\treturn nil\n}\n\nfunc (repo *TodoRepository) Delete(n int) error {\n\tdelete(repo.items, n)\n\treturn nil\n}\n\nfunc (r *TodoRepository) Get(id int) (models.Todo, error) {\n\t// …\n}\n```';
    const found = otherBodiesIn(answer, holes, 'List');
    assert.deepEqual([...found.keys()], ['Delete']);
    assert.equal(found.get('Delete'), '\tdelete(r.items, id)\n\treturn nil');
  });
});

describe('qualified names', () => {
  test('a name another package of the module exports gets its package', () => {
    const models = contractFor(TODO_SPEC, 'models');
    const known = new Map(exportedNames(models.header).map((n) => [n, 'models']));
    assert.ok(known.has('Todo') && known.has('ErrTitleRequired'));
    const src = 'func f(x Todo) bool {\n\treturn errors.Is(x.Validate(), ErrTitleRequired)\n}';
    const errors = parseGoErrors(
      'internal/handlers/todo_handler.go:1:10: undefined: Todo\ninternal/handlers/todo_handler.go:2:33: undefined: ErrTitleRequired\ninternal/handlers/todo_handler.go:2:9: undefined: nope',
    );
    assert.equal(qualifyNames(src, errors, known), 'func f(x models.Todo) bool {\n\treturn errors.Is(x.Validate(), models.ErrTitleRequired)\n}');
  });
});

describe('a repair starts from what is there', () => {
  test('the cases of a rendered tests file are read back as they were', () => {
    const cases = [
      { name: 'q"`', method: 'POST' as const, path: '/todos', body: '{"title":"x\\ny"}', status: 201 },
      { name: 'get', method: 'GET' as const, path: '/todos/1', body: '', status: 200 },
    ];
    assert.deepEqual(casesInFile(renderTests(TODO_SPEC, cases)), cases);
  });
});

describe('fixCommaIf', () => {
  test('braces the "if cond, stmt" a small model copies from a step, also after a statement on its line', () => {
    // Seen from Qwen2.5-Coder-1.5B six times in a row for the inventory prompt's main().
    const body = '\tport := os.Getenv("PORT"); if port == "", port = "8080"\n\tif x.Name == "", return ErrNameRequired\n\tif n > 0, n--';
    assert.equal(
      fixCommaIf(`func main() {\n${body}\n}`),
      'func main() {\n\tport := os.Getenv("PORT")\n\tif port == "" {\n\t\tport = "8080"\n\t}\n\tif x.Name == "" {\n\t\treturn ErrNameRequired\n\t}\n\tif n > 0 {\n\t\tn--\n\t}\n}',
    );
  });

  test('leaves comments and Go that parses alone', () => {
    const src = [
      '// main: port := os.Getenv("PORT"); if port == "", port = "8080"',
      'func f(m map[string]int) int {',
      '\tif v, ok := m["a"]; ok {',
      '\t\treturn v',
      '\t}',
      '\tif call(a,',
      '\t\tb) {',
      '\t}',
      '\treturn 0 // if x, return y',
      '}',
    ].join('\n');
    assert.equal(fixCommaIf(src), null);
  });
});
