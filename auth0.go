package metamerge

// What text does Auth0 send for a violation? Error.Auth0Message.

import (
	"strconv"
	"strings"
)

// Auth0Message returns the text Auth0 is known to send for this
// violation, or "" where no text is known. It is meant for services that
// emulate Auth0's responses; the wording belongs to Auth0 and may change.
//
// For [ValidateSignup] (Signup set), the signup endpoint's texts of rule
// S3: "invalid user_metadata type (expected object)" and "invalid
// user_metadata.<key> type (only strings are allowed)". For a PATCH body,
// the Management API's schema texts, "Payload validation error: '<inner>'
// on property <dotted.path>", where inner is one of "Expected type object
// but found type <Found>", "Expected type string but found type <Found>",
// "Too many properties defined (<Actual>), maximum <Limit>" and "String is
// too long (<Actual> chars), maximum <Limit>"; and for a name with "." in
// user_metadata or app_metadata the community-reported text that begins
// "Fields with "." are not allowed". Auth0 follows the property with a
// description of it, which is not reproduced.
func (e *Error) Auth0Message() string {
	if e.Stored {
		return ""
	}
	if e.Signup {
		switch e.Code {
		case CodeNotObject:
			return "invalid user_metadata type (expected object)"
		case CodeNotString:
			return "invalid user_metadata." + pointerToDotted(e.Pointer) + " type (only strings are allowed)"
		}
		return ""
	}
	var inner string
	switch e.Code {
	case CodeInvalidKey:
		// ~0 and ~1 never stand for ".": look in the escaped last token.
		if isUserOrApp(e.Pointer) && strings.Contains(e.Pointer[strings.LastIndexByte(e.Pointer, '/'):], ".") {
			return `Fields with "." are not allowed, please remove all dotted fields. Example: user_metadata.foo.bar`
		}
		return ""
	case CodeNotObject:
		inner = "Expected type object but found type " + e.Found
	case CodeNotString:
		inner = "Expected type string but found type " + e.Found
	case CodeTooManyKeys:
		inner = "Too many properties defined (" + strconv.Itoa(e.Actual) + "), maximum " + strconv.Itoa(e.Limit)
	case CodeValueTooLong:
		inner = "String is too long (" + strconv.Itoa(e.Actual) + " chars), maximum " + strconv.Itoa(e.Limit)
	default:
		return ""
	}
	msg := "Payload validation error: '" + inner + "'"
	if e.Pointer != "" {
		msg += " on property " + pointerToDotted(e.Pointer)
	}
	return msg
}

func isUserOrApp(p string) bool {
	return strings.HasPrefix(p, "/user_metadata/") || strings.HasPrefix(p, "/app_metadata/")
}

func unescapeToken(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")
}

// pointerToDotted turns "/a/b" into "a.b", unescaping ~1 and ~0.
func pointerToDotted(p string) string {
	parts := strings.Split(strings.TrimPrefix(p, "/"), "/")
	for i, s := range parts {
		parts[i] = unescapeToken(s)
	}
	return strings.Join(parts, ".")
}
