package metamergetest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestFirstDifference names the member where two documents part, for the
// shapes a difference takes: each case gives a reason.
func TestFirstDifference(t *testing.T) {
	deep := func(leaf string) string { return strings.Repeat(`{"a":`, 10000) + leaf + strings.Repeat("}", 10000) }
	tests := []struct {
		reason, a, b, wantA, wantB string
	}{
		{"a value changes", `{"a":1,"b":2}`, `{"a":1,"b":3}`, "/b", "/b"},
		{"a longer number: b goes on where a ends its object", `{"a":1}`, `{"a":12}`, "/a", "/a"},
		{"b has a member more", `{"a":1}`, `{"a":1,"b":2}`, "/b", "/b"},
		{"a has a member more", `{"a":1,"b":2}`, `{"a":1}`, "/b", "/b"},
		{"another name in the same place", `{"a":{"work":1}}`, `{"a":{"home":1,"work":1}}`, "/a/work", "/a/home"},
		{"an element changes", `[1,[2,3]]`, `[1,[2,4]]`, "/1/1", "/1/1"},
		{"an element more", `[1,2]`, `[1,2,3]`, "/2", "/2"},
		{"an empty container filled", `{"a":{}}`, `{"a":{"b":1}}`, "/a/b", "/a/b"},
		{"names with ~ and /, escaped", `{"a~/b":{"\u00e9":1}}`, `{"a~/b":{"\u00e9":2}}`, "/a~0~1b/é", "/a~0~1b/é"},
		{"the root", `1`, `2`, "", ""},
		{"a string value grows", `{"a":"x"}`, `{"a":"xy"}`, "/a", "/a"},
		{"10,000 deep", deep("1"), deep("2"), strings.Repeat("/a", 10000), strings.Repeat("/a", 10000)},
		{"not JSON: no panic", `{"`, `{"a`, "any", "any"},
		{"a comma at the end: no panic", `[1,`, `[1]`, "/1", "/1"},
	}
	for _, tt := range tests {
		a, b := firstDifference([]byte(tt.a), []byte(tt.b))
		if tt.wantA == "any" {
			continue
		}
		if a != tt.wantA || b != tt.wantB {
			t.Errorf("%s: got %q and %q, want %q and %q", tt.reason, cut(a), cut(b), cut(tt.wantA), cut(tt.wantB))
		}
	}
}

func cut(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}

// node is a random JSON value: an object, an array or a scalar.
type node struct {
	obj, arr bool
	keys     []string
	kids     []*node
	leaf     string
}

func (n *node) appendTo(b []byte) []byte {
	switch {
	case n.obj:
		b = append(b, '{')
		for i, k := range n.keys {
			if i > 0 {
				b = append(b, ',')
			}
			q, _ := json.Marshal(k) // escapes <, > and &: names with escapes
			b = append(append(b, q...), ':')
			b = n.kids[i].appendTo(b)
		}
		return append(b, '}')
	case n.arr:
		b = append(b, '[')
		for i, k := range n.kids {
			if i > 0 {
				b = append(b, ',')
			}
			b = k.appendTo(b)
		}
		return append(b, ']')
	}
	return append(b, n.leaf...)
}

var genNames = []string{"a", "b", "a.b", "~", "/", "~1", "", "<&>", "é", "k k", "\"q\""}
var genLeaves = []string{"1", "12", "-0", "1e3", `"x"`, `"xy"`, `""`, "true", "false", "null", `"\u0041"`}

// gen builds a random value of at most depth levels, and lists the
// pointers of its scalars with the scalars themselves.
func gen(r *rand.Rand, depth int, ptr string, leaves map[string]*node) *node {
	switch k := r.IntN(3); {
	case depth == 0 || k == 0:
		n := &node{leaf: genLeaves[r.IntN(len(genLeaves))]}
		leaves[ptr] = n
		return n
	case k == 1:
		n := &node{obj: true}
		seen := map[string]bool{}
		for range r.IntN(4) {
			name := genNames[r.IntN(len(genNames))]
			if seen[name] {
				continue
			}
			seen[name] = true
			esc := strings.NewReplacer("~", "~0", "/", "~1").Replace(name)
			n.keys = append(n.keys, name)
			n.kids = append(n.kids, gen(r, depth-1, ptr+"/"+esc, leaves))
		}
		return n
	default:
		n := &node{arr: true}
		for i := range r.IntN(4) {
			n.kids = append(n.kids, gen(r, depth-1, fmt.Sprintf("%s/%d", ptr, i), leaves))
		}
		return n
	}
}

// TestFirstDifferenceGenerated changes one scalar of random documents, of
// escaped, dotted and empty names, and checks that the difference is
// located at that scalar, in both documents.
func TestFirstDifferenceGenerated(t *testing.T) {
	r := rand.New(rand.NewPCG(19, 2))
	for i := range 3000 {
		leaves := map[string]*node{}
		root := gen(r, 6, "", leaves)
		ptrs := make([]string, 0, len(leaves))
		for p := range leaves {
			ptrs = append(ptrs, p)
		}
		if len(ptrs) == 0 {
			continue
		}
		p := ptrs[r.IntN(len(ptrs))]
		if len(ptrs) > 1 { // a deterministic choice despite map order
			p = min(ptrs[0], ptrs[1])
			for _, q := range ptrs {
				p = min(p, q)
			}
		}
		leaf := leaves[p]
		a := root.appendTo(nil)
		old := leaf.leaf
		for leaf.leaf == old {
			leaf.leaf = genLeaves[r.IntN(len(genLeaves))]
		}
		b := root.appendTo(nil)
		if !json.Valid(a) || !json.Valid(b) {
			t.Fatalf("case %d: not JSON: %s / %s", i, a, b)
		}
		if pa, pb := firstDifference(a, b); pa != p || pb != p {
			t.Errorf("case %d: %s → %s: %s\n%s\ngot %q and %q, want %q", i, old, leaf.leaf, a, b, pa, pb, p)
		}
	}
}

// TestServerClient checks the client a Server uses: the caller's, or one
// with a timeout of 30 seconds a request, as Server's doc says.
func TestServerClient(t *testing.T) {
	if c := (&Server{}).client(); c.Timeout != 30*time.Second {
		t.Errorf("the default client's timeout is %v", c.Timeout)
	}
	mine := &http.Client{}
	if c := (&Server{Client: mine}).client(); c != mine {
		t.Error("the caller's client is not used")
	}
}

// TestMeaningDifference names the member where two documents part by
// meaning, whatever their order and spelling; each case gives a reason.
func TestMeaningDifference(t *testing.T) {
	deep := func(n int, leaf string) string { return strings.Repeat(`{"a":`, n) + leaf + strings.Repeat("}", n) }
	tests := []struct {
		reason, a, b, want string
		located            bool
	}{
		{"order and spelling aside, one value", `{"a":1,"b":{"c":1.0,"d":2}}`, `{"b":{"d":2,"c":10e-1},"a":2}`, "/a", true},
		{"nested", `{"a":1,"b":{"c":1.0,"d":2}}`, `{"b":{"d":3,"c":1},"a":1}`, "/b/d", true},
		{"a member more", `{"a":1}`, `{"b":2,"a":1}`, "/b", true},
		{"an element more", `[1,[2]]`, `[1,[2,3]]`, "/1/1", true},
		{"names escaped", `{"x/y":{"~":1}}`, `{"x\/y":{"~":2}}`, "/x~1y/~0", true},
		{"deeper than 32 levels: named to 32", deep(40, "1"), deep(40, "2"), strings.Repeat("/a", 32), true},
		{"over the budget: not located", `{"a":1}`, `{"a":2}`, "", false},
	}
	for _, tt := range tests {
		budget := 1 << 20
		if !tt.located {
			budget = 10
		}
		got, ok := meaningDifference([]byte(tt.a), []byte(tt.b), budget)
		if got != tt.want || ok != tt.located {
			t.Errorf("%s: got %q, %v; want %q, %v", tt.reason, got, ok, tt.want, tt.located)
		}
	}
}

// FuzzFirstDifference checks that locating a difference never panics,
// whatever the texts, JSON or not, and that two equal texts part nowhere
// but at their end.
func FuzzFirstDifference(f *testing.F) {
	for _, s := range [][2]string{{`{"a":1}`, `{"a":12}`}, {`[1,`, `[1]`}, {`{"`, `{"a`}, {`{"a":{}}`, `{"a":{"b":1}}`}, {`,`, `}`}, {`"\`, `"\"`}} {
		f.Add([]byte(s[0]), []byte(s[1]))
	}
	f.Fuzz(func(t *testing.T, a, b []byte) {
		firstDifference(a, b)
		meaningDifference(a, b, 1<<20)
		if json.Valid(a) {
			var c bytes.Buffer
			json.Compact(&c, a)
			if pa, pb := firstDifference(c.Bytes(), c.Bytes()); pa != pb {
				t.Errorf("a text differs from itself at %q and %q", pa, pb)
			}
		}
	})
}
