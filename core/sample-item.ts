// A valid item of a resource, from its declared rules: the body a smoke run creates and replaces
// before any test of the model's exists. Only what code knows: a rule in words may still refuse it.
import type { Field, Resource } from './plan.js';

/** A value of `f` that its type, range, format and values accept; `variant` 1 differs from 0 where it can. */
export function sampleValue(f: Field, variant: 0 | 1): string | number | boolean {
  switch (f.type) {
    case 'boolean':
      return variant === 1;
    case 'enum':
      return f.values![Math.min(variant, f.values!.length - 1)]!;
    case 'date':
      return variant ? '2024-05-02' : '2024-05-01';
    case 'datetime':
      return variant ? '2024-05-02T10:00:00Z' : '2024-05-01T10:00:00Z';
    case 'integer':
    case 'number': {
      const low = f.min ?? (f.max !== undefined ? Math.min(0, f.max) : 1);
      const value = Math.ceil(low) + variant;
      return f.max !== undefined && value > f.max ? Math.floor(f.max) : value;
    }
    case 'string': {
      if (f.format === 'email') return `sample${variant}@example.com`;
      if (f.format === 'url') return `https://example.com/${variant}`;
      const text = `sample ${f.name} ${variant}`;
      const min = Math.max(1, f.min ?? 1);
      const padded = text.length < min ? text.padEnd(min, 'x') : text;
      return f.max !== undefined ? padded.slice(0, Math.max(min, f.max)) : padded;
    }
  }
}

/** Every field of a resource with no parent, valid by its declared rules. */
export function sampleItem(r: Resource, variant: 0 | 1): Record<string, unknown> {
  return Object.fromEntries(r.fields.map((f) => [f.name, sampleValue(f, variant)]));
}
