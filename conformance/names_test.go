package conformance_test

import (
	"encoding/json"
	"io/fs"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/metamerge/metamerge"
	"github.com/metamerge/metamerge/conformance"
)

// under returns every value of key in the maps nested in v.
func under(v any, key string) []any {
	var out []any
	switch v := v.(type) {
	case map[string]any:
		for k, w := range v {
			if k == key {
				out = append(out, w)
			}
			out = append(out, under(w, key)...)
		}
	case []any:
		for _, w := range v {
			out = append(out, under(w, key)...)
		}
	}
	return out
}

// TestNamesMatchTheSchema: the ops, options and policies are listed once
// in Go; the published schema, which other languages read, must list the
// same.
func TestNamesMatchTheSchema(t *testing.T) {
	data, err := fs.ReadFile(conformance.FS, "vectors.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var schema any
	if err := json.Unmarshal(data, &schema); err != nil {
		t.Fatal(err)
	}
	// enum is the longest enum of key holding member: the schema also
	// lists subsets (the report ops), and map order must not pick one.
	enum := func(key, member string) []string {
		var longest []string
		for _, v := range under(schema, key) {
			m, _ := v.(map[string]any)
			e, _ := m["enum"].([]any)
			var names []string
			for _, n := range e {
				names = append(names, n.(string))
			}
			if slices.Contains(names, member) && len(names) > len(longest) {
				longest = names
			}
		}
		if longest == nil {
			t.Fatalf("the schema has no enum of %s holding %s", key, member)
		}
		return longest
	}
	var options []string
	for _, v := range under(schema, "options") {
		if m, ok := v.(map[string]any)["properties"].(map[string]any); ok {
			for name := range m {
				options = append(options, name)
			}
		}
	}
	sorted := func(s []string) []string { return slices.Sorted(slices.Values(s)) }
	for _, tt := range []struct {
		what         string
		schema, list []string
	}{
		{"ops", enum("op", "merge_user"), conformance.Ops()},
		{"policies", enum("policy", "signup"), conformance.PolicyNames()},
		{"options", sorted(options), sorted(conformance.OptionNames())},
	} {
		if !slices.Equal(tt.schema, tt.list) {
			t.Errorf("%s: the schema lists %v, the Go model %v", tt.what, tt.schema, tt.list)
		}
	}
}

// TestEveryNameIsImplemented runs every op, policy and option through the
// reference implementation: none is unknown to it.
func TestEveryNameIsImplemented(t *testing.T) {
	for _, op := range conformance.Ops() {
		in := conformance.Input{Op: op, Stored: []byte(`{}`), Patch: []byte(`{}`), Metadata: []byte(`{}`),
			Before: []byte(`{}`), After: []byte(`{}`), Base: []byte(`{}`), Desired: []byte(`{}`), Live: []byte(`{}`)}
		if !strings.Contains(op, "_") { // one field's op, under a named policy
			in.Policy = "app_metadata"
		}
		if out := conformance.Reference(in); out.Skipped != "" || len(out.Errors) > 0 {
			t.Errorf("op %s: %+v", op, out)
		}
	}
	all := conformance.Options{MaxDepth: 5, MaxErrors: 5, MaxDocumentBytes: 99, Unit: "bytes", MaxBytes: 99, MaxProfileBytes: 99, NoPrototypeKeys: true}
	if got := all.Names(); !slices.Equal(got, conformance.OptionNames()) {
		t.Errorf("every option set: Names() = %v, want %v", got, conformance.OptionNames())
	}
	if _, err := all.UserRules(); err != nil {
		t.Errorf("every option: %v", err)
	}
	want := map[string]metamerge.Policy{"user_metadata": metamerge.UserMetadata(), "app_metadata": metamerge.AppMetadata(),
		"client_metadata": metamerge.ClientMetadata(), "signup": metamerge.Signup()}
	for _, name := range conformance.PolicyNames() {
		r, err := conformance.FieldRules(name)
		if err != nil || !reflect.DeepEqual(r.Policy, want[name]) {
			t.Errorf("FieldRules(%q) = %+v, %v", name, r.Policy, err)
		}
		delete(want, name)
	}
	if len(want) > 0 {
		t.Errorf("policies without a name: %v", want)
	}
	if _, err := conformance.FieldRules("user"); err == nil || err.Error() != `unknown policy "user"` {
		t.Errorf(`FieldRules("user"): %v`, err)
	}
}

// TestReferenceNamesAnUnknownOp: an op that is not one of Ops is skipped
// with its own name, whatever its shape, not with a policy's.
func TestReferenceNamesAnUnknownOp(t *testing.T) {
	for _, tt := range []struct{ op, want string }{
		{"nope", `unknown op "nope"`},
		{"", `unknown op ""`},
		{"merge", `unknown policy ""`}, // a field's op: what is missing is its policy
		{"nope_user", `unknown op "nope_user"`},
		{"merge_nope", `unknown op "merge_nope"`},
		{"merge_user_x", `unknown op "merge_user_x"`},
		{"\x1b[2J", `unknown op "\x1b[2J"`},
		{strings.Repeat("x", 1000), `unknown op "` + strings.Repeat("x", 200) + `"… (bytes 0 to 200 of 1000)`},
	} {
		got := conformance.Reference(conformance.Input{Op: tt.op, Stored: []byte(`{}`), Patch: []byte(`{}`)})
		if got.Skipped != tt.want {
			t.Errorf("op %.20q: skipped %q, want %q", tt.op, got.Skipped, tt.want)
		}
	}
}
