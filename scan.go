package metamerge

import (
	"bytes"
	"encoding/binary"
	"hash/maphash"
	"strconv"
	"unicode/utf8"
)

// span is the byte range [lo, hi) of a document.
type span struct{ lo, hi int }

// member is one recorded object member of a scanned document.
type member struct {
	key    span  // the key with its quotes
	val    span  // the value
	parent int32 // record index of the member whose value holds this object; -1 for the root object
	esc    bool  // the key has a backslash escape
}

// keyText returns the key's content, without quotes and still escaped.
func (m *member) keyText(doc []byte) []byte { return doc[m.key.lo+1 : m.key.hi-1] }

// frame is one open object or array during a scan.
type frame struct {
	obj    bool
	rec    bool  // this object's members are recorded
	esc    bool  // key has escapes
	parent int32 // record index of the member whose value this is, or -1
	cur    int32 // record index of the member being read, or -1
	n      int   // members or elements started so far
	keys   int   // index in scanner.keys of this object's first key
	key    span  // content of the current member's key (no quotes)
}

// keyRef is a key waiting for the duplicate check of its object.
type keyRef struct {
	lo, hi int // content, without quotes
	esc    bool
}

// scanner validates one document (H1, H2, H3) in a single pass without
// recursion, and records the members of the objects the merge needs: the
// root object's, and (with record 2) those of objects that are values of
// root members.
type scanner struct {
	doc      []byte
	maxDepth int // <= 0: no limit
	record   int // record members of objects at depths 1..record
	members  []member
	frames   []frame
	keys     []keyRef
	scratch  []byte
	table    nameTable
}

// plain[c] is true for bytes that stand for themselves inside a string.
var plain = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func skipSpace(b []byte, i int) int {
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	return i
}

// grow makes room for one more element, doubling the capacity when full,
// so that a slice built by appending allocates at most twice its final
// size (append grows large slices by a quarter at a time).
func grow[T any](s []T) []T {
	if len(s) < cap(s) {
		return s
	}
	n := make([]T, len(s), 2*cap(s)+16)
	copy(n, s)
	return n
}

// scan validates doc and appends the recorded members to members, which it
// returns. It stops at the first defect and returns it.
func (s *scanner) scan(doc []byte, maxDepth, record int, members []member) ([]member, *Error) {
	s.doc, s.maxDepth, s.record, s.members = doc, maxDepth, record, members
	s.frames, s.keys = s.frames[:0], s.keys[:0]
	err := s.run()
	members = s.members
	s.doc, s.members = nil, nil
	return members, err
}

func (s *scanner) run() *Error {
	b := s.doc
	i := skipSpace(b, 0)
	var err *Error
	for {
		// A value starts at i.
		if i >= len(b) {
			return s.syntax(i)
		}
		switch c := b[i]; c {
		case '{':
			if err = s.push(true, i); err != nil {
				return err
			}
			i = skipSpace(b, i+1)
			if i < len(b) && b[i] == '}' {
				i++
				s.frames = s.frames[:len(s.frames)-1]
				break
			}
			if i, err = s.key(i); err != nil {
				return err
			}
			continue
		case '[':
			if err = s.push(false, i); err != nil {
				return err
			}
			i = skipSpace(b, i+1)
			if i < len(b) && b[i] == ']' {
				i++
				s.frames = s.frames[:len(s.frames)-1]
				break
			}
			s.frames[len(s.frames)-1].n = 1
			continue
		case '"':
			if i, _, err = s.str(i); err != nil {
				return err
			}
		case 't':
			if i, err = s.literal(i, "true"); err != nil {
				return err
			}
		case 'f':
			if i, err = s.literal(i, "false"); err != nil {
				return err
			}
		case 'n':
			if i, err = s.literal(i, "null"); err != nil {
				return err
			}
		default:
			if i, err = s.number(i); err != nil {
				return err
			}
		}
		// A value ended at i: close containers until another value starts.
		for {
			if len(s.frames) == 0 {
				if i = skipSpace(b, i); i != len(b) {
					return s.syntax(i)
				}
				return nil
			}
			f := &s.frames[len(s.frames)-1]
			if f.cur >= 0 {
				s.members[f.cur].val.hi = i
				f.cur = -1
			}
			if i = skipSpace(b, i); i >= len(b) {
				return s.syntax(i)
			}
			if f.obj {
				if b[i] == ',' {
					if i, err = s.key(skipSpace(b, i+1)); err != nil {
						return err
					}
					break
				}
				if b[i] != '}' {
					return s.syntax(i)
				}
				if err = s.closeObject(f); err != nil {
					return err
				}
			} else {
				if b[i] == ',' {
					f.n++
					i = skipSpace(b, i+1)
					break
				}
				if b[i] != ']' {
					return s.syntax(i)
				}
				s.frames = s.frames[:len(s.frames)-1]
			}
			i++
		}
	}
}

// push opens a container at offset i, enforcing the depth limit (H3).
func (s *scanner) push(obj bool, i int) *Error {
	depth := len(s.frames) + 1
	if s.maxDepth > 0 && depth > s.maxDepth {
		return &Error{Code: CodeTooDeep, Pointer: s.pointer(s.frames, nil), Offset: i, Limit: s.maxDepth, Actual: depth}
	}
	parent := int32(-1)
	if len(s.frames) > 0 {
		parent = s.frames[len(s.frames)-1].cur
	}
	rec := obj && depth <= s.record && (depth == 1 || parent >= 0)
	s.frames = append(s.frames, frame{obj: obj, rec: rec, parent: parent, cur: -1, keys: len(s.keys)})
	return nil
}

// key reads a member name, the colon and the space after it; it returns the
// offset of the member's value.
func (s *scanner) key(i int) (int, *Error) {
	b := s.doc
	if i >= len(b) || b[i] != '"' {
		return 0, s.syntax(i)
	}
	j, esc, err := s.str(i)
	if err != nil {
		return 0, err
	}
	f := &s.frames[len(s.frames)-1]
	f.key, f.esc = span{i + 1, j - 1}, esc
	f.n++
	s.keys = append(grow(s.keys), keyRef{i + 1, j - 1, esc})
	k := skipSpace(b, j)
	if k >= len(b) || b[k] != ':' {
		return 0, s.syntax(k)
	}
	k = skipSpace(b, k+1)
	if f.rec {
		f.cur = int32(len(s.members))
		s.members = append(grow(s.members), member{key: span{i, j}, val: span{lo: k}, parent: f.parent, esc: esc})
	}
	return k, nil
}

// str validates the string that starts at b[i] == '"'. It returns the offset
// after the closing quote and whether the string has escapes.
func (s *scanner) str(i int) (int, bool, *Error) {
	b := s.doc
	i++
	esc := false
	for {
		for i+8 <= len(b) && !special8(binary.LittleEndian.Uint64(b[i:])) {
			i += 8
		}
		for i < len(b) && plain[b[i]] {
			i++
		}
		if i >= len(b) {
			return 0, false, s.syntax(i)
		}
		switch c := b[i]; {
		case c == '"':
			return i + 1, esc, nil
		case c == '\\':
			esc = true
			n, ok := escapeLen(b, i)
			if !ok {
				return 0, false, s.syntax(i)
			}
			i += n
		case c < 0x20:
			return 0, false, s.syntax(i)
		default:
			r, n := utf8.DecodeRune(b[i:])
			if r == utf8.RuneError && n == 1 {
				return 0, false, s.syntax(i)
			}
			i += n
		}
	}
}

// special8 reports whether the eight bytes of x may hold one that is not
// plain inside a string: a quote, a backslash, a control character or a
// byte of a multi-byte UTF-8 sequence. It may report true for a plain
// run; it never reports false for a run that is not plain.
func special8(x uint64) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	quote := x ^ (ones * '"')
	slash := x ^ (ones * '\\')
	control := x - ones*0x20 // borrows where a byte is below 0x20
	return ((quote-ones)&^quote|(slash-ones)&^slash|control|x)&highs != 0
}

// escapeLen returns the length of the escape at b[i] == '\\', and false if
// it is malformed or leaves a lone or reversed surrogate (H2).
func escapeLen(b []byte, i int) (int, bool) {
	if i+1 >= len(b) {
		return 0, false
	}
	switch b[i+1] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		return 2, true
	case 'u':
		r, ok := hex4(b, i+2)
		if !ok {
			return 0, false
		}
		switch {
		case r >= 0xDC00 && r <= 0xDFFF:
			return 0, false
		case r >= 0xD800 && r <= 0xDBFF:
			if i+7 >= len(b) || b[i+6] != '\\' || b[i+7] != 'u' {
				return 0, false
			}
			lo, ok := hex4(b, i+8)
			if !ok || lo < 0xDC00 || lo > 0xDFFF {
				return 0, false
			}
			return 12, true
		}
		return 6, true
	}
	return 0, false
}

func hex4(b []byte, i int) (rune, bool) {
	if i+4 > len(b) {
		return 0, false
	}
	var r rune
	for _, c := range b[i : i+4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

func (s *scanner) literal(i int, lit string) (int, *Error) {
	if !bytes.HasPrefix(s.doc[i:], []byte(lit)) {
		return 0, s.syntax(i)
	}
	return i + len(lit), nil
}

// number validates RFC 8259 number text at b[i].
func (s *scanner) number(i int) (int, *Error) {
	b := s.doc
	start := i
	if b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && '1' <= b[i] && b[i] <= '9':
		i = digits(b, i+1)
	default:
		return 0, s.syntax(start)
	}
	if i < len(b) && b[i] == '.' {
		j := digits(b, i+1)
		if j == i+1 {
			return 0, s.syntax(j)
		}
		i = j
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		j := digits(b, i)
		if j == i {
			return 0, s.syntax(j)
		}
		i = j
	}
	return i, nil
}

func digits(b []byte, i int) int {
	for i < len(b) && '0' <= b[i] && b[i] <= '9' {
		i++
	}
	return i
}

func (s *scanner) syntax(i int) *Error {
	return &Error{Code: CodeInvalidJSON, Offset: i}
}

// closeObject runs the duplicate check (H2) on the object of frame f, which
// is the innermost, and pops it.
func (s *scanner) closeObject(f *frame) *Error {
	keys := s.keys[f.keys:]
	if len(keys) > 1 {
		if d := s.duplicate(keys); d >= 0 {
			k := keys[d]
			return &Error{Code: CodeDuplicateKey, Pointer: s.pointer(s.frames[:len(s.frames)-1], s.name(k.lo, k.hi, k.esc)), Offset: k.lo - 1}
		}
	}
	s.keys = s.keys[:f.keys]
	s.frames = s.frames[:len(s.frames)-1]
	return nil
}

// smallObject is the most members compared pairwise; larger objects go
// through a hash table.
const smallObject = 16

// duplicate returns the index of the first key that repeats an earlier one
// (names compared after unescaping), or -1.
func (s *scanner) duplicate(keys []keyRef) int {
	s.scratch = s.scratch[:0]
	if len(keys) <= smallObject {
		for j := 1; j < len(keys); j++ {
			for k := 0; k < j; k++ {
				if s.sameKey(keys[k], keys[j]) {
					return j
				}
			}
		}
		return -1
	}
	t := &s.table
	t.names = t.names[:0]
	for _, k := range keys {
		t.names = append(grow(t.names), s.name(k.lo, k.hi, k.esc))
	}
	t.reset(len(keys))
	for j := range keys {
		if t.add(j) >= 0 {
			return j
		}
	}
	return -1
}

func (s *scanner) sameKey(a, b keyRef) bool {
	if !a.esc && !b.esc {
		return bytes.Equal(s.doc[a.lo:a.hi], s.doc[b.lo:b.hi])
	}
	return bytes.Equal(s.name(a.lo, a.hi, a.esc), s.name(b.lo, b.hi, b.esc))
}

// name returns the unescaped name of the key content doc[lo:hi]. An escaped
// name is decoded into scratch; the slice stays valid until scratch is reset.
func (s *scanner) name(lo, hi int, esc bool) []byte {
	if !esc {
		return s.doc[lo:hi]
	}
	n := len(s.scratch)
	s.scratch = appendUnescaped(s.scratch, s.doc[lo:hi])
	return s.scratch[n:len(s.scratch):len(s.scratch)]
}

// nameTable finds equal names among many in linear time. Its seed is
// random, so that crafted names cannot make every name collide.
type nameTable struct {
	names  [][]byte
	slots  []uint64 // high half: the name's hash; low half: 1 + its index; 0: empty
	mask   uint64
	seed   maphash.Seed
	seeded bool
}

// reset empties the table and sizes it for n names.
func (t *nameTable) reset(n int) {
	if !t.seeded {
		t.seed, t.seeded = maphash.MakeSeed(), true
	}
	size := 32
	for size < 2*n {
		size *= 2
	}
	if cap(t.slots) < size {
		t.slots = make([]uint64, size)
	} else {
		t.slots = t.slots[:size]
		clear(t.slots)
	}
	t.mask = uint64(size - 1)
}

// add inserts names[j] and returns the index of an equal name added
// before, or -1 (then names[j] is in the table).
func (t *nameTable) add(j int) int {
	nm := t.names[j]
	hash := maphash.Bytes(t.seed, nm)
	for h := hash & t.mask; ; h = (h + 1) & t.mask {
		slot := t.slots[h]
		if slot == 0 {
			t.slots[h] = hash&^0xFFFFFFFF | uint64(j+1)
			return -1
		}
		if k := t.match(slot, hash, nm); k >= 0 {
			return k
		}
	}
}

// find returns the index of the name equal to nm, or -1.
func (t *nameTable) find(nm []byte) int {
	hash := maphash.Bytes(t.seed, nm)
	for h := hash & t.mask; ; h = (h + 1) & t.mask {
		slot := t.slots[h]
		if slot == 0 {
			return -1
		}
		if k := t.match(slot, hash, nm); k >= 0 {
			return k
		}
	}
}

// match returns the index held by slot if its name is nm, or -1. The
// names are compared only when the hashes agree: in a large table each
// comparison is a cache miss.
func (t *nameTable) match(slot, hash uint64, nm []byte) int {
	if (slot^hash)>>32 != 0 {
		return -1
	}
	if k := int(uint32(slot)) - 1; bytes.Equal(t.names[k], nm) {
		return k
	}
	return -1
}

// pointer builds the RFC 6901 pointer of the current position in frames,
// followed by last when it is not nil.
func (s *scanner) pointer(frames []frame, last []byte) string {
	var p []byte
	for _, f := range frames {
		p = append(p, '/')
		if f.obj {
			p = appendToken(p, s.name(f.key.lo, f.key.hi, f.esc))
		} else {
			p = strconv.AppendInt(p, int64(f.n-1), 10)
		}
	}
	if last != nil {
		p = appendToken(append(p, '/'), last)
	}
	return string(p)
}

// appendToken appends name as an RFC 6901 reference token.
func appendToken(p, name []byte) []byte {
	for _, c := range name {
		switch c {
		case '~':
			p = append(p, '~', '0')
		case '/':
			p = append(p, '~', '1')
		default:
			p = append(p, c)
		}
	}
	return p
}

// appendUnescaped appends the decoded content of a valid JSON string body.
func appendUnescaped(dst, raw []byte) []byte {
	for i := 0; i < len(raw); {
		c := raw[i]
		if c != '\\' {
			j := i + 1
			for j < len(raw) && raw[j] != '\\' {
				j++
			}
			dst = append(dst, raw[i:j]...)
			i = j
			continue
		}
		switch raw[i+1] {
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		case 'u':
			r, _ := hex4(raw, i+2)
			if r >= 0xD800 && r <= 0xDBFF {
				lo, _ := hex4(raw, i+8)
				r = 0x10000 + (r-0xD800)<<10 + (lo - 0xDC00)
				i += 6
			}
			dst = utf8.AppendRune(dst, r)
			i += 6
			continue
		default: // " \ /
			dst = append(dst, raw[i+1])
		}
		i += 2
	}
	return dst
}
