package metamerge

// Are two JSON numbers the same value? Exact decimal comparison, any length.

import "bytes"

// equalNumbers compares two valid numbers by exact decimal value.
func (c *comparer) equalNumbers(a, b []byte) bool {
	negA, digA, shiftA, expA := decimal(a)
	negB, digB, shiftB, expB := decimal(b)
	if len(digA) == 0 || len(digB) == 0 {
		return len(digA) == len(digB) // zero equals only zero, whatever its sign
	}
	if negA != negB || !bytes.Equal(digA, digB) {
		return false
	}
	// The values are equal if expA + shiftA == expB + shiftB, that is if
	// expA − expB == shiftB − shiftA, a small number: exponents of any
	// length are compared in one pass over their digits.
	d, ok := subtract(expA, expB)
	return ok && d == int64(shiftB-shiftA)
}

// decimal reads number text n as sign × 0.digits × 10^(exp + shift), with
// digits free of leading and trailing zeros (none for zero), shift a small
// number and exp the exponent's text as written (sign included; "" for 0).
func decimal(n []byte) (neg bool, digits []byte, shift int, exp []byte) {
	if n[0] == '-' {
		neg, n = true, n[1:]
	}
	end := 0
	for end < len(n) && n[end] != 'e' && n[end] != 'E' {
		end++
	}
	if end < len(n) {
		exp = n[end+1:]
	}
	mant := n[:end]
	intPart, frac := mant, []byte(nil)
	if p := bytes.IndexByte(mant, '.'); p >= 0 {
		intPart, frac = mant[:p], mant[p+1:]
	}
	// digits: intPart then frac, without the point; the leading zeros of
	// both together move the point.
	lead := 0
	for lead < len(intPart) && intPart[lead] == '0' {
		lead++
	}
	shift = len(intPart) - lead
	if lead == len(intPart) { // an integer part of zeros: skip the fraction's leading zeros
		fl := 0
		for fl < len(frac) && frac[fl] == '0' {
			fl++
		}
		shift, frac = -fl, frac[fl:]
		intPart = nil
	} else {
		intPart = intPart[lead:]
	}
	if len(frac) == 0 {
		digits = intPart
	} else if len(intPart) == 0 {
		digits = frac
	} else {
		digits = append(append(make([]byte, 0, len(intPart)+len(frac)), intPart...), frac...)
	}
	for len(digits) > 0 && digits[len(digits)-1] == '0' {
		digits = digits[:len(digits)-1]
	}
	return neg, digits, shift, exp
}

// subtract returns a − b for two exponents written as JSON exponents (an
// optional sign, then digits; "" is 0), when the difference fits in an
// int64. It takes time linear in their length, whatever it is.
func subtract(a, b []byte) (int64, bool) {
	negA, ma := magnitude(a)
	negB, mb := magnitude(b)
	var neg bool
	var m []byte
	if negA == negB { // a − b = ±(|a| − |b|)
		if compareMagnitudes(ma, mb) >= 0 {
			m, neg = subtractMagnitudes(ma, mb), negA
		} else {
			m, neg = subtractMagnitudes(mb, ma), !negA
		}
	} else { // a − b = ±(|a| + |b|), the sign of a
		m, neg = addMagnitudes(ma, mb), negA
	}
	for len(m) > 1 && m[0] == '0' {
		m = m[1:]
	}
	if len(m) > 18 {
		return 0, false
	}
	var v int64
	for _, c := range m {
		v = v*10 + int64(c-'0')
	}
	if neg {
		v = -v
	}
	return v, true
}

// magnitude splits an exponent into its sign and digits without leading
// zeros ("0" for zero).
func magnitude(e []byte) (bool, []byte) {
	neg := false
	if len(e) > 0 && (e[0] == '-' || e[0] == '+') {
		neg, e = e[0] == '-', e[1:]
	}
	for len(e) > 1 && e[0] == '0' {
		e = e[1:]
	}
	if len(e) == 0 || e[0] == '0' {
		return false, []byte{'0'}
	}
	return neg, e
}

func compareMagnitudes(a, b []byte) int {
	if len(a) != len(b) {
		return len(a) - len(b)
	}
	return bytes.Compare(a, b)
}

// subtractMagnitudes returns a − b for decimal digit strings, a ≥ b.
func subtractMagnitudes(a, b []byte) []byte {
	out := make([]byte, len(a))
	borrow := byte(0)
	for i := range a {
		x := a[len(a)-1-i] - '0'
		y := borrow
		if i < len(b) {
			y += b[len(b)-1-i] - '0'
		}
		borrow = 0
		if x < y {
			x += 10
			borrow = 1
		}
		out[len(a)-1-i] = x - y + '0'
	}
	return out
}

// addMagnitudes returns a + b for decimal digit strings.
func addMagnitudes(a, b []byte) []byte {
	if len(a) < len(b) {
		a, b = b, a
	}
	out := make([]byte, len(a)+1)
	carry := byte(0)
	for i := range a {
		s := a[len(a)-1-i] - '0' + carry
		if i < len(b) {
			s += b[len(b)-1-i] - '0'
		}
		carry = s / 10
		out[len(a)-i] = s%10 + '0'
	}
	out[0] = carry + '0'
	return out
}
