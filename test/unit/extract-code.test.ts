// LLM answers are hostile input: extractFile must find the file for the asked path, or
// refuse with an ExtractionError the generate-file activity turns into a firmer follow-up.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ExtractionError, extractFile } from '../../activities/llm/extract-code.js';
import { goPackageFor } from '../../core/layout.js';

const HANDLERS = 'internal/handlers/todo_handler.go';
const MODELS = 'internal/models/todo.go';
const MAIN = 'cmd/server/main.go';

const MODEL_CODE = [
  'package models',
  '',
  'import "errors"',
  '',
  'type Todo struct {',
  '\tID    int    `json:"id"`',
  '\tTitle string `json:"title"`',
  '}',
  '',
  'func (x Todo) Validate() error {',
  '\tif x.Title == "" {',
  '\t\treturn errors.New("title is required")',
  '\t}',
  '\treturn nil',
  '}',
].join('\n');

const HANDLER_CODE = [
  'package handlers',
  '',
  'import "net/http"',
  '',
  'type TodoHandler struct{}',
  '',
  'func (h *TodoHandler) Routes() http.Handler {',
  '\treturn http.NewServeMux()',
  '}',
].join('\n');

const USAGE_MAIN = [
  'package main',
  '',
  'import (',
  '\t"net/http"',
  '',
  '\t"todo-api/internal/handlers"',
  '\t"todo-api/internal/repository"',
  ')',
  '',
  'func main() {',
  '\th := handlers.NewTodoHandler(repository.NewTodoRepository())',
  '\thttp.ListenAndServe(":8080", h.Routes())',
  '\t// a long usage example, longer than the handler itself, so length alone would pick it',
  '\t// ...................................................................................',
  '}',
].join('\n');

function assertExtractionError(fn: () => unknown, pattern?: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof ExtractionError, `expected ExtractionError, got ${String(err)}`);
    assert.equal((err as Error).name, 'ExtractionError');
    if (pattern) assert.match((err as Error).message, pattern);
    return true;
  });
}

describe('extractFile: Go files', () => {
  test('a single ```go fence gives exactly its body', () => {
    const answer = '```go\n' + MODEL_CODE + '\n```';
    assert.equal(extractFile(answer, MODELS), MODEL_CODE + '\n');
  });

  test('prose before and after the fence is dropped', () => {
    const answer = `Sure! Here is the model for your todo API:\n\n\`\`\`go\n${MODEL_CODE}\n\`\`\`\n\nThis struct has an ID and a Title. Let me know if you need anything else!`;
    const out = extractFile(answer, MODELS);
    assert.equal(out, MODEL_CODE + '\n');
    assert.doesNotMatch(out, /Sure!|Let me know/);
  });

  test('several blocks: the one declaring the expected package wins over a longer package main usage example', () => {
    assert.ok(USAGE_MAIN.length > HANDLER_CODE.length, 'precondition: the decoy is the longer block');
    const answer = ['Here is the handler:', '```go', HANDLER_CODE, '```', 'And here is how you would use it:', '```go', USAGE_MAIN, '```'].join('\n');
    assert.equal(extractFile(answer, HANDLERS), HANDLER_CODE + '\n');
  });

  test('several blocks, order reversed: still the package handlers block', () => {
    const answer = ['Usage first:', '```go', USAGE_MAIN, '```', 'Now the file:', '```go', HANDLER_CODE, '```'].join('\n');
    assert.equal(extractFile(answer, HANDLERS), HANDLER_CODE + '\n');
  });

  test('for cmd/server/main.go the package main block is the one kept', () => {
    const answer = ['```go', HANDLER_CODE, '```', '', '```go', USAGE_MAIN, '```'].join('\n');
    assert.equal(extractFile(answer, MAIN), USAGE_MAIN + '\n');
  });

  test('a non-Go block (```bash) is never taken for a Go file', () => {
    const answer = ['Run it with:', '```bash', 'go run ./cmd/server', '```', '```go', MODEL_CODE, '```'].join('\n');
    assert.equal(extractFile(answer, MODELS), MODEL_CODE + '\n');
  });

  test('a tests file may declare package tests_test', () => {
    const code = 'package tests_test\n\nimport "testing"\n\nfunc TestX(t *testing.T) {}';
    const answer = '```go\npackage main\n\nfunc main() {}\n```\n```go\n' + code + '\n```';
    assert.equal(extractFile(answer, 'tests/todo_handler_test.go'), code + '\n');
  });

  test('```golang fences work', () => {
    assert.equal(extractFile('```golang\n' + MODEL_CODE + '\n```', MODELS), MODEL_CODE + '\n');
  });

  test('bare ``` fences work', () => {
    assert.equal(extractFile('Here:\n```\n' + MODEL_CODE + '\n```\nDone.', MODELS), MODEL_CODE + '\n');
  });

  test('~~~ fences work', () => {
    assert.equal(extractFile('Here:\n~~~go\n' + MODEL_CODE + '\n~~~\nDone.', MODELS), MODEL_CODE + '\n');
  });

  test('a missing closing fence: the block runs to the end of the answer', () => {
    const answer = 'Here is the file:\n```go\n' + MODEL_CODE + '\n';
    assert.equal(extractFile(answer, MODELS), MODEL_CODE + '\n');
  });

  test('no fences but a package clause: from the package clause to the last brace, trailing prose dropped', () => {
    const answer = `Here is the file you asked for.\n\n${MODEL_CODE}\n\nThis model validates the title. Hope it helps.`;
    const out = extractFile(answer, MODELS);
    assert.equal(out, MODEL_CODE + '\n');
    assert.ok(out.startsWith('package models'), 'no leading prose or blank lines');
  });

  test('CRLF line endings in a fenced answer give LF-only output', () => {
    const answer = ('Here:\n```go\n' + MODEL_CODE + '\n```\nBye.').replace(/\n/g, '\r\n');
    const out = extractFile(answer, MODELS);
    assert.equal(out, MODEL_CODE + '\n');
    assert.ok(!out.includes('\r'));
  });

  test('CRLF line endings without fences give LF-only output', () => {
    const answer = ('Here:\n\n' + MODEL_CODE + '\n\nBye.').replace(/\n/g, '\r\n');
    const out = extractFile(answer, MODELS);
    assert.equal(out, MODEL_CODE + '\n');
    assert.ok(!out.includes('\r'));
  });

  test('an answer with no Go code is an ExtractionError naming the path', () => {
    assertExtractionError(() => extractFile('I am sorry, I cannot write that file. Please ask a Go expert.', HANDLERS), /todo_handler\.go/);
  });

  test('a fenced block with no package clause is not Go code', () => {
    assertExtractionError(() => extractFile('```go\nfunc main() {}\n```', MAIN));
  });

  test('a package clause that is not Go (seen from Qwen2.5-Coder-0.5B) is named, with the line the file needs', () => {
    const answer = '```go\npackage internal.models\n\ntype Todo struct{}\n```';
    assertExtractionError(() => extractFile(answer, MODELS), /declares "package internal\.models", which is not Go: the file must start with "package models"/);
  });

  test('binary junk with NUL bytes is an ExtractionError', () => {
    assertExtractionError(() => extractFile('package main\u0000\u0000\u0000func main() {}', MAIN), /binary/);
  });

  test('binary junk with many control characters is an ExtractionError', () => {
    const junk = Array.from({ length: 200 }, (_, i) => String.fromCharCode(1 + (i % 8))).join('');
    assertExtractionError(() => extractFile('```go\npackage main\n' + junk + '\n```', MAIN), /binary/);
  });

  test('an empty or whitespace-only answer is an ExtractionError', () => {
    assertExtractionError(() => extractFile('', MODELS));
    assertExtractionError(() => extractFile('   \n\n\t  ', MODELS));
  });
});

describe('extractFile: README', () => {
  const README = [
    '# Todo API',
    '',
    'A REST API for todos.',
    '',
    '## Run',
    '',
    '```bash',
    'go run ./cmd/server',
    '```',
    '',
    '## Endpoints',
    '',
    '```bash',
    'curl -s localhost:8080/todos',
    '```',
    '',
    'That is all.',
  ].join('\n');

  test('wrapped in ```markdown with inner ```bash fences: the whole README is kept, inner fences included', () => {
    const out = extractFile('```markdown\n' + README + '\n```', 'README.md');
    assert.equal(out, README + '\n');
    assert.equal(out.match(/^```bash$/gm)?.length, 2);
  });

  test('a ```md wrapper works too', () => {
    assert.equal(extractFile('```md\n' + README + '\n```\n', 'README.md'), README + '\n');
  });

  test('prose before a ```markdown wrapper is dropped', () => {
    const out = extractFile('Here is the README.md:\n\n```markdown\n' + README + '\n```\n', 'README.md');
    assert.equal(out, README + '\n');
  });

  test('a plain README whose own example is a ```markdown block is kept whole', () => {
    const readme = '# Notes\n\nExample:\n\n```markdown\n*hi*\n```\n\nEnd.';
    assert.equal(extractFile(readme, 'README.md'), readme + '\n');
  });

  test('plain markdown is kept as it is', () => {
    assert.equal(extractFile(README, 'README.md'), README + '\n');
    assert.equal(extractFile('\n\n' + README + '\n\n\n', 'README.md'), README + '\n');
  });

  test('an empty README answer is an ExtractionError', () => {
    assertExtractionError(() => extractFile('', 'README.md'), /empty/);
    assertExtractionError(() => extractFile('```markdown\n\n```', 'README.md'), /empty/);
  });

  test('binary junk for a README is an ExtractionError', () => {
    assertExtractionError(() => extractFile('# Title\n\u0000\u0001\u0002', 'README.md'), /binary/);
  });
});

describe('extractFile: the result ends with exactly one newline', () => {
  const cases: [string, string, string][] = [
    ['go, no newline after the closing fence', '```go\n' + MODEL_CODE + '\n```', MODELS],
    ['go, blank lines at the end of block', '```go\n' + MODEL_CODE + '\n\n\n\n```', MODELS],
    ['go, unclosed with trailing whitespace', '```go\n' + MODEL_CODE + '\n   \n\t\n', MODELS],
    ['go, unfenced', MODEL_CODE, MODELS],
    ['markdown', '# T\n\nbody\n\n\n', 'README.md'],
    ['markdown wrapped', '```markdown\n# T\n\n\n```', 'README.md'],
  ];
  for (const [name, answer, path] of cases) {
    test(name, () => {
      const out = extractFile(answer, path);
      assert.ok(out.endsWith('\n'), 'ends with a newline');
      assert.ok(!out.endsWith('\n\n'), 'and only one');
      assert.ok(!/[ \t]\n$/.test(out), 'no trailing spaces before it');
    });
  }
});

describe('goPackageFor', () => {
  const layout: [string, string][] = [
    ['cmd/server/main.go', 'main'],
    ['internal/models/todo.go', 'models'],
    ['internal/repository/todo_repo.go', 'repository'],
    ['internal/handlers/todo_handler.go', 'handlers'],
    ['tests/todo_handler_test.go', 'tests'],
    ['internal/models/book.go', 'models'],
  ];
  for (const [path, pkg] of layout) {
    test(`${path} → package ${pkg}`, () => assert.equal(goPackageFor(path), pkg));
  }
});
