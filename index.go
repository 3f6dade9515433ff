package metamerge

// Which member has this name? The name index of one object's members.

import (
	"bytes"
	"encoding/binary"
	"hash/maphash"
	"math/bits"
)

// smallObject is the most members searched linearly; larger sets go
// through a hash table.
const smallObject = 16

// index finds members of one document by decoded name. It serves the
// duplicate check of each object (H2) and the merge's look-ups of patch
// members. A member is named by its position in mem; names are read from
// the document, and decoded only when they have escapes.
type index struct {
	doc   []byte
	mem   []member
	large bool
	ids   []int32  // small: the members added
	tags  []uint64 // small: the tag of each
	bloom uint64   // small: a bit for each tag added (see bit)
	table nameTable
	a, b  []byte // decoded names

	// The object whose members the table holds, when it was built by
	// hold: mem[first:first+n] of doc. Any other use of the table
	// forgets it.
	heldDoc     []byte
	first, held int32
}

// start empties x for at most n members of mem, a record of doc.
func (x *index) start(doc []byte, mem []member, n int) {
	x.doc, x.mem = doc, mem
	x.ids, x.tags, x.bloom = x.ids[:0], reuse(x.tags), 0
	x.large = n > smallObject
	if x.large {
		x.table.reset(n)
		x.heldDoc, x.held = nil, 0
	}
}

// hold notes that the table holds, and keeps holding, the members
// mem[first:first+n] of doc, all added: the duplicate check of a patch
// field builds the index that the merge of the field then looks names up
// in, so the merge need not build it again.
func (x *index) hold(doc []byte, first int32, n int) {
	if x.large {
		x.heldDoc, x.first, x.held = doc, first, int32(n)
	}
}

// holds reports whether the table holds the members mem[first:first+n] of
// doc, and if so makes x find them there: find then returns indices into
// mem.
func (x *index) holds(doc []byte, mem []member, first int32, n int) bool {
	if x.held == 0 || x.held != int32(n) || x.first != first || len(x.heldDoc) != len(doc) || &x.heldDoc[0] != &doc[0] {
		return false
	}
	x.doc, x.mem, x.large = doc, mem, true
	return true
}

// name returns the decoded name of member i, in *buf when it has escapes.
func (x *index) name(i int32, buf *[]byte) []byte {
	m := &x.mem[i]
	if !m.esc {
		return m.keyText(x.doc)
	}
	*buf = appendUnescaped(reuse(*buf), m.keyText(x.doc))
	return *buf
}

// add adds member i and returns -1, or, when a member with the same name
// was added before, returns that member and leaves i out.
func (x *index) add(i int32) int32 {
	nm := x.mem[i].keyText(x.doc) // most names have no escapes: no call for them
	if x.mem[i].esc {
		nm = x.name(i, &x.a)
	}
	if x.large {
		return x.table.add(x, nm, i)
	}
	t := tag(nm)
	if b := bit(t); x.bloom&b == 0 { // no name added has this bit: a new name
		x.bloom |= b
	} else if k := x.findSmall(nm, t); k >= 0 {
		return k
	}
	x.ids = append(x.ids, i)
	x.tags = append(x.tags, t)
	return -1
}

// find returns the member named nm, or -1. nm must not be held in x.b.
func (x *index) find(nm []byte) int32 {
	if x.large {
		return x.table.find(x, nm)
	}
	t := tag(nm)
	if x.bloom&bit(t) == 0 {
		return -1
	}
	return x.findSmall(nm, t)
}

// bit picks one of 64 bits for a tag, by its top six bits after a
// multiplication that mixes all of them in. A small index keeps the bits
// of the names it holds: a name whose bit is not set is not there, which
// spares most look-ups of a small object their walk through its tags.
func bit(t uint64) uint64 { return 1 << (t * 0x9E3779B97F4A7C15 >> 58) }

func (x *index) findSmall(nm []byte, t uint64) int32 {
	for k, tk := range x.tags {
		if tk == t && bytes.Equal(x.name(x.ids[k], &x.b), nm) {
			return x.ids[k]
		}
	}
	return -1
}

// tag sums up a name in a word: its length and last eight bytes. Equal
// names have equal tags, so unequal tags spare a comparison.
func tag(b []byte) uint64 {
	n := len(b)
	if n >= 8 {
		return binary.LittleEndian.Uint64(b[n-8:]) ^ uint64(n)<<58
	}
	var t uint64
	for _, c := range b {
		t = t<<8 | uint64(c)
	}
	return t ^ uint64(n)<<58
}

// nameTable is an open-addressing hash table of members. Its keys are
// random, so that crafted names cannot make every name collide.
type nameTable struct {
	slots  []uint64 // high half: the name's hash; low half: 1 + the member; 0: empty
	k0, k1 uint64   // the hash's keys, random, odd
	seeded bool
}

// hash returns the hash of a name: each eight bytes, and the last few,
// folded in by a multiplication with the table's random keys, the high
// and low halves of its 128-bit product xored (as wyhash and the Go
// runtime's fallback hash do). It reads the name a word at a time and
// costs a multiplication per eight bytes, where a call to maphash.Bytes
// costs about as much as a short name's whole duplicate check; the random
// keys are what keeps a crafted set of names from colliding.
func (t *nameTable) hash(nm []byte) uint64 {
	n := len(nm)
	h := t.k0 ^ uint64(n)
	var w uint64
	switch {
	case n >= 8:
		for i := 0; i < n-8; i += 8 {
			h = mix(binary.LittleEndian.Uint64(nm[i:])^t.k1, h)
		}
		w = binary.LittleEndian.Uint64(nm[n-8:]) // overlapping the last word read, if any
	case n >= 4:
		w = uint64(binary.LittleEndian.Uint32(nm))<<32 | uint64(binary.LittleEndian.Uint32(nm[n-4:]))
	case n > 0:
		w = uint64(nm[0])<<16 | uint64(nm[n>>1])<<8 | uint64(nm[n-1])
	}
	return mix(w^t.k1, h)
}

// mix folds a and b into one word: the two halves of their product,
// xored.
func mix(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	return hi ^ lo
}

// reset empties the table and sizes it for n names, at most two thirds
// full. The size is not rounded up to a power of two: a slot is chosen by
// multiplying the hash by the size (see home), so a table takes 1.5 slots
// a name rather than up to 3, which is what a large document's peak memory
// is made of.
func (t *nameTable) reset(n int) {
	if !t.seeded {
		seed := maphash.MakeSeed()
		t.k0 = maphash.Comparable(seed, 0) | 1
		t.k1 = maphash.Comparable(seed, 1) | 1
		t.seeded = true
	}
	size := max(32, n+n/2+1)
	if cap(t.slots) < size {
		t.slots = make([]uint64, size)
	} else {
		t.slots = reuse(t.slots)[:size] // zeros beyond the length (see cut)
	}
}

// home returns the first slot to probe for a hash: its low half scaled to
// the table's size (Lemire's multiply-shift range reduction). The high
// half is kept in the slot to compare.
func (t *nameTable) home(hash uint64) int {
	return int(uint64(uint32(hash)) * uint64(len(t.slots)) >> 32)
}

// add inserts member i, named nm, and returns -1, or returns the member
// with the same name inserted before.
func (t *nameTable) add(x *index, nm []byte, i int32) int32 {
	hash := t.hash(nm)
	for h := t.home(hash); ; h++ {
		if h == len(t.slots) {
			h = 0
		}
		slot := t.slots[h]
		if slot == 0 {
			t.slots[h] = hash&^0xFFFFFFFF | uint64(i+1)
			return -1
		}
		if (slot^hash)>>32 != 0 { // another name's slot: the common case, no call
			continue
		}
		if k := t.match(x, slot, hash, nm); k >= 0 {
			return k
		}
	}
}

// find returns the member named nm, or -1.
func (t *nameTable) find(x *index, nm []byte) int32 {
	hash := t.hash(nm)
	for h := t.home(hash); ; h++ {
		if h == len(t.slots) {
			h = 0
		}
		slot := t.slots[h]
		if slot == 0 {
			return -1
		}
		if (slot^hash)>>32 != 0 { // another name's slot: the common case, no call
			continue
		}
		if k := t.match(x, slot, hash, nm); k >= 0 {
			return k
		}
	}
}

// match returns the member held by slot if its name is nm, or -1. The
// names are compared only when the hashes agree: in a large table each
// comparison is a cache miss.
func (t *nameTable) match(x *index, slot, hash uint64, nm []byte) int32 {
	if (slot^hash)>>32 != 0 {
		return -1
	}
	k := int32(uint32(slot)) - 1
	name := x.mem[k].keyText(x.doc) // most names have no escapes: no call for them
	if x.mem[k].esc {
		name = x.name(k, &x.b)
	}
	if bytes.Equal(name, nm) {
		return k
	}
	return -1
}
