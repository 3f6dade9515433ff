package auth0fake

import (
	"net/http"
	"unicode/utf8"

	"github.com/metamerge/metamerge/internal/jsonenc"
	"github.com/metamerge/metamerge/mgmt"
)

// The answers of the fake that are not the endpoints' of package mgmt:
// authentication, routes, paging. Each call makes a new answer.
func errMissingAuth() *mgmt.Answer {
	return mgmt.Envelope(http.StatusUnauthorized, "Missing authentication", "")
}
func errBadToken() *mgmt.Answer { return mgmt.Envelope(http.StatusUnauthorized, "Invalid token", "") }
func errNoRoute() *mgmt.Answer  { return mgmt.Envelope(http.StatusNotFound, "Not Found", "") }
func errInternal() *mgmt.Answer {
	return mgmt.Envelope(http.StatusInternalServerError, "An internal server error occurred", "")
}
func errPaging() *mgmt.Answer {
	return mgmt.Envelope(http.StatusBadRequest, "You can only page through the first 1000 records. See https://auth0.com/docs/users/search/v3/view-search-results-by-page#limitation", "invalid_paging")
}

// queryError is a 400 invalid_query_string in the schema validator's
// wording, for a query parameter: "Query validation error: '<inner>' on
// property <name>", or, for the query as a whole, "Query validation
// error: '<inner>'.".
func queryError(inner, property string) *mgmt.Answer {
	text := "Query validation error: '" + inner + "'."
	if property != "" {
		text = "Query validation error: '" + inner + "' on property " + property
	}
	return mgmt.Envelope(http.StatusBadRequest, text, "invalid_query_string")
}

// writeJSON sends body, a JSON document, with status.
func writeJSON(w http.ResponseWriter, status int, body []byte) {
	(&mgmt.Answer{Status: status, Body: body}).Write(w)
}

// jsonString returns s as a JSON string, without HTML escaping; invalid
// UTF-8 becomes U+FFFD, as encoding/json does.
func jsonString(s string) []byte { return jsonenc.AppendString(nil, s) }

// appendEscaped appends the inside of jsonString(s), without the quotes
// and without allocating: the bytes encoding/json writes (HTML left as
// it is, \b \f \n \r \t, other controls as \u00xx, U+2028 and U+2029
// escaped, each byte of invalid UTF-8 as \ufffd).
func appendEscaped(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c >= 0x20 && c != '"' && c != '\\':
				b = append(b, c)
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c == '\b':
				b = append(b, '\\', 'b')
			case c == '\f':
				b = append(b, '\\', 'f')
			case c == '\n':
				b = append(b, '\\', 'n')
			case c == '\r':
				b = append(b, '\\', 'r')
			case c == '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
		default:
			b = append(b, s[i:i+n]...)
		}
		i += n
	}
	return b
}

// maxMessage is the most bytes of a message, as escaped in the JSON
// body, that an answer of the signup endpoint carries (as mgmt's).
const maxMessage = 2048

// boundedString is jsonString with the escaped text cut to at most n
// bytes, at a character, and marked with "…": the bound holds after
// escaping, control characters (six bytes each) included.
func boundedString(s string, n int) []byte {
	b := jsonString(s)
	if len(b)-2 <= n {
		return b
	}
	b = append(b[:0:0], '"')
	for _, r := range s { // an invalid byte is U+FFFD, as jsonString makes it
		e := jsonString(string(r))
		if len(b)-1+len(e)-2 > n-len("…") {
			break
		}
		b = append(b, e[1:len(e)-1]...)
	}
	return append(append(b, "…"...), '"')
}
