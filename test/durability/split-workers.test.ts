// Model hosts and workspace hosts apart: a real dev server, one `overnight-llm worker -serve
// workflows,workspace` and one `overnight-llm worker -serve model -ollama <its own scripted
// Ollama>` (another state folder, as if on another machine), and a run (guided, then whole)
// started with -detach against a model server that does not exist, so only the model worker's
// endpoint can answer.
// The run ends valid; Temporal's own record (each activity's worker identity) shows every
// activity that touches the folder ran on the workspace worker and every model call on the
// model worker, whose response cache is its own; killing the model worker mid-call and
// starting it again redoes at most the call that was cut off.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { temporalBinary } from '../../client/temporal-server.js';
import { createModelActivities } from '../../activities/model-activities.js';
import { checkApi, specFromOutput } from '../support/check-api.js';
import { runCli, stopEmbeddedServer } from '../support/cli.js';
import { CliProcess, HANDLERS_FILE, bench, ollamaCalls, sleep, waitFor, type Bench, type OllamaProcess, startOllamaProcess } from '../support/durability.js';
import { readStatusJson } from '../support/status-schema.js';

let b: Bench;
const ollamas: OllamaProcess[] = [];
const workers: CliProcess[] = [];

before(async () => {
  b = await bench('split');
});

after(async () => {
  for (const w of workers) await w.kill();
  stopEmbeddedServer(b.temporal);
  for (const o of ollamas) await o.stop();
});

const MODEL_CALLS = new Set(Object.keys(createModelActivities()));

/** Each activity of the run: its type, task queue and the identity (pid@host) of the worker that ran its last attempt. */
function activitiesOf(workflowId: string): { type: string; queue: string; pid: number }[] {
  const raw = execFileSync(temporalBinary()!, ['workflow', 'show', '--address', b.temporal, '--workflow-id', workflowId, '--output', 'json'], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  type Event = {
    eventId: string;
    activityTaskScheduledEventAttributes?: { activityType: { name: string }; taskQueue: { name: string } };
    activityTaskStartedEventAttributes?: { scheduledEventId: string; identity: string };
  };
  const events = (JSON.parse(raw) as { events: Event[] }).events;
  const scheduled = new Map(events.filter((e) => e.activityTaskScheduledEventAttributes).map((e) => [e.eventId, e.activityTaskScheduledEventAttributes!]));
  return events.flatMap((e) => {
    const started = e.activityTaskStartedEventAttributes;
    if (!started) return [];
    const s = scheduled.get(started.scheduledEventId)!;
    return [{ type: s.activityType.name, queue: s.taskQueue.name, pid: Number(started.identity.split('@')[0]) }];
  });
}

function startWorker(serve: string, extra: string[], env: NodeJS.ProcessEnv): CliProcess {
  const w = new CliProcess(['worker', '-serve', serve, '-temporal', b.temporal, ...extra], { ...b.env, ...env });
  workers.push(w);
  return w;
}

/**
 * A run of `strategy` with a workspace worker and a model worker apart, the model worker killed
 * mid-call after `callsBeforeKill` calls and started again. Its scripted model host streams the
 * handlers file's calls at `handlersPace` tokens/s, so the kill lands inside one, and every other
 * call at once.
 */
async function splitRun(strategy: 'guided' | 'whole', callsBeforeKill: number, handlersPace: number, kinds: { model: string; folder: string }) {
  const started = Date.now();
  const ollama = await startOllamaProcess(b.dir, handlersPace, `model-host-${strategy}`, [HANDLERS_FILE]);
  ollamas.push(ollama);
  // Nothing listens at port 9: only the model worker's own endpoint can answer.
  const { args, output, db } = b.runArgs(`${strategy}-api`, 'http://127.0.0.1:9', ['-strategy', strategy, '-detach']);
  const run = await runCli(args, b.env, 120_000);
  assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
  const workflowId = /overnight-\S+/.exec(run.stdout + run.stderr)![0].replace(/[:,.]$/, '');

  // Another state folder, as on another machine: a response cache of its own, fresh.
  const modelState = path.join(b.dir, `model-host-state-${strategy}`);
  mkdirSync(modelState);
  const modelWorker = () => startWorker('model', ['-ollama', ollama.url], { OVERNIGHT_STATE_DIR: modelState });
  const workspace = startWorker('workflows,workspace', [], {});
  let model = modelWorker();
  const modelPids = [model.pid];

  // Mid-call: a (slow) handlers answer is streaming after a few have been given.
  const callsNow = () => ollamaCalls(ollama).filter((c) => c.at >= started);
  const inFlight = () => callsNow().filter((c) => c.end === null);
  await waitFor(
    'a handlers call in flight after a few answers',
    () => callsNow().length > callsBeforeKill && inFlight().some((c) => c.key === HANDLERS_FILE),
    240_000,
    50,
  );
  await sleep(300);
  const cut = inFlight().map((c) => c.request);
  await model.kill('SIGKILL');
  model = modelWorker();
  modelPids.push(model.pid);

  const watched = await runCli(['watch', workflowId, '-temporal', b.temporal], b.env, 600_000);
  for (const w of [workspace, model]) await w.kill();
  assert.equal(watched.code, 0, `${watched.stdout}\n${watched.stderr}\n--- workspace worker\n${workspace.stderr}\n--- model worker\n${model.stderr}`);
  const status = readStatusJson(output);
  assert.equal(status.run.status, 'completed');
  assert.equal(status.validation?.final.ok, true);
  const check = await checkApi(output, specFromOutput(output));
  assert.equal(check.valid, true, check.details);

  // Temporal's record: the folder's work on the workspace worker, the model's on a model worker.
  const ran = activitiesOf(workflowId);
  const modelRan = ran.filter((a) => MODEL_CALLS.has(a.type));
  const folderRan = ran.filter((a) => !MODEL_CALLS.has(a.type));
  assert.ok(modelRan.some((a) => a.type === kinds.model) && folderRan.some((a) => a.type === kinds.folder), JSON.stringify(ran));
  assert.deepEqual(
    folderRan.filter((a) => a.pid !== workspace.pid),
    [],
    'every activity that touches the output folder ran on the workspace worker',
  );
  assert.deepEqual(
    modelRan.filter((a) => !modelPids.includes(a.pid) || !a.queue.endsWith('-model')),
    [],
    'every model call ran on a model worker, from the model queue',
  );
  // The response cache moved with the model calls: the model worker's own file, none in the run's mirror.
  assert.ok(existsSync(path.join(modelState, 'llm-cache.db')), 'the model worker keeps its own response cache');
  const mirror = new Database(db, { readonly: true });
  assert.equal((mirror.prepare('SELECT count(*) AS n FROM llm_cache').get() as { n: number }).n, 0, 'no answer cached in the workspace mirror');
  mirror.close();

  // At most the cut-off call redone: each distinct request answered whole at most once.
  const calls = callsNow();
  const whole = new Map<string, number>();
  for (const c of calls) if (c.end?.complete) whole.set(c.request, (whole.get(c.request) ?? 0) + 1);
  assert.deepEqual(
    [...whole].filter(([, n]) => n > 1),
    [],
    'a request answered whole was asked again',
  );
  const notWhole = calls.filter((c) => !c.end?.complete);
  // Exactly one: a kill that landed between calls would prove nothing about a cut-off call.
  assert.ok(notWhole.length === 1 && cut.includes(notWhole[0]!.request), `calls not answered whole: ${JSON.stringify(notWhole)}`);
  assert.ok(
    cut.every((r) => whole.get(r) === 1),
    'the cut-off call was redone, once',
  );
  console.log(
    `durability/split (${strategy}): ${calls.length} model calls on the model host, ${whole.size} distinct, ${notWhole.length} cut off by the kill and redone; ` +
      `${folderRan.length} workspace activities, ${modelRan.length} model activities; ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
}

test('-strategy guided with a workspace worker and a model worker apart: valid, files written by the workspace, a killed model worker redoes only its cut-off call', () =>
  // The second handlers function on (the first is a few tokens long): 20 tokens/s streams it for seconds.
  splitRun('guided', 8, 20, { model: 'functionCandidate', folder: 'checkFunction' }));

test('-strategy whole, the same: valid, files written by the workspace, a killed model worker redoes only its cut-off call', () =>
  // The handlers file (921 chunks) streams for ~15 s at 60 tokens/s.
  splitRun('whole', 2, 60, { model: 'answerFile', folder: 'writeAnsweredFile' }));
