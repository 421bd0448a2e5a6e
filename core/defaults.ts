// Defaults more than one part needs, in one home: the CLI shows and applies them, the workflow
// falls back to them for runs recorded without, the activities pace their heartbeats by them.

/** How long a silent activity is taken for gone (-heartbeat-timeout): a worker that stops heartbeating. */
export const HEARTBEAT_TIMEOUT_MS = 60_000;
