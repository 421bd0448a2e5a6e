// The bench's acceptance scripts (bench/fidelity/) checked against APIs whose answer is known:
// code writes the project from a plan written here by hand, with Go bodies written here. A plan
// that holds every element of a sentence must score all of them delivered; a plan that lacks some
// must score exactly those missing, and named only when the fidelity list names them.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { behaviourContract, goProject, renderBehaviour } from '../../core/go/index.js';
import { openApiFor } from '../../core/openapi.js';
import type { Plan } from '../../core/plan.js';
import { scoreAcceptance } from '../../bench/fidelity/score.js';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'acceptance-scripts-'));
test.after(() => rmSync(scratch, { recursive: true, force: true }));

function writeProject(name: string, plan: Plan, bodies: Record<string, string>): string {
  const dir = path.join(scratch, name);
  const contract = behaviourContract(plan);
  const files = [
    ...goProject(plan, { store: 'sqlite' }),
    { path: contract.path, content: renderBehaviour(contract, bodies) },
    { path: 'openapi.yaml', content: openApiFor(plan) },
  ];
  for (const f of files) {
    mkdirSync(path.dirname(path.join(dir, f.path)), { recursive: true });
    writeFileSync(path.join(dir, f.path), f.content);
  }
  return dir;
}

/** "tools with a unique name and a condition of good, worn or broken, that can be lent and returned; list the tools that are available" */
const TOOLS: Plan = {
  module: 'tool-library-api',
  resources: [
    {
      name: 'tool',
      plural: 'tools',
      fields: [
        { name: 'name', type: 'string', required: true, unique: true },
        { name: 'condition', type: 'enum', required: true, values: ['good', 'worn', 'broken'] },
        { name: 'lent', type: 'boolean', required: false, default: false },
      ],
      filters: [{ name: 'available', description: 'the tool is not lent' }],
      actions: [
        { name: 'lend', description: 'sets lent to true; a lent tool cannot be lent again' },
        { name: 'giveBack', description: 'sets lent to false' },
      ],
      rules: [],
    },
  ],
  notBuilt: [],
};

const TOOL_BODIES = {
  'Tool.Lend': '\tif x.Lent != nil && *x.Lent {\n\t\treturn errors.New("the tool is lent")\n\t}\n\tx.Lent = PointerTo(true)\n\treturn nil',
  'Tool.GiveBack': '\tx.Lent = PointerTo(false)\n\treturn nil',
  'Tool.Available': '\treturn x.Lent == nil || !*x.Lent',
};

test('a project that holds the whole library sentence: every element delivered', { timeout: 300_000 }, async () => {
  // "returned" is an action named giveBack here: the script looks for "return", so that element must be missing and is not named.
  const withReturn: Plan = {
    ...TOOLS,
    resources: [{ ...TOOLS.resources[0]!, actions: [TOOLS.resources[0]!.actions[0]!, { name: 'return', description: 'sets lent to false' }] }],
  };
  const dir = writeProject('tools', withReturn, { ...TOOL_BODIES, 'Tool.Return': TOOL_BODIES['Tool.GiveBack'] });
  const scores = await scoreAcceptance('library', dir, []);
  assert.deepEqual(
    scores.filter((s) => !s.delivered),
    [],
  );
  assert.equal(scores.length, 7);
});

test('a project without the unique rule, with a filter that ignores lending, and a return action under another name', { timeout: 300_000 }, async () => {
  const tool = TOOLS.resources[0]!;
  const plan: Plan = { ...TOOLS, resources: [{ ...tool, fields: tool.fields.map((f) => ({ ...f, unique: false })) }] };
  const dir = writeProject('tools-wrong', plan, { ...TOOL_BODIES, 'Tool.Available': '\treturn true' });
  const requirements = [{ asked: 'unique', where: null, why: 'nothing in the plan is named after these words of the request' }];
  const scores = await scoreAcceptance('library', dir, requirements);
  const missing = scores.filter((s) => !s.delivered).map((s) => [s.description, s.named]);
  assert.deepEqual(missing, [
    ['a second tool with the same name is refused', true],
    ['return a tool: it is available again', false],
    ['the available tools', false],
  ]);
});

/** "owners with a name and a phone, pets that belong to an owner with a name and a species of dog, cat or bird, and a birth date; list the pets of an owner" */
const CLINIC: Plan = {
  module: 'vet-clinic-api',
  resources: [
    {
      name: 'owner',
      plural: 'owners',
      fields: [
        { name: 'name', type: 'string', required: true },
        { name: 'phone', type: 'string', required: true },
      ],
      filters: [],
      actions: [],
      rules: [],
    },
    {
      name: 'pet',
      plural: 'pets',
      parent: 'owner',
      fields: [
        { name: 'name', type: 'string', required: true },
        { name: 'species', type: 'enum', required: true, values: ['dog', 'cat', 'bird'] },
        { name: 'birthDate', type: 'date', required: false },
      ],
      filters: [],
      actions: [],
      rules: [],
    },
  ],
  notBuilt: [],
};

test('the clinic sentence: a relation, its nested list and a date delivered; a birth date held as text is not', { timeout: 300_000 }, async () => {
  const whole = await scoreAcceptance('clinic', writeProject('clinic', CLINIC, {}), []);
  assert.deepEqual(
    whole.filter((s) => !s.delivered),
    [],
  );
  const pet = CLINIC.resources[1]!;
  const asText: Plan = {
    ...CLINIC,
    resources: [CLINIC.resources[0]!, { ...pet, fields: pet.fields.map((f) => (f.name === 'birthDate' ? { ...f, type: 'string' as const } : f)) }],
  };
  const scores = await scoreAcceptance('clinic', writeProject('clinic-text', asText, {}), []);
  assert.deepEqual(
    scores.filter((s) => !s.delivered).map((s) => s.description),
    ['a pet has a birth date'],
  );
});

/** Held-out "bugs": "a severity of low, medium, high or critical, and a status of open, in progress or closed, open by default; list the bugs by severity" */
const BUGS: Plan = {
  module: 'bug-tracker-api',
  resources: [
    {
      name: 'bug',
      plural: 'bugs',
      fields: [
        { name: 'title', type: 'string', required: true },
        { name: 'severity', type: 'enum', required: true, values: ['low', 'medium', 'high', 'critical'] },
        { name: 'status', type: 'enum', required: false, values: ['open', 'in_progress', 'closed'], default: 'open' },
      ],
      filters: [{ name: 'severity', field: 'severity' }],
      actions: [],
      rules: [],
    },
  ],
  notBuilt: [],
};

test('held-out bugs: the whole plan delivers every element; a status without its default misses exactly that one', { timeout: 300_000 }, async () => {
  const whole = await scoreAcceptance('bugs', writeProject('bugs', BUGS, {}), []);
  assert.deepEqual(
    whole.filter((s) => !s.delivered),
    [],
  );
  assert.equal(whole.length, 5);
  const bug = BUGS.resources[0]!;
  const noDefault: Plan = {
    ...BUGS,
    resources: [{ ...bug, fields: bug.fields.map((f) => (f.name === 'status' ? { name: f.name, type: f.type, required: f.required, values: f.values } : f)) }],
  };
  const scores = await scoreAcceptance('bugs', writeProject('bugs-no-default', noDefault, {}), []);
  assert.deepEqual(
    scores.filter((s) => !s.delivered).map((s) => s.description),
    ['a bug created without a status is open'],
  );
});

/** Held-out "tickets": events with a date and seats from 1 to 5000; tickets of an event with a holder email; the tickets of an event. */
const TICKETS: Plan = {
  module: 'ticketing-api',
  resources: [
    {
      name: 'event',
      plural: 'events',
      fields: [
        { name: 'name', type: 'string', required: true },
        { name: 'date', type: 'date', required: true },
        { name: 'seats', type: 'integer', required: true, min: 1, max: 5000 },
      ],
      filters: [],
      actions: [],
      rules: [],
    },
    {
      name: 'ticket',
      plural: 'tickets',
      parent: 'event',
      fields: [{ name: 'holderEmail', type: 'string', required: true, format: 'email' }],
      filters: [],
      actions: [],
      rules: [],
    },
  ],
  notBuilt: [],
};

test('held-out tickets: the whole plan delivers every element; an email kept as plain text misses exactly the format', { timeout: 300_000 }, async () => {
  const whole = await scoreAcceptance('tickets', writeProject('tickets', TICKETS, {}), []);
  assert.deepEqual(
    whole.filter((s) => !s.delivered),
    [],
  );
  const ticket = TICKETS.resources[1]!;
  const plainText: Plan = { ...TICKETS, resources: [TICKETS.resources[0]!, { ...ticket, fields: [{ name: 'holderEmail', type: 'string', required: true }] }] };
  const scores = await scoreAcceptance('tickets', writeProject('tickets-text', plainText, {}), []);
  assert.deepEqual(
    scores.filter((s) => !s.delivered).map((s) => s.description),
    ['a holder email that is not an email is refused'],
  );
});
