// The subtests that hold a filter to the model's examples (core/filter-examples.ts): each example
// item is created, and ?name=true must list exactly the ones the model sorted as listed; an example
// after an action gets a subtest of its own (when it fails, the action may be what is wrong). A
// filter left to code's stand-in is skipped: behaviour.go's NotBuilt says so, and the run names it.
import { exampleWords, relativeOffset, type ExampleValue } from '../filter-examples.js';
import { goName, type Filter, type FilterExample, type Plan, type Resource } from '../plan.js';
import { goString } from './names.js';
import { at, body, literal, parentSetup, subtest } from './tests-values.js';

/** A value of an example in Go: a relative date becomes a call that moves the test's own now. */
function goValue(v: ExampleValue): string {
  const o = relativeOffset(v);
  if (!o) return literal(v);
  return o.date ? `daysFromNow(${o.days})` : `hoursFromNow(${o.hours + 24 * o.days})`;
}

export const hasExamples = (plan: Plan) => plan.resources.some((r) => r.filters.some((f) => f.examples?.length));
/** A filter the model writes has examples: the tests read behaviour.go's NotBuilt. */
export const readsNotBuilt = (plan: Plan) => plan.resources.some((r) => r.filters.some((f) => f.field === undefined && f.examples?.length));

/** The name of the subtest of an example after an action: the repair reads it in `--- FAIL` lines. */
export const afterTestName = (filter: string, action: string) => `filter ${filter} after ${action}: the model's example`;

/** The subtests of one filter's examples; none when the filter has none. */
export function examplesTest(r: Resource, f: Filter): string[] {
  if (!f.examples?.length) return [];
  const P = goString(at(r));
  const method = `${goName(r.name)}.${goName(f.name)}`;
  // A filter by a flag's value is code's comparison: never a stand-in.
  const notBuilt =
    f.field === undefined
      ? [`if models.NotBuilt[${goString(method)}] {`, `\tt.Skip("${method} is code's stand-in: the filter is not built, and README.md names it")`, '}']
      : [];
  const bodyOf = (e: FilterExample, n: number) => Object.entries(e.set).reduce((acc, [k, v]) => `with(${acc}, ${goString(k)}, ${goValue(v)})`, body(r, n));
  const plain = f.examples.filter((e) => e.after === undefined);
  const items = plain.map((e, i) => `sortExample(t, c, ${P}, ${bodyOf(e, i + 1)}, ${goString(exampleWords(e.set))}, ${e.listed}, &in, &out)`);
  const sorted = plain.length
    ? [
        subtest(`filter ${f.name}: the model's examples`, [
          ...notBuilt,
          ...parentSetup(r),
          'var in, out []int64',
          ...items,
          `listsExactly(t, c, ${P}, ${goString(f.name)}, in, out)`,
        ]),
      ]
    : [];
  const afterActions = f.examples
    .filter((e) => e.after !== undefined)
    .map((e) =>
      subtest(afterTestName(f.name, e.after!), [
        ...notBuilt,
        ...parentSetup(r),
        `listedAfter(t, c, ${P}, ${bodyOf(e, 1)}, ${goString(e.after!)}, ${goString(f.name)}, ${e.listed})`,
      ]),
    );
  return [...sorted, ...afterActions];
}

/** The Go helpers of the examples subtests, after the other helpers when the plan has examples. */
export const EXAMPLE_HELPERS = `// sortExample creates an example item of a filter in words and adds its id to the listed or the
// other ones; an item the API refuses (a rule in words may) is left out. The log names the example
// in words, for a failure's reader (and the model's fix request).
func sortExample(t *testing.T, c *client, path string, body map[string]any, words string, listed bool, in, out *[]int64) {
	t.Helper()
	status, _, v := c.call("POST", path, body)
	switch status {
	case http.StatusCreated:
		id := idOf(t, object(t, v))
		t.Logf("example item %d (%s): listed %v", id, words, listed)
		if listed {
			*in = append(*in, id)
		} else {
			*out = append(*out, id)
		}
	case http.StatusBadRequest, http.StatusConflict, http.StatusUnprocessableEntity:
		errorOf(t, v)
	default:
		t.Fatalf("POST %s %v: status %d, want 201 (or 400, 409, 422 refusing it): %v", path, body, status, v)
	}
}

// listsExactly checks a filter in words against the model's examples: ?name=true lists each item
// sorted as listed and none of the others, =false the reverse.
func listsExactly(t *testing.T, c *client, path, name string, in, out []int64) {
	t.Helper()
	if len(in) == 0 || len(out) == 0 {
		t.Skipf("the API refused every example on one side (%d listed, %d not): nothing to tell apart", len(in), len(out))
	}
	yes := ids(t, c.expect(200, "GET", path+"?"+name+"=true", nil))
	no := ids(t, c.expect(200, "GET", path+"?"+name+"=false", nil))
	for _, id := range in {
		if !slices.Contains(yes, id) || slices.Contains(no, id) {
			t.Errorf("item %d belongs in ?%s=true by the model's examples: =true lists %v, =false %v", id, name, yes, no)
		}
	}
	for _, id := range out {
		if slices.Contains(yes, id) || !slices.Contains(no, id) {
			t.Errorf("item %d does not belong in ?%s=true by the model's examples: =true lists %v, =false %v", id, name, yes, no)
		}
	}
}

// listedAfter creates an example item, calls an action on it, and holds the filter to the model's
// verdict: ?name=true lists the item and =false does not, or the reverse. An item or an action the
// API refuses leaves nothing to check.
func listedAfter(t *testing.T, c *client, path string, body map[string]any, action, name string, listed bool) {
	t.Helper()
	status, _, v := c.call("POST", path, body)
	switch status {
	case http.StatusCreated:
	case http.StatusBadRequest, http.StatusConflict, http.StatusUnprocessableEntity:
		t.Skipf("POST %s %v: status %d (a rule refuses the example): nothing to check", path, body, status)
	default:
		t.Fatalf("POST %s %v: status %d, want 201 (or 400, 409, 422 refusing it): %v", path, body, status, v)
	}
	id := idOf(t, object(t, v))
	at := item(path, id) + "/" + action
	status, _, v = c.call("POST", at, nil)
	switch status {
	case http.StatusOK:
	case http.StatusBadRequest, http.StatusConflict, http.StatusUnprocessableEntity:
		t.Skipf("POST %s: status %d (the action refuses this item): nothing to check", at, status)
	default:
		t.Fatalf("POST %s: status %d, want 200 (or 400, 409, 422 refusing it): %v", at, status, v)
	}
	yes := slices.Contains(ids(t, c.expect(200, "GET", path+"?"+name+"=true", nil)), id)
	no := slices.Contains(ids(t, c.expect(200, "GET", path+"?"+name+"=false", nil)), id)
	if yes != listed || no == listed {
		t.Errorf("after %s, item %d is in ?%s=true: %v, in =false: %v; by the model's reading of the request it belongs in =%v", action, id, name, yes, no, listed)
	}
}

// hoursFromNow is the date-time h hours from now; daysFromNow the date d days from today (UTC).
func hoursFromNow(h int) string {
	return time.Now().UTC().Add(time.Duration(h) * time.Hour).Format(time.RFC3339)
}

func daysFromNow(d int) string {
	return time.Now().UTC().AddDate(0, 0, d).Format("2006-01-02")
}`;
