package auth0fake

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestErrorShapes checks every error answer of the Management API and of
// signup, over loopback with net/http: status, errorCode (or code) and
// message, byte for byte.
func TestErrorShapes(t *testing.T) {
	f := newFake(t, Options{MaxBodyBytes: 4096})
	srv := httptest.NewServer(f.s)
	defer srv.Close()
	f.url = srv.URL
	jane := f.createUser("jane@example.com", `"username":"jane"`)
	f.createUser("john@example.com", "")
	app := f.createClient(`"client_metadata":{"k":"v"}`)
	f.must(http.StatusOK, "POST", "/dbconnections/signup", `{"email":"sam@example.com","password":"pw","connection":"db"}`)

	tenKeys := `{"client_metadata":{"a":"1","b":"1","c":"1","d":"1","e":"1","f":"1","g":"1","h":"1","i":"1","j":"1","k":null,"l":"1"}}`
	bad := func(msg string) string {
		return fmt.Sprintf(`{"statusCode":400,"error":"Bad Request","message":%s,"errorCode":"invalid_body"}`, jsonString(msg))
	}
	query := func(msg string) string {
		return fmt.Sprintf(`{"statusCode":400,"error":"Bad Request","message":%s,"errorCode":"invalid_query_string"}`, jsonString(msg))
	}
	signup := func(code, msg string) string {
		return fmt.Sprintf(`{"name":"BadRequestError","code":%q,"description":%s,"statusCode":400}`, code, jsonString(msg))
	}
	const signupOK = `"email":"new@example.com","password":"pw","connection":"db"`
	tests := []struct {
		name, why          string
		method, path, body string
		auth               string // "" sends the token
		status             int
		want               string
	}{
		{"no token", "Auth0 answers 401 without errorCode when the header is missing",
			"GET", "/api/v2/users", "", "-", 401, `{"statusCode":401,"error":"Unauthorized","message":"Missing authentication"}`},
		{"basic scheme", "only a bearer token counts as authentication",
			"GET", "/api/v2/users", "", "Basic dTpw", 401, `{"statusCode":401,"error":"Unauthorized","message":"Missing authentication"}`},
		{"wrong token", "a token that is not the server's",
			"GET", userPath(jane), "", "Bearer nope", 401, `{"statusCode":401,"error":"Unauthorized","message":"Invalid token"}`},
		{"token before 404", "authentication comes before routing, as on Auth0",
			"GET", "/api/v2/nothing", "", "-", 401, `{"statusCode":401,"error":"Unauthorized","message":"Missing authentication"}`},
		{"unknown route", "Auth0's framework answers 404 Not Found for a route it does not have",
			"GET", "/api/v2/nothing", "", "", 404, `{"statusCode":404,"error":"Not Found","message":"Not Found"}`},
		{"wrong method", "PUT is no route of /api/v2/users/{id}",
			"PUT", userPath(jane), "{}", "", 404, `{"statusCode":404,"error":"Not Found","message":"Not Found"}`},
		{"get missing user", "recorded: 404 inexistent_user",
			"GET", userPath("auth0|000000000000000000000000"), "", "", 404, `{"statusCode":404,"error":"Not Found","message":"The user does not exist.","errorCode":"inexistent_user"}`},
		{"patch missing user", "the merge needs a stored profile",
			"PATCH", userPath("auth0|nobody"), `{"name":"x"}`, "", 404, `{"statusCode":404,"error":"Not Found","message":"The user does not exist.","errorCode":"inexistent_user"}`},
		{"get missing client", "404 inexistent_client",
			"GET", clientPath("nope"), "", "", 404, `{"statusCode":404,"error":"Not Found","message":"The client does not exist","errorCode":"inexistent_client"}`},
		{"patch missing client", "404 inexistent_client",
			"PATCH", clientPath("nope"), `{"name":"x"}`, "", 404, `{"statusCode":404,"error":"Not Found","message":"The client does not exist","errorCode":"inexistent_client"}`},
		{"invalid JSON", "H1: the framework's text for a body it cannot parse",
			"PATCH", userPath(jane), `{"name":`, "", 400, bad("Invalid request payload JSON format")},
		{"empty body", "H1: nothing is not JSON",
			"PATCH", userPath(jane), ``, "", 400, bad("Invalid request payload JSON format")},
		{"trailing data", "H1: nothing after the value",
			"POST", "/api/v2/users", `{"connection":"c"} {}`, "", 400, bad("Invalid request payload JSON format")},
		{"body not an object", "H9: the document must be an object",
			"PATCH", userPath(jane), `[]`, "", 400, bad("Payload validation error: 'Expected type object but found type array'")},
		{"user_metadata string", "R1 with the schema validator's text",
			"PATCH", userPath(jane), `{"user_metadata":"dark"}`, "", 400, bad("Payload validation error: 'Expected type object but found type string' on property user_metadata")},
		{"app_metadata null", "R1: null is not a way to remove app_metadata",
			"PATCH", userPath(jane), `{"app_metadata":null}`, "", 400, bad("Payload validation error: 'Expected type object but found type null' on property app_metadata")},
		{"dotted name", "R7 with the community-reported text",
			"PATCH", userPath(jane), `{"user_metadata":{"prefs.lang":"fr"}}`, "", 400, bad(`Fields with "." are not allowed, please remove all dotted fields. Example: user_metadata.foo.bar`)},
		{"dollar name", "R7: $ too; the text is ours",
			"PATCH", userPath(jane), `{"user_metadata":{"a":{"$set":1}}}`, "", 400, bad("Payload validation error: 'Property name is not allowed' on property user_metadata.a.$set")},
		{"reserved name", "R8: the text is ours",
			"PATCH", userPath(jane), `{"app_metadata":{"email":"x"}}`, "", 400, bad("Payload validation error: 'Property name is reserved' on property app_metadata.email")},
		{"duplicate name", "H2: stricter than Auth0 on purpose",
			"PATCH", userPath(jane), `{"user_metadata":{"a":1,"a":2}}`, "", 400, bad("Payload validation error: 'Duplicate property name' on property user_metadata.a")},
		{"too deep", "H3: 101 levels",
			"PATCH", userPath(jane), strings.Repeat("[", 101) + strings.Repeat("]", 101), "", 400, bad("Payload validation error: 'Nesting is too deep (101 levels), maximum 100' on property " + strings.Repeat("0.", 30) + "0…")},
		{"unknown member", "Auth0's schema has additionalProperties false",
			"PATCH", userPath(jane), `{"nick":"x"}`, "", 400, bad("Payload validation error: 'Additional properties not allowed: nick'.")},
		{"server-managed member", "user_id cannot be patched",
			"PATCH", userPath(jane), `{"user_id":"x"}`, "", 400, bad("Payload validation error: 'Additional properties not allowed: user_id'.")},
		{"created_at", "nor created_at",
			"POST", "/api/v2/users", `{"connection":"c","created_at":"2020-01-01T00:00:00.000Z"}`, "", 400, bad("Payload validation error: 'Additional properties not allowed: created_at'.")},
		{"email not a string", "the schema types each member",
			"PATCH", userPath(jane), `{"email":42}`, "", 400, bad("Payload validation error: 'Expected type string but found type number' on property email")},
		{"blocked not a boolean", "the schema types each member",
			"PATCH", userPath(jane), `{"blocked":"yes"}`, "", 400, bad("Payload validation error: 'Expected type boolean but found type string' on property blocked")},
		{"email format", "the schema's email format",
			"POST", "/api/v2/users", `{"connection":"c","email":"not an address"}`, "", 400, bad("Payload validation error: 'Object didn't pass validation for format email: not an address' on property email")},
		{"missing connection", "POST /api/v2/users requires connection",
			"POST", "/api/v2/users", `{"email":"x@example.com"}`, "", 400, bad("Payload validation error: 'Missing required property: connection'.")},
		{"empty password", "a password has at least one character",
			"POST", "/api/v2/users", `{"connection":"c","password":""}`, "", 400, bad("Payload validation error: 'String is too short (0 chars), minimum 1' on property password")},
		{"duplicate email", "recorded: 409 for an email the connection has",
			"POST", "/api/v2/users", `{"password":"pw","connection":"Username-Password-Authentication","email":"jane@example.com"}`, "", 409, `{"statusCode":409,"error":"Conflict","message":"The user already exists.","errorCode":"auth0_idp_error"}`},
		{"duplicate email other case", "emails are stored and compared in lower case",
			"POST", "/api/v2/users", `{"password":"pw","connection":"Username-Password-Authentication","email":"JANE@example.COM"}`, "", 409, `{"statusCode":409,"error":"Conflict","message":"The user already exists.","errorCode":"auth0_idp_error"}`},
		{"duplicate username", "usernames are unique in a connection too",
			"POST", "/api/v2/users", `{"password":"pw","connection":"Username-Password-Authentication","email":"j2@example.com","username":"JANE"}`, "", 409, `{"statusCode":409,"error":"Conflict","message":"The user already exists.","errorCode":"auth0_idp_error"}`},
		{"patch to a taken email", "Auth0 answers PATCH with 400, not 409",
			"PATCH", userPath(jane), `{"email":"john@example.com"}`, "", 400, `{"statusCode":400,"error":"Bad Request","message":"The specified new email already exists","errorCode":"auth0_idp_error"}`},
		{"body too large", "413 from the framework, before the body is read",
			"PATCH", userPath(jane), `{"name":"` + strings.Repeat("x", 5000) + `"}`, "", 413, `{"statusCode":413,"error":"Request Entity Too Large","message":"Payload content length greater than maximum allowed: 4096"}`},
		{"client 11 keys", "C4 after the merge: 1 stored + 10 new (k is deleted but counted as applied)",
			"PATCH", clientPath(app), tenKeys, "", 400, bad("Payload validation error: 'Too many properties defined (12), maximum 10' on property client_metadata")},
		{"client value too long", "C2: 256 characters",
			"PATCH", clientPath(app), `{"client_metadata":{"k":"` + strings.Repeat("v", 256) + `"}}`, "", 400, bad("Payload validation error: 'String is too long (256 chars), maximum 255' on property client_metadata.k")},
		{"client value number", "C2: values are strings",
			"PATCH", clientPath(app), `{"client_metadata":{"k":1}}`, "", 400, bad("Payload validation error: 'Expected type string but found type number' on property client_metadata.k")},
		{"client name too long", "C3: 256-character name; the text is ours",
			"PATCH", clientPath(app), `{"client_metadata":{"` + strings.Repeat("n", 256) + `":"v"}}`, "", 400, bad("Payload validation error: 'Property name is too long (256 chars), maximum 255' on property client_metadata." + strings.Repeat("n", 45) + "…")},
		{"client_metadata null", "C1: null does not remove client_metadata",
			"PATCH", clientPath(app), `{"client_metadata":null}`, "", 400, bad("Payload validation error: 'Expected type object but found type null' on property client_metadata")},
		{"client without name", "POST /api/v2/clients requires name",
			"POST", "/api/v2/clients", `{"description":"x"}`, "", 400, bad("Payload validation error: 'Missing required property: name'.")},
		{"client_id patched", "client_id is Auth0's",
			"PATCH", clientPath(app), `{"client_id":"x"}`, "", 400, bad("Payload validation error: 'Additional properties not allowed: client_id'.")},
		{"client_secret on create", "only PATCH may set client_secret",
			"POST", "/api/v2/clients", `{"name":"a","client_secret":"s"}`, "", 400, bad("Payload validation error: 'Additional properties not allowed: client_secret'.")},
		{"unknown query parameter", "the query has a schema too",
			"GET", "/api/v2/users?colour=red", "", "", 400, query("Query validation error: 'Additional properties not allowed: colour'.")},
		{"per_page too big", "Auth0 pages at most 100",
			"GET", "/api/v2/users?per_page=101", "", "", 400, query("Query validation error: 'Value 101 is greater than maximum 100' on property per_page")},
		{"per_page negative", "no negative pages",
			"GET", "/api/v2/clients?per_page=-1", "", "", 400, query("Query validation error: 'Value -1 is less than minimum 0' on property per_page")},
		{"per_page not a number", "the schema types each parameter",
			"GET", "/api/v2/users?per_page=ten", "", "", 400, query("Query validation error: 'Expected type integer but found type string' on property per_page")},
		{"per_page twice", "a repeated parameter is an array to Auth0's framework",
			"GET", "/api/v2/users?per_page=1&per_page=2", "", "", 400, query("Query validation error: 'Expected type integer but found type array' on property per_page")},
		{"include_totals not boolean", "true or false only",
			"GET", "/api/v2/users?include_totals=yes", "", "", 400, query("Query validation error: 'Expected type boolean but found type string' on property include_totals")},
		{"page past 1000 users", "Auth0 pages through the first 1000 users only",
			"GET", "/api/v2/users?page=10&per_page=100", "", "", 400, `{"statusCode":400,"error":"Bad Request","message":"You can only page through the first 1000 records. See https://auth0.com/docs/users/search/v3/view-search-results-by-page#limitation","errorCode":"invalid_paging"}`},
		{"page overflow", "a page number past int64 is past the end, not an overflow",
			"GET", "/api/v2/users?page=99999999999999999999999&per_page=1", "", "", 400, `{"statusCode":400,"error":"Bad Request","message":"You can only page through the first 1000 records. See https://auth0.com/docs/users/search/v3/view-search-results-by-page#limitation","errorCode":"invalid_paging"}`},
		{"q with OR", "the fake reads a subset of the query syntax and says so",
			"GET", "/api/v2/users?q=" + escape("email:a OR email:b"), "", "", 400, query("Query validation error: 'Query not supported by the fake: OR, NOT, groups, + and - are not supported' on property q")},
		{"q without field", "a bare word is not supported",
			"GET", "/api/v2/users?q=jane", "", "", 400, query("Query validation error: 'Query not supported by the fake: only field:value terms joined by AND are supported' on property q")},
		{"q inner wildcard", "wildcards only at the end",
			"GET", "/api/v2/users?q=" + escape("email:j*e"), "", "", 400, query("Query validation error: 'Query not supported by the fake: the only wildcard supported is one * at the end of a value' on property q")},
		{"q open quote", "an unclosed quote",
			"GET", "/api/v2/clients?q=" + escape(`name:"app`), "", "", 400, query("Query validation error: 'Query not supported by the fake: a quoted value is not closed' on property q")},
		{"search_engine", "v1, v2 or v3",
			"GET", "/api/v2/users?search_engine=v9", "", "", 400, query("Query validation error: 'No enum match for: v9' on property search_engine")},
		{"sort", "field:1 or field:-1",
			"GET", "/api/v2/users?sort=email", "", "", 400, query("Query validation error: 'Sort must be field:1 or field:-1' on property sort")},
		{"fields too long", "each parameter is at most 4096 characters",
			"GET", userPath(jane) + "?fields=" + strings.Repeat("a,", 2049), "", "", 400, query("Query validation error: 'String is too long (4098 chars), maximum 4096' on property fields")},

		{"signup invalid JSON", "H1 in the signup shape",
			"POST", "/dbconnections/signup", `{`, "-", 400, signup("invalid_body", "Invalid request payload JSON format")},
		{"signup no password", "password is required",
			"POST", "/dbconnections/signup", `{"email":"a@example.com","connection":"db"}`, "-", 400, signup("invalid_body", "Payload validation error: 'Missing required property: password'.")},
		{"signup email type", "email is a string",
			"POST", "/dbconnections/signup", `{"email":1,"password":"p","connection":"db"}`, "-", 400, signup("invalid_body", "Payload validation error: 'Expected type string but found type number' on property email")},
		{"signup metadata not object", "S1 with Auth0's text (S3)",
			"POST", "/dbconnections/signup", `{` + signupOK + `,"user_metadata":["x"]}`, "-", 400, signup("invalid_signup", "invalid user_metadata type (expected object)")},
		{"signup metadata number", "S1 with Auth0's text (S3)",
			"POST", "/dbconnections/signup", `{` + signupOK + `,"user_metadata":{"age":42}}`, "-", 400, signup("invalid_signup", "invalid user_metadata.age type (only strings are allowed)")},
		{"signup metadata null", "S2: null is not a string",
			"POST", "/dbconnections/signup", `{` + signupOK + `,"user_metadata":{"age":null}}`, "-", 400, signup("invalid_signup", "invalid user_metadata.age type (only strings are allowed)")},
		{"signup 11 fields", "S1: at most 10 fields",
			"POST", "/dbconnections/signup", `{` + signupOK + `,"user_metadata":{"a":"","b":"","c":"","d":"","e":"","f":"","g":"","h":"","i":"","j":"","k":""}}`, "-", 400, signup("invalid_signup", "Payload validation error: 'Too many properties defined (11), maximum 10' on property user_metadata")},
		{"signup value 501", "S1: values of at most 500 characters",
			"POST", "/dbconnections/signup", `{` + signupOK + `,"user_metadata":{"a":"` + strings.Repeat("x", 501) + `"}}`, "-", 400, signup("invalid_signup", "Payload validation error: 'String is too long (501 chars), maximum 500' on property user_metadata.a")},
		{"signup dotted name", "S2: the R7 name rule",
			"POST", "/dbconnections/signup", `{` + signupOK + `,"user_metadata":{"a.b":"x"}}`, "-", 400, signup("invalid_signup", `Fields with "." are not allowed, please remove all dotted fields. Example: user_metadata.foo.bar`)},
		{"signup taken", "the enumeration-safe answer Auth0's SDK tests expect",
			"POST", "/dbconnections/signup", `{"email":"SAM@example.com","password":"p","connection":"db"}`, "-", 400, signup("invalid_signup", "Invalid sign up")},
		{"signup too large", "413 as for the Management API",
			"POST", "/dbconnections/signup", `{"password":"` + strings.Repeat("x", 5000) + `"}`, "-", 413, `{"statusCode":413,"error":"Request Entity Too Large","message":"Payload content length greater than maximum allowed: 4096"}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := &fake{t, f.s, f.url}
			auth := "Bearer " + testToken
			switch tc.auth {
			case "-":
				auth = ""
			case "":
			default:
				auth = tc.auth
			}
			code, got := f.doAuth(tc.method, tc.path, tc.body, auth)
			if code != tc.status || got != tc.want {
				t.Errorf("%s (%s):\n got %d %s\nwant %d %s", tc.name, tc.why, code, got, tc.status, tc.want)
			}
		})
	}
}

func escape(q string) string {
	return strings.NewReplacer(" ", "%20", `"`, "%22", "*", "%2A").Replace(q)
}

// TestLongUserID: a user_id a later request could not carry in its path
// is refused when the user is created.
func TestLongUserID(t *testing.T) {
	f := newFake(t, Options{})
	body := f.must(http.StatusBadRequest, "POST", "/api/v2/users", `{"connection":"c","user_id":"`+strings.Repeat("u", 256)+`"}`)
	if !strings.Contains(body, "String is too long (256 chars), maximum 255") || !strings.Contains(body, `"errorCode":"invalid_body"`) {
		t.Errorf("answer %s", body)
	}
	f.must(http.StatusCreated, "POST", "/api/v2/users", `{"password":"pw","connection":"c","user_id":"`+strings.Repeat("u", 255)+`"}`)
}
