// After the plan, before any code: -plan-only ends the run with plan.json written; -review-plan
// waits for `overnight-llm approve ID` (with the user's edited plan, or as it is), for at most
// -review-timeout, then does -on-review-timeout. Deterministic, like all workflow code.
import { condition, setHandler } from '@temporalio/workflow';
import { fidelityOf } from '../core/fidelity.js';
import { checkPlan } from '../core/plan-check.js';
import type { Plan } from '../core/plan.js';
import { builtOf, singleResourceSpec } from '../core/single-resource.js';
import type * as activities from '../activities/workspace-activities.js';
import type { ActivityInterfaceFor } from '@temporalio/workflow';
import type { Step } from './run-state.js';
import { approvePlanUpdate } from './queries.js';
import type { ApiSpec, PlanReview, RunInput } from '../core/types.js';
import type { PlanStop, RunState } from '../core/run-types.js';

/** What plan review needs of the run (PipelineRun is one): it does not import the run, so the two stay apart. */
export interface ReviewedRun {
  readonly input: RunInput;
  readonly state: RunState;
  readonly workflowId: string;
  readonly quick: Pick<ActivityInterfaceFor<typeof activities>, 'writePlanFile'>;
  waitingFor<T>(what: string, limit: string, body: (since: Date) => Promise<T>): Promise<T>;
}

/** The plan the run goes on with, or why it ends here. */
export type PlanDecision = { spec: ApiSpec; stop?: PlanStop };

const duration = (ms: number) => (ms % 3_600_000 === 0 ? `${ms / 3_600_000} h` : ms % 60_000 === 0 ? `${ms / 60_000} min` : `${ms / 1000} s`);

/**
 * Accepts `approve` while the plan waits for it: the handler's validator refuses an approval at
 * any other time, and an edit the plan's own checks (the ones the model's plan passed) reject;
 * the CLI gets the refusal and the run keeps waiting.
 */
export class PlanApprovals {
  private waiting = false;
  private approved: { plan: Plan; edited: boolean } | null = null;

  constructor(private readonly run: ReviewedRun) {
    setHandler(approvePlanUpdate, (approval) => this.accept(approval.plan), {
      validator: (approval) => {
        if (!this.waiting) throw new Error(this.notWaiting());
        if (approval.plan !== undefined) {
          const checked = checkPlan(approval.plan);
          if (!checked.ok) throw new Error(`the edited plan is not valid: ${checked.errors.join('; ')}`);
        }
      },
    });
  }

  /** Writes plan.json; with -plan-only that is the end, with -review-plan the plan waits for approval. */
  async decide(plan: Plan, spec: ApiSpec, step: Step): Promise<PlanDecision> {
    const { input } = this.run;
    step({ files: [await this.writePlan(plan, `plan: plan.json, the model's plan (${plan.resources.map((r) => r.plural).join(', ')})`)] });
    if (input.planOnly) return this.stop({ why: 'plan-only', message: 'the plan is written to plan.json (-plan-only); no code was written' }, spec, step);
    const review = input.planReview!;
    this.approved = null;
    this.waiting = true;
    const until = new Date(Date.now() + review.timeoutMs).toISOString();
    this.run.state.review = { since: new Date().toISOString(), until, onTimeout: review.onTimeout };
    const id = this.run.workflowId;
    const decided = await this.run.waitingFor(
      `your approval of the plan: overnight-llm plan ${id}, then overnight-llm approve ${id}`,
      `until ${until}, then ${review.onTimeout}`,
      () => condition(() => this.approved !== null, review.timeoutMs),
    );
    this.waiting = false;
    this.run.state.review = undefined;
    if (!decided) return this.timedOut(spec, review, step);
    const { plan: approved, edited } = this.approved!;
    if (!edited) {
      step({ notes: ['the plan was approved as it was (overnight-llm approve)'] });
      return { spec };
    }
    step({
      files: [await this.writePlan(approved, `plan: plan.json, edited by the user (approve -edit)`)],
      notes: ["the plan was replaced by the user's edit (overnight-llm approve -edit)"],
    });
    // The edited plan is what is built, and what the fidelity list compares with the sentence.
    this.run.state.plan = approved;
    this.run.state.fidelity =
      input.strategy === 'plan' ? fidelityOf(input.prompt, approved, input.store ?? 'sqlite') : fidelityOf(input.prompt, approved, 'memory', builtOf(approved));
    return { spec: singleResourceSpec(approved) };
  }

  private timedOut(spec: ApiSpec, review: PlanReview, step: Step): PlanDecision {
    const waited = `the plan was not approved within ${duration(review.timeoutMs)}`;
    if (review.onTimeout === 'stop')
      return this.stop({ why: 'not-approved', message: `${waited}: the run stopped there (-on-review-timeout stop); no code was written` }, spec, step);
    step({ notes: [`${waited}: the run went on with it (-on-review-timeout approve)`] });
    return { spec };
  }

  private stop(reason: PlanStop, spec: ApiSpec, step: Step): PlanDecision {
    step({ notes: [reason.message] });
    return { spec, stop: reason };
  }

  private accept(edit: unknown): Plan {
    const checked = edit === undefined ? null : checkPlan(edit);
    const plan = checked?.ok ? checked.plan : this.run.state.plan!;
    this.approved = { plan, edited: checked !== null };
    return plan;
  }

  private notWaiting(): string {
    const { input, state } = this.run;
    if (!input.planReview) return 'this run was started without -review-plan: there is no plan to approve';
    if (state.status !== 'running') return `the run has ended (${state.status})`;
    return state.plan && !state.review
      ? 'the plan was already decided: the run went on with it'
      : 'the run has no plan yet: approve it once `plan ID` shows it';
  }

  private writePlan(plan: Plan, message: string) {
    const { outputDir, git } = this.run.input;
    return this.run.quick.writePlanFile({ outputDir, plan, message, git });
  }
}
