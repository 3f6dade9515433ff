package metamerge

// What can be done with one metadata object on its own? FieldRules and every verb of it.

// FieldRules are the rules of one metadata object merged, checked or
// validated on its own, for services that store a metadata field apart
// from the profile. Policy must be set (start from [UserMetadata],
// [AppMetadata], [ClientMetadata] or [Signup]); zero Limits are the
// defaults.
type FieldRules struct {
	// Policy is the policy of the field.
	Policy Policy
	// Limits are the settings of the whole call (H3, H8, H10).
	Limits
}

// Merge merges patch, the value of one metadata field in a PATCH body, into
// existing, the stored value of that field, and returns the new value of
// the field.
//
// An empty or nil existing means the field is absent; a nil result with a
// nil error means the field is to be absent afterwards (a patch of {} under
// [EmptyRemoves], or under [EmptyIgnored] when it was absent). Otherwise the
// result is a new slice: Merge never modifies its inputs.
//
// The rules, in order:
//
//  1. An input over Limits.MaxDocumentBytes is too_large (H10).
//  2. existing, if present, must be valid JSON (H1–H3), or Merge returns a
//     single *Error with Stored set: invalid_json, duplicate_key or too_deep.
//  3. patch must be valid JSON, or Merge returns that *Error.
//  4. patch must be an object: not_object with pointer "" (R1). An existing
//     value that is not an object is taken as {} (R2).
//  5. A patch with no members does what Policy.Empty says (R6, C5).
//  6. Otherwise each patch member, in order, removes the key when its value
//     is null and else replaces the stored value in place, or is appended
//     (R3, R4, H6); members the patch does not name are kept byte for byte
//     (R5, H5).
//  7. The patch and the result are checked against the policy; the
//     violations are reported, joined in patch document order and cut as
//     Limits.MaxErrors says (H8), and no result is returned (H7).
//
// A setting out of range is an error that names it, and not an *Error.
func (r FieldRules) Merge(existing, patch []byte) ([]byte, error) {
	w := getWork()
	defer w.release()
	p, err := r.policy(w)
	if err != nil {
		return nil, err
	}
	return w.mergeField(existing, patch, p, r.Limits, modeMerge)
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
	out, err := w.mergeField(existing, patch, p, r.Limits, modeReport)
	return w.changesOf(out, err)
}

// Check checks patch, the value of one metadata field in a PATCH body,
// before the stored value is at hand: the steps of [FieldRules.Merge] that
// concern the patch alone, without the rules that need the merged result
// (the key count after the merge, MaxBytes).
func (r FieldRules) Check(patch []byte) error {
	w := getWork()
	defer w.release()
	p, err := r.policy(w)
	if err != nil {
		return err
	}
	_, err = w.mergeField(nil, patch, p, r.Limits, modeCheck)
	return err
}

// Validate checks metadata, a complete metadata object such as signup
// user_metadata, against the policy. It reports what Merge would report
// for it as the patch of an absent field, except that null is a value like
// any other: it removes nothing, and is not a string. So MaxKeys counts its
// members, MaxBytes measures it as Merge would emit it, and Empty, which
// never makes an error, changes nothing. It returns nil, too_large for an
// input over Limits.MaxDocumentBytes, the parse error of metadata (H1–H3),
// not_object with pointer "" when it is not an object, or the violations
// joined in document order.
func (r FieldRules) Validate(metadata []byte) error {
	w := getWork()
	defer w.release()
	p, err := r.policy(w)
	if err != nil {
		return err
	}
	_, err = w.mergeField(nil, metadata, p, r.Limits, modeValidate)
	return err
}

// Diff returns the patch of one metadata field that turns before, its
// stored value, into after, under the policy: merging it into before with
// [FieldRules.Merge] gives after, as [UserRules.Diff] says. A nil or empty
// before or after means the field is absent. It returns nil when nothing
// changes: send no patch for the field, since {} would clear it. A field
// that after lacks takes {} under [EmptyRemoves], and is not_object at ""
// otherwise: no patch removes it.
func (r FieldRules) Diff(before, after []byte) ([]byte, error) {
	w := getWork()
	defer w.release()
	p, err := r.policy(w)
	if err != nil {
		return nil, err
	}
	return w.diffField(diffTwoWay, nil, before, after, p, r.Limits)
}

// Diff3 returns the patch of one metadata field that brings desired to
// live without undoing what others wrote there, as [UserRules.Diff3] says
// of a profile; a nil or empty document means the field is absent, and
// the result is nil when nothing changes.
func (r FieldRules) Diff3(base, desired, live []byte) ([]byte, error) {
	w := getWork()
	defer w.release()
	p, err := r.policy(w)
	if err != nil {
		return nil, err
	}
	return w.diffField(diffThreeWay, base, live, desired, p, r.Limits)
}

func (r *FieldRules) policy(w *work) (*Policy, error) {
	if err := r.Limits.check("FieldRules"); err != nil {
		return nil, err
	}
	return w.policy(0, &r.Policy, nil, "FieldRules.Policy")
}
