package metamerge

// What does one call keep, and what goes back to the pool? Per-call state.

import "sync"

// work is the state of one call. Its buffers are pooled between calls.
type work struct {
	sc         scanner
	smem, pmem []member       // recorded members of the stored document and the patch
	roots      index          // the patch's root members
	used       []bool         // per patch member: a stored member has its name
	match      []int32        // per stored member: the patch member of its name, or -1
	pieces     []piece        // the root members of the result
	plans      [2]objectMerge // the merges of the fields
	nplans     int            // plans in use
	planned    int            // the size of the pieces' members
	mode       mode           // what the call does
	changes    []Change       // the changes, a new slice for each call
	prefix     string         // pointer of the field whose keys are merged
	viol       violations
	targets    []int
	one        [1]field  // the field of a call on one metadata object
	fields     [2]field  // the fields of a call on a profile or client
	pols       [2]Policy // copies of the caller's policies
	polsUsed   bool      // pols holds a copy: release zeroes it
	eq         comparer
	diff       differ
	tmp, nbuf  []byte
}

// docRules are the rules of a whole document: UserRules and ClientRules.
// A type parameter, not an interface value, so that the rules do not
// escape to the heap.
type docRules interface {
	UserRules | ClientRules
	settings(w *work) (docSettings, error)
}

// docSettings are the checked settings of a call on a whole document.
type docSettings struct {
	fields     []field // the members merged with a policy, held in the call's work
	limits     Limits
	maxProfile int // the cap on the whole merged document (R9), or 0: none
}

var workPool = sync.Pool{New: func() any { return new(work) }}

func getWork() *work { return workPool.Get().(*work) }

// maxPooled is the most bytes a buffer may hold to go back to the pool, as
// in package fmt: after a large call the pool keeps no more than a small
// one needs, and a small call never pays for a large one.
const maxPooled = 64 << 10

// cut returns s shortened to n elements, with the elements it drops
// zeroed. Every buffer of a work is only ever shortened by cut (or reuse,
// which is cut to 0; TestBuffersShortenOnlyByCut holds the source to it),
// so that beyond its length a buffer holds only zeros: its length is the
// high-water mark of what a call wrote in it, release zeroes as far as
// that, zeroing costs what the call wrote, and the pool keeps none of a
// caller's bytes.
func cut[T any](s []T, n int) []T {
	clear(s[n:])
	return s[:n]
}

// reuse empties s and zeroes what it held (cut to 0).
func reuse[T any](s []T) []T { return cut(s, 0) }

// appendDoubling is append for a stack that may grow to thousands of
// elements in one call: it doubles the capacity when full, so the stack
// costs at most about twice its largest size in allocations, where
// append's growth by a quarter at a time costs five times.
func appendDoubling[T any](s []T, v T) []T {
	if len(s) == cap(s) {
		s = append(make([]T, 0, max(2*cap(s), 16)), s...)
	}
	return append(s, v)
}

// pooled returns s emptied for the pool, or nil when it is larger than
// maxPooled bytes (size is the size of one element).
func pooled[T any](s []T, size int) []T {
	if cap(s)*size > maxPooled {
		return nil
	}
	return reuse(s)
}

// release empties w and returns it to the pool. What stays in the pool is
// bounded by maxPooled per buffer and holds no reference to a caller's
// document or error and none of its bytes (member offsets and hashes of
// names aside).
func (w *work) release() {
	const frameSize, violationSize, pieceSize = 32, 48, 12
	w.smem, w.pmem = pooled(w.smem, memberSize), pooled(w.pmem, memberSize)
	w.used, w.match, w.targets = pooled(w.used, 1), pooled(w.match, 4), pooled(w.targets, 8)
	w.pieces = pooled(w.pieces, pieceSize)
	w.viol.list = pooled(w.viol.list, violationSize)
	w.tmp, w.nbuf = pooled(w.tmp, 1), pooled(w.nbuf, 1)
	w.one, w.fields = [1]field{}, [2]field{}
	if w.polsUsed { // most calls take the default policies: nothing to zero
		w.pols, w.polsUsed = [2]Policy{}, false
	}
	if w.plans[0].patch != nil { // plans are used in order, and each names its patch
		w.plans = [2]objectMerge{}
	}
	w.mode, w.changes, w.prefix = 0, nil, ""
	w.roots.release()
	w.sc.idx.release()
	s := &w.sc
	s.frames, s.pbuf, s.tmp = pooled(s.frames, frameSize), pooled(s.pbuf, 1), pooled(s.tmp, 1)
	if w.diff.used { // only diffs use these
		w.diff.release()
	}
	if w.eq.used || cap(w.eq.na) > 0 || cap(w.eq.nb) > 0 { // only comparisons use these
		w.eq.release()
	}
	workPool.Put(w)
}

// release empties d for the pool (see work.release).
func (d *differ) release() {
	d.out, d.docs, d.absent, d.used = pooled(d.out, 1), nil, nil, false
	d.targets, d.places = pooled(d.targets, 16), pooled(d.places, 8)
	for k := range d.mem {
		d.mem[k] = pooled(d.mem[k], memberSize)
		d.roots[k].release()
		d.fields[k].release()
	}
}

// release empties c for the pool (see work.release).
func (c *comparer) release() {
	c.na, c.nb = pooled(c.na, 1), pooled(c.nb, 1)
	c.boxes[0], c.boxes[1] = pooled(c.boxes[0], 8), pooled(c.boxes[1], 8)
	c.open, c.ords, c.todo = pooled(c.open, 4), pooled(c.ords, 4), pooled(c.todo, 20)
	c.mem = pooled(c.mem, memberSize)
	c.idx.release()
	c.used = false
}

// release forgets the document and empties the buffers for the pool (see
// work.release).
func (x *index) release() {
	if x.doc == nil && x.heldDoc == nil { // not started since the last release: already empty
		return
	}
	x.doc, x.mem, x.heldDoc, x.held, x.bloom = nil, nil, nil, 0, 0
	x.ids, x.tags, x.a, x.b = pooled(x.ids, 4), pooled(x.tags, 8), pooled(x.a, 1), pooled(x.b, 1)
	x.table.slots = pooled(x.table.slots, 8)
}
