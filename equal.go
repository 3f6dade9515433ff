package metamerge

import (
	"bytes"
	"math/big"
)

// Equal reports whether the JSON documents a and b mean the same (D2):
// strings compare after decoding escapes, numbers by exact decimal value
// (1, 1.0, 10e-1 and 1e0 are equal; no rounding, any length), objects as
// sets of members (order and white space aside), arrays element by
// element; true, false and null equal only themselves.
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
	x, y   big.Int
}

// release empties c for the pool (see work.release).
func (c *comparer) release() {
	const memberSize = 20
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
		va, vb := a[m.val.lo:m.val.hi], b[n.val.lo:n.val.hi]
		if !c.equal(va, vb, depth+1) {
			return false
		}
		lv = &c.levels[depth]
	}
	return true
}

// objectMembers appends the members of the valid object obj (its text
// from '{' to '}') to mem, which it first gives room for all of them at
// once, bounded as the scanner bounds its records.
func objectMembers(mem []member, obj []byte) []member {
	if most := len(obj)/5 + 1; cap(mem) < most {
		if n := min(bytes.Count(obj, []byte{':'}), most); cap(mem) < n {
			mem = make([]member, 0, n)
		}
	}
	i := skipSpace(obj, 1)
	for obj[i] != '}' {
		k, esc := stringEnd(obj, i)
		v := skipSpace(obj, skipSpace(obj, k)+1) // past the colon
		e := valueEnd(obj, v)
		mem = append(mem, member{key: span{uint32(i), uint32(k)}, val: span{uint32(v), uint32(e)}, esc: esc})
		i = nextElement(obj, e)
	}
	return mem
}

// equalNumbers compares two valid numbers by exact decimal value.
func (c *comparer) equalNumbers(a, b []byte) bool {
	negA, digA, expA := c.decimal(a, &c.x)
	negB, digB, expB := c.decimal(b, &c.y)
	if len(digA) == 0 || len(digB) == 0 {
		return len(digA) == len(digB) // zero equals only zero, whatever its sign
	}
	return negA == negB && bytes.Equal(digA, digB) && expA.Cmp(expB) == 0
}

// decimal reads number text n as sign × 0.digits × 10^exp, with digits
// free of leading and trailing zeros (none for zero). exp is set in e.
func (c *comparer) decimal(n []byte, e *big.Int) (neg bool, digits []byte, exp *big.Int) {
	if n[0] == '-' {
		neg, n = true, n[1:]
	}
	end := 0
	for end < len(n) && n[end] != 'e' && n[end] != 'E' {
		end++
	}
	mant := n[:end]
	point := bytes.IndexByte(mant, '.')
	intLen := len(mant)
	if point >= 0 {
		intLen = point
	}
	// The digits in order, the point removed, are those of int and frac.
	var ds []byte
	if point >= 0 {
		ds = append(append(ds, mant[:point]...), mant[point+1:]...)
	} else {
		ds = mant
	}
	lead := 0
	for lead < len(ds) && ds[lead] == '0' {
		lead++
	}
	trail := len(ds)
	for trail > lead && ds[trail-1] == '0' {
		trail--
	}
	e.SetInt64(int64(intLen - lead))
	if end < len(n) {
		var x big.Int
		if _, ok := x.SetString(string(n[end+1:]), 10); ok { // "+7", "-7" and "7" all parse
			e.Add(e, &x)
		}
	}
	return neg, ds[lead:trail], e
}
