// The README code writes for a whole-plan run: every resource's routes, each field with its rules,
// the rules in words, how to run and test it, an example a reader can paste; the same every time.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LIBRARY_PLAN } from '../../core/go/sample-plans.js';
import { planReadme } from '../../core/readme.js';

test('the plan README lists every route, field rule and rule in words, and an example item valid by the rules', () => {
  const text = planReadme(LIBRARY_PLAN, 'sqlite', 'REST API for a library');
  for (const want of [
    '# library-api',
    'from the request: "REST API for a library"',
    'data in $DB_PATH (default data.db), kept across restarts',
    '- `GET /authors` → 200: list authors',
    '- `POST /books/{id}/checkout` → 200: checkout: sets available to false',
    '- `GET /authors/{id}/books` → 200: list the books of an author',
    '- `authorId`: integer, required, min 1',
    '- `isbn`: string, required, unique',
    '- `genre`: one of fiction, science, history, optional, default "fiction"',
    '- filters on `GET /books`: `?genre=…`, `?authorId=…`, `?published=…`, `?recent=true`',
    '- rule `titleNotIsbn`: the title is not the same text as the isbn',
    "curl -X POST localhost:8080/authors -H 'content-type: application/json' -d '{\"name\":",
  ])
    assert.ok(text.includes(want), `the README lacks ${want}`);
  assert.match(text, /The model planned it and wrote the behaviour described in words/);
  assert.match(planReadme(LIBRARY_PLAN, 'memory', 'x'), /data in memory, lost when it stops/);
  // A plan with nothing in words: the model wrote no code, and the README does not say it did.
  const plain = planReadme({ ...LIBRARY_PLAN, resources: [LIBRARY_PLAN.resources[0]!] }, 'sqlite', 'x');
  assert.match(plain, /The model planned it; code wrote the project from the plan/);
  assert.equal(planReadme(structuredClone(LIBRARY_PLAN), 'sqlite', 'REST API for a library'), text);
});
