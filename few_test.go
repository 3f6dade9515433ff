package metamerge_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/metamerge/metamerge"
)

// TestFewNamesAgainstModel holds to the model the merges whose names are
// matched pairwise rather than through an index (up to 8 patch members,
// up to 128 pairs) and those on either side of those bounds: root members
// and field members from 0 to 11 in the patch and to 20 in the stored
// document, names that share their length, their last byte, both (and so
// the bit of the filter in front of the comparisons) or their first
// bytes, and the same names spelled with escapes in either document, where
// the pairwise match must decode them or give way to the index; members
// written compactly next to each other, or apart, which the write copies
// in runs or one by one.
func TestFewNamesAgainstModel(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 3))
	pool := []string{
		"a", "b", "ab", "ba", "aa", "email", "given_name", "user_metadata", "app_metadata",
		strings.Repeat("x", 61) + "a", strings.Repeat("x", 61) + "b", // one length, two last bytes
		strings.Repeat("x", 125) + "a",      // 64 longer than the above: the same bit of the filter
		"c" + strings.Repeat("x", 60) + "a", // same length and last byte as the first of them
		strings.Repeat("y", 63), strings.Repeat("y", 64), strings.Repeat("y", 127),
	}
	// spell writes name as a JSON string, now and then with its first
	// letter escaped.
	spell := func(name string) string {
		if rng.IntN(4) == 0 {
			return fmt.Sprintf(`"\u%04x%s"`, name[0], name[1:])
		}
		return `"` + name + `"`
	}
	value := func() string {
		switch rng.IntN(6) {
		case 0:
			return "null"
		case 1:
			return `{"v":1}`
		case 2:
			return "{}"
		}
		return fmt.Sprint(rng.IntN(100))
	}
	// object writes an object of up to n members with distinct names of
	// the pool, in a random order.
	var object func(n int, extra ...string) string
	object = func(n int, extra ...string) string {
		var b strings.Builder
		b.WriteByte('{')
		names := append([]string(nil), extra...)
		for _, i := range rng.Perm(len(pool))[:rng.IntN(min(n, len(pool))+1)] {
			if !strings.Contains(strings.Join(names, "\x00")+"\x00", pool[i]+"\x00") {
				names = append(names, pool[i])
			}
		}
		rng.Shuffle(len(names), func(i, j int) { names[i], names[j] = names[j], names[i] })
		for i, nm := range names {
			if i > 0 {
				b.WriteString([]string{",", ",", ",", ", ", "\n,"}[rng.IntN(5)]) // neighbours, or not
			}
			v := value()
			if nm == "user_metadata" || nm == "app_metadata" {
				v = object(12)
			}
			sep := ":"
			if rng.IntN(8) == 0 {
				sep = " : "
			}
			b.WriteString(spell(nm) + sep + v)
		}
		b.WriteByte('}')
		return b.String()
	}
	fields := userFields(userDefaults)
	field := metamerge.FieldRules{Policy: metamerge.AppMetadata()}
	for range 3000 {
		stored := []byte(object(20, "user_metadata"))
		patch := []byte(object(11))
		checkCall(t, [][]byte{stored, patch}, func() ([]byte, error) { return metamerge.MergeUser(stored, patch) },
			modelDoc(stored, patch, metamerge.Limits{}, 0, fields))
		got, _, err := userDefaults.MergeReport(stored, patch)
		if want, err2 := metamerge.MergeUser(stored, patch); !bytes.Equal(got, want) || (err == nil) != (err2 == nil) {
			t.Fatalf("MergeReport and MergeUser disagree on %q, %q: %q, %v against %q, %v", stored, patch, got, err, want, err2)
		}
		existing, fpatch := []byte(object(20)), []byte(object(11))
		checkCall(t, [][]byte{existing, fpatch}, func() ([]byte, error) { return field.Merge(existing, fpatch) },
			modelMerge(existing, fpatch, field.Policy, field.Limits))
	}
}
