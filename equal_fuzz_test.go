package metamerge_test

// Does Equal agree with a decoding model on any input?

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/metamerge/metamerge"
)

// FuzzEqual holds Equal to a simple model (encoding/json with exact
// rational numbers): on a generated document against itself rewritten in
// another text of the same meaning (members reordered, white space,
// numbers and strings written otherwise), nested as deep as the generator
// or a wrapper of arrays and objects goes; against the rewrite with one
// scalar changed; and against an unrelated document.
func FuzzEqual(f *testing.F) {
	for _, s := range []string{"", "\x01\x00\x06\x02\x08\x02\x05\x00\x00\x02\x00", "\x02\x03\x07\x01\x08\x03\x05\x01\x00\x02\x01\x05",
		"\xff\xfe\xfd\x10\x20\x30\x40\x50\x60\x70", "\x03\x01\x06\x04\x08\x04\x05\x00\x01\x02\x00\x09\x00"} {
		f.Add([]byte(s), uint16(0))
		f.Add([]byte(s), uint16(0xffff))
	}
	f.Fuzz(func(t *testing.T, program []byte, knobs uint16) {
		g := &treeGen{b: program}
		a, other := g.doc(rootNames), g.doc(rootNames)
		if dedupe(a) || dedupe(other) {
			t.Skip("a repeated name: Equal refuses it (H2), the model keeps the last")
		}
		if depth := int(knobs>>8) % 40; depth > 0 { // nested in arrays and objects
			a = []byte(strings.Repeat(`[{"w":`, depth) + string(a) + strings.Repeat(`}]`, depth))
		}
		va := decodeModel(t, a)
		r := &rewriter{knobs: knobs}
		b := r.render(nil, va)
		check := func(a, b []byte) {
			t.Helper()
			want := modelEqual(decodeModel(t, a), decodeModel(t, b))
			got, err := metamerge.Equal(a, b)
			if err != nil || got != want {
				t.Fatalf("Equal(%s, %s) = %v, %v; the model says %v", a, b, got, err, want)
			}
		}
		check(a, b)
		r.change = 1 + int(knobs)%7
		check(a, r.render(nil, va))
		check(a, other)
	})
}

// decodeModel decodes a valid document, numbers as written.
func decodeModel(t *testing.T, doc []byte) any {
	d := json.NewDecoder(bytes.NewReader(doc))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		t.Fatalf("the generator made %s: %v", doc, err)
	}
	return v
}

// modelEqual compares decoded values: numbers as exact rationals.
func modelEqual(a, b any) bool {
	switch a := a.(type) {
	case map[string]any:
		b, ok := b.(map[string]any)
		if !ok || len(a) != len(b) {
			return false
		}
		for k, v := range a {
			w, ok := b[k]
			if !ok || !modelEqual(v, w) {
				return false
			}
		}
		return true
	case []any:
		b, ok := b.([]any)
		if !ok || len(a) != len(b) {
			return false
		}
		for i := range a {
			if !modelEqual(a[i], b[i]) {
				return false
			}
		}
		return true
	case json.Number:
		b, ok := b.(json.Number)
		if !ok {
			return false
		}
		x, _ := new(big.Rat).SetString(string(a))
		y, _ := new(big.Rat).SetString(string(b))
		return x.Cmp(y) == 0
	}
	return a == b
}

// rewriter writes a decoded value in another text of the same meaning,
// as its knobs choose; with change n > 0 it changes the n-th scalar it
// writes (counting from 1), so that the meaning differs.
type rewriter struct {
	knobs  uint16
	change int
	seen   int
}

func (r *rewriter) on(bit uint) bool { return r.knobs&(1<<bit) != 0 }

func (r *rewriter) space(b []byte) []byte {
	if r.on(0) {
		return append(b, " \n\t"[r.seen%3])
	}
	return b
}

func (r *rewriter) render(b []byte, v any) []byte {
	b = r.space(b)
	switch v := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if r.on(1) {
			slices.Reverse(keys)
		}
		b = append(b, '{')
		for i, k := range keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = r.space(r.str(r.space(b), k))
			b = append(b, ':')
			b = r.render(b, v[k])
		}
		b = append(r.space(b), '}')
	case []any:
		b = append(b, '[')
		for i, e := range v {
			if i > 0 {
				b = append(b, ',')
			}
			b = r.render(b, e)
		}
		b = append(r.space(b), ']')
	default:
		r.seen++
		if r.seen == r.change {
			v = changed(v)
		}
		switch v := v.(type) {
		case string:
			b = r.str(b, v)
		case json.Number:
			b = append(b, r.number(string(v))...)
		default:
			j, _ := json.Marshal(v)
			b = append(b, j...)
		}
	}
	return r.space(b)
}

// changed returns a scalar of another meaning.
func changed(v any) any {
	switch v := v.(type) {
	case string:
		return v + "x"
	case json.Number:
		if !strings.ContainsAny(string(v), ".eE") {
			return json.Number(string(v) + ".1") // 0 → 01 is not JSON
		}
		return json.Number(string(v) + "1")
	case bool:
		return !v
	case nil:
		return false
	}
	return v
}

// number writes n otherwise: with a fraction of zeros, or an exponent
// that a shifted point undoes.
func (r *rewriter) number(n string) string {
	if strings.ContainsAny(n, ".eE") {
		if r.on(2) {
			return n + "0" // 1.5 → 1.50, but 1e3 → 1e30: the model says which
		}
		if r.on(3) && !strings.ContainsAny(n, "eE") {
			return n + "e0"
		}
		return n
	}
	switch {
	case r.on(2):
		return n + ".000"
	case r.on(3) && strings.TrimPrefix(n, "-") == "0":
		return n + ".0e-1" // 00e-1 is not JSON
	case r.on(3):
		return n + "0e-1"
	}
	return n
}

// str writes s as a JSON string, escaping every character when asked.
func (r *rewriter) str(b []byte, s string) []byte {
	if !r.on(4) {
		j, _ := json.Marshal(s)
		return append(b, j...)
	}
	b = append(b, '"')
	for _, c := range s {
		for _, u := range utf16.Encode([]rune{c}) {
			b = fmt.Appendf(b, `\u%04x`, u)
		}
	}
	return append(b, '"')
}
