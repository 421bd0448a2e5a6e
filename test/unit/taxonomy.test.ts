import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyLine, classifyRound, countsText, emptyCounts, errorLines, taxonomyOfRun, type RoundText } from '../../bench/taxonomy.js';
import { modelsSection, newestRuns } from '../../bench/models-section.js';
import { PROMPTS, type ModelRow } from '../../bench/model-rows.js';

// Lines as Go 1.22–1.26 print them for the generated layout.
const CASES: Array<[string, string]> = [
  ['internal/handlers/todo_handler.go:24:9: undefined: http', 'import'],
  ['vet: internal/handlers/todo_handler.go:31:3: undefined: json', 'import'],
  ['cmd/server/main.go:9:2: undefined: handlers', 'import'],
  ['internal/handlers/todo_handler.go:6:2: "strings" imported and not used', 'import'],
  ['internal/handlers/todo_handler.go:6:2: "todo-api/internal/models" imported as m and not used', 'import'],
  [
    'internal/handlers/todo_handler.go:5:2: could not import todo-api/internal/modles (no required module provides package "todo-api/internal/modles")',
    'import',
  ],
  ['internal/models/todo.go:4:2: package github.com/google/uuid is not in std (/usr/local/go/src/github.com/google/uuid)', 'import'],
  ['tests/todo_handler_test.go:8:2: no required module provides package github.com/stretchr/testify/assert; to add it:', 'import'],
  ['internal/repository/todo_repo.go:40:10: undefined: ErrNotFound', 'undeclared'],
  ['internal/handlers/todo_handler.go:50:12: undefined: models.TodoInput', 'undeclared'],
  ['internal/handlers/todo_handler.go:52:20: t.Name undefined (type models.Todo has no field or method Name)', 'undeclared'],
  ['internal/handlers/todo_handler.go:61:25: not enough arguments in call to h.repo.Update', 'signature'],
  ['internal/handlers/todo_handler.go:61:25: too many arguments in call to h.repo.Create', 'signature'],
  ['internal/handlers/todo_handler.go:44:12: assignment mismatch: 2 variables but h.repo.List returns 1 value', 'signature'],
  ['internal/handlers/todo_handler.go:70:22: cannot use id (variable of type string) as int value in argument to h.repo.Get', 'signature'],
  ['internal/repository/todo_repo.go:33:9: not enough return values', 'signature'],
  ['internal/repository/todo_repo.go:33:16: too many return values', 'signature'],
  ['internal/repository/todo_repo.go:58:5: invalid operation: t.ID == id (mismatched types int and string)', 'signature'],
  ['internal/models/todo.go:12:1: syntax error: non-declaration statement outside function body', 'syntax'],
  ["internal/models/todo.go:1:9: expected ';', found '.'", 'syntax'],
  ['internal/handlers/todo_handler.go:80:2: declared and not used: existing', 'unused'],
  ['--- FAIL: TestCreateTodo (0.00s)', 'test'],
  ['    --- FAIL: TestTodos/delete_missing (0.00s)', 'test'],
  ['FAIL\ttodo-api/tests\t0.015s', 'test'],
  ['panic: runtime error: invalid memory address or nil pointer dereference', 'test'],
  ['internal/handlers/todo_handler.go:90:3: fmt.Sprintf format %d has arg title of wrong type string', 'other'],
  ['internal/handlers/todo_handler.go:20:6: missing return', 'other'],
];

for (const [line, want] of CASES) {
  test(`${want}: ${line.trim().slice(0, 70)}`, () => assert.equal(classifyLine(line), want));
}

test('every line of a failed gofmt is syntax', () => {
  assert.equal(classifyLine("internal/models/todo.go:3:1: illegal character U+0060 '`'", 'gofmt'), 'syntax');
});

test('errorLines keeps errors once and drops headers, passing packages, test logs and notes', () => {
  const vet = ['# todo-api/internal/handlers', 'vet: internal/handlers/todo_handler.go:24:9: undefined: http', ''].join('\n');
  const build = ['# todo-api/internal/handlers', 'internal/handlers/todo_handler.go:24:9: undefined: http', '\thave (int)', '\twant (string)'].join('\n');
  assert.deepEqual(errorLines(`${vet}\n${build}`), ['internal/handlers/todo_handler.go:24:9: undefined: http']);
  const goTest = [
    '=== RUN   TestCreateTodo',
    '    todo_handler_test.go:31: expected 201, got 400',
    '--- FAIL: TestCreateTodo (0.00s)',
    'FAIL',
    'coverage: 61.2% of statements in ./...',
    'FAIL\ttodo-api/tests\t0.012s',
    'ok  \ttodo-api/internal/models\t0.003s\tcoverage: 0.0% of statements in ./... [no tests to run]',
    '?   \ttodo-api/cmd/server\t[no test files]',
    'FAIL\ttodo-api/internal/handlers [build failed]',
    'FAIL',
  ].join('\n');
  assert.deepEqual(errorLines(goTest), ['--- FAIL: TestCreateTodo (0.00s)']);
  // No `--- FAIL` (a panic in TestMain, a timeout): the package line is the failure.
  assert.deepEqual(errorLines('panic: boom\nFAIL\ttodo-api/tests\t0.2s\nFAIL'), ['panic: boom', 'FAIL\ttodo-api/tests\t0.2s']);
  assert.deepEqual(errorLines('…ers/todo_handler.go:24:9: undefined: http\n(killed: the validation time limit ran out during vet)'), [
    'ers/todo_handler.go:24:9: undefined: http',
  ]);
});

const round = (steps: RoundText['steps'], coveragePercent: number | null = null): RoundText => ({ coveragePercent, coverageGoal: 70, steps });

test('a round counts each error once across vet and build, a failed smoke run once, skipped steps never', () => {
  const counts = classifyRound(
    round([
      { name: 'gofmt', ok: true, outputTail: 'reformatted:\ninternal/models/todo.go' },
      { name: 'vet', ok: false, outputTail: '# todo-api/internal/handlers\nvet: internal/handlers/todo_handler.go:24:9: undefined: http' },
      {
        name: 'build',
        ok: false,
        outputTail:
          '# todo-api/internal/handlers\ninternal/handlers/todo_handler.go:24:9: undefined: http\ninternal/handlers/todo_handler.go:80:2: declared and not used: x',
      },
      { name: 'test', ok: false, skipped: true, outputTail: 'skipped: the build failed' },
      { name: 'smoke', ok: false, skipped: true, outputTail: 'skipped: the build failed' },
    ]),
  );
  assert.deepEqual(counts, { ...emptyCounts(), import: 1, unused: 1 });
  const smoke = classifyRound(
    round(
      [
        { name: 'test', ok: true, outputTail: 'ok' },
        { name: 'smoke', ok: false, outputTail: 'POST /todos {"title":"x"} -> 400, want 201: bad' },
      ],
      55.5,
    ),
  );
  assert.deepEqual(smoke, { ...emptyCounts(), other: 1, coverage: 1 });
});

test('a run has first and final rounds, and the writing errors only with provenance', () => {
  const first = round([{ name: 'build', ok: false, outputTail: 'internal/models/todo.go:12:1: syntax error: unexpected }' }]);
  const last = round([{ name: 'test', ok: true, outputTail: 'ok' }], 80);
  const whole = taxonomyOfRun([first, last], null);
  assert.equal(whole.writing, null);
  assert.equal(countsText(whole.firstRound), '1 syntax');
  assert.equal(countsText(whole.finalRound), 'none');
  const guided = taxonomyOfRun(
    [],
    ['internal/handlers/todo_handler.go:5:2: "fmt" imported and not used', 'internal/handlers/todo_handler.go:9:2: undefined: strconv'],
  );
  assert.equal(countsText(guided.writing), '2 import');
  assert.equal(guided.firstRound, null);
  assert.equal(countsText(null), '–');
});

test('section 5 shows the newest run of each model and prompt, each with the commit it measured', () => {
  const row = (model: string, prompt: string, commit: string, date: string, valid: boolean): ModelRow => ({
    commit,
    date,
    machine: 'm',
    model,
    prompt,
    strategy: 'guided',
    outcome: valid ? 'valid' : 'invalid at smoke',
    run: { status: 'completed', valid, error: null },
    wallMs: 60_000,
    workingMs: 60_000,
    tokensIn: 1,
    tokensOut: 1,
    llmMs: 1,
    tokensPerSecond: 1,
    repairRounds: 0,
    check: null,
    coveragePercent: null,
    candidates: 1,
    modelLines: 1,
    contractLines: 1,
    modelShare: 0.5,
    taxonomy: taxonomyOfRun([], null),
  });
  const rows = [
    row('small', PROMPTS.todo, 'aaa', '2026-12-01T01:00:00Z', false),
    row('small', PROMPTS.todo, 'bbb', '2026-12-01T02:00:00Z', true),
    row('large', PROMPTS.todo, 'ccc', '2026-12-01T03:00:00Z', true),
  ];
  const shown = newestRuns(rows).get('guided')!;
  assert.deepEqual(
    shown.map((r) => [r.model, r.commit]),
    [
      ['small', 'bbb'],
      ['large', 'ccc'],
    ],
    "an older commit's model stays; its older run does not",
  );
  assert.match(modelsSection(rows, ''), /### Strategy guided \(commit bbb, ccc\)/);
});
