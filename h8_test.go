package metamerge_test

// Is every error list cut as H8 says?

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/metamerge/metamerge"
)

// TestErrorListsCutAsH8Says checks H8 on every call that takes Limits:
// with MaxErrors k, the errors are the first k of the list the call gives
// at the ceiling, then too_many_errors whose Actual is that list's length,
// when it is longer. Every kind of error a call can list counts, the
// not_object of a field that a diff's after lacks included.
func TestErrorListsCutAsH8Says(t *testing.T) {
	user := func(l metamerge.Limits) metamerge.UserRules { return metamerge.UserRules{Limits: l} }
	client := func(l metamerge.Limits) metamerge.ClientRules { return metamerge.ClientRules{Limits: l} }
	field := func(l metamerge.Limits) metamerge.FieldRules {
		return metamerge.FieldRules{Policy: metamerge.ClientMetadata(), Limits: l}
	}
	longName := `"` + fmt.Sprintf("%0300d", 0) + `"`
	userPatch := `{"user_metadata":{"a.b":1,"c":{"$d":1}},"app_metadata":{"email":1,"x.y":null},"name":null}`
	clientPatch := `{"client_metadata":{"a":1,"b.c":"x",` + longName + `:2,"d":"e","f":"g","h":"i","j":"k","l":"m","n":"o","p":"q"}}`
	fieldPatch := `{"a":1,"b.c":"x",` + longName + `:2,"d":[],"f":"g","h":"i","j":"k","l":"m","n":"o","p":"q"}`
	calls := []struct {
		name string
		run  func(l metamerge.Limits) error
	}{
		{"UserRules.Merge", func(l metamerge.Limits) error { _, err := user(l).Merge([]byte(`{}`), []byte(userPatch)); return err }},
		{"UserRules.MergeReport", func(l metamerge.Limits) error {
			_, _, err := user(l).MergeReport([]byte(`{}`), []byte(userPatch))
			return err
		}},
		{"UserRules.Check", func(l metamerge.Limits) error { return user(l).Check([]byte(userPatch)) }},
		{"UserRules.Diff", func(l metamerge.Limits) error {
			_, err := user(l).Diff([]byte(`{"user_metadata":{"a":1},"name":1}`), []byte(`{"name":null,"nick":null,"app_metadata":{"email":1}}`))
			return err
		}},
		{"UserRules.Diff new names", func(l metamerge.Limits) error {
			_, err := user(l).Diff([]byte(`{}`), []byte(`{"user_metadata":{"a.b":1,"c":{"$d":1}},"app_metadata":{"email":1,"x.y":2}}`))
			return err
		}},
		{"UserRules.Diff3", func(l metamerge.Limits) error {
			_, err := user(l).Diff3([]byte(`{}`), []byte(`{"name":null,"nick":null,"other":null,"user_metadata":{"a.b":1}}`), []byte(`{"name":1}`))
			return err
		}},
		{"ClientRules.Merge", func(l metamerge.Limits) error {
			_, err := client(l).Merge([]byte(`{}`), []byte(clientPatch))
			return err
		}},
		{"ClientRules.Check", func(l metamerge.Limits) error { return client(l).Check([]byte(clientPatch)) }},
		{"ClientRules.Diff", func(l metamerge.Limits) error {
			_, err := client(l).Diff([]byte(`{"client_metadata":{},"name":1}`), []byte(`{"name":null,"nick":null}`))
			return err
		}},
		{"FieldRules.Merge", func(l metamerge.Limits) error { _, err := field(l).Merge([]byte(`{}`), []byte(fieldPatch)); return err }},
		{"FieldRules.Check", func(l metamerge.Limits) error { return field(l).Check([]byte(fieldPatch)) }},
		{"FieldRules.Validate", func(l metamerge.Limits) error { return field(l).Validate([]byte(fieldPatch)) }},
		{"FieldRules.Diff", func(l metamerge.Limits) error {
			_, err := field(l).Diff([]byte(`{"z":"1"}`), []byte(fieldPatch))
			return err
		}},
		{"FieldRules.Diff3", func(l metamerge.Limits) error {
			_, err := field(l).Diff3([]byte(`{}`), []byte(fieldPatch), []byte(`{"z":"1"}`))
			return err
		}},
	}
	plain := func(err error) []metamerge.Error {
		var out []metamerge.Error
		for _, e := range metamerge.Errors(err) {
			out = append(out, *e)
		}
		return out
	}
	for _, c := range calls {
		full := plain(c.run(metamerge.Limits{MaxErrors: 1000}))
		if len(full) < 3 {
			t.Errorf("%s: only %d errors at the ceiling; the case tests no cut: %v", c.name, len(full), full)
			continue
		}
		for k := 1; k <= len(full); k++ {
			want := full[:min(k, len(full))]
			if len(full) > k {
				want = append(want[:k:k], metamerge.Error{Code: metamerge.CodeTooManyErrors, Offset: -1, Limit: k, Actual: len(full)})
			}
			got := plain(c.run(metamerge.Limits{MaxErrors: k}))
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s with MaxErrors %d: H8 (-want +got):\n%s", c.name, k, diff)
			}
		}
	}
}
