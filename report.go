package metamerge

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

// MergeReport merges as [UserRules.Merge] does and also reports what the
// merge changed (D7), found in the same single pass: for each root member
// and each key of a metadata field, add, replace or remove; for a field,
// add when it is created, clear when {} empties it, remove when {} removes
// it (app_metadata), replace when a stored value that is not an object is
// replaced. A member set to a value equal to the stored one (D2: 1 and
// 1.0 are equal) is no change, nor is a null for an absent key. The
// changes come in the order of the merged document: those of stored
// members in their order, then additions in the patch's order. No change
// means the merged document equals the stored one by meaning (D2), so a
// service can skip writing; its bytes may still differ in text, for they
// carry the patch's text of each value it sets: white space, number text
// (1.0 for 1) and string escapes (\u00e9 for é). On error it returns the
// errors of Merge and nothing else.
func (r UserRules) MergeReport(stored, patch []byte) ([]byte, []Change, error) {
	return mergeWith(r, stored, patch, false, true)
}

// MergeReport merges as [ClientRules.Merge] does and reports what the
// merge changed, as [UserRules.MergeReport] does.
func (r ClientRules) MergeReport(stored, patch []byte) ([]byte, []Change, error) {
	return mergeWith(r, stored, patch, false, true)
}

// MergeReport merges as [FieldRules.Merge] does and reports what the merge
// changed, as [UserRules.MergeReport] does, with pointers relative to the
// field: "" for the field itself.
func (r FieldRules) MergeReport(existing, patch []byte) ([]byte, []Change, error) {
	w := getWork()
	defer w.release()
	p, err := r.policy(w)
	if err != nil {
		return nil, nil, err
	}
	w.track = true
	out, err := w.mergeField(existing, patch, p, r.Limits, opMerge, false)
	return w.changesOf(out, err)
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
