package metamerge_test

// Do nil and empty documents mean the same to every entry point?

import (
	"fmt"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/metamerge/metamerge"
)

// TestNilIsEmpty checks, for every entry point and every document it
// takes, that nil and an empty slice mean the same: both are the absent
// field where a call takes one (FieldRules), and both are not JSON
// elsewhere. A call that told them apart would read a mode from a nil
// slice, as Diff3 once did, diffing two-way when base was nil.
func TestNilIsEmpty(t *testing.T) {
	user := `{"user_metadata":{"a":1,"z":2},"name":"x"}`
	user2 := `{"user_metadata":{"a":1},"nick":"y"}`
	client := `{"client_metadata":{"a":"1","z":"2"},"name":"x"}`
	client2 := `{"client_metadata":{"a":"1"},"name":"y"}`
	field, field2 := `{"a":1,"z":2}`, `{"a":1}`
	ur, cr, fr := metamerge.UserRules{}, metamerge.ClientRules{}, metamerge.FieldRules{Policy: metamerge.UserMetadata()}
	type result = callResult
	one := func(out []byte, err error) result { return two(out, nil, err) }
	calls := []struct {
		name string
		docs []string // the documents the call takes, valid
		run  func(d [][]byte) result
	}{
		{"MergeUser", []string{user, user2}, func(d [][]byte) result { return one(metamerge.MergeUser(d[0], d[1])) }},
		{"MergeClient", []string{client, client2}, func(d [][]byte) result { return one(metamerge.MergeClient(d[0], d[1])) }},
		{"DiffUser", []string{user, user2}, func(d [][]byte) result { return one(metamerge.DiffUser(d[0], d[1])) }},
		{"DiffClient", []string{client, client2}, func(d [][]byte) result { return one(metamerge.DiffClient(d[0], d[1])) }},
		{"Equal", []string{field, field2}, func(d [][]byte) result {
			eq, err := metamerge.Equal(d[0], d[1])
			return one([]byte(fmt.Sprint(eq)), err)
		}},
		{"Valid", []string{field}, func(d [][]byte) result { return one(nil, metamerge.Valid(d[0])) }},
		{"ValidateSignup", []string{`{"a":"b"}`}, func(d [][]byte) result { return one(nil, metamerge.ValidateSignup(d[0])) }},
		{"UserRules.Merge", []string{user, user2}, func(d [][]byte) result { return one(ur.Merge(d[0], d[1])) }},
		{"UserRules.MergeReport", []string{user, user2}, func(d [][]byte) result { return two(ur.MergeReport(d[0], d[1])) }},
		{"UserRules.Check", []string{user2}, func(d [][]byte) result { return one(nil, ur.Check(d[0])) }},
		{"UserRules.Diff", []string{user, user2}, func(d [][]byte) result { return one(ur.Diff(d[0], d[1])) }},
		{"UserRules.Diff3", []string{user, user2, user}, func(d [][]byte) result { return one(ur.Diff3(d[0], d[1], d[2])) }},
		{"ClientRules.Merge", []string{client, client2}, func(d [][]byte) result { return one(cr.Merge(d[0], d[1])) }},
		{"ClientRules.MergeReport", []string{client, client2}, func(d [][]byte) result { return two(cr.MergeReport(d[0], d[1])) }},
		{"ClientRules.Check", []string{client2}, func(d [][]byte) result { return one(nil, cr.Check(d[0])) }},
		{"ClientRules.Diff", []string{client, client2}, func(d [][]byte) result { return one(cr.Diff(d[0], d[1])) }},
		{"ClientRules.Diff3", []string{client, client2, client}, func(d [][]byte) result { return one(cr.Diff3(d[0], d[1], d[2])) }},
		{"FieldRules.Merge", []string{field, field2}, func(d [][]byte) result { return one(fr.Merge(d[0], d[1])) }},
		{"FieldRules.MergeReport", []string{field, field2}, func(d [][]byte) result { return two(fr.MergeReport(d[0], d[1])) }},
		{"FieldRules.Check", []string{field2}, func(d [][]byte) result { return one(nil, fr.Check(d[0])) }},
		{"FieldRules.Validate", []string{field2}, func(d [][]byte) result { return one(nil, fr.Validate(d[0])) }},
		{"FieldRules.Diff", []string{field, field2}, func(d [][]byte) result { return one(fr.Diff(d[0], d[1])) }},
		// base z, desired without it, live with it: the caller removed z.
		{"FieldRules.Diff3", []string{field, field2, field}, func(d [][]byte) result { return one(fr.Diff3(d[0], d[1], d[2])) }},
	}
	var names []string
	for _, c := range calls {
		names = append(names, c.name)
		for i := range c.docs {
			docs := func(empty []byte) [][]byte {
				d := make([][]byte, len(c.docs))
				for k, s := range c.docs {
					d[k] = []byte(s)
				}
				d[i] = empty
				return d
			}
			withNil, withEmpty := c.run(docs(nil)), c.run(docs([]byte{}))
			if diff := cmp.Diff(withEmpty, withNil); diff != "" {
				t.Errorf("%s, document %d: nil and empty differ (-empty +nil):\n%s", c.name, i, diff)
			}
		}
	}
	slices.Sort(names)
	if want := metamerge.ExportedCalls(t); !slices.Equal(names, want) {
		t.Errorf("the calls checked are not the entry points:\n got %v\nwant %v", names, want)
	}
}

// callResult is what a call returned, as plain data for cmp.Diff.
type callResult struct {
	Out     string
	Changes []metamerge.Change
	Err     string
	Errors  []metamerge.Error
}

// two returns a call's result as a callResult.
func two(out []byte, changes []metamerge.Change, err error) (r callResult) {
	r.Out, r.Changes = string(out), changes
	if err != nil {
		r.Err = err.Error()
	}
	for _, e := range metamerge.Errors(err) {
		r.Errors = append(r.Errors, *e)
	}
	return r
}
