package metamerge

// What did a merge change? The change records of MergeReport (D7).

import "slices"

// ChangeOp says what a merge did at one place.
type ChangeOp string

// The kinds of change a merge reports (D7).
const (
	ChangeAdd     ChangeOp = "add"     // a key or root member that was absent, or a field created
	ChangeReplace ChangeOp = "replace" // a value replaced by one that is not equal (D2)
	ChangeRemove  ChangeOp = "remove"  // a key or root member removed, or app_metadata removed (R6)
	ChangeClear   ChangeOp = "clear"   // a metadata field with keys set to {} (R6, C5)
)

// Change is one change a merge made, at Pointer in the merged document.
type Change struct {
	Op      ChangeOp
	Pointer string
}

func (w *work) changesOf(out []byte, err error) ([]byte, []Change, error) {
	if err != nil {
		return nil, nil, err
	}
	return out, slices.Clip(w.changes), nil
}

// change records a change at the pointer prefix followed, when name is
// not nil, by name as a reference token.
func (w *work) change(op ChangeOp, prefix string, name []byte) {
	p := append(reuse(w.sc.pbuf), prefix...)
	if name != nil {
		p = appendToken(append(p, '/'), name)
	}
	w.sc.pbuf = p
	w.changes = append(w.changes, Change{op, string(p)})
}

// valueChange records replace at prefix/name unless the stored value old
// and the new one are equal (D2).
func (w *work) valueChange(prefix string, name, old, new []byte) {
	if !w.eq.equal(old, new) {
		w.change(ChangeReplace, prefix, name)
	}
}

// rootChange records the change a patch root member of value pv makes to
// the stored root member sm (nil: absent) (R10).
func (w *work) rootChange(name []byte, sm *member, stored, pv []byte) {
	switch {
	case sm == nil && pv[0] != 'n':
		w.change(ChangeAdd, "", name)
	case sm != nil && pv[0] == 'n':
		w.change(ChangeRemove, "", name)
	case sm != nil:
		w.valueChange("", name, sm.value(stored), pv)
	}
}

// fieldChange records what a patch does to a metadata field as a whole:
// sv is its stored value (nil: absent), empty tells a patch of {}. The
// changes of its keys are recorded as they are merged.
func (w *work) fieldChange(p *Policy, sv []byte, empty bool) {
	obj := len(sv) > 0 && sv[skipSpace(sv, 0)] == '{'
	switch {
	case !empty && len(sv) == 0, empty && len(sv) == 0 && p.Empty == EmptyClears:
		w.change(ChangeAdd, w.prefix, nil)
	case len(sv) > 0 && !obj && (!empty || p.Empty == EmptyClears):
		w.change(ChangeReplace, w.prefix, nil) // R2: a legacy value becomes an object
	case empty && len(sv) > 0 && p.Empty == EmptyRemoves:
		w.change(ChangeRemove, w.prefix, nil)
	case empty && obj && p.Empty == EmptyClears && !isEmptyObject(sv):
		w.change(ChangeClear, w.prefix, nil)
	}
}
