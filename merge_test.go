package metamerge_test

// Do the merges follow the policy's knobs, and leave inputs alone?

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/metamerge/metamerge"
)

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
	n := metamerge.UserMetadata().MaxBytes - 14
	got, err := metamerge.MergeUser(stored(n), patch)
	if err != nil {
		t.Fatalf("exactly 16 MiB: %v", err)
	}
	if want := len(`{"user_metadata":}`) + metamerge.UserMetadata().MaxBytes; len(got) != want {
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

// TestResultCapacityFits checks that a result does not keep the memory of
// large inputs alive: its spare capacity is at most an eighth of its
// length (plus 512 bytes), whatever the inputs.
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
			if spare := cap(got) - len(got); spare > len(got)/8+512 {
				t.Errorf("%s (%s): result of %d bytes has capacity %d", tc.name, tc.why, len(got), cap(got))
			}
		})
	}
}

// TestCheck checks the PATCH-alone entry points: the rules of the patch
// hold, the rules of the merged result do not apply, and the stages come
// in order.
func TestCheck(t *testing.T) {
	tests := []struct {
		name, why string
		check     func([]byte) error
		patch     string
		want      []errorFields
	}{
		{"valid", "nothing to report", metamerge.UserRules{}.Check, `{"user_metadata":{"a":{"b":[1]}},"app_metadata":{}}`, nil},
		{"nested name", "R7 at depth", metamerge.UserRules{}.Check, `{"user_metadata":{"a":[{},{"b.c":1}]}}`,
			[]errorFields{{Code: metamerge.CodeInvalidKey, Pointer: "/user_metadata/a/1/b.c", Offset: 27}}},
		{"field not an object", "R1", metamerge.UserRules{}.Check, `{"app_metadata":[]}`,
			[]errorFields{{Code: metamerge.CodeNotObject, Pointer: "/app_metadata", Offset: 16, Found: "array"}}},
		{"patch count", "C4 counts the patch's keys", metamerge.ClientRules{}.Check,
			`{"client_metadata":{"a":"","b":"","c":"","d":"","e":"","f":"","g":"","h":"","i":"","j":"","k":null}}`,
			[]errorFields{{Code: metamerge.CodeTooManyKeys, Pointer: "/client_metadata", Offset: 19, Limit: 10, Actual: 11}}},
		{"not JSON", "stage 2 first", metamerge.ClientRules{}.Check, `{"client_metadata":{"a":1}`,
			[]errorFields{{Code: metamerge.CodeInvalidJSON, Offset: 26}}},
		{"not an object", "stage 3", metamerge.UserRules{}.Check, `[]`,
			[]errorFields{{Code: metamerge.CodeNotObject, Offset: 0, Found: "array"}}},
		{"field alone", "FieldRules.Check: null is allowed in a patch", metamerge.FieldRules{Policy: metamerge.ClientMetadata()}.Check, `{"a":null,"b":2}`,
			[]errorFields{{Code: metamerge.CodeNotString, Pointer: "/b", Offset: 14, Found: "number"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, fieldsOf(t, tc.check([]byte(tc.patch)))); diff != "" {
				t.Errorf("%s (%s): (-want +got):\n%s", tc.name, tc.why, diff)
			}
		})
	}
	// The merged count is Merge's business: nine stored keys and two new
	// ones pass Check and fail Merge.
	stored := []byte(`{"client_metadata":{"a":"","b":"","c":"","d":"","e":"","f":"","g":"","h":"","i":""}}`)
	patch := []byte(`{"client_metadata":{"j":"","k":""}}`)
	if err := (metamerge.ClientRules{}).Check(patch); err != nil {
		t.Errorf("Check: %v", err)
	}
	if _, err := metamerge.MergeClient(stored, patch); !errors.Is(err, metamerge.CodeTooManyKeys) {
		t.Errorf("Merge: %v, want too_many_keys", err)
	}
}

// TestValidateKnobs checks that FieldRules.Validate honours every field of
// the policy: MaxBytes measures the object as a merge would emit it, and
// Empty, which never makes an error, changes nothing.
func TestValidateKnobs(t *testing.T) {
	small := metamerge.Policy{Names: metamerge.NamesAny, MaxBytes: 13}
	tests := []struct {
		name, why string
		policy    metamerge.Policy
		doc       string
		want      []errorFields
	}{
		{"at MaxBytes", `{"a":1,"b":2} is 13 bytes as emitted, white space aside`, small, `{ "a" : 1 , "b" : 2 }`, nil},
		{"over MaxBytes", "14 bytes", small, `{"a":1,"b":22}`,
			[]errorFields{{Code: metamerge.CodeTooLarge, Offset: 0, Limit: 13, Actual: 14}}},
		{"empty object", "{} is 2 bytes", metamerge.Policy{Names: metamerge.NamesAny, MaxBytes: 1}, `{}`,
			[]errorFields{{Code: metamerge.CodeTooLarge, Offset: 0, Limit: 1, Actual: 2}}},
		{"Empty removes", "no error from Empty", metamerge.AppMetadata(), `{}`, nil},
		{"null counts", "MaxKeys counts null members, which remove nothing here", metamerge.Policy{Names: metamerge.NamesAny, MaxKeys: 1}, `{"a":null,"b":null}`,
			[]errorFields{{Code: metamerge.CodeTooManyKeys, Offset: 0, Limit: 1, Actual: 2}}},
		{"null not a string", "StringValues rejects null in a complete object", metamerge.ClientMetadata(), `{"a":null}`,
			[]errorFields{{Code: metamerge.CodeNotString, Pointer: "/a", Offset: 5, Found: "null"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := metamerge.FieldRules{Policy: tc.policy}.Validate([]byte(tc.doc))
			if diff := cmp.Diff(tc.want, fieldsOf(t, err)); diff != "" {
				t.Errorf("%s (%s): (-want +got):\n%s", tc.name, tc.why, diff)
			}
		})
	}
}
