// The smoke run's items: valid by every declared rule of their resource, and two variants that
// differ where a unique field would refuse the same value twice.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EDGE_PLAN, LIBRARY_PLAN, TODO_PLAN } from '../../core/go/sample-plans.js';
import type { Field } from '../../core/plan.js';
import { sampleItem, sampleValue } from '../../core/sample-item.js';

function breaks(f: Field, v: unknown): string | null {
  const size = typeof v === 'string' ? [...v].length : typeof v === 'number' ? v : null;
  if (f.type === 'enum' && !f.values!.includes(v as string)) return 'not one of the values';
  if ((f.type === 'integer' && !Number.isInteger(v)) || (f.type === 'number' && typeof v !== 'number')) return 'not a number of its type';
  if (f.type === 'string' && f.format === 'email' && !/^[^@\s]+@[^@\s]+\.[a-z]+$/.test(v as string)) return 'not an email';
  if (f.type === 'string' && f.format === 'url' && !/^https?:\/\/\S+$/.test(v as string)) return 'not a URL';
  if (f.type === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(v as string)) return 'not a date';
  if (f.type === 'string' && (v as string).length === 0) return 'empty';
  if (size !== null && (f.type === 'string' || f.type === 'integer' || f.type === 'number')) {
    if (f.min !== undefined && size < f.min) return `under ${f.min}`;
    if (f.max !== undefined && size > f.max) return `over ${f.max}`;
  }
  return null;
}

test('a sample item is valid by its declared rules, and its two variants differ in every unique field', () => {
  for (const plan of [TODO_PLAN, LIBRARY_PLAN, EDGE_PLAN]) {
    for (const r of plan.resources) {
      const [a, b] = [sampleItem(r, 0), sampleItem(r, 1)];
      for (const f of r.fields) {
        for (const item of [a, b]) assert.equal(breaks(f, item[f.name]), null, `${r.name}.${f.name} = ${JSON.stringify(item[f.name])}`);
        if (f.unique) assert.notDeepEqual(a[f.name], b[f.name], `${r.name}.${f.name} is unique`);
      }
    }
  }
});

test('ranges at the edges: a max below zero, a one-value range, a short string', () => {
  assert.equal(sampleValue({ name: 'n', type: 'integer', required: true, max: -3 }, 1), -3);
  assert.equal(sampleValue({ name: 'n', type: 'integer', required: true, min: 4, max: 4 }, 1), 4);
  assert.equal(sampleValue({ name: 'c', type: 'string', required: true, max: 3 }, 0), 'sam');
  assert.equal(sampleValue({ name: 'c', type: 'string', required: true, min: 30 }, 0).toString().length, 30);
});
