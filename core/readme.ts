// The output's README when the model's answer cannot be used: plain, from what was built. A
// phase that only adds comfort never fails a valid API.
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
