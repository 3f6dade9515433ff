package auth0fake

import (
	"net/http"

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
