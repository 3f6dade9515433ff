package auth0fake

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/metamerge/metamerge"
)

// maxMessage is the most bytes of a message an error response carries.
// Messages name properties, and a property path is as long as the names
// in the request: cut, an error response stays small whatever the body.
const maxMessage = 2048

// maxEcho is the most bytes of a request's own text (a query value, an
// unknown parameter's name) that a message quotes.
const maxEcho = 64

// apiError is an answer of the Management API in its error shape:
//
//	{"statusCode":400,"error":"Bad Request","message":"…","errorCode":"invalid_body"}
//
// errorCode is left out when empty, as Auth0 does for 401 and 413.
type apiError struct {
	status    int
	message   string
	errorCode string
}

// Error codes and messages of the Management API that several handlers
// answer with.
var (
	errMissingAuth = &apiError{http.StatusUnauthorized, "Missing authentication", ""}
	errBadToken    = &apiError{http.StatusUnauthorized, "Invalid token", ""}
	errNoUser      = &apiError{http.StatusNotFound, "The user does not exist.", "inexistent_user"}
	errNoClient    = &apiError{http.StatusNotFound, "The client does not exist.", "inexistent_client"}
	errUserExists  = &apiError{http.StatusConflict, "The user already exists.", "auth0_idp_error"}
	errEmailTaken  = &apiError{http.StatusBadRequest, "The specified new email already exists", "auth0_idp_error"}
	errNoRoute     = &apiError{http.StatusNotFound, "Not Found", ""}
	errBadJSON     = &apiError{http.StatusBadRequest, "Invalid request payload JSON format", "invalid_body"}
	errInternal    = &apiError{http.StatusInternalServerError, "An internal server error occurred", ""}
	errPaging      = &apiError{http.StatusBadRequest, "You can only page through the first 1000 records. See https://auth0.com/docs/users/search/v3/view-search-results-by-page#limitation", "invalid_paging"}
)

// payloadError is a 400 invalid_body with the schema validator's wording:
// "Payload validation error: '<inner>' on property <path>", or, for the
// body as a whole, "Payload validation error: '<inner>'.".
func payloadError(inner, property string) *apiError {
	return &apiError{http.StatusBadRequest, validationText("Payload", inner, property), "invalid_body"}
}

// queryError is a 400 invalid_query_string in the same wording, for a
// query parameter.
func queryError(inner, property string) *apiError {
	return &apiError{http.StatusBadRequest, validationText("Query", inner, property), "invalid_query_string"}
}

func validationText(kind, inner, property string) string {
	if property == "" {
		return kind + " validation error: '" + inner + "'."
	}
	return kind + " validation error: '" + inner + "' on property " + property
}

// Error lets an *apiError travel as an error, through the store's change
// function to the handler that answers it.
func (e *apiError) Error() string { return e.message }

// write sends e. The JSON is built by hand so that its members come in
// Auth0's order; nothing is HTML-escaped.
func (e *apiError) write(w http.ResponseWriter) {
	var b bytes.Buffer
	b.WriteString(`{"statusCode":`)
	b.WriteString(strconv.Itoa(e.status))
	b.WriteString(`,"error":`)
	appendString(&b, http.StatusText(e.status))
	b.WriteString(`,"message":`)
	appendString(&b, cut(e.message, maxMessage))
	if e.errorCode != "" {
		b.WriteString(`,"errorCode":`)
		appendString(&b, e.errorCode)
	}
	b.WriteByte('}')
	writeJSON(w, e.status, b.Bytes())
}

// signupError is an answer of the Authentication API's signup endpoint:
//
//	{"name":"BadRequestError","code":"invalid_signup","description":"…","statusCode":400}
type signupError struct {
	code        string
	description string
}

func (e *signupError) write(w http.ResponseWriter) {
	var b bytes.Buffer
	b.WriteString(`{"name":"BadRequestError","code":`)
	appendString(&b, e.code)
	b.WriteString(`,"description":`)
	appendString(&b, cut(e.description, maxMessage))
	b.WriteString(`,"statusCode":400}`)
	writeJSON(w, http.StatusBadRequest, b.Bytes())
}

// writeJSON sends body, a JSON document, with status.
func writeJSON(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// appendString appends s as a JSON string, without HTML escaping; invalid
// UTF-8 becomes U+FFFD, as encoding/json does.
func appendString(b *bytes.Buffer, s string) {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	b.Truncate(b.Len() - 1)
}

// jsonString returns s as a JSON string.
func jsonString(s string) []byte {
	var b bytes.Buffer
	appendString(&b, s)
	return b.Bytes()
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

// violation turns the error of a merge or check into its answer: a 400 in
// Auth0's words for the first violation (Auth0 reports one), or nil when
// err holds no violation, which the caller answers with 500 (a wrong
// setting: a bug of this package, never the request's fault). A violation
// in the stored document is no fault of the request either: it is nil too.
func violation(err error) *apiError {
	errs := metamerge.Errors(err)
	if len(errs) == 0 || errs[0].Stored {
		return nil
	}
	e := errs[0]
	if e.Code == metamerge.CodeInvalidJSON {
		return errBadJSON
	}
	if m := e.Auth0Message(); m != "" {
		return &apiError{http.StatusBadRequest, m, "invalid_body"}
	}
	return payloadError(innerText(e), dotted(e.Pointer))
}

// innerText words the violations whose Auth0 text is not known, in the
// schema validator's style. These texts are this package's, not Auth0's.
func innerText(e *metamerge.Error) string {
	n := func(i int) string { return strconv.Itoa(i) }
	switch e.Code {
	case metamerge.CodeDuplicateKey:
		return "Duplicate property name"
	case metamerge.CodeTooDeep:
		return "Nesting is too deep (" + n(e.Actual) + " levels), maximum " + n(e.Limit)
	case metamerge.CodeTooLarge:
		return "Object is too large (" + n(e.Actual) + " bytes), maximum " + n(e.Limit)
	case metamerge.CodeInvalidKey:
		return "Property name is not allowed"
	case metamerge.CodeReservedKey:
		return "Property name is reserved"
	case metamerge.CodeKeyTooLong:
		return "Property name is too long (" + n(e.Actual) + " chars), maximum " + n(e.Limit)
	}
	return string(e.Code)
}

// dotted turns the JSON Pointer "/a/b~1c" into "a.b/c", Auth0's way of
// naming a property; "" stays "".
func dotted(p string) string {
	if p == "" {
		return ""
	}
	parts := strings.Split(p[1:], "/")
	for i, s := range parts {
		parts[i] = strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")
	}
	return cut(strings.Join(parts, "."), maxMessage/2)
}
