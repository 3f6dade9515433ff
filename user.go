package metamerge

// UserRules are the rules of a user PATCH (PATCH /api/v2/users/{id}). The
// zero value is not useful; start from [DefaultUserRules].
type UserRules struct {
	// UserMetadata is the policy of the user_metadata member.
	UserMetadata Policy
	// AppMetadata is the policy of the app_metadata member.
	AppMetadata Policy
	// MaxDepth is the nesting limit of the stored profile and of the PATCH
	// body, each counted from its root (H3); 0 means DefaultMaxDepth, a
	// negative value no limit. The policies' MaxDepth fields are not used.
	MaxDepth int
	// MaxProfileBytes, when positive, limits the size of the whole merged
	// profile as emitted (R9, opt-in): Auth0 announced a cap of 10 KB in
	// August 2026 but only warns for now. Violations are too_large with
	// pointer "".
	MaxProfileBytes int
}

// DefaultUserRules returns the rules [MergeUser] applies: [UserMetadata],
// [AppMetadata], the default depth and no whole-profile cap.
func DefaultUserRules() UserRules {
	return UserRules{UserMetadata: UserMetadata(), AppMetadata: AppMetadata()}
}

// MergeUser applies patch, the body of PATCH /api/v2/users/{id}, to stored,
// the stored user profile, with [DefaultUserRules], and returns the new
// profile. See [UserRules.Merge].
func MergeUser(stored, patch []byte) ([]byte, error) {
	return DefaultUserRules().Merge(stored, patch)
}

// Merge applies patch, the body of a user PATCH, to stored, the stored
// profile, and returns the new profile as a new slice. The inputs are never
// modified.
//
// Checking happens in stages and only the first that fails is reported
// (H9): a parse error of stored (a single *Error with Stored set), a parse
// error of patch, then not_object with pointer "" when stored (Stored set)
// or patch is not an object, then every rule violation of the patch, joined
// in patch document order (H8).
//
// user_metadata and app_metadata are merged at their root with their
// policy as [Merge] does, in place, or appended to the profile when it has
// no such member (R1–R9). Every other member of patch replaces the stored
// one, or removes it when null (R10). Members of the profile the patch does
// not name are kept byte for byte.
func (r UserRules) Merge(stored, patch []byte) ([]byte, error) {
	w := getWork()
	defer w.release()
	return w.mergeDoc(stored, patch, r.MaxDepth, r.MaxProfileBytes, []field{
		{"user_metadata", &r.UserMetadata},
		{"app_metadata", &r.AppMetadata},
	})
}

// ValidateSignup checks userMetadata, the user_metadata object of a signup
// request (POST /dbconnections/signup), with the [Signup] policy: an object
// (not_object, pointer ""), at most 10 members (too_many_keys, pointer ""),
// names of at most 100 characters without "." or "$" (key_too_long,
// invalid_key), string values of at most 500 characters (not_string,
// value_too_long). It returns nil, the parse error of userMetadata, or
// every violation joined in document order. [Error.Auth0Message] gives
// Auth0's wording where it is known (S3).
func ValidateSignup(userMetadata []byte) error {
	return validate(userMetadata, Signup(), true)
}
