// Every activity a worker registers: the workspace's (the run's own task queue: the output
// folder, the mirror, the Go toolchain) and the model's (the model task queue). The workflow
// sees only their types, one set per queue, so a call cannot be sent to the other's queue.
export * from './workspace-activities.js';
export * from './model-activities.js';
