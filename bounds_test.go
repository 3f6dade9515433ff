package metamerge_test

// Does every entry point stay within its memory bound on hostile inputs?

import (
	"bytes"
	stdcmp "cmp"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/metamerge/metamerge"
)

// entryPoint is one way into the package. Given one metadata object m,
// args builds what it takes (a PATCH body, a stored profile, the metadata
// itself), and call calls it with the limits l where the call takes
// limits (the package's functions have the defaults). Its name starts
// with the exported call, as metamerge.ExportedCalls names it.
type entryPoint struct {
	name string
	args func(m []byte) (a, b []byte)
	call func(l metamerge.Limits, a, b []byte) ([]byte, error)
}

// factors replace the 10 of the bound for some entry points: a diff scans
// its documents and merges its result to check it, a report holds a
// change, about 50 bytes, for each member of the patch.
var factors = map[string]uint64{
	"DiffUser": 35, "DiffClient": 35, "UserRules.Diff": 35, "UserRules.Diff3": 35, "ClientRules.Diff": 35,
	"ClientRules.Diff3": 35, "FieldRules.Diff": 35, "FieldRules.Diff3": 35,
	"UserRules.MergeReport": 15, "ClientRules.MergeReport": 15, "FieldRules.MergeReport": 15,
}

// factor returns the bound's factor for an entry point, by its call.
func factor(ep entryPoint) uint64 {
	call, _, _ := strings.Cut(ep.name, " ")
	return stdcmp.Or(factors[call], 10)
}

func wrap(member string, m []byte) []byte {
	return append(append([]byte(`{"`+member+`":`), m...), '}')
}

func patchOf(member string) func(m []byte) ([]byte, []byte) {
	return func(m []byte) ([]byte, []byte) { return []byte(`{}`), wrap(member, m) }
}

func alone(m []byte) ([]byte, []byte) { return nil, m }

func storedOf(member string) func(m []byte) ([]byte, []byte) {
	return func(m []byte) ([]byte, []byte) { return wrap(member, m), []byte(`{"` + member + `":{"z":1}}`) }
}

// fn adapts a function of the package, which has the default limits.
func fn(f func(a, b []byte) ([]byte, error)) func(metamerge.Limits, []byte, []byte) ([]byte, error) {
	return func(_ metamerge.Limits, a, b []byte) ([]byte, error) { return f(a, b) }
}

func user(l metamerge.Limits) metamerge.UserRules     { return metamerge.UserRules{Limits: l} }
func client(l metamerge.Limits) metamerge.ClientRules { return metamerge.ClientRules{Limits: l} }
func fieldRules(p metamerge.Policy, l metamerge.Limits) metamerge.FieldRules {
	return metamerge.FieldRules{Policy: p, Limits: l}
}

// withErrors returns l with MaxErrors at its ceiling.
func withErrors(l metamerge.Limits) metamerge.Limits { l.MaxErrors = 1000; return l }

func report(out []byte, _ []metamerge.Change, err error) ([]byte, error) { return out, err }

var entryPoints = []entryPoint{
	{"MergeUser patch", patchOf("user_metadata"), fn(metamerge.MergeUser)},
	{"MergeUser app_metadata", patchOf("app_metadata"), fn(metamerge.MergeUser)},
	{"MergeUser stored", storedOf("user_metadata"), fn(metamerge.MergeUser)},
	{"MergeClient patch", patchOf("client_metadata"), fn(metamerge.MergeClient)},
	{"UserRules.Merge patch", patchOf("user_metadata"), func(l metamerge.Limits, a, b []byte) ([]byte, error) { return user(l).Merge(a, b) }},
	{"UserRules.Merge stored", storedOf("app_metadata"), func(l metamerge.Limits, a, b []byte) ([]byte, error) { return user(l).Merge(a, b) }},
	{"ClientRules.Merge 1,000 errors", patchOf("client_metadata"), func(l metamerge.Limits, a, b []byte) ([]byte, error) { return client(withErrors(l)).Merge(a, b) }},
	{"ClientRules.Merge stored", storedOf("client_metadata"), func(l metamerge.Limits, a, b []byte) ([]byte, error) { return client(l).Merge(a, b) }},
	{"UserRules.Check", patchOf("user_metadata"), func(l metamerge.Limits, _, b []byte) ([]byte, error) { return nil, user(l).Check(b) }},
	{"ClientRules.Check", patchOf("client_metadata"), func(l metamerge.Limits, _, b []byte) ([]byte, error) { return nil, client(l).Check(b) }},
	{"FieldRules.Merge", func(m []byte) ([]byte, []byte) { return []byte(`{"z":1}`), m }, func(l metamerge.Limits, a, b []byte) ([]byte, error) {
		return fieldRules(metamerge.UserMetadata(), l).Merge(a, b)
	}},
	{"FieldRules.Merge stored", func(m []byte) ([]byte, []byte) { return m, []byte(`{"z":1}`) }, func(l metamerge.Limits, a, b []byte) ([]byte, error) {
		return fieldRules(metamerge.UserMetadata(), l).Merge(a, b)
	}},
	{"FieldRules.Check", alone, func(l metamerge.Limits, _, b []byte) ([]byte, error) {
		return nil, fieldRules(metamerge.ClientMetadata(), l).Check(b)
	}},
	{"FieldRules.Validate", alone, func(l metamerge.Limits, _, b []byte) ([]byte, error) {
		return nil, fieldRules(metamerge.AppMetadata(), l).Validate(b)
	}},
	{"ValidateSignup", alone, func(_ metamerge.Limits, _, b []byte) ([]byte, error) { return nil, metamerge.ValidateSignup(b) }},
	{"Valid", alone, func(_ metamerge.Limits, _, b []byte) ([]byte, error) { return nil, metamerge.Valid(b) }},
	{"FieldRules.Validate 1,000 errors", alone, func(l metamerge.Limits, _, b []byte) ([]byte, error) {
		return nil, fieldRules(metamerge.ClientMetadata(), withErrors(l)).Validate(b)
	}},
	{"DiffUser", patchOf("user_metadata"), fn(metamerge.DiffUser)},
	{"DiffUser before", storedOf("user_metadata"), fn(metamerge.DiffUser)},
	{"DiffUser both", func(m []byte) ([]byte, []byte) { return wrap("user_metadata", m), wrap("app_metadata", m) }, fn(metamerge.DiffUser)},
	{"DiffClient", patchOf("client_metadata"), fn(metamerge.DiffClient)},
	{"UserRules.Diff", patchOf("user_metadata"), func(l metamerge.Limits, a, b []byte) ([]byte, error) { return user(l).Diff(a, b) }},
	{"UserRules.Diff3", patchOf("user_metadata"), func(l metamerge.Limits, a, b []byte) ([]byte, error) { return user(l).Diff3(a, b, a) }},
	{"ClientRules.Diff", storedOf("client_metadata"), func(l metamerge.Limits, a, b []byte) ([]byte, error) { return client(l).Diff(a, b) }},
	{"ClientRules.Diff3", patchOf("client_metadata"), func(l metamerge.Limits, a, b []byte) ([]byte, error) { return client(l).Diff3(a, b, a) }},
	{"FieldRules.Diff", alone, func(l metamerge.Limits, _, b []byte) ([]byte, error) {
		return fieldRules(metamerge.AppMetadata(), l).Diff([]byte(`{"z":1}`), b)
	}},
	{"FieldRules.Diff3", func(m []byte) ([]byte, []byte) { return m, []byte(`{"z":1}`) }, func(l metamerge.Limits, a, b []byte) ([]byte, error) {
		return fieldRules(metamerge.AppMetadata(), l).Diff3(a, b, a)
	}},
	{"UserRules.MergeReport", patchOf("user_metadata"), func(l metamerge.Limits, a, b []byte) ([]byte, error) { return report(user(l).MergeReport(a, b)) }},
	{"ClientRules.MergeReport", patchOf("client_metadata"), func(l metamerge.Limits, a, b []byte) ([]byte, error) { return report(client(l).MergeReport(a, b)) }},
	{"FieldRules.MergeReport", func(m []byte) ([]byte, []byte) { return []byte(`{"z":{}}`), m }, func(l metamerge.Limits, a, b []byte) ([]byte, error) {
		return report(fieldRules(metamerge.UserMetadata(), l).MergeReport(a, b))
	}},
	// The same value in both documents, in another text: the calls
	// compare it by meaning all the way down.
	{"UserRules.Diff spaced", func(m []byte) ([]byte, []byte) { return wrap("user_metadata", m), wrap("user_metadata", spaced(m)) }, func(l metamerge.Limits, a, b []byte) ([]byte, error) { return user(l).Diff(a, b) }},
	{"UserRules.MergeReport spaced", func(m []byte) ([]byte, []byte) { return wrap("user_metadata", m), wrap("user_metadata", spaced(m)) }, func(l metamerge.Limits, a, b []byte) ([]byte, error) {
		return report(user(l).MergeReport(a, b))
	}},
	{"FieldRules.Diff3 spaced", func(m []byte) ([]byte, []byte) { return m, spaced(m) }, func(l metamerge.Limits, a, b []byte) ([]byte, error) {
		return fieldRules(metamerge.AppMetadata(), l).Diff3(a, b, a)
	}},
	// The same value but for its last digit, deepest down in the deep
	// inputs: a comparison goes all the way.
	{"UserRules.MergeReport changed last", func(m []byte) ([]byte, []byte) {
		return wrap("user_metadata", m), wrap("user_metadata", changedLast(m))
	}, func(l metamerge.Limits, a, b []byte) ([]byte, error) {
		return report(user(l).MergeReport(a, b))
	}},
	{"UserRules.Diff changed last", func(m []byte) ([]byte, []byte) {
		return wrap("user_metadata", m), wrap("user_metadata", changedLast(m))
	}, func(l metamerge.Limits, a, b []byte) ([]byte, error) { return user(l).Diff(a, b) }},
	{"Equal changed last", func(m []byte) ([]byte, []byte) { return m, changedLast(m) }, func(_ metamerge.Limits, a, b []byte) ([]byte, error) {
		_, err := metamerge.Equal(a, b)
		return nil, err
	}},
	// The hostile object as the whole document: its members are root
	// members, which the merge plans one piece each.
	{"MergeUser root patch", func(m []byte) ([]byte, []byte) { return []byte(`{}`), m }, fn(metamerge.MergeUser)},
	{"MergeUser root stored", func(m []byte) ([]byte, []byte) { return m, []byte(`{"z":1}`) }, fn(metamerge.MergeUser)},
	{"MergeUser root both", func(m []byte) ([]byte, []byte) { return m, bytes.Clone(m) }, fn(metamerge.MergeUser)},
	{"MergeClient root patch", func(m []byte) ([]byte, []byte) { return []byte(`{}`), m }, fn(metamerge.MergeClient)},
	{"UserRules.MergeReport root", func(m []byte) ([]byte, []byte) { return []byte(`{}`), m }, func(l metamerge.Limits, a, b []byte) ([]byte, error) { return report(user(l).MergeReport(a, b)) }},
	{"DiffUser root", func(m []byte) ([]byte, []byte) { return []byte(`{}`), m }, fn(metamerge.DiffUser)},
	{"UserRules.Diff root", func(m []byte) ([]byte, []byte) { return m, []byte(`{"z":1}`) }, func(l metamerge.Limits, a, b []byte) ([]byte, error) { return user(l).Diff(a, b) }},
	{"Equal", func(m []byte) ([]byte, []byte) { return m, bytes.Clone(m) }, func(_ metamerge.Limits, a, b []byte) ([]byte, error) {
		_, err := metamerge.Equal(a, b)
		return nil, err
	}},
	{"Equal spaced", func(m []byte) ([]byte, []byte) { return m, spaced(m) }, func(_ metamerge.Limits, a, b []byte) ([]byte, error) {
		_, err := metamerge.Equal(a, b)
		return nil, err
	}},
}

// changedLast returns a copy of v with its last 0 made a 1 (v itself when
// it has none).
func changedLast(v []byte) []byte {
	i := bytes.LastIndexByte(v, '0')
	if i < 0 {
		return v
	}
	c := bytes.Clone(v)
	c[i] = '1'
	return c
}

// spaced returns v with a space after each colon: the same meaning in
// another text.
func spaced(v []byte) []byte { return bytes.ReplaceAll(v, []byte(":"), []byte(": ")) }

// TestEntryPointsCoverAPI keeps the table of entry points that
// TestHostileBounds runs complete: every exported call has a row.
func TestEntryPointsCoverAPI(t *testing.T) {
	have := map[string]bool{}
	for _, ep := range entryPoints {
		call, _, _ := strings.Cut(ep.name, " ")
		have[call] = true
	}
	for _, call := range metamerge.ExportedCalls(t) {
		if !have[call] {
			t.Errorf("%s has no row in entryPoints", call)
		}
	}
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

// escapeUnits are the characters whose text grows on the way out, as
// written in a JSON name: "~" and "/" take two bytes in a pointer; a
// control character, "\"" and "\\" are escaped by Error() and
// MarshalJSON; U+2028 is escaped by MarshalJSON. (A name cannot hold
// invalid UTF-8: the scanner refuses it.)
var escapeUnits = []struct{ name, unit string }{
	{"tilde", "~"}, {"slash", "/"}, {"U+0001", `\u0001`}, {"U+2028", "\u2028"}, {"quote", `\"`},
}

// escapedNames returns objects nested levels deep, about size bytes in
// all, each holding one member whose name repeats unit (JSON text), around
// an innermost object holding a dotted name or, with dup, the same long
// name twice. The pointer of the error inside is then as long as the
// input, or twice as long, whatever the depth.
func escapedNames(size, levels int, unit string, dup bool) []byte {
	names := levels
	if dup {
		names += 2
	}
	name := strings.Repeat(unit, max(1, (size-16)/names/len(unit)-5))
	var b bytes.Buffer
	b.Grow(size + 64)
	for range levels {
		b.WriteString(`{"` + name + `":`)
	}
	if dup {
		b.WriteString(`{"` + name + `":1,"` + name + `":1}`)
	} else {
		b.WriteString(`{"a.0":1}`)
	}
	b.WriteString(strings.Repeat("}", levels))
	return b.Bytes()
}

// TestHostileBounds holds every entry point to the resource bound of the
// package doc: for any input, the call, and the Error() and Auth0Message()
// of every error it returns, allocate at most 10 times the input size plus
// 1 MiB; MarshalJSON, at most 6 times the bytes of their pointers, 2 KiB
// an error and 1 MiB. The inputs are those that cost the most before the
// bound: long names carried by many error pointers, deep dotted names, a
// million cheap violations, names that Error() would quote byte by byte,
// and names that grow when escaped (escapeUnits) at every depth; and
// values nested near the ceiling of MaxDepth. Every entry point (TestEntryPointsCoverAPI) runs
// with the default limits and with MaxDepth at its ceiling of 10,000. In
// short mode (a quick check) the ceiling takes only the deep inputs, and
// each entry point meets an eighth of the 1 MB inputs and every small deep
// one; the suite (.ci/run) runs every pair.
func TestHostileBounds(t *testing.T) {
	if raceEnabled {
		t.Skip("bounds of allocation and time, which the race detector changes; the suite checks them without it")
	}
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
		{"members of one-element arrays, 1 MB", hostileObject(mb, `{`, func(i int) string { return `"` + shortName(i) + `":[0]` }, `}`)},
		{"array of one-element arrays, 1 MB", hostileObject(mb, `{"a":[`, func(int) string { return `[0]` }, `]}`)},
		{"1 MB name of DEL bytes with a dot", []byte(`{"` + strings.Repeat("\x7f", mb) + `.":{"a.b":1}}`)},
		{"1 MB of nested dotted names in arrays", hostileObject(mb, `{"a":[`, func(int) string { return `[{"$":{"$":0}}]` }, `]}`)},
		{"1 MB name of slashes, escaped twice as long", []byte(`{"` + strings.Repeat("/", mb) + `.":0}`)},
		{"1 MB name of <, which JSON may escape", []byte(`{"` + strings.Repeat("<", mb) + `.":0}`)},
		{"long names at one place, several errors each", hostileObject(mb, `{`, func(i int) string { return `"` + shortName(i) + strings.Repeat("k", 20000) + `.":0` }, `}`)},
		{"short names outside the client set", hostileObject(mb, `{`, func(i int) string { return `"!` + shortName(i) + `":0` }, `}`)},
	}
	// Names that grow when escaped, at every depth: one level, the most
	// the default MaxDepth allows, past it (too_deep), and near 10,000
	// (deepInputs); with a dotted name or a duplicate at the bottom.
	for _, u := range escapeUnits {
		for _, levels := range []int{1, 97, 120} {
			inputs = append(inputs, struct {
				name string
				m    []byte
			}{fmt.Sprintf("%d levels of %s names, 1 MB", levels, u.name), escapedNames(mb, levels, u.unit, false)})
		}
		inputs = append(inputs, struct {
			name string
			m    []byte
		}{fmt.Sprintf("97 levels of %s names over a duplicate, 1 MB", u.name), escapedNames(mb, 97, u.unit, true)})
	}
	deepInputs := []struct {
		name string
		m    []byte
	}{
		{"9,990 levels of dotted names, 1 MB", nestedDotted(mb, 9990)},
		{"1 MB array 9,990 deep", []byte(`{"a":` + strings.Repeat("[", 9990) + strings.Repeat("0,", (mb-2*9990)/2) + "0" + strings.Repeat("]", 9990) + `}`)},
		{"9,990 levels of [{, 1 MB", []byte(`{"a":` + strings.Repeat(`[{"a":`, 4994) + "[" + strings.Repeat(`0,`, (mb-8*4995)/2) + "0]" + strings.Repeat(`}]`, 4994) + `}`)},
		// The smallest documents of that depth: the 1 MiB allowance hides
		// less of what each level costs (the stacks of a scan and of a
		// comparison) than in a document of 1 MB.
		{"arrays 9,990 deep, 20 KB", []byte(`{"a":` + strings.Repeat("[", 9989) + "0" + strings.Repeat("]", 9989) + `}`)},
		{"objects 9,990 deep, 50 KB", []byte(strings.Repeat(`{"a":`, 9990) + "0" + strings.Repeat("}", 9990))},
		{"[{ 9,990 deep, 40 KB", []byte(`{"a":` + strings.Repeat(`[{"a":`, 4994) + "[0]" + strings.Repeat(`}]`, 4994) + `}`)},
	}
	for _, u := range escapeUnits {
		deepInputs = append(deepInputs, struct {
			name string
			m    []byte
		}{fmt.Sprintf("9,990 levels of %s names, 1 MB", u.name), escapedNames(mb, 9990, u.unit, false)})
	}
	for _, in := range append(inputs, deepInputs...) {
		if !json.Valid(in.m) {
			t.Fatalf("%s: not JSON", in.name)
		}
	}
	inputs = append(inputs, deepInputs...)
	deep := metamerge.Limits{MaxDepth: 10000}
	for _, l := range []metamerge.Limits{{}, deep} {
		for i, in := range inputs {
			if testing.Short() && l == deep && i < len(inputs)-len(deepInputs) {
				continue // in short mode only the deep inputs at the deepest limit
			}
			for j, ep := range entryPoints {
				if testing.Short() && (l != deep || len(in.m) > mb/2) && (i+j)%8 != 0 {
					continue // short mode: an eighth of the pairs; every input and every entry point still met
				}
				hostileBound(t, fmt.Sprintf("MaxDepth %d/%s/%s", l.MaxDepth, in.name, ep.name), l, in.m, ep)
			}
		}
	}
}

// TestHostileEscapedNamesAt4MB holds every entry point to the bound of
// TestHostileBounds on one name of 4 MB written with escapes: the 1 MiB
// allowance, a quarter of the input here, no longer hides a cost of 11
// times the input (each buffer that held the decoded name grew step by
// step to its size).
func TestHostileEscapedNamesAt4MB(t *testing.T) {
	if testing.Short() {
		t.Skip("4 MB for each entry point")
	}
	for _, u := range escapeUnits {
		if !strings.HasPrefix(u.unit, `\`) {
			continue // only the names that JSON escapes
		}
		m := escapedNames(4<<20, 1, u.unit, false)
		for _, ep := range entryPoints {
			hostileBound(t, u.name+"/"+ep.name, metamerge.Limits{}, m, ep)
		}
	}
}

// hostileBound runs ep on the hostile object m with limits l and holds it
// to the bound of TestHostileBounds.
func hostileBound(t *testing.T, name string, l metamerge.Limits, m []byte, ep entryPoint) {
	const mb = 1 << 20
	t.Run(name, func(t *testing.T) {
		var err error
		a, b := ep.args(m)
		size := len(a) + len(b)
		n := allocated(func() {
			_, err = ep.call(l, a, b)
			for _, e := range metamerge.Errors(err) {
				_, _ = e.Error(), e.Auth0Message()
			}
		})
		// MarshalJSON writes every pointer out in full, escaped: it is
		// held to 6 bytes for each byte of the pointers (a control
		// character is \u0001), 2 KiB an error and 1 MiB. A json.Encoder
		// copies that text once more into its own buffer.
		errs := metamerge.Errors(err)
		pointers, text := 0, 0
		for _, e := range errs {
			pointers += len(e.Pointer)
		}
		j := allocated(func() {
			for _, e := range errs {
				b, _ := e.MarshalJSON()
				text += len(b)
			}
		})
		if j > 6*uint64(pointers)+2<<10*uint64(len(errs))+mb {
			t.Errorf("MarshalJSON allocated %d bytes for %d errors, %d bytes of pointers: over 6× + 2 KiB each + 1 MiB", j, len(errs), pointers)
		}
		enc := json.NewEncoder(io.Discard)
		enc.SetEscapeHTML(false)
		if j := allocated(func() { _ = enc.Encode(errs) }); j > 4*uint64(text)+2<<10*uint64(len(errs))+mb {
			t.Errorf("json.Encoder allocated %d bytes for %d errors, %d bytes of text: over 4× + 2 KiB each + 1 MiB", j, len(errs), text)
		}
		if pointers > 0 {
			t.Logf("MarshalJSON: %d bytes for %d bytes of pointers (%.2f×)", j, pointers, float64(j)/float64(pointers))
		}
		factor := factor(ep)
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

// TestInputOverTwoGiB checks H10 at its real limit: a document of 2 GiB is
// too_large before anything else, in the stored document and in the patch,
// even though it is not JSON. The pages of the buffer are never touched.
func TestInputOverTwoGiB(t *testing.T) {
	if testing.Short() {
		t.Skip("maps 2 GiB of address space")
	}
	if strconv.IntSize < 64 {
		t.Skip("a document over 2 GiB − 1 has no length on a 32-bit platform")
	}
	// One over the limit, computed: as a constant it would not compile
	// where int has 32 bits.
	over2GiB := metamerge.MaxDocumentBytes
	over2GiB++
	huge := make([]byte, over2GiB)
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
		{"valid", func() error { return metamerge.Valid(huge) }, tooLarge(false)},
	} {
		if diff := cmp.Diff(tc.want, fieldsOf(t, tc.call())); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
	over := metamerge.UserRules{Limits: metamerge.Limits{MaxDocumentBytes: over2GiB}}
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
	if raceEnabled {
		t.Skip("bounds of allocation and time, which the race detector changes; the suite checks them without it")
	}
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
