package metamerge_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/metamerge/metamerge"
)

// errorFields is what a test compares of an *Error.
type errorFields struct {
	Code    metamerge.Code
	Pointer string
	Stored  bool
	Offset  int
	Limit   int
	Actual  int
}

func fieldsOf(t *testing.T, err error) []errorFields {
	t.Helper()
	var out []errorFields
	for _, e := range leafErrors(t, err) {
		out = append(out, errorFields{e.Code, e.Pointer, e.Stored, e.Offset, e.Limit, e.Actual})
	}
	return out
}

// TestErrorFields checks the located fields that the vectors leave out:
// offsets, limits and measured values.
func TestErrorFields(t *testing.T) {
	emoji := strings.Repeat("😀", 128)
	tests := []struct {
		name, why     string
		stored, patch string
		client        bool
		want          []errorFields
	}{
		{"syntax offset", "invalid_json says at which byte", `{}`, `{"a":[1,]}`, false,
			[]errorFields{{Code: metamerge.CodeInvalidJSON, Offset: 8}}},
		{"stored syntax offset", "the offset is in the stored document", `{"a":x}`, `{}`, false,
			[]errorFields{{Code: metamerge.CodeInvalidJSON, Stored: true, Offset: 5}}},
		{"duplicate offset", "the offset of the repeated name", `{}`, `{"a":1,"a":2}`, false,
			[]errorFields{{Code: metamerge.CodeDuplicateKey, Pointer: "/a", Offset: 7}}},
		{"value length in units", "Actual is the length in UTF-16 code units", `{}`, `{"client_metadata":{"a":"` + emoji + `"}}`, true,
			[]errorFields{{Code: metamerge.CodeValueTooLong, Pointer: "/client_metadata/a", Offset: 24, Limit: 255, Actual: 256}}},
		{"key count", "Actual is the larger of the patch's and the merged count", `{"client_metadata":{"a":"1","b":"2"}}`,
			`{"client_metadata":{"k0":"","k1":"","k2":"","k3":"","k4":"","k5":"","k6":"","k7":"","k8":""}}`, true,
			[]errorFields{{Code: metamerge.CodeTooManyKeys, Pointer: "/client_metadata", Offset: 19, Limit: 10, Actual: 11}}},
		{"not an object", "the offset of the value", `{}`, `{"user_metadata":[]}`, false,
			[]errorFields{{Code: metamerge.CodeNotObject, Pointer: "/user_metadata", Offset: 17}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			merge := metamerge.MergeUser
			if tc.client {
				merge = metamerge.MergeClient
			}
			got, err := merge([]byte(tc.stored), []byte(tc.patch))
			if got != nil {
				t.Errorf("result %q with an error", got)
			}
			if diff := cmp.Diff(tc.want, fieldsOf(t, err)); diff != "" {
				t.Errorf("%s (%s): (-want +got):\n%s", tc.name, tc.why, diff)
			}
		})
	}
}

// TestDefaultMetadataSizeLimit checks R9's default of 16 MiB on both sides
// of the boundary, which is too large for a vector.
func TestDefaultMetadataSizeLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("builds 32 MiB of input")
	}
	// {"a":"xx…x","b":1} is n+14 bytes.
	stored := func(n int) []byte {
		return []byte(`{"user_metadata":{"a":"` + strings.Repeat("x", n) + `"}}`)
	}
	patch := []byte(`{"user_metadata":{"b":1}}`)
	n := metamerge.MaxMetadataBytes - 14
	got, err := metamerge.MergeUser(stored(n), patch)
	if err != nil {
		t.Fatalf("exactly 16 MiB: %v", err)
	}
	if want := len(`{"user_metadata":}`) + metamerge.MaxMetadataBytes; len(got) != want {
		t.Fatalf("merged profile is %d bytes, want %d", len(got), want)
	}
	_, err = metamerge.MergeUser(stored(n+1), patch)
	want := []errorFields{{Code: metamerge.CodeTooLarge, Pointer: "/user_metadata", Offset: 17, Limit: 16 << 20, Actual: 16<<20 + 1}}
	if diff := cmp.Diff(want, fieldsOf(t, err)); diff != "" {
		t.Errorf("one byte over 16 MiB (-want +got):\n%s", diff)
	}
}

// TestResultDoesNotAlias checks that a result never shares memory with an
// input, even when nothing changed.
func TestResultDoesNotAlias(t *testing.T) {
	stored := []byte(`{"a":"1"}`)
	got, err := metamerge.Merge(stored, []byte(`{}`), metamerge.ClientMetadata())
	if err != nil || string(got) != `{"a":"1"}` {
		t.Fatalf("got %q, %v", got, err)
	}
	got[0] = 'X'
	if string(stored) != `{"a":"1"}` {
		t.Fatalf("writing to the result changed the input: %q", stored)
	}
}

func TestPolicyKnobs(t *testing.T) {
	deep := func(n int) []byte {
		return []byte(strings.Repeat("[", n) + strings.Repeat("]", n))
	}
	tests := []struct {
		name, why string
		policy    metamerge.Policy
		stored    []byte
		patch     string
		want      string
		wantErr   []errorFields
	}{
		{"zero policy", "merges without limits but depth", metamerge.Policy{}, []byte(`{"a.b":1}`),
			`{"$x":[1],"a.b":null}`, `{"$x":[1]}`, nil},
		{"zero policy depth", "MaxDepth 0 means the default of 100", metamerge.Policy{}, deep(101), `{}`, "",
			[]errorFields{{Code: metamerge.CodeTooDeep, Pointer: strings.Repeat("/0", 100), Stored: true, Offset: 100, Limit: 100, Actual: 101}}},
		{"no depth limit", "a negative MaxDepth lifts the limit", metamerge.Policy{MaxDepth: -1}, deep(5000), `{"a":1}`, `{"a":1}`, nil},
		{"custom reserved", "Reserved works for any policy", metamerge.Policy{Reserved: []string{"role"}}, nil,
			`{"role":"x"}`, "", []errorFields{{Code: metamerge.CodeReservedKey, Pointer: "/role", Offset: 1}}},
		{"key length in bytes", "Unit applies to names too", metamerge.Policy{MaxKeyLen: 2, Unit: metamerge.Bytes}, nil,
			`{"é":1,"éa":2}`, "", []errorFields{{Code: metamerge.CodeKeyTooLong, Pointer: "/éa", Offset: 8, Limit: 2, Actual: 3}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := metamerge.Merge(tc.stored, []byte(tc.patch), tc.policy)
			if diff := cmp.Diff(tc.wantErr, fieldsOf(t, err)); diff != "" {
				t.Fatalf("%s (%s): errors (-want +got):\n%s", tc.name, tc.why, diff)
			}
			if tc.wantErr == nil && string(got) != tc.want {
				t.Fatalf("%s (%s): got %q, want %q", tc.name, tc.why, got, tc.want)
			}
		})
	}
}

func TestErrorAPI(t *testing.T) {
	_, err := metamerge.MergeClient([]byte(`{}`), []byte(`{"client_metadata":{"a.b":1,"c":"`+strings.Repeat("x", 256)+`"}}`))
	want := []string{
		`metamerge: "/client_metadata/a.b": invalid_key`,
		`metamerge: "/client_metadata/a.b": not_string`,
		`metamerge: "/client_metadata/c": value_too_long (256 > 255)`,
	}
	var got []string
	for _, e := range leafErrors(t, err) {
		got = append(got, e.Error())
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("messages (-want +got):\n%s", diff)
	}
	for _, s := range []error{metamerge.ErrInvalidKey, metamerge.ErrNotString, metamerge.ErrValueTooLong} {
		if !errors.Is(err, s) {
			t.Errorf("errors.Is(err, %v) = false", s)
		}
	}
	if errors.Is(err, metamerge.ErrTooManyKeys) {
		t.Error("errors.Is matched a code the error does not hold")
	}
	var e *metamerge.Error
	if !errors.As(err, &e) || e.Code != metamerge.CodeInvalidKey {
		t.Errorf("errors.As gave %v, want the first violation", e)
	}

	_, err = metamerge.MergeUser([]byte(`[]`), []byte(`{}`))
	if !errors.As(err, &e) || e.Error() != "metamerge: stored document: document root: not_object" {
		t.Errorf("stored not_object message: %v", err)
	}
	_, err = metamerge.MergeUser([]byte(`{}`), []byte(`{"a":}`))
	if !errors.As(err, &e) || e.Error() != "metamerge: offset 5: invalid_json" {
		t.Errorf("invalid_json message: %v", err)
	}
}

func TestCodesHaveSentinels(t *testing.T) {
	codes := []metamerge.Code{
		metamerge.CodeInvalidJSON, metamerge.CodeDuplicateKey, metamerge.CodeTooDeep, metamerge.CodeTooLarge,
		metamerge.CodeNotObject, metamerge.CodeNotString, metamerge.CodeInvalidKey, metamerge.CodeReservedKey,
		metamerge.CodeTooManyKeys, metamerge.CodeKeyTooLong, metamerge.CodeValueTooLong,
	}
	seen := map[error]bool{}
	for _, c := range codes {
		s := c.Sentinel()
		if s == nil || seen[s] {
			t.Errorf("code %s: sentinel %v missing or shared", c, s)
		}
		seen[s] = true
		if !errors.Is(&metamerge.Error{Code: c}, s) {
			t.Errorf("code %s does not unwrap to its sentinel", c)
		}
	}
	if metamerge.Code("nope").Sentinel() != nil {
		t.Error("unknown code has a sentinel")
	}
}

func TestAuth0Message(t *testing.T) {
	tests := []struct {
		name, patch string
		want        []string
	}{
		{"dotted name", `{"user_metadata":{"a.b":1}}`,
			[]string{`Fields with "." are not allowed, please remove all dotted fields. Example: user_metadata.foo.bar`}},
		{"dollar name has no known text", `{"app_metadata":{"$a":1}}`, []string{""}},
		{"reserved name has no known text", `{"app_metadata":{"email":1}}`, []string{""}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := metamerge.MergeUser([]byte(`{}`), []byte(tc.patch))
			var got []string
			for _, e := range leafErrors(t, err) {
				got = append(got, e.Auth0Message())
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s: (-want +got):\n%s", tc.name, diff)
			}
		})
	}
}
