// The scripted Ollama as its own process, for end-to-end and kill/SIGSTOP tests:
//   node --import tsx test/support/scripted-ollama-main.ts --port 0 --scenario good \
//     [--fixture DIR] [--variants DIR] [--tokens-per-second N [--slow-file PATH ...]] [--calls-file PATH]
//     [--model NAME ...] [--fault KIND[:AFTER_CHUNKS]] [--ends-file PATH]
// --slow-file paces only the calls for those files (the one a test kills inside; `plan` for the
// plan call, which names no file), every other call is answered at full speed. Prints `listening <url>` on stdout once ready. With --calls-file, appends one JSON line per
// chat/generate call, and a "once" in the scenario already spent by an earlier process that
// wrote the same calls file is not spent again. With --ends-file, appends one JSON line as each
// call's answer ends: {index, file, pid, complete, chunksSent, chunks, at} (complete false: the
// client closed the stream first).
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  hasFormat,
  startScriptedOllama,
  SCENARIOS,
  scenarioResponder,
  type Fault,
  type FaultKind,
  type ScenarioName,
  type ScriptedRequest,
} from './scripted-ollama.js';

const FAULTS: FaultKind[] = ['stall', 'reset', 'http500', 'garbage', 'errorLine', 'oversized', 'slow'];

function fail(message: string): never {
  process.stderr.write(`scripted-ollama: ${message}\n`);
  process.exit(2);
}

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
    fixture: { type: 'string', default: fileURLToPath(new URL('../fixtures/todo-api', import.meta.url)) },
    variants: { type: 'string', default: fileURLToPath(new URL('../fixtures/variants', import.meta.url)) },
    'tokens-per-second': { type: 'string' },
    'slow-file': { type: 'string', multiple: true },
    scenario: { type: 'string', default: 'good' },
    'calls-file': { type: 'string' },
    'ends-file': { type: 'string' },
    model: { type: 'string', multiple: true },
    fault: { type: 'string' },
  },
  strict: true,
});

const scenario = values.scenario as ScenarioName;
if (!SCENARIOS.includes(scenario)) fail(`unknown scenario "${values.scenario}"; one of ${SCENARIOS.join(', ')}`);
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`bad --port ${values.port}`);
const tokensPerSecond = values['tokens-per-second'] === undefined ? undefined : Number(values['tokens-per-second']);
if (tokensPerSecond !== undefined && !(tokensPerSecond > 0)) fail(`bad --tokens-per-second ${values['tokens-per-second']}`);

const slowFiles = values['slow-file'] ?? [];
if (slowFiles.length && tokensPerSecond === undefined) fail('--slow-file needs --tokens-per-second');

let fault: Fault | undefined;
if (values.fault) {
  const [kind, after] = values.fault.split(':');
  if (!FAULTS.includes(kind as FaultKind)) fail(`unknown fault "${kind}"; one of ${FAULTS.join(', ')}`);
  fault = { fault: kind as FaultKind, ...(after ? { afterChunks: Number(after) } : {}) };
}
if (fault && slowFiles.length) fail('--slow-file and --fault contradict each other: pass one of them');

const callsFile = values['calls-file'];
const endsFile = values['ends-file'];
const priorFiles: (string | undefined)[] = [];
if (callsFile && existsSync(callsFile)) {
  for (const line of readFileSync(callsFile, 'utf8').split('\n')) {
    try {
      if (line.trim()) priorFiles.push((JSON.parse(line) as { file?: string }).file);
    } catch {
      // a line cut short by a kill: ignore it
    }
  }
}

const server = await startScriptedOllama({
  port,
  host: values.host,
  models: values.model?.length ? values.model : undefined,
  respond: scenarioResponder(scenario, { fixtureDir: values.fixture, variantsDir: values.variants, priorFiles }),
  ...(slowFiles.length
    ? {
        fault: (req: ScriptedRequest) =>
          slowFiles.includes(req.file ?? (hasFormat(req.format) ? 'plan' : '')) ? { fault: 'slow' as const, tokensPerSecond } : undefined,
      }
    : { tokensPerSecond, fault }),
  onCall: (call) => {
    if (!callsFile) return;
    const record = { ...call, lastUserMessage: call.lastUserMessage.slice(0, 200), pid: process.pid, scenario };
    appendFileSync(callsFile, JSON.stringify(record) + '\n');
  },
  onCallEnd: (call, end) => {
    if (!endsFile) return;
    appendFileSync(endsFile, JSON.stringify({ index: call.index, file: call.file, pid: process.pid, ...end }) + '\n');
  },
});

process.stdout.write(`listening ${server.url}\n`);

let closing = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    void server.close().then(() => process.exit(0));
  });
}
