// Every activity a worker registers: the workspace's (the run's own task queue: the output
// folder, the mirror, the Go toolchain), the model's (the model task queue), built by the worker
// from what it owns, and the calls kept for runs recorded before the model queue. The workflow
// sees only their types, one set per queue, so a call cannot be sent to the other's queue.
import type * as workspace from './workspace-activities.js';
import type { ModelActivities } from './model-activities.js';
import type { LegacyCalls } from './legacy-calls.js';

export * as workspaceActivities from './workspace-activities.js';
export { createModelActivities, type ModelActivities, type ModelWorkerOwns } from './model-activities.js';
export { createLegacyCalls, type LegacyCalls } from './legacy-calls.js';

export type WorkspaceActivities = typeof workspace;
/** Every activity by name, as the worker of both queues registers them. */
export type AllActivities = WorkspaceActivities & ModelActivities & LegacyCalls;
