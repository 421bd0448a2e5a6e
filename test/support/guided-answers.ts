// What a good model answers to the guided strategy's requests, for any plan: each function
// the contract names (prompts/function.txt, lines `File:` and `Function:`) and the test cases
// (prompts/test-cases.txt, line `Test cases for:`). The scripted Ollama's todo responder uses it.
import type { ApiSpec } from '../../core/types.js';
import { namesOf } from '../../activities/guided/contract.js';
import { sampleBody, type TestCase } from '../../activities/guided/tests-file.js';

/** The `Function: <name>` line of a guided prompt. */
export function functionLineOf(text: string): string | undefined {
  return /^Function:[ \t]*(\w+)[ \t]*$/m.exec(text)?.[1];
}

/** The `Test cases for: <path>` line of a guided prompt. */
export function testCasesLineOf(text: string): string | undefined {
  return /^Test cases for:[ \t]*(\S+)[ \t]*$/m.exec(text)?.[1];
}

/** The body of each contract function, by file kind and name. */
function bodies(spec: ApiSpec): Record<string, Record<string, string>> {
  const n = namesOf(spec);
  const required = spec.fields.filter((f) => f.required);
  const check = (f: ApiSpec['fields'][number]) =>
    f.type === 'string' ? `strings.TrimSpace(x.${f.name}) == ""` : f.type === 'bool' ? `!x.${f.name}` : `x.${f.name} == 0`;
  const notFound = `\tif errors.Is(err, repository.ErrNotFound) {\n\t\twriteError(w, http.StatusNotFound, "${spec.resource} not found")\n\t\treturn\n\t}`;
  const parseId = '\tid, err := pathID(r)\n\tif err != nil {\n\t\twriteError(w, http.StatusBadRequest, "invalid id")\n\t\treturn\n\t}';
  const decode = `\tx, err := decode${n.T}(r)\n\tif err != nil {\n\t\twriteError(w, http.StatusBadRequest, "invalid JSON body")\n\t\treturn\n\t}\n\tif err := x.Validate(); err != nil {\n\t\twriteError(w, http.StatusBadRequest, err.Error())\n\t\treturn\n\t}`;
  const lock = '\tr.mu.Lock()\n\tdefer r.mu.Unlock()';
  return {
    models: {
      Validate: [...required.map((f) => `\tif ${check(f)} {\n\t\treturn ${n.errRequired(f)}\n\t}`), '\treturn nil'].join('\n'),
    },
    repository: {
      List: `${lock}\n\tout := make([]${n.model}, 0, len(r.items))\n\tfor _, x := range r.items {\n\t\tout = append(out, x)\n\t}\n\tsort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })\n\treturn out`,
      Get: `${lock}\n\tx, ok := r.items[id]\n\tif !ok {\n\t\treturn ${n.model}{}, ErrNotFound\n\t}\n\treturn x, nil`,
      Create: `${lock}\n\tx.ID = r.nextID\n\tr.nextID++\n\tr.items[x.ID] = x\n\treturn x`,
      Update: `${lock}\n\tif _, ok := r.items[id]; !ok {\n\t\treturn ${n.model}{}, ErrNotFound\n\t}\n\tx.ID = id\n\tr.items[id] = x\n\treturn x, nil`,
      Delete: `${lock}\n\tif _, ok := r.items[id]; !ok {\n\t\treturn ErrNotFound\n\t}\n\tdelete(r.items, id)\n\treturn nil`,
    },
    handlers: {
      List: '\twriteJSON(w, http.StatusOK, h.repo.List())',
      Create: `${decode}\n\twriteJSON(w, http.StatusCreated, h.repo.Create(x))`,
      Get: `${parseId}\n\tx, err := h.repo.Get(id)\n${notFound}\n\twriteJSON(w, http.StatusOK, x)`,
      Update: `${parseId}\n${decode}\n\tupdated, err := h.repo.Update(id, x)\n${notFound}\n\twriteJSON(w, http.StatusOK, updated)`,
      Delete: `${parseId}\n\terr = h.repo.Delete(id)\n${notFound}\n\tw.WriteHeader(http.StatusNoContent)`,
    },
    server: {
      main: `\trepo := repository.New${n.repo}()\n\th := handlers.New${n.handler}(repo)\n\tport := os.Getenv("PORT")\n\tif port == "" {\n\t\tport = "8080"\n\t}\n\tlog.Printf("listening on :%s", port)\n\tlog.Fatal(http.ListenAndServe(":"+port, h.Routes()))`,
    },
  };
}

/** The file kind of a generated path: models, repository, handlers or server. */
function kindOf(path: string): string {
  if (path.startsWith('cmd/')) return 'server';
  return path.split('/')[1] ?? '';
}

/** The function's whole text, signature from the prompt, in a fenced block; null when unknown. */
export function guidedFunctionAnswer(spec: ApiSpec, prompt: string, file: string): string | null {
  const name = functionLineOf(prompt);
  const signature = /^Write the Go function `([^`]+)`/m.exec(prompt)?.[1];
  const body = name ? bodies(spec)[kindOf(file)]?.[name] : undefined;
  if (!name || !signature || body === undefined) return null;
  return `Here is the function:\n\n\`\`\`go\n${signature} {\n${body}\n}\n\`\`\`\n`;
}

/** Cases that pass against the bodies above and cover every handler path. */
export function guidedTestCases(spec: ApiSpec): TestCase[] {
  const base = `/${spec.plural}`;
  const required = spec.fields.find((f) => f.required);
  const missing = required
    ? JSON.stringify(Object.fromEntries(spec.fields.filter((f) => f !== required).map((f) => [f.json, f.type === 'string' ? 'x' : 1])))
    : null;
  return [
    { name: 'list', method: 'GET', path: base, body: '', status: 200 },
    { name: 'create', method: 'POST', path: base, body: sampleBody(spec), status: 201 },
    { name: 'create bad json', method: 'POST', path: base, body: '{', status: 400 },
    ...(missing ? [{ name: 'create missing field', method: 'POST' as const, path: base, body: missing, status: 400 }] : []),
    { name: 'get', method: 'GET', path: `${base}/1`, body: '', status: 200 },
    { name: 'get missing', method: 'GET', path: `${base}/999`, body: '', status: 404 },
    { name: 'get bad id', method: 'GET', path: `${base}/abc`, body: '', status: 400 },
    { name: 'update', method: 'PUT', path: `${base}/1`, body: sampleBody(spec), status: 200 },
    { name: 'update missing', method: 'PUT', path: `${base}/999`, body: sampleBody(spec), status: 404 },
    { name: 'update bad id', method: 'PUT', path: `${base}/abc`, body: sampleBody(spec), status: 400 },
    { name: 'update bad json', method: 'PUT', path: `${base}/1`, body: '{', status: 400 },
    { name: 'delete', method: 'DELETE', path: `${base}/1`, body: '', status: 204 },
    { name: 'delete missing', method: 'DELETE', path: `${base}/999`, body: '', status: 404 },
    { name: 'delete bad id', method: 'DELETE', path: `${base}/abc`, body: '', status: 400 },
  ];
}
