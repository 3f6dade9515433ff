package metamerge

// Is a document JSON within the limits? The validating scanner (H1-H3).

import (
	"bytes"
)

// frame is one open object or array during a scan.
type frame struct {
	obj   bool
	rec   bool  // this object's members stay in scanner.members after it closes
	esc   bool  // key has escapes
	field int8  // the field whose nested names this container holds (index in scanner.fields), or -1
	first int32 // index in scanner.members of this object's first member
	cur   int32 // index in scanner.members of the member being read, or -1
	n     int32 // members or elements started so far
	key   span  // content of the current member's key (no quotes)
}

// scanner validates one document (H1, H2, H3) in a single pass without
// recursion. It is the package's only tokenizer and the only place where
// pointers are built.
//
// Every member of an object is recorded while the object is open, for its
// duplicate check; the members of the objects the merge needs stay
// recorded after the object closes: the root object's (flagged top), and,
// with record 2, those of objects that are values of root members, which
// follow the record of the member that holds them.
//
// With fields set, it also checks the names nested below the members of
// those fields (R7 at any depth) and adds the violations to viol.
type scanner struct {
	doc      []byte
	maxDepth int
	record   int
	members  []member
	frames   []frame
	idx      index // the duplicate check of the object being closed

	fields     []field // fields whose nested names are checked, or nil
	fieldDepth int     // level of the field objects: 1, the document itself, or 2, values of root members
	viol       *violations

	// Locating: the pointers of the values and members at targets.
	locating bool
	targets  []int    // sorted offsets
	ptrs     []string // pointer of each target found so far
	budget   int      // bytes of pointers still allowed
	next     int      // targets[len(ptrs)], or -1
	pbuf     []byte
	tmp      []byte
}

// scan validates doc and returns the recorded members, in a slice that
// reuses members. It stops at the first defect and returns it.
func (s *scanner) scan(doc []byte, maxDepth, record int, members []member) ([]member, *Error) {
	s.doc, s.maxDepth, s.record, s.members = doc, maxDepth, record, members[:0]
	s.frames = s.frames[:0]
	s.next = -1
	err := s.run()
	members = s.members
	s.doc, s.members, s.fields, s.viol = nil, nil, nil, nil
	return members, err
}

// run reads s.doc once from its start, with an explicit stack of frames
// rather than recursion, so that no depth exhausts the goroutine's stack
// (H3), and returns the first defect met (H9) or nil. It is long, over 100
// lines, on purpose: it is the hot loop of every call, one switch for each
// value and one for each close, and a split would add a call per token.
func (s *scanner) run() *Error {
	b := s.doc
	i := skipSpace(b, 0)
	var err *Error
	for {
		// A value starts at i.
		if i >= len(b) {
			return s.syntax(i)
		}
		if i == s.next {
			if err = s.hit(); err != nil {
				return err
			}
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
			// Most strings are plain up to their closing quote: found by
			// the word loop here, without a call; any other goes through
			// str from its start.
			if j := plainWords(b, i+1); j < len(b) && b[j] == '"' {
				i = j + 1
			} else if i, _, err = s.str(i); err != nil {
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
			// Most numbers are integers without a sign or a leading zero:
			// their digits are read here, without a call, when no
			// fraction or exponent follows; any other number goes through
			// number from its start.
			if c-'1' <= 8 {
				if j := digits(b, i+1); j >= len(b) || b[j] != '.' && b[j]|0x20 != 'e' {
					i = j
					break
				}
			}
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
				s.members[f.cur].vhi = uint32(i)
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
		return &Error{Code: CodeTooDeep, Pointer: s.pointer(s.frames), Offset: i, Limit: s.maxDepth, Actual: depth}
	}
	f := frame{obj: obj, field: -1, cur: -1, first: int32(len(s.members))}
	f.rec = obj && depth <= s.record && (depth == 1 || s.frames[0].rec)
	if s.fields != nil {
		switch {
		case depth > s.fieldDepth:
			f.field = s.frames[depth-2].field
		case depth == s.fieldDepth && obj && depth == 1:
			f.field = 0
		case depth == s.fieldDepth && obj:
			f.field = s.fieldOf(s.frames[0])
		}
	}
	if len(s.frames) == cap(s.frames) {
		s.growFrames()
	}
	s.frames = append(s.frames, f)
	return nil
}

// growFrames doubles the capacity of the stack of open containers, up to
// the depth limit: append's growth of a quarter at a time would allocate
// five times the stack of a document 10,000 levels deep on the way there.
func (s *scanner) growFrames() {
	n := max(2*cap(s.frames), 16)
	if s.maxDepth > 0 {
		n = max(min(n, s.maxDepth), len(s.frames)+1)
	}
	s.frames = append(make([]frame, 0, n), s.frames...)
}

// fieldOf returns the index in s.fields of the field named by the current
// key of the root frame f, if its nested names are checked, or -1.
func (s *scanner) fieldOf(f frame) int8 {
	if !f.obj {
		return -1
	}
	name := s.decode(f.key, f.esc)
	for i := range s.fields {
		if string(name) == s.fields[i].name && s.fields[i].pol.checksNested() {
			return int8(i)
		}
	}
	return -1
}

// key reads a member name, the colon and the space after it; it returns the
// offset of the member's value.
func (s *scanner) key(i int) (int, *Error) {
	b := s.doc
	if i >= len(b) || b[i] != '"' {
		return 0, s.syntax(i)
	}
	// Most names are plain up to their closing quote (see run).
	var err *Error
	j, esc := plainWords(b, i+1), false
	if j < len(b) && b[j] == '"' {
		j++
	} else if j, esc, err = s.str(i); err != nil {
		return 0, err
	}
	depth := len(s.frames)
	f := &s.frames[depth-1]
	f.key, f.esc = span{uint32(i + 1), uint32(j - 1)}, esc
	f.n++
	if i == s.next {
		if err = s.hit(); err != nil {
			return 0, err
		}
	}
	if f.field >= 0 && depth > s.fieldDepth {
		if p := s.fields[f.field].pol; !p.nameOK(s.decode(f.key, esc), true) {
			s.viol.add(CodeInvalidKey, i, 0, 0)
		}
	}
	k := j + 1
	if k >= len(b) || b[j] != ':' || isSpace(b[k]) { // not the compact "name":value
		if k = skipSpace(b, j); k >= len(b) || b[k] != ':' {
			return 0, s.syntax(k)
		}
		k = skipSpace(b, k+1)
	}
	if !s.locating {
		if len(s.members) == cap(s.members) {
			s.growMembers(k)
		}
		f.cur = int32(len(s.members))
		s.members = append(s.members, newMember(i, j, k, esc, depth == 1))
	}
	return k, nil
}

// growMembers makes room for more members when the member at offset at
// is to be recorded. It doubles the room while it is small; past that it
// makes room, once, for every member the rest of the document can have: a
// member takes at least five bytes ("":0 and a comma or brace) and one
// colon outside strings, so the smaller of the two counts bounds them. So
// a long document is recorded with one allocation of no more than it
// needs, and a document rejected early allocates little.
func (s *scanner) growMembers(at int) {
	n := len(s.members)
	room := n + 16
	if n >= 1024 {
		rest := s.doc[at:]
		room = min(bytes.Count(rest, []byte{':'}), len(rest)/5) + 1
	}
	m := make([]member, n, n+room)
	copy(m, s.members)
	s.members = m
}

// str validates the string that starts at b[i] == '"'. It returns the offset
// after the closing quote and whether the string has escapes.
func (s *scanner) str(i int) (int, bool, *Error) {
	b := s.doc
	i++
	esc := false
	for {
		if i = plainWords(b, i); i+8 > len(b) {
			i = plainEnd(b, i)
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
			n := utf8Len(b, i)
			if n == 0 {
				return 0, false, s.syntax(i)
			}
			i += n
		}
	}
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

func (s *scanner) syntax(i int) *Error {
	return &Error{Code: CodeInvalidJSON, Offset: i}
}

// closeObject runs the duplicate check (H2) on the object of frame f, which
// is the innermost, and pops it, with its members unless they stay
// recorded.
func (s *scanner) closeObject(f *frame) *Error {
	if !s.locating {
		if d := s.duplicate(f); d >= 0 {
			m := &s.members[d]
			p := s.memberPointer(s.frames[:len(s.frames)-1], span{m.key.lo + 1, m.key.hi - 1}, m.esc)
			return &Error{Code: CodeDuplicateKey, Offset: int(m.key.lo), Pointer: p}
		}
		if !f.rec {
			s.members = s.members[:f.first]
		}
	}
	s.frames = s.frames[:len(s.frames)-1]
	return nil
}

// duplicate returns the index in s.members of the first member of the
// object of frame f whose name repeats an earlier one (names compared
// after unescaping), or -1. The root object's members are those flagged
// top; any other object's are all the records after its first.
func (s *scanner) duplicate(f *frame) int {
	mem := s.members[f.first:]
	if len(mem) < 2 {
		return -1
	}
	root := len(s.frames) == 1
	if !root && len(mem) <= fewNames {
		if d, ok := fewDuplicate(s.doc, mem); ok {
			if d >= 0 {
				d += int(f.first)
			}
			return d
		}
	}
	n := len(mem)
	if root {
		n = int(f.n)
	}
	s.idx.start(s.doc, s.members, n)
	for j := range mem {
		if root && !mem[j].top {
			continue
		}
		if s.idx.add(f.first+int32(j)) >= 0 {
			return int(f.first) + j
		}
	}
	if !root {
		s.idx.hold(s.doc, f.first, n)
	}
	return -1
}

// fewNames is the most members of an object below the root whose names
// the duplicate check compares pair by pair rather than through the index:
// most objects have a handful of members, and for them a few comparisons
// of lengths cost less than tagging each name and setting up the index.
const fewNames = 8

// fewDuplicate returns the index in mem of the first member whose name
// repeats an earlier one, or -1, comparing every pair, and true; or false
// when a name has escapes, whose decoded names the index compares.
func fewDuplicate(doc []byte, mem []member) (int, bool) {
	for j := range mem {
		if mem[j].esc {
			return -1, false
		}
	}
	for j := 1; j < len(mem); j++ {
		a := mem[j].key
		for k := range j {
			// Names without escapes are equal when their text is; the
			// lengths and the last bytes (a quote, for "") first, which
			// spares most calls to compare the rest.
			if b := mem[k].key; b.hi-b.lo == a.hi-a.lo && doc[b.hi-2] == doc[a.hi-2] && string(doc[b.lo:b.hi]) == string(doc[a.lo:a.hi]) {
				return j, true
			}
		}
	}
	return -1, true
}

// decode returns the decoded text of a string's content doc[k.lo:k.hi],
// in s.tmp when it has escapes.
func (s *scanner) decode(k span, esc bool) []byte {
	if !esc {
		return s.doc[k.lo:k.hi]
	}
	s.tmp = appendUnescaped(reuse(s.tmp), s.doc[k.lo:k.hi])
	return s.tmp
}
