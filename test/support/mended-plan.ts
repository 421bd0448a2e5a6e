// A plan as the model might answer it, checked and mended against the sentence (core/plan-check.ts
// parsePlan): what the unit tests of code's mends start from.
import assert from 'node:assert/strict';
import { parsePlan } from '../../core/plan-check.js';
import type { Plan } from '../../core/plan.js';

export const resource = (name: string, plural: string, fields: object[], extra: object = {}) => ({
  name,
  plural,
  fields,
  filters: [],
  actions: [],
  rules: [],
  ...extra,
});

export function mended(sentence: string, resources: object[]): { plan: Plan; notes: string } {
  const checked = parsePlan(JSON.stringify({ module: 'x-api', resources, notBuilt: [] }), sentence);
  assert.ok(checked.ok, JSON.stringify(checked));
  return { plan: checked.plan, notes: (checked.notes ?? []).join('\n') };
}
