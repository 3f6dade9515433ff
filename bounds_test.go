package metamerge_test

import (
	"bytes"
	stdcmp "cmp"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/metamerge/metamerge"
)

// entryPoint is one way into the package. Given one metadata object m,
// args builds what it takes (a PATCH body, a stored profile, the metadata
// itself), and call calls it.
type entryPoint struct {
	name string
	args func(m []byte) (a, b []byte)
	call func(a, b []byte) ([]byte, error)
}

// factors replace the 10 of the bound for some entry points: a diff scans
// its documents and merges its result to check it, a report holds a
// change, about 50 bytes, for each member of the patch.
var factors = map[string]uint64{
	"DiffUser": 35, "DiffUser before": 35, "DiffUser both": 35, "DiffClient": 35, "UserRules.Diff3": 35, "FieldRules.Diff": 35,
	"UserRules.MergeReport": 15, "DiffUser root": 35, "UserRules.MergeReport root": 15,
}

func wrap(member string, m []byte) []byte {
	return append(append([]byte(`{"`+member+`":`), m...), '}')
}

func patchOf(member string) func(m []byte) ([]byte, []byte) {
	return func(m []byte) ([]byte, []byte) { return []byte(`{}`), wrap(member, m) }
}

func alone(m []byte) ([]byte, []byte) { return nil, m }

var entryPoints = []entryPoint{
	{"MergeUser patch", patchOf("user_metadata"), metamerge.MergeUser},
	{"MergeUser app_metadata", patchOf("app_metadata"), metamerge.MergeUser},
	{"MergeUser stored", func(m []byte) ([]byte, []byte) { return wrap("user_metadata", m), []byte(`{"user_metadata":{"z":1}}`) }, metamerge.MergeUser},
	{"MergeClient patch", patchOf("client_metadata"), metamerge.MergeClient},
	{"UserRules.Check", patchOf("user_metadata"), func(_, b []byte) ([]byte, error) { return nil, metamerge.UserRules{}.Check(b) }},
	{"ClientRules.Check", patchOf("client_metadata"), func(_, b []byte) ([]byte, error) { return nil, metamerge.ClientRules{}.Check(b) }},
	{"FieldRules.Merge", func(m []byte) ([]byte, []byte) { return []byte(`{"z":1}`), m }, metamerge.FieldRules{Policy: metamerge.UserMetadata()}.Merge},
	{"FieldRules.Merge stored", func(m []byte) ([]byte, []byte) { return m, []byte(`{"z":1}`) }, metamerge.FieldRules{Policy: metamerge.UserMetadata()}.Merge},
	{"FieldRules.Check", alone, func(_, b []byte) ([]byte, error) {
		return nil, metamerge.FieldRules{Policy: metamerge.ClientMetadata()}.Check(b)
	}},
	{"FieldRules.Validate", alone, func(_, b []byte) ([]byte, error) {
		return nil, metamerge.FieldRules{Policy: metamerge.AppMetadata()}.Validate(b)
	}},
	{"ValidateSignup", alone, func(_, b []byte) ([]byte, error) { return nil, metamerge.ValidateSignup(b) }},
	{"FieldRules.Validate 1,000 errors", alone, func(_, b []byte) ([]byte, error) {
		return nil, metamerge.FieldRules{Policy: metamerge.ClientMetadata(), Limits: metamerge.Limits{MaxErrors: 1000}}.Validate(b)
	}},
	{"ClientRules.Merge 1,000 errors", patchOf("client_metadata"), metamerge.ClientRules{Limits: metamerge.Limits{MaxErrors: 1000}}.Merge},
	{"DiffUser", patchOf("user_metadata"), metamerge.DiffUser},
	{"DiffUser before", func(m []byte) ([]byte, []byte) { return wrap("user_metadata", m), []byte(`{"user_metadata":{"z":1}}`) }, metamerge.DiffUser},
	{"DiffUser both", func(m []byte) ([]byte, []byte) { return wrap("user_metadata", m), wrap("app_metadata", m) }, metamerge.DiffUser},
	{"DiffClient", patchOf("client_metadata"), metamerge.DiffClient},
	{"UserRules.Diff3", patchOf("user_metadata"), func(a, b []byte) ([]byte, error) { return metamerge.UserRules{}.Diff3(a, b, a) }},
	{"FieldRules.Diff", alone, func(_, b []byte) ([]byte, error) {
		return metamerge.FieldRules{Policy: metamerge.AppMetadata()}.Diff([]byte(`{"z":1}`), b)
	}},
	{"UserRules.MergeReport", patchOf("user_metadata"), func(a, b []byte) ([]byte, error) {
		out, _, err := metamerge.UserRules{}.MergeReport(a, b)
		return out, err
	}},
	// The hostile object as the whole document: its members are root
	// members, which the merge plans one piece each.
	{"MergeUser root patch", func(m []byte) ([]byte, []byte) { return []byte(`{}`), m }, metamerge.MergeUser},
	{"MergeUser root stored", func(m []byte) ([]byte, []byte) { return m, []byte(`{"z":1}`) }, metamerge.MergeUser},
	{"MergeUser root both", func(m []byte) ([]byte, []byte) { return m, bytes.Clone(m) }, metamerge.MergeUser},
	{"MergeClient root patch", func(m []byte) ([]byte, []byte) { return []byte(`{}`), m }, metamerge.MergeClient},
	{"UserRules.MergeReport root", func(m []byte) ([]byte, []byte) { return []byte(`{}`), m }, func(a, b []byte) ([]byte, error) {
		out, _, err := metamerge.UserRules{}.MergeReport(a, b)
		return out, err
	}},
	{"DiffUser root", func(m []byte) ([]byte, []byte) { return []byte(`{}`), m }, metamerge.DiffUser},
	{"Equal", func(m []byte) ([]byte, []byte) { return m, bytes.Clone(m) }, func(a, b []byte) ([]byte, error) {
		_, err := metamerge.Equal(a, b)
		return nil, err
	}},
}

// hostileObject builds a metadata object of about size bytes: head, then
// as many members from member(i) as fit, then tail.
func hostileObject(size int, head string, member func(i int) string, tail string) []byte {
	var b bytes.Buffer
	b.WriteString(head)
	for i := 0; ; i++ {
		m := member(i)
		if b.Len()+len(m)+1+len(tail) > size {
			break
		}
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(m)
	}
	b.WriteString(tail)
	return b.Bytes()
}

// shortName returns the i-th of the shortest distinct names.
func shortName(i int) string {
	const digits = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	var s []byte
	for {
		s = append(s, digits[i%len(digits)])
		i /= len(digits)
		if i == 0 {
			return string(s)
		}
		i--
	}
}

// nestedDotted returns objects nested depth deep, each holding one member
// whose name of about size/depth bytes has a dot, around a final 0.
func nestedDotted(size, depth int) []byte {
	name := strings.Repeat("d", size/depth-6) + "."
	var b bytes.Buffer
	for i := range depth {
		fmt.Fprintf(&b, `{"%s%d":`, name, i%10)
	}
	b.WriteString("0")
	b.WriteString(strings.Repeat("}", depth))
	return b.Bytes()
}

// TestHostileBounds holds every entry point to the resource bound of the
// package doc: for any input, the call, and the Error() and Auth0Message()
// of every error it returns, allocate at most 10 times the input size plus
// 1 MiB; encoding the errors to JSON (without HTML escaping), at most 8
// times the bytes of their pointers, 2 KiB an error and 1 MiB. The inputs
// are those that cost the most before the bound: long names carried by
// many error pointers, deep dotted names, a million cheap violations, and
// names that Error() would quote byte by byte.
func TestHostileBounds(t *testing.T) {
	const mb = 1 << 20
	longName := func(n int) string { return strings.Repeat("n", n) }
	inputs := []struct {
		name string
		m    []byte
	}{
		{"10 KB name over dotted elements, 20 KB", hostileObject(20<<10, `{"`+longName(10<<10)+`":[`, func(int) string { return `{".":0,"$":0}` }, `]}`)},
		{"half-MB name over dotted elements, 1 MB", hostileObject(mb, `{"`+longName(mb/2)+`":[`, func(int) string { return `{".":0,"$":0}` }, `]}`)},
		{"97 levels of dotted names, 1 MB", nestedDotted(mb, 97)},
		{"dotted members, 1 MB", hostileObject(mb, `{`, func(i int) string { return `".` + shortName(i) + `":1` }, `}`)},
		{"shortest members, 1 MB", hostileObject(mb, `{`, func(i int) string { return `"` + shortName(i) + `":0` }, `}`)},
		{"not-string members, 1 MB", hostileObject(mb, `{`, func(i int) string { return `"` + shortName(i) + `":[]` }, `}`)},
		{"1 MB name of DEL bytes with a dot", []byte(`{"` + strings.Repeat("\x7f", mb) + `.":{"a.b":1}}`)},
		{"1 MB of nested dotted names in arrays", hostileObject(mb, `{"a":[`, func(int) string { return `[{"$":{"$":0}}]` }, `]}`)},
		{"1 MB name of slashes, escaped twice as long", []byte(`{"` + strings.Repeat("/", mb) + `.":0}`)},
		{"1 MB name of <, which JSON may escape", []byte(`{"` + strings.Repeat("<", mb) + `.":0}`)},
		{"long names at one place, several errors each", hostileObject(mb, `{`, func(i int) string { return `"` + shortName(i) + strings.Repeat("k", 20000) + `.":0` }, `}`)},
		{"short names outside the client set", hostileObject(mb, `{`, func(i int) string { return `"!` + shortName(i) + `":0` }, `}`)},
	}
	for _, in := range inputs {
		for _, ep := range entryPoints {
			t.Run(in.name+"/"+ep.name, func(t *testing.T) {
				var err error
				a, b := ep.args(in.m)
				size := len(a) + len(b)
				n := allocated(func() {
					_, err = ep.call(a, b)
					for _, e := range metamerge.Errors(err) {
						_, _ = e.Error(), e.Auth0Message()
					}
				})
				// Encoding writes every pointer out in full: it is held to a
				// small multiple of the pointer bytes, at most twice the input,
				// and 2 KiB an error (the race detector's sync.Pool drops
				// encoding/json's buffers at random).
				errs := metamerge.Errors(err)
				pointers := 0
				for _, e := range errs {
					pointers += len(e.Pointer)
				}
				enc := json.NewEncoder(io.Discard)
				enc.SetEscapeHTML(false)
				if j := allocated(func() { _ = enc.Encode(errs) }); j > 8*uint64(pointers)+2<<10*uint64(len(errs))+mb {
					t.Errorf("JSON encoding allocated %d bytes for %d errors, %d bytes of pointers: over 8× + 2 KiB each + 1 MiB", j, len(errs), pointers)
				}
				factor := stdcmp.Or(factors[ep.name], 10)
				limit := factor*uint64(size) + mb
				ratio := float64(n) / float64(size)
				t.Logf("%d bytes in, %d allocated (%.2f× the input), %d errors", size, n, ratio, len(metamerge.Errors(err)))
				if n > limit {
					t.Errorf("allocated %d bytes for %d bytes of input: over %d× + 1 MiB", n, size, factor)
				}
				if errs := metamerge.Errors(err); len(errs) > 1001 {
					t.Errorf("%d errors: over the default limit", len(errs))
				}
			})
		}
	}
}

// TestInputOverTwoGiB checks H10 at its real limit: a document of 2 GiB is
// too_large before anything else, in the stored document and in the patch,
// even though it is not JSON. The pages of the buffer are never touched.
func TestInputOverTwoGiB(t *testing.T) {
	if testing.Short() {
		t.Skip("maps 2 GiB of address space")
	}
	huge := make([]byte, metamerge.MaxDocumentBytes+1)
	huge[0] = '{'
	tooLarge := func(stored bool) []errorFields {
		return []errorFields{{Code: metamerge.CodeTooLarge, Stored: stored, Offset: -1, Limit: metamerge.MaxDocumentBytes, Actual: len(huge)}}
	}
	for _, tc := range []struct {
		name string
		call func() error
		want []errorFields
	}{
		{"stored", func() error { _, err := metamerge.MergeUser(huge, huge); return err }, tooLarge(true)},
		{"patch", func() error { _, err := metamerge.MergeClient([]byte(`{}`), huge); return err }, tooLarge(false)},
		{"check", func() error { return metamerge.UserRules{}.Check(huge) }, tooLarge(false)},
		{"signup", func() error { return metamerge.ValidateSignup(huge) }, tooLarge(false)},
	} {
		if diff := cmp.Diff(tc.want, fieldsOf(t, tc.call())); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
	over := metamerge.UserRules{Limits: metamerge.Limits{MaxDocumentBytes: metamerge.MaxDocumentBytes + 1}}
	if _, err := over.Merge([]byte(`{}`), []byte(`{}`)); err == nil || len(metamerge.Errors(err)) != 0 {
		t.Errorf("a document limit over 2 GiB − 1 was taken: %v", err)
	}
}

// TestHostileComparisons holds Equal, the diffs and MergeReport to their
// bounds on what makes comparing by meaning costly: values equal in
// meaning but not in text, nested deep, full of colons (which bound the
// members of an object); numbers with exponents of half a million digits;
// and a diff that deletes every member of a large root.
func TestHostileComparisons(t *testing.T) {
	const mb = 1 << 20
	deep := func(space string) []byte {
		return []byte(strings.Repeat(`{"a":`, 97) + `{"s":` + space + `"` + strings.Repeat(":", mb) + `"}` + strings.Repeat("}", 97))
	}
	nines := strings.Repeat("9", 400_000)
	root := hostileObject(mb, `{`, func(i int) string { return `"` + shortName(i) + `":0` }, `}`)
	half := hostileObject(mb/2, `{`, func(i int) string { return `"` + shortName(i) + `":0` }, `}`)
	reversed := func(obj []byte) []byte {
		parts := bytes.Split(obj[1:len(obj)-1], []byte(","))
		slices.Reverse(parts)
		return append(append([]byte("{"), bytes.Join(parts, []byte(","))...), '}')
	}
	spaced := func(v []byte) []byte { return bytes.ReplaceAll(v, []byte(":"), []byte(": ")) }
	alternating := func(depth int) []byte {
		return []byte(strings.Repeat(`[{"a":`, depth/2) + "1" + strings.Repeat("}]", depth/2))
	}
	deep10k := metamerge.Limits{MaxDepth: 10000}
	deepUser := metamerge.UserRules{Limits: deep10k}
	deepField := metamerge.FieldRules{Policy: metamerge.AppMetadata(), Limits: deep10k}
	tests := []struct {
		name   string
		a, b   []byte
		call   func(a, b []byte) error
		factor uint64
	}{
		{"Equal deep colons", deep(""), deep(" "), func(a, b []byte) error { _, err := metamerge.Equal(a, b); return err }, 10},
		{"Equal long exponents", []byte("1e" + nines), []byte("10e" + nines), func(a, b []byte) error { _, err := metamerge.Equal(a, b); return err }, 10},
		{"MergeReport deep colons", wrap("x", deep("")), wrap("x", deep(" ")), func(a, b []byte) error { _, _, err := metamerge.UserRules{}.MergeReport(a, b); return err }, 15},
		{"MergeReport long exponents", []byte(`{"x":1e` + nines + `}`), []byte(`{"x":10e` + nines + `}`), func(a, b []byte) error { _, _, err := metamerge.UserRules{}.MergeReport(a, b); return err }, 15},
		{"DiffUser deep colons", wrap("name", deep("")), wrap("name", deep(" ")), func(a, b []byte) error { _, err := metamerge.DiffUser(a, b); return err }, 25},
		{"DiffUser long exponents", wrap("user_metadata", []byte(`{"x":1e`+nines+`}`)), wrap("user_metadata", []byte(`{"x":10e`+nines+`}`)), func(a, b []byte) error { _, err := metamerge.DiffUser(a, b); return err }, 25},
		{"DiffUser root deletions", root, []byte(`{}`), func(a, b []byte) error { _, err := metamerge.DiffUser(a, b); return err }, 35},
		{"FieldRules.Diff deletions", root, []byte(`{}`), func(a, b []byte) error {
			_, err := metamerge.FieldRules{Policy: metamerge.UserMetadata()}.Diff(a, b)
			return err
		}, 35},
		// Both member lists were built before their counts were compared.
		{"Equal reordered shortest members", half, reversed(half), func(a, b []byte) error { _, err := metamerge.Equal(a, b); return err }, 10},
		{"MergeReport empty object to 1 MB object", []byte(`{"name":{}}`), wrap("name", root), func(a, b []byte) error { _, _, err := metamerge.UserRules{}.MergeReport(a, b); return err }, 15},
		// At the ceiling of MaxDepth: the comparison kept scratch per level.
		{"MergeReport 9,998 deep", wrap("x", nestedObjects(9996)), wrap("x", spaced(nestedObjects(9996))), func(a, b []byte) error { _, _, err := deepUser.MergeReport(a, b); return err }, 15},
		{"FieldRules.Diff 9,990 deep", wrap("a", nestedObjects(9990)), wrap("a", spaced(nestedObjects(9990))), func(a, b []byte) error { _, err := deepField.Diff(a, b); return err }, 35},
		{"FieldRules.Diff3 9,990 deep", wrap("a", nestedObjects(9990)), wrap("a", spaced(nestedObjects(9990))), func(a, b []byte) error {
			_, err := deepField.Diff3(a, b, a)
			return err
		}, 35},
		{"FieldRules.Diff 9,990 alternating", wrap("a", alternating(9990)), wrap("a", spaced(alternating(9990))), func(a, b []byte) error { _, err := deepField.Diff(a, b); return err }, 35},
		{"UserRules.Diff3 9,990 deep", wrap("user_metadata", wrap("a", nestedObjects(9990))), wrap("user_metadata", wrap("a", spaced(nestedObjects(9990)))), func(a, b []byte) error {
			_, err := metamerge.UserRules{Limits: deep10k}.Diff3(a, b, a)
			return err
		}, 35},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			size := len(tc.a) + len(tc.b)
			n := allocated(func() {
				err = tc.call(tc.a, tc.b)
				for _, e := range metamerge.Errors(err) {
					_ = e.Error()
				}
			})
			t.Logf("%d bytes in, %d allocated (%.2f× the input), %v", size, n, float64(n)/float64(size), err)
			if n > tc.factor*uint64(size)+mb {
				t.Errorf("allocated %d bytes for %d bytes of input: over %d× + 1 MiB", n, size, tc.factor)
			}
		})
	}
}
