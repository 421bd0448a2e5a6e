// generateFile and planApi as activities (MockActivityEnvironment) against the scripted
// Ollama: the right file lands in the output dir, a prose answer gets one firmer follow-up,
// a repair prompt carries the errors and the current file, a bad plan goes back to the model.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { writeScaffold } from '../../activities/files/scaffold.js';
import { writeFileAtomic } from '../../activities/files/write-file.js';
import { allowedPaths } from '../../core/layout.js';
import { answerFile, fileRequest, generateFile } from '../../activities/llm/generate-file.js';
import { planApi, type PlanInput } from '../../activities/llm/plan-api.js';
import { PLAN_SCHEMA } from '../../core/plan-schema.js';
import { closeMirrors } from '../../lib/db.js';
import type { FilePhase, GenerateFileInput, GenerateFileResult, PlanResult } from '../../core/types.js';
import { FIXTURE_DIR, runInput } from '../support/run-fixtures.js';
import {
  fencedAnswer,
  startScriptedOllama,
  todoApiResponder,
  TODO_PLAN,
  TODO_SPEC,
  whenFile,
  whenPlan,
  withOverrides,
  type Override,
  type ScriptedOllama,
  type ScriptedRequest,
} from '../support/scripted-ollama.js';

process.env.OVERNIGHT_STATE_DIR ??= path.resolve(FIXTURE_DIR, '../../../.state/test');

const MODELS_FILE = 'internal/models/todo.go';
const PROSE = 'Sure! A todo model has a title, a description and a completed flag. Let me know if you need more.';
const dirs: string[] = [];
after(() => {
  closeMirrors();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const quietEnv = () => new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR') });
const gen = (input: GenerateFileInput) => quietEnv().run(generateFile, input) as Promise<GenerateFileResult>;
const plan = (input: PlanInput) => quietEnv().run(planApi, input) as Promise<PlanResult>;
const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
const fixture = (rel: string) => readFileSync(path.join(FIXTURE_DIR, rel), 'utf8');

/** A scripted server answering from the todo fixture with `overrides`; `seen` records every request. */
async function withServer(overrides: Override[], fn: (s: ScriptedOllama, seen: ScriptedRequest[]) => Promise<void>): Promise<void> {
  const seen: ScriptedRequest[] = [];
  const respond = withOverrides(todoApiResponder({ fixtureDir: FIXTURE_DIR }), overrides);
  const server = await startScriptedOllama({
    respond: (req, i) => {
      seen.push(req);
      return respond(req, i);
    },
  });
  try {
    await fn(server, seen);
  } finally {
    await server.close();
  }
}

/** A scaffolded output dir and a generateFile input for `phase`. */
async function fileInput(server: ScriptedOllama, phase: FilePhase, extra: Partial<GenerateFileInput> = {}): Promise<GenerateFileInput> {
  const run = runInput(server.url);
  dirs.push(path.dirname(run.dbPath));
  await writeScaffold({ workflowId: 'wf-gen', outputDir: run.outputDir, spec: TODO_SPEC });
  return {
    workflowId: 'wf-gen',
    phase,
    prompt: run.prompt,
    spec: TODO_SPEC,
    outputDir: run.outputDir,
    dbPath: run.dbPath,
    llm: run.llm,
    coverageGoal: 70,
    ...extra,
  };
}

async function failure(p: Promise<unknown>): Promise<ApplicationFailure> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof ApplicationFailure, `expected an ApplicationFailure, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the activity to fail');
}

describe('generateFile', () => {
  it('writes the file the phase asks for and returns its sha256 and size as on disk', async () => {
    await withServer([], async (server, seen) => {
      const input = await fileInput(server, 'models');
      const result = await gen(input);
      assert.equal(result.file.path, MODELS_FILE);
      const onDisk = readFileSync(path.join(input.outputDir, MODELS_FILE));
      assert.equal(onDisk.toString('utf8'), fixture(MODELS_FILE));
      assert.equal(result.file.sha256, sha256(onDisk));
      assert.equal(result.file.bytes, statSync(path.join(input.outputDir, MODELS_FILE)).size);
      assert.equal(result.usage.cached, false);
      assert.ok(result.usage.tokensIn > 0 && result.usage.tokensOut > 0);
      assert.equal(server.calls.length, 1);
      assert.equal(server.calls[0]!.file, MODELS_FILE);
      assert.equal(seen[0]!.messages[0]!.role, 'system');
      // No temporary files are left beside the written file.
      assert.deepEqual(readdirSync(path.join(input.outputDir, 'internal/models')), ['todo.go']);
    });
  });

  it('sends the phase’s own model options (-phase-options) over the run-wide ones; a repair uses the repair entry', async () => {
    await withServer([], async (server, seen) => {
      const input = await fileInput(server, 'models');
      input.llm = { ...input.llm, phaseOptions: { models: { temperature: 0, num_ctx: 16384 }, repair: { seed: 9 } } };
      await gen(input);
      assert.deepEqual(seen[0]!.options, { ...input.llm.options, temperature: 0, num_ctx: 16384 });
      await gen({ ...input, repair: { round: 1, errors: 'internal/models/todo.go:3:1: syntax error' } });
      assert.deepEqual(seen[1]!.options, { ...input.llm.options, seed: 9 });
    });
  });

  it('a later phase writes its own file and its prompt carries the files it depends on', async () => {
    await withServer([], async (server, seen) => {
      const input = await fileInput(server, 'models');
      await gen(input);
      const repo = await gen({ ...input, phase: 'repository' });
      assert.equal(repo.file.path, 'internal/repository/todo_repo.go');
      assert.equal(readFileSync(path.join(input.outputDir, repo.file.path), 'utf8'), fixture(repo.file.path));
      assert.ok(seen[1]!.lastUserMessage.includes(fixture(MODELS_FILE).trim()), 'the repository prompt lacks the models file');
    });
  });

  it('an answer without code gets one firmer follow-up naming the file, and the good second answer is written', async () => {
    await withServer([{ when: whenFile(MODELS_FILE), times: 1, answer: PROSE }], async (server, seen) => {
      const input = await fileInput(server, 'models');
      const result = await gen(input);
      assert.equal(server.calls.length, 2);
      const followUp = seen[1]!;
      assert.match(followUp.lastUserMessage, /cannot be used/);
      assert.match(followUp.lastUserMessage, new RegExp(`^File: ${MODELS_FILE}$`, 'm'));
      // The model sees its own unusable answer before the follow-up.
      assert.deepEqual(followUp.messages.at(-2), { role: 'assistant', content: PROSE });
      assert.equal(readFileSync(path.join(input.outputDir, MODELS_FILE), 'utf8'), fixture(MODELS_FILE));
      assert.equal(result.file.sha256, sha256(fixture(MODELS_FILE)));
      // Usage covers both exchanges.
      assert.equal(result.usage.tokensOut, Math.ceil(PROSE.length / 4) + Math.ceil(fencedAnswer(MODELS_FILE, fixture(MODELS_FILE)).length / 4));
    });
  });

  it('two answers without code are NoCodeInAnswer, not retryable, and nothing is written', async () => {
    await withServer([{ when: whenFile(MODELS_FILE), answer: PROSE }], async (server) => {
      const input = await fileInput(server, 'models');
      const f = await failure(gen(input));
      assert.equal(f.type, 'NoCodeInAnswer');
      assert.equal(f.nonRetryable, true);
      assert.match(f.message, /-model/);
      assert.equal(server.calls.length, 2);
      assert.deepEqual(readdirSync(path.join(input.outputDir, 'internal/models')), []);
    });
  });

  it('an answer cut off at num_predict is not written as a file: asked once more, then NoCodeInAnswer saying -num-predict', async () => {
    await withServer([], async (server) => {
      const input = await fileInput(server, 'models');
      input.llm = { ...input.llm, options: { ...input.llm.options, num_predict: 20 } }; // the scripted model streams 4 characters a token
      const f = await failure(gen(input));
      assert.equal(f.type, 'NoCodeInAnswer');
      assert.match(f.message, /^the answer was cut off at 20 tokens \(-num-predict\) before the file ended, twice: raise -num-predict/);
      assert.equal(server.calls.length, 2);
      assert.match(server.calls[1]!.lastUserMessage, /That answer cannot be used: the answer was cut off/);
      assert.deepEqual(readdirSync(path.join(input.outputDir, 'internal/models')), []);
      // From the response cache, a cut-off answer is still known as one.
      const again = await failure(gen(input));
      assert.equal(again.message, f.message);
      assert.equal(server.calls.length, 2);
    });
  });

  it('a repair request sends the toolchain errors and the current file, then writes the fix', async () => {
    await withServer([], async (server, seen) => {
      const input = await fileInput(server, 'models');
      const broken = 'package models\n\n// BROKEN-MARKER: the current content\ntype Todo struct {\n';
      writeFileAtomic(input.outputDir, MODELS_FILE, broken, allowedPaths(TODO_SPEC));
      const errors = 'internal/models/todo.go:5:1: syntax error: unexpected EOF, expected }';
      const result = await gen({ ...input, repair: { round: 1, errors } });
      const prompt = seen[0]!.lastUserMessage;
      assert.ok(prompt.includes(errors), 'the repair prompt lacks the errors');
      assert.ok(prompt.includes(broken.trim()), 'the repair prompt lacks the current file');
      assert.match(prompt, /round 1/i);
      assert.equal(server.calls[0]!.file, MODELS_FILE, 'the repair prompt must name the file on a `File:` line first');
      assert.equal(readFileSync(path.join(input.outputDir, MODELS_FILE), 'utf8'), fixture(MODELS_FILE));
      assert.equal(result.file.sha256, sha256(fixture(MODELS_FILE)));
    });
  });
});

describe('planApi', () => {
  const planInput = (server: ScriptedOllama): PlanInput => {
    const run = runInput(server.url);
    dirs.push(path.dirname(run.dbPath));
    return { prompt: run.prompt, dbPath: run.dbPath, llm: run.llm };
  };

  it('accepts the scripted plan on the first try, asking with the plan schema as format', async () => {
    await withServer([], async (server, seen) => {
      const result = await plan(planInput(server));
      assert.deepEqual(result.spec, TODO_SPEC);
      assert.deepEqual(result.plan, TODO_PLAN);
      assert.equal(result.fidelity?.buildable, true);
      assert.deepEqual(
        result.fidelity?.requirements.filter((r) => r.where === null),
        [],
        'nothing of "REST API for todo list" is left out',
      );
      assert.equal(result.attempts, 1);
      assert.equal(result.usage.cached, false);
      assert.deepEqual(seen[0]!.format, PLAN_SCHEMA);
      assert.match(seen[0]!.lastUserMessage, /REST API for todo list/);
    });
  });

  it('sends a plan that fails the checks back with the errors and accepts a good second answer', async () => {
    const bad = JSON.stringify({ ...TODO_SPEC, resource: '../etc' });
    await withServer([{ when: whenPlan(), times: 1, answer: bad }], async (server, seen) => {
      const result = await plan(planInput(server));
      assert.equal(result.attempts, 2);
      assert.deepEqual(result.spec, TODO_SPEC);
      assert.equal(server.calls.length, 2);
      assert.match(seen[1]!.lastUserMessage, /resources\[0\]\.name must be one lower-case word/);
      assert.deepEqual(seen[1]!.messages.at(-2), { role: 'assistant', content: bad });
    });
  });

  it('three bad plans are PlanInvalid, not retryable, naming the problem', async () => {
    const bad = JSON.stringify({ ...TODO_SPEC, resource: '../etc' });
    await withServer([{ when: whenPlan(), answer: bad }], async (server) => {
      const f = await failure(plan(planInput(server)));
      assert.equal(f.type, 'PlanInvalid');
      assert.equal(f.nonRetryable, true);
      assert.match(f.message, /3 tries/);
      assert.match(f.message, /resources\[0\]\.name/);
      assert.equal(server.calls.length, 3);
    });
  });
});

describe('the README, a phase that only adds comfort', () => {
  const README = 'README.md';
  const intro = '# todo-api\n\nA REST API for todos.\n\n';
  const loop = '## Usage\n\nRun `go run ./cmd/server` and send JSON to /todos.\n\n';

  it('an answer that runs in a loop is stopped once the loop is evident, and its first pass is the README', async () => {
    // 400 passes of the same section: a small model's loop until the token limit.
    const looping = '```markdown\n' + intro + loop.repeat(400);
    await withServer([{ when: whenFile(README), answer: looping }], async (server) => {
      const input = await fileInput(server, 'readme');
      const result = await gen(input);
      const written = readFileSync(path.join(input.outputDir, README), 'utf8');
      assert.equal(written.trimEnd(), (intro + loop).trimEnd());
      assert.ok(result.usage.tokensOut < looping.length / 4 / 10, `stopped early: ${result.usage.tokensOut} tokens of ${looping.length / 4}`);
      assert.equal(server.calls.length, 1);
    });
  });

  it('two answers cut off at the token limit do not fail the API: code writes a plain README from the plan and says so', async () => {
    await withServer([], async (server) => {
      const input = await fileInput(server, 'readme');
      input.llm = { ...input.llm, options: { ...input.llm.options, num_predict: 20 } }; // the scripted model streams 4 characters a token
      const answer = (await quietEnv().run(answerFile, { ...input, repair: false, prompt: (await fileRequest(input)).prompt })) as Awaited<
        ReturnType<typeof answerFile>
      >;
      assert.match(
        answer.note ?? '',
        /^README\.md: the model's answer could not be used \(the answer was cut off at 20 tokens.*, twice\): code wrote a plain README from the plan$/,
      );
      assert.match(answer.content, /^# todo-api\n/);
      for (const f of TODO_SPEC.fields) assert.match(answer.content, new RegExp(`\`${f.json}\``));
      assert.match(answer.content, /`DELETE \/todos\/\{id\}` answers 204/);
      assert.equal(server.calls.length, 2);
    });
  });
});
