package metamerge

import (
	"bytes"
	"testing"
)

// TestNoDotOrDollar holds the word-at-a-time test of R7 to two calls of
// bytes.IndexByte: for every length to 24 (three words and a tail, and
// the one-word forms of shorter names), a '.' or a '$' at every position,
// alone and with the other after it, in names made of the bytes next to
// them in value ('-', '/', '#', '%'), of zero bytes (the padding of a short
// name) and of the non-ASCII bytes whose low seven bits are theirs (0xAE,
// 0xA4), which a test on words must not take for them.
func TestNoDotOrDollar(t *testing.T) {
	fillers := []byte{'a', '-', '/', '#', '%', 0xAE, 0xA4, 0x00, 0xFF}
	want := func(b []byte) bool { return bytes.IndexByte(b, '.') < 0 && bytes.IndexByte(b, '$') < 0 }
	tried := 0
	for n := 0; n <= 24; n++ {
		for _, fill := range fillers {
			name := bytes.Repeat([]byte{fill}, n)
			if got := noDotOrDollar(name); got != want(name) || !got {
				t.Fatalf("noDotOrDollar(%q) = %v, want true", name, got)
			}
			for i := range n {
				for _, c := range []byte{'.', '$'} {
					for j := i; j < n; j++ {
						b := bytes.Clone(name)
						b[j] = '.' + '$' - c
						b[i] = c
						if got := noDotOrDollar(b); got != want(b) || got {
							t.Fatalf("noDotOrDollar(%q) = %v, want false", b, got)
						}
						tried++
					}
				}
			}
		}
	}
	if tried < 2*len(fillers)*24*25/2 {
		t.Fatalf("tried only %d names", tried)
	}
}
