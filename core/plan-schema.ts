// The plan's JSON schema, sent to the model server as `format` (Ollama) or `response_format`
// (OpenAI-compatible servers). The server turns it into a grammar the model cannot step out of:
// bounds on every string and array keep a small model's answer finite, and the enums keep it
// to types and formats code can write. The checks in plan-check.ts stay the authority.
import { FIELD_TYPES, MAX_FIELDS, MAX_RESOURCES, RESOURCE_PATTERN, STRING_FORMATS } from './plan.js';

const NAME = { type: 'string', pattern: '^[a-z][A-Za-z0-9]{0,29}$' } as const;
const WORDS = { type: 'string', minLength: 3, maxLength: 200 } as const;
const named = <E extends Record<string, unknown>>(extra: E, required: string[], maxItems: number) => ({
  type: 'array',
  maxItems,
  items: { type: 'object', properties: { name: NAME, ...extra }, required: ['name', ...required] },
});

export const PLAN_SCHEMA = {
  type: 'object',
  properties: {
    module: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,39}$' },
    resources: {
      type: 'array',
      minItems: 1,
      maxItems: MAX_RESOURCES,
      items: {
        type: 'object',
        properties: {
          name: { type: 'string', pattern: RESOURCE_PATTERN.source },
          plural: { type: 'string', pattern: RESOURCE_PATTERN.source },
          fields: {
            ...named(
              {
                type: { type: 'string', enum: [...FIELD_TYPES] },
                required: { type: 'boolean' },
                values: { type: 'array', maxItems: 12, items: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,29}$' } },
                min: { type: 'number' },
                max: { type: 'number' },
                format: { type: 'string', enum: [...STRING_FORMATS] },
                unique: { type: 'boolean' },
                default: { type: ['string', 'number', 'boolean'] },
              },
              ['type', 'required'],
              MAX_FIELDS,
            ),
            minItems: 1,
          },
          parent: { type: 'string', pattern: RESOURCE_PATTERN.source },
          filters: named({ field: NAME, description: WORDS }, [], 6),
          actions: named({ description: WORDS }, ['description'], 6),
          rules: named({ description: WORDS }, ['description'], 4),
        },
        required: ['name', 'plural', 'fields', 'filters', 'actions'],
      },
    },
    notBuilt: {
      type: 'array',
      maxItems: 6,
      items: { type: 'object', properties: { what: WORDS, why: WORDS }, required: ['what', 'why'] },
    },
  },
  required: ['module', 'resources', 'notBuilt'],
} as const;
