// Child of filesystem.test.ts: runs a whole file's activities once under a file-size limit the parent sets
// on this process (prlimit --pid) after "ready", and prints the outcome as one JSON line.
// SIGXFSZ is ignored, so a write past the limit fails with EFBIG instead of killing the process.
import { createInterface } from 'node:readline';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { fileAsRunToday } from '../support/file-phase.js';
import { closeMirrors } from '../../lib/db.js';
import type { GenerateFileInput } from '../../core/types.js';

process.on('SIGXFSZ', () => {});
const input = JSON.parse(process.argv[2]!) as GenerateFileInput;
const lines = createInterface({ input: process.stdin });
process.stdout.write('ready\n');
for await (const line of lines) {
  if (line !== 'go') continue;
  try {
    const r = await fileAsRunToday(new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR') }), input);
    process.stdout.write(JSON.stringify({ ok: true, file: r.file }) + '\n');
  } catch (err) {
    const e = err as Error & { code?: string; type?: string };
    process.stdout.write(JSON.stringify({ ok: false, name: e.name, code: e.code, type: e.type, message: e.message }) + '\n');
  }
  closeMirrors();
  break;
}
lines.close();
