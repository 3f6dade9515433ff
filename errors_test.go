package metamerge_test

// Do errors carry the right fields, texts and sentinels?

import (
	"encoding/json"
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
	Found   string
}

func fieldsOf(t *testing.T, err error) []errorFields {
	t.Helper()
	var out []errorFields
	for _, e := range leafErrors(t, err) {
		out = append(out, errorFields{e.Code, e.Pointer, e.Stored, e.Offset, e.Limit, e.Actual, e.Found})
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
			[]errorFields{{Code: metamerge.CodeNotObject, Pointer: "/user_metadata", Offset: 17, Found: "array"}}},
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
		name string
		err  func() error
		want []string
	}{
		{"dotted name", func() error {
			_, err := metamerge.MergeUser([]byte(`{}`), []byte(`{"user_metadata":{"a.b":1}}`))
			return err
		},
			[]string{`Fields with "." are not allowed, please remove all dotted fields. Example: user_metadata.foo.bar`}},
		{"dollar name has no known text", func() error {
			_, err := metamerge.MergeUser([]byte(`{}`), []byte(`{"app_metadata":{"$a":1}}`))
			return err
		},
			[]string{""}},
		{"reserved name has no known text", func() error {
			_, err := metamerge.MergeUser([]byte(`{}`), []byte(`{"app_metadata":{"email":1}}`))
			return err
		},
			[]string{""}},
		{"field not an object", func() error { _, err := metamerge.MergeUser([]byte(`{}`), []byte(`{"user_metadata":"x"}`)); return err },
			[]string{"Payload validation error: 'Expected type object but found type string' on property user_metadata"}},
		{"client schema texts", func() error {
			_, err := metamerge.MergeClient([]byte(`{"client_metadata":{"a":"","b":"","c":"","d":"","e":"","f":"","g":"","h":"","i":"","j":""}}`),
				[]byte(`{"client_metadata":{"n":1,"s":"`+strings.Repeat("x", 300)+`"}}`))
			return err
		}, []string{
			"Payload validation error: 'Too many properties defined (12), maximum 10' on property client_metadata",
			"Payload validation error: 'Expected type string but found type number' on property client_metadata.n",
			"Payload validation error: 'String is too long (300 chars), maximum 255' on property client_metadata.s",
		}},
		{"signup texts", func() error { return metamerge.ValidateSignup([]byte(`{"a~b":[],"c":{}}`)) },
			[]string{"invalid user_metadata.a~b type (only strings are allowed)", "invalid user_metadata.c type (only strings are allowed)"}},
		{"signup not an object", func() error { return metamerge.ValidateSignup([]byte(`[]`)) },
			[]string{"invalid user_metadata type (expected object)"}},
		{"same errors without Signup", func() error { return metamerge.FieldRules{Policy: metamerge.Signup()}.Validate([]byte(`[]`)) },
			[]string{"Payload validation error: 'Expected type object but found type array'"}},
		{"stored document has no text", func() error { _, err := metamerge.MergeUser([]byte(`[]`), []byte(`{}`)); return err },
			[]string{""}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, e := range leafErrors(t, tc.err()) {
				got = append(got, e.Auth0Message())
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s: (-want +got):\n%s", tc.name, diff)
			}
		})
	}
}

// TestErrors checks that Errors lists the *Error values of every shape of
// error, in order.
func TestErrors(t *testing.T) {
	a := &metamerge.Error{Code: metamerge.CodeNotString, Pointer: "/a", Offset: 1}
	b := &metamerge.Error{Code: metamerge.CodeInvalidKey, Pointer: "/b", Offset: 2}
	tests := []struct {
		name string
		err  error
		want []*metamerge.Error
	}{
		{"nil", nil, nil},
		{"one", a, []*metamerge.Error{a}},
		{"joined", errors.Join(a, b), []*metamerge.Error{a, b}},
		{"wrapped one", fmt.Errorf("patch: %w", a), []*metamerge.Error{a}},
		{"wrapped joined", fmt.Errorf("patch: %w", errors.Join(a, b)), []*metamerge.Error{a, b}},
		{"not ours", errors.New("metamerge: UserRules.Limits.MaxDepth is -1"), nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, metamerge.Errors(tc.err)); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.name, diff)
			}
		})
	}
}

// TestErrorIsPlainData checks that an *Error has exported fields only:
// cmp.Diff compares lists of them without options, and equal fields mean
// equal behaviour.
func TestErrorIsPlainData(t *testing.T) {
	_, err := metamerge.MergeClient([]byte(`{}`), []byte(`{"client_metadata":{"n":1,"a.b":""}}`))
	got := metamerge.Errors(err)
	want := []*metamerge.Error{
		{Code: metamerge.CodeNotString, Pointer: "/client_metadata/n", Offset: 24, Found: "number"},
		{Code: metamerge.CodeInvalidKey, Pointer: "/client_metadata/a.b", Offset: 26},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("(-want +got):\n%s", diff)
	}
	for i := range want {
		if want[i].Error() != got[i].Error() || want[i].Auth0Message() != got[i].Auth0Message() {
			t.Errorf("equal fields, different behaviour: %v / %v", want[i], got[i])
		}
	}
}

func TestErrorJSON(t *testing.T) {
	tests := []struct {
		name string
		err  *metamerge.Error
		want string
	}{
		{"limits", &metamerge.Error{Code: metamerge.CodeValueTooLong, Pointer: "/client_metadata/c", Offset: 24, Limit: 255, Actual: 256},
			`{"code":"value_too_long","pointer":"/client_metadata/c","offset":24,"limit":255,"actual":256,"message":"metamerge: \"/client_metadata/c\": value_too_long (256 \u003e 255)"}`},
		{"stored root", &metamerge.Error{Code: metamerge.CodeNotObject, Stored: true, Offset: 0, Found: "array"},
			`{"code":"not_object","pointer":"","stored":true,"offset":0,"found":"array","message":"metamerge: stored document: document root: not_object"}`},
		{"cut list", &metamerge.Error{Code: metamerge.CodeTooManyErrors, Offset: -1, Limit: 100, Actual: 250, Signup: true},
			`{"code":"too_many_errors","pointer":"","limit":100,"actual":250,"signup":true,"message":"metamerge: document root: too_many_errors (250 \u003e 100)"}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := json.Marshal(tc.err)
			if err != nil || string(got) != tc.want {
				t.Errorf("%s:\ngot  %s %v\nwant %s", tc.name, got, err, tc.want)
			}
		})
	}
}

// TestLongPointerMessage checks that Error() shortens a long pointer, at a
// character boundary, while the Pointer field stays exact.
func TestLongPointerMessage(t *testing.T) {
	name := strings.Repeat("é", 5000) + "."
	_, err := metamerge.MergeUser([]byte(`{}`), []byte(`{"user_metadata":{"`+name+`":1}}`))
	e := leafErrors(t, err)[0]
	if e.Pointer != "/user_metadata/"+name {
		t.Fatalf("pointer not exact: %d bytes", len(e.Pointer))
	}
	msg := e.Error()
	want := `metamerge: "/user_metadata/` + strings.Repeat("é", 52) + `"... (10016 bytes): invalid_key`
	if msg != want {
		t.Errorf("message:\ngot  %s\nwant %s", msg, want)
	}
}
