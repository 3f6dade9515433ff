package metamerge

import (
	"errors"
	"strconv"
	"strings"
)

// Code names one kind of violation. The codes are language-neutral: the
// golden vectors in testdata/vectors use the same strings.
type Code string

// The error codes, one for each kind of violation in the contract.
const (
	CodeInvalidJSON  Code = "invalid_json"   // H1, H2: not RFC 8259 JSON in UTF-8, or a lone surrogate escape
	CodeDuplicateKey Code = "duplicate_key"  // H2: a member name repeats within one object
	CodeTooDeep      Code = "too_deep"       // H3: nesting deeper than the limit
	CodeTooLarge     Code = "too_large"      // R9: merged metadata or profile over its byte limit
	CodeNotObject    Code = "not_object"     // R1, C1, S1, H9: an object was required
	CodeNotString    Code = "not_string"     // C2, S1: a value must be a string
	CodeInvalidKey   Code = "invalid_key"    // R7, C3, S2: a member name breaks the key rule
	CodeReservedKey  Code = "reserved_key"   // R8: a reserved app_metadata name
	CodeTooManyKeys  Code = "too_many_keys"  // C4, S1: more members than allowed
	CodeKeyTooLong   Code = "key_too_long"   // C3, S1: a member name over the length limit
	CodeValueTooLong Code = "value_too_long" // C2, S1: a string value over the length limit
)

// Sentinels, one per [Code], for use with [errors.Is]. Every [*Error]
// unwraps to the sentinel of its code.
var (
	ErrInvalidJSON  = errors.New("metamerge: invalid json")
	ErrDuplicateKey = errors.New("metamerge: duplicate key")
	ErrTooDeep      = errors.New("metamerge: too deep")
	ErrTooLarge     = errors.New("metamerge: too large")
	ErrNotObject    = errors.New("metamerge: not an object")
	ErrNotString    = errors.New("metamerge: not a string")
	ErrInvalidKey   = errors.New("metamerge: invalid key")
	ErrReservedKey  = errors.New("metamerge: reserved key")
	ErrTooManyKeys  = errors.New("metamerge: too many keys")
	ErrKeyTooLong   = errors.New("metamerge: key too long")
	ErrValueTooLong = errors.New("metamerge: value too long")
)

// Sentinel returns the sentinel error of c, or nil for an unknown code.
func (c Code) Sentinel() error {
	switch c {
	case CodeInvalidJSON:
		return ErrInvalidJSON
	case CodeDuplicateKey:
		return ErrDuplicateKey
	case CodeTooDeep:
		return ErrTooDeep
	case CodeTooLarge:
		return ErrTooLarge
	case CodeNotObject:
		return ErrNotObject
	case CodeNotString:
		return ErrNotString
	case CodeInvalidKey:
		return ErrInvalidKey
	case CodeReservedKey:
		return ErrReservedKey
	case CodeTooManyKeys:
		return ErrTooManyKeys
	case CodeKeyTooLong:
		return ErrKeyTooLong
	case CodeValueTooLong:
		return ErrValueTooLong
	}
	return nil
}

// Error is one violation, located in the input it was found in.
//
// Functions of this package return either a single *Error or, when a patch
// breaks several rules, an error made by [errors.Join] whose Unwrap() []error
// lists every *Error in patch document order (H8). Use [errors.As] to get the
// first, and [errors.Is] with a sentinel such as [ErrTooManyKeys] to test for
// a code.
type Error struct {
	// Code says which rule was broken.
	Code Code
	// Pointer is an RFC 6901 JSON Pointer to the offending value or member,
	// relative to the document it was found in: the PATCH body, the stored
	// document (when Stored is true), or the metadata object given to
	// [Validate] and [ValidateSignup]. It is "" for the whole document, and
	// always "" for CodeInvalidJSON, where Offset says where.
	Pointer string
	// Stored is true when the violation is in the stored (existing)
	// document rather than in the patch.
	Stored bool
	// Offset is the byte offset in that document at which the violation was
	// found, or -1 where the violation has no single place (a merged size).
	Offset int
	// Limit is the limit that was exceeded, for too_deep, too_large,
	// too_many_keys, key_too_long and value_too_long; otherwise 0.
	Limit int
	// Actual is the measured value compared with Limit (a depth, a byte
	// count, a number of keys, a length in the policy's unit); otherwise 0.
	Actual int

	signup bool // the error concerns signup user_metadata (for Auth0Message)
}

// Error returns a lower-case message with the package prefix, the location
// and the code. Its wording is not part of the API; Code is.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("metamerge: ")
	if e.Stored {
		b.WriteString("stored document: ")
	}
	switch {
	case e.Code == CodeInvalidJSON && e.Offset >= 0:
		b.WriteString("offset ")
		b.WriteString(strconv.Itoa(e.Offset))
	case e.Pointer == "":
		b.WriteString("document root")
	default:
		b.WriteString(strconv.Quote(e.Pointer))
	}
	b.WriteString(": ")
	b.WriteString(string(e.Code))
	if e.Limit > 0 {
		b.WriteString(" (")
		b.WriteString(strconv.Itoa(e.Actual))
		b.WriteString(" > ")
		b.WriteString(strconv.Itoa(e.Limit))
		b.WriteString(")")
	}
	return b.String()
}

// Unwrap returns the sentinel of e's code, so that errors.Is(err,
// ErrNotString) reports whether err holds a not_string violation.
func (e *Error) Unwrap() error { return e.Code.Sentinel() }

// Auth0Message returns the text Auth0 is known to send for this violation
// (rule S3 for signup, and the community-reported text for dotted names), or
// "" where no text is known. It is meant for services that emulate Auth0's
// responses; the wording belongs to Auth0 and may change.
func (e *Error) Auth0Message() string {
	switch {
	case e.signup && e.Code == CodeNotObject:
		return "invalid user_metadata type (expected object)"
	case e.signup && e.Code == CodeNotString:
		return "invalid user_metadata." + pointerToDotted(e.Pointer) + " type (only strings are allowed)"
	case !e.signup && e.Code == CodeInvalidKey && isUserOrApp(e.Pointer) && strings.Contains(lastToken(e.Pointer), "."):
		return `Fields with "." are not allowed, please remove all dotted fields. Example: user_metadata.foo.bar`
	}
	return ""
}

func isUserOrApp(p string) bool {
	return strings.HasPrefix(p, "/user_metadata/") || strings.HasPrefix(p, "/app_metadata/")
}

// lastToken returns the unescaped last reference token of pointer p.
func lastToken(p string) string {
	return unescapeToken(p[strings.LastIndexByte(p, '/')+1:])
}

func unescapeToken(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")
}

// pointerToDotted turns "/a/b" into "a.b", unescaping ~1 and ~0.
func pointerToDotted(p string) string {
	p = strings.TrimPrefix(p, "/")
	parts := strings.Split(p, "/")
	for i, s := range parts {
		parts[i] = unescapeToken(s)
	}
	return strings.Join(parts, ".")
}

// joinErrors returns nil for none, the error itself for one, and
// errors.Join for several.
func joinErrors(errs []*Error) error {
	switch len(errs) {
	case 0:
		return nil
	case 1:
		return errs[0]
	}
	list := make([]error, len(errs))
	for i, e := range errs {
		list[i] = e
	}
	return errors.Join(list...)
}
