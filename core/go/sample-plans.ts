// Checked plans that exercise the writer: a plain one-resource API and a library with every
// kind of element (parent relation, enum, date, date-time, unique, range, email, url, default,
// filters by value and in words, an action, a rule in words). The tests use them.
import type { Plan } from '../plan.js';

export const TODO_PLAN: Plan = {
  module: 'todo-api',
  resources: [
    {
      name: 'todo',
      plural: 'todos',
      fields: [
        { name: 'title', type: 'string', required: true },
        { name: 'done', type: 'boolean', required: false, default: false },
      ],
      filters: [{ name: 'done', field: 'done' }],
      actions: [],
      rules: [],
    },
  ],
  notBuilt: [],
};

export const LIBRARY_PLAN: Plan = {
  module: 'library-api',
  resources: [
    {
      name: 'author',
      plural: 'authors',
      fields: [
        { name: 'name', type: 'string', required: true, min: 2, max: 100 },
        { name: 'email', type: 'string', required: true, format: 'email', unique: true },
        { name: 'website', type: 'string', required: false, format: 'url' },
      ],
      filters: [],
      actions: [],
      rules: [],
    },
    {
      name: 'book',
      plural: 'books',
      parent: 'author',
      fields: [
        { name: 'title', type: 'string', required: true, max: 200 },
        { name: 'isbn', type: 'string', required: true, unique: true },
        { name: 'genre', type: 'enum', required: false, values: ['fiction', 'science', 'history'], default: 'fiction' },
        { name: 'published', type: 'date', required: false },
        { name: 'pages', type: 'integer', required: false, min: 1, max: 5000 },
        { name: 'rating', type: 'number', required: false, min: 0, max: 5 },
        { name: 'available', type: 'boolean', required: false, default: true },
        { name: 'lastBorrowedAt', type: 'datetime', required: false },
      ],
      filters: [
        { name: 'genre', field: 'genre' },
        { name: 'authorId', field: 'authorId' },
        { name: 'published', field: 'published' },
        {
          name: 'recent',
          description: 'published in the last 365 days',
          examples: [
            { set: { published: 'today-1d', available: false }, listed: true },
            { set: { published: 'today-1d', available: true, genre: 'history' }, listed: true },
            { set: { published: 'today-400d', available: false }, listed: false },
          ],
        },
      ],
      actions: [{ name: 'checkout', description: 'sets available to false and lastBorrowedAt to now; a book that is not available cannot be checked out' }],
      rules: [{ name: 'titleNotIsbn', description: 'the title is not the same text as the isbn' }],
    },
  ],
  notBuilt: [],
};

/** Simple correct bodies for LIBRARY_PLAN's behaviour.go, by hole name. */
export const LIBRARY_BODIES: Record<string, string> = {
  'Book.Checkout': [
    '\tif x.Available != nil && !*x.Available {',
    '\t\treturn errors.New("the book is not available")',
    '\t}',
    '\tx.Available = PointerTo(false)',
    '\tx.LastBorrowedAt = &now',
    '\treturn nil',
  ].join('\n'),
  'Book.Recent': '\treturn x.Published != nil && x.Published.After(now.AddDate(-1, 0, 0))',
  'Book.TitleNotIsbn': ['\tif x.Title == x.Isbn {', '\t\treturn errors.New("the title must not be the isbn")', '\t}', '\treturn nil'].join('\n'),
};

/** Names and types Go could trip on: a resource called date, an enum value with an underscore,
 * unique days and date-times, an optional number and day with defaults, string and day filters,
 * a comparison filter on the optional number. */
export const EDGE_PLAN: Plan = {
  module: 'example.com/edge/api',
  resources: [
    {
      name: 'date',
      plural: 'dates',
      fields: [
        { name: 'day', type: 'date', required: true, unique: true },
        { name: 'at', type: 'datetime', required: false, unique: true },
        { name: 'kind', type: 'enum', required: true, values: ['in_person', 'online'] },
        { name: 'note', type: 'string', required: false, min: 0, max: 10 },
        { name: 'count', type: 'integer', required: true, min: -5, max: 5 },
        { name: 'score', type: 'number', required: false, default: 1.5 },
        { name: 'start', type: 'date', required: false, default: '2024-01-01' },
        { name: 'website', type: 'string', required: false, format: 'url' },
      ],
      filters: [
        { name: 'kind', field: 'kind' },
        { name: 'note', field: 'note' },
        { name: 'day', field: 'day' },
        // A comparison the sentence stated: code writes its body (plan-compare.ts).
        { name: 'high', description: 'score >= 2.5' },
      ],
      // An action that sets an enum value: code writes its body (stateSetBy).
      actions: [{ name: 'goOnline', description: 'sets kind to online' }],
      rules: [{ name: 'countNotZero', description: 'count is not zero' }],
    },
    {
      name: 'slot',
      plural: 'slots',
      parent: 'date',
      fields: [
        { name: 'label', type: 'string', required: true },
        { name: 'archived', type: 'boolean', required: false, default: false },
      ],
      filters: [
        { name: 'dateId', field: 'dateId' },
        // A flag's value the sentence stated ("the slots that need archiving"): code writes its body (plan-compare.ts).
        { name: 'needArchiving', description: 'archived is false' },
      ],
      actions: [{ name: 'archive', description: 'marks the slot archived' }],
      rules: [],
    },
  ],
  notBuilt: [],
};

export const EDGE_BODIES: Record<string, string> = {
  'Date.CountNotZero': ['\tif x.Count == 0 {', '\t\treturn errors.New("count must not be zero")', '\t}', '\treturn nil'].join('\n'),
  'Slot.Archive': '\tx.Archived = PointerTo(true)\n\treturn nil',
};
