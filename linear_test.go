package metamerge_test

// Does comparing take time linear in the input?

import (
	"strings"
	"testing"
	"time"

	"github.com/metamerge/metamerge"
)

// TestComparisonWorkLinear holds comparing by meaning to time linear in
// the input at any depth: each call compares two values equal in meaning
// but not in text, first nested as deep as its MaxDepth allows, then flat,
// of the same size, and the deep pair may take at most 8 times as long as
// the flat one (the best of several runs each, so that a loaded machine
// slows both). Before the comparison walked each value once, the deep diff
// took 700 times as long.
func TestComparisonWorkLinear(t *testing.T) {
	if raceEnabled {
		t.Skip("bounds of allocation and time, which the race detector changes; the suite checks them without it")
	}
	const size = 256 << 10
	// fill returns open, then zeros to make size bytes, then closing.
	fill := func(open, closing, space string) []byte {
		n := (size - len(open) - len(closing)) / 2
		return []byte(open + space + strings.Repeat("0,", n-1) + "0" + closing)
	}
	arrays := func(depth int, space string) []byte {
		return fill(strings.Repeat("[", depth), strings.Repeat("]", depth), space)
	}
	objects := func(depth int, space string) []byte {
		return fill(strings.Repeat(`{"a":`, depth)+"[", "]"+strings.Repeat("}", depth), space)
	}
	alternating := func(depth int, space string) []byte {
		return fill(strings.Repeat(`[{"a":`, depth/2)+"[", "]"+strings.Repeat("}]", depth/2), space)
	}
	deep := metamerge.Limits{MaxDepth: 10000}
	field := metamerge.FieldRules{Policy: metamerge.AppMetadata(), Limits: deep}
	user := metamerge.UserRules{Limits: deep}
	equal := func(a, b []byte) error { _, err := metamerge.Equal(a, b); return err }
	diff := func(a, b []byte) error { _, err := field.Diff(wrap("a", a), wrap("a", b)); return err }
	diff3 := func(a, b []byte) error { _, err := field.Diff3(wrap("a", a), wrap("a", b), wrap("a", a)); return err }
	report := func(a, b []byte) error {
		_, _, err := user.MergeReport(wrap("user_metadata", wrap("a", a)), wrap("user_metadata", wrap("a", b)))
		return err
	}
	tests := []struct {
		name  string
		shape func(depth int, space string) []byte
		depth int // the deepest the call takes
		call  func(a, b []byte) error
	}{
		{"Equal arrays", arrays, metamerge.DefaultMaxDepth - 1, equal},
		{"Equal objects", objects, metamerge.DefaultMaxDepth - 1, equal},
		{"Equal alternating", alternating, metamerge.DefaultMaxDepth - 1, equal},
		{"FieldRules.Diff arrays", arrays, 9990, diff},
		{"FieldRules.Diff objects", objects, 9990, diff},
		{"FieldRules.Diff alternating", alternating, 9990, diff},
		{"FieldRules.Diff3 objects", objects, 9990, diff3},
		{"UserRules.MergeReport arrays", arrays, 9990, report},
		{"UserRules.MergeReport objects", objects, 9990, report},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			best := func(a, b []byte, runs int, bound time.Duration) time.Duration {
				d := time.Duration(1 << 62)
				for range runs {
					start := time.Now()
					if err := tc.call(a, b); err != nil {
						t.Fatal(err)
					}
					if d = min(d, time.Since(start)); d <= bound {
						break // fast enough: no need to run again
					}
				}
				return d
			}
			flat := best(tc.shape(1, ""), tc.shape(1, " "), 5, 0)
			deepest := best(tc.shape(tc.depth, ""), tc.shape(tc.depth, " "), 5, 8*flat)
			t.Logf("%d deep: %v; flat: %v (%.1f×)", tc.depth, deepest, flat, float64(deepest)/float64(flat))
			if deepest > 8*flat {
				t.Errorf("%d deep took %v, %.1f times as long as flat (%v): over 8×", tc.depth, deepest, float64(deepest)/float64(flat), flat)
			}
		})
	}
}
