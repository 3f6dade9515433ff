package metamerge

import "bytes"

// Equal reports whether the JSON documents a and b mean the same (D2):
// strings compare after decoding escapes, numbers by exact decimal value
// (1, 1.0, 10e-1 and 1e0 are equal; no rounding, any length), objects as
// sets of members (order and white space aside), arrays element by
// element; true, false and null equal only themselves. It takes time and
// memory linear in the size of a and b, however long their numbers.
//
// It returns the error of an input over MaxDocumentBytes or the parse error
// of a (with Stored set) or of b (H1–H3, H10), before comparing anything.
func Equal(a, b []byte) (bool, error) {
	w := getWork()
	defer w.release()
	for k, doc := range [][]byte{a, b} {
		if err := docTooLarge(doc, Limits{}, k == 0); err != nil {
			return false, err
		}
		var err *Error
		if _, err = w.sc.scan(doc, DefaultMaxDepth, 0, w.smem); err != nil {
			err.Stored = k == 0
			return false, err
		}
	}
	return w.eq.equal(trimSpace(a), trimSpace(b), 0), nil
}

// trimSpace returns doc without the white space around its value.
func trimSpace(doc []byte) []byte {
	i, j := skipSpace(doc, 0), len(doc)
	for j > i && isSpace(doc[j-1]) {
		j--
	}
	return doc[i:j]
}

// comparer compares valid JSON values by meaning. It keeps, for each
// nesting level, the members of the object being compared there.
type comparer struct {
	levels []eqLevel
	na, nb []byte // decoded strings
}

// release empties c for the pool (see work.release).
func (c *comparer) release() {
	c.na, c.nb = pooled(c.na, 1), pooled(c.nb, 1)
	for i := range c.levels {
		lv := &c.levels[i]
		lv.a, lv.b = pooled(lv.a, memberSize), pooled(lv.b, memberSize)
		lv.idx.release()
	}
	if len(c.levels) > 64 {
		c.levels = nil
	}
}

// eqLevel holds the members of the two objects compared at one level, and
// an index of the second when it is large.
type eqLevel struct {
	a, b []member
	idx  index
}

// equal reports whether the valid JSON values a and b, without white space
// around them, mean the same. depth is the nesting level of a and b.
func (c *comparer) equal(a, b []byte, depth int) bool {
	if bytes.Equal(a, b) {
		return true // the same text means the same
	}
	if a[0] != b[0] && !(isNumberStart(a[0]) && isNumberStart(b[0])) {
		return false
	}
	switch a[0] {
	case '"':
		if bytes.IndexByte(a, '\\') < 0 && bytes.IndexByte(b, '\\') < 0 {
			return false
		}
		c.na = appendUnescaped(reuse(c.na), a[1:len(a)-1])
		c.nb = appendUnescaped(reuse(c.nb), b[1:len(b)-1])
		return bytes.Equal(c.na, c.nb)
	case '[':
		i, j := skipSpace(a, 1), skipSpace(b, 1)
		for a[i] != ']' && b[j] != ']' {
			ea, eb := valueEnd(a, i), valueEnd(b, j)
			if !c.equal(a[i:ea], b[j:eb], depth+1) {
				return false
			}
			i, j = nextElement(a, ea), nextElement(b, eb)
		}
		return a[i] == ']' && b[j] == ']'
	case '{':
		return c.equalObjects(a, b, depth)
	case 't', 'f', 'n':
		return false // not the same text
	}
	return c.equalNumbers(a, b)
}

func isNumberStart(c byte) bool { return c == '-' || '0' <= c && c <= '9' }

// nextElement returns the offset of the next element or member after a
// value that ended at i, or of the closing bracket.
func nextElement(doc []byte, i int) int {
	i = skipSpace(doc, i)
	if doc[i] == ',' {
		return skipSpace(doc, i+1)
	}
	return i
}

// equalObjects compares two objects as sets of members.
func (c *comparer) equalObjects(a, b []byte, depth int) bool {
	for len(c.levels) <= depth {
		c.levels = append(c.levels, eqLevel{})
	}
	lv := &c.levels[depth]
	lv.a, lv.b = objectMembers(reuse(lv.a), a), objectMembers(reuse(lv.b), b)
	if len(lv.a) != len(lv.b) {
		return false // names are unique (H2), so the counts must agree
	}
	lv.idx.start(b, lv.b, len(lv.b))
	for i := range lv.b {
		lv.idx.add(int32(i))
	}
	for i := range lv.a {
		m := &lv.a[i]
		name := m.keyText(a)
		if m.esc {
			c.na = appendUnescaped(reuse(c.na), name)
			name = c.na
		}
		k := lv.idx.find(name)
		if k < 0 {
			return false
		}
		n := &lv.b[k]
		// lv may move when deeper levels are added: take the spans first.
		va, vb := m.value(a), n.value(b)
		if !c.equal(va, vb, depth+1) {
			return false
		}
		lv = &c.levels[depth]
	}
	return true
}

// objectMembers appends the members of the valid object obj (its text
// from '{' to '}') to mem, doubling its capacity when it must grow, so that
// each nesting level allocates at most twice what its largest object needs.
func objectMembers(mem []member, obj []byte) []member {
	i := skipSpace(obj, 1)
	for obj[i] != '}' {
		k, esc := stringEnd(obj, i)
		v := skipSpace(obj, skipSpace(obj, k)+1) // past the colon
		e := valueEnd(obj, v)
		if len(mem) == cap(mem) {
			mem = append(make([]member, 0, 2*cap(mem)+8), mem...)
		}
		m := newMember(i, k, v, esc, false)
		m.vhi = uint32(e)
		mem = append(mem, m)
		i = nextElement(obj, e)
	}
	return mem
}

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
