package metamerge_test

// Does Equal compare by meaning (D2)?

import (
	"strings"
	"testing"

	"github.com/metamerge/metamerge"
)

func TestEqual(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
		why  string
	}{
		{`1`, `1.0`, true, "D2: numbers by decimal value"},
		{`1`, `1e0`, true, "an exponent"},
		{`100`, `1E+2`, true, "a signed exponent"},
		{`0.001`, `1e-3`, true, "a negative exponent"},
		{`-0`, `0.0e5`, true, "zero is zero, whatever its sign or exponent"},
		{`12345678901234567890`, `12345678901234567891`, false, "no float rounding: these differ in the last digit"},
		{`1e400`, `10e399`, true, "beyond float64"},
		{`1e99999999999999999999999`, `1e99999999999999999999998`, false, "exponents of any length"},
		{`0.1`, `0.10000000000000001`, false, "exact, not float64"},
		{`1`, `-1`, false, "the sign"},
		{`"é"`, `"\u00e9"`, true, "strings after decoding"},
		{`"a/b"`, `"a\/b"`, true, "an escaped solidus"},
		{`"a"`, `"b"`, false, "different strings"},
		{`{"a":1,"b":[1,2]}`, `{ "b" : [1, 2.0], "a" : 1 }`, true, "objects as sets, white space aside"},
		{`{"a":1}`, `{"a":1,"b":2}`, false, "a member more"},
		{`{"a":1,"b":2}`, `{"a":1,"c":2}`, false, "another name"},
		{`{"\u0061":{"x":[{}]}}`, `{"a":{"x":[{}]}}`, true, "names after decoding, nested"},
		{`[1,2]`, `[2,1]`, false, "arrays in order"},
		{`[1]`, `[1,1]`, false, "arrays of other lengths"},
		{`[]`, `{}`, false, "different kinds"},
		{`null`, `false`, false, "literals"},
		{`true`, ` true `, true, "white space around the value"},
		{`"1"`, `1`, false, "a string is not a number"},
		{`1e99999999999999999999`, `10e99999999999999999998`, true, "exponents past int64, equal values"},
		{`1e99999999999999999999`, `10e99999999999999999997`, false, "exponents past int64, other values"},
		{`0.1e-99999999999999999998`, `1e-99999999999999999999`, true, "negative exponents past int64"},
		{`1e-0`, `1`, true, "a negative zero exponent"},
		{`1e0005`, `1e+5`, true, "leading zeros in the exponent"},
		{`100E-2`, `1`, true, "a capital E"},
		{`0.050`, `5e-2`, true, "zeros of the fraction"},
		{`-0.0`, `0e5`, true, "zeros"},
	}
	for _, tc := range tests {
		got, err := metamerge.Equal([]byte(tc.a), []byte(tc.b))
		if err != nil || got != tc.want {
			t.Errorf("Equal(%s, %s) = %v, %v; want %v (%s)", tc.a, tc.b, got, err, tc.want, tc.why)
		}
		if back, _ := metamerge.Equal([]byte(tc.b), []byte(tc.a)); back != got {
			t.Errorf("Equal is not symmetric on %s, %s", tc.a, tc.b)
		}
	}
	many := func(order func(i int) int) string {
		var b strings.Builder
		b.WriteByte('{')
		for i := range 100 {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(`"k` + strings.Repeat("x", order(i)) + `":{"v":[` + strings.Repeat("1,", order(i)) + `1]}`)
		}
		b.WriteByte('}')
		return b.String()
	}
	a, b := many(func(i int) int { return i }), many(func(i int) int { return 99 - i })
	if eq, err := metamerge.Equal([]byte(a), []byte(b)); !eq || err != nil {
		t.Errorf("large objects in other orders: %v, %v", eq, err)
	}
	for _, tc := range []struct{ a, b, code string }{{`{"a":1,"a":2}`, `{}`, "duplicate_key"}, {`{}`, `[1,]`, "invalid_json"}} {
		_, err := metamerge.Equal([]byte(tc.a), []byte(tc.b))
		if errs := metamerge.Errors(err); len(errs) != 1 || string(errs[0].Code) != tc.code || errs[0].Stored != (tc.code == "duplicate_key") {
			t.Errorf("Equal(%s, %s): %v, want %s", tc.a, tc.b, err, tc.code)
		}
	}
}
