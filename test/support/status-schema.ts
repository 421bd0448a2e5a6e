// status.json is a contract (schema/status.schema.json): every test that reads one from a
// real run reads it through here, so a field that drifts from the schema fails that test.
import { Ajv2020 } from 'ajv/dist/2020.js';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StatusReport } from '../../lib/status-report.js';

export const STATUS_SCHEMA_PATH = fileURLToPath(new URL('../../schema/status.schema.json', import.meta.url));

const ajv = new Ajv2020({ allErrors: true, strict: true });
const validate = ajv.compile(JSON.parse(readFileSync(STATUS_SCHEMA_PATH, 'utf8')));

/** The schema's complaints about `value`, one line each; empty when it conforms. */
export function statusSchemaErrors(value: unknown): string[] {
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
}

/** The output folder's status.json, after checking it against the schema. */
export function readStatusJson(outputDir: string): StatusReport {
  const status = JSON.parse(readFileSync(path.join(outputDir, 'status.json'), 'utf8')) as unknown;
  assert.deepEqual(statusSchemaErrors(status), [], 'status.json does not match schema/status.schema.json');
  return status as StatusReport;
}

/** The strategies status.json names as the writers of the output's files (plan and guided record theirs; whole files carry none). */
export function writersOf(outputDir: string): string[] {
  return [...new Set(readStatusJson(outputDir).files.flatMap((f) => (f.provenance ? [f.provenance.strategy] : [])))];
}
