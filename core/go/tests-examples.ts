// The subtest that holds a filter in words to the model's examples (core/filter-examples.ts): each
// example item is created, and ?name=true must list exactly the ones the model sorted as listed.
// A filter left to code's stand-in is skipped: behaviour.go's NotBuilt says so, and the run names it.
import { relativeOffset, type ExampleValue } from '../filter-examples.js';
import { goName, type Filter, type Plan, type Resource } from '../plan.js';
import { goString } from './names.js';
import { at, body, literal, parentSetup, subtest } from './tests-values.js';

/** A value of an example in Go: a relative date becomes a call that moves the test's own now. */
function goValue(v: ExampleValue): string {
  const o = relativeOffset(v);
  if (!o) return literal(v);
  return o.date ? `daysFromNow(${o.days})` : `hoursFromNow(${o.hours + 24 * o.days})`;
}

export const hasExamples = (plan: Plan) => plan.resources.some((r) => r.filters.some((f) => f.examples?.length));

/** The subtest of one filter's examples; none when the filter has none. */
export function examplesTest(r: Resource, f: Filter): string[] {
  if (!f.examples?.length) return [];
  const P = goString(at(r));
  const method = `${goName(r.name)}.${goName(f.name)}`;
  const items = f.examples.map((e, i) => {
    const b = Object.entries(e.set).reduce((acc, [k, v]) => `with(${acc}, ${goString(k)}, ${goValue(v)})`, body(r, i + 1));
    return `sortExample(t, c, ${P}, ${b}, ${e.listed}, &in, &out)`;
  });
  return [
    subtest(`filter ${f.name}: the model's examples`, [
      `if models.NotBuilt[${goString(method)}] {`,
      `\tt.Skip("${method} is code's stand-in: the filter is not built, and README.md names it")`,
      '}',
      ...parentSetup(r),
      'var in, out []int64',
      ...items,
      `listsExactly(t, c, ${P}, ${goString(f.name)}, in, out)`,
    ]),
  ];
}

/** The Go helpers of the examples subtests, after the other helpers when the plan has examples. */
export const EXAMPLE_HELPERS = `// sortExample creates an example item of a filter in words and adds its id to the listed or the
// other ones; an item the API refuses (a rule in words may) is left out.
func sortExample(t *testing.T, c *client, path string, body map[string]any, listed bool, in, out *[]int64) {
	t.Helper()
	status, _, v := c.call("POST", path, body)
	switch status {
	case http.StatusCreated:
		id := idOf(t, object(t, v))
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

// hoursFromNow is the date-time h hours from now; daysFromNow the date d days from today (UTC).
func hoursFromNow(h int) string {
	return time.Now().UTC().Add(time.Duration(h) * time.Hour).Format(time.RFC3339)
}

func daysFromNow(d int) string {
	return time.Now().UTC().AddDate(0, 0, d).Format("2006-01-02")
}`;
