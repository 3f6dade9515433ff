package conformance_test

import (
	"strings"
	"testing"

	"github.com/metamerge/metamerge/conformance"
)

// TestHTTPProfileTag holds the http tag of the vector files, which other
// languages read, to what HTTPReason finds mechanically expressible: a
// tagged case is expressible, and an expressible case is tagged or says
// in no_http why it is left out.
func TestHTTPProfileTag(t *testing.T) {
	n := 0
	for _, c := range conformance.Vectors() {
		reason := conformance.HTTPReason(c)
		switch {
		case c.HTTP && c.NoHTTP != "":
			t.Errorf("%s: both http and no_http", c.Name)
		case c.HTTP && reason != "":
			t.Errorf("%s: tagged http, but %s", c.Name, reason)
		case !c.HTTP && reason == "" && c.NoHTTP == "":
			t.Errorf("%s: HTTP can express it: tag it http, or say why not in no_http", c.Name)
		case c.NoHTTP != "" && reason != "":
			t.Errorf("%s: no_http on a case HTTP cannot express anyway (%s)", c.Name, reason)
		}
		if c.HTTP {
			n++
		}
	}
	if n < 100 {
		t.Errorf("only %d cases in the HTTP profile", n)
	}
}

// TestHTTPReason: each case breaks one condition of the profile, and the
// reason names it; the first is expressible.
func TestHTTPReason(t *testing.T) {
	for _, tt := range []struct {
		name, op, stored, patch string
		opt                     conformance.Options
		want                    string // a part of the reason; "" for expressible
	}{
		{"expressible user", "merge_user", `{"user_id":"x","user_metadata":{"a":{"b":null}},"app_metadata":{"t":1}}`, `{"user_metadata":{"a":1}}`, conformance.Options{}, ""},
		{"expressible client", "merge_client", `{"client_metadata":{"a":"b"}}`, `{"client_metadata":{"a":null}}`, conformance.Options{}, ""},
		{"invalid patch is sent as is", "merge_user", `{}`, `{"user_metadata":{,}`, conformance.Options{}, ""},
		{"op without an endpoint", "merge", `{}`, `{}`, conformance.Options{}, "op merge has no Management API endpoint"},
		{"option", "merge_user", `{}`, `{}`, conformance.Options{MaxDepth: 5}, "option max_depth"},
		{"invalid stored", "merge_user", `{"a":1,}`, `{}`, conformance.Options{}, "not one that a create request can make"},
		{"stored array", "merge_user", `[]`, `{}`, conformance.Options{}, "not one that a create request can make"},
		{"legacy field", "merge_user", `{"user_metadata":"x"}`, `{}`, conformance.Options{}, "not_object"},
		{"stored dotted name", "merge_user", `{"user_metadata":{"a.b":1}}`, `{}`, conformance.Options{}, "invalid_key"},
		{"stored null member", "merge_user", `{"user_metadata":{"a":null}}`, `{}`, conformance.Options{}, "user_metadata of the stored document"},
		{"stored empty app_metadata", "merge_user", `{"app_metadata":{}}`, `{}`, conformance.Options{}, "app_metadata of the stored document"},
		{"eleven client keys", "merge_client", `{"client_metadata":{"1":"","2":"","3":"","4":"","5":"","6":"","7":"","8":"","9":"","10":"","11":""}}`, `{}`, conformance.Options{}, "too_many_keys"},
		{"root member", "merge_user", `{}`, `{"name":"x","user_metadata":{}}`, conformance.Options{}, `root member "name"`},
		{"user field on a client", "merge_client", `{}`, `{"user_metadata":{}}`, conformance.Options{}, `root member "user_metadata"`},
	} {
		c := conformance.Case{Name: tt.name, Input: conformance.Input{Op: tt.op, Stored: []byte(tt.stored), Patch: []byte(tt.patch), Options: tt.opt}}
		got := conformance.HTTPReason(c)
		if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
			t.Errorf("%s: reason %q, want one with %q", tt.name, got, tt.want)
		}
	}
}

// TestSameJSON is the comparison of the HTTP profile: meaning and member
// order, never text.
func TestSameJSON(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want bool
		why  string
	}{
		{`{"a":1}`, `{ "a" : 1.0 }`, true, "number text and white space are a server's"},
		{`{"a":"\u00e9"}`, `{"a":"é"}`, true, "escapes are decoded"},
		{`{"big":1E400,"z":-0}`, `{"big":1E400,"z":-0}`, true, "numbers no float holds"},
		{`{"a":1,"b":2}`, `{"b":2,"a":1}`, false, "root member order (H6)"},
		{`{"a":{"x":1,"y":2}}`, `{"a":{"y":2,"x":1}}`, false, "nested member order"},
		{`{"a":[1,{"x":1,"y":2}]}`, `{"a":[1,{"x":1,"y":2}]}`, true, "objects in arrays"},
		{`{"a":{"b":1}}`, `{"a":{"b":1,"c":2}}`, false, "a deep merge"},
		{`{}`, ``, false, "{} is not absent"},
		{`{"a":null}`, `{}`, false, "a null member is not an absent one"},
	} {
		var a, b []byte
		if tt.a != "" {
			a = []byte(tt.a)
		}
		if tt.b != "" {
			b = []byte(tt.b)
		}
		if got := conformance.SameJSON(a, b); got != tt.want {
			t.Errorf("%s: SameJSON(%s, %s) = %v", tt.why, tt.a, tt.b, got)
		}
	}
}
