package metamerge

// How is a patch merged? The plan stage of a merge and the merge of one field.

import (
	"bytes"
	"slices"
)

// parse runs the first stages of every call: the sizes (H10), then the
// parse of stored, unless it is nil, and of patch (H9, stages 1 and 2).
// Members are recorded down to level record, where the fields are: 1, the
// document is the field, or 2, fields are values of root members; the
// names nested in the patch's fields are checked on the way.
func (w *work) parse(stored, patch []byte, l Limits, record int, fields []field) *Error {
	if stored != nil {
		if err := docTooLarge(stored, l, true); err != nil {
			return err
		}
	}
	if err := docTooLarge(patch, l, false); err != nil {
		return err
	}
	w.viol.start(l.errors())
	var err *Error
	if stored != nil {
		if w.smem, err = w.sc.scan(stored, l.depth(), record, w.smem); err != nil {
			err.Stored = true
			return err
		}
	}
	w.sc.fields, w.sc.fieldDepth, w.sc.viol = fields, record, &w.viol
	w.pmem, err = w.sc.scan(patch, l.depth(), record, w.pmem)
	return err
}

// mergeDoc merges a PATCH body into a stored profile or client: members
// named in s.fields are merged with their policy, every other root member
// of the patch replaces the stored one or, when null, removes it (R10).
// With modeCheck it ignores stored and only checks the patch: stages 2 to
// 4 of H9, without what needs the merged result.
//
// A merge runs in stages, as the merge of one field does (planMembers,
// writeMembers): check (H9 stages 1 to 3), plan, report (stage 4), write.
// The plan matches names, checks the rules, records the changes and sums
// the size of the result; the write copies bytes into a result of exactly
// that size. So a merge allocates its result once, at its size, and a
// merge that fails stage 4 allocates none.
func (w *work) mergeDoc(stored, patch []byte, s *docSettings, m mode) ([]byte, error) {
	if err := w.checkDocs(stored, patch, s, m); err != nil {
		return nil, err
	}
	if m == modeCheck {
		for i := range w.pmem {
			if w.pmem[i].top {
				w.planRoot(nil, -1, patch, int32(i), s.fields)
			}
		}
		return nil, w.report(patch)
	}
	size := w.planDoc(stored, patch, s.fields)
	if s.maxProfile > 0 && size > s.maxProfile {
		w.viol.add(CodeTooLarge, -1, s.maxProfile, size)
	}
	if err := w.report(patch); err != nil {
		return nil, err
	}
	return w.writeDoc(stored, patch, size), nil
}

// checkDocs runs stages 1 to 3 of H9 for mergeDoc: the sizes and the
// parses of stored (unless m is modeCheck) and patch, then not_object for
// each that is not an object, both reported together.
func (w *work) checkDocs(stored, patch []byte, s *docSettings, m mode) error {
	w.mode = m
	checkOnly := m == modeCheck
	var sdoc []byte // nil: not parsed
	if !checkOnly {
		sdoc = stored
		if sdoc == nil {
			sdoc = []byte{} // not JSON: invalid_json, as for any empty input
		}
	}
	if err := w.parse(sdoc, patch, s.limits, 2, s.fields); err != nil {
		return err
	}
	if m == modeReport { // a change for each patch member at most, and for each field
		w.changes = make([]Change, 0, len(w.pmem)+len(s.fields))
	}
	var errs []*Error
	if !checkOnly {
		if at := skipSpace(stored, 0); stored[at] != '{' {
			errs = append(errs, notObject(stored, at, true))
		}
	}
	if at := skipSpace(patch, 0); patch[at] != '{' {
		errs = append(errs, notObject(patch, at, false))
	}
	return joinErrors(errs)
}

// planDoc plans the merged root object into w.pieces, stored root members
// in their order, then the new ones (H6), and returns the size of its text.
func (w *work) planDoc(stored, patch []byte, fields []field) int {
	// The patch's root members, by name: compared pairwise when they are
	// few and the stored ones not many (see few), else in an index.
	nroots, pairwise := 0, true
	roots := few{doc: patch, mem: w.pmem}
	for i := range w.pmem {
		if w.pmem[i].top {
			nroots++
			pairwise = roots.add(int32(i)) && pairwise
		}
	}
	w.used = slices.Grow(w.used[:0], len(w.pmem))[:len(w.pmem)]
	clear(w.used)
	w.match = slices.Grow(w.match[:0], len(w.smem))[:len(w.smem)]
	nstored := 0
	for i := range w.smem {
		if w.smem[i].top {
			nstored++
		}
	}
	if pairwise = pairwise && nstored*nroots <= fewPairs; !pairwise {
		w.roots.start(patch, w.pmem, nroots)
		for i := range w.pmem {
			if w.pmem[i].top {
				w.roots.add(int32(i))
			}
		}
	}
	w.pieces = slices.Grow(w.pieces[:0], nstored+nroots) // a piece a root member at most
	w.nplans, w.planned = 0, 0

	for i := range w.smem {
		m := &w.smem[i]
		if !m.top {
			continue
		}
		k := int32(-1)
		if pairwise {
			if roots.may(stored, m) {
				k = roots.compare(w, stored, m)
			}
		} else {
			k = w.roots.find(w.name(stored, m))
		}
		if k < 0 {
			w.pieces = append(w.pieces, piece{sid: int32(i), pid: -1, kind: pieceKept})
			w.planned += memberLen(stored, m)
			continue
		}
		w.used[k] = true
		w.planRoot(stored, int32(i), patch, k, fields)
	}
	for i := range w.pmem {
		if w.pmem[i].top && !w.used[i] {
			w.planRoot(stored, -1, patch, int32(i), fields)
		}
	}
	return 2 + max(len(w.pieces)-1, 0) + w.planned // the braces, the commas, the members
}

// piece is one member of the root object that a merge writes, named as
// the stored root member sid spells it or, when sid is -1, as the patch
// root member pid does. It is small, 12 bytes, since a document can have
// as many root members as its size allows.
type piece struct {
	sid, pid int32
	kind     pieceKind
	field    uint8 // pieceField: the plan, in w.plans
}

// pieceKind says what a piece writes.
type pieceKind uint8

const (
	pieceKept   pieceKind = iota // the stored member as it is
	pieceValue                   // the patch member's value
	pieceEmpty                   // {}
	pieceStored                  // the stored member's value
	pieceField                   // the merge that w.plans[field] plans
)

// objectMerge is the merge of one metadata object: the patch members pmem,
// which are w.pmem[p0:], into the stored members smem. planMembers sets
// match, per stored member, and used, per patch member; writeMembers
// writes what they say.
type objectMerge struct {
	stored, patch []byte
	smem, pmem    []member
	match         []int32
	used          []bool
	p0            int32
}

// addPiece appends a piece for the patch root member pid, named by the
// stored root member sid (-1: none), whose value takes n bytes.
func (w *work) addPiece(sid, pid int32, kind pieceKind, n int) {
	key := w.pmem[pid].key
	if sid >= 0 {
		key = w.smem[sid].key
	}
	w.pieces = append(w.pieces, piece{sid: sid, pid: pid, kind: kind, field: uint8(w.nplans - 1)})
	w.planned += int(key.hi-key.lo) + 1 + n
}

// planRoot plans the patch root member pid applied to the stored root
// member sid (-1 when the stored document has none): it checks the member,
// records its changes, and appends to w.pieces what the result holds for
// it, if anything. With modeCheck it only checks the member.
func (w *work) planRoot(stored []byte, sid int32, patch []byte, pid int32, fields []field) {
	pm := &w.pmem[pid]
	var sm *member
	if sid >= 0 {
		sm = &w.smem[sid]
	}
	pv := pm.value(patch)
	name := w.name(patch, pm)
	pol := fieldPolicy(fields, name)
	if pol == nil { // R10
		if w.mode == modeReport {
			w.rootChange(name, sm, stored, pv)
		}
		if pv[0] != 'n' && w.mode != modeCheck {
			w.addPiece(sid, pid, pieceValue, len(pv))
		}
		return
	}
	if pv[0] != '{' { // R1, C1
		w.viol.add(CodeNotObject, int(pm.valLo(patch)), 0, 0)
		return
	}
	p0 := pid + 1
	pmem := children(w.pmem, pid)
	if w.mode == modeCheck {
		w.checkObject(pol, int(pm.valLo(patch)), len(pmem), 0)
		w.checkMembers(pol, patch, pmem, false)
		return
	}
	var sv []byte
	if sm != nil {
		sv = sm.value(stored)
	}
	if w.mode == modeReport {
		w.prefix = string(appendToken([]byte{'/'}, name))
		w.fieldChange(pol, sv, len(pmem) == 0)
	}
	if len(pmem) == 0 { // R6, C5
		switch pol.Empty {
		case EmptyClears:
			w.addPiece(sid, pid, pieceEmpty, 2)
		case EmptyIgnored:
			if sm != nil {
				w.addPiece(sid, pid, pieceStored, len(sv))
			}
		}
		return
	}
	o := &w.plans[w.nplans]
	*o = objectMerge{stored: stored, patch: patch, pmem: pmem, used: w.used[p0 : p0+int32(len(pmem))], p0: p0}
	if sm != nil && sv[0] == '{' { // else R2: taken as {}
		o.smem = children(w.smem, sid)
		o.match = w.match[sid+1 : sid+1+int32(len(o.smem))]
	}
	n, size := w.planMembers(o)
	w.nplans++
	w.addPiece(sid, pid, pieceField, size)
	w.checkObject(pol, int(pm.valLo(patch)), max(len(pmem), n), size)
	w.checkMembers(pol, patch, pmem, false)
}

// mode is what a call does with a patch.
type mode uint8

const (
	modeMerge    mode = iota // merge the patch into the stored document
	modeReport               // merge, and record the changes (MergeReport)
	modeCheck                // check the patch alone, the stored document not at hand
	modeValidate             // check a complete metadata object (Validate)
)

// mergeField runs the mode m on one metadata object with policy p (see
// FieldRules): existing is the stored value (nil or empty: absent), patch
// the patch or the complete object.
func (w *work) mergeField(existing, patch []byte, p *Policy, l Limits, m mode) ([]byte, error) {
	w.mode = m
	merge := m == modeMerge || m == modeReport
	var sdoc []byte // nil: absent, or not needed
	if merge && len(existing) > 0 {
		sdoc = existing
	}
	w.one[0] = field{pol: p}
	if err := w.parse(sdoc, patch, l, 1, w.one[:]); err != nil {
		return nil, err
	}
	storedObj := sdoc != nil && sdoc[skipSpace(sdoc, 0)] == '{'
	if m == modeReport {
		w.changes = make([]Change, 0, len(w.pmem)+1)
	}
	at := skipSpace(patch, 0)
	if patch[at] != '{' {
		return nil, notObject(patch, at, false)
	}
	switch m {
	case modeValidate:
		size := 2 + max(len(w.pmem)-1, 0) // the braces and the commas
		for i := range w.pmem {
			m := &w.pmem[i]
			size += memberLen(patch, m)
		}
		w.checkObject(p, at, len(w.pmem), size)
		w.checkMembers(p, patch, w.pmem, true)
	case modeCheck:
		w.checkObject(p, at, len(w.pmem), 0)
		w.checkMembers(p, patch, w.pmem, false)
	default:
		if m == modeReport {
			w.prefix = ""
			w.fieldChange(p, existing, len(w.pmem) == 0)
		}
		if len(w.pmem) == 0 {
			switch {
			case p.Empty == EmptyClears:
				return []byte("{}"), nil
			case p.Empty == EmptyIgnored && len(existing) > 0:
				return bytes.Clone(existing), nil
			}
			return nil, nil
		}
		var smem []member
		if storedObj {
			smem = w.smem
		}
		w.match = slices.Grow(w.match[:0], len(smem))[:len(smem)]
		w.used = slices.Grow(w.used[:0], len(w.pmem))[:len(w.pmem)]
		o := &w.plans[0]
		*o = objectMerge{stored: existing, patch: patch, smem: smem, pmem: w.pmem, match: w.match, used: w.used}
		n, size := w.planMembers(o)
		w.checkObject(p, at, max(len(w.pmem), n), size)
		w.checkMembers(p, patch, w.pmem, false)
		if err := w.report(patch); err != nil {
			return nil, err
		}
		return w.writeMembers(make([]byte, 0, size), o), nil
	}
	return nil, w.report(patch)
}

// planMembers plans the merge o of the patch members pmem into the stored
// members smem (R3, R5, H6): it sets match (see below), and for each patch
// member used to whether a stored member has its name; it records the
// changes, and returns the number of members of the merged object and the
// size of its text. Patch values count as written, valid or not: checking
// is the job of check. The scanner's index is free once both documents are
// scanned, and serves as the patch's index here.
//
// match[i] is k >= 0 when the patch member k has the name of the stored
// member i. Kept stored members are grouped into runs that the write
// copies in one piece: neighbours written compactly (only "," between
// them, ":" right after each name) have the same bytes as member by
// member. At the first member i of a run, match[i] is -1-j, where j is the
// index after its last member; a member written with white space around
// its colon is a run of its own, rewritten compactly.
func (w *work) planMembers(o *objectMerge) (n, size int) {
	stored, smem, match, patch, pmem, used, p0 := o.stored, o.smem, o.match, o.patch, o.pmem, o.used, o.p0
	x := &w.sc.idx
	pairs := few{doc: patch, mem: w.pmem} // pmem is w.pmem[p0:]
	pairwise := len(smem)*len(pmem) <= fewPairs && !x.holds(patch, w.pmem, p0, len(pmem))
	for i := range pmem {
		if pairwise = pairwise && pairs.add(p0+int32(i)); !pairwise {
			break
		}
	}
	if !pairwise && !x.holds(patch, w.pmem, p0, len(pmem)) {
		x.start(patch, w.pmem, len(pmem))
		for i := range pmem {
			x.add(p0 + int32(i))
		}
	}
	clear(used)
	run := -1 // the first member of the run that can grow, or -1
	for i := range smem {
		m := &smem[i]
		k := int32(-1)
		if pairwise {
			if pairs.may(stored, m) {
				k = pairs.compare(w, stored, m)
			}
		} else {
			k = x.find(w.name(stored, m))
		}
		if k >= 0 {
			k -= p0
		}
		if k < 0 {
			size += memberLen(stored, m)
			n++
			compact := m.compact()
			if run >= 0 && compact && smem[i-1].vhi+1 == m.key.lo {
				match[run] = int32(-2 - i) // the run now ends after i
				continue
			}
			match[i] = int32(-2 - i)
			run = -1
			if compact {
				run = i
			}
			continue
		}
		match[i], run = k, -1
		used[k] = true
		val := pmem[k].value(patch)
		if w.mode == modeReport {
			if val[0] == 'n' {
				w.change(ChangeRemove, w.prefix, w.name(stored, m))
			} else {
				w.valueChange(w.prefix, w.name(stored, m), m.value(stored), val)
			}
		}
		if val[0] != 'n' { // null removes the key
			size += int(m.key.hi-m.key.lo) + 1 + len(val)
			n++
		}
	}
	for k := range pmem {
		m := &pmem[k]
		if !used[k] && patch[m.valLo(patch)] != 'n' {
			if w.mode == modeReport {
				w.change(ChangeAdd, w.prefix, w.name(patch, m))
			}
			size += memberLen(patch, m)
			n++
		}
	}
	return n, 2 + size + max(n-1, 0) // the braces and the commas
}

// mergeWith runs the mode m (merge, report or check) with the rules r.
func mergeWith[R docRules](r R, stored, patch []byte, m mode) ([]byte, []Change, error) {
	w := getWork()
	defer w.release()
	s, err := r.settings(w)
	if err != nil {
		return nil, nil, err
	}
	out, err := w.mergeDoc(stored, patch, &s, m)
	return w.changesOf(out, err)
}
