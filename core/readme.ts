// The output's README written by code: for a whole-plan run, from the plan; for the other
// strategies when the model's answer cannot be used, plain, from what was built (a phase that
// only adds comfort never fails a valid API).
import { fieldsWithParent, stateSetBy, routesOf, type Field, type Plan, type Resource, type Store } from './plan.js';
import { sampleItem } from './sample-item.js';
import type { ApiSpec } from './single-resource.js';

export function plainReadme(spec: ApiSpec): string {
  const base = `/${spec.plural}`;
  const sample = Object.fromEntries(spec.fields.map((f) => [f.json, f.type === 'string' ? `a ${f.json}` : f.type === 'bool' ? true : 1]));
  return [
    `# ${spec.module}`,
    '',
    `A REST API for ${spec.plural}, in Go with the standard library. (This README was written by overnight-llm's code: the model's answer could not be used.)`,
    '',
    '## Run',
    '',
    '    go run ./cmd/server        # listens on $PORT, default 8080',
    '',
    '## Test',
    '',
    '    go test -coverpkg=./... ./...',
    '',
    '## Endpoints',
    '',
    ...spec.endpoints.map((e) => `- \`${e.method} ${e.path}\` answers ${e.status}`),
    '',
    `A ${spec.resource} is JSON with an \`id\` the server assigns and these fields:`,
    '',
    ...spec.fields.map((f) => `- \`${f.json}\` (${f.type})${f.required ? ', required' : ''}`),
    '',
    'For example:',
    '',
    `    curl -X POST localhost:8080${base} -d '${JSON.stringify(sample)}'`,
    `    curl localhost:8080${base}`,
    '',
  ].join('\n');
}

const fieldLine = (f: Field): string => {
  const rules = [
    f.type === 'enum' ? `one of ${(f.values ?? []).join(', ')}` : f.type,
    f.required ? 'required' : 'optional',
    f.unique ? 'unique' : '',
    f.format ?? '',
    f.min !== undefined ? `min ${f.min}` : '',
    f.max !== undefined ? `max ${f.max}` : '',
    f.default !== undefined ? `default ${JSON.stringify(f.default)}` : '',
  ].filter(Boolean);
  return `- \`${f.name}\`: ${rules.join(', ')}`;
};

/**
 * The README of a whole-plan run, written by code from the plan: how to run and test it, every
 * route, each resource's fields with their rules, an example. (The fidelity list is appended.)
 */
export function planReadme(plan: Plan, store: Store, request: string): string {
  const root = plan.resources.find((r) => r.parent === undefined)!;
  // What the model writes: actions (but those that only set a flag), filters and rules in words.
  const inWords = plan.resources.some((r) => r.actions.some((a) => !stateSetBy(r, a)) || r.rules.length > 0 || r.filters.some((f) => !f.field));
  const filters = (r: Resource) => r.filters.map((f) => `\`?${f.name}=${f.field ? '…' : 'true'}\``);
  return [
    `# ${plan.module}`,
    '',
    `A REST API in Go, written overnight by overnight-llm from the request: "${request}". ${
      inWords
        ? 'The model planned it and wrote the behaviour described in words (`internal/models/behaviour.go`); code wrote the rest'
        : 'The model planned it; code wrote the project'
    } from the plan, and this README.`,
    '',
    '## Run',
    '',
    store === 'sqlite'
      ? '    go run ./cmd/server        # listens on $PORT (default 8080); data in $DB_PATH (default data.db), kept across restarts'
      : '    go run ./cmd/server        # listens on $PORT (default 8080); data in memory, lost when it stops',
    '',
    '## Test',
    '',
    '    go test ./...              # every route and rule, over each store',
    '',
    'The API is described in `openapi.yaml`. Errors are JSON: `{"error": "…"}`. Lists take `?limit=` (default 100) and `?offset=`.',
    '',
    ...plan.resources.flatMap((r) => [
      `## ${r.plural}`,
      '',
      ...routesOf(plan, r).map((e) => `- \`${e.method} ${e.path}\` → ${e.status}: ${e.what}`),
      ...(r.filters.length ? [`- filters on \`GET /${r.plural}\`: ${filters(r).join(', ')}`] : []),
      '',
      `A ${r.name} has an \`id\` the server assigns and:`,
      '',
      ...fieldsWithParent(r).map(fieldLine),
      ...r.rules.map((rule) => `- rule \`${rule.name}\`: ${rule.description}`),
      '',
    ]),
    '## Example',
    '',
    `    curl -X POST localhost:8080/${root.plural} -H 'content-type: application/json' -d '${JSON.stringify(sampleItem(root, 0))}'`,
    `    curl localhost:8080/${root.plural}`,
    '',
  ].join('\n');
}
