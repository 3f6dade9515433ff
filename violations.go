package metamerge

// Which violations are reported, and how many? The bounded list of H8.

import (
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
func (w *work) report(doc []byte) error {
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
		e := Error{Code: x.code, Offset: x.off, Limit: x.limit, Actual: x.actual}
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
		errs = append(errs, Error{Code: CodeTooManyErrors, Offset: -1, Limit: v.max, Actual: v.total})
	}
	out := make([]*Error, len(errs))
	for i := range errs {
		out[i] = &errs[i]
	}
	return joinErrors(out)
}
