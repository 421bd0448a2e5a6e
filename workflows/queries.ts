// What a running run answers (its state, for the CLI's live view and `status`) and accepts
// (the plan's approval); kept apart from the workflow so the client imports them without the
// workflow's code.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Plan } from '../core/plan.js';
import type { PlanApproval } from '../core/types.js';
import type { BatchState, RunState } from '../core/run-types.js';

export const statusQuery = defineQuery<RunState>('status');

/** A batch's items: waiting, running, or how they ended. */
export const batchStatusQuery = defineQuery<BatchState>('batchStatus');

/**
 * `overnight-llm approve ID [-edit FILE]`: an Update, not a signal, so the run's own check of an
 * edited plan answers the CLI (a bad edit is refused, and the run keeps waiting). Returns the
 * plan the run goes on with.
 */
export const approvePlanUpdate = defineUpdate<Plan, [PlanApproval]>('approvePlan');
