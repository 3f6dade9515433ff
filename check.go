package metamerge

// Which rules of a policy does a patch break? The checks of names, values and sizes.

import "bytes"

// notObject is the error of stage 3 (H9): the document doc, whose value
// starts at at, is not an object.
func notObject(doc []byte, at int, stored bool) *Error {
	return &Error{Code: CodeNotObject, Stored: stored, Offset: at, Found: typeName(doc[at])}
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
