// openapi.yaml as today's scaffold writes it (activities/files/openapi.ts, for the single-resource spec): a valid OpenAPI 3.1 document (checked by a validator
// from npm, not by our own code) that lists exactly the plan's routes and status codes.
import { Validator } from '@seriousme/openapi-schema-validator';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { openApiFor } from '../../activities/files/openapi.js';
import { standardEndpoints } from '../../core/single-resource.js';
import type { ApiSpec } from '../../core/types.js';
import { TODO_SPEC } from '../support/scripted-ollama-responders.js';

const CATEGORY_PLAN: ApiSpec = {
  module: 'shop-catalog-api',
  resource: 'category',
  plural: 'categories',
  fields: [
    { name: 'Name', type: 'string', json: 'name', required: true },
    { name: 'Rank', type: 'int64', json: 'rank', required: false },
    { name: 'Weight', type: 'float64', json: 'weight', required: false },
    { name: 'Visible', type: 'bool', json: 'visible', required: false },
    { name: 'Position', type: 'int', json: 'position', required: false },
  ],
  endpoints: standardEndpoints('categories'),
};

/** "METHOD /path STATUS" for every response the document lists. */
function responses(doc: { paths: Record<string, Record<string, { responses?: Record<string, unknown> }>> }): string[] {
  return Object.entries(doc.paths).flatMap(([route, item]) =>
    Object.entries(item)
      .filter(([key]) => ['get', 'post', 'put', 'delete'].includes(key))
      .flatMap(([method, op]) => Object.keys(op.responses ?? {}).map((status) => `${method.toUpperCase()} ${route} ${status}`)),
  );
}

describe('openapi.yaml', () => {
  for (const spec of [TODO_SPEC, CATEGORY_PLAN]) {
    test(`${spec.module}: valid OpenAPI 3.1, the plan's routes and status codes and 404 for a missing id, the fields' types`, async () => {
      const text = openApiFor(spec);
      const result = await new Validator().validate(text);
      assert.equal(result.valid, true, JSON.stringify(result.errors));
      const doc = parse(text);
      assert.equal(doc.openapi, '3.1.0');
      assert.equal(doc.info.title, spec.module);
      const p = spec.plural;
      assert.deepEqual(responses(doc).sort(), [
        `DELETE /${p}/{id} 204`,
        `GET /${p} 200`,
        `GET /${p}/{id} 200`,
        `GET /${p}/{id} 404`,
        `POST /${p} 201`,
        `PUT /${p}/{id} 200`,
      ]);
      const Resource = spec.resource.charAt(0).toUpperCase() + spec.resource.slice(1);
      const input = doc.components.schemas[`${Resource}Input`];
      assert.deepEqual(
        input.required,
        spec.fields.filter((f) => f.required).map((f) => f.json),
      );
      const types: Record<string, string> = { string: 'string', int: 'integer', int64: 'integer', float64: 'number', bool: 'boolean' };
      for (const f of spec.fields) assert.equal(input.properties[f.json].type, types[f.type], f.json);
    });
  }
});
