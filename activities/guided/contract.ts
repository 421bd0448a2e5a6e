// The contract of the guided strategy: from the plan, code writes what every file must agree
// on (the model type and its fields, the error variables, the repository's and handlers'
// types and signatures, the routes, small helpers) and names the functions the model writes.
// A small model then writes one function body at a time against names that already exist.
import type { ApiSpec, FieldSpec, FilePhase } from '../../core/types.js';
import { filePathFor } from '../../core/layout.js';

/** A function whose signature code writes and whose body the model writes. */
export interface FunctionHole {
  /** The function's name, unique in its file: `Get`, `Validate`, `main`. */
  name: string;
  /** gofmt's form of everything before the body's brace, e.g. `func (r *TodoRepository) Get(id int) (models.Todo, error)`. */
  signature: string;
  /** What the body must do, step by step: numbered in the prompt (a small model follows a
   *  list better than a long sentence), joined into the doc comment. */
  steps: string[];
}

/** The doc comment's words for what a function does. */
export const taskOf = (h: FunctionHole) => h.steps.join('; ');

/** One Go file of the guided strategy: code-written lines, then the functions the model fills. */
export interface FileContract {
  phase: FilePhase;
  path: string;
  /** Package clause, imports, types, variables and code-written functions. */
  header: string;
  holes: FunctionHole[];
  /** Phases whose contracts this file's prompt shows (their types and signatures). */
  uses: FilePhase[];
}

// The code phases whose files are made of a contract and function bodies (one list, in the layout).
export { CONTRACT_PHASES, isContractPhase, type ContractPhase } from '../../core/layout.js';
import type { ContractPhase } from '../../core/layout.js';

/** The body a function has on disk until the model's is accepted: it compiles with any result list. */
export const UNWRITTEN_BODY = '\tpanic("not written yet")';

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The names the files share, derived once from the plan. */
export function namesOf(spec: ApiSpec) {
  const T = capitalize(spec.resource);
  return { T, model: `models.${T}`, repo: `${T}Repository`, handler: `${T}Handler`, errRequired: (f: FieldSpec) => `Err${f.name}Required` };
}

/** Go's zero-value test for a field, in words a small model follows. */
function emptyTest(f: FieldSpec, v: string): string {
  if (f.type === 'string') return `strings.TrimSpace(${v}.${f.name}) == ""`;
  if (f.type === 'bool') return `!${v}.${f.name}`;
  return `${v}.${f.name} == 0`;
}

function modelsContract(spec: ApiSpec): FileContract {
  const n = namesOf(spec);
  const width = Math.max(2, ...spec.fields.map((f) => f.name.length));
  const typeWidth = Math.max(3, ...spec.fields.map((f) => f.type.length));
  const field = (name: string, type: string, json: string) => `\t${name.padEnd(width)} ${type.padEnd(typeWidth)} \`json:"${json}"\``;
  const required = spec.fields.filter((f) => f.required);
  const errors = required.map((f) => `\t${n.errRequired(f)} = errors.New("${f.json} is required")`);
  const header = [
    'package models',
    '',
    'import (\n\t"errors"\n\t"strings"\n)',
    '',
    `// ${n.T} is one ${spec.resource} of the API, as JSON.`,
    `type ${n.T} struct {`,
    field('ID', 'int', 'id'),
    ...spec.fields.map((f) => field(f.name, f.type, f.json)),
    '}',
    ...(errors.length ? ['', '// Errors Validate returns, one per required field.', 'var (', ...errors, ')'] : []),
  ].join('\n');
  const steps = [...required.map((f) => `if ${emptyTest(f, 'x')}, return ${n.errRequired(f)}`), 'return nil'];
  return {
    phase: 'models',
    path: filePathFor('models', spec.resource),
    header,
    uses: [],
    holes: [{ name: 'Validate', signature: `func (x ${n.T}) Validate() error`, steps }],
  };
}

function repositoryContract(spec: ApiSpec): FileContract {
  const n = namesOf(spec);
  const { module } = spec;
  const header = [
    'package repository',
    '',
    `import (\n\t"errors"\n\t"sort"\n\t"sync"\n\n\t"${module}/internal/models"\n)`,
    '',
    `// ErrNotFound is returned when no ${spec.resource} has the requested id.`,
    `var ErrNotFound = errors.New("${spec.resource} not found")`,
    '',
    `// ${n.repo} keeps ${spec.plural} in memory, safe for concurrent use.`,
    `type ${n.repo} struct {`,
    '\tmu     sync.Mutex',
    `\titems  map[int]${n.model}`,
    '\tnextID int',
    '}',
    '',
    `// New${n.repo} returns an empty repository whose first id is 1.`,
    `func New${n.repo}() *${n.repo} {`,
    `\treturn &${n.repo}{items: make(map[int]${n.model}), nextID: 1}`,
    '}',
  ].join('\n');
  const lock = 'lock r.mu for the whole call: r.mu.Lock() and defer r.mu.Unlock()';
  const missing = `if _, ok := r.items[id]; !ok`;
  const recv = `func (r *${n.repo})`;
  const holes: FunctionHole[] = [
    {
      name: 'List',
      signature: `${recv} List() []${n.model}`,
      steps: [
        lock,
        `out := make([]${n.model}, 0, len(r.items))`,
        'append every value of the map r.items to out',
        'sort out by ID: sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })',
        'return out',
      ],
    },
    {
      name: 'Get',
      signature: `${recv} Get(id int) (${n.model}, error)`,
      steps: [lock, 'x, ok := r.items[id]', `if !ok, return ${n.model}{}, ErrNotFound`, 'return x, nil'],
    },
    { name: 'Create', signature: `${recv} Create(x ${n.model}) ${n.model}`, steps: [lock, 'x.ID = r.nextID', 'r.nextID++', 'r.items[x.ID] = x', 'return x'] },
    {
      name: 'Update',
      signature: `${recv} Update(id int, x ${n.model}) (${n.model}, error)`,
      steps: [lock, `${missing}, return ${n.model}{}, ErrNotFound`, 'x.ID = id', 'r.items[id] = x', 'return x, nil'],
    },
    { name: 'Delete', signature: `${recv} Delete(id int) error`, steps: [lock, `${missing}, return ErrNotFound`, 'delete(r.items, id)', 'return nil'] },
  ];
  return { phase: 'repository', path: filePathFor('repository', spec.resource), header, holes, uses: ['models'] };
}

/** The handler method each endpoint of the plan is served by. */
export function handlerMethodFor(method: string, path: string): string {
  const item = path.includes('{id}');
  if (method === 'GET') return item ? 'Get' : 'List';
  if (method === 'POST') return 'Create';
  return method === 'PUT' ? 'Update' : 'Delete';
}

function handlersContract(spec: ApiSpec): FileContract {
  const n = namesOf(spec);
  const { module } = spec;
  const routes = spec.endpoints.map((e) => `\tmux.HandleFunc("${e.method} ${e.path}", h.${handlerMethodFor(e.method, e.path)})`);
  const header = [
    'package handlers',
    '',
    `import (\n\t"encoding/json"\n\t"errors"\n\t"net/http"\n\t"strconv"\n\n\t"${module}/internal/models"\n\t"${module}/internal/repository"\n)`,
    '',
    `// ${n.handler} serves the ${spec.plural} API over a ${n.repo}.`,
    `type ${n.handler} struct {`,
    `\trepo *repository.${n.repo}`,
    '}',
    '',
    `// New${n.handler} returns a handler backed by repo.`,
    `func New${n.handler}(repo *repository.${n.repo}) *${n.handler} {`,
    `\treturn &${n.handler}{repo: repo}`,
    '}',
    '',
    '// Routes serves the endpoints of the plan (Go 1.22 method and wildcard patterns).',
    `func (h *${n.handler}) Routes() http.Handler {`,
    '\tmux := http.NewServeMux()',
    ...routes,
    '\treturn mux',
    '}',
    '',
    '// writeJSON answers status with v as JSON.',
    'func writeJSON(w http.ResponseWriter, status int, v any) {',
    '\tw.Header().Set("Content-Type", "application/json")',
    '\tw.WriteHeader(status)',
    '\t_ = json.NewEncoder(w).Encode(v)',
    '}',
    '',
    '// writeError answers status with {"error": message}.',
    'func writeError(w http.ResponseWriter, status int, message string) {',
    '\twriteJSON(w, status, map[string]string{"error": message})',
    '}',
    '',
    '// pathID is the {id} of the request path as a number; an error when it is not one.',
    'func pathID(r *http.Request) (int, error) {',
    '\treturn strconv.Atoi(r.PathValue("id"))',
    '}',
    '',
    `// decode${n.T} reads the request body as a ${n.model}.`,
    `func decode${n.T}(r *http.Request) (${n.model}, error) {`,
    `\tvar x ${n.model}`,
    '\terr := json.NewDecoder(r.Body).Decode(&x)',
    '\treturn x, err',
    '}',
  ].join('\n');
  const recv = `func (h *${n.handler})`;
  const sig = (name: string) => `${recv} ${name}(w http.ResponseWriter, r *http.Request)`;
  const badId = ['id, err := pathID(r)', 'if err != nil, call writeError(w, http.StatusBadRequest, "invalid id") and return'];
  const body = [
    `x, err := decode${n.T}(r)`,
    'if err != nil, call writeError(w, http.StatusBadRequest, "invalid JSON body") and return',
    'if err := x.Validate(); err != nil, call writeError(w, http.StatusBadRequest, err.Error()) and return',
  ];
  const notFound = `if errors.Is(err, repository.ErrNotFound), call writeError(w, http.StatusNotFound, "${spec.resource} not found") and return`;
  const holes: FunctionHole[] = [
    { name: 'List', signature: sig('List'), steps: ['call writeJSON(w, http.StatusOK, h.repo.List())'] },
    // Two steps, not writeJSON(…, h.repo.Create(x)): the 0.5B model made that one call a statement and answered 201 with no body.
    { name: 'Create', signature: sig('Create'), steps: [...body, 'created := h.repo.Create(x)', 'call writeJSON(w, http.StatusCreated, created)'] },
    { name: 'Get', signature: sig('Get'), steps: [...badId, 'item, err := h.repo.Get(id)', notFound, 'call writeJSON(w, http.StatusOK, item)'] },
    {
      name: 'Update',
      signature: sig('Update'),
      steps: [...badId, ...body, 'updated, err := h.repo.Update(id, x)', notFound, 'call writeJSON(w, http.StatusOK, updated)'],
    },
    { name: 'Delete', signature: sig('Delete'), steps: [...badId, 'err = h.repo.Delete(id)', notFound, 'call w.WriteHeader(http.StatusNoContent)'] },
  ];
  return { phase: 'handlers', path: filePathFor('handlers', spec.resource), header, holes, uses: ['models', 'repository'] };
}

function serverContract(spec: ApiSpec): FileContract {
  const n = namesOf(spec);
  const header = [
    'package main',
    '',
    `import (\n\t"log"\n\t"net/http"\n\t"os"\n\n\t"${spec.module}/internal/handlers"\n\t"${spec.module}/internal/repository"\n)`,
  ].join('\n');
  const steps = [
    `repo := repository.New${n.repo}()`,
    `h := handlers.New${n.handler}(repo)`,
    'port := os.Getenv("PORT")',
    'if port == "" { port = "8080" }',
    'log the address with log.Printf',
    'log.Fatal(http.ListenAndServe(":"+port, h.Routes()))',
  ];
  return {
    phase: 'server',
    path: filePathFor('server', spec.resource),
    header,
    holes: [{ name: 'main', signature: 'func main()', steps }],
    uses: ['repository', 'handlers'],
  };
}

/** The contract of one code file. */
export function contractFor(spec: ApiSpec, phase: ContractPhase): FileContract {
  switch (phase) {
    case 'models':
      return modelsContract(spec);
    case 'repository':
      return repositoryContract(spec);
    case 'handlers':
      return handlersContract(spec);
    case 'server':
      return serverContract(spec);
  }
}

/** A contract as another file's prompt shows it: its code, and the signatures of its functions. */
export function contractSummary(c: FileContract): string {
  return `${c.path}:\n\`\`\`go\n${c.header}\n\n${c.holes.map((h) => h.signature).join('\n')}\n\`\`\``;
}
