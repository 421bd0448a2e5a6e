import { test } from 'node:test';
import assert from 'node:assert/strict';
import { capLines, FailureCollector, failuresFromOutput, MAX_ERRORS_BYTES } from '../../activities/go/failures.js';

// All samples below were captured from Go 1.26 on test/fixtures/todo-api and its variants.

test('go build: a compile error in the handler names the handlers phase only', () => {
  const out = [
    '# todo-api/internal/handlers',
    'internal/handlers/todo_handler.go:42:2: declared and not used: todo',
    'internal/handlers/todo_handler.go:46:49: undefined: newTodo',
  ].join('\n');
  assert.deepEqual(failuresFromOutput(out, 'todo'), [
    {
      phase: 'handlers',
      errors: 'internal/handlers/todo_handler.go:42:2: declared and not used: todo\ninternal/handlers/todo_handler.go:46:49: undefined: newTodo',
    },
  ]);
});

test('run inside a package dir: ./file.go is resolved through the # header', () => {
  const out = [
    '# todo-api/internal/handlers',
    './todo_handler.go:41:32: syntax error: unexpected name http in argument list; possibly missing comma or )',
  ].join('\n');
  const [failure] = failuresFromOutput(out, 'todo');
  assert.equal(failure?.phase, 'handlers');
  assert.match(failure!.errors, /^internal\/handlers\/todo_handler\.go:41:32: syntax error/);
});

test('go vet: "vet:" prefixed lines and vet findings map to their files', () => {
  const out = [
    '# todo-api/tests',
    '# [todo-api/tests]',
    'vet: tests/todo_handler_test.go:72:15: cannot use 7 (untyped int constant) as string value in argument to create',
    '# todo-api/cmd/server',
    '# [todo-api/cmd/server]',
    'cmd/server/main.go:19:28: log.Printf format %d has arg port of wrong type string',
  ].join('\n');
  assert.deepEqual(failuresFromOutput(out, 'todo'), [
    { phase: 'server', errors: 'cmd/server/main.go:19:28: log.Printf format %d has arg port of wrong type string' },
    { phase: 'tests', errors: 'tests/todo_handler_test.go:72:15: cannot use 7 (untyped int constant) as string value in argument to create' },
  ]);
});

test('go test: a test file that does not compile names the tests phase', () => {
  const out = [
    '# todo-api/tests [todo-api/tests.test]',
    'tests/todo_handler_test.go:72:15: cannot use 7 (untyped int constant) as string value in argument to create',
    'FAIL\ttodo-api/tests [build failed]',
    'FAIL',
  ].join('\n');
  const failures = failuresFromOutput(out, 'todo');
  assert.deepEqual(
    failures.map((f) => f.phase),
    ['tests'],
  );
  assert.doesNotMatch(failures[0]!.errors, /build failed/);
});

test('go test: a failing assertion with no path names tests, without timings', () => {
  const out = [
    '\ttodo-api/cmd/server\t\tcoverage: 0.0% of statements',
    '--- FAIL: TestDelete (0.00s)',
    '    todo_handler_test.go:97: delete: status 204, want 200',
    '        second line of a multi-line message',
    'FAIL',
    'coverage: 93.2% of statements in ./...',
    'FAIL\ttodo-api/tests\t0.007s',
    'FAIL',
  ].join('\n');
  assert.deepEqual(failuresFromOutput(out, 'todo'), [
    {
      phase: 'tests',
      errors: ['--- FAIL: TestDelete', '    tests/todo_handler_test.go:97: delete: status 204, want 200', '        second line of a multi-line message'].join(
        '\n',
      ),
    },
  ]);
});

test('a panic in the handler names both the handler (with its frame) and the tests', () => {
  const out = [
    '--- FAIL: TestList (0.00s)',
    'panic: assignment to entry in nil map [recovered, repanicked]',
    '',
    'goroutine 21 [running]:',
    'testing.tRunner.func1.2({0x691080, 0x932e40})',
    '\t/usr/local/go/src/testing/testing.go:1974 +0x232',
    'todo-api/internal/handlers.(*TodoHandler).List(0xcd1b73060c0, {0x6fdc60, 0xcd1b732ec80}, 0x7f888f82c0e8?)',
    '\t/tmp/fx-x/internal/handlers/todo_handler.go:38 +0x65',
    'net/http.HandlerFunc.ServeHTTP(0xcd1b734a180?, {0x6fdc60?, 0xcd1b732ec80?}, 0xcd1b7271e10?)',
    '\t/usr/local/go/src/net/http/server.go:2286 +0x29',
    'todo-api/tests.TestList(0xcd1b735e6c8)',
    '\t/tmp/fx-x/tests/todo_handler_test.go:68 +0x127',
    'FAIL\ttodo-api/tests\t0.011s',
  ].join('\n');
  const failures = failuresFromOutput(out, 'todo');
  assert.deepEqual(failures, [
    {
      phase: 'handlers',
      errors: [
        'panic: assignment to entry in nil map [recovered, repanicked]',
        'todo-api/internal/handlers.(*TodoHandler).List(...)',
        '\tinternal/handlers/todo_handler.go:38',
      ].join('\n'),
    },
    {
      phase: 'tests',
      errors: [
        '--- FAIL: TestList',
        'panic: assignment to entry in nil map [recovered, repanicked]',
        'todo-api/tests.TestList(...)',
        '\ttests/todo_handler_test.go:68',
      ].join('\n'),
    },
  ]);
});

test('a test timeout names the hanging test and where it hangs', () => {
  const out = [
    'panic: test timed out after 3s',
    '\trunning tests:',
    '\t\tTestHang (3s)',
    '',
    'goroutine 1 [chan receive]:',
    'main.main()',
    '\t_testmain.go:58 +0x9b',
    '',
    'goroutine 26 [runnable]:',
    'todo-api/tests.TestHang(0x3fc3d1365208?)',
    '\t/tmp/fx-h/tests/todo_handler_test.go:144',
    'testing.tRunner(0x3fc3d1365208, 0x6d04a0)',
    '\t/usr/local/go/src/testing/testing.go:2036 +0xea',
  ].join('\n');
  assert.deepEqual(failuresFromOutput(out, 'todo'), [
    {
      phase: 'tests',
      errors: ['panic: test timed out after 3s', '\trunning tests:', '\t\tTestHang', 'todo-api/tests.TestHang(...)', '\ttests/todo_handler_test.go:144'].join(
        '\n',
      ),
    },
  ]);
});

test('a missing module names the file that imports it', () => {
  const out = [
    'go: finding module for package github.com/gorilla/mux',
    '# todo-api/cmd/server',
    'internal/handlers/todo_handler.go:10:2: cannot find module providing package github.com/gorilla/mux: module lookup disabled by GOPROXY=off',
    'FAIL\ttodo-api/cmd/server [setup failed]',
  ].join('\n');
  const failures = failuresFromOutput(out, 'todo');
  assert.deepEqual(
    failures.map((f) => f.phase),
    ['handlers'],
  );
});

test('gofmt syntax errors and every generated file map to their phases', () => {
  const out = [
    'internal/models/todo.go:3:1: expected declaration, found x',
    'internal/repository/todo_repo.go:9:2: missing return',
    "internal/handlers/todo_handler.go:41:32: missing ',' in argument list",
    "cmd/server/main.go:5:1: expected 'IDENT', found '{'",
    "tests/todo_handler_test.go:1:1: expected 'package', found 'func'",
  ].join('\n');
  assert.deepEqual(
    failuresFromOutput(out, 'todo').map((f) => f.phase),
    ['models', 'repository', 'handlers', 'server', 'tests'],
  );
});

test('other resources and files that are not generated are left out', () => {
  const out = ['internal/handlers/book_handler.go:3:1: undefined: x', '/usr/local/go/src/net/http/server.go:1: whatever', 'go: updates to go.mod needed'].join(
    '\n',
  );
  assert.deepEqual(failuresFromOutput(out, 'todo'), []);
  assert.deepEqual(
    failuresFromOutput(out, 'book').map((f) => f.phase),
    ['handlers'],
  );
});

test('the same line from vet and build is kept once', () => {
  const collector = new FailureCollector('todo');
  const line = 'internal/handlers/todo_handler.go:46:49: undefined: newTodo';
  collector.addOutput(`# todo-api/internal/handlers\nvet: ${line}`);
  collector.addOutput(`# todo-api/internal/handlers\n${line}`);
  assert.deepEqual(collector.list(), [{ phase: 'handlers', errors: line }]);
});

test('errors are capped to about 4 KB per phase', () => {
  const out = Array.from({ length: 500 }, (_, i) => `internal/handlers/todo_handler.go:${i + 1}:2: undefined: x${i}`).join('\n');
  const [failure] = failuresFromOutput(out, 'todo');
  assert.ok(Buffer.byteLength(failure!.errors) <= MAX_ERRORS_BYTES, `${Buffer.byteLength(failure!.errors)} bytes`);
  assert.match(failure!.errors, /^internal\/handlers\/todo_handler\.go:1:2: undefined: x0\n/);
  assert.match(failure!.errors, /… \d+ more lines$/);
  assert.equal(capLines(['a', 'b']), 'a\nb');
});
