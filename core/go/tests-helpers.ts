// The Go helpers tests/api_test.go carries after its tests: the client that calls the API under
// test, the store each test runs over, and the checks the tests share. Text, written by code.
import type { Store } from '../plan.js';
import { WORDS_HELPERS } from './tests-words-helpers.js';

export const TEST_HELPERS = `// client calls the API under test; its checks fail the test that made it.
type client struct {
	t    *testing.T
	base string
}

// call sends a request whose body is nil, a string sent as is, or a value sent as JSON. It returns
// the status, the headers and the JSON answer (nil when empty, numbers as json.Number).
func (c *client) call(method, path string, body any) (int, http.Header, any) {
	c.t.Helper()
	var data []byte
	switch b := body.(type) {
	case nil:
	case string:
		data = []byte(b)
	default:
		var err error
		if data, err = json.Marshal(b); err != nil {
			c.t.Fatalf("%s %s: %v", method, path, err)
		}
	}
	req, err := http.NewRequest(method, c.base+path, bytes.NewReader(data))
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	answer, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatalf("%s %s: reading the answer: %v", method, path, err)
	}
	if len(answer) == 0 {
		return res.StatusCode, res.Header, nil
	}
	if res.StatusCode == http.StatusNoContent {
		c.t.Fatalf("%s %s: 204 with a body: %s", method, path, answer)
	}
	if ct := res.Header.Get("Content-Type"); ct != "application/json" {
		c.t.Fatalf("%s %s: Content-Type %q, want application/json", method, path, ct)
	}
	dec := json.NewDecoder(bytes.NewReader(answer))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		c.t.Fatalf("%s %s: the answer is not JSON: %s", method, path, answer)
	}
	return res.StatusCode, res.Header, v
}

// expect is call that fails the test unless the status is want; an error must be {"error": message}.
func (c *client) expect(want int, method, path string, body any) any {
	c.t.Helper()
	status, _, v := c.call(method, path, body)
	if status != want {
		c.t.Fatalf("%s %s: status %d, want %d: %v", method, path, status, want, v)
	}
	if status >= 400 {
		errorOf(c.t, v)
	}
	return v
}

// create posts a valid body: 201, the item with an id from 1 and the body's values, and its
// Location. It returns the new id.
func (c *client) create(path string, body map[string]any) int64 {
	c.t.Helper()
	status, h, v := c.call("POST", path, body)
	if status != http.StatusCreated {
		c.t.Fatalf("POST %s: status %d, want 201: %v", path, status, v)
	}
	x := object(c.t, v)
	id := idOf(c.t, x)
	if loc := h.Get("Location"); loc != item(path, id) {
		c.t.Errorf("POST %s: Location %q, want %q", path, loc, item(path, id))
	}
	echoes(c.t, x, body)
	return id
}

// refused checks that posting the body is refused with 400 and an error that says want.
func refused(c *client, path string, body map[string]any, want string) {
	c.t.Helper()
	if msg := errorOf(c.t, c.expect(400, "POST", path, body)); !strings.Contains(msg, want) {
		c.t.Fatalf("POST %s: error %q, want one that says %q", path, msg, want)
	}
}

${WORDS_HELPERS}

// item is the path of one item.
func item(base string, id int64) string {
	return fmt.Sprintf("%s/%d", base, id)
}

// nth is the n-th of the values, counting from 1, round again past the last.
func nth(n int, values ...any) any {
	return values[(n-1)%len(values)]
}

// param is a value as a query parameter.
func param(v any) string {
	return url.QueryEscape(fmt.Sprint(v))
}

// object is the answer as a JSON object.
func object(t *testing.T, v any) map[string]any {
	t.Helper()
	x, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("the answer %v is not a JSON object", v)
	}
	return x
}

// errorOf is the message of an error answer, which must be {"error": message}.
func errorOf(t *testing.T, v any) string {
	t.Helper()
	x, ok := v.(map[string]any)
	msg, isString := x["error"].(string)
	if !ok || !isString || len(x) != 1 {
		t.Fatalf("the error answer %v is not {\\"error\\": message}", v)
	}
	return msg
}

// idOf is an item's id, an integer from 1.
func idOf(t *testing.T, x map[string]any) int64 {
	t.Helper()
	n, ok := x["id"].(json.Number)
	id, err := n.Int64()
	if !ok || err != nil || id < 1 {
		t.Fatalf("the item %v has no id from 1", x)
	}
	return id
}

// ids are the ids of a list's items, in its order.
func ids(t *testing.T, v any) []int64 {
	t.Helper()
	list, ok := v.([]any)
	if !ok {
		t.Fatalf("the answer %v is not a JSON array", v)
	}
	out := make([]int64, 0, len(list))
	for _, x := range list {
		out = append(out, idOf(t, object(t, x)))
	}
	return out
}

// sameIDs checks that a list holds the items want, in that order.
func sameIDs(t *testing.T, v any, want ...int64) {
	t.Helper()
	if got := ids(t, v); !slices.Equal(got, want) {
		t.Fatalf("the list holds the ids %v, want %v", got, want)
	}
}

// partition checks that a filter's =true and =false lists together hold each item once.
func partition(t *testing.T, in, out any, all ...int64) {
	t.Helper()
	got := append(ids(t, in), ids(t, out)...)
	slices.Sort(got)
	if !slices.Equal(got, all) {
		t.Fatalf("=true lists %v and =false %v: together they must list each of %v once", ids(t, in), ids(t, out), all)
	}
}

// jsonText is v as JSON, so that values read from an answer and values written compare alike.
func jsonText(v any) string {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%#v", v)
	}
	return string(data)
}

// echoes checks that the item holds each value of the body.
func echoes(t *testing.T, x, body map[string]any) {
	t.Helper()
	for key, v := range body {
		if got, want := jsonText(x[key]), jsonText(v); got != want {
			t.Errorf("%s is %s, want %s", key, got, want)
		}
	}
}

// hasValue checks that the item's key holds the JSON value want.
func hasValue(t *testing.T, x map[string]any, key, want string) {
	t.Helper()
	if got := jsonText(x[key]); got != want {
		t.Errorf("%s is %s, want %s", key, got, want)
	}
}`;

/** The stores the project ships, and forEachStore: every test runs once per store, in a subtest named after it. */
export function storesRun(store: Store): string {
  const stores = store === 'sqlite' ? '"memory", "sqlite"' : '"memory"';
  return `// stores are the stores the project ships; each test runs over every one.
var stores = []string{${stores}}

// forEachStore runs test once per store, in a subtest named after the store (newClient reads it).
func forEachStore(t *testing.T, test func(t *testing.T)) {
	for _, s := range stores {
		t.Run(s, test)
	}
}`;
}

/** newClient: a fresh API over an empty store of the kind under test. */
export function newClientFunc(store: Store): string {
  const sqlite = `
	if strings.Split(t.Name(), "/")[1] == "sqlite" {
		db, err := store.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "test.db"))
		if err != nil {
			t.Fatalf("open SQLite: %v", err)
		}
		t.Cleanup(func() { _ = db.Close() })
		s = db
	}`;
  return `// newClient serves a fresh API over an empty store of the kind under test, for the length of the test.
func newClient(t *testing.T) *client {
	var s store.Store = store.NewMemory()${store === 'sqlite' ? sqlite : ''}
	srv := httptest.NewServer(handlers.New(s))
	t.Cleanup(srv.Close)
	return &client{t: t, base: srv.URL}
}`;
}
