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
			return dotted("invalid user_metadata.", e.Pointer, " type (only strings are allowed)")
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
	if e.Pointer == "" {
		return "Payload validation error: '" + inner + "'"
	}
	return dotted("Payload validation error: '"+inner+"' on property ", e.Pointer, "")
}

func isUserOrApp(p string) bool {
	return strings.HasPrefix(p, "/user_metadata/") || strings.HasPrefix(p, "/app_metadata/")
}

// dotted returns head, the pointer p as a dotted path ("/a/b" as "a.b",
// ~1 as "/" and ~0 as "~"), and tail, built once at its exact size: the
// pointer can be as long as the document.
func dotted(head, p, tail string) string {
	p = strings.TrimPrefix(p, "/")
	n := len(head) + len(p) + len(tail)
	for i := 0; i+1 < len(p); i++ {
		if p[i] == '~' && (p[i+1] == '0' || p[i+1] == '1') {
			n--
			i++
		}
	}
	var b strings.Builder
	b.Grow(n)
	b.WriteString(head)
	for {
		i := strings.IndexAny(p, "/~")
		if i < 0 || i+1 == len(p) && p[i] == '~' {
			break
		}
		b.WriteString(p[:i])
		switch {
		case p[i] == '/':
			b.WriteByte('.')
		case p[i+1] == '0':
			b.WriteByte('~')
			i++
		case p[i+1] == '1':
			b.WriteByte('/')
			i++
		default:
			b.WriteByte('~')
		}
		p = p[i+1:]
	}
	b.WriteString(p)
	b.WriteString(tail)
	return b.String()
}
