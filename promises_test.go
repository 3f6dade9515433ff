package metamerge_test

// Do the docs' sentences hold?

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/metamerge/metamerge"
)

// codeAt is an error as the vectors compare it.
type codeAt struct {
	Code    metamerge.Code
	Pointer string
}

func codesOf(err error) []codeAt {
	var out []codeAt
	for _, e := range metamerge.Errors(err) {
		out = append(out, codeAt{e.Code, e.Pointer})
	}
	return out
}

// TestDocPromises holds the sentences of the package doc and of the
// functions' docs that no vector states, each case quoting its promise.
func TestDocPromises(t *testing.T) {
	user := metamerge.UserRules{}
	field := metamerge.FieldRules{Policy: metamerge.UserMetadata()}
	capped := metamerge.UserRules{MaxProfileBytes: 20}
	long := []byte(`{"name":"0123456789abcdef"}`) // 27 bytes merged into {}
	tiny := metamerge.UserRules{UserMetadata: metamerge.UserMetadata()}
	tiny.UserMetadata.MaxBytes = 8
	tests := []struct {
		promise string
		run     func() ([]byte, error)
		want    string // the result, when no error is wanted
		errs    []codeAt
	}{
		{"MergeUser: user_id, identities and password included (R10)", func() ([]byte, error) {
			return metamerge.MergeUser([]byte(`{"user_id":"auth0|1","identities":[1],"name":"a"}`), []byte(`{"user_id":null,"identities":[],"password":"p"}`))
		}, `{"identities":[],"name":"a","password":"p"}`, nil},
		{"MergeClient: client_id and client_secret included (R10)", func() ([]byte, error) {
			return metamerge.MergeClient([]byte(`{"client_id":"c","client_secret":"s"}`), []byte(`{"client_id":null,"client_secret":"t"}`))
		}, `{"client_secret":"t"}`, nil},
		{"R8: a reserved name's value is still checked for R7", func() ([]byte, error) {
			return user.Merge([]byte(`{}`), []byte(`{"app_metadata":{"email":{"a.b":1}}}`))
		}, "", []codeAt{{metamerge.CodeReservedKey, "/app_metadata/email"}, {metamerge.CodeInvalidKey, "/app_metadata/email/a.b"}}},
		{`C3: "." and "$" included: one invalid_key`, func() ([]byte, error) {
			return metamerge.MergeClient([]byte(`{}`), []byte(`{"client_metadata":{"a.b":"x","$c":"y"}}`))
		}, "", []codeAt{{metamerge.CodeInvalidKey, "/client_metadata/a.b"}, {metamerge.CodeInvalidKey, "/client_metadata/$c"}}},
		{"R9 measures the field's value text with every member of the patch applied, those with violations included", func() ([]byte, error) {
			return tiny.Merge([]byte(`{}`), []byte(`{"user_metadata":{"a.b":1}}`))
		}, "", []codeAt{{metamerge.CodeTooLarge, "/user_metadata"}, {metamerge.CodeInvalidKey, "/user_metadata/a.b"}}},
		{"MaxProfileBytes holds for Merge", func() ([]byte, error) { return capped.Merge([]byte(`{}`), long) },
			"", []codeAt{{metamerge.CodeTooLarge, ""}}},
		{"MaxProfileBytes holds for MergeReport", func() ([]byte, error) { out, _, err := capped.MergeReport([]byte(`{}`), long); return out, err },
			"", []codeAt{{metamerge.CodeTooLarge, ""}}},
		{"MaxProfileBytes holds for Diff", func() ([]byte, error) { return capped.Diff([]byte(`{}`), long) },
			"", []codeAt{{metamerge.CodeTooLarge, ""}}},
		{"MaxProfileBytes holds for Diff3", func() ([]byte, error) { return capped.Diff3([]byte(`{}`), long, []byte(`{}`)) },
			"", []codeAt{{metamerge.CodeTooLarge, ""}}},
		{"FieldRules: Merge takes an empty document for the absent field", func() ([]byte, error) { return field.Merge([]byte{}, []byte(`{"a":1}`)) },
			`{"a":1}`, nil},
		{"FieldRules: MergeReport takes an empty document for the absent field", func() ([]byte, error) {
			out, _, err := field.MergeReport([]byte{}, []byte(`{"a":1}`))
			return out, err
		}, `{"a":1}`, nil},
		{"FieldRules: a document of white space only is invalid_json (Merge)", func() ([]byte, error) { return field.Merge([]byte(" \n"), []byte(`{"a":1}`)) },
			"", []codeAt{{metamerge.CodeInvalidJSON, ""}}},
		{"FieldRules: a document of white space only is invalid_json (Diff)", func() ([]byte, error) { return field.Diff([]byte(`{}`), []byte(" ")) },
			"", []codeAt{{metamerge.CodeInvalidJSON, ""}}},
		{"D6: a base key that desired drops and no patch may name fails with its error", func() ([]byte, error) {
			return user.Diff3([]byte(`{"user_metadata":{"a.b":1}}`), []byte(`{"user_metadata":{"c":1}}`), []byte(`{"user_metadata":{"a.b":1}}`))
		}, "", []codeAt{{metamerge.CodeInvalidKey, "/user_metadata/a.b"}}},
		{"Diff3: base is a document like the others: nil is invalid_json", func() ([]byte, error) {
			return user.Diff3(nil, []byte(`{}`), []byte(`{"name":"x"}`))
		}, "", []codeAt{{metamerge.CodeInvalidJSON, ""}}},
		{"Diff3: {} is the base of a caller who set nothing", func() ([]byte, error) {
			return user.Diff3([]byte(`{}`), []byte(`{}`), []byte(`{"name":"x"}`))
		}, `{}`, nil},
	}
	for _, tc := range tests {
		out, err := tc.run()
		if diff := cmp.Diff(tc.errs, codesOf(err)); diff != "" {
			t.Errorf("%s: errors (-want +got):\n%s", tc.promise, diff)
			continue
		}
		if tc.errs == nil && string(out) != tc.want {
			t.Errorf("%s: got %s, want %s", tc.promise, out, tc.want)
		}
	}
	for _, name := range metamerge.AppMetadata().Reserved {
		if strings.ContainsAny(name, ".$") {
			t.Errorf(`R8: no reserved name contains "." or "$", but %q does`, name)
		}
	}
}
