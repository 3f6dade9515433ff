package metamerge

// Do two JSON documents mean the same? Equal and its linear comparer (D2).

import (
	"bytes"
	"slices"
)

// Equal reports whether the JSON documents a and b mean the same (D2):
// strings compare after decoding escapes, numbers by exact decimal value
// (1, 1.0, 10e-1 and 1e0 are equal; no rounding, any length), objects as
// sets of members (order and white space aside), arrays element by
// element; true, false and null equal only themselves. It takes time and
// memory linear in the size of a and b, however long their numbers and
// however deep their values.
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
	return w.eq.equal(trimSpace(a), trimSpace(b)), nil
}

// comparer compares valid JSON values by meaning in time and memory
// linear in their size, at any depth: one pass over each value finds the
// end of every array and object in it, and the comparison then walks the
// two values once, keeping the pairs of containers it has still to compare
// on one stack rather than one frame or buffer per level.
type comparer struct {
	boxes  [2][]box // the containers of a and b, in document order
	open   []uint32 // the containers open during the pass that finds them
	todo   []eqPair // the pairs of containers still to compare
	mem    []member // the members of the object of b being matched
	ords   []uint32 // per member of mem: the ordinal of its value, if a container
	idx    index    // mem by name
	na, nb []byte   // decoded strings
	used   bool     // since the last release
}

// box is one array or object: the offset past its closing bracket, and the
// ordinal of the first container after its contents.
type box struct{ end, next uint32 }

// eqPair is a pair of containers to compare: their offsets in a and b, and
// their ordinals; or, with resume set, a pair of arrays to compare on from
// the elements at a and b, whose ordinals (or those of the containers after
// them) are oa and ob.
type eqPair struct {
	a, b, oa, ob uint32
	resume       bool
}

// equal reports whether the valid JSON values a and b, without white space
// around them, mean the same.
func (c *comparer) equal(a, b []byte) bool {
	if bytes.Equal(a, b) {
		return true // the same text means the same
	}
	if !isContainer(a[0]) || a[0] != b[0] {
		return c.scalar(a, b)
	}
	c.used = true
	var da, db int
	c.boxes[0], c.open, da = containers(reuse(c.boxes[0]), c.open, a)
	c.boxes[1], c.open, db = containers(reuse(c.boxes[1]), c.open, b)
	// Nested arrays keep two pairs a level on the stack (see arrays): room
	// for them at once, rather than growing the stack level by level.
	c.todo = append(slices.Grow(reuse(c.todo), 2*min(da, db)+1), eqPair{})
	for len(c.todo) > 0 {
		p := c.todo[len(c.todo)-1]
		c.todo = c.todo[:len(c.todo)-1]
		ok := false
		if p.resume || a[p.a] == '[' {
			ok = c.arrays(a, b, p)
		} else {
			ok = c.objects(a, b, p)
		}
		if !ok {
			return false
		}
	}
	return true
}

// containers returns in t, at its exact size, the arrays and objects of
// the valid value doc in the order they open, with their ends, and how
// deep they nest; open is scratch, grown once to that depth.
func containers(t []box, open []uint32, doc []byte) ([]box, []uint32, int) {
	n, depth, deepest := 0, 0, 0
	for i := 0; i < len(doc); i++ {
		switch doc[i] {
		case '"':
			i, _ = stringEnd(doc, i)
			i--
		case '{', '[':
			n, depth = n+1, depth+1
			deepest = max(deepest, depth)
		case '}', ']':
			depth--
		}
	}
	t, open = slices.Grow(t[:0], n), slices.Grow(open[:0], deepest)
	for i := 0; i < len(doc); i++ {
		switch doc[i] {
		case '"':
			i, _ = stringEnd(doc, i)
			i--
		case '{', '[':
			open = append(open, uint32(len(t)))
			t = append(t, box{})
		case '}', ']':
			k := open[len(open)-1]
			open = open[:len(open)-1]
			t[k] = box{uint32(i + 1), uint32(len(t))}
		}
	}
	return t, open, deepest
}

// end returns the offset past the value of doc (side k of the comparison)
// at i, and the ordinal of the next container after it, ord being the
// ordinal of the value if it is a container.
func (c *comparer) end(k int, doc []byte, i int, ord uint32) (int, uint32) {
	switch doc[i] {
	case '{', '[':
		bx := c.boxes[k][ord]
		return int(bx.end), bx.next
	case '"':
		e, _ := stringEnd(doc, i)
		return e, ord
	}
	j := i
	for j < len(doc) && doc[j] != ',' && doc[j] != '}' && doc[j] != ']' && !isSpace(doc[j]) {
		j++
	}
	return j, ord
}

// values compares the values a[i:ea] and b[j:eb]: scalars at once,
// containers of the same kind later, as a pair pushed on the stack.
func (c *comparer) values(a, b []byte, i, ea, j, eb int, oa, ob uint32) bool {
	if isContainer(a[i]) && a[i] == b[j] {
		emptyA, emptyB := skipSpace(a, i+1) == ea-1, skipSpace(b, j+1) == eb-1
		if emptyA || emptyB { // compared at once: an empty [] or {} need not wait
			return emptyA == emptyB
		}
		c.todo = appendDoubling(c.todo, eqPair{uint32(i), uint32(j), oa, ob, false})
		return true
	}
	return c.scalar(a[i:ea], b[j:eb])
}

// arrays compares the arrays of p element by element, from their start
// or, when p resumes them, from the elements at p. At the first pair of
// containers it stops: the pair goes on the stack above the rest of the
// arrays, so that the stack holds one pair for each level of arrays
// rather than one for each element.
func (c *comparer) arrays(a, b []byte, p eqPair) bool {
	i, j, oa, ob := int(p.a), int(p.b), p.oa, p.ob
	if !p.resume {
		i, j, oa, ob = skipSpace(a, i+1), skipSpace(b, j+1), oa+1, ob+1
	}
	for a[i] != ']' && b[j] != ']' {
		ea, na := c.end(0, a, i, oa)
		eb, nb := c.end(1, b, j, ob)
		waiting := len(c.todo)
		if !c.values(a, b, i, ea, j, eb, oa, ob) {
			return false
		}
		i, j, oa, ob = nextElement(a, ea), nextElement(b, eb), na, nb
		if len(c.todo) > waiting { // the rest below the pair just pushed
			c.todo = appendDoubling(c.todo, c.todo[waiting])
			c.todo[waiting] = eqPair{uint32(i), uint32(j), oa, ob, true}
			return true
		}
	}
	return a[i] == ']' && b[j] == ']'
}

// members calls f with the key, value, value end and value ordinal of
// each member of the object of doc (side k) at i with ordinal ord, and
// returns their count; it stops early when f returns false, and then
// returns -1.
func (c *comparer) members(k int, doc []byte, i int, ord uint32, f func(key, kend int, esc bool, v, e int, o uint32) bool) int {
	n := 0
	i, ord = skipSpace(doc, i+1), ord+1
	for doc[i] != '}' {
		kend, esc := stringEnd(doc, i)
		v := skipSpace(doc, skipSpace(doc, kend)+1) // past the colon
		e, next := c.end(k, doc, v, ord)
		if f != nil && !f(i, kend, esc, v, e, ord) {
			return -1
		}
		n++
		i, ord = nextElement(doc, e), next
	}
	return n
}

// objects compares the objects of p as sets of members: names are unique
// (H2), so they are equal if they have as many members and each member of
// a has a member of the same name in b with an equal value.
func (c *comparer) objects(a, b []byte, p eqPair) bool {
	n := c.members(1, b, int(p.b), p.ob, nil)
	if c.members(0, a, int(p.a), p.oa, nil) != n {
		return false // counted before anything is recorded
	}
	c.mem, c.ords = slices.Grow(reuse(c.mem), n), slices.Grow(reuse(c.ords), n) // at their exact size
	c.members(1, b, int(p.b), p.ob, func(key, kend int, esc bool, v, e int, o uint32) bool {
		m := newMember(key, kend, v, esc, false)
		m.vhi = uint32(e)
		c.mem, c.ords = append(c.mem, m), append(c.ords, o)
		return true
	})
	c.todo = slices.Grow(c.todo, n) // a pair for each member at most
	c.idx.start(b, c.mem, len(c.mem))
	for i := range c.mem {
		c.idx.add(int32(i))
	}
	return c.members(0, a, int(p.a), p.oa, func(key, kend int, esc bool, v, e int, o uint32) bool {
		name := a[key+1 : kend-1]
		if esc {
			c.na = appendUnescaped(reuse(c.na), name)
			name = c.na
		}
		k := c.idx.find(name)
		if k < 0 {
			return false
		}
		m := &c.mem[k]
		return c.values(a, b, v, e, int(m.valLo(b)), int(m.vhi), o, c.ords[k])
	}) >= 0
}

// scalar compares two values of which at most one is a container.
func (c *comparer) scalar(a, b []byte) bool {
	if bytes.Equal(a, b) {
		return true
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
	case 't', 'f', 'n', '{', '[':
		return false // not the same text, or not the same kind
	}
	return c.equalNumbers(a, b)
}
