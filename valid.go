package metamerge

// Is this document valid? The validation entry points.

// Valid checks that doc is one JSON document this package reads (H1-H3,
// H10), at the default limits: RFC 8259 text in UTF-8 with nothing after
// the value, no duplicate member names at any depth, no escape that leaves
// a lone surrogate, at most DefaultMaxDepth levels deep, and at most
// MaxDocumentBytes long. Any JSON value passes, not only an object. It
// returns nil or a single *Error: too_large (H10), else the first defect
// met reading doc once from the start (H9): invalid_json where the text
// stops being JSON (a literal, an escape or a UTF-8 sequence that is wrong
// or cut short at its first byte, a "-" that no digit follows at the "-",
// anything else at the first byte that cannot stand where it is, the end
// of doc when it is cut short), too_deep at the opening bracket of the
// container past the limit, or duplicate_key at the first member whose
// name repeats an earlier one. It never modifies doc, and allocates only
// for an error or for a document whose open objects hold more than 4,096
// members at once (their records outgrow the scratch space kept between
// calls).
func Valid(doc []byte) error {
	if err := docTooLarge(doc, Limits{}, false); err != nil {
		return err
	}
	w := getWork()
	defer w.release()
	var err *Error
	if w.smem, err = w.sc.scan(doc, DefaultMaxDepth, 0, w.smem); err != nil {
		return err
	}
	return nil
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
	_, err := w.mergeField(nil, userMetadata, &defaultSignup, Limits{}, modeValidate)
	markSignup(err)
	return err
}

// markSignup sets Signup on every *Error of err, which the signup
// endpoint's wording needs (S3); the checks themselves do not depend on
// it. It allocates nothing: a joined list is walked in place.
func markSignup(err error) {
	switch x := err.(type) {
	case *Error:
		x.Signup = true
	case interface{ Unwrap() []error }:
		for _, e := range x.Unwrap() {
			e.(*Error).Signup = true
		}
	}
}
