package metamerge

// Where is an offset, as a JSON Pointer? The only place pointers are built.

import (
	"bytes"
	"slices"
	"strconv"
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

// hit records the pointer of the current position, the next target.
func (s *scanner) hit() *Error {
	s.pbuf = s.appendPointer(reuse(s.pbuf), s.frames)
	if len(s.ptrs) > 0 && len(s.pbuf) > s.budget {
		return errStop
	}
	s.budget -= len(s.pbuf)
	s.ptrs = append(s.ptrs, string(s.pbuf))
	if len(s.ptrs) == len(s.targets) {
		return errStop
	}
	s.next = s.targets[len(s.ptrs)]
	return nil
}

// appendPointer appends to p the RFC 6901 pointer of the current position
// in frames.
func (s *scanner) appendPointer(p []byte, frames []frame) []byte {
	for i := range frames {
		f := &frames[i]
		p = append(p, '/')
		if f.obj {
			p = appendToken(p, s.decode(f.key, f.esc))
		} else {
			p = strconv.AppendInt(p, int64(f.n-1), 10)
		}
	}
	return p
}

// appendToken appends name as an RFC 6901 reference token.
func appendToken(p, name []byte) []byte {
	p = slices.Grow(p, len(name)+bytes.Count(name, []byte{'~'})+bytes.Count(name, []byte{'/'}))
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
