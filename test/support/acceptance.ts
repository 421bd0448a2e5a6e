// Acceptance over HTTP from the sentence alone (not from the pipeline's report): the generated API is built and started as a user
// would start it, and what the sentence promised is checked against it. Names are found by the
// sentence's words in the API's own openapi.yaml (a field whose name holds "due"), never taken
// from the pipeline's report; each check says what the sentence asked and what the API did.
import { spawn, type ChildProcess } from 'node:child_process';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { GO_MOD_CACHE } from '../../activities/go/run-tool.js';
import { freePort } from '../../lib/free-port.js';

const exec = promisify(execFile);
const GO_ENV = { ...process.env, GOMODCACHE: GO_MOD_CACHE, GOPROXY: 'off', GOFLAGS: '-mod=mod', GOTOOLCHAIN: 'local' };

export interface Served {
  base: string;
  call(method: string, route: string, body?: unknown): Promise<{ status: number; json: any }>;
  stop(): Promise<void>;
}

/** Builds cmd/server once into the output's parent folder. */
export async function buildServer(outputDir: string): Promise<string> {
  const binary = path.join(path.dirname(outputDir), `${path.basename(outputDir)}-server`);
  await exec('go', ['build', '-o', binary, './cmd/server'], { cwd: outputDir, env: GO_ENV, timeout: 300_000 });
  return binary;
}

/** Starts the built server on a free port with its data in `dbPath`; resolves once it answers. */
export async function serve(binary: string, dbPath: string): Promise<Served> {
  const port = await freePort();
  const child: ChildProcess = spawn(binary, [], { env: { PORT: String(port), DB_PATH: dbPath }, stdio: 'ignore' });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      await fetch(base);
      break;
    } catch {
      if (i > 100 || child.exitCode !== null) throw new Error(`the server ${binary} did not start`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    base,
    async call(method, route, body) {
      const res = await fetch(base + route, {
        method,
        ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
      });
      const text = await res.text();
      return { status: res.status, json: text ? JSON.parse(text) : null };
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await gone;
    },
  };
}

/** What openapi.yaml says of one collection: its item's properties and required fields, and the actions. */
export function collectionOf(
  outputDir: string,
  plural: string,
): { properties: Record<string, { type?: string; format?: string; enum?: string[] }>; required: string[]; actions: string[] } {
  const doc = parse(readFileSync(path.join(outputDir, 'openapi.yaml'), 'utf8')) as any;
  const post = doc.paths?.[`/${plural}`]?.post;
  if (!post) throw new Error(`openapi.yaml has no POST /${plural}`);
  let schema = post.requestBody.content['application/json'].schema;
  if (schema.$ref) schema = doc.components.schemas[schema.$ref.split('/').pop()];
  const actions = Object.keys(doc.paths)
    .map((p) => new RegExp(`^/${plural}/\\{id\\}/(\\w+)$`).exec(p)?.[1])
    .filter((a): a is string => a !== undefined && doc.paths[`/${plural}/{id}/${a}`].post !== undefined);
  return { properties: schema.properties ?? {}, required: schema.required ?? [], actions };
}

/** The one name among `names` that holds one of `words` (case-insensitive); an error naming what is there when none or several do. */
export function named(names: string[], words: string[], what: string): string {
  const found = names.filter((n) => words.some((w) => n.toLowerCase().includes(w)));
  if (found.length !== 1) throw new Error(`${what}: ${found.length} names hold ${words.join(' or ')} among ${names.join(', ')}`);
  return found[0]!;
}
