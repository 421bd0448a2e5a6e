// The Go helpers of the subtests of the model's methods (tests-words.ts): an action's answer, an
// item with only its required fields, an action that must change some item, one that must set a
// state. Text, written by code; core/go/tests-helpers.ts puts it among the other helpers.
export const WORDS_HELPERS = `// acted checks an action's answer: 200 with the item, or 409 with an error (the action refuses).
func acted(t *testing.T, c *client, path string, id int64) {
	t.Helper()
	status, _, v := c.call("POST", path, nil)
	switch status {
	case http.StatusOK:
		if got := idOf(t, object(t, v)); got != id {
			t.Fatalf("POST %s: the answer is item %d, want %d", path, got, id)
		}
	case http.StatusConflict:
		errorOf(t, v)
	default:
		t.Fatalf("POST %s: status %d, want 200 or 409: %v", path, status, v)
	}
}

// createMinimal posts an item with only its required fields: its id and true; or false when the API
// refuses it with 400, 409 or 422 and an error (a rule in words may); never a 500.
func createMinimal(t *testing.T, c *client, path string, body map[string]any) (int64, bool) {
	t.Helper()
	status, _, v := c.call("POST", path, body)
	switch status {
	case http.StatusCreated:
		return idOf(t, object(t, v)), true
	case http.StatusBadRequest, http.StatusConflict, http.StatusUnprocessableEntity:
		errorOf(t, v)
		return 0, false
	}
	t.Fatalf("POST %s with only the required fields: status %d, want 201 (or 400, 409, 422 refusing it): %v", path, status, v)
	return 0, false
}

// actsOnSome checks that an action does something. Each body is created (a rule may refuse it),
// acted on and deleted: the action answers 200 with the item or 409 with an error, and on at least
// one item it answers 200 and the item changes. One that refuses every item or changes none is
// broken; code's stand-in answers 409 saying it is not built, and passes.
func actsOnSome(t *testing.T, c *client, base, action string, bodies ...map[string]any) {
	t.Helper()
	tried := 0
	for _, b := range bodies {
		id, ok := createMinimal(t, c, base, b)
		if !ok {
			continue
		}
		tried++
		before := c.expect(http.StatusOK, "GET", item(base, id), nil)
		path := item(base, id) + "/" + action
		status, _, v := c.call("POST", path, nil)
		switch status {
		case http.StatusOK:
			if got := idOf(t, object(t, v)); got != id {
				t.Fatalf("POST %s: the answer is item %d, want %d", path, got, id)
			}
			if jsonText(v) != jsonText(before) {
				return
			}
		case http.StatusConflict:
			if strings.Contains(errorOf(t, v), "is not built") {
				return
			}
		default:
			t.Fatalf("POST %s: status %d, want 200 or 409: %v", path, status, v)
		}
		c.call("DELETE", item(base, id), nil)
	}
	if tried > 0 {
		t.Fatalf("POST %s/{id}/%s refused or left unchanged each of the %d items tried: an action must change an item it accepts", base, action, tried)
	}
}

// with is a copy of the body with key set to v, or left out when v is nil.
func with(b map[string]any, key string, v any) map[string]any {
	out := map[string]any{}
	for k, x := range b {
		out[k] = x
	}
	if v == nil {
		delete(out, key)
	} else {
		out[key] = v
	}
	return out
}

// answered checks that the API answers the request with one of the statuses (never a 500).
func answered(t *testing.T, c *client, method, path string, body any, statuses ...int) {
	t.Helper()
	if status, _, v := c.call(method, path, body); !slices.Contains(statuses, status) {
		t.Fatalf("%s %s: status %d, want one of %v: %v", method, path, status, statuses, v)
	}
}

// setsState checks an action whose description begins "sets key to want", on an item where key is
// not want yet: 200 and key reads want afterwards, or 409 saying the action is not built (the run
// names what is not built).
func setsState(t *testing.T, c *client, path string, key string, want any) {
	t.Helper()
	status, _, v := c.call("POST", path, nil)
	if status == http.StatusConflict && strings.Contains(errorOf(t, v), "is not built") {
		return
	}
	if status != http.StatusOK {
		t.Fatalf("POST %s: status %d, want 200 (it sets %s to %v): %v", path, status, key, want, v)
	}
	if got := object(t, v)[key]; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("POST %s: %s is %v afterwards, want %v", path, key, got, want)
	}
}`;
