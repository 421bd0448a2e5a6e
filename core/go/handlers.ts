// internal/handlers/handlers.go: New(s store.Store) http.Handler, Go 1.22 ServeMux patterns
// for every route of the plan, JSON in and out, and JSON errors for everything the mux itself
// answers (unknown route 404, wrong method 405 with Allow) and for a panic (a method the model
// has not written yet) as a 500.
import { MAX_BODY_BYTES } from '../plan.js';
import { goFile, goString, type GoContext } from './names.js';
import { resourceHandlers, routesOf } from './handlers-resource.js';
import { dayParamHelper, filtersFunc, QUERY_HELPERS } from './query.js';

const SERVING = `// api serves every route over one store.
type api struct {
	store store.Store
	mux   *http.ServeMux
}

// ServeHTTP answers through the mux, with JSON errors where the mux would answer in text.
func (a *api) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			log.Printf("panic serving %s %s: %v", r.Method, r.URL.Path, v)
			writeError(w, http.StatusInternalServerError, "internal error")
		}
	}()
	if h, pattern := a.mux.Handler(r); pattern == "" {
		noRoute(w, r, h)
		return
	}
	a.mux.ServeHTTP(w, r)
}

// noRoute answers a request that no pattern matches: 405 with Allow when another method of the
// path has a route (the mux's own answer tells), else 404.
func noRoute(w http.ResponseWriter, r *http.Request, muxAnswer http.Handler) {
	probe := &headerProbe{header: http.Header{}}
	muxAnswer.ServeHTTP(probe, r)
	if probe.status == http.StatusMethodNotAllowed {
		w.Header().Set("Allow", probe.header.Get("Allow"))
		writeError(w, http.StatusMethodNotAllowed, fmt.Sprintf("method %s is not allowed on %s", r.Method, r.URL.Path))
		return
	}
	writeError(w, http.StatusNotFound, fmt.Sprintf("no route %s %s", r.Method, r.URL.Path))
}

// headerProbe records the status and headers of an answer and drops its body.
type headerProbe struct {
	header http.Header
	status int
}

func (p *headerProbe) Header() http.Header { return p.header }

func (p *headerProbe) Write(b []byte) (int, error) { return len(b), nil }

func (p *headerProbe) WriteHeader(status int) { p.status = status }

// writeJSON answers status with v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Printf("writing a response: %v", err)
	}
}

// writeError answers status with {"error": message}.
func writeError(w http.ResponseWriter, status int, message string) {
	writeJSON(w, status, map[string]string{"error": message})
}

// fail answers a store error: 404, 409, 422, or 500 (logged) for anything else.
func fail(w http.ResponseWriter, err error) {
	switch {
	case errors.Is(err, store.ErrNotFound):
		writeError(w, http.StatusNotFound, err.Error())
	case errors.Is(err, store.ErrConflict):
		writeError(w, http.StatusConflict, err.Error())
	case errors.Is(err, store.ErrNoParent):
		writeError(w, http.StatusUnprocessableEntity, err.Error())
	default:
		log.Printf("store: %v", err)
		writeError(w, http.StatusInternalServerError, "internal error")
	}
}

// pathID reads {id}: an integer from 1 that fits an int64 (7, or 7.0 as openapi.yaml's integer allows), else 400.
func pathID(w http.ResponseWriter, r *http.Request) (int64, bool) {
	s := r.PathValue("id")
	id, err := strconv.ParseUint(wholeNumber(s), 10, 63)
	if err != nil || id < 1 {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("id %q must be an integer from 1", s))
		return 0, false
	}
	return int64(id), true
}

// readItem reads the body (413 past maxBody) with decode and checks it with Validate (400).
func readItem[T interface{ Validate() error }](w http.ResponseWriter, r *http.Request, decode func([]byte) (T, error)) (T, bool) {
	var x T
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("the body is larger than %d bytes", maxBody))
		return x, false
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, "cannot read the body")
		return x, false
	}
	if x, err = decode(data); err == nil {
		err = x.Validate()
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return x, false
	}
	return x, true
}`;

/** internal/handlers/handlers.go. */
export function handlersGo(ctx: GoContext): string {
  const routes = ctx.resources.flatMap((g) => routesOf(ctx, g)).map(([pattern, fn]) => `\ta.mux.HandleFunc(${goString(pattern)}, a.${fn})`);
  const dayFilters = ctx.resources.some((g) => g.r.filters.some((f) => g.fields.find((x) => x.json === f.field)?.field.type === 'date'));
  const body = `// maxBody is the largest request body read: 1 MiB, 413 past it.
const maxBody = ${MAX_BODY_BYTES}

// New returns the API's handler over s: every route of the plan, JSON errors for the others.
func New(s store.Store) http.Handler {
	a := &api{store: s, mux: http.NewServeMux()}
${routes.join('\n')}
	return a
}

${SERVING}

${ctx.resources.map((g) => `${resourceHandlers(ctx, g)}\n\n${filtersFunc(ctx, g)}`).join('\n\n')}

${QUERY_HELPERS}${dayFilters ? `\n\n${dayParamHelper(ctx)}` : ''}`;
  const doc = `// Package handlers serves the API over HTTP: routing, JSON bodies and errors, filters,
// pagination, nested lists and actions, over a store.Store.`;
  return `${doc}\n${goFile('handlers', body, [goString(`${ctx.module}/internal/models`), goString(`${ctx.module}/internal/store`)])}`;
}
