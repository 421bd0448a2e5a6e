// The commands of a reviewed plan: `plan ID` shows it, `approve ID [-edit FILE]` lets the run go
// on with it (or with the user's edit, which the run checks as it checked the model's plan).
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { rootMessage } from '../workflows/run-state.js';
import { approvePlanUpdate } from '../workflows/queries.js';
import { fidelityLines } from '../core/fidelity.js';
import { routesOf, type Field, type Plan } from '../core/plan.js';
import { PLAN_FILE } from '../core/layout.js';
import { clientFor, type Io } from './session.js';
import type { RunMemo } from './run-input.js';
import { UsageError, type Flags } from './flags.js';
import { liveState } from './mirror-state.js';

export async function planCommand(flags: Flags, id: string, io: Io): Promise<number> {
  const client = await clientFor(flags, io);
  const handle = client.workflow.getHandle(id);
  const description = await handle.describe(); // an unknown id throws WorkflowNotFoundError: exit 2
  const state = description.status.name === 'RUNNING' ? await liveState(handle, 5000) : null;
  const outputDir = ((description.memo ?? {}) as Partial<RunMemo>).outputDir;
  const plan = state?.plan ?? planFromFolder(outputDir);
  if (!plan) {
    io.err(
      `run ${id} has no plan yet${state ? ` (it is at ${state.currentPhase ?? 'its start'})` : outputDir ? ` (no ${path.join(outputDir, PLAN_FILE)})` : ''}`,
    );
    return 1;
  }
  if (flags.json) io.out(JSON.stringify(plan, null, 2));
  else {
    for (const line of planLines(plan)) io.out(line);
    if (state?.fidelity)
      for (const line of ['', 'what the request asks for, and where it is:', ...fidelityLines(state.fidelity).map((l) => `  ${l}`)]) io.out(line);
  }
  if (state?.review) {
    const say = flags.json ? io.err : io.out; // -json's stdout is the plan alone, ready to edit
    say('');
    say(`waiting for approval until ${state.review.until} (then ${state.review.onTimeout}):`);
    say(`  overnight-llm approve ${id}                 go on with this plan`);
    say(`  overnight-llm approve ${id} -edit FILE      go on with FILE instead (JSON, e.g. an edited copy of -json's output)`);
  }
  return 0;
}

const rulesOf = (f: Field) =>
  [
    f.required ? 'required' : '',
    f.values ? `one of ${f.values.join('|')}` : '',
    f.min !== undefined ? `min ${f.min}` : '',
    f.max !== undefined ? `max ${f.max}` : '',
    f.format ?? '',
    f.unique ? 'unique' : '',
    f.default !== undefined ? `default ${JSON.stringify(f.default)}` : '',
  ]
    .filter(Boolean)
    .join(', ');

/** The plan as a person reads it: each resource, its fields and rules, its routes. */
export function planLines(plan: Plan): string[] {
  const lines = [`Go module ${plan.module}`];
  for (const r of plan.resources) {
    const width = Math.max(...r.fields.map((f) => f.name.length));
    lines.push(
      `resource ${r.name} (plural ${r.plural})${r.parent ? `, belongs to a ${r.parent}` : ''}`,
      ...r.fields.map((f) => `  ${f.name.padEnd(width)}  ${f.type.padEnd(8)}  ${rulesOf(f)}`.trimEnd()),
      ...r.rules.map((x) => `  rule ${x.name}: ${x.description}`),
      ...routesOf(plan, r).map((e) => `  ${e.method.padEnd(6)} ${e.path} → ${e.status}`),
      ...r.filters.map((f) => `  GET    /${r.plural}?${f.name}=${f.field ? '…' : `true  (${f.description})`}`),
    );
  }
  for (const n of plan.notBuilt) lines.push(`not built: ${n.what} (${n.why})`);
  return lines;
}

function planFromFolder(outputDir: string | undefined): Plan | null {
  const file = outputDir ? path.join(outputDir, PLAN_FILE) : '';
  if (!file || !existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Plan;
  } catch {
    return null;
  }
}

export async function approveCommand(flags: Flags, id: string, io: Io): Promise<number> {
  const plan = flags.edit ? editedPlan(flags.edit) : undefined; // unreadable or not JSON: a usage error, before any server
  const client = await clientFor(flags, io);
  const handle = client.workflow.getHandle(id);
  const description = await handle.describe(); // an unknown id throws WorkflowNotFoundError: exit 2
  if (description.status.name !== 'RUNNING') {
    io.err(`overnight-llm: run ${id} has ended (${description.status.name.toLowerCase()}): there is no plan waiting for approval`);
    return 1;
  }
  let approved: Plan;
  try {
    // The run's worker answers; none within a minute means none is running.
    approved = await client.withDeadline(Date.now() + 60_000, () => handle.executeUpdate(approvePlanUpdate, { args: [{ plan }] }));
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) {
      io.err(`overnight-llm: ${flags.edit ? `-edit ${flags.edit}: ` : ''}${rootMessage(err)}`);
      return 2;
    }
    io.err(`overnight-llm: run ${id} did not answer (${rootMessage(err)}): is its worker running? (overnight-llm attach ${id})`);
    return 1;
  }
  io.out(
    `approved: ${id} goes on with ${plan === undefined ? 'its plan' : 'your plan'} (${approved.resources.map((r) => `${r.plural}: ${r.fields.length} fields`).join('; ')})`,
  );
  return 0;
}

function editedPlan(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`-edit ${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`-edit ${file} is not JSON (${(err as Error).message}): write the plan as plan.json has it`);
  }
}
