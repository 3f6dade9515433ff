package metamerge

import "fmt"

// UserRules are the rules of a user PATCH (PATCH /api/v2/users/{id}). The
// zero value is Auth0's rules: a zero Policy stands for [UserMetadata] or
// [AppMetadata], zero Limits for the defaults, and the whole-profile cap
// is off.
type UserRules struct {
	// UserMetadata is the policy of the user_metadata member.
	UserMetadata Policy
	// AppMetadata is the policy of the app_metadata member.
	AppMetadata Policy
	// MaxProfileBytes, when positive, limits the size of the whole merged
	// profile as emitted (R9, opt-in): Auth0 announced a cap of 10 KB in
	// August 2026 but only warns for now. Violations are too_large with
	// pointer "". 10 KB is 10,240 bytes here, our reading; set what you
	// need.
	MaxProfileBytes int
	// Limits are the settings of the whole call (H3, H8, H10).
	Limits
}

// MergeUser applies patch, the body of PATCH /api/v2/users/{id}, to stored,
// the stored user profile, with Auth0's rules (the zero [UserRules]), and
// returns the new profile. See [UserRules.Merge].
func MergeUser(stored, patch []byte) ([]byte, error) {
	return UserRules{}.Merge(stored, patch)
}

// Merge applies patch, the body of a user PATCH, to stored, the stored
// profile, and returns the new profile as a new slice. The inputs are never
// modified.
//
// Checking happens in stages and only the first that fails is reported
// (H9): an input over Limits.MaxDocumentBytes (too_large, H10); a parse
// error of stored (a single *Error with Stored set); a parse error of
// patch; not_object with pointer "" when stored (Stored set) or patch is
// not an object; then the rule violations of the patch, joined in patch
// document order and cut as Limits.MaxErrors says (H8). A setting out of
// range is an error that names it, and not an *Error.
//
// user_metadata and app_metadata are merged at their root with their
// policy, in place, or appended to the profile when it has no such member
// (R1–R9). Every other member of patch replaces the stored one, or removes
// it when null (R10). Members of the profile the patch does not name are
// kept byte for byte.
func (r UserRules) Merge(stored, patch []byte) ([]byte, error) {
	out, _, err := mergeWith(r, stored, patch, false, false)
	return out, err
}

// Check checks patch, the body of a user PATCH, before the stored profile
// is at hand: the stages of [UserRules.Merge] that concern the patch alone,
// without the rules that need the merged result (the key count after the
// merge, the sizes of R9). It returns nil or the errors Merge would return
// for them.
func (r UserRules) Check(patch []byte) error {
	_, _, err := mergeWith(r, nil, patch, true, false)
	return err
}

// fields checks r's settings and returns its fields, held in w, with its
// limits and its whole-document cap.
func (r UserRules) fields(w *work) ([]field, Limits, int, error) {
	if err := r.Limits.check("UserRules"); err != nil {
		return nil, r.Limits, 0, err
	}
	if r.MaxProfileBytes < 0 {
		return nil, r.Limits, 0, fmt.Errorf("metamerge: UserRules.MaxProfileBytes is %d; a limit is 0 (none) or more", r.MaxProfileBytes)
	}
	um, err := w.policy(0, &r.UserMetadata, &defaultUser, "UserRules.UserMetadata")
	if err != nil {
		return nil, r.Limits, 0, err
	}
	am, err := w.policy(1, &r.AppMetadata, &defaultApp, "UserRules.AppMetadata")
	if err != nil {
		return nil, r.Limits, 0, err
	}
	w.fields = [2]field{{"user_metadata", um}, {"app_metadata", am}}
	return w.fields[:], r.Limits, r.MaxProfileBytes, nil
}

// docRules are the rules of a whole document: UserRules and ClientRules.
// A type parameter, not an interface value, so that the rules do not
// escape to the heap.
type docRules interface {
	UserRules | ClientRules
	fields(w *work) ([]field, Limits, int, error)
}

// mergeWith merges, checks (checkOnly) or merges and reports (track) with
// the rules r.
func mergeWith[R docRules](r R, stored, patch []byte, checkOnly, track bool) ([]byte, []Change, error) {
	w := getWork()
	defer w.release()
	fields, l, maxProfile, err := r.fields(w)
	if err != nil {
		return nil, nil, err
	}
	w.track = track
	out, err := w.mergeDoc(stored, patch, l, maxProfile, fields, checkOnly)
	return w.changesOf(out, err)
}

// ValidateSignup checks userMetadata, the user_metadata object of a signup
// request (POST /dbconnections/signup), with the [Signup] policy: an object
// (not_object, pointer ""), at most 10 members (too_many_keys, pointer ""),
// names of at most 100 characters without "." or "$" (key_too_long,
// invalid_key), string values of at most 500 characters (not_string,
// value_too_long). It returns nil, the parse error of userMetadata, or
// every violation joined in document order, cut at DefaultMaxErrors. Its
// errors have Signup set, for Auth0's wording in [Error.Auth0Message]
// (S3); otherwise they are those of FieldRules{Policy: Signup()}.Validate.
func ValidateSignup(userMetadata []byte) error {
	w := getWork()
	defer w.release()
	_, err := w.mergeField(nil, userMetadata, &defaultSignup, Limits{}, opValidate, true)
	return err
}
