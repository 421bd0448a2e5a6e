// Recorded histories: the replay layer checks today's workflow code against every file in
// test/histories. RECORD_HISTORIES=1 refreshes them from the runs of the workflow, e2e (the
// batch) and durability layers (the durability ones hold timeouts, retries and a restarted server).
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { temporalBinary } from '../../client/temporal-server.js';

export const HISTORIES_DIR = fileURLToPath(new URL('../histories/', import.meta.url));

/** Saves the run's history as test/histories/NAME.json when RECORD_HISTORIES=1. */
export function recordHistory(temporalAddress: string, workflowId: string, name: string): void {
  if (!process.env.RECORD_HISTORIES) return;
  mkdirSync(HISTORIES_DIR, { recursive: true });
  // The Temporal CLI's JSON is the format replay reads (the SDK's historyToJSON trips over
  // the two protobufjs copies npm installs side by side here).
  const json = execFileSync(temporalBinary()!, ['workflow', 'show', '--address', temporalAddress, '--workflow-id', workflowId, '--output', 'json'], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  writeFileSync(path.join(HISTORIES_DIR, `${name}.json`), json);
}
