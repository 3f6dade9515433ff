package metamerge

// Is this document valid? The validation entry points.

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
