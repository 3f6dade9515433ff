package metamerge_test

// Does the duplicate check (H2) find every repeated name, whatever the
// object's size and however alike its names are?

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/metamerge/metamerge"
)

// TestDuplicateCheckGenerated holds the duplicate check to the answer its
// generator knows by construction: documents of nested objects of 0 to
// 300 members (both sides of the linear search of small objects and the
// hash table of large ones), whose names are made to look alike to a hash
// (one long shared prefix, names that differ in one byte at any position
// or only in length, the empty name, non-ASCII text) and are written with
// or without escapes (a repeat may be spelled otherwise: "a" and "\u0061"
// are one name). Some objects repeat a name; Valid must report the first
// repeat of the first object closed that has one (H9: the document read
// once; a nested object closes before the object around it), at its
// offset and pointer, and nil for a document with none.
func TestDuplicateCheckGenerated(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 21))
	docs, found := 0, 0
	for range 1500 {
		g := dupGen{r: r}
		g.object(0, "")
		docs++
		err := metamerge.Valid([]byte(g.b.String()))
		if g.want == nil {
			if err != nil {
				t.Fatalf("%s: Valid = %v, want nil (no name repeats)", cut(g.b.String()), err)
			}
			continue
		}
		found++
		e, ok := err.(*metamerge.Error)
		if !ok || e.Code != metamerge.CodeDuplicateKey || e.Offset != g.want.offset || e.Pointer != g.want.pointer {
			t.Fatalf("%s: Valid = %#v, want duplicate_key at offset %d, pointer %q", cut(g.b.String()), err, g.want.offset, g.want.pointer)
		}
	}
	if found < docs/4 || found > docs*3/4 {
		t.Fatalf("the generator made %d documents with a repeat of %d: it should make both often", found, docs)
	}
}

type dupWant struct {
	offset  int
	pointer string
}

// dupGen writes one document and knows its first repeat.
type dupGen struct {
	r    *rand.Rand
	b    strings.Builder
	want *dupWant // of the first object closed with a repeat
}

// object writes an object at depth d whose pointer is ptr.
func (g *dupGen) object(d int, ptr string) {
	n := []int{0, 1, 2, 5, 15, 16, 17, 40, 120, 300}[g.r.IntN(10)]
	if d > 0 {
		n = min(n, 20)
	}
	names := g.names(n)
	repeat := -1 // the member that repeats an earlier name
	if n >= 2 && g.r.IntN(3) == 0 {
		repeat = 1 + g.r.IntN(n-1)
		names[repeat] = names[g.r.IntN(repeat)]
	}
	var own *dupWant
	g.b.WriteByte('{')
	for i, name := range names {
		if i > 0 {
			g.b.WriteByte(',')
		}
		if i == repeat {
			own = &dupWant{g.b.Len(), ptr + "/" + escapePointer(name)}
		}
		g.b.WriteString(g.spell(name))
		g.b.WriteByte(':')
		if d < 3 && g.r.IntN(12) == 0 {
			g.object(d+1, ptr+"/"+escapePointer(name))
		} else {
			fmt.Fprintf(&g.b, "%d", i)
		}
	}
	g.b.WriteByte('}')
	if own != nil && g.want == nil { // this object closes after any nested one
		g.want = own
	}
}

// names returns n distinct names that look alike.
func (g *dupGen) names(n int) []string {
	prefix := strings.Repeat("p", g.r.IntN(3)*20)
	seen := map[string]bool{}
	var out []string
	for len(out) < n {
		var name string
		switch g.r.IntN(6) {
		case 0: // one byte differs, anywhere
			b := []byte(prefix + "abcdefghijklmnop")
			b[g.r.IntN(len(b))] = byte('a' + g.r.IntN(26))
			name = string(b)
		case 1: // only the length differs
			name = prefix + strings.Repeat("x", g.r.IntN(40))
		case 2:
			name = ""
		case 3:
			name = prefix + "é" + string(rune('a'+g.r.IntN(26))) + "𝄞"
		case 4: // a pointer's special characters
			name = prefix + []string{"~", "/", "~1", "a/b"}[g.r.IntN(4)]
		default:
			name = fmt.Sprintf("%s%d", prefix, g.r.IntN(1000))
		}
		if !seen[name] {
			seen[name] = true
			out = append(out, name)
		}
	}
	return out
}

// spell writes name as a JSON string, each character plain or escaped at
// random, so that two spellings of one name differ.
func (g *dupGen) spell(name string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, c := range name {
		switch {
		case c == '/' && g.r.IntN(2) == 0:
			b.WriteString(`\/`)
		case c < utf8.RuneSelf && g.r.IntN(5) == 0:
			fmt.Fprintf(&b, `\u%04x`, c)
		case c > 0xffff && g.r.IntN(2) == 0:
			hi, lo := (c-0x10000)>>10+0xd800, (c-0x10000)&0x3ff+0xdc00
			fmt.Fprintf(&b, `\u%04x\u%04X`, hi, lo)
		default:
			b.WriteRune(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func escapePointer(name string) string {
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(name)
}

func cut(s string) string {
	if len(s) > 300 {
		return s[:300] + "…"
	}
	return s
}
