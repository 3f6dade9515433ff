package metamerge

import (
	"encoding/binary"
	"testing"
)

// TestSpecial8 checks the word-at-a-time string scan never passes over a
// byte that needs attention: exhaustively for one such byte at each
// position among plain ones, and for a million pseudo-random words.
func TestSpecial8(t *testing.T) {
	allPlain := func(w [8]byte) bool {
		for _, c := range w {
			if !plain[c] {
				return false
			}
		}
		return true
	}
	for pos := range 8 {
		for c := range 256 {
			w := [8]byte{'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'}
			w[pos] = byte(c)
			if !special8(binary.LittleEndian.Uint64(w[:])) && !plain[c] {
				t.Fatalf("special8 misses %#02x at position %d", c, pos)
			}
			if plain[c] && special8(binary.LittleEndian.Uint64(w[:])) {
				t.Fatalf("special8 flags the plain byte %#02x at position %d", c, pos)
			}
		}
	}
	x := uint64(0x9E3779B97F4A7C15) // xorshift, fixed seed
	for range 1_000_000 {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		var w [8]byte
		binary.LittleEndian.PutUint64(w[:], x)
		if !special8(x) && !allPlain(w) {
			t.Fatalf("special8 misses a byte in %q", w)
		}
	}
}
