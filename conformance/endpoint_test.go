package conformance_test

import (
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/metamerge/metamerge/conformance"
)

// TestEndpointVectors: the endpoint cases load, their names are their
// own, and they cite the Management API's rules.
func TestEndpointVectors(t *testing.T) {
	cases := conformance.EndpointVectors()
	if len(cases) < 15 {
		t.Errorf("only %d endpoint cases", len(cases))
	}
	merge := map[string]bool{}
	for _, c := range conformance.Vectors() {
		merge[c.Name] = true
	}
	name := regexp.MustCompile(`^m[1-7]-[a-z0-9-]+$`)
	rule := regexp.MustCompile(`^[RCSHDM][0-9]+$`)
	for _, c := range cases {
		if merge[c.Name] || !name.MatchString(c.Name) {
			t.Errorf("%s: want a name m<N>-... that no merge case has", c.Name)
		}
		cites := false
		for _, r := range c.Rules {
			if !rule.MatchString(r) {
				t.Errorf("%s: rule %q", c.Name, r)
			}
			cites = cites || strings.HasPrefix(r, "M")
		}
		if !cites || !strings.HasPrefix(c.Name, strings.ToLower(c.Rules[0])+"-") {
			t.Errorf("%s: its name starts with its first rule, an M rule: %v", c.Name, c.Rules)
		}
	}
}

// TestLoadEndpointRejects: each file breaks one rule of the format.
func TestLoadEndpointRejects(t *testing.T) {
	ok := `{"name":"m1-a","comment":"c","rules":["M1"],"kind":"user","steps":[{"method":"POST","status":201}]}`
	if _, err := conformance.LoadEndpoint(fstest.MapFS{"a.json": {Data: []byte(`{"description":"d","cases":[` + ok + `]}`)}}); err != nil {
		t.Fatalf("a good file: %v", err)
	}
	for reason, tt := range map[string]struct{ c, want string }{
		"unknown field":     {`{"name":"m1-a","comment":"c","rules":["M1"],"kind":"user","steps":[{"method":"POST","status":201,"sattus":1}]}`, "sattus"},
		"no comment":        {`{"name":"m1-a","rules":["M1"],"kind":"user","steps":[{"method":"POST","status":201}]}`, "a comment"},
		"unknown kind":      {`{"name":"m1-a","comment":"c","rules":["M1"],"kind":"group","steps":[{"method":"POST","status":201}]}`, "kind"},
		"no create first":   {`{"name":"m1-a","comment":"c","rules":["M1"],"kind":"user","steps":[{"method":"GET","status":200}]}`, "the first step must be the create"},
		"unknown method":    {`{"name":"m1-a","comment":"c","rules":["M1"],"kind":"user","steps":[{"method":"POST","status":201},{"method":"PUT","status":200}]}`, "method"},
		"unknown target":    {`{"name":"m1-a","comment":"c","rules":["M1"],"kind":"user","steps":[{"method":"POST","status":201},{"method":"GET","target":"roles","status":200}]}`, "target"},
		"no status":         {`{"name":"m1-a","comment":"c","rules":["M1"],"kind":"user","steps":[{"method":"POST"}]}`, "status 0"},
		"member not JSON":   {`{"name":"m1-a","comment":"c","rules":["M1"],"kind":"user","steps":[{"method":"POST","status":201,"members":{"a":"{"}}]}`, "not JSON"},
		"the same name two": {ok[:len(ok)-1] + `},` + ok, "twice"},
	} {
		_, err := conformance.LoadEndpoint(fstest.MapFS{"a.json": {Data: []byte(`{"description":"d","cases":[` + tt.c + `]}`)}})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want one with %q", reason, err, tt.want)
		}
	}
}
