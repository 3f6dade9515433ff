package mgmt

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/metamerge/metamerge"
	"github.com/metamerge/metamerge/internal/jsonenc"
)

// Answer is what an endpoint answers to one request (M5): a status and a
// JSON body, the document on success, Auth0's error envelope otherwise:
//
//	{"statusCode":400,"error":"Bad Request","message":"…","errorCode":"invalid_body"}
//
// An *Answer is also an error, so that a refusal travels through a change
// function (see [Update]) to the handler that sends it.
type Answer struct {
	Status int    // the HTTP status
	Body   []byte // a JSON document, never modified by this package once made
}

// Error returns "mgmt: " and the status and message of an error answer.
func (a *Answer) Error() string {
	return "mgmt: " + strconv.Itoa(a.Status) + " " + a.message()
}

// maxMessage is the most bytes of a message an error answer carries, as
// escaped in the JSON body: an error answer stays small whatever the
// request, control characters (six bytes each once escaped) included.
const maxMessage = 2048

// maxEcho is the most bytes of the request's own text (a member name, a
// property path, an email) that a message quotes: see [Quote].
const maxEcho = 64

// Quote returns s, text taken from a request (a member name, a property
// path, a query value), as an error message may quote it: s itself when
// it has at most 64 bytes, otherwise its first bytes up to a UTF-8
// boundary followed by "…", 64 bytes in all. Every message of this
// package, and of the fake, quotes the request through Quote.
func Quote(s string) string { return cut(s, maxEcho) }

// Envelope returns the error answer with status, message and errorCode
// (left out when empty, as Auth0 does for 401, 413 and 500), for the
// answers of a service that are not this package's, such as 401 Missing
// authentication. The members come in Auth0's order; nothing is
// HTML-escaped; a message whose escaped text is over 2 KiB is cut to
// 2 KiB, at a character, and marked with "…".
func Envelope(status int, message, errorCode string) *Answer {
	b := append([]byte(`{"statusCode":`), strconv.Itoa(status)...)
	b = append(b, `,"error":`...)
	b = jsonenc.AppendString(b, http.StatusText(status))
	b = append(b, `,"message":`...)
	b = appendBounded(b, message, maxMessage)
	if errorCode != "" {
		b = append(b, `,"errorCode":`...)
		b = jsonenc.AppendString(b, errorCode)
	}
	return &Answer{status, append(b, '}')}
}

// Errors a store reports to [Update] and to the answers of a resource.
var (
	// ErrNotFound: there is no document with the id (404).
	ErrNotFound = errors.New("mgmt: no such document")
	// ErrTaken: a value that must be unique (see Users.Unique) belongs to
	// another document (409 on create, 400 on PATCH, as Auth0 answers). A
	// store that knows which value returns a *TakenError.
	ErrTaken = errors.New("mgmt: a unique value is taken")
	// ErrConflict: the document changed since it was read; a write
	// function of [Update] returns it (or wraps it) to have the update
	// read and merge again.
	ErrConflict = errors.New("mgmt: the document changed since it was read")
	// ErrContention: [Update] gave up after Retry.Attempts conflicts in a
	// row (409, our wording: Auth0 documents none).
	ErrContention = errors.New("mgmt: the document kept changing while it was updated")
)

// TakenError is ErrTaken naming the value: one of those Unique returned.
// A PATCH that sets both an email and a username is answered with the
// text of the one taken.
type TakenError struct {
	Value string // as Unique returned it
}

// Error returns "mgmt: a unique value is taken: " and the value.
func (e *TakenError) Error() string { return ErrTaken.Error() + ": " + Quote(e.Value) }

// Is reports whether target is ErrTaken.
func (e *TakenError) Is(target error) bool { return target == ErrTaken }

// The answers several requests share.
func answerBadJSON() *Answer {
	return Envelope(400, "Invalid request payload JSON format", "invalid_body")
}
func answerInternal() *Answer { return Envelope(500, "An internal server error occurred", "") }

// answer turns err into its answer: an *Answer as it is; a violation of
// the request body as Auth0's 400 (the first one, in document order); the
// store errors as given (notFound, taken); ErrContention as 409; anything
// else (a defect of the stored document, a setting out of range, a failed
// store) as 500, which never blames the request.
func answer(err error, notFound func() *Answer, taken func(error) *Answer) *Answer {
	var a *Answer
	switch {
	case err == nil:
		return nil
	case errors.As(err, &a):
		return a
	case errors.Is(err, ErrNotFound):
		return notFound()
	case errors.Is(err, ErrTaken):
		return taken(err)
	case errors.Is(err, ErrContention):
		return Envelope(409, "The document changed too often while it was updated; try again", "conflict")
	}
	if errs := metamerge.Errors(err); len(errs) > 0 && !errs[0].Stored {
		return Violation(errs[0])
	}
	return answerInternal()
}

// Violation returns the 400 answer to e, a violation found in a request
// body: "Invalid request payload JSON format" for invalid JSON, otherwise
// invalid_body with [Message]. A violation of a stored document (Stored
// set) is no fault of the request: its answer is 500.
func Violation(e *metamerge.Error) *Answer {
	switch {
	case e.Stored:
		return answerInternal()
	case e.Code == metamerge.CodeInvalidJSON:
		return answerBadJSON()
	}
	text, _ := Message(e)
	return Envelope(400, text, "invalid_body")
}

// Message returns the message of the Management API for e, a violation of
// a request body, and whether the wording is Auth0's (true) or this
// package's, where Auth0's is not known (false). Every code has a text.
//
// Auth0's: invalid JSON ("Invalid request payload JSON format"), a "." in
// a name of user_metadata or app_metadata (the community-reported "Fields
// with "." are not allowed…"), and the schema validator's texts
// "Payload validation error: '<inner>' on property <dotted.path>" for
// not_object, not_string, too_many_keys and value_too_long. Ours, in the
// validator's style: duplicate names, too deep, too large, other invalid
// names, reserved names, names too long, a cut list, an unreachable diff.
// The property path, the request's own names, is quoted through [Quote].
func Message(e *metamerge.Error) (text string, auth0 bool) {
	text, auth0 = message(e)
	// Auth0's texts name the property in full: quote it as ours do. It
	// is the last time the path occurs in the text.
	if p := fullDotted(e.Pointer); len(p) > maxEcho {
		if i := strings.LastIndex(text, p); i >= 0 {
			text = text[:i] + Quote(p) + text[i+len(p):]
		}
	}
	return text, auth0
}

// message is Message, with the property path not yet quoted in Auth0's
// texts.
func message(e *metamerge.Error) (text string, auth0 bool) {
	if e.Code == metamerge.CodeInvalidJSON {
		return "Invalid request payload JSON format", true
	}
	if !e.Stored && !e.Signup {
		if m := e.Auth0Message(); m != "" {
			return m, true
		}
	}
	n := strconv.Itoa
	var inner string
	switch e.Code {
	case metamerge.CodeDuplicateKey:
		inner = "Duplicate property name"
	case metamerge.CodeTooDeep:
		inner = "Nesting is too deep (" + n(e.Actual) + " levels), maximum " + n(e.Limit)
	case metamerge.CodeTooLarge:
		inner = "Object is too large (" + n(e.Actual) + " bytes), maximum " + n(e.Limit)
	case metamerge.CodeInvalidKey:
		inner = "Property name is not allowed"
	case metamerge.CodeReservedKey:
		inner = "Property name is reserved"
	case metamerge.CodeKeyTooLong:
		inner = "Property name is too long (" + n(e.Actual) + " chars), maximum " + n(e.Limit)
	case metamerge.CodeNotObject:
		inner = "Expected type object but found type " + e.Found
	case metamerge.CodeNotString:
		inner = "Expected type string but found type " + e.Found
	case metamerge.CodeTooManyKeys:
		inner = "Too many properties defined (" + n(e.Actual) + "), maximum " + n(e.Limit)
	case metamerge.CodeValueTooLong:
		inner = "String is too long (" + n(e.Actual) + " chars), maximum " + n(e.Limit)
	case metamerge.CodeTooManyErrors:
		inner = "Too many errors (" + n(e.Actual) + "), maximum " + n(e.Limit)
	case metamerge.CodeUnreachable:
		inner = "No request gives this document"
	default:
		inner = "Invalid value (" + Quote(string(e.Code)) + ")"
	}
	return payloadText(inner, dotted(e.Pointer)), false
}

// payloadError is a 400 invalid_body with the schema validator's wording:
// "Payload validation error: '<inner>' on property <path>", or, for the
// body as a whole, "Payload validation error: '<inner>'.".
func payloadError(inner, property string) *Answer {
	return Envelope(400, payloadText(inner, property), "invalid_body")
}

func payloadText(inner, property string) string {
	if property == "" {
		return "Payload validation error: '" + inner + "'."
	}
	return "Payload validation error: '" + inner + "' on property " + property
}

// dotted turns the JSON Pointer "/a/b~1c" into "a.b/c", Auth0's way of
// naming a property, quoted (see [Quote]); "" stays "".
func dotted(p string) string { return Quote(fullDotted(p)) }

// fullDotted is dotted, in full.
func fullDotted(p string) string {
	if p == "" {
		return ""
	}
	parts := strings.Split(p[1:], "/")
	for i, s := range parts {
		parts[i] = strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")
	}
	return strings.Join(parts, ".")
}

// appendBounded appends s as appendString does, its escaped text cut to
// at most n bytes (at a character, marked with "…"): the bound holds
// after escaping, whatever s holds.
func appendBounded(b []byte, s string, n int) []byte {
	start := len(b)
	if b = jsonenc.AppendString(b, s); len(b)-start-2 <= n {
		return b
	}
	b = append(b[:start], '"')
	for _, r := range s { // an invalid byte is U+FFFD, as appendString makes it
		mark := len(b)
		b = jsonenc.AppendString(b, string(r))
		b = append(b[:mark], b[mark+1:len(b)-1]...) // the escaped rune, without its quotes
		if len(b)-start-1 > n-len("…") {
			b = b[:mark]
			break
		}
	}
	return append(append(b, "…"...), '"')
}

// cut shortens s to at most n bytes, at a character boundary, marking the
// cut with "…".
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := n - len("…")
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "…"
}

// message returns the message of an error answer, "" for a document.
func (a *Answer) message() string {
	var env struct {
		Message string `json:"message"`
	}
	_ = json.Unmarshal(a.Body, &env)
	return env.Message
}
