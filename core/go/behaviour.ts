// internal/models/behaviour.go, the model's file: the methods the plan describes in words
// (actions, filters in words, rules in words). Code fixes each signature and doc comment; the
// model writes the bodies. Until a body is accepted the stub panics, and the file compiles.
import { goName, stateSetBy, type Field, type Plan, type Resource } from '../plan.js';
import { enumType, goFile, importsFor, oneLine } from './names.js';
import { knownFilterBody } from '../plan-compare.js';

export const BEHAVIOUR_PATH = 'internal/models/behaviour.go';

/** The body a method has until the model's compiles: it compiles with any result list. */
export const UNWRITTEN_BODY = '\tpanic("not written yet")';

/** A method whose signature and doc code writes and whose body the model writes. */
export interface BehaviourHole {
  /** `Todo.Complete`: the receiver's type and the method, unique in the file. */
  name: string;
  kind: 'action' | 'filter' | 'rule';
  /** The plan's resource and element: `todo`, `complete`. */
  resource: string;
  element: string;
  /** gofmt's form of everything before the body's brace. */
  signature: string;
  /** What the body must do: the plan's words, and what the handlers do with the result. */
  description: string;
  /** The Go doc comment, `//` lines. */
  doc: string;
  /** The body when code knows it (an action that only sets a flag, a filter the sentence gave a number): the model is not asked. */
  knownBody?: string;
}

export interface BehaviourContract {
  path: string;
  /** The package clause and the imports the stubs need. */
  header: string;
  holes: BehaviourHole[];
}

/** Words wrapped into `//` lines of at most about 100 columns. */
function docLines(text: string): string {
  const lines: string[] = [];
  for (const word of oneLine(text).split(' ')) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last]!.length + word.length < 97) lines[last] += ` ${word}`;
    else lines.push(`// ${word}`);
  }
  return lines.join('\n');
}

const sentence = (s: string) => {
  const t = oneLine(s);
  return /[.!?]$/.test(t) ? t : `${t}.`;
};
const lowerFirst = (s: string) => (/^[A-Z][a-z]/.test(s) ? s.charAt(0).toLowerCase() + s.slice(1) : s);

type Kind = BehaviourHole['kind'];

/** Per kind: the signature, the doc comment's sentence and the description, from the plan's words. */
const KINDS: Record<
  Kind,
  {
    signature: (T: string, M: string) => string;
    doc: (M: string, r: Resource, words: string) => string;
    description: (r: Resource, name: string, words: string) => string;
  }
> = {
  action: {
    signature: (T, M) => `func (x *${T}) ${M}(now time.Time) error`,
    doc: (M, _r, words) => `${M} ${words}`,
    description: (r, name, words) =>
      `${words} It only changes the fields of x: the handler of POST /${r.plural}/{id}/${name} stores x after it returns nil; an error refuses the action (409 with its message) and nothing is stored. now is the current time.`,
  },
  filter: {
    signature: (T, M) => `func (x ${T}) ${M}(now time.Time) bool`,
    doc: (M, r, words) => `${M} reports whether the ${r.name} matches: ${words}`,
    description: (r, name, words) =>
      `Reports whether the ${r.name} matches: ${words} GET /${r.plural}?${name}=true lists the ${r.plural} for which it is true, =false the others. now is the current time.`,
  },
  rule: {
    signature: (T, M) => `func (x ${T}) ${M}() error`,
    doc: (M, r, words) => `${M} returns an error when the ${r.name} breaks this rule: ${words}`,
    description: (r, _name, words) =>
      `Returns an error when the ${r.name} breaks the rule, nil when it holds: ${words} Validate calls it after the field rules; its error refuses a create or a replace (400 with its message) and an action (409).`,
  },
};

function holesOf(r: Resource): BehaviourHole[] {
  const T = goName(r.name);
  const elements: [Kind, string, string][] = [
    ...r.actions.map((a): [Kind, string, string] => ['action', a.name, a.description]),
    ...r.filters.filter((f) => f.field === undefined).map((f): [Kind, string, string] => ['filter', f.name, f.description ?? '']),
    ...r.rules.map((rule): [Kind, string, string] => ['rule', rule.name, rule.description]),
  ];
  return elements.map(([kind, element, text]) => {
    const M = goName(element);
    const words = sentence(lowerFirst(text));
    const k = KINDS[kind];
    const action = kind === 'action' ? r.actions.find((a) => a.name === element) : undefined;
    const set = action && stateSetBy(r, action);
    const filter = kind === 'filter' ? r.filters.find((f) => f.name === element) : undefined;
    const known = filter && knownFilterBody(r, filter);
    return {
      name: `${T}.${M}`,
      kind,
      resource: r.name,
      element,
      signature: k.signature(T, M),
      description: oneLine(k.description(r, element, words)),
      doc: docLines(k.doc(M, r, words)),
      ...(set
        ? { knownBody: `\tx.${goName(set.field.name)} = ${set.field.required ? literalOf(r, set) : `PointerTo(${literalOf(r, set)})`}\n\treturn nil` }
        : known
          ? { knownBody: known }
          : {}),
    };
  });
}

/** The Go value an action code writes sets: `true`, or an enum's constant (`BookingStatusCancelled`). */
const literalOf = (r: Resource, s: { field: Field; value: boolean | string }) =>
  typeof s.value === 'boolean' ? String(s.value) : `${enumType(r, s.field)}${goName(s.value)}`;

/** The model's file as code frames it: its holes, resource by resource, and the stubs' header. */
export function behaviourContract(plan: Plan): BehaviourContract {
  const holes = plan.resources.flatMap(holesOf);
  const imports = importsFor(holes.map((h) => h.signature).join('\n'));
  return { path: BEHAVIOUR_PATH, header: `package models${imports ? `\n\n${imports.trimEnd()}` : ''}`, holes };
}

/** What a method left unwritten does instead of panicking: nothing is refused, nothing matches less, the action is refused. */
export function fallbackBody(h: BehaviourHole): string {
  if (h.kind === 'rule') return '\treturn nil';
  if (h.kind === 'filter') return '\treturn true';
  return `\treturn errors.New(${JSON.stringify(`${h.element} is not built: README.md names what the run could not build`)})`;
}

const modelFilters = (contract: BehaviourContract) => contract.holes.filter((h) => h.kind === 'filter' && !h.knownBody);

/**
 * behaviour.go with the bodies given (by hole name, tab-indented statements), else code's known
 * body, else the stub. With filters the model writes, NotBuilt names the ones left to code's
 * stand-in: a stand-in matches every item, so the tests of the model's examples skip it.
 */
export function renderBehaviour(contract: BehaviourContract, bodies: Partial<Record<string, string>> = {}): string {
  const funcs = contract.holes.map((h) => `${h.doc}\n${h.signature} {\n${(bodies[h.name] ?? h.knownBody ?? UNWRITTEN_BODY).replace(/^\n+|\s+$/g, '')}\n}`);
  const filters = modelFilters(contract);
  if (filters.length) {
    const standIns = filters.filter((h) => bodies[h.name]?.trim() === fallbackBody(h).trim()).map((h) => `\t${JSON.stringify(h.name)}: true,`);
    funcs.push(
      `// NotBuilt names the filters whose bodies are code's stand-ins, which match every item:\n// README.md names them as not built.\nvar NotBuilt = map[string]bool{${standIns.length ? `\n${standIns.join('\n')}\n` : ''}}`,
    );
  }
  return funcs.length === 0 ? 'package models\n' : goFile('models', funcs.join('\n\n'));
}
