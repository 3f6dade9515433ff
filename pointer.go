package metamerge

// Where is an offset, as a JSON Pointer? The only place pointers are built.

import (
	"bytes"
	"slices"
	"strconv"
	"strings"
)

// locate scans doc, which is valid, and returns the pointer of the value
// or member that starts at each offset of targets (sorted, without
// repeats), as far as they fit in budget bytes: the first always does.
func (s *scanner) locate(doc []byte, targets []int, budget int) []string {
	s.doc, s.maxDepth, s.record, s.members = doc, 0, 0, nil
	s.frames = s.frames[:0]
	s.locating, s.targets, s.ptrs, s.budget = true, targets, make([]string, 0, len(targets)), budget
	s.next = -1
	if len(targets) > 0 {
		s.next = targets[0]
	}
	_ = s.run() // valid: no error; run stops early once every target is found
	ptrs := s.ptrs
	s.doc, s.locating, s.targets, s.ptrs = nil, false, nil, nil
	return ptrs
}

// errStop ends a locating run once every target has its pointer.
var errStop = &Error{}

// hit records the pointer of the current position, the next target. The
// pointer's length is counted first, so that one over the budget is never
// built, and one that fits is built once at its exact size: a pointer can
// be twice the document (every "~" and "/" of a name takes two bytes), and
// a buffer grown by appending would allocate several times that.
func (s *scanner) hit() *Error {
	n := s.pointerLen(s.frames)
	if len(s.ptrs) > 0 && n > s.budget {
		return errStop
	}
	s.budget -= n
	s.ptrs = append(s.ptrs, s.pointerOfLen(s.frames, n))
	if len(s.ptrs) == len(s.targets) {
		return errStop
	}
	s.next = s.targets[len(s.ptrs)]
	return nil
}

// pointer returns the RFC 6901 pointer of the current position in frames,
// allocated once at its exact size.
func (s *scanner) pointer(frames []frame) string {
	return s.pointerOfLen(frames, s.pointerLen(frames))
}

// memberPointer returns the pointer of the member whose name is the string
// content k (esc when it has escapes) in the object open at the end of
// frames, allocated once at its exact size.
func (s *scanner) memberPointer(frames []frame, k span, esc bool) string {
	n := s.pointerLen(frames) + 1 + tokenLen(s.decode(k, esc))
	var b strings.Builder
	b.Grow(n)
	s.writePointer(&b, frames)
	b.WriteByte('/')
	writeToken(&b, s.decode(k, esc))
	return b.String()
}

// pointerOfLen returns the pointer of frames, whose length is n.
func (s *scanner) pointerOfLen(frames []frame, n int) string {
	var b strings.Builder
	b.Grow(n)
	s.writePointer(&b, frames)
	return b.String()
}

// pointerLen returns the length of the pointer of the position in frames.
func (s *scanner) pointerLen(frames []frame) int {
	n := len(frames) // the slashes
	for i := range frames {
		f := &frames[i]
		if f.obj {
			n += tokenLen(s.decode(f.key, f.esc))
		} else {
			n += decimalLen(int(f.n - 1))
		}
	}
	return n
}

// writePointer writes the pointer of the position in frames to b.
func (s *scanner) writePointer(b *strings.Builder, frames []frame) {
	var digits [20]byte
	for i := range frames {
		f := &frames[i]
		b.WriteByte('/')
		if f.obj {
			writeToken(b, s.decode(f.key, f.esc))
		} else {
			b.Write(strconv.AppendInt(digits[:0], int64(f.n-1), 10))
		}
	}
}

// decimalLen returns the number of digits of n, which is not negative.
func decimalLen(n int) int {
	d := 1
	for ; n >= 10; n /= 10 {
		d++
	}
	return d
}

// tokenLen returns the length of name as an RFC 6901 reference token:
// "~" and "/" take two bytes each.
func tokenLen(name []byte) int {
	return len(name) + bytes.Count(name, []byte{'~'}) + bytes.Count(name, []byte{'/'})
}

// writeToken writes name to b as an RFC 6901 reference token, copying the
// runs between the bytes it escapes whole.
func writeToken(b *strings.Builder, name []byte) {
	for {
		i := bytes.IndexAny(name, "~/")
		if i < 0 {
			b.Write(name)
			return
		}
		b.Write(name[:i])
		if name[i] == '~' {
			b.WriteString("~0")
		} else {
			b.WriteString("~1")
		}
		name = name[i+1:]
	}
}

// appendToken appends name as an RFC 6901 reference token.
func appendToken(p, name []byte) []byte {
	p = slices.Grow(p, tokenLen(name))
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
