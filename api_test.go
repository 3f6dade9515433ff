package metamerge_test

import (
	"errors"
	"fmt"
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
	ignored := metamerge.ClientMetadata()
	ignored.Empty = metamerge.EmptyIgnored
	got, err := metamerge.FieldRules{Policy: ignored}.Merge(stored, []byte(`{}`))
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
	anyName := metamerge.Policy{Names: metamerge.NamesAny}
	tests := []struct {
		name, why string
		rules     metamerge.FieldRules
		stored    []byte
		patch     string
		want      string
		wantErr   []errorFields
	}{
		{"no rules", "NamesAny and no limits merge anything but depth", metamerge.FieldRules{Policy: anyName}, []byte(`{"a.b":1}`),
			`{"$x":[1],"a.b":null}`, `{"$x":[1]}`, nil},
		{"default depth", "MaxDepth 0 means the default of 100", metamerge.FieldRules{Policy: anyName}, deep(101), `{}`, "",
			[]errorFields{{Code: metamerge.CodeTooDeep, Pointer: strings.Repeat("/0", 100), Stored: true, Offset: 100, Limit: 100, Actual: 101}}},
		{"deeper limit", "MaxDepth may be raised up to 10,000", metamerge.FieldRules{Policy: anyName, Limits: metamerge.Limits{MaxDepth: 10_000}},
			deep(5000), `{"a":1}`, `{"a":1}`, nil},
		{"custom reserved", "Reserved works for any policy", metamerge.FieldRules{Policy: metamerge.Policy{Names: metamerge.NamesAny, Reserved: []string{"role"}}}, nil,
			`{"role":"x"}`, "", []errorFields{{Code: metamerge.CodeReservedKey, Pointer: "/role", Offset: 1}}},
		{"key length in bytes", "Unit applies to names too", metamerge.FieldRules{Policy: metamerge.Policy{Names: metamerge.NamesAny, MaxKeyLen: 2, Unit: metamerge.UnitBytes}}, nil,
			`{"é":1,"éa":2}`, "", []errorFields{{Code: metamerge.CodeKeyTooLong, Pointer: "/éa", Offset: 8, Limit: 2, Actual: 3}}},
		{"input size", "MaxDocumentBytes caps each input before anything else (H10)", metamerge.FieldRules{Policy: anyName, Limits: metamerge.Limits{MaxDocumentBytes: 8}},
			[]byte(`{"a":1,"b":2}`), `{"c":3}`, "", []errorFields{{Code: metamerge.CodeTooLarge, Stored: true, Offset: -1, Limit: 8, Actual: 13}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.rules.Merge(tc.stored, []byte(tc.patch))
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
	for _, s := range []error{metamerge.CodeInvalidKey, metamerge.CodeNotString, metamerge.CodeValueTooLong} {
		if !errors.Is(err, s) {
			t.Errorf("errors.Is(err, %v) = false", s)
		}
	}
	if errors.Is(err, metamerge.CodeTooManyKeys) {
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

func TestCodesAreSentinels(t *testing.T) {
	codes := []metamerge.Code{
		metamerge.CodeInvalidJSON, metamerge.CodeDuplicateKey, metamerge.CodeTooDeep, metamerge.CodeTooLarge,
		metamerge.CodeNotObject, metamerge.CodeNotString, metamerge.CodeInvalidKey, metamerge.CodeReservedKey,
		metamerge.CodeTooManyKeys, metamerge.CodeKeyTooLong, metamerge.CodeValueTooLong, metamerge.CodeTooManyErrors,
	}
	for _, c := range codes {
		e := &metamerge.Error{Code: c}
		if !errors.Is(e, c) {
			t.Errorf("code %s: errors.Is(&Error{Code: %[1]s}, %[1]s) is false", c)
		}
		for _, other := range codes {
			if other != c && errors.Is(e, other) {
				t.Errorf("code %s matches %s", c, other)
			}
		}
		if want := string(c); c.Error() != want || fmt.Sprint(c) != want {
			t.Errorf("code %s: Error() = %q, want %q", c, c.Error(), want)
		}
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

// TestResultCapacityFits checks that a result does not keep the memory of
// large inputs alive: its spare capacity is at most a sixteenth of its
// length (plus 64 bytes), whatever the inputs.
func TestResultCapacityFits(t *testing.T) {
	big := `"` + strings.Repeat("x", 4<<20) + `"`
	tests := []struct {
		name, why     string
		stored, patch string
	}{
		{"big key deleted", "a 4 MB profile merged into a few bytes", `{"user_metadata":{"big":` + big + `,"a":1}}`, `{"user_metadata":{"big":null}}`},
		{"big member removed", "R10 removes a root member", `{"blob":` + big + `,"a":1}`, `{"blob":null}`},
		{"big patch replaced", "a big patch value then a small one", `{}`, `{"a":1,"a2":null}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := metamerge.MergeUser([]byte(tc.stored), []byte(tc.patch))
			if err != nil {
				t.Fatal(err)
			}
			if spare := cap(got) - len(got); spare > len(got)/16+64 {
				t.Errorf("%s (%s): result of %d bytes has capacity %d", tc.name, tc.why, len(got), cap(got))
			}
		})
	}
}
