package metamerge

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"slices"
	"strconv"
	"sync"
)

// Merge merges patch, the value of one metadata field in a PATCH body, into
// existing, the stored value of that field, following policy p, and returns
// the new value of the field.
//
// An empty or nil existing means the field is absent; a nil result with a
// nil error means the field is to be absent afterwards (a patch of {} under
// [EmptyRemoves], or under [EmptyIgnored] when it was absent). Otherwise the
// result is a new slice: Merge never modifies its inputs.
//
// The rules, in order:
//
//  1. existing, if present, must be valid JSON (H1–H3), or Merge returns a
//     single *Error with Stored set: invalid_json, duplicate_key or too_deep.
//  2. patch must be valid JSON, or Merge returns that *Error.
//  3. patch must be an object: not_object with pointer "" (R1). An existing
//     value that is not an object is taken as {} (R2).
//  4. A patch with no members does what p.Empty says (R6, C5).
//  5. Otherwise each patch member, in order, removes the key when its value
//     is null and else replaces the stored value in place, or is appended
//     (R3, R4, H6); members the patch does not name are kept byte for byte
//     (R5, H5).
//  6. The patch and the result are checked against p; every violation is
//     reported, joined in patch document order (H8), and no result is
//     returned (H7).
func Merge(existing, patch []byte, p Policy) ([]byte, error) {
	w := getWork()
	defer w.release()
	depth := p.depth()
	storedObj := false
	if len(existing) > 0 {
		var err *Error
		if w.smem, err = w.sc.scan(existing, depth, 1, w.smem); err != nil {
			err.Stored = true
			return nil, err
		}
		storedObj = existing[skipSpace(existing, 0)] == '{'
	}
	var err *Error
	if w.pmem, err = w.sc.scan(patch, depth, 1, w.pmem); err != nil {
		return nil, err
	}
	at := skipSpace(patch, 0)
	if patch[at] != '{' {
		return nil, &Error{Code: CodeNotObject, Offset: at}
	}
	if len(w.pmem) == 0 {
		switch p.Empty {
		case EmptyClears:
			return []byte("{}"), nil
		case EmptyIgnored:
			if len(existing) > 0 {
				return bytes.Clone(existing), nil
			}
		}
		return nil, nil
	}
	var smem []member
	if storedObj {
		smem = w.smem
	}
	out := make([]byte, 0, len(existing)+len(patch)+2)
	out, n := w.mergeMembers(out, existing, smem, patch, w.pmem)
	w.check(&p, patch, w.pmem, "", at, n, len(out), false)
	if len(w.errs) > 0 {
		return nil, joinErrors(w.errs)
	}
	return out, nil
}

// Validate checks metadata, a complete metadata object such as signup
// user_metadata, against policy p. It returns nil, or the parse error of
// metadata (H1–H3), not_object with pointer "" when it is not an object, or
// every violation of p joined in document order. Unlike in a patch, null is
// not a string.
func Validate(metadata []byte, p Policy) error {
	return validate(metadata, p, false)
}

func validate(metadata []byte, p Policy, signup bool) error {
	w := getWork()
	defer w.release()
	var err *Error
	if w.pmem, err = w.sc.scan(metadata, p.depth(), 1, w.pmem); err != nil {
		return err
	}
	at := skipSpace(metadata, 0)
	if metadata[at] != '{' {
		return &Error{Code: CodeNotObject, Offset: at, signup: signup}
	}
	w.check(&p, metadata, w.pmem, "", at, len(w.pmem), 0, true)
	for _, e := range w.errs {
		e.signup = signup
	}
	return joinErrors(w.errs)
}

// field names a root member of a profile or client that is merged with a
// policy instead of being replaced.
type field struct {
	name string
	pol  *Policy
}

// work is the state of one call. Its buffers are pooled between calls;
// nothing else in it outlives the call, and nothing of a caller's document
// stays in the pool.
type work struct {
	sc         scanner
	smem, pmem []member // recorded members of the stored document and the patch
	proots     []int32  // indexes in pmem of the patch's root members
	roots      index    // the patch's root members
	fields     index    // the members of one metadata field of the patch
	used       []bool   // per patch root member: applied
	fused      []bool   // per member of a patch field: applied
	tmp, nbuf  []byte
	walk       []walkFrame
	errs       []*Error
}

var workPool = sync.Pool{New: func() any { return new(work) }}

func getWork() *work { return workPool.Get().(*work) }

// release empties w and returns it to the pool. It zeroes, up to their
// capacity, every buffer that refers to a caller's document or error or
// holds bytes copied from one, so the pool keeps no caller's data alive
// and holds none of it.
func (w *work) release() {
	w.smem, w.pmem, w.proots, w.used = w.smem[:0], w.pmem[:0], w.proots[:0], w.used[:0]
	w.errs = zeroed(w.errs)
	w.roots.reset()
	w.fields.reset()
	w.sc.table.names = zeroed(w.sc.table.names)
	w.sc.scratch, w.tmp, w.nbuf = zeroed(w.sc.scratch), zeroed(w.tmp), zeroed(w.nbuf)
	workPool.Put(w)
}

// zeroed clears s up to its capacity and returns it empty.
func zeroed[T any](s []T) []T {
	s = s[:cap(s)]
	clear(s)
	return s[:0]
}

// mergeDoc merges a PATCH body into a stored profile or client: members
// named in fields are merged with their policy, every other root member of
// the patch replaces the stored one or, when null, removes it (R10).
func (w *work) mergeDoc(stored, patch []byte, depth, maxBytes int, fields []field) ([]byte, error) {
	depth = depthLimit(depth)
	var err *Error
	if w.smem, err = w.sc.scan(stored, depth, 2, w.smem); err != nil {
		err.Stored = true
		return nil, err
	}
	if w.pmem, err = w.sc.scan(patch, depth, 2, w.pmem); err != nil {
		return nil, err
	}
	sAt, pAt := skipSpace(stored, 0), skipSpace(patch, 0)
	if stored[sAt] != '{' {
		w.errs = append(w.errs, &Error{Code: CodeNotObject, Stored: true, Offset: sAt})
	}
	if patch[pAt] != '{' {
		w.errs = append(w.errs, &Error{Code: CodeNotObject, Offset: pAt})
	}
	if len(w.errs) > 0 {
		return nil, joinErrors(w.errs)
	}

	// The patch's root members, by name.
	for i := range w.pmem {
		if w.pmem[i].parent < 0 {
			w.proots = append(w.proots, int32(i))
		}
	}
	proots := w.proots
	w.roots.build(patch, w.pmem, proots)
	used := slices.Grow(w.used[:0], len(proots))[:len(proots)]
	clear(used)
	w.used = used

	out := make([]byte, 0, len(stored)+len(patch)+2)
	out = append(out, '{')
	var kept keeper
	for i := range w.smem {
		m := &w.smem[i]
		if m.parent >= 0 {
			continue
		}
		k := w.roots.find(w.name(stored, m))
		if k < 0 {
			out = kept.keep(out, stored, m)
			continue
		}
		out = kept.flush(out, stored)
		used[k] = true
		out = w.applyRoot(out, stored, int32(i), patch, proots[k], fields)
	}
	out = kept.flush(out, stored)
	for k, pid := range proots {
		if !used[k] {
			out = w.applyRoot(out, stored, -1, patch, pid, fields)
		}
	}
	out = append(out, '}')

	if maxBytes > 0 && len(out) > maxBytes {
		w.errs = append(w.errs, &Error{Code: CodeTooLarge, Offset: -1, Limit: maxBytes, Actual: len(out)})
	}
	if len(w.errs) > 0 {
		slices.SortStableFunc(w.errs, func(a, b *Error) int { return cmp.Compare(a.Offset, b.Offset) })
		return nil, joinErrors(w.errs)
	}
	return out, nil
}

// applyRoot applies the patch root member pid to the stored root member sid
// (-1 when the stored document has none) and appends the outcome to out.
func (w *work) applyRoot(out, stored []byte, sid int32, patch []byte, pid int32, fields []field) []byte {
	pm := &w.pmem[pid]
	key := patch[pm.key.lo:pm.key.hi]
	var sm *member
	if sid >= 0 {
		sm = &w.smem[sid]
		key = stored[sm.key.lo:sm.key.hi]
	}
	pv := patch[pm.val.lo:pm.val.hi]
	name := w.name(patch, pm)
	var pol *Policy
	for i := range fields {
		if string(name) == fields[i].name {
			pol = fields[i].pol
		}
	}
	if pol == nil { // R10
		if pv[0] == 'n' {
			return out
		}
		return appendMember(out, key, pv)
	}
	ptr := string(appendToken([]byte{'/'}, name))
	if pv[0] != '{' { // R1, C1
		w.errs = append(w.errs, &Error{Code: CodeNotObject, Pointer: ptr, Offset: pm.val.lo})
		return out
	}
	pmem := children(w.pmem, pid)
	if len(pmem) == 0 { // R6, C5
		switch pol.Empty {
		case EmptyClears:
			return appendMember(out, key, []byte("{}"))
		case EmptyIgnored:
			if sm != nil {
				return appendMember(out, key, stored[sm.val.lo:sm.val.hi])
			}
		}
		return out
	}
	var smem []member
	if sm != nil && stored[sm.val.lo] == '{' { // else R2: taken as {}
		smem = children(w.smem, sid)
	}
	out = appendMember(out, key, nil)
	start := len(out)
	out, n := w.mergeMembers(out, stored, smem, patch, pmem)
	w.check(pol, patch, pmem, ptr, pm.val.lo, n, len(out)-start, false)
	return out
}

// children returns the recorded members of the object that is the value of
// record p: they follow p directly.
func children(mem []member, p int32) []member {
	end := int(p) + 1
	for end < len(mem) && mem[end].parent == p {
		end++
	}
	return mem[p+1 : end]
}

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
type keeper struct{ lo, hi int } // the pending run of the stored document

func (k *keeper) keep(out, doc []byte, m *member) []byte {
	if m.key.hi+1 != m.val.lo { // white space around the colon: rewrite
		out = k.flush(out, doc)
		return appendMember(out, doc[m.key.lo:m.key.hi], doc[m.val.lo:m.val.hi])
	}
	if k.hi > 0 && k.hi+1 == m.key.lo { // only the comma in between
		k.hi = m.val.hi
		return out
	}
	out = k.flush(out, doc)
	k.lo, k.hi = m.key.lo, m.val.hi
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

// mergeMembers appends to out the object that results from merging the
// patch members pmem into the stored members smem (R3, R5, H6), and returns
// it with the number of members it has. Patch values are copied as written,
// valid or not: checking is the job of check.
func (w *work) mergeMembers(out, stored []byte, smem []member, patch []byte, pmem []member) ([]byte, int) {
	w.fields.build(patch, pmem, nil)
	used := slices.Grow(w.fused[:0], len(pmem))[:len(pmem)]
	clear(used)
	w.fused = used
	out = append(out, '{')
	n := 0
	var kept keeper
	for i := range smem {
		m := &smem[i]
		k := w.fields.find(w.name(stored, m))
		if k < 0 {
			out = kept.keep(out, stored, m)
			n++
			continue
		}
		out = kept.flush(out, stored)
		used[k] = true
		val := patch[pmem[k].val.lo:pmem[k].val.hi]
		if val[0] == 'n' { // null removes the key
			continue
		}
		out = appendMember(out, stored[m.key.lo:m.key.hi], val)
		n++
	}
	out = kept.flush(out, stored)
	for k := range pmem {
		m := &pmem[k]
		if !used[k] && patch[m.val.lo] != 'n' {
			out = appendMember(out, patch[m.key.lo:m.key.hi], patch[m.val.lo:m.val.hi])
			n++
		}
	}
	return append(out, '}'), n
}

// name returns the decoded name of m, in w.tmp when it has escapes.
func (w *work) name(doc []byte, m *member) []byte {
	return w.decoded(doc, span{m.key.lo + 1, m.key.hi - 1}, m.esc)
}

// index looks up members by decoded name.
type index struct {
	table   nameTable
	tags    []uint64 // tag of each name, for the linear search of small objects
	scratch []byte
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

// reset drops the names, which point into callers' documents, and the
// decoded ones.
func (x *index) reset() {
	x.table.names = zeroed(x.table.names)
	x.scratch = zeroed(x.scratch)
}

// build indexes the members mem[ids[i]], or every member of mem if ids is nil.
func (x *index) build(doc []byte, mem []member, ids []int32) {
	x.scratch = x.scratch[:0]
	names := x.table.names[:0]
	add := func(m *member) {
		if !m.esc {
			names = append(grow(names), m.keyText(doc))
			return
		}
		n := len(x.scratch)
		x.scratch = appendUnescaped(x.scratch, m.keyText(doc))
		names = append(grow(names), x.scratch[n:len(x.scratch):len(x.scratch)])
	}
	if ids == nil {
		for i := range mem {
			add(&mem[i])
		}
	} else {
		for _, id := range ids {
			add(&mem[id])
		}
	}
	x.table.names = names
	if len(names) <= smallObject {
		x.tags = x.tags[:0]
		for _, nm := range names {
			x.tags = append(x.tags, tag(nm))
		}
	} else {
		x.table.reset(len(names))
		for j := range names {
			x.table.add(j)
		}
	}
}

// find returns the position (in mem, or in ids) of the member named nm, or -1.
func (x *index) find(nm []byte) int {
	if len(x.table.names) > smallObject {
		return x.table.find(nm)
	}
	t := tag(nm)
	for j, tj := range x.tags {
		if tj == t && bytes.Equal(x.table.names[j], nm) {
			return j
		}
	}
	return -1
}

// check appends to w.errs every violation of policy p by the members pmem
// of the object at pointer ptr and offset at: first those of the object as a
// whole (C4, R9), then each member's in document order (C2, C3, R7, R8,
// S1, S2). merged and size describe the merged object (size 0: none).
// complete is true for a whole document rather than a patch: there, null
// is not a string.
func (w *work) check(p *Policy, doc []byte, pmem []member, ptr string, at, merged, size int, complete bool) {
	if p.MaxKeys > 0 {
		if n := max(len(pmem), merged); n > p.MaxKeys {
			w.errs = append(w.errs, &Error{Code: CodeTooManyKeys, Pointer: ptr, Offset: at, Limit: p.MaxKeys, Actual: n})
		}
	}
	if p.MaxBytes > 0 && size > p.MaxBytes {
		w.errs = append(w.errs, &Error{Code: CodeTooLarge, Pointer: ptr, Offset: at, Limit: p.MaxBytes, Actual: size})
	}
	for i := range pmem {
		m := &pmem[i]
		name := m.keyText(doc)
		if m.esc { // decoded apart from w.tmp, which the value may need
			w.nbuf = appendUnescaped(w.nbuf[:0], name)
			name = w.nbuf
		}
		var mptr string
		add := func(code Code, off, limit, actual int) {
			if mptr == "" {
				mptr = ptr + string(appendToken([]byte{'/'}, name))
			}
			w.errs = append(w.errs, &Error{Code: code, Pointer: mptr, Offset: off, Limit: limit, Actual: actual})
		}
		if p.MaxKeyLen > 0 {
			if n := length(name, p.Unit); n > p.MaxKeyLen {
				add(CodeKeyTooLong, m.key.lo, p.MaxKeyLen, n)
			}
		}
		if !p.nameOK(name, false) {
			add(CodeInvalidKey, m.key.lo, 0, 0)
		}
		if p.reserved(name) {
			add(CodeReservedKey, m.key.lo, 0, 0)
		}
		v := doc[m.val.lo:m.val.hi]
		switch {
		case v[0] == '"':
			if p.MaxValueLen > 0 {
				text := v[1 : len(v)-1]
				if bytes.IndexByte(text, '\\') >= 0 {
					w.tmp = appendUnescaped(w.tmp[:0], text)
					text = w.tmp
				}
				if n := length(text, p.Unit); n > p.MaxValueLen {
					add(CodeValueTooLong, m.val.lo, p.MaxValueLen, n)
				}
			}
		case v[0] == 'n' && !complete:
		case p.StringValues:
			add(CodeNotString, m.val.lo, 0, 0)
		}
		if p.checksNested() && (v[0] == '{' || v[0] == '[') {
			w.nestedKeys(p, doc, m.val, ptr, name)
		}
	}
}

// walkFrame is one open container during nestedKeys.
type walkFrame struct {
	obj bool
	esc bool
	idx int
	key span // content of the current key
}

// nestedKeys reports invalid_key for every name inside the valid JSON value
// doc[v.lo:v.hi] that p rejects at depth (R7). The value is that of the
// member named owner in the object at pointer ptr.
func (w *work) nestedKeys(p *Policy, doc []byte, v span, ptr string, owner []byte) {
	st := w.walk[:0]
	expectKey := false
	for i := v.lo; i < v.hi; {
		switch doc[i] {
		case '{':
			st = append(st, walkFrame{obj: true})
			expectKey = true
		case '[':
			st = append(st, walkFrame{})
		case '}', ']':
			st = st[:len(st)-1]
		case ',':
			if top := &st[len(st)-1]; top.obj {
				expectKey = true
			} else {
				top.idx++
			}
		case '"':
			j, esc := stringEnd(doc, i)
			if expectKey {
				expectKey = false
				top := &st[len(st)-1]
				top.key, top.esc = span{i + 1, j - 1}, esc
				if name := w.decoded(doc, top.key, esc); !p.nameOK(name, true) {
					base := ptr + string(appendToken([]byte{'/'}, owner))
					w.errs = append(w.errs, &Error{Code: CodeInvalidKey, Pointer: w.walkPointer(doc, base, st), Offset: i})
				}
			}
			i = j
			continue
		}
		i++
	}
	w.walk = st
}

// decoded returns the text doc[s.lo:s.hi] of a string, decoded into w.tmp
// when it has escapes.
func (w *work) decoded(doc []byte, s span, esc bool) []byte {
	if !esc {
		return doc[s.lo:s.hi]
	}
	w.tmp = appendUnescaped(w.tmp[:0], doc[s.lo:s.hi])
	return w.tmp
}

func (w *work) walkPointer(doc []byte, ptr string, st []walkFrame) string {
	p := []byte(ptr)
	for _, f := range st {
		p = append(p, '/')
		if f.obj {
			p = appendToken(p, w.decoded(doc, f.key, f.esc))
		} else {
			p = strconv.AppendInt(p, int64(f.idx), 10)
		}
	}
	return string(p)
}

// stringEnd returns the offset after the valid string that starts at
// doc[i] == '"', and whether it has escapes.
func stringEnd(doc []byte, i int) (int, bool) {
	esc := false
	for j := i + 1; ; j++ {
		switch doc[j] {
		case '\\':
			esc = true
			j++
		case '"':
			return j + 1, esc
		}
	}
}
