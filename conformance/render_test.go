package conformance

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// nest wraps numbers filling n bytes in depth levels of open ... close.
func nest(n, depth int, open, close string) []byte {
	b := []byte(strings.Repeat(open, depth))
	for i := 0; len(b) < n-depth*len(close) || i == 0; i++ {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, byte('0'+i%10))
	}
	return append(b, strings.Repeat(close, depth)...)
}

func cutForLog(s string) string {
	if len(s) > 2000 {
		return s[:2000] + "…"
	}
	return s
}

// TestRenderingIsJSONIndent checks that the line renderer is json.Indent
// on every document of the suite, with what Printable escapes escaped, so
// that bounding it changed nothing that fits the bounds.
func TestRenderingIsJSONIndent(t *testing.T) {
	n := 0
	for _, c := range Vectors() {
		for _, doc := range [][]byte{c.Input.Stored, c.Input.Patch, c.Input.Before, c.Input.After, c.Input.Base, c.Input.Desired, c.Input.Live, c.Want.Result} {
			var want bytes.Buffer
			if doc == nil || json.Indent(&want, doc, "", "  ") != nil {
				continue
			}
			lines := strings.Split(string(appendEscaped(nil, want.String(), true)), "\n")
			src := docLines(doc)
			var got []string
			for l, ok := src.next(); ok; l, ok = src.next() {
				got = append(got, l.String())
			}
			fits := true
			for _, l := range lines {
				fits = fits && len(l) <= maxLineBytes && len(l)-len(strings.TrimLeft(l, " ")) <= 2*maxIndent
			}
			if fits && strings.Join(got, "\n") != strings.TrimRight(strings.Join(lines, "\n"), " \t\r\n") {
				t.Errorf("%s: rendered\n%s\nwant\n%s", c.Name, strings.Join(got, "\n"), want.String())
			}
			n++
		}
	}
	if n < 100 {
		t.Errorf("only %d documents compared", n)
	}
}

// TestDiffShowsTheDifference: a bounded diff still points at the change,
// deep down and past the lines the documents share.
func TestDiffShowsTheDifference(t *testing.T) {
	deep := nest(40<<10, 5000, `[`, `]`)
	changed := bytes.Clone(deep)
	changed[len(changed)-5001] ^= 1 // the last number, one digit for another
	d := documentDiff("result", deep, changed)
	if !strings.Contains(d, "equal lines)") || !strings.Contains(d, "(depth 5000)") || !strings.Contains(d, "  - ") || !strings.Contains(d, "  + ") {
		t.Errorf("diff of a change 5,000 deep:\n%s", cutForLog(d))
	}
	long := []byte(`{"a":"` + strings.Repeat("x", 10000) + `y"}`)
	d = documentDiff("result", long, bytes.Replace(long, []byte("y"), []byte("z"), 1))
	lines := strings.Split(d, "\n")
	if len(lines) < 4 || !strings.Contains(d, "(10008 bytes, hash ") || !strings.HasPrefix(lines[2], "  - ") || !strings.HasPrefix(lines[3], "  + ") ||
		lines[2][4:] == lines[3][4:] {
		t.Errorf("diff of two long lines that differ past the cut: the lines must look different:\n%s", cutForLog(d))
	}
	// Everything differs: the diff stops at its budget and says what is left.
	a, b := nest(1<<20, 1, "[", "]"), nest(1<<20, 1, "[[", "]]")
	d = documentDiff("result", a, b)
	if n := strings.Count(d, "\n"); n > maxDiffLines+4 || len(d) > maxDiffBytes+2*maxLineBytes || !strings.Contains(d, "more lines of want") {
		t.Errorf("diff of two 1 MB documents that differ everywhere: %d lines, %d bytes:\n%s", n, len(d), cutForLog(d))
	}
}
