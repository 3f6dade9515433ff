package conformance_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/metamerge/metamerge/conformance"
)

func TestReferencePassesEverything(t *testing.T) {
	for _, c := range conformance.Vectors() {
		got := conformance.Reference(c.Input)
		if got.Skipped != "" {
			t.Errorf("%s: the reference skipped it: %s", c.Name, got.Skipped)
		}
		if d := c.Check(got); d != "" {
			t.Errorf("%s: %s", c.Name, d)
		}
	}
}

// TestWireRoundTrip encodes every input and answer of the suite as the
// protocol does and decodes it back.
func TestWireRoundTrip(t *testing.T) {
	for _, c := range conformance.Vectors() {
		b, err := json.Marshal(c.Input)
		if err != nil {
			t.Fatal(err)
		}
		var in conformance.Input
		if err := json.Unmarshal(b, &in); err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		if diff := cmp.Diff(c.Input, in); diff != "" {
			t.Errorf("%s: input (-before +after):\n%s", c.Name, diff)
		}
		b, err = json.Marshal(c.Want)
		if err != nil {
			t.Fatal(err)
		}
		var out conformance.Output
		if err := json.Unmarshal(b, &out); err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		if d := c.Check(out); d != "" {
			t.Errorf("%s: the answer does not survive the wire: %s", c.Name, d)
		}
	}
}

func TestOutputUnmarshalRejects(t *testing.T) {
	for _, line := range []string{`{}`, `{"result":null,"errors":[{"code":"x","pointer":""}]}`, `{"result":1}`, `{"skipped":"x","result":"{}"}`, `[]`} {
		var out conformance.Output
		if err := json.Unmarshal([]byte(line), &out); err == nil {
			t.Errorf("%s: accepted as %+v", line, out)
		}
	}
	var out conformance.Output
	if err := json.Unmarshal([]byte(`{"errors":[]}`), &out); err != nil || out.Result != nil || out.Errors != nil {
		t.Errorf(`{"errors":[]}: %+v, %v; want no errors and no result`, out, err)
	}
}

func TestCheck(t *testing.T) {
	byName := map[string]conformance.Case{}
	for _, c := range conformance.Vectors() {
		byName[c.Name] = c
	}
	tests := []struct {
		name, reason string
		got          conformance.Output
		want         []string // lines the account must hold; none: the answer is right
	}{
		{"user-add-key", "right answer", conformance.Output{Result: []byte(`{"user_id":"auth0|1","user_metadata":{"a":1,"b":2}}`)}, nil},
		{"user-add-key", "one member differs: a one-line diff", conformance.Output{Result: []byte(`{"user_id":"auth0|1","user_metadata":{"a":1,"b":3}}`)},
			[]string{`-     "b": 2`, `+     "b": 3`}},
		{"user-add-key", "white space differs: shown quoted", conformance.Output{Result: []byte(`{"user_id":"auth0|1","user_metadata":{"a":1, "b":2}}`)},
			[]string{"differs in form only", `1, \"b\":2}}"`}},
		{"user-add-key", "errors instead of a result", conformance.Output{Errors: []conformance.Violation{{Code: "invalid_key", Pointer: "/user_metadata/b"}}},
			[]string{"want result:", `+ invalid_key at "/user_metadata/b"`}},
		{"user-add-key", "a result with errors breaks H7", conformance.Output{Result: []byte(`{}`), Errors: []conformance.Violation{{Code: "invalid_key", Pointer: ""}}},
			[]string{"a result came back with errors (H7)"}},
		{"user-add-key", "skipped: not judged", conformance.Output{Skipped: "not mine"}, nil},
		{"user-dot-key", "a missing error", conformance.Output{Result: []byte(`{}`)}, []string{"want errors, got result:", `- invalid_key at "/user_metadata/a.b"`}},
		{"signup-number-value", "an Auth0 message that differs", conformance.Output{Errors: []conformance.Violation{{Code: "not_string", Pointer: "/age", Auth0Message: "wrong"}}},
			[]string{`message "wrong"`}},
		{"signup-number-value", "no Auth0 message: not compared", conformance.Output{Errors: []conformance.Violation{{Code: "not_string", Pointer: "/age"}}}, nil},
	}
	for _, tt := range tests {
		c, ok := byName[tt.name]
		if !ok {
			t.Fatalf("no case %s", tt.name)
		}
		got := c.Check(tt.got)
		if len(tt.want) == 0 && got != "" {
			t.Errorf("%s (%s): want no difference, got:\n%s", tt.name, tt.reason, got)
		}
		if len(tt.want) > 0 && got == "" {
			t.Errorf("%s (%s): want a difference, got none", tt.name, tt.reason)
		}
		for _, w := range tt.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s (%s): the account lacks %q:\n%s", tt.name, tt.reason, w, got)
			}
		}
	}
}

func TestLoadRejects(t *testing.T) {
	good := `{"name":"a","comment":"c","rules":["R3"],"op":"merge_user","stored":"{}","patch":"{}","result":"{}"}`
	tests := []struct{ reason, file string }{
		{"both result and errors", `{"description":"d","cases":[{"name":"a","comment":"c","rules":["R3"],"op":"merge_user","stored":"{}","patch":"{}","result":"{}","errors":[]}]}`},
		{"neither result nor errors", `{"description":"d","cases":[{"name":"a","comment":"c","rules":["R3"],"op":"merge_user","stored":"{}","patch":"{}"}]}`},
		{"an unknown field", `{"description":"d","cases":[{"name":"a","comment":"c","rules":["R3"],"op":"merge_user","stored":"{}","patch":"{}","result":"{}","expected":1}]}`},
		{"text and base64 of one input", `{"description":"d","cases":[{"name":"a","comment":"c","rules":["R3"],"op":"merge_user","stored":"{}","stored_base64":"e30=","patch":"{}","result":"{}"}]}`},
		{"bad base64", `{"description":"d","cases":[{"name":"a","comment":"c","rules":["R3"],"op":"merge_user","stored_base64":"!","patch":"{}","result":"{}"}]}`},
		{"a name twice", `{"description":"d","cases":[` + good + `,` + good + `]}`},
		{"no op", `{"description":"d","cases":[{"name":"a","comment":"c","rules":["R3"],"stored":"{}","patch":"{}","result":"{}"}]}`},
		{"a repeated member", `{"description":"d","cases":[` + good + `],"cases":[]}`},
		{"text after the object", `{"description":"d","cases":[` + good + `]}{}`},
	}
	for _, tt := range tests {
		_, err := conformance.Load(fstest.MapFS{"x.json": {Data: []byte(tt.file)}})
		if err == nil {
			t.Errorf("%s: loaded", tt.reason)
		}
	}
	cases, err := conformance.Load(fstest.MapFS{"x.json": {Data: []byte(`{"description":"d","cases":[` + good + `]}`)}})
	if err != nil || len(cases) != 1 || string(cases[0].Want.Result) != "{}" {
		t.Errorf("a good file: %+v, %v", cases, err)
	}
}

func TestVectorsAreCopies(t *testing.T) {
	a := conformance.Vectors()
	a[0].Input.Stored[0] = 'X'
	a[0].Rules[0] = "X"
	b := conformance.Vectors()
	if b[0].Input.Stored[0] == 'X' || b[0].Rules[0] == "X" {
		t.Error("Vectors returned shared slices")
	}
}

func TestOptionsNames(t *testing.T) {
	o := conformance.Options{MaxDepth: 3, Unit: "bytes", NoPrototypeKeys: true}
	if got := o.Names(); !slices.Equal(got, []string{"max_depth", "unit", "no_prototype_keys"}) {
		t.Errorf("Names() = %v", got)
	}
}
