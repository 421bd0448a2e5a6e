// The per-user state folder: the embedded Temporal server's data, the Go build cache and
// the HOME that generated code runs with. $OVERNIGHT_STATE_DIR moves it (tests do).
import os from 'node:os';
import path from 'node:path';

/** Absolute; an empty $OVERNIGHT_STATE_DIR counts as unset. */
export function stateDir(): string {
  return path.resolve(process.env.OVERNIGHT_STATE_DIR || path.join(os.homedir(), '.local', 'state', 'overnight-llm'));
}
