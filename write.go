package metamerge

// How are the merged bytes written? The second pass of a merge.

// appendMember appends ,"key":value (without the comma after '{').
func appendMember(out, key, value []byte) []byte {
	if out[len(out)-1] != '{' {
		out = append(out, ',')
	}
	out = append(out, key...)
	out = append(out, ':')
	return append(out, value...)
}

// keeper appends the kept members of one stored object to the output.
// Neighbours written compactly (only "," between them, ":" right after
// each name) are copied in one piece: the bytes are the same as member by
// member.
type keeper struct{ lo, hi uint32 } // the pending run of the stored document

func (k *keeper) keep(out, doc []byte, m *member) []byte {
	if !m.compact() { // white space around the colon: rewrite
		out = k.flush(out, doc)
		return appendMember(out, doc[m.key.lo:m.key.hi], m.value(doc))
	}
	if k.hi > 0 && k.hi+1 == m.key.lo { // only the comma in between
		k.hi = m.vhi
		return out
	}
	out = k.flush(out, doc)
	k.lo, k.hi = m.key.lo, m.vhi
	return out
}

// flush appends the pending run.
func (k *keeper) flush(out, doc []byte) []byte {
	if k.hi > 0 {
		if out[len(out)-1] != '{' {
			out = append(out, ',')
		}
		out = append(out, doc[k.lo:k.hi]...)
		k.lo, k.hi = 0, 0
	}
	return out
}

// writeDoc writes the root object that planDoc planned, of size bytes.
func (w *work) writeDoc(stored, patch []byte, size int) []byte {
	out := make([]byte, 0, size)
	out = append(out, '{')
	var kept keeper
	for i := range w.pieces {
		pc := &w.pieces[i]
		if pc.kind == pieceKept {
			m := &w.smem[pc.sid]
			if kept.hi > 0 && kept.hi+1 == m.key.lo && m.compact() { // the pending run grows: keep's first case, without a call
				kept.hi = m.vhi
				continue
			}
			out = kept.keep(out, stored, m)
			continue
		}
		out = kept.flush(out, stored)
		key := w.pmem[pc.pid].key
		doc := patch
		if pc.sid >= 0 { // a replaced member keeps the stored spelling of its name
			key, doc = w.smem[pc.sid].key, stored
		}
		switch out = appendMember(out, doc[key.lo:key.hi], nil); pc.kind {
		case pieceValue:
			out = append(out, w.pmem[pc.pid].value(patch)...)
		case pieceEmpty:
			out = append(out, '{', '}')
		case pieceStored:
			out = append(out, w.smem[pc.sid].value(stored)...)
		case pieceField:
			out = w.writeMembers(out, &w.plans[pc.field])
		}
	}
	out = kept.flush(out, stored)
	return append(out, '}')
}

// writeMembers appends to out the object that planMembers planned in o.
func (w *work) writeMembers(out []byte, o *objectMerge) []byte {
	stored, smem, match, patch, pmem, used := o.stored, o.smem, o.match, o.patch, o.pmem, o.used
	out = append(out, '{')
	for i := 0; i < len(smem); {
		m := &smem[i]
		k := match[i]
		if k < 0 { // a run of kept members
			end := int(-1 - k)
			if !m.compact() { // white space around the colon: rewrite
				out = appendMember(out, stored[m.key.lo:m.key.hi], m.value(stored))
			} else {
				if out[len(out)-1] != '{' {
					out = append(out, ',')
				}
				out = append(out, stored[m.key.lo:smem[end-1].vhi]...)
			}
			i = end
			continue
		}
		if val := pmem[k].value(patch); val[0] != 'n' {
			out = appendMember(out, stored[m.key.lo:m.key.hi], val)
		}
		i++
	}
	var added keeper // the new members, neighbours in the patch copied in one piece as the kept ones
	for k := range pmem {
		m := &pmem[k]
		if used[k] || patch[m.valLo(patch)] == 'n' {
			continue
		}
		if added.hi > 0 && added.hi+1 == m.key.lo && m.compact() { // the pending run grows
			added.hi = m.vhi
			continue
		}
		out = added.keep(out, patch, m)
	}
	out = added.flush(out, patch)
	return append(out, '}')
}
