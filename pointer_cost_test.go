package metamerge_test

// Do a pointer's texts cost what their length says: MarshalJSON, Error()
// and Auth0Message() on names whose encoding grows?

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/metamerge/metamerge"
)

// pieces are the texts the generators draw from: every ASCII byte that
// JSON escapes, "<", ">" and "&" (which MarshalJSON keeps), U+2028 and
// U+2029, other runes, invalid UTF-8 (a caller may build an Error by
// hand), and the pointer's own escapes.
var pieces = []string{
	"\x00", "\x01", "\x08", "\t", "\n", "\x0b", "\x0c", "\r", "\x1f", "\x7f", `"`, `\`, "/", "~", "~0", "~1",
	".", "a", "<", ">", "&", "\u2028", "\u2029", "é", "\U0001F600", "\ufffd", "\xff", "\xc3", "\xed\xa0\x80",
}

// randomText returns up to n pieces drawn by r.
func randomText(r *rand.Rand, n int) string {
	var b strings.Builder
	for range r.IntN(n + 1) {
		b.WriteString(pieces[r.IntN(len(pieces))])
	}
	return b.String()
}

// encoderJSON is what MarshalJSON wrote before it wrote its text itself:
// the same members through encoding/json without HTML escaping.
func encoderJSON(t *testing.T, e *metamerge.Error) []byte {
	t.Helper()
	type errorJSON struct {
		Code    metamerge.Code `json:"code"`
		Pointer string         `json:"pointer"`
		Stored  bool           `json:"stored,omitempty"`
		Offset  *int           `json:"offset,omitempty"`
		Limit   *int           `json:"limit,omitempty"`
		Actual  *int           `json:"actual,omitempty"`
		Found   string         `json:"found,omitempty"`
		Signup  bool           `json:"signup,omitempty"`
		Message string         `json:"message"`
	}
	j := errorJSON{Code: e.Code, Pointer: e.Pointer, Stored: e.Stored, Found: e.Found, Signup: e.Signup, Message: e.Error()}
	if e.Offset >= 0 {
		j.Offset = &e.Offset
	}
	if e.Limit > 0 {
		j.Limit, j.Actual = &e.Limit, &e.Actual
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(j); err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSuffix(b.Bytes(), []byte{'\n'})
}

// TestMarshalJSONMatchesEncoder checks MarshalJSON, byte for byte, against
// encoding/json on errors whose fields are drawn from every text JSON
// escapes, with every member present and absent.
func TestMarshalJSONMatchesEncoder(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	runs := 20000
	if testing.Short() {
		runs = 2000
	}
	for i := range runs {
		e := &metamerge.Error{
			Code: metamerge.Code(randomText(r, 3)), Pointer: randomText(r, 200), Stored: r.IntN(2) == 0,
			Offset: r.IntN(3) - 1, Found: randomText(r, 2), Signup: r.IntN(2) == 0,
		}
		if i%3 == 0 {
			e.Offset, e.Limit, e.Actual = r.Int(), r.IntN(math.MaxInt32), r.Int()-r.Int()
		}
		if i%2 == 0 {
			e.Code, e.Found = metamerge.CodeNotString, ""
		}
		got, err := e.MarshalJSON()
		want := encoderJSON(t, e)
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("%#v:\ngot  %s %v\nwant %s", e, got, err, want)
		}
	}
}

// TestPointerTextsCost holds the texts of one error with a 1 MB pointer
// made of each piece to their size: MarshalJSON allocates its output once
// (the message aside) and at most 6 bytes for each byte of the pointer,
// Error() under 1 KiB whatever the pointer, and Auth0Message() its
// output once. They used to grow a buffer by doubling and copy it: 43
// times the pointer for MarshalJSON on control characters.
func TestPointerTextsCost(t *testing.T) {
	const mb = 1 << 20
	full := &metamerge.Error{Code: metamerge.CodeTooManyKeys, Pointer: "/a", Stored: true, Offset: math.MaxInt32, Limit: 1000, Actual: math.MaxInt32 - 1, Found: "x", Signup: true}
	if n := testing.AllocsPerRun(100, func() { _, _ = full.MarshalJSON() }); n != 2 {
		t.Errorf("MarshalJSON made %v allocations, want 2: the message and the output", n)
	}
	if n := testing.AllocsPerRun(100, func() { _ = full.Error() }); n != 1 {
		t.Errorf("Error() made %v allocations, want 1", n)
	}
	const slack = 16 << 10 // a page of rounding for each large allocation, and the message
	for _, piece := range pieces {
		name := strings.Repeat(piece, mb/len(piece))
		for _, e := range []*metamerge.Error{
			{Code: metamerge.CodeNotString, Pointer: "/user_metadata/" + name, Offset: 12, Found: "number"},
			{Code: metamerge.CodeNotString, Pointer: "/" + name, Offset: 1, Found: "object", Signup: true},
		} {
			var out []byte
			n := allocated(func() { out, _ = e.MarshalJSON() })
			if n > uint64(len(out))+slack || len(out) > 6*len(e.Pointer)+1024 {
				t.Errorf("%q: MarshalJSON allocated %d bytes for %d of output, %d of pointer", piece, n, len(out), len(e.Pointer))
			}
			var msg string
			if n := allocated(func() { msg = e.Error() }); n > 1024 {
				t.Errorf("%q: Error() allocated %d bytes: %.80q", piece, n, msg)
			}
			if n := allocated(func() { msg = e.Auth0Message() }); n > uint64(len(msg))+slack || len(msg) > len(e.Pointer)+100 {
				t.Errorf("%q: Auth0Message() allocated %d bytes for %d of output, %d of pointer", piece, n, len(msg), len(e.Pointer))
			}
		}
	}
}

// dottedRef is the dotted path of Auth0's texts as first written: split at
// "/", unescape ~1 then ~0, join with ".".
func dottedRef(p string) string {
	parts := strings.Split(strings.TrimPrefix(p, "/"), "/")
	for i, s := range parts {
		parts[i] = strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")
	}
	return strings.Join(parts, ".")
}

// TestAuth0MessageDottedPath checks the property path of Auth0Message,
// now written in one pass, against the split-and-replace it replaced, on
// pointers of "/", "~", "0", "1" and "." in every order, including the
// escapes a pointer built by hand may break ("~" last, "~2").
func TestAuth0MessageDottedPath(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	const alphabet = "/~01.2a"
	for range 20000 {
		b := make([]byte, r.IntN(12))
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		p := string(b)
		signup := &metamerge.Error{Code: metamerge.CodeNotString, Pointer: p, Signup: true}
		if got, want := signup.Auth0Message(), "invalid user_metadata."+dottedRef(p)+" type (only strings are allowed)"; got != want {
			t.Fatalf("signup %q:\ngot  %q\nwant %q", p, got, want)
		}
		patch := &metamerge.Error{Code: metamerge.CodeNotObject, Pointer: p, Found: "array"}
		want := "Payload validation error: 'Expected type object but found type array'"
		if p != "" {
			want += " on property " + dottedRef(p)
		}
		if got := patch.Auth0Message(); got != want {
			t.Fatalf("patch %q:\ngot  %q\nwant %q", p, got, want)
		}
	}
}
