package metamerge

// Where is a member in its document? The member records the scanner keeps.

// span is the byte range [lo, hi) of a document. Offsets fit in 32 bits
// because no input is larger than MaxDocumentBytes (H10).
type span struct{ lo, hi uint32 }

// member is one member of an object of a scanned document.
type member struct {
	key span   // the key with its quotes
	vhi uint32 // the end of the value
	gap uint8  // the bytes from the end of the key to the value, or gapFar
	esc bool   // the key has a backslash escape
	top bool   // a member of the root object
}

// memberSize is the size of a member in memory, for the pool's limit. The
// start of the value is kept as its distance from the key, in a byte, so
// that a member takes 16 bytes rather than 20: member records are most of
// the scratch memory of a large merge.
const memberSize = 16

// gapFar stands for a distance from key to value of 255 bytes or more,
// which valLo measures again.
const gapFar = 255

// newMember returns the record of the member whose key is doc[klo:khi]
// and whose value starts at vlo.
func newMember(klo, khi, vlo int, esc, top bool) member {
	return member{key: span{uint32(klo), uint32(khi)}, gap: uint8(min(vlo-khi, gapFar)), esc: esc, top: top}
}

// valLo returns the offset at which the value starts.
func (m *member) valLo(doc []byte) uint32 {
	if m.gap != gapFar {
		return m.key.hi + uint32(m.gap)
	}
	return m.farValue(doc)
}

// farValue returns the offset of the value past the colon and the white
// space around it, measured again: the rare case of valLo, kept apart so
// that valLo is inlined (TestInline).
//
//go:noinline
func (m *member) farValue(doc []byte) uint32 {
	return uint32(skipSpace(doc, skipSpace(doc, int(m.key.hi))+1))
}

// value returns the value's text.
func (m *member) value(doc []byte) []byte {
	if m.gap != gapFar {
		return doc[m.key.hi+uint32(m.gap) : m.vhi]
	}
	return m.farText(doc)
}

// farText returns the value's text when it is far from the key: the rare
// case of value, kept apart so that value is inlined (TestInline).
//
//go:noinline
func (m *member) farText(doc []byte) []byte {
	return doc[skipSpace(doc, skipSpace(doc, int(m.key.hi))+1):m.vhi]
}

// compact reports whether the value follows the key's colon directly.
func (m *member) compact() bool { return m.gap == 1 }

// keyText returns the key's content, without quotes and still escaped.
func (m *member) keyText(doc []byte) []byte { return doc[m.key.lo+1 : m.key.hi-1] }

// memberLen returns the size of a member written compactly: name, colon,
// value.
func memberLen(doc []byte, m *member) int {
	return int(m.key.hi-m.key.lo) + 1 + int(m.vhi-m.valLo(doc)) // the name, the colon, the value
}

// children returns the recorded members of the object that is the value of
// the root member record p: they follow it, up to the next root member.
func children(mem []member, p int32) []member {
	end := int(p) + 1
	for end < len(mem) && !mem[end].top {
		end++
	}
	return mem[p+1 : end]
}

// name returns the decoded name of m, in w.tmp when it has escapes.
func (w *work) name(doc []byte, m *member) []byte {
	if !m.esc {
		return m.keyText(doc)
	}
	w.tmp = appendUnescaped(reuse(w.tmp), m.keyText(doc))
	return w.tmp
}

// fewMax is the most members that few holds. For a few patch members
// against a small object, comparing each stored name with each of them
// costs less than building an index of them: a 512-byte merge's patch
// names one root member, and a handful in its field.
const fewMax = 8

// fewPairs is the most comparisons of names (stored members times patch
// members) for which a merge matches names pairwise rather than through an
// index, so that the pairwise match costs at most a small multiple of
// what an index would.
const fewPairs = 128

// few finds, by comparing names pairwise, members among at most fewMax
// members of one document whose names have no escapes. It lives on the
// stack of one call and needs no release.
type few struct {
	doc  []byte
	mem  []member
	ids  [fewMax]int32
	n    int
	lens uint64 // the bit of each name (see fewBit)
}

// add adds member i of f.mem, or reports false when f is full or the name
// has an escape; f is then of no use.
func (f *few) add(i int32) bool {
	if f.n == fewMax || f.mem[i].esc {
		return false
	}
	f.ids[f.n] = i
	f.n++
	f.lens |= fewBit(f.doc, &f.mem[i])
	return true
}

// may reports whether the member m of doc may have the name of a member
// of f: a name without escapes whose bit (see fewBit) no name of f has is
// not there, which answers most stored names without a call to compare.
func (f *few) may(doc []byte, m *member) bool {
	return m.esc || f.lens&fewBit(doc, m) != 0
}

// fewBit picks one of 64 bits for the name of m, a member of doc without
// escapes, from its length and its last byte (the closing quote for ""):
// names that share their length, as generated names do, mostly differ in
// their last byte.
func fewBit(doc []byte, m *member) uint64 {
	return 1 << ((m.key.hi - m.key.lo + 7*uint32(doc[m.key.hi-2])) & 63)
}

// compare returns the member of f named as the member m of doc, or -1, by
// comparing the names. Names without escapes are equal when their text
// with the quotes is; the lengths and the last bytes first, which spares
// most comparisons of the rest. A name of doc with escapes is decoded, in
// w.tmp, and compared with f's names, which have none.
func (f *few) compare(w *work, doc []byte, m *member) int32 {
	if m.esc {
		nm := w.name(doc, m)
		for _, id := range f.ids[:f.n] {
			if string(f.mem[id].keyText(f.doc)) == string(nm) {
				return id
			}
		}
		return -1
	}
	a := doc[m.key.lo:m.key.hi]
	for _, id := range f.ids[:f.n] {
		b := f.mem[id].key
		if int(b.hi-b.lo) == len(a) && f.doc[b.hi-2] == a[len(a)-2] && string(f.doc[b.lo:b.hi]) == string(a) {
			return id
		}
	}
	return -1
}
