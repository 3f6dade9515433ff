package conformance

import (
	"strings"
	"testing"
)

// TestPrintable: what a terminal would obey is escaped, long text is cut
// with its length and a hash, and the result stays within its bound.
func TestPrintable(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"plain text", "plain text"},
		{"two\nlines\tand a tab", "two\nlines\tand a tab"},
		{"\x1b[2J\x1b[31mred\r", `\x1b[2J\x1b[31mred\x0d`},
		{"del\x7f c1\u0085\u009b csi", `del\x7f c1\x85\x9b csi`},
		{"bad \xff\xc0\xaf utf-8", `bad \xff\xc0\xaf utf-8`},
		{"line\u2028para\u2029", `line\u2028para\u2029`},
		{"é ü 漢 \ufffd", "é ü 漢 \ufffd"},
	} {
		if got := Printable(tt.in, 100); got != tt.want {
			t.Errorf("Printable(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	// Every byte and every control rune, long and short: no control but
	// line feed and tab gets through, and the result is bounded.
	var all strings.Builder
	for c := range 256 {
		all.WriteByte(byte(c))
	}
	for r := rune(0x80); r < 0xa0; r++ {
		all.WriteRune(r)
	}
	all.WriteString("\u2028\u2029")
	for _, s := range []string{all.String(), strings.Repeat(all.String(), 1000), strings.Repeat("\x1b", 1<<20), strings.Repeat("é", 1<<19)} {
		for _, limit := range []int{0, 1, 7, 200, 4 << 10} {
			got := Printable(s, limit)
			if strings.ContainsFunc(got, func(r rune) bool {
				return (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == 0x2028 || r == 0x2029
			}) {
				t.Errorf("limit %d: a control character got through: %q", limit, got[:min(len(got), 300)])
			}
			if len(got) > 6*limit+64 {
				t.Errorf("limit %d: %d bytes out for %d in", limit, len(got), len(s))
			}
			if len(s) > limit && !strings.Contains(got, " bytes, hash ") {
				t.Errorf("limit %d: cut without saying so: %q", limit, got[:min(len(got), 300)])
			}
			if Printable(got, len(got)) != got {
				t.Errorf("limit %d: printing a printed text changes it", limit)
			}
		}
	}
	// Two long texts that differ past the cut look different.
	a, b := strings.Repeat("x", 5000)+"a", strings.Repeat("x", 5000)+"b"
	if Printable(a, 100) == Printable(b, 100) {
		t.Error("two texts that differ past the cut look the same")
	}
	long := strings.Repeat("\x01", 1<<16)
	if n := testing.AllocsPerRun(10, func() { Printable(long, 100) }); n > 5 {
		t.Errorf("Printable allocates %v times", n)
	}
}
