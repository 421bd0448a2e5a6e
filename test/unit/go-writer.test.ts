// The Go project code writes from a plan (core/go/): which files, the behaviour-relevant text in
// each (routes, checks, defaults, store rules), the model's holes of behaviour.go, and the
// mutants, each a project different from the original. test/activities/go-writer-build.test.ts
// compiles and serves the same projects.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { behaviourContract, fallbackBody, goProject, GO_SUM, mutantsOf, renderBehaviour, SQLITE_VERSION, UNWRITTEN_BODY } from '../../core/go/index.js';
import { EDGE_PLAN, LIBRARY_BODIES, LIBRARY_PLAN, TODO_PLAN } from '../../core/go/sample-plans.js';
import type { Plan, Store } from '../../core/plan.js';
import { checkPlan } from '../../core/plan-check.js';

const filesOf = (plan: Plan, store: Store, mutant?: string) => new Map(goProject(plan, { store, mutant }).map((f) => [f.path, f.content]));
const file = (plan: Plan, store: Store, path: string) => filesOf(plan, store).get(path) ?? assert.fail(`no ${path}`);

describe('a plain todo API', () => {
  test('memory: the files, no requirement, no go.sum, no SQLite', () => {
    const files = goProject(TODO_PLAN, { store: 'memory' });
    assert.deepEqual(
      files.map((f) => f.path),
      ['go.mod', 'cmd/server/main.go', 'internal/models/models.go', 'internal/store/store.go', 'internal/store/memory.go', 'internal/handlers/handlers.go'],
    );
    assert.ok(files.every((f) => f.by === 'code'));
    assert.equal(files[0]!.content, 'module todo-api\n\ngo 1.22\n');
    const main = files.find((f) => f.path === 'cmd/server/main.go')!.content;
    assert.match(main, /store\.NewMemory\(\)/);
    assert.doesNotMatch(main, /DB_PATH|sqlite/i);
  });

  test('sqlite: the pinned driver in go.mod and go.sum, a table with a column per field', () => {
    const files = filesOf(TODO_PLAN, 'sqlite');
    assert.match(files.get('go.mod')!, new RegExp(`^require modernc.org/sqlite ${SQLITE_VERSION}$`, 'm'));
    assert.match(files.get('go.mod')!, /modernc\.org\/libc v[\d.]+ \/\/ indirect/);
    assert.equal(files.get('go.sum'), GO_SUM);
    assert.match(GO_SUM, new RegExp(`^modernc.org/sqlite ${SQLITE_VERSION} h1:`, 'm'));
    const sqlite = files.get('internal/store/sqlite.go')!;
    assert.match(sqlite, /_ "modernc.org\/sqlite"/);
    assert.match(sqlite, /CREATE TABLE IF NOT EXISTS "todos" \("id" INTEGER PRIMARY KEY AUTOINCREMENT, "title" TEXT NOT NULL, "done" INTEGER\)/);
    assert.match(sqlite, /func OpenSQLite\(ctx context\.Context, path string\) \(\*SQLite, error\)/);
    const main = files.get('cmd/server/main.go')!;
    for (const want of [
      'os.Getenv("DB_PATH")',
      '"data.db"',
      '"8080"',
      'ReadHeaderTimeout:',
      'ReadTimeout:',
      'WriteTimeout:',
      'IdleTimeout:',
      'syscall.SIGTERM',
      'srv.Shutdown(',
    ])
      assert.ok(main.includes(want), want);
  });

  test('the model: an optional field is a pointer left out when unset, its default applied', () => {
    const models = file(TODO_PLAN, 'memory', 'internal/models/models.go');
    assert.match(models, /\tTitle string `json:"title"`/);
    assert.match(models, /\tDone {2}\*bool {2}`json:"done,omitempty"`/);
    assert.match(models, /case "id":\n\t+return x, errors\.New/);
    assert.match(models, /return x, fmt\.Errorf\("unknown field %q", key\)/);
    assert.match(models, /if _, ok := fields\["title"\]; !ok \{\n\t+return x, errors\.New\("title is required"\)/);
    assert.match(models, /if x\.Done == nil \{\n\t+x\.Done = PointerTo\[bool\]\(false\)/);
    assert.match(models, /if x\.Title == "" \{/);
  });

  test('the handlers: every route, JSON 404 and 405, the body limit, Location, the filter and the page', () => {
    const handlers = file(TODO_PLAN, 'memory', 'internal/handlers/handlers.go');
    for (const route of ['GET /todos', 'POST /todos', 'GET /todos/{id}', 'PUT /todos/{id}', 'DELETE /todos/{id}'])
      assert.ok(handlers.includes(`a.mux.HandleFunc("${route}"`), route);
    assert.match(handlers, /const maxBody = 1048576/);
    assert.match(handlers, /http\.StatusRequestEntityTooLarge/);
    assert.match(handlers, /w\.Header\(\)\.Set\("Allow"/);
    assert.match(handlers, /w\.Header\(\)\.Set\("Location", fmt\.Sprintf\("\/todos\/%d", x\.ID\)\)/);
    assert.match(handlers, /tests = append\(tests, func\(x models\.Todo\) bool \{ return x\.Done != nil && \*x\.Done == v \}\)/);
    assert.match(handlers, /writeJSON\(w, http\.StatusOK, paginate\(keep\(items, tests\), p\)\)/);
    assert.match(handlers, /p := page\{limit: 100\}/);
    assert.match(handlers, /limit must be an integer from 1 to 1000/);
  });
});

describe('a library: parent, enum, date, unique, range, formats, defaults, filters, an action, a rule', () => {
  const files = filesOf(LIBRARY_PLAN, 'sqlite');
  const models = files.get('internal/models/models.go')!;
  const handlers = files.get('internal/handlers/handlers.go')!;

  test('the models: enum constants, Date, date-time, the parent id, every declared rule and the rule in words', () => {
    assert.match(models, /type BookGenre string/);
    assert.match(models, /BookGenreFiction BookGenre = "fiction"/);
    assert.match(models, /type Date struct\{ time\.Time \}/);
    assert.match(models, /Published {6}\*Date {6}`json:"published,omitempty"`/);
    assert.match(models, /LastBorrowedAt \*time\.Time `json:"lastBorrowedAt,omitempty"`/);
    assert.match(models, /AuthorID {7}int64 {6}`json:"authorId"`/);
    for (const check of [
      'utf8.RuneCountInString(x.Name) < 2',
      'utf8.RuneCountInString(x.Name) > 100',
      'x.Email != "" && !isEmail(x.Email)',
      'x.Website != nil && !isURL(*x.Website)',
      'x.AuthorID < 1',
      'x.Pages != nil && *x.Pages < 1',
      'x.Pages != nil && *x.Pages > 5000',
      'x.Rating != nil && *x.Rating < 0',
      'x.Rating != nil && *x.Rating > 5',
      'x.Genre != nil && !x.Genre.Valid()',
      'x.Genre = PointerTo[BookGenre](BookGenreFiction)',
      'x.Available = PointerTo[bool](true)',
      'if err := x.TitleNotIsbn(); err != nil {',
    ])
      assert.ok(models.includes(check), check);
    assert.ok(models.indexOf('x.Rating != nil && *x.Rating > 5') < models.indexOf('x.TitleNotIsbn()'), 'the rule in words comes after the field rules');
  });

  test('the stores: UNIQUE columns, the parent checked, a parent with children kept', () => {
    const sqlite = files.get('internal/store/sqlite.go')!;
    assert.match(sqlite, /"email" TEXT NOT NULL UNIQUE/);
    assert.match(sqlite, /"isbn" TEXT NOT NULL UNIQUE/);
    assert.match(sqlite, /"authorId" INTEGER NOT NULL/);
    assert.match(sqlite, /SELECT EXISTS\(SELECT 1 FROM "authors" WHERE "id" = \?\)`, x\.AuthorID, ErrNoParent/);
    assert.match(sqlite, /SELECT EXISTS\(SELECT 1 FROM "books" WHERE "authorId" = \?\)`, id, ErrConflict, "author %d still has books"/);
    const memory = files.get('internal/store/memory.go')!;
    assert.match(memory, /if _, ok := m\.authorItems\[x\.AuthorID\]; !ok \{\n\t+return fail\(ErrNoParent/);
    assert.match(memory, /if o\.ID != x\.ID && o\.Isbn == x\.Isbn \{/);
    assert.match(memory, /if c\.AuthorID == id \{\n\t+return fail\(ErrConflict, "author %d still has books", id\)/);
    const store = files.get('internal/store/store.go')!;
    assert.match(store, /CreateBook\(ctx context\.Context, x models\.Book\) \(models\.Book, error\)/);
    assert.match(store, /ErrNoParent = errors\.New/);
  });

  test('the handlers: the action, the nested list, filters by value and in words', () => {
    assert.ok(handlers.includes('a.mux.HandleFunc("POST /books/{id}/checkout", a.actBookCheckout)'));
    assert.ok(handlers.includes('a.mux.HandleFunc("GET /authors/{id}/books", a.listAuthorBooks)'));
    assert.match(handlers, /if err := x\.Checkout\(time\.Now\(\)\); err != nil \{\n\t+writeError\(w, http\.StatusConflict/);
    assert.match(handlers, /if err := x\.Validate\(\); err != nil \{\n\t+writeError\(w, http\.StatusConflict/);
    assert.match(handlers, /return x\.AuthorID == id/);
    assert.match(handlers, /listQuery\(q, "genre", "authorId", "published", "recent"\)/);
    assert.match(handlers, /enumParam\[models\.BookGenre\]\("genre", "fiction, science, history", s\[0\]\)/);
    assert.match(handlers, /return x\.Published != nil && x\.Published\.String\(\) == v\.String\(\)/);
    assert.match(handlers, /return x\.Recent\(now\) == v/);
  });

  test('behaviour.go: one hole per action, filter in words and rule in words, plain doc comments', () => {
    const contract = behaviourContract(LIBRARY_PLAN);
    assert.equal(contract.path, 'internal/models/behaviour.go');
    assert.equal(contract.header, 'package models\n\nimport "time"');
    assert.deepEqual(
      contract.holes.map((h) => [h.name, h.kind, h.signature]),
      [
        ['Book.Checkout', 'action', 'func (x *Book) Checkout(now time.Time) error'],
        ['Book.Recent', 'filter', 'func (x Book) Recent(now time.Time) bool'],
        ['Book.TitleNotIsbn', 'rule', 'func (x Book) TitleNotIsbn() error'],
      ],
    );
    const [checkout, recent, rule] = contract.holes;
    assert.match(
      checkout!.doc,
      /^\/\/ Checkout sets available to false and lastBorrowedAt to now; a book that is not available\n\/\/ cannot be checked out\.$/,
    );
    assert.match(recent!.doc, /^\/\/ Recent reports whether the book matches: published in the last 365 days\.$/);
    assert.equal(rule!.doc, '// TitleNotIsbn returns an error when the book breaks this rule: the title is not the same text\n// as the isbn.');
    assert.match(checkout!.description, /409/);
    for (const h of contract.holes) assert.doesNotMatch(h.doc, /\n(?!\/\/ )/, 'every line a comment');

    const stubs = renderBehaviour(contract);
    assert.equal(stubs.split(UNWRITTEN_BODY).length - 1, 3);
    assert.match(stubs, /^package models\n\nimport "time"\n\n\/\/ Checkout /);
    const written = renderBehaviour(contract, LIBRARY_BODIES);
    assert.match(written, /import \(\n\t"errors"\n\t"time"\n\)/);
    assert.doesNotMatch(written, /not written yet/);
    // A filter the model writes may be left to code's stand-in (it matches every item): NotBuilt names it, and the examples subtest skips it.
    assert.match(written, /^var NotBuilt = map\[string\]bool\{\}$/m);
    assert.match(
      renderBehaviour(contract, { ...LIBRARY_BODIES, 'Book.Recent': fallbackBody(contract.holes[1]!) }),
      /^var NotBuilt = map\[string\]bool\{\n\t"Book\.Recent": true,\n\}$/m,
    );
    assert.equal(behaviourContract(TODO_PLAN).header, 'package models');
    assert.deepEqual(behaviourContract(TODO_PLAN).holes, []);
  });
});

describe('the mutants', () => {
  test('their ids, stable and documented in core/go/mutants.ts', () => {
    assert.deepEqual(
      mutantsOf(LIBRARY_PLAN).map((m) => m.id),
      [
        'min:author.name',
        'max:author.name',
        'required:author.email',
        'format:author.email',
        'unique:author.email',
        'format:author.website',
        'children:author.book',
        'pagination:author',
        'min:book.authorId',
        'required:book.title',
        'max:book.title',
        'required:book.isbn',
        'unique:book.isbn',
        'enum:book.genre',
        'default:book.genre',
        'min:book.pages',
        'max:book.pages',
        'min:book.rating',
        'max:book.rating',
        'default:book.available',
        'parent:book.author',
        'nested:book.author',
        'filter:book.genre',
        'filter:book.authorId',
        'filter:book.published',
        'filter:book.recent',
        'rule:book.titleNotIsbn',
        'action:book.checkout',
        'pagination:book',
      ],
    );
    assert.deepEqual(
      mutantsOf(TODO_PLAN).map((m) => m.id),
      ['required:todo.title', 'default:todo.done', 'filter:todo.done', 'pagination:todo'],
    );
    assert.ok(mutantsOf(LIBRARY_PLAN).every((m) => m.what.length > 10));
  });

  test('every mutant is a project different from the original, in both stores', () => {
    for (const plan of [TODO_PLAN, LIBRARY_PLAN, EDGE_PLAN]) {
      for (const store of ['memory', 'sqlite'] as const) {
        const original = [...filesOf(plan, store).values()].join('\n');
        for (const { id } of mutantsOf(plan)) {
          const mutant = filesOf(plan, store, id);
          assert.notEqual([...mutant.values()].join('\n'), original, `${plan.module} ${store} ${id}`);
          assert.deepEqual([...mutant.keys()], [...filesOf(plan, store).keys()]);
        }
      }
    }
  });

  test('a mutant removes only its own behaviour', () => {
    const cut = (id: string, path: string) => filesOf(LIBRARY_PLAN, 'sqlite', id).get(path)!;
    assert.doesNotMatch(cut('unique:book.isbn', 'internal/store/sqlite.go'), /"isbn" TEXT NOT NULL UNIQUE/);
    assert.match(cut('unique:book.isbn', 'internal/store/sqlite.go'), /"email" TEXT NOT NULL UNIQUE/);
    assert.doesNotMatch(cut('unique:book.isbn', 'internal/store/memory.go'), /o\.Isbn == x\.Isbn/);
    assert.doesNotMatch(cut('action:book.checkout', 'internal/handlers/handlers.go'), /x\.Checkout\(/);
    assert.doesNotMatch(cut('default:book.genre', 'internal/models/models.go'), /PointerTo\[BookGenre\]/);
    assert.match(cut('default:book.genre', 'internal/models/models.go'), /PointerTo\[bool\]\(true\)/);
    assert.doesNotMatch(cut('pagination:book', 'internal/handlers/handlers.go'), /listBooks[\s\S]*paginate\(keep[\s\S]*listAuthorBooks[\s\S]*paginate\(keep/);
    assert.doesNotMatch(cut('parent:book.author', 'internal/store/memory.go'), /ErrNoParent, "author/);
    assert.doesNotMatch(cut('parent:book.author', 'internal/store/sqlite.go'), /ErrNoParent, "author/);
    assert.throws(() => goProject(LIBRARY_PLAN, { store: 'sqlite', mutant: 'unique:book.title' }), /no mutant unique:book\.title/);
  });
});

describe('names Go would trip on', () => {
  test('a resource called date, an enum value with an underscore, unique days and date-times', () => {
    const models = file(EDGE_PLAN, 'sqlite', 'internal/models/models.go');
    assert.match(models, /type CalendarDate struct\{ time\.Time \}/);
    assert.match(models, /type Date struct \{/);
    assert.match(models, /DateKindInPerson DateKind = "in_person"/);
    const memory = file(EDGE_PLAN, 'sqlite', 'internal/store/memory.go');
    assert.match(memory, /o\.Day\.String\(\) == x\.Day\.String\(\)/);
    assert.match(memory, /o\.At != nil && x\.At != nil && o\.At\.Equal\(\*x\.At\)/);
  });
});

test('the sample plans pass the plan check unchanged', () => {
  for (const plan of [TODO_PLAN, LIBRARY_PLAN, EDGE_PLAN]) {
    const checked = checkPlan(plan);
    assert.ok(checked.ok, JSON.stringify(checked));
    assert.deepEqual(checked.plan, plan);
  }
});
