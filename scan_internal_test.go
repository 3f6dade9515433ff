package metamerge

import (
	"encoding/binary"
	"fmt"
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

// TestReleaseKeepsNoCallerData checks that a pooled workspace keeps no
// reference into a caller's document, and no bytes copied from one, after
// a merge that filled its name tables and scratch buffers.
func TestReleaseKeepsNoCallerData(t *testing.T) {
	var stored, patch []byte
	stored = append(stored, `{"user_metadata":{`...)
	patch = append(patch, `{"user_metadata":{`...)
	for i := range 40 { // past smallObject, so the names go through the hash tables
		sep := ","
		if i == 0 {
			sep = ""
		}
		stored = fmt.Appendf(stored, `%s"k\u00e9%d":"v\u00e9%d"`, sep, i, i)
		patch = fmt.Appendf(patch, `%s"k\u00e9%d":"w\u00e9"`, sep, i)
	}
	stored = append(stored, "}}"...)
	patch = append(patch, `},"bad":{"a.b":1}}`...)
	r := DefaultUserRules()
	r.UserMetadata.MaxValueLen = 1 // a value check decodes into the scratch buffers, and fails
	w := new(work)
	if _, err := w.mergeDoc(stored, patch, 0, 0, []field{{"user_metadata", &r.UserMetadata}}); err == nil {
		t.Fatal("expected errors")
	}
	w.release()
	for name, names := range map[string][][]byte{"scanner": w.sc.table.names, "roots": w.roots.table.names, "fields": w.fields.table.names} {
		for i, nm := range names[:cap(names)] {
			if nm != nil {
				t.Errorf("%s names[%d] still refers to %q", name, i, nm)
			}
		}
	}
	for name, buf := range map[string][]byte{"scanner scratch": w.sc.scratch, "index scratch": w.fields.scratch, "tmp": w.tmp, "nbuf": w.nbuf} {
		if cap(buf) == 0 {
			t.Errorf("%s was never used: the test does not reach it", name)
		}
		for _, c := range buf[:cap(buf)] {
			if c != 0 {
				t.Errorf("%s still holds caller bytes: %q", name, buf[:cap(buf)])
				break
			}
		}
	}
	for i, e := range w.errs[:cap(w.errs)] {
		if e != nil {
			t.Errorf("errs[%d] still refers to %v", i, e)
		}
	}
}
