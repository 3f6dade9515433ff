package metamerge

// Which PATCH turns one document into another? The engine of Diff and Diff3 (D1-D6).

import (
	"cmp"
	"slices"
)

// diffWay says whether a diff is two-way (Diff) or three-way (Diff3). It
// is passed, never read from base: a nil base is an absent field, or an
// empty document, not a two-way diff (D6).
type diffWay uint8

const (
	diffTwoWay   diffWay = iota // before and after
	diffThreeWay                // live, desired and base
)

// diffWith runs diffDoc with the rules r.
func diffWith[R docRules](r R, way diffWay, base, before, after []byte) ([]byte, error) {
	w := getWork()
	defer w.release()
	s, err := r.settings(w)
	if err != nil {
		return nil, err
	}
	return w.diffDoc(way, base, before, after, &s)
}

// diffDoc builds the PATCH body that turns the document before into
// after, or, three-way, the PATCH that brings after (desired) to before
// (live) given base. It then merges it into before with the same
// rules, whose errors are the diff's, moved to after.
func (w *work) diffDoc(way diffWay, base, before, after []byte, s *docSettings) ([]byte, error) {
	l, fields := s.limits, s.fields
	d := &w.diff
	docs := d.begin(w, way, base, before, after, l)
	if err := d.parse(w, l, 2, false); err != nil {
		return nil, err
	}
	var errs []*Error
	for k, doc := range docs {
		if at := skipSpace(doc, 0); doc[at] != '{' {
			errs = append(errs, notObject(doc, at, k == 0))
		}
	}
	if len(errs) > 0 {
		return nil, joinErrors(errs)
	}
	if err := d.object(w, fields); err != nil {
		return nil, err
	}
	patch := slices.Clone(d.out)
	v := getWork()
	defer v.release()
	lendFrames(w, v)
	_, err := v.mergeDoc(before, patch, s, modeMerge)
	lendFrames(v, w)
	return d.verified(patch, err, func() { d.begin(w, way, base, before, after, l); _ = d.object(w, fields) })
}

// lendFrames swaps the stacks of open containers of two works, so that the
// merge that checks a diff reads the documents with the stack the diff's
// own scans grew (as deep as they are: 320 KB at 10,000 levels) instead
// of growing another. Neither stack holds anything between scans.
func lendFrames(from, to *work) {
	from.sc.frames, to.sc.frames = to.sc.frames, from.sc.frames
}

// verified returns patch, or the errors of its merge moved to after: their
// offsets are in the patch, so build runs the diff again to map them.
func (d *differ) verified(patch []byte, err error, build func()) ([]byte, error) {
	if err == nil {
		return patch, nil
	}
	errs := Errors(err)
	d.targets, d.places = d.targets[:0], d.places[:0]
	for i, e := range errs {
		d.targets, d.places = append(d.targets, target{e.Offset, i}), append(d.places, -1)
	}
	slices.SortFunc(d.targets, func(a, b target) int { return cmp.Compare(a.off, b.off) })
	build()
	for i, e := range errs {
		e.Offset = d.places[i]
	}
	d.targets = nil
	return nil, err
}

// differ builds a diff. Documents: 0 is before (live, for Diff3), 1 is
// after (desired), 2 is base (Diff3 only).
type differ struct {
	docs   [][]byte
	mem    [3][]member
	roots  [3]index // root members of each document
	fields [3]index // members of one metadata field of each document
	out    []byte
	absent []*Error // fields after lacks and no PATCH removes
	used   bool     // since the last release

	// Mapping: offsets of out whose place in after is wanted, sorted, and
	// the place of each error (-1: none) once the diff is built again.
	targets []target
	places  []int
}

func (d *differ) start() {
	d.docs, d.out, d.absent, d.used = d.docs[:0], reuse(d.out), nil, true
}

// write appends b to out, doubling the capacity when it must grow, so
// that out allocates at most twice its final size.
func (d *differ) write(b ...byte) {
	if len(d.out)+len(b) > cap(d.out) {
		n := make([]byte, len(d.out), max(2*cap(d.out), len(d.out)+len(b), 64))
		copy(n, d.out)
		d.out = n
	}
	d.out = append(d.out, b...)
}

// copied notes that out[at:at+n] is a copy of after[from:]: the targets in
// it have their place in after. Targets are sorted: a binary search finds
// the first, so mapping costs a look-up per member whatever their number.
func (d *differ) copied(at, from, n int) {
	i, _ := slices.BinarySearchFunc(d.targets, at, func(t target, at int) int { return cmp.Compare(t.off, at) })
	for ; i < len(d.targets) && d.targets[i].off < at+n; i++ {
		d.places[d.targets[i].err] = from + d.targets[i].off - at
	}
}

// target is an offset of out whose place in after is wanted, for error err.
type target struct{ off, err int }

// begin starts a diff of before and after, and base for a three-way one,
// and returns its documents in order: before (live), after (desired),
// base.
func (d *differ) begin(w *work, way diffWay, base, before, after []byte, l Limits) [][]byte {
	d.start()
	w.viol.start(l.errors())
	d.docs = append(d.docs[:0], before, after)
	if way == diffThreeWay {
		d.docs = append(d.docs, base)
	}
	return d.docs
}

// parse checks the size of each document (H10) and parses it, recording
// its members down to level record; errors of before (live) have Stored
// set. With absentOK an empty document is an absent field, not an error.
func (d *differ) parse(w *work, l Limits, record int, absentOK bool) *Error {
	for k, doc := range d.docs {
		if absentOK && len(doc) == 0 {
			d.mem[k] = d.mem[k][:0]
			continue
		}
		if err := docTooLarge(doc, l, k == 0); err != nil {
			return err
		}
		var err *Error
		if d.mem[k], err = w.sc.scan(doc, l.depth(), record, d.mem[k]); err != nil {
			err.Stored = k == 0
			return err
		}
	}
	return nil
}

func (d *differ) threeWay() bool { return len(d.docs) == 3 }

// member appends a member to out: key from doc k, then value, copied from
// after when val is a span of after (valAfter) or written as given.
func (d *differ) member(k int, m *member, val []byte, valAt int) {
	if d.out[len(d.out)-1] != '{' {
		d.write(',')
	}
	if k == 1 && d.targets != nil {
		d.copied(len(d.out), int(m.key.lo), int(m.key.hi-m.key.lo))
	}
	d.write(d.docs[k][m.key.lo:m.key.hi]...)
	d.write(':')
	if valAt >= 0 && d.targets != nil {
		d.copied(len(d.out), valAt, len(val))
	}
	d.write(val...)
}

// index starts x over the members of doc k at the given positions.
func (d *differ) index(x *index, k int, mem []member, pos []int32) {
	x.start(d.docs[k], mem, len(pos))
	for _, i := range pos {
		x.add(i)
	}
}

// tops returns the positions of the root members of document k.
func (d *differ) tops(k int, pos []int32) []int32 {
	for i := range d.mem[k] {
		if d.mem[k][i].top {
			pos = append(pos, int32(i))
		}
	}
	return pos
}

// object writes the root object of the diff to d.out and records the
// violations of after that no PATCH can produce.
func (d *differ) object(w *work, fields []field) error {
	var pos [3][]int32
	for k := range d.docs {
		pos[k] = d.tops(k, nil)
		d.index(&d.roots[k], k, d.mem[k], pos[k])
	}
	before, after := d.docs[0], d.docs[1]
	d.write('{')
	for _, a := range pos[1] { // what after sets, in after's order
		am := &d.mem[1][a]
		name := w.name(after, am)
		b := d.roots[0].find(name)
		av := am.value(after)
		if b >= 0 {
			// Equal objects of a field show as no change key by key.
			bv := d.mem[0][b].value(before)
			if (av[0] != '{' || bv[0] != '{' || fieldPolicy(fields, name) == nil) && w.eq.equal(bv, av) {
				continue // no change, whatever the member holds
			}
		}
		if pol := fieldPolicy(fields, name); pol != nil {
			c := int32(-1)
			if d.threeWay() {
				c = d.roots[2].find(name)
			}
			d.field(w, pol, a, b, c)
			continue
		}
		if av[0] == 'n' { // a PATCH's null removes: after cannot hold it
			w.viol.add(CodeUnreachable, int(am.key.lo), 0, 0)
			continue
		}
		d.member(1, am, av, int(am.valLo(after)))
	}
	gone := 0 // 2-way: before; 3-way: base
	if d.threeWay() {
		gone = 2
	}
	for _, x := range pos[gone] { // what after lacks, in before's (base's) order
		xm := &d.mem[gone][x]
		name := w.name(d.docs[gone], xm)
		if d.roots[1].find(name) >= 0 {
			continue
		}
		b := d.roots[0].find(name)
		if pol := fieldPolicy(fields, name); pol != nil {
			if d.threeWay() { // the caller emptied the field: delete its keys
				d.field(w, pol, -1, b, x)
				continue
			}
			if pol.Empty != EmptyRemoves {
				d.absent = append(d.absent, &Error{Code: CodeNotObject, Pointer: string(appendToken([]byte{'/'}, name)), Offset: -1})
				continue
			}
			d.member(0, &d.mem[0][b], []byte("{}"), -1)
			continue
		}
		if b >= 0 {
			d.member(0, &d.mem[0][b], []byte("null"), -1)
		}
	}
	d.write('}')
	if len(d.absent) > 0 || w.viol.total > 0 {
		return d.withAbsent(w.report(after), w.viol.max, w.viol.total)
	}
	return nil
}

// withAbsent returns the errors of after: first not_object for each field
// after lacks and no PATCH removes, then the violations in err, the report
// of total violations. The fields count as violations, so the list is
// bounded by max, and cut with too_many_errors, as H8 says.
func (d *differ) withAbsent(err error, max, total int) error {
	errs := append(d.absent, Errors(err)...)
	if n := len(errs); n > 0 && errs[n-1].Code == CodeTooManyErrors {
		errs = errs[:n-1] // made again below, counting the fields
	}
	total += len(d.absent)
	errs = errs[:min(len(errs), max)]
	if total > len(errs) {
		errs = append(errs, &Error{Code: CodeTooManyErrors, Offset: -1, Limit: max, Actual: total})
	}
	return joinErrors(errs)
}

// field writes the diff of one metadata field: a is its member in after
// (-1: after has emptied it, 3-way only), b in before (live), c in base.
func (d *differ) field(w *work, pol *Policy, a, b, c int32) {
	before, after := d.docs[0], d.docs[1]
	var A, B, C []member
	var am *member
	if a >= 0 {
		am = &d.mem[1][a]
		if after[am.valLo(after)] != '{' { // R1: the field is an object in a PATCH
			w.viol.add(CodeNotObject, int(am.valLo(after)), 0, 0)
			return
		}
		A = children(d.mem[1], a)
	}
	bObj := b >= 0 && before[d.mem[0][b].valLo(before)] == '{'
	if bObj {
		B = children(d.mem[0], b)
	}
	if c >= 0 && d.docs[2][d.mem[2][c].valLo(d.docs[2])] == '{' {
		C = children(d.mem[2], c)
	}
	start := len(d.out)
	switch {
	case am != nil:
		d.member(1, am, []byte{'{'}, int(am.valLo(after)))
	case b >= 0:
		d.member(0, &d.mem[0][b], []byte{'{'}, -1)
	default:
		return // neither desired nor live has the field
	}
	if !d.members(w, pol, A, B, C, am != nil && !bObj) {
		d.out = cut(d.out, start) // nothing changes
		return
	}
	d.write('}')
}

// members writes to out the members of a field's diff, after its "{": the
// keys of A (after) that B (before, live) lacks or holds with another
// value, then nulls for the keys after lacks: those of B (2-way) or of C
// (base, 3-way) that B still has. create says the field must be created,
// or a legacy value replaced, even with no members. It reports whether
// the field changes.
func (d *differ) members(w *work, pol *Policy, A, B, C []member, create bool) bool {
	before, after := d.docs[0], d.docs[1]
	for k, mem := range [][]member{B, A, C} {
		if k < len(d.docs) {
			x := &d.fields[k]
			x.start(d.docs[k], mem, len(mem))
			for i := range mem {
				x.add(int32(i))
			}
		}
	}
	n := 0
	for i := range A { // keys after sets, in after's order
		m := &A[i]
		k := d.fields[0].find(w.name(after, m))
		v := m.value(after)
		if k >= 0 && w.eq.equal(B[k].value(before), v) {
			continue
		}
		if v[0] == 'n' { // a PATCH's null deletes the key: after cannot hold it
			w.viol.add(CodeUnreachable, int(m.key.lo), 0, 0)
			continue
		}
		d.member(1, m, v, int(m.valLo(after)))
		n++
	}
	gone, goneDoc := B, 0 // keys after lacks: 2-way, before's; 3-way, base's
	if d.threeWay() {
		gone, goneDoc = C, 2
	}
	start, undeletable := len(d.out), false
	for i := range gone {
		m := &gone[i]
		name := w.name(d.docs[goneDoc], m)
		if d.fields[1].find(name) >= 0 {
			continue
		}
		k := d.fields[0].find(name)
		if k < 0 {
			continue // not in live (before): nothing to delete
		}
		undeletable = undeletable || !pol.deletable(name)
		d.member(0, &B[k], []byte("null"), -1)
		n++
	}
	tooMany := pol.MaxKeys > 0 && n > pol.MaxKeys
	if (undeletable || tooMany) && len(A) == 0 && !d.threeWay() && pol.Empty == EmptyClears {
		// A stored name the rules reject, such as "a.b", cannot be deleted
		// by name (R7 applies to null too), nor can more keys than a patch
		// may name (C4 counts the patch's members), but {} clears them all
		// (R6, C5).
		d.out, n = cut(d.out, start), 0
		create = true
	}
	switch {
	case n > 0:
	case create && pol.Empty == EmptyClears: // {} creates the field, or replaces a legacy value
	case create: // {} would not create it: delete a key that is not there (R3)
		d.write([]byte(`"_":null`)...)
	default:
		return false
	}
	return true
}

// diffField is diffDoc for one metadata object.
func (w *work) diffField(way diffWay, base, before, after []byte, p *Policy, l Limits) ([]byte, error) {
	d := &w.diff
	docs := d.begin(w, way, base, before, after, l)
	if err := d.parse(w, l, 1, true); err != nil {
		return nil, err
	}
	var present [3]bool
	for k, doc := range docs {
		present[k] = len(doc) > 0 && doc[skipSpace(doc, 0)] == '{'
	}
	if len(before) > 0 && len(after) > 0 && (!present[0] || !present[1]) && w.eq.equal(trimSpace(before), trimSpace(after)) {
		return nil, nil // no change to a value that is not an object
	}
	if len(after) > 0 && !present[1] { // R1: a patch is an object; a base that is not one has no keys
		return nil, notObject(after, skipSpace(after, 0), false)
	}
	create := len(after) > 0 && !present[0]
	if len(after) == 0 { // the field is to be absent
		switch {
		case len(before) == 0, d.threeWay() && len(base) == 0:
			return nil, nil
		case d.threeWay(): // the caller emptied it: delete its keys
			after = []byte("{}")
		case p.Empty == EmptyRemoves:
			return []byte("{}"), nil
		default:
			return nil, &Error{Code: CodeNotObject, Offset: -1}
		}
		d.docs[1], d.mem[1] = after, d.mem[1][:0]
	}
	var B []member
	if present[0] {
		B = d.mem[0]
	}
	var C []member // base's keys, three-way only
	if d.threeWay() {
		C = d.mem[2]
	}
	build := func() bool {
		d.write('{')
		if !d.members(w, p, d.mem[1], B, C, create) {
			return false
		}
		d.write('}')
		return true
	}
	changed := build()
	if w.viol.total > 0 { // a null no PATCH can set (D5)
		return nil, w.report(d.docs[1])
	}
	if !changed {
		return nil, nil
	}
	patch := slices.Clone(d.out)
	v := getWork()
	defer v.release()
	lendFrames(w, v)
	_, err := v.mergeField(before, patch, p, l, modeMerge)
	lendFrames(v, w)
	return d.verified(patch, err, func() { d.begin(w, way, base, before, after, l); build() })
}
