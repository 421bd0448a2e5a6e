// The handlers of one resource in handlers.go: list (filters, page), create, get, replace,
// delete, its actions, and the nested lists of its children. Each is one Go function that
// reads the request, calls the store, and maps the store's errors to statuses (fail).
import { goName, type Action } from '../plan.js';
import { goString, type GoContext, type GoResource } from './names.js';
import { paged } from './query.js';

const ID = '\tid, ok := pathID(w, r)\n\tif !ok {\n\t\treturn\n\t}';
const FAIL = '\tif err != nil {\n\t\tfail(w, err)\n\t\treturn\n\t}';
const BAD_QUERY = '\tif err != nil {\n\t\twriteError(w, http.StatusBadRequest, err.Error())\n\t\treturn\n\t}';

/** The mux pattern and method of each handler of a resource, in the routes' order. */
export function routesOf(ctx: GoContext, g: GoResource): [string, string][] {
  const base = `/${g.r.plural}`;
  return [
    [`GET ${base}`, `list${g.Ts}`],
    [`POST ${base}`, `create${g.T}`],
    [`GET ${base}/{id}`, `get${g.T}`],
    [`PUT ${base}/{id}`, `replace${g.T}`],
    [`DELETE ${base}/{id}`, `delete${g.T}`],
    ...g.r.actions.map((a): [string, string] => [`POST ${base}/{id}/${a.name}`, `act${g.T}${goName(a.name)}`]),
    ...g.children.map((c): [string, string] => [`GET ${base}/{id}/${c.plural}`, `list${g.T}${ctx.resources.find((x) => x.r.name === c.name)!.Ts}`]),
  ];
}

function crud(ctx: GoContext, g: GoResource): string {
  const { T, Ts } = g;
  const base = `/${g.r.plural}`;
  return `// list${Ts} serves GET ${base}: the ${g.r.plural} that pass the filters, one page of them.
func (a *api) list${Ts}(w http.ResponseWriter, r *http.Request) {
	tests, p, err := ${g.r.name}Filters(r.URL.Query())
${BAD_QUERY}
	items, err := a.store.List${Ts}(r.Context())
${FAIL}
${ctx.keeps(`pagination:${g.r.name}`) ? '' : '\t_ = p\n'}	writeJSON(w, http.StatusOK, ${paged(ctx, g, 'keep(items, tests)')})
}

// create${T} serves POST ${base}: 201 with the new ${g.r.name} and its Location.
func (a *api) create${T}(w http.ResponseWriter, r *http.Request) {
	x, ok := readItem(w, r, models.Decode${T})
	if !ok {
		return
	}
	x, err := a.store.Create${T}(r.Context(), x)
${FAIL}
	w.Header().Set("Location", fmt.Sprintf(${goString(`${base}/%d`)}, x.ID))
	writeJSON(w, http.StatusCreated, x)
}

// get${T} serves GET ${base}/{id}.
func (a *api) get${T}(w http.ResponseWriter, r *http.Request) {
${ID}
	x, err := a.store.Get${T}(r.Context(), id)
${FAIL}
	writeJSON(w, http.StatusOK, x)
}

// replace${T} serves PUT ${base}/{id}: the body, under the same rules as a create, replaces the ${g.r.name}.
func (a *api) replace${T}(w http.ResponseWriter, r *http.Request) {
${ID}
	x, ok := readItem(w, r, models.Decode${T})
	if !ok {
		return
	}
	x.ID = id
	x, err := a.store.Update${T}(r.Context(), x)
${FAIL}
	writeJSON(w, http.StatusOK, x)
}

// delete${T} serves DELETE ${base}/{id}: 204 with no body.
func (a *api) delete${T}(w http.ResponseWriter, r *http.Request) {
${ID}
	if err := a.store.Delete${T}(r.Context(), id); err != nil {
		fail(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}`;
}

function actionFunc(ctx: GoContext, g: GoResource, action: Action): string {
  const M = goName(action.name);
  const call = ctx.keeps(`action:${g.r.name}.${action.name}`)
    ? `\tif err := x.${M}(time.Now()); err != nil {\n\t\twriteError(w, http.StatusConflict, err.Error())\n\t\treturn\n\t}\n`
    : '';
  return `// act${g.T}${M} serves POST /${g.r.plural}/{id}/${action.name}: the model's ${M} on the stored ${g.r.name},
// whose declared rules are then checked again before it is saved. A refusal is 409 and saves nothing.
func (a *api) act${g.T}${M}(w http.ResponseWriter, r *http.Request) {
${ID}
	x, err := a.store.Get${g.T}(r.Context(), id)
${FAIL}
${call}	if err := x.Validate(); err != nil {
		writeError(w, http.StatusConflict, err.Error())
		return
	}
	x.ID = id
	x, err = a.store.Update${g.T}(r.Context(), x)
	switch {
	case errors.Is(err, store.ErrNoParent):
		writeError(w, http.StatusConflict, err.Error())
	case err != nil:
		fail(w, err)
	default:
		writeJSON(w, http.StatusOK, x)
	}
}`;
}

/** GET /parents/{id}/children: 404 when the parent is missing, else its children, filtered and paged. */
function nestedFunc(ctx: GoContext, parent: GoResource, child: GoResource): string {
  const pf = child.fields.find((f) => f.isParent)!;
  const own = ctx.keeps(`nested:${child.r.name}.${parent.r.name}`)
    ? `\ttests = append(tests, func(x models.${child.T}) bool { return x.${pf.go} == id })\n`
    : '';
  return `// list${parent.T}${child.Ts} serves GET /${parent.r.plural}/{id}/${child.r.plural}: the ${parent.r.name}'s ${child.r.plural} that pass the filters, one page of them.
func (a *api) list${parent.T}${child.Ts}(w http.ResponseWriter, r *http.Request) {
${ID}
	tests, p, err := ${child.r.name}Filters(r.URL.Query())
${BAD_QUERY}
	if _, err := a.store.Get${parent.T}(r.Context(), id); err != nil {
		fail(w, err)
		return
	}
	items, err := a.store.List${child.Ts}(r.Context())
${FAIL}
${own}${ctx.keeps(`pagination:${child.r.name}`) ? '' : '\t_ = p\n'}	writeJSON(w, http.StatusOK, ${paged(ctx, child, 'keep(items, tests)')})
}`;
}

/** Every handler function of one resource. */
export function resourceHandlers(ctx: GoContext, g: GoResource): string {
  return [
    crud(ctx, g),
    ...g.r.actions.map((a) => actionFunc(ctx, g, a)),
    ...g.children.map((c) =>
      nestedFunc(
        ctx,
        g,
        ctx.resources.find((x) => x.r.name === c.name)!,
      ),
    ),
  ].join('\n\n');
}
