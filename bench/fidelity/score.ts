// Runs a prompt's acceptance script against a generated API: builds cmd/server, starts it on a
// scratch SQLite file, runs each probe in order and sorts every element into delivered, named
// "not built" by the run's fidelity list, or silently missing.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildServer, serve, type Served } from '../../test/support/acceptance.js';
import { PLAN_RUN_PROMPTS } from './prompts.js';
import { ACCEPTANCE } from './acceptance.js';
import { readOpenApi, type Api } from './probes.js';

export interface ElementScore {
  description: string;
  delivered: boolean;
  /** Not delivered, and a "not built" line of the fidelity list holds one of its words. */
  named: boolean;
  /** What the probe saw when it was not delivered. */
  why?: string;
}

export interface Requirement {
  asked: string;
  where: string | null;
  why?: string;
}

/**
 * Whether one of the run's lines that warn the user holds one of `words`: "not built" (a null
 * place, or code's stand-in), or "unchecked" (a filter whose body disagrees with the model's own
 * examples: built, and the user is told to check it). Either way the element is not missing silently.
 */
export function namedNotBuilt(requirements: Requirement[], words: string[]): boolean {
  const lines = requirements.filter((r) => !r.where || /stand-in|not built|unchecked/i.test(r.why ?? '')).map((r) => `${r.asked} ${r.why ?? ''}`.toLowerCase());
  return lines.some((l) => words.some((w) => l.includes(w.toLowerCase())));
}

export async function scoreAcceptance(promptId: string, outputDir: string, requirements: Requirement[]): Promise<ElementScore[]> {
  const prompt = PLAN_RUN_PROMPTS.find((p) => p.id === promptId);
  const checks = ACCEPTANCE[promptId];
  if (!prompt || !checks || checks.length !== prompt.elements.length) throw new Error(`no acceptance script for every element of ${promptId}`);
  const scratch = mkdtempSync(path.join(os.tmpdir(), `accept-${promptId}-`));
  const binary = await buildServer(outputDir);
  const dbPath = path.join(scratch, 'data.db');
  let served: Served = await serve(binary, dbPath);
  const api: Api = {
    doc: readOpenApi(outputDir),
    call: (method, route, body) => served.call(method, route, body),
    async restart() {
      await served.stop();
      served = await serve(binary, dbPath);
    },
  };
  const scores: ElementScore[] = [];
  try {
    for (const [i, check] of checks.entries()) {
      const description = prompt.elements[i]!.description;
      try {
        await check.probe(api);
        scores.push({ description, delivered: true, named: false });
      } catch (err) {
        const why = (err as Error).message.slice(0, 300);
        scores.push({ description, delivered: false, named: namedNotBuilt(requirements, check.words), why });
        // A probe that crashed the server leaves a fresh one for the next.
        if (!(await served.call('GET', '/').catch(() => null))) served = await serve(binary, dbPath);
      }
    }
  } finally {
    await served.stop().catch(() => undefined);
    rmSync(scratch, { recursive: true, force: true });
    rmSync(binary, { force: true });
  }
  return scores;
}
