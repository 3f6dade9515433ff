package metamerge_test

// Do the entry points agree with the model on generated trees?

import (
	"strconv"
	"strings"
	"testing"

	"github.com/metamerge/metamerge"
)

// A byte-level fuzzer rarely builds deep, valid structure: a mutation of a
// seed is mostly invalid JSON, and a wrong state of the engine that runs
// along code paths other inputs already cover (the "next string is a name"
// state of the R7 walk after an empty object, once) gives coverage guidance
// nothing to follow. treeGen turns the fuzzer's bytes into decisions that
// build valid documents from the shapes that matter here: empty and nested
// containers, arrays of mixed values, names with ".", "$", escapes and the
// prototype names, strings that look like names, numbers as written.

// treeGen reads decisions from b; when b runs out every decision is 0.
type treeGen struct {
	b []byte
	i int
}

func (g *treeGen) next() int {
	if g.i >= len(g.b) {
		return 0
	}
	g.i++
	return int(g.b[g.i-1])
}

// texts are the strings names and values are drawn from.
var texts = []string{
	"a", "b", "a.b", "$x", "x$", "v1.2", "me@example.com", "$5", "", "__proto__", "constructor", "prototype",
	`caf\u00e9`, `a\u002eb`, `\u0024x`, `tab\there`, "😀", "é", "k", "user_metadata", "app_metadata", "client_metadata",
	"email", "blocked", "x/y", "x~y", strings.Repeat("l", 300),
}

func (g *treeGen) text() string { return `"` + texts[g.next()%len(texts)] + `"` }

// value appends a value of at most depth more levels.
func (g *treeGen) value(sb *strings.Builder, depth int) {
	c := g.next()
	if depth <= 0 {
		c %= 6 // scalars and empty containers only
	}
	switch c % 10 {
	case 0, 1:
		sb.WriteString(g.text())
	case 2:
		sb.WriteString([]string{"0", "-1.5e3", "12345678901234567890", "1.0"}[g.next()%4])
	case 3:
		sb.WriteString([]string{"true", "false"}[g.next()%2])
	case 4:
		sb.WriteString("null")
	case 5:
		sb.WriteString([]string{"{}", "[]", "[{}]", "[[]]"}[g.next()%4])
	case 6, 7:
		n := g.next() % 5
		if n == 4 && g.next()%4 == 0 { // now and then one over 16 members
			n = 17 + g.next()%8
		}
		g.object(sb, depth-1, n)
	default:
		n := g.next() % 5
		sb.WriteByte('[')
		for i := range n {
			if i > 0 {
				sb.WriteByte(',')
			}
			g.value(sb, depth-1)
		}
		sb.WriteByte(']')
	}
}

// object appends an object of n members with distinct names.
func (g *treeGen) object(sb *strings.Builder, depth, n int) {
	sb.WriteByte('{')
	seen := map[string]bool{}
	for i := 0; i < n; i++ {
		name := g.text()
		if seen[name] {
			name = `"` + strconv.Itoa(i) + `"`
		}
		seen[name] = true
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString(name)
		sb.WriteByte(':')
		g.value(sb, depth)
	}
	sb.WriteByte('}')
}

// doc returns a document whose root members are drawn from names, each
// holding an object (most often) or another value.
func (g *treeGen) doc(names []string) []byte {
	var sb strings.Builder
	sb.WriteByte('{')
	n := g.next() % (len(names) + 1)
	for i := range n {
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString(`"` + names[(i+g.next())%len(names)] + `":`)
		if g.next()%4 != 0 {
			n := g.next() % 6
			if n == 5 { // an object large enough for a hash table (over 16 members)
				n = 17 + g.next()%24
			}
			g.object(&sb, 4, n)
		} else {
			g.value(&sb, 3)
		}
	}
	sb.WriteByte('}')
	doc := []byte(sb.String())
	if dedupe(doc) {
		return []byte(`{}`)
	}
	return doc
}

// dedupe reports whether the generated root repeats a name; the generator
// draws root names with repeats, and a repeat would only test H2.
func dedupe(doc []byte) bool {
	return metamerge.Valid(doc) != nil
}

var rootNames = []string{"user_metadata", "app_metadata", "client_metadata", "name", "blocked"}

// FuzzTrees checks every entry point on generated valid documents against
// the model.
func FuzzTrees(f *testing.F) {
	for _, s := range []string{"", "\x01\x00\x06\x02\x08\x02\x05\x00\x00\x02\x00", "\x02\x03\x07\x01\x08\x03\x05\x01\x00\x02\x01\x05",
		"\xff\xfe\xfd\x10\x20\x30\x40\x50\x60\x70", "\x03\x01\x06\x04\x08\x04\x05\x00\x01\x02\x00\x09\x00"} {
		f.Add([]byte(s), uint16(0))
	}
	f.Fuzz(func(t *testing.T, program []byte, knobs uint16) {
		g := &treeGen{b: program}
		stored, patch := g.doc(rootNames), g.doc(rootNames)
		var m strings.Builder
		g.object(&m, 5, g.next()%8)
		field := []byte(m.String())

		user := userFields(userDefaults)
		got := checkCall(t, [][]byte{stored, patch}, func() ([]byte, error) { return metamerge.MergeUser(stored, patch) },
			modelDoc(stored, patch, metamerge.Limits{}, 0, user))
		idempotent(t, got, func(s []byte) ([]byte, error) { return metamerge.MergeUser(s, patch) })
		checkAlone(t, patch, metamerge.UserRules{}.Check, user)
		checkAlone(t, patch, metamerge.ClientRules{}.Check, clientFields(clientDefaults))
		checkCall(t, [][]byte{stored, patch}, func() ([]byte, error) { return metamerge.MergeClient(stored, patch) },
			modelDoc(stored, patch, metamerge.Limits{}, 0, clientFields(clientDefaults)))
		r := fuzzRules(knobs)
		checkCall(t, [][]byte{stored, field}, func() ([]byte, error) { return r.Merge(stored, field) }, modelMerge(stored, field, r.Policy, r.Limits))
		checkCall(t, [][]byte{field}, func() ([]byte, error) { return nil, r.Validate(field) }, modelValidate(field, r.Policy, r.Limits))
		checkCall(t, [][]byte{field}, func() ([]byte, error) { return nil, metamerge.ValidateSignup(field) },
			modelValidate(field, metamerge.Signup(), metamerge.Limits{}))
	})
}
