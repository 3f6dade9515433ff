package metamerge_test

// Does Valid accept exactly the documents H1-H3 and H10 allow?

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/metamerge/metamerge"
)

func TestValid(t *testing.T) {
	deep := func(n int) string { return strings.Repeat("[", n) + strings.Repeat("]", n) }
	tests := []struct {
		name, doc string
		want      *metamerge.Error // nil: valid
		why       string
	}{
		{"object", `{"a":[1,{"b":null}],"c":"\u00e9"}`, nil, "H1: RFC 8259 JSON"},
		{"scalar", ` 1.5e3 `, nil, "H1: any JSON value, with white space around it"},
		{"string", `"x"`, nil, "H1: a string is a JSON text"},
		{"noncharacter", `"\uffff"`, nil, "H2: noncharacters such as U+FFFF are accepted"},
		{"surrogate pair", `"\ud83d\ude00"`, nil, "H2: a surrogate pair is one character"},
		{"at the depth limit", deep(100), nil, "H3: 100 levels is the default limit"},
		{"duplicate names in sibling objects", `[{"a":1},{"a":1}]`, nil, "H2: names repeat only within one object"},
		{"empty", ``, &metamerge.Error{Code: metamerge.CodeInvalidJSON, Offset: 0}, "H1: no value"},
		{"space only", `  `, &metamerge.Error{Code: metamerge.CodeInvalidJSON, Offset: 2}, "H1: no value after the white space"},
		{"trailing text", `{} x`, &metamerge.Error{Code: metamerge.CodeInvalidJSON, Offset: 3}, "H1: nothing after the value"},
		{"byte-order mark", "\xef\xbb\xbf{}", &metamerge.Error{Code: metamerge.CodeInvalidJSON, Offset: 0}, "H1: no byte-order mark"},
		{"bad UTF-8", "\"\xff\"", &metamerge.Error{Code: metamerge.CodeInvalidJSON, Offset: 1}, "H1: UTF-8 only"},
		{"lone surrogate", `"\ud800"`, &metamerge.Error{Code: metamerge.CodeInvalidJSON, Offset: 1}, "H2: an escape may not leave a lone surrogate"},
		{"duplicate", `{"a":{"b":1,"c":2,"b":3}}`, &metamerge.Error{Code: metamerge.CodeDuplicateKey, Pointer: "/a/b", Offset: 18},
			"H2: the first member whose name repeats an earlier one"},
		{"escaped duplicate", `{"a":1,"\u0061":2}`, &metamerge.Error{Code: metamerge.CodeDuplicateKey, Pointer: "/a", Offset: 7},
			"H2: names compare after unescaping"},
		{"too deep", deep(101), &metamerge.Error{Code: metamerge.CodeTooDeep, Pointer: strings.Repeat("/0", 100), Offset: 100, Limit: 100, Actual: 101},
			"H3: past the default limit of 100, at the opening bracket"},
		{"too deep before a bad byte", deep(101)[:101] + "x", &metamerge.Error{Code: metamerge.CodeTooDeep, Pointer: strings.Repeat("/0", 100), Offset: 100, Limit: 100, Actual: 101},
			"H9: the first defect met reading once"},
		{"bad byte before too deep", "[x" + deep(101), &metamerge.Error{Code: metamerge.CodeInvalidJSON, Offset: 1},
			"H9: the first defect met reading once"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := metamerge.Valid([]byte(tc.doc))
			if tc.want == nil {
				if err != nil {
					t.Fatalf("Valid(%q) = %v, want nil: %s", tc.doc, err, tc.why)
				}
				return
			}
			var got *metamerge.Error
			if !errors.As(err, &got) || len(metamerge.Errors(err)) != 1 {
				t.Fatalf("Valid(%q) = %v, want a single *Error: %s", tc.doc, err, tc.why)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s: %s (-want +got)\n%s", tc.name, tc.why, diff)
			}
		})
	}
}

// TestValidAllocs checks that Valid allocates nothing for a valid
// document, as its doc says.
func TestValidAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector changes what allocates")
	}
	doc := []byte(`{"a":[1,{"b":null}],"c":"x","d":{"e":{"f":1}}}`)
	if n := testing.AllocsPerRun(100, func() { _ = metamerge.Valid(doc) }); n != 0 {
		t.Errorf("Valid of a valid document allocates %v times, want 0", n)
	}
}

// TestInvalidJSONOffsets holds the offsets of invalid_json to the
// sentence of Valid's documentation (and SPEC.md's, H9), one case for each
// of its clauses.
func TestInvalidJSONOffsets(t *testing.T) {
	tests := []struct {
		doc  string
		want int
		why  string
	}{
		{`[tru]`, 1, "a wrong literal, at its first byte"},
		{`[tru`, 1, "a literal cut short, at its first byte"},
		{`nul`, 0, "a literal cut short at the root"},
		{`"\x"`, 1, "a bad escape, at its backslash"},
		{`"ab\u12"`, 3, "an escape cut short, at its backslash"},
		{`"\uD800"`, 1, "a lone high surrogate's escape, at its backslash"},
		{`"a\uDC00"`, 2, "a lone low surrogate's escape, at its backslash"},
		{"\"a\xc3(\"", 2, "a UTF-8 sequence cut short, at its first byte"},
		{"\"ab\xff\"", 3, "a byte that starts no UTF-8 sequence"},
		{"\"a\xed\xa0\x80\"", 2, "a surrogate in UTF-8, at its first byte"},
		{`[-]`, 1, "a - that no digit follows, at the -"},
		{`[1.]`, 3, "a number's wrong character"},
		{`[01]`, 2, "a digit after a leading zero"},
		{`[1e+]`, 4, "an exponent without digits"},
		{"\"a\x01\"", 2, "a control byte in a string"},
		{`{"a" 1}`, 5, "a missing colon, at the byte in its place"},
		{`{"a":1 "b":2}`, 7, "a missing comma"},
		{`{"a":1,}`, 7, "a brace after a comma"},
		{`[]]`, 2, "a bracket that closes nothing"},
		{`"abc`, 4, "a string cut short: the end of the document"},
		{`{"a":[1,2`, 9, "a container cut short: the end of the document"},
		{`{} x`, 3, "text after the value, white space aside"},
	}
	for _, tt := range tests {
		err := metamerge.Valid([]byte(tt.doc))
		e, ok := err.(*metamerge.Error)
		if !ok || e.Code != metamerge.CodeInvalidJSON || e.Offset != tt.want {
			t.Errorf("%s: Valid(%q) = %v, want invalid_json at %d", tt.why, tt.doc, err, tt.want)
		}
	}
}

// TestValidAllocsManyMembers holds the other half of Valid's sentence on
// allocation: up to 4,096 members open at once cost nothing, more cost
// their records.
func TestValidAllocsManyMembers(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector changes what allocates")
	}
	object := func(n int) []byte {
		var b strings.Builder
		b.WriteString(`{"o":{`)
		for i := range n {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `"m%d":%d`, i, i)
		}
		b.WriteString(`}}`)
		return []byte(b.String())
	}
	under, over := object(4094), object(4200) // with "o": 4,095 and 4,201 open members
	_ = metamerge.Valid(over)                 // the pool has what a call of this size keeps
	if n := testing.AllocsPerRun(20, func() { _ = metamerge.Valid(under) }); n != 0 {
		t.Errorf("Valid of 4,095 open members allocates %v times, want 0", n)
	}
	if n := testing.AllocsPerRun(20, func() { _ = metamerge.Valid(over) }); n == 0 {
		t.Error("Valid of 4,201 open members allocates nothing: the documented threshold is wrong")
	}
}
