// Runs the tests code derives from the plan (core/go/tests.ts) against each mutant of the project
// (core/go/mutants.ts): a mutant is killed when the project compiles and `go test ./tests/` fails
// on it. Each lane reuses one folder, its files overwritten per mutant (the build cache keeps the
// packages a mutant does not touch).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { behaviourContract, goProject, mutantsOf, renderBehaviour } from '../../core/go/index.js';
import { apiTestsGo } from '../../core/go/tests.js';
import type { Plan, Store } from '../../core/plan.js';
import { runTool, toolchainEnv } from './run-tool.js';

export interface MutantsOptions {
  plan: Plan;
  /** The model's bodies of behaviour.go, by hole name. */
  bodies: Record<string, string>;
  store: Store;
  /** The mutants to run; default every mutant of the plan. */
  ids?: string[];
  /** A folder the project is written under (into `mutants/`). */
  workDir: string;
  /** Per mutant; default 120 s. */
  timeoutMs?: number;
  /** Mutants tested at once, each in a folder of its own; default 2 (a go test links on one core). */
  lanes?: number;
}

export interface MutantResult {
  id: string;
  killed: boolean;
  /** The first failing test (the deepest subtest of the first failure), when killed. */
  by?: string;
  /** Every test that failed, subtests included. */
  failed?: string[];
  ms: number;
  /** The project did not compile: the tests proved nothing (not a kill). The output's tail. */
  compileError?: string;
  timedOut?: boolean;
}

/** The tests go test's output says failed, in its order (`--- FAIL: TestBooks/unique:book.isbn`). */
export const failures = (output: string) => [...output.matchAll(/^\s*--- FAIL: (\S+)/gm)].map((m) => m[1]!);

/** The name of the failing test to credit: the first failing subtest, else the first test. */
export function firstFailure(output: string): string | undefined {
  const names = failures(output);
  return names.find((n) => n.includes('/')) ?? names[0];
}

/** go test's output when the package or its dependencies did not compile. */
const COMPILE_FAILED = /\[(build|setup) failed\]|^# \S+/m;

/** Writes the file unless it already holds that content; its folder made. */
function put(dir: string, file: string, content: string): void {
  const full = path.join(dir, file);
  try {
    if (readFileSync(full, 'utf8') === content) return;
  } catch {
    mkdirSync(path.dirname(full), { recursive: true });
  }
  writeFileSync(full, content);
}

/** Each mutant's project tested: killed or not, by which test, how long it took; in the order of `ids`. */
export async function runMutants(opts: MutantsOptions): Promise<MutantResult[]> {
  const { plan, bodies, store, workDir, timeoutMs = 120_000, lanes = 2 } = opts;
  const ids = opts.ids ?? mutantsOf(plan).map((m) => m.id);
  const env = toolchainEnv();
  const tests = apiTestsGo(plan, store);
  const contract = behaviourContract(plan);
  const results = new Map<string, MutantResult>();
  let next = 0;
  // Each lane has a folder of its own and takes the next mutant when it is done.
  const lane = async (n: number) => {
    const dir = path.join(workDir, `mutants-${n}`);
    put(dir, contract.path, renderBehaviour(contract, bodies));
    put(dir, tests.path, tests.content);
    for (let id = ids[next++]; id !== undefined; id = ids[next++]) {
      for (const f of goProject(plan, { store, mutant: id })) put(dir, f.path, f.content);
      results.set(id, verdict(id, await runTool('go', ['test', './tests/', '-count=1'], { cwd: dir, env, timeoutMs })));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, lanes) }, (_, n) => lane(n)));
  return ids.map((id) => results.get(id)!);
}

function verdict(id: string, r: Awaited<ReturnType<typeof runTool>>): MutantResult {
  const ms = r.durationMs;
  if (r.timedOut) return { id, killed: true, by: 'timeout', ms, timedOut: true };
  if (r.exitCode === 0) return { id, killed: false, ms };
  if (COMPILE_FAILED.test(r.output)) return { id, killed: false, ms, compileError: r.output.slice(-2000) };
  return { id, killed: true, by: firstFailure(r.output), failed: failures(r.output), ms };
}
