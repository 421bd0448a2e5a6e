// A filter in words that nothing checked for meaning stays built, and the fidelity list tells the
// user to check it: its body disagrees with the model's examples, or the model sorted none.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fidelityLines, fidelityOf } from '../../core/fidelity.js';
import { NO_EXAMPLES, withUnchecked } from '../../core/fidelity-checked.js';
import { LIBRARY_PLAN } from '../../core/go/sample-plans.js';

const request = 'REST API for a library: authors, and books that belong to an author; list the recent books';

test('an unchecked filter keeps its place and says why to check it; the other lines do not change', () => {
  const f = fidelityOf(request, LIBRARY_PLAN, 'sqlite');
  const recent = (x: typeof f) => x.requirements.find((r) => r.where?.startsWith('GET /books?recent=true ('))!;
  assert.ok(recent(f), JSON.stringify(f.requirements));
  const unsorted = withUnchecked(f, LIBRARY_PLAN, [{ kind: 'filter', resource: 'book', element: 'recent' }], NO_EXAMPLES);
  assert.equal(recent(unsorted).where, recent(f).where);
  assert.equal(recent(unsorted).why, `unchecked: ${NO_EXAMPLES}; check it`);
  assert.match(
    fidelityLines(unsorted).find((l) => l.includes('?recent=true'))!,
    /^~ .*\(unchecked: the model sorted no examples/,
  );
  const disagreeing = withUnchecked(f, LIBRARY_PLAN, [{ kind: 'filter', resource: 'book', element: 'recent' }]);
  assert.match(recent(disagreeing).why!, /^unchecked: the model's body disagrees with the examples/);
  assert.deepEqual(
    unsorted.requirements.filter((r) => r !== recent(unsorted)),
    f.requirements.filter((r) => r !== recent(f)),
  );
});

test('an action a list disagrees with after it keeps its place and says what to check', () => {
  const f = fidelityOf(`${request}; a book can be checked out`, LIBRARY_PLAN, 'sqlite');
  const checkout = (x: typeof f) => x.requirements.find((r) => r.where?.startsWith('POST /books/{id}/checkout ('))!;
  assert.ok(checkout(f), JSON.stringify(f.requirements));
  const why = "after checkout, the API lists the book in ?available=true, where the model's reading of the request leaves it out";
  const marked = withUnchecked(f, LIBRARY_PLAN, [{ kind: 'action', resource: 'book', element: 'checkout', why }]);
  assert.equal(checkout(marked).where, checkout(f).where);
  assert.match(
    fidelityLines(marked).find((l) => l.includes('/checkout'))!,
    /^~ .*\(unchecked: after checkout, the API lists the book in \?available=true, .*; check it\)$/,
  );
  assert.equal(marked.requirements.filter((r) => r.why?.startsWith('unchecked')).length, 1);
});

test('a sentence that names none of the planned resources: its word is only in the module, and the line says the model chose them', () => {
  const plan = { module: 'inventory-api', notBuilt: [], resources: [{ ...LIBRARY_PLAN.resources[0]!, name: 'person', plural: 'people' }] };
  const lines = fidelityLines(fidelityOf('REST API for inventory', plan, 'sqlite'));
  assert.match(
    lines.find((l) => l.includes('the module'))!,
    /^~ inventory → the module inventory-api \(unchecked: the request names none of the plan's resources; people are the model's reading of it; check it\)$/,
  );
  // Named by the sentence ("bookstore" names books): no such line.
  const books = { module: 'bookstore-api', notBuilt: [], resources: [{ ...LIBRARY_PLAN.resources[1]!, parent: undefined }] };
  assert.ok(!fidelityLines(fidelityOf('REST API for a bookstore', books, 'sqlite')).some((l) => l.startsWith('~')));
});

test("a filter by a flag whose actions' effect nothing checked is marked on its own line", () => {
  const plan = {
    module: 'tools-api',
    notBuilt: [],
    resources: [
      {
        name: 'tool',
        plural: 'tools',
        fields: [
          { name: 'available', type: 'boolean' as const, required: false },
          { name: 'lent', type: 'boolean' as const, required: false },
        ],
        filters: [{ name: 'available', field: 'available' }],
        actions: [{ name: 'lend', description: 'sets lent to true' }],
        rules: [],
      },
    ],
  };
  const f = fidelityOf('REST API for tools that can be lent; list the tools that are available', plan, 'sqlite');
  const why = 'nothing checked whether lend moves a tool in or out of this list';
  const lines = fidelityLines(withUnchecked(f, plan, [{ kind: 'filter', resource: 'tool', element: 'available', why }]));
  assert.match(
    lines.find((l) => l.includes('?available='))!,
    /^~ available → GET \/tools\?available=… \(unchecked: nothing checked whether lend moves a tool in or out of this list; check it\)$/,
  );
});
