package metamerge

// What can be done with a user PATCH? UserRules and every verb of it.

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
//
// MergeUser merges two documents, not a request: by R10 every root member
// of patch other than user_metadata and app_metadata replaces the stored
// one, or removes it when null — user_id, identities and password
// included. To apply the body of a PATCH /api/v2/users/{id} request as
// Auth0's endpoint does (its request schema, instructions such as password
// never stored, its answers), use package mgmt: mgmt.Users.Patch, then
// Patch.Apply.
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
//
// Merge merges documents, not a request, as [MergeUser] says: for the
// body of a PATCH /api/v2/users/{id} request, use package mgmt.
func (r UserRules) Merge(stored, patch []byte) ([]byte, error) {
	out, _, err := mergeWith(r, stored, patch, modeMerge)
	return out, err
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
	return mergeWith(r, stored, patch, modeReport)
}

// Check checks patch, the body of a user PATCH, before the stored profile
// is at hand: the stages of [UserRules.Merge] that concern the patch alone,
// without the rules that need the merged result (the key count after the
// merge, the sizes of R9). It returns nil or the errors Merge would return
// for them.
func (r UserRules) Check(patch []byte) error {
	_, _, err := mergeWith(r, nil, patch, modeCheck)
	return err
}

// DiffUser returns the PATCH body that turns the user profile before into
// after under Auth0's rules (the zero [UserRules]): merging it into before
// with [MergeUser] gives after. See [UserRules.Diff].
func DiffUser(before, after []byte) ([]byte, error) {
	return UserRules{}.Diff(before, after)
}

// Diff returns the PATCH body that turns the profile before into after
// under r: merging it into before with r.Merge gives after (D1), value for
// value as [Equal] compares them, each value with the text it has in after.
//
// It is minimal (D3): a root member appears only if it changes; in
// user_metadata and app_metadata only the keys that change appear, each
// sent whole with its value in after (R3 merges at the root only). A key
// or a root member that after lacks is sent as null (D4), so the diff
// never touches a key it does not name. {} is sent for a field only where
// nothing else reaches after: app_metadata that after lacks (R6), or a
// field that must be created empty. When nothing changes the diff is {}.
//
// The diff lists the members that after sets in after's order, then the
// deletions in before's order, written without white space.
//
// Where no PATCH gives after (D5), Diff returns the errors the merge of
// the nearest PATCH would, located in after: a new name with "." (R7), a
// reserved name (R8), a field over its size (R9), and so on; not_object
// for a metadata field that after lacks and that no PATCH can remove, or
// that is not an object; unreachable for a root member or a key of a field
// whose value in after is null and that before lacks or holds with another
// value (a PATCH's null removes). Errors in before have Stored
// set. A setting out of range is an error that names it.
func (r UserRules) Diff(before, after []byte) ([]byte, error) {
	return diffWith(r, diffTwoWay, nil, before, after)
}

// Diff3 returns the PATCH body that brings desired to live, the profile
// the server holds now, without undoing what others wrote there (D6): base
// is what the caller last applied. Keys of a metadata field and root
// members that live has and the caller never set (absent from base and
// desired) are left alone; those the caller removed (in base, not in
// desired) are deleted where live still has them; those of desired that
// live lacks or holds with another value are set. A metadata field that
// desired lacks but base had counts as emptied by the caller: its keys
// from base are deleted. Errors are those of [UserRules.Diff], located in
// desired. The documents are parsed live first (its errors have Stored
// set), then desired, then base. base is a document like the others: nil
// or empty is invalid_json, and {} is the base of a caller who set
// nothing.
func (r UserRules) Diff3(base, desired, live []byte) ([]byte, error) {
	return diffWith(r, diffThreeWay, base, live, desired)
}

// settings checks r's settings and returns them, its fields held in w.
func (r UserRules) settings(w *work) (docSettings, error) {
	if err := r.Limits.check("UserRules"); err != nil {
		return docSettings{}, err
	}
	if r.MaxProfileBytes < 0 {
		return docSettings{}, fmt.Errorf("metamerge: UserRules.MaxProfileBytes is %d; a limit is 0 (none) or more", r.MaxProfileBytes)
	}
	um, err := w.policy(0, &r.UserMetadata, &defaultUser, "UserRules.UserMetadata")
	if err != nil {
		return docSettings{}, err
	}
	am, err := w.policy(1, &r.AppMetadata, &defaultApp, "UserRules.AppMetadata")
	if err != nil {
		return docSettings{}, err
	}
	w.fields = [2]field{{"user_metadata", um}, {"app_metadata", am}}
	return docSettings{fields: w.fields[:], limits: r.Limits, maxProfile: r.MaxProfileBytes}, nil
}
