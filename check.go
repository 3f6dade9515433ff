package metamerge

import (
	"bytes"
	"cmp"
	"slices"
)

// violation is one rule violation in a patch, located by the offset at
// which it was found (-1: no single place); its pointer is built only if
// it is reported.
type violation struct {
	code          Code
	off           int
	limit, actual int
}

// violations keeps the first max violations in document order (H8), in
// memory bounded by max whatever the number found, and counts them all.
type violations struct {
	list  []violation
	max   int
	total int
	full  bool // list holds the first max of those found so far, and
	last  int  // the offset of the last of them
}

func (v *violations) start(max int) {
	v.list, v.max, v.total, v.full = v.list[:0], max, 0, false
}

// add records a violation found at offset off. Violations come in
// document order within one field, and fields in any order; those that
// cannot be among the first max are only counted.
func (v *violations) add(code Code, off, limit, actual int) {
	v.total++
	if v.full && off >= v.last {
		return // a later one at the same offset sorts after the last kept
	}
	if len(v.list) == 2*v.max {
		v.sort()
		v.list = v.list[:v.max]
		v.full, v.last = true, v.list[v.max-1].off
		if off >= v.last {
			return
		}
	}
	v.list = append(v.list, violation{code, off, limit, actual})
}

// sort puts the list in document order; violations at one offset keep
// the order they were found in (H8 ties: see the vectors' README).
func (v *violations) sort() {
	slices.SortStableFunc(v.list, func(a, b violation) int { return cmp.Compare(a.off, b.off) })
}

// report turns the violations found in doc into errors: nil if there are
// none, else the first of them in document order, at most max of them and
// no more than the pointer budget allows, followed by too_many_errors if
// the list was cut.
func (w *work) report(doc []byte, signup bool) error {
	v := &w.viol
	if v.total == 0 {
		return nil
	}
	v.sort()
	list := v.list[:min(len(v.list), v.max)]
	targets := w.targets[:0]
	for _, x := range list {
		if x.off >= 0 && (len(targets) == 0 || targets[len(targets)-1] != x.off) {
			targets = append(targets, x.off)
		}
	}
	w.targets = targets
	ptrs := w.sc.locate(doc, targets, maxPointerBytes)
	errs := make([]Error, 0, len(list)+1)
	t, budget := -1, maxPointerBytes
	for _, x := range list {
		e := Error{Code: x.code, Offset: x.off, Limit: x.limit, Actual: x.actual, Signup: signup}
		if x.off >= 0 {
			if t < 0 || targets[t] != x.off {
				t++
			}
			if t >= len(ptrs) || len(errs) > 0 && len(ptrs[t]) > budget {
				break // over the pointer budget: each violation counts its pointer
			}
			e.Pointer = ptrs[t]
			budget -= len(e.Pointer)
			if x.code == CodeNotObject || x.code == CodeNotString {
				e.Found = typeName(doc[x.off])
			}
		}
		errs = append(errs, e)
	}
	if len(errs) < v.total {
		errs = append(errs, Error{Code: CodeTooManyErrors, Offset: -1, Limit: v.max, Actual: v.total, Signup: signup})
	}
	out := make([]*Error, len(errs))
	for i := range errs {
		out[i] = &errs[i]
	}
	return joinErrors(out)
}

// typeName names the JSON type of the value that starts with c.
func typeName(c byte) string {
	switch c {
	case '{':
		return "object"
	case '[':
		return "array"
	case '"':
		return "string"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	}
	return "number"
}

// notObject is the error of stage 3 (H9): the document doc, whose value
// starts at at, is not an object.
func notObject(doc []byte, at int, stored, signup bool) *Error {
	return &Error{Code: CodeNotObject, Stored: stored, Offset: at, Found: typeName(doc[at]), Signup: signup}
}

// checkObject records the violations of policy p by an object as a whole,
// found at offset at: too many keys (C4, S1), and too many bytes (R9; size
// 0: not known).
func (w *work) checkObject(p *Policy, at, keys, size int) {
	if p.MaxKeys > 0 && keys > p.MaxKeys {
		w.viol.add(CodeTooManyKeys, at, p.MaxKeys, keys)
	}
	if p.MaxBytes > 0 && size > p.MaxBytes {
		w.viol.add(CodeTooLarge, at, p.MaxBytes, size)
	}
}

// checkMembers records the violations of policy p by each of the members
// pmem of doc, in document order: the name's (C3, R7, R8, S1, S2), then the
// value's (C2, S1). In a complete document, unlike in a patch, null is not
// a string. Names below the members are checked by the scan of doc.
func (w *work) checkMembers(p *Policy, doc []byte, pmem []member, complete bool) {
	v := &w.viol
	for i := range pmem {
		m := &pmem[i]
		name := m.keyText(doc)
		if m.esc { // decoded apart from w.tmp, which the value may need
			w.nbuf = appendUnescaped(reuse(w.nbuf), name)
			name = w.nbuf
		}
		k := int(m.key.lo)
		if p.MaxKeyLen > 0 {
			if n := length(name, p.Unit); n > p.MaxKeyLen {
				v.add(CodeKeyTooLong, k, p.MaxKeyLen, n)
			}
		}
		if !p.nameOK(name, false) {
			v.add(CodeInvalidKey, k, 0, 0)
		}
		if p.reserved(name) {
			v.add(CodeReservedKey, k, 0, 0)
		}
		val := m.value(doc)
		switch {
		case val[0] == '"':
			if p.MaxValueLen > 0 {
				text := val[1 : len(val)-1]
				if bytes.IndexByte(text, '\\') >= 0 {
					w.tmp = appendUnescaped(reuse(w.tmp), text)
					text = w.tmp
				}
				if n := length(text, p.Unit); n > p.MaxValueLen {
					v.add(CodeValueTooLong, int(m.valLo(doc)), p.MaxValueLen, n)
				}
			}
		case val[0] == 'n' && !complete:
		case p.StringValues:
			v.add(CodeNotString, int(m.valLo(doc)), 0, 0)
		}
	}
}
