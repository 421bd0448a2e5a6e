// One method of behaviour.go from the model (the whole-plan writer's model side): the prompt
// shows the resource's Go type as code wrote it and says in the plan's words what the method
// does; a fix request shows the best answer so far with its errors. The answer is started with
// the signature and stops at its closing brace. No file is read or written here.
import { behaviourContract, goProject, type BehaviourHole } from '../../core/go/index.js';
import { goContext, goResource, type GoField } from '../../core/go/names.js';
import type { Plan } from '../../core/plan.js';
import { examplesForPrompt } from '../../core/filter-examples.js';
import { goName, withArticle } from '../../core/plan.js';
import type { FixRequest } from '../../core/guided-code.js';
import type { LlmSettings, LlmUsage } from '../../core/types.js';
import { llmForPhase } from '../llm/phase-options.js';
import { askForFunction } from '../guided/function-candidate.js';
import { loadPrompt, renderPrompt } from '../llm/prompts.js';

/** A hole as go-source's answer reading knows functions: by its method's name. */
export const asFunction = (h: BehaviourHole) => ({ name: h.name.slice(h.name.indexOf('.') + 1), signature: h.signature, steps: [h.description] });

export interface BehaviourCandidateInput {
  plan: Plan;
  hole: string;
  /** Which try for this method (0 is the run's own options; later ones another seed, warmer). */
  attempt: number;
  fix?: FixRequest;
  llm: LlmSettings;
  dbPath: string;
}

/** The declarations of models.go the method works with: its type, the type's enums, Date and PointerTo. */
export function typesFor(plan: Plan, resource: string): string {
  const models = goProject(plan, { store: 'memory' }).find((f) => f.path === 'internal/models/models.go')!.content;
  const T = goName(resource);
  const blocks = models.split('\n\n');
  const wanted = (b: string) => {
    const code = b.replace(/^\/\/.*\n/gm, '');
    return (
      code.startsWith(`type ${T} struct`) ||
      new RegExp(`^type ${T}[A-Z]\\w* string`).test(code) ||
      new RegExp(`^const \\(\\n\\t${T}[A-Z]`).test(code) ||
      (code.startsWith('type Date struct') && models.includes(`*Date`)) ||
      code.startsWith('func PointerTo')
    );
  };
  return blocks
    .filter(wanted)
    .map((b) => b.trim())
    .join('\n\n');
}

function holeOf(plan: Plan, name: string): BehaviourHole {
  const hole = behaviourContract(plan).holes.find((h) => h.name === name);
  if (!hole) throw new Error(`behaviour.go has no method ${name}`);
  return hole;
}

/** A value of a field's Go type, as the model would write it. */
function example(f: GoField, date: string): string {
  const t = f.field.type;
  if (t === 'enum') return `${f.type}${goName(f.field.values![0]!)}`;
  if (t === 'date') return `${date}{Time: now}`;
  // int64(1): PointerTo(1) would be a *int.
  return { string: '"text"', integer: 'int64(1)', number: '1.5', boolean: 'true', datetime: 'now' }[t];
}

/**
 * Each field of x with its Go type, and how an optional one is set. Types and forms only: the 0.5B
 * copied example assignments for every field into an action's body, overwriting the item.
 */
export function fieldHints(plan: Plan, resource: string): string {
  const ctx = goContext(plan, 'memory');
  const fields = goResource(ctx, resource).fields;
  const lines = fields.map((f) => (f.pointer ? `- x.${f.go} *${f.type} (optional: nil when unset)` : `- x.${f.go} ${f.type}`));
  const optional = fields.find((f) => f.pointer && f.field.type === 'boolean') ?? fields.find((f) => f.pointer);
  if (optional)
    lines.push(
      '',
      // The form, not a statement: with a value the hint would be the very line an action needs
      // (seen: the 1.5B's "x.Completed = PointerTo(true)" copied, 1 of its 5 lines).
      `Read an optional field only when it is not nil (x.${optional.go} != nil); set one with PointerTo(v), v a ${optional.type} such as ${example(optional, ctx.date)}.`,
    );
  return lines.join('\n');
}

/**
 * The item's actions other than this method, with what each does: what its fields mean ("the
 * available tools" read beside "lend: sets lent to true" are the ones not lent).
 */
export function actionHints(plan: Plan, hole: BehaviourHole): string {
  const r = plan.resources.find((x) => x.name === hole.resource)!;
  const others = r.actions.filter((a) => hole.kind !== 'action' || a.name !== hole.element);
  if (others.length === 0) return '';
  const lines = others.map((a) => `- POST /${r.plural}/{id}/${a.name}: ${a.description.replace(/ \(the request says "[^"]*"\)$/, '')}`);
  return ['', `The actions on ${withArticle(r.name)}, for what its fields mean:`, ...lines].join('\n');
}

/**
 * The examples the model sorted (core/filter-examples.ts): for a filter, what it returns for items
 * like these; for an action, which lists hold the item after it.
 */
export function exampleHints(plan: Plan, hole: BehaviourHole): string {
  const r = plan.resources.find((x) => x.name === hole.resource);
  if (hole.kind === 'action') {
    const lines = (r?.filters ?? []).flatMap((f) =>
      (f.examples ?? []).filter((e) => e.after === hole.element).map((e) => `- GET /${r!.plural}?${f.name}=true ${e.listed ? 'lists' : 'does not list'} it`),
    );
    return lines.length ? ['', `After it, for the ${r!.name} it was called on:`, ...lines].join('\n') : '';
  }
  const f = hole.kind === 'filter' ? r?.filters.find((x) => x.name === hole.element) : undefined;
  const shown = f?.examples?.length ? examplesForPrompt(f.examples) : '';
  return shown ? ['', 'What it returns for items like these (other fields as you like):', shown].join('\n') : '';
}

/** prompts/behaviour.txt for one method. */
export function behaviourCandidatePrompt(plan: Plan, name: string): string {
  const hole = holeOf(plan, name);
  return renderPrompt(loadPrompt('behaviour'), {
    module: plan.module,
    types: typesFor(plan, hole.resource),
    fields: fieldHints(plan, hole.resource),
    actions: actionHints(plan, hole),
    examples: exampleHints(plan, hole),
    name: hole.name,
    signature: hole.signature,
    description: hole.description,
  });
}

/** The model's answer for one method: the whole answer text (its start included) and the usage. */
export async function behaviourCandidate(input: BehaviourCandidateInput): Promise<{ content: string; usage: LlmUsage }> {
  const hole = holeOf(input.plan, input.hole);
  const prompt = behaviourCandidatePrompt(input.plan, input.hole);
  const llm = llmForPhase(input.llm, 'models');
  return askForFunction({ ...input, llm, prompt, hole: asFunction(hole), label: `behaviour.go ${hole.name}` });
}
