// Fidelity: what the sentence asked for, and where each thing lives in the plan, or that it is
// not built and why. The model names what it could not plan (`notBuilt`); code does not trust
// that alone: every word of the sentence that names something is looked for in the plan, and a
// word no element is named after is listed too, so nothing the user asked for is dropped without
// a word. A sentence that asks only for what overnight-llm does not build ends at the plan.
import { knownFilterBody } from './plan-compare.js';
import { relationsStated, actionsStated, subjectWords } from './sentence.js';
import { childrenOf, fieldsWithParent, stateSetBy, routesOf, singularsOf, withArticle, type Field, type Plan, type Resource, type Store } from './plan.js';

/** One line of the fidelity list: a part of the plan and the words of the sentence it answers, or what is not there. */
export interface Requirement {
  /** What was asked: the sentence's words, or the plan's element when no word names it. */
  asked: string;
  /** Where it lives: a route, a field and its rules, a query parameter; null when it is not built. */
  where: string | null;
  /** Why it is not built (the model's reason, code's, or "nothing in the plan is named after it"). */
  why?: string;
}

export interface Fidelity {
  requirements: Requirement[];
  /** False when the sentence asks only for things overnight-llm does not build: the run ends at the plan. */
  buildable: boolean;
  /** One line for the user when it is not buildable. */
  message?: string;
}

/** What a REST API of stored items is not, by the words a sentence would use for it. */
const OUT_OF_SCOPE: { words: RegExp; why: string }[] = [
  {
    words: /^(auth|authentication|authenticate|login|logins|logout|password|passwords|signup|oauth|jwt|token|tokens|session|sessions)$/,
    why: 'authentication: the generated API has no users or login',
  },
  { words: /^(payment|payments|pay|paid|stripe|checkout|billing|invoice|invoices)$/, why: 'payments: no payment provider is called' },
  // Not "email": "guests with a name and an email" asks for a field; "sends an email" is caught by "sends".
  {
    words: /^(send|sends|sending|sms|notify|notification|notifications|remind|reminder|reminders)$/,
    why: 'sending messages: the API stores data, it sends nothing',
  },
  { words: /^(upload|uploads|image|images|photo|photos|attachment|attachments|pdf)$/, why: 'file uploads: fields hold text, numbers, dates and choices' },
  { words: /^(realtime|websocket|websockets|live|stream|streaming|chat)$/, why: 'real-time updates: the API answers requests, it pushes nothing' },
  {
    words: /^(engine|ai|recommend|recommendation|recommendations|predict|prediction|ml|learning|solver|simulate|simulation)$/,
    why: 'computation beyond storing and serving data',
  },
  { words: /^(frontend|ui|page|pages|website|dashboard|html)$/, why: 'a user interface: the output is an HTTP API' },
];

/** Words of a request that name nothing by themselves. */
const FILLER = new Set(
  (
    'a an the and or but of for to in on at by with without from into per each every any all some its their his her our my your this that these those ' +
    'is are be been being can could should would will may must has have having do does let lets allow allows so as if when which who whose where what than then also me us we you i ' +
    'rest restful api apis http json crud service server backend app application simple small basic go golang endpoint endpoints route routes ' +
    'build create make write need needs want manage managing management track tracking store storing keep keeping handle list lists listing get set add ' +
    'item items thing things record records data entry entries resource resources field fields value values one two three several many new own using use ' +
    'them they it there here like such way ways either both only just up out about between after before over under system systems ' +
    // What the plan's parts are called: "a checkout action", "a filter by genre" name the action and the filter, not a thing of their own.
    'action actions filter filters rule rules query queries parameter parameters flag flags find show yet still currently not seconds minutes hours days weeks celsius fahrenheit km kg'
  ).split(/\s+/),
);

const stem = (w: string) =>
  w
    .replace(/ies$/, 'y')
    .replace(/(ss|x|ch|sh)es$/, '$1')
    .replace(/([^s])s$/, '$1');
const wordsOf = (s: string) =>
  s
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);

/** An element of the plan, the words it is named by, and where it lives. */
interface Element {
  names: string[];
  where: string;
}

function fieldWhere(r: Resource, f: Field): string {
  const rules = [
    f.required ? 'required' : 'optional',
    f.type === 'enum' ? `one of ${f.values!.join(', ')}` : f.type,
    f.min !== undefined ? `${f.type === 'string' ? 'length ' : ''}≥ ${f.min}` : '',
    f.max !== undefined ? `${f.type === 'string' ? 'length ' : ''}≤ ${f.max}` : '',
    f.format ?? '',
    f.unique ? 'unique' : '',
    f.default !== undefined ? `default ${JSON.stringify(f.default)}` : '',
  ].filter(Boolean);
  return `field ${f.name} of /${r.plural} (${rules.join(', ')})`;
}

const PERSISTENCE = ['survive', 'survives', 'restart', 'restarts', 'persist', 'persistent', 'persistence', 'database', 'saved', 'durable', 'sqlite'];

function elementsOf(plan: Plan, store: Store): Element[] {
  const out: Element[] = [{ names: plan.module.split(/[^a-z0-9]+/).filter((w) => w !== 'api'), where: `the module ${plan.module}` }];
  // A description's words answer the sentence's words, but not the resources' names: those are the resources'.
  const nouns = new Set(plan.resources.flatMap((r) => [stem(r.name), stem(r.plural)]));
  const described = (text: string) => wordsOf(text).filter((w) => !nouns.has(stem(w)) && !FILLER.has(w));
  if (store === 'sqlite') out.push({ names: PERSISTENCE, where: 'stored in SQLite (DB_PATH): the data survives a restart' });
  for (const r of plan.resources) {
    out.push({
      names: [r.name, r.plural],
      where: `/${r.plural}: ${routesOf(plan, r)
        .slice(0, 5)
        .map((e) => e.method)
        .join(', ')}`,
    });
    for (const f of r.fields) out.push({ names: [f.name, ...(f.values ?? []), ...ruleWords(f)], where: fieldWhere(r, f) });
    if (r.parent)
      out.push({
        names: [r.parent, 'belong', 'belongs'],
        where: `${r.name} belongs to ${withArticle(r.parent)}: field ${fieldsWithParent(r)[0]!.name}, checked to exist`,
      });
    for (const c of childrenOf(plan, r)) out.push({ names: [c.plural], where: `GET /${r.plural}/{id}/${c.plural}` });
    for (const f of r.filters)
      out.push({
        names: [f.name, ...(f.description ? described(f.description) : [])],
        where: f.field
          ? `GET /${r.plural}?${f.name}=…`
          : `GET /${r.plural}?${f.name}=true (${f.description}; written by ${knownFilterBody(r, f) !== null ? 'code' : 'the model'})`,
      });
    for (const a of r.actions)
      out.push({
        names: [a.name, ...described(a.description)],
        where: `POST /${r.plural}/{id}/${a.name} (${a.description}; written by ${stateSetBy(r, a) ? 'code' : 'the model'})`,
      });
    for (const rule of r.rules)
      out.push({ names: [rule.name, ...described(rule.description)], where: `rule ${rule.name} of ${r.name} (${rule.description}; written by the model)` });
  }
  return out;
}

/** The words a sentence states a field's rules with: "a unique isbn", "a required title". */
function ruleWords(f: Field): string[] {
  return [
    f.unique ? 'unique' : '',
    f.required ? 'required mandatory' : 'optional',
    f.default !== undefined ? 'default defaults' : '',
    f.format ?? '',
    f.min !== undefined || f.max !== undefined
      ? 'range between least most minimum maximum greater more less fewer larger smaller higher lower above below positive negative cannot'
      : '',
  ]
    .join(' ')
    .split(' ')
    .filter(Boolean);
}

const matches = (word: string, name: string) => {
  const a = stem(word);
  return wordsOf(name).some((n) => {
    const b = stem(n);
    // Irregular plurals too: "shelves" names a shelf, "people" a person.
    return a === b || singularsOf(word).includes(n) || (a.length >= 4 && b.length >= 4 && (a.startsWith(b) || b.startsWith(a)));
  });
};

/** Whether the text names something the sentence says: a word of it, not a filler word. */
export function namesWordOf(sentence: string, text: string): boolean {
  const said = wordsOf(sentence).filter((w) => !FILLER.has(w) && w.length > 1);
  return wordsOf(text).some((t) => !FILLER.has(t) && said.some((w) => matches(w, t)));
}

/** Words that complete a field's name rather than name a thing: "phone number", "email address", "due date". */
const COMPOUND_TAILS = new Set(['number', 'address', 'date', 'time', 'code', 'amount', 'count', 'total']);

/**
 * The words that complete a field's name: a compound tail right after a word that names a field
 * ("phone number"), the word right before one ("license plate"), and "a number of servings".
 */
function compoundsOf(sentence: string, asked: Map<Element, string[]>): [Element, string][] {
  const seq = wordsOf(sentence);
  const found: [Element, string][] = [];
  const fieldOf = (word: string | undefined) => [...asked].find(([e, ws]) => e.where.startsWith('field ') && word !== undefined && ws.includes(word))?.[0];
  for (const [i, word] of seq.entries()) {
    if ([...asked.values()].some((ws) => ws.includes(word)) || found.some(([, w]) => w === word)) continue;
    const field =
      (COMPOUND_TAILS.has(word) && fieldOf(seq[i - 1])) ||
      (COMPOUND_TAILS.has(word) && seq[i + 1] === 'of' && fieldOf(seq[i + 2])) ||
      (!FILLER.has(word) && fieldOf(seq[i + 1]));
    if (field) found.push([field, word]);
  }
  return found;
}

/** The fidelity list of a plan against the sentence it was made from. */
export function fidelityOf(sentence: string, plan: Plan, store: Store = 'sqlite', built?: Plan): Fidelity {
  const elements = elementsOf(plan, store);
  // The request's subject ("a bike repair shop") is the whole API's: the module answers its words, whatever the module is called.
  elements[0]!.names.push(...subjectWords(sentence).filter((w) => !OUT_OF_SCOPE.some((o) => o.words.test(w))));
  // Only elements the sentence named, or the plan's own: storage is listed when asked for.
  const storeWhy = store === 'memory' ? 'persistence: -store memory keeps the data in memory, a restart empties it' : null;
  const asked = new Map<Element, string[]>();
  const notBuilt: Requirement[] = plan.notBuilt.map((n) => ({ asked: n.what, where: null, why: n.why }));
  const unmatched: string[] = [];
  const outOfScope = new Map<string, string[]>();
  const words = [...new Set(wordsOf(sentence))].filter((w) => !FILLER.has(w) && !/^\d+$/.test(w) && w.length > 1);
  for (const word of words) {
    // The module's name answers only a word nothing else does ("library" of "REST API for a library").
    const named = (e: Element) => e.names.some((n) => matches(word, n));
    const others = elements.slice(1).filter(named);
    const found = others.length > 0 ? others : elements.slice(0, 1).filter(named);
    for (const e of found) asked.set(e, [...(asked.get(e) ?? []), word]);
    if (found.length > 0) continue;
    if (plan.notBuilt.some((n) => wordsOf(n.what).some((w) => matches(word, w)))) continue;
    if (storeWhy && PERSISTENCE.includes(word)) {
      outOfScope.set(storeWhy, [...(outOfScope.get(storeWhy) ?? []), word]);
      continue;
    }
    const scope = OUT_OF_SCOPE.find((o) => o.words.test(word));
    if (scope) outOfScope.set(scope.why, [...(outOfScope.get(scope.why) ?? []), word]);
    else unmatched.push(word);
  }
  // "a phone number", "an email address": the second word completes the field the first names.
  for (const [field, word] of compoundsOf(sentence, asked).filter(([, w]) => unmatched.includes(w))) {
    asked.set(field, [...asked.get(field)!, word]);
    unmatched.splice(unmatched.indexOf(word), 1);
  }
  const requirements: Requirement[] = [
    ...statedNotPlanned(sentence, plan),
    ...elements
      .filter((e, i) => (i > 0 && e.names !== PERSISTENCE) || asked.has(e))
      .map((e) => placed(asked.get(e)?.join(' ') ?? e.names[0]!, e, built && elementsOf(built, store))),
    ...notBuilt,
    ...[...outOfScope].filter(([why]) => !notBuilt.some((n) => n.why === why)).map(([why, ws]) => ({ asked: ws.join(' '), where: null, why })),
    ...(unmatched.length ? [{ asked: unmatched.join(', '), where: null, why: 'nothing in the plan is named after these words of the request' }] : []),
  ];
  // Nothing the plan holds is named by the sentence, and it asks for what is not built: a chess engine, not an API of stored things.
  const resourceAsked = plan.resources.some((r) =>
    words.some((w) => !OUT_OF_SCOPE.some((o) => o.words.test(w)) && (matches(w, r.name) || matches(w, r.plural))),
  );
  const asksOutOfScope = words.some((w) => OUT_OF_SCOPE.some((o) => o.words.test(w)));
  const buildable = resourceAsked || !asksOutOfScope;
  if (buildable) return { requirements: resourceAsked ? requirements : chosenByModel(requirements, plan), buildable };
  const whys = [...new Set(words.flatMap((w) => OUT_OF_SCOPE.filter((o) => o.words.test(w)).map((o) => o.why.split(':')[0])))].join(', ');
  return {
    requirements,
    buildable,
    message: `the request asks for ${whys}, which overnight-llm does not build, and names nothing for the API to store: describe the things it keeps, e.g. "REST API for a reading list: books with a title and a rating from 1 to 5"`,
  };
}

/**
 * "REST API for inventory" planned as people: the sentence names none of the resources, only the
 * module carries its word, and nothing checked that the model's things are what it asked for.
 */
function chosenByModel(requirements: Requirement[], plan: Plan): Requirement[] {
  const chosen = plan.resources.map((r) => r.plural).join(', ');
  const why = `unchecked: the request names none of the plan's resources; ${chosen} are the model's reading of it; check it`;
  return requirements.map((r) => (r.where?.startsWith('the module ') ? { ...r, why } : r));
}

/** A relation or an action the sentence states in so many words that the plan (after code's mends) still lacks. */
function statedNotPlanned(sentence: string, plan: Plan): Requirement[] {
  const text = sentence.toLowerCase();
  const relations = relationsStated(text, plan.resources).flatMap((s): Requirement[] => {
    const child = plan.resources.find((r) => r.name === s.child);
    if (child?.parent === s.parent) return [];
    const why = !child
      ? `the plan has no ${s.child} resource to belong to ${withArticle(s.parent)}`
      : child.parent
        ? `${child.name} belongs to ${withArticle(child.parent)} in the plan, and a resource belongs to at most one other`
        : `the plan does not make ${child.plural} belong to ${s.parent}`;
    return [{ asked: s.phrase, where: null, why }];
  });
  const actions = actionsStated(text, plan.resources).flatMap((a): Requirement[] => {
    const r = plan.resources.find((x) => x.name === a.resource)!;
    return r.actions.some((x) => x.name.toLowerCase().startsWith(a.verb) || x.name.toLowerCase().includes(a.state))
      ? []
      : [{ asked: a.phrase, where: null, why: `the plan has no action ${a.verb} on /${r.plural}` }];
  });
  return [...relations, ...actions];
}

/**
 * Where an element lives, when the code writer builds all of the plan; when it builds less
 * (`built`), the same element there, "partly" (a date built as text), or not built.
 */
function placed(asked: string, e: Element, built: Element[] | undefined): Requirement {
  if (!built || built.some((b) => b.where === e.where)) return { asked, where: e.where };
  const partly = built.find((b) => b.names[0] === e.names[0]);
  const why = `planned as ${e.where}, but today's code writer builds one resource with plain fields and the five CRUD routes`;
  return partly ? { asked, where: partly.where, why: `only partly: ${why}` } : { asked, where: null, why };
}

/** The list as lines for people: the CLI's last lines, the README, report.md. */
export function fidelityLines(f: Fidelity): string[] {
  return f.requirements.map((r) =>
    r.where ? `${r.why ? '~' : '✓'} ${r.asked} → ${r.where}${r.why ? ` (${r.why})` : ''}` : `✗ ${r.asked}: not built — ${r.why}`,
  );
}

/** The README's last section, written by code: the fidelity list. */
export function fidelitySection(fidelity: Fidelity): string {
  return [
    '## What was asked for, and where it is',
    '',
    "Written by overnight-llm's code from the plan and the request (also in status.json): ✓ built, ~ built in part, ✗ not built and why.",
    '',
    ...fidelityLines(fidelity).map((l) => `- ${l}`),
    '',
  ].join('\n');
}
