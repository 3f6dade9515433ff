package metamerge

// Is the exact decimal arithmetic right, layer by layer?

import (
	"strings"
	"testing"
)

// TestDecimal checks the exact decimal arithmetic on its own: the reading
// of number text as sign × 0.digits × 10^(exp + shift), the subtraction of
// exponents of any length, and the comparison built on them (D2).
func TestDecimal(t *testing.T) {
	type reading struct {
		neg    bool
		digits string
		shift  int
		exp    string
	}
	readings := []struct {
		n    string
		want reading
		why  string
	}{
		{"0", reading{false, "", 0, ""}, "zero has no digits"},
		{"-0.000", reading{true, "", -3, ""}, "a negative zero has no digits either; its sign and shift mean nothing, and the comparison ignores them"},
		{"1", reading{false, "1", 1, ""}, "0.1 × 10^1"},
		{"100", reading{false, "1", 3, ""}, "trailing zeros leave the digits and stay in the shift"},
		{"1.50", reading{false, "15", 1, ""}, "trailing zeros of the fraction go"},
		{"0.0012", reading{false, "12", -2, ""}, "leading zeros of the fraction move the point"},
		{"007.5", reading{false, "75", 1, ""}, "leading zeros of the integer part (not JSON, but the reading copes)"},
		{"-12.5e-3", reading{true, "125", 2, "-3"}, "the exponent is kept as written"},
		{"1E+400", reading{false, "1", 1, "+400"}, "an upper-case E and a signed exponent"},
	}
	for _, tc := range readings {
		neg, digits, shift, exp := decimal([]byte(tc.n))
		got := reading{neg, string(digits), shift, string(exp)}
		if got != tc.want {
			t.Errorf("decimal(%s) = %+v, want %+v: %s", tc.n, got, tc.want, tc.why)
		}
	}

	long := strings.Repeat("9", 40)
	subtractions := []struct {
		a, b string
		want int64
		ok   bool
		why  string
	}{
		{"", "", 0, true, "no exponents"},
		{"5", "", 5, true, "an empty exponent is 0"},
		{"+5", "-5", 10, true, "signs of both kinds"},
		{"-7", "3", -10, true, "a negative difference"},
		{"007", "7", 0, true, "leading zeros"},
		{"-0", "+0", 0, true, "zero has no sign"},
		{long, long, 0, true, "equal exponents of 40 digits: no overflow"},
		{"1" + long, long, 0, false, "a difference of 40 digits does not fit in an int64"},
		{long, "-1", 0, false, "a sum past int64"},
		{"999999999999999999", "0", 999999999999999999, true, "18 digits fit"},
		{"1000000000000000000", "0", 0, false, "19 digits are refused, though some fit: the numbers then differ anyway"},
	}
	for _, tc := range subtractions {
		got, ok := subtract([]byte(tc.a), []byte(tc.b))
		if ok != tc.ok || ok && got != tc.want {
			t.Errorf("subtract(%q, %q) = %d, %v; want %d, %v: %s", tc.a, tc.b, got, ok, tc.want, tc.ok, tc.why)
		}
	}

	comparisons := []struct {
		a, b string
		want bool
		why  string
	}{
		{"1", "1.0", true, "D2: a fraction of zeros"},
		{"1", "10e-1", true, "the exponent moves the point back"},
		{"0.5", "5e-1", true, "a fraction against an exponent"},
		{"-0", "0", true, "zero equals zero whatever its sign"},
		{"0", "0e999999999999999999999", true, "zero equals zero whatever its exponent"},
		{"1", "-1", false, "the sign counts for non-zero values"},
		{"12345678901234567890", "12345678901234567891", false, "no rounding: past float64 precision"},
		{"1e" + long, "10e" + long, false, "exponents of 40 digits, one power of ten apart"},
		{"10e" + long, "1e1" + strings.Repeat("0", 39), false, "different huge exponents"},
		{"1e1" + strings.Repeat("0", 40), "10e" + long, true, "10^(10^40) written two ways, exponents of 41 and 40 digits"},
		{"1.5e-3", "0.0015", true, "a negative exponent"},
		{"0.1", "0.10000000000000001", false, "every digit counts"},
	}
	var c comparer
	for _, tc := range comparisons {
		if got := c.equalNumbers([]byte(tc.a), []byte(tc.b)); got != tc.want {
			t.Errorf("equalNumbers(%s, %s) = %v, want %v: %s", tc.a, tc.b, got, tc.want, tc.why)
		}
		if got := c.equalNumbers([]byte(tc.b), []byte(tc.a)); got != tc.want {
			t.Errorf("equalNumbers(%s, %s) = %v, want %v (swapped): %s", tc.b, tc.a, got, tc.want, tc.why)
		}
	}
}
