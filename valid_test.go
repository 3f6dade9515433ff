package metamerge_test

// Does Valid accept exactly the documents H1-H3 and H10 allow?

import (
	"errors"
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
