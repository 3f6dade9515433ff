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

// writeMembers appends to out the object that planMembers planned.
func (w *work) writeMembers(out, stored []byte, smem []member, match []int32, patch []byte, pmem []member, used []bool) []byte {
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
	for k := range pmem {
		m := &pmem[k]
		if !used[k] && patch[m.valLo(patch)] != 'n' {
			out = appendMember(out, patch[m.key.lo:m.key.hi], m.value(patch))
		}
	}
	return append(out, '}')
}
