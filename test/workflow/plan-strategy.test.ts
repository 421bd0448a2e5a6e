// -strategy plan on a real Temporal dev server and worker, with the scripted Ollama: the plan of
// authors and their books becomes the whole project code writes (both resources, SQLite, rules,
// relation, filters, the action), the model writes only the methods in words (one answer the
// compiler rejects is fixed where it is written), and the result is re-checked here by the Go
// toolchain and by Schemathesis against the API's own openapi.yaml, not by the pipeline's word.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { behaviourContract } from '../../core/go/index.js';
import { LIBRARY_BODIES, LIBRARY_PLAN } from '../../core/go/sample-plans.js';
import { singleResourceSpec } from '../../core/single-resource.js';
import type { RunResult, RunState } from '../../core/run-types.js';
import { coverageTotal } from '../support/check-api.js';
import { runInput, startDevServerWithWorker } from '../support/run-fixtures.js';
import { fencedAnswer, generatedReadme, hasFormat, type ScriptedRequest } from '../support/scripted-ollama-responders.js';
import { startScriptedOllama } from '../support/scripted-ollama.js';
import { readStatusJson } from '../support/status-schema.js';
import { recordHistory } from '../support/histories.js';

const exec = promisify(execFile);
const taskQueue = 'plan-strategy-test';
let env: TestWorkflowEnvironment;
let stop: () => Promise<void>;

before(async () => ({ env, stop } = await startDevServerWithWorker(taskQueue)));
after(async () => stop?.());

// "can be marked lost" is put in by code (a flag and the action that sets it), and code writes that action's body.
const PROMPT =
  'REST API for a library: authors with a unique email, and books that belong to an author, with a genre, a rating and a checkout action; a book can be marked lost';
const methodOf = (req: ScriptedRequest) => req.messages.map((m) => /^Method: (\S+)$/m.exec(m.content)?.[1]).find(Boolean);

/** LIBRARY_PLAN as the model plans it: the filter in words without examples, which it sorts later. */
const PLANNED = { ...LIBRARY_PLAN, resources: LIBRARY_PLAN.resources.map((r) => ({ ...r, filters: r.filters.map(({ examples: _, ...f }) => f) })) };

/** The plan, recent's examples (every book listed but the one published 400 days ago, a book after checkout too), each method as LIBRARY_BODIES has it but for the broken ones below, a README. */
function libraryResponder() {
  let brokenSent = false;
  const holes = behaviourContract(LIBRARY_PLAN).holes;
  return (req: ScriptedRequest) => {
    // Asked both ways ("one of", "left out of"), consistently.
    const question = /^(?:After \w+, i|I)s this book (one of|left out of) the books that match "published in the last 365 days"\?$/m.exec(req.lastUserMessage);
    if (question) {
      const listed = !/published: "[^"]*" \(400 days ago\)/.test(req.lastUserMessage);
      return JSON.stringify(question[1] === 'one of' ? { listed } : { leftOut: !listed });
    }
    if (hasFormat(req.format)) return JSON.stringify(PLANNED);
    const method = methodOf(req);
    if (method) {
      const hole = holes.find((h) => h.name === method)!;
      // Checkout's first answer does not compile (a string for a *bool: no mechanical fix makes it right); no answer for Recent ever does; the rule compiles but refuses every book.
      const body =
        method === 'Book.Recent'
          ? '\treturn x.Save()'
          : method === 'Book.TitleNotIsbn'
            ? '\treturn errors.New("every book is refused")'
            : method === 'Book.Checkout' && !brokenSent
              ? ((brokenSent = true), '\tx.Available = "no"\n\treturn nil')
              : LIBRARY_BODIES[method]!;
      return `\`\`\`go\n${hole.signature} {\n${body}\n}\n\`\`\`\n`;
    }
    if (req.file === 'README.md') return fencedAnswer('README.md', generatedReadme(singleResourceSpec(LIBRARY_PLAN)));
    return { fault: 'http500' as const, message: `plan-strategy test: unexpected request ${req.lastUserMessage.slice(0, 200)}` };
  };
}

test(
  '-strategy plan: every resource, rule, relation, filter and action of the plan is served; the model writes only the methods in words',
  { timeout: 600_000 },
  async () => {
    const ollama = await startScriptedOllama({ respond: libraryResponder() });
    try {
      const input = runInput(ollama.url, { prompt: PROMPT, strategy: 'plan', store: 'sqlite' });
      const handle = await env.client.workflow.start('generateApi', { taskQueue, workflowId: `wf-plan-${Date.now()}`, args: [input] });
      const result = (await handle.result()) as RunResult;
      const state = await handle.query<RunState>('status');
      assert.equal(result.valid, true, result.error);
      assert.deepEqual(
        state.phases.map((p) => `${p.name}:${p.status}`),
        [
          'preflight:done',
          'plan:done',
          'scaffold:done',
          'models:done',
          'repository:skipped',
          'handlers:skipped',
          'server:skipped',
          'tests:skipped',
          'readme:done',
          'validate:failed',
          'repair:done',
          'validate:done',
          'report:done',
        ],
      );
      const out = input.outputDir;
      for (const f of ['internal/store/sqlite.go', 'internal/handlers/handlers.go', 'tests/api_test.go', 'openapi.yaml', 'internal/models/behaviour.go'])
        assert.ok(existsSync(path.join(out, f)), `${f} is missing`);
      // The model's share: Checkout, after a fix request (Recent never compiled, the rule was swapped).
      const status = readStatusJson(out);
      const behaviour = status.files.find((f) => f.path === 'internal/models/behaviour.go')!;
      assert.equal(behaviour.provenance?.errorsLeft, 0);
      assert.equal(behaviour.provenance?.candidates, 9, 'Checkout twice, Recent six times, TitleNotIsbn once');
      assert.ok((behaviour.provenance?.modelLines ?? 0) >= 5, 'Checkout, the one the model wrote that stayed');
      assert.ok(behaviour.provenance?.fixes.includes('stand-in'));
      assert.equal(behaviour.provenance?.strategy, 'plan');
      assert.equal(behaviour.provenance?.verbatimLines, 0, 'Checkout chose its lines: none is in its prompt');
      // Every other Go file is code's, line for line.
      for (const f of status.files.filter((x) => x.path.endsWith('.go') && x.path !== 'internal/models/behaviour.go'))
        assert.deepEqual([f.path, f.provenance?.modelLines, (f.provenance?.contractLines ?? 0) > 0], [f.path, 0, true]);
      assert.ok(
        ollama.calls.some((c) => /is not right yet/.test(c.lastUserMessage) && /Available/.test(c.lastUserMessage)),
        'the compile error went back to the model',
      );
      const source = readFileSync(path.join(out, 'internal/models/behaviour.go'), 'utf8');
      assert.match(source, /the book is not available/);
      assert.match(source, /func \(x \*Book\) MarkLost\(now time\.Time\) error \{\n\tx\.Lost = PointerTo\(true\)\n\treturn nil\n\}/);
      assert.ok(!ollama.calls.some((c) => /Method: Book\.MarkLost/.test(c.lastUserMessage)), 'the model is not asked for what code knows');
      assert.ok(status.fidelity!.requirements.some((r) => r.where?.startsWith('POST /books/{id}/markLost') && r.where.includes('written by code')));
      // The filter the model could not write has code's stand-in (it matches every book); the rule that refused every book
      // failed the API's tests and code swapped it for its stand-in (it refuses nothing): both named, all else in place.
      assert.match(source, /func \(x Book\) Recent\(now time\.Time\) bool \{\n\treturn true\n\}/);
      assert.match(source, /func \(x Book\) TitleNotIsbn\(\) error \{\n\treturn nil\n\}/);
      assert.deepEqual(
        status.fidelity!.requirements.filter((r) => r.where === null).map((r) => r.why),
        [
          'no body the model wrote for recent compiled: the filter matches every item',
          "the model's body for titleNotIsbn failed the API's tests: the rule refuses nothing",
        ],
      );
      assert.ok(state.phases.find((p) => p.name === 'models')!.notes?.some((n) => /book filter recent: not built/.test(n)));
      // The model sorted example items for recent from the sentence; the tests hold the filter to them, and skip code's stand-in.
      assert.ok(
        state.phases
          .find((p) => p.name === 'scaffold')!
          .notes?.some((n) => n === 'books?recent=true: the model sorted 10 example items (9 listed, 2 after an action); the tests hold the API to them'),
        JSON.stringify(state.phases.find((p) => p.name === 'scaffold')!.notes),
      );
      assert.match(
        readFileSync(path.join(out, 'tests/api_test.go'), 'utf8'),
        /t\.Run\("filter recent: the model's examples"[\s\S]*daysFromNow\(-400\)[^\n]*, false, &in, &out\)/,
      );
      assert.match(source, /var NotBuilt = map\[string\]bool\{\n\t"Book\.Recent": true,\n\}/);
      assert.ok(state.phases.find((p) => p.name === 'repair')!.notes?.some((n) => /book rule titleNotIsbn: the model's body failed the API's tests/.test(n)));
      // The README is code's, from the plan: every resource's routes, the rules, the fidelity list; the model is not asked.
      const readme = readFileSync(path.join(out, 'README.md'), 'utf8');
      for (const want of [
        '`POST /books/{id}/checkout` → 200',
        '`GET /authors/{id}/books` → 200',
        '- `isbn`: string, required, unique',
        '## What was asked for, and where it is',
      ])
        assert.ok(readme.includes(want), `README.md lacks ${want}`);
      assert.ok(!ollama.calls.some((c) => c.file === 'README.md'), 'the model is not asked for the README');
      // Re-checked here: the Go toolchain on the output, then Schemathesis against its openapi.yaml.
      const { GO_MOD_CACHE } = await import('../../activities/go/run-tool.js');
      const goEnv = { ...process.env, GOMODCACHE: GO_MOD_CACHE, GOPROXY: 'off', GOFLAGS: '-mod=mod' };
      await exec('go', ['vet', './...'], { cwd: out, env: goEnv });
      const profile = path.join(path.dirname(out), 'cover.out');
      await exec('go', ['test', '-count=1', '-coverpkg=./...', `-coverprofile=${profile}`, './...'], { cwd: out, env: goEnv });
      const total = coverageTotal((await exec('go', ['tool', 'cover', `-func=${profile}`], { cwd: out, env: goEnv })).stdout);
      assert.ok(total !== null && total >= 70, `coverage ${total}%`);
      const st = await exec('bash', ['scripts/schemathesis.sh', out], { env: goEnv, maxBuffer: 16 << 20 }).catch(
        (e: { stdout?: string; stderr?: string }) => e,
      );
      const text = `${st.stdout ?? ''}${st.stderr ?? ''}`;
      const summary = /schemathesis: (\d+) distinct failures in (\d+) test cases/.exec(text);
      assert.ok(summary, text.slice(-3000));
      assert.equal(Number(summary[1]), 0, text.slice(-4000));
      recordHistory(env.address, handle.workflowId, 'plan-strategy-run');
    } finally {
      await ollama.close();
    }
  },
);
