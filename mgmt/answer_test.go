package mgmt

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/metamerge/metamerge"
	"github.com/metamerge/metamerge/internal/jsonenc"
)

func bad(msg string) string {
	b, _ := json.Marshal(msg)
	return `{"statusCode":400,"error":"Bad Request","message":` + string(b) + `,"errorCode":"invalid_body"}`
}

const internal = `{"statusCode":500,"error":"Internal Server Error","message":"An internal server error occurred"}`

// patchAnswer runs a whole PATCH of r: check, then apply to stored, and
// returns the answer: the error's, or 200 with the document.
func patchAnswer(r Resource, stored, body string) *Answer {
	p, err := r.Patch([]byte(body))
	if err != nil {
		return r.Answer(err)
	}
	doc, _, err := p.Apply([]byte(stored), now)
	if err != nil {
		return p.Answer(err)
	}
	return &Answer{200, doc}
}

// TestAnswers checks the answer to each outcome of a PATCH, byte for
// byte (M5): each library code, malformed bodies, the schema's texts,
// a defect of the stored document and a setting out of range (500,
// never the request's fault).
func TestAnswers(t *testing.T) {
	const user = `{"user_id":"auth0|1","email":"a@example.com","user_metadata":{"theme":"dark"}}`
	const client = `{"client_id":"c1","name":"app","client_metadata":{"a":"1"}}`
	deep := strings.Repeat(`{"a":`, 101) + `1` + strings.Repeat(`}`, 101)
	eleven := `{"client_metadata":{"a":"1","b":"1","c":"1","d":"1","e":"1","f":"1","g":"1","h":"1","i":"1","j":"1","k":"1"}}`
	tests := []struct {
		name, why    string
		r            Resource
		stored, body string
		status       int
		want         string
	}{
		{"malformed", "H1: Auth0's text for a body that is not JSON, never our offset", Users{}, user, `{"user_metadata":`, 400, bad("Invalid request payload JSON format")},
		{"not an object", "H9: a body that is JSON but not an object", Users{}, user, `[]`, 400, bad("Payload validation error: 'Expected type object but found type array'")},
		{"empty body", "an empty body is not JSON", Users{}, user, ``, 400, bad("Invalid request payload JSON format")},
		{"lone surrogate", "H2: invalid_json from an escape", Users{}, user, `{"name":"\ud800"}`, 400, bad("Invalid request payload JSON format")},
		{"duplicate", "H2: duplicate_key, ours", Users{}, user, `{"name":"a","name":"b"}`, 400, bad("Payload validation error: 'Duplicate property name' on property name")},
		{"too deep", "H3: too_deep, ours", Users{}, user, `{"user_metadata":` + deep + `}`, 400, bad("Payload validation error: 'Nesting is too deep (101 levels), maximum 100' on property " + Quote("user_metadata"+strings.Repeat(".a", 99)))},
		{"dotted", "R7: Auth0's community-reported text", Users{}, user, `{"user_metadata":{"a.b":1}}`, 400, bad(`Fields with "." are not allowed, please remove all dotted fields. Example: user_metadata.foo.bar`)},
		{"dollar", "R7: invalid_key without a dot, ours", Users{}, user, `{"user_metadata":{"$a":1}}`, 400, bad("Payload validation error: 'Property name is not allowed' on property user_metadata.$a")},
		{"reserved", "R8: reserved_key, ours", Users{}, user, `{"app_metadata":{"email":"x"}}`, 400, bad("Payload validation error: 'Property name is reserved' on property app_metadata.email")},
		{"not object", "R1: Auth0's schema text", Users{}, user, `{"user_metadata":"dark"}`, 400, bad("Payload validation error: 'Expected type object but found type string' on property user_metadata")},
		{"not string", "C2: Auth0's schema text", Clients{}, client, `{"client_metadata":{"n":1}}`, 400, bad("Payload validation error: 'Expected type string but found type number' on property client_metadata.n")},
		{"value too long", "C2: Auth0's schema text", Clients{}, client, `{"client_metadata":{"n":"` + strings.Repeat("x", 256) + `"}}`, 400, bad("Payload validation error: 'String is too long (256 chars), maximum 255' on property client_metadata.n")},
		{"key too long", "C3: key_too_long, ours", Clients{}, client, `{"client_metadata":{"` + strings.Repeat("k", 256) + `":"v"}}`, 400, bad("Payload validation error: 'Property name is too long (256 chars), maximum 255' on property client_metadata." + strings.Repeat("k", 45) + "…")},
		{"client key", "C3: invalid_key in a client, ours", Clients{}, client, `{"client_metadata":{"é":"v"}}`, 400, bad("Payload validation error: 'Property name is not allowed' on property client_metadata.é")},
		{"eleven keys", "C4: Auth0's schema text", Clients{}, client, eleven, 400, bad("Payload validation error: 'Too many properties defined (11), maximum 10' on property client_metadata")},
		{"eleven after merge", "C4 counts the merged result: found at Apply, still the request's fault", Clients{}, `{"client_metadata":{"z":"1"}}`, strings.Replace(eleven, `,"k":"1"`, ``, 1), 400, bad("Payload validation error: 'Too many properties defined (11), maximum 10' on property client_metadata")},
		{"unknown member", "M1: refused whole", Users{}, user, `{"user_id":"evil","identities":null}`, 400, bad("Payload validation error: 'Additional properties not allowed: user_id'.")},
		{"order: member first", "M5: the first violation in document order, whether the schema's or a rule's", Users{}, user, `{"user_id":"evil","user_metadata":{"a.b":1}}`, 400, bad("Payload validation error: 'Additional properties not allowed: user_id'.")},
		{"order: rule first", "M5: the same, the other way round", Users{}, user, `{"user_metadata":{"a.b":1},"user_id":"evil"}`, 400, bad(`Fields with "." are not allowed, please remove all dotted fields. Example: user_metadata.foo.bar`)},
		{"order: type first", "M5: a wrong type before a metadata rule", Users{}, user, `{"blocked":1,"app_metadata":{"_id":1}}`, 400, bad("Payload validation error: 'Expected type boolean but found type number' on property blocked")},
		{"order: client", "M5: clients too", Clients{}, client, `{"tenant":"t","client_metadata":{"n":1}}`, 400, bad("Payload validation error: 'Additional properties not allowed: tenant'.")},
		{"order: syntax first", "H9: a body that does not parse is refused before any member", Users{}, user, `{"user_id":"evil","a":1,"a":2}`, 400, bad("Payload validation error: 'Duplicate property name' on property a")},
		{"identities", "M1, M3: identities are the server's", Users{}, user, `{"identities":null}`, 400, bad("Payload validation error: 'Additional properties not allowed: identities'.")},
		{"wrong type", "M1: a typed member", Users{}, user, `{"blocked":"yes"}`, 400, bad("Payload validation error: 'Expected type boolean but found type string' on property blocked")},
		{"bad email", "M1: format email", Users{}, user, `{"email":"nope"}`, 400, bad("Payload validation error: 'Object didn't pass validation for format email: nope' on property email")},
		{"short password", "M1: minLength", Users{}, user, `{"password":""}`, 400, bad("Payload validation error: 'String is too short (0 chars), minimum 1' on property password")},
		{"client id", "M1, M3: client_id is the server's", Clients{}, client, `{"client_id":"x"}`, 400, bad("Payload validation error: 'Additional properties not allowed: client_id'.")},
		{"corrupt stored", "M5: a defect of the stored profile is a 500", Users{}, `{"user_id":"auth0|1","x":` + deep + `}`, `{"name":"n"}`, 500, internal},
		{"stored not JSON", "M5: a stored row that is not JSON is a 500", Users{}, `{"user_id":`, `{"name":"n"}`, 500, internal},
		{"stored user duplicate", "M5: a stored profile with a duplicate name is a 500", Users{}, `{"a":1,"a":2}`, `{"name":"n"}`, 500, internal},
		{"stored duplicate", "M5: a stored client with a duplicate name is a 500", Clients{}, `{"a":1,"a":2}`, `{"name":"n"}`, 500, internal},
		{"setting out of range", "M5: a setting out of range is a 500 of every request", Users{Rules: metamerge.UserRules{Limits: metamerge.Limits{MaxDepth: 10_001}}}, user, `{"name":"n"}`, 500, internal},
		{"client setting", "M5: the same for clients", Clients{Rules: metamerge.ClientRules{Limits: metamerge.Limits{MaxErrors: -1}}}, client, `{"name":"n"}`, 500, internal},
		{"merged", "the merge itself: 200 and the document, no password", Users{}, user, `{"user_metadata":{"lang":"fr"},"password":"hunter2"}`, 200, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := patchAnswer(tc.r, tc.stored, tc.body)
			if a.Status != tc.status {
				t.Fatalf("%s: status %d, want %d (%s)", tc.why, a.Status, tc.status, a.Body)
			}
			if tc.want != "" && string(a.Body) != tc.want {
				t.Errorf("%s:\n got %s\nwant %s", tc.why, a.Body, tc.want)
			}
			if strings.Contains(string(a.Body), "hunter2") {
				t.Errorf("%s: the password is in the answer: %s", tc.why, a.Body)
			}
		})
	}
}

// TestMessageEveryCode checks that every code of the library has a text,
// Auth0's where it is known, and says which.
func TestMessageEveryCode(t *testing.T) {
	tests := []struct {
		e     metamerge.Error
		want  string
		auth0 bool
	}{
		{metamerge.Error{Code: metamerge.CodeInvalidJSON, Offset: 3}, "Invalid request payload JSON format", true},
		{metamerge.Error{Code: metamerge.CodeDuplicateKey, Pointer: "/a"}, "Payload validation error: 'Duplicate property name' on property a", false},
		{metamerge.Error{Code: metamerge.CodeTooDeep, Pointer: "/a", Limit: 100, Actual: 101}, "Payload validation error: 'Nesting is too deep (101 levels), maximum 100' on property a", false},
		{metamerge.Error{Code: metamerge.CodeTooLarge, Limit: 10, Actual: 11, Offset: -1}, "Payload validation error: 'Object is too large (11 bytes), maximum 10'.", false},
		{metamerge.Error{Code: metamerge.CodeNotObject, Pointer: "/user_metadata", Found: "null"}, "Payload validation error: 'Expected type object but found type null' on property user_metadata", true},
		{metamerge.Error{Code: metamerge.CodeNotString, Pointer: "/client_metadata/a", Found: "number"}, "Payload validation error: 'Expected type string but found type number' on property client_metadata.a", true},
		{metamerge.Error{Code: metamerge.CodeInvalidKey, Pointer: "/user_metadata/a.b"}, `Fields with "." are not allowed, please remove all dotted fields. Example: user_metadata.foo.bar`, true},
		{metamerge.Error{Code: metamerge.CodeInvalidKey, Pointer: "/user_metadata/$a"}, "Payload validation error: 'Property name is not allowed' on property user_metadata.$a", false},
		{metamerge.Error{Code: metamerge.CodeReservedKey, Pointer: "/app_metadata/_id"}, "Payload validation error: 'Property name is reserved' on property app_metadata._id", false},
		{metamerge.Error{Code: metamerge.CodeTooManyKeys, Pointer: "/client_metadata", Limit: 10, Actual: 11}, "Payload validation error: 'Too many properties defined (11), maximum 10' on property client_metadata", true},
		{metamerge.Error{Code: metamerge.CodeKeyTooLong, Pointer: "/client_metadata/k", Limit: 255, Actual: 256}, "Payload validation error: 'Property name is too long (256 chars), maximum 255' on property client_metadata.k", false},
		{metamerge.Error{Code: metamerge.CodeValueTooLong, Pointer: "/client_metadata/k", Limit: 255, Actual: 256}, "Payload validation error: 'String is too long (256 chars), maximum 255' on property client_metadata.k", true},
		{metamerge.Error{Code: metamerge.CodeTooManyErrors, Offset: -1, Limit: 100, Actual: 150}, "Payload validation error: 'Too many errors (150), maximum 100'.", false},
		{metamerge.Error{Code: metamerge.CodeUnreachable, Pointer: "/x"}, "Payload validation error: 'No request gives this document' on property x", false},
	}
	seen := map[metamerge.Code]bool{}
	for _, tc := range tests {
		seen[tc.e.Code] = true
		got, auth0 := Message(&tc.e)
		if got != tc.want || auth0 != tc.auth0 {
			t.Errorf("%s %s: got %q, %v; want %q, %v", tc.e.Code, tc.e.Pointer, got, auth0, tc.want, tc.auth0)
		}
		if a := Violation(&tc.e); a.Status != 400 {
			t.Errorf("%s: Violation status %d", tc.e.Code, a.Status)
		}
		stored := tc.e
		stored.Stored = true
		if a := Violation(&stored); string(a.Body) != internal {
			t.Errorf("%s in the stored document: %s, want 500", tc.e.Code, a.Body)
		}
	}
	if len(seen) != 13 {
		t.Errorf("%d codes covered; the library has 13", len(seen))
	}
}

// TestAnswerErrors checks the answers to the store's errors and to
// errors of no request: each resource's 404 and conflict, and 500 for an
// error that is none of them.
func TestAnswerErrors(t *testing.T) {
	p, err := Users{}.Patch([]byte(`{"email":"b@example.com"}`))
	if err != nil {
		t.Fatal(err)
	}
	pu, _ := Users{}.Patch([]byte(`{"username":"bob"}`))
	both, _ := Users{}.Patch([]byte(`{"email":"b@example.com","username":"bob"}`))
	for _, tc := range []struct {
		name string
		a    *Answer
		want string
	}{
		{"no user", Users{}.Answer(fmt.Errorf("read: %w", ErrNotFound)), `{"statusCode":404,"error":"Not Found","message":"The user does not exist.","errorCode":"inexistent_user"}`},
		{"no client", Clients{}.Answer(ErrNotFound), `{"statusCode":404,"error":"Not Found","message":"The client does not exist","errorCode":"inexistent_client"}`},
		{"user exists", Users{}.Answer(ErrTaken), `{"statusCode":409,"error":"Conflict","message":"The user already exists.","errorCode":"auth0_idp_error"}`},
		{"email taken", p.Answer(ErrTaken), `{"statusCode":400,"error":"Bad Request","message":"The specified new email already exists","errorCode":"auth0_idp_error"}`},
		{"username taken", pu.Answer(ErrTaken), `{"statusCode":400,"error":"Bad Request","message":"The specified new username already exists","errorCode":"auth0_idp_error"}`},
		{"both, username taken", both.Answer(fmt.Errorf("write: %w", &TakenError{"username:2:db" + "bob"})), `{"statusCode":400,"error":"Bad Request","message":"The specified new username already exists","errorCode":"auth0_idp_error"}`},
		{"both, email taken", both.Answer(&TakenError{"email:2:dbb@example.com"}), `{"statusCode":400,"error":"Bad Request","message":"The specified new email already exists","errorCode":"auth0_idp_error"}`},
		{"user exists, named", Users{}.Answer(&TakenError{"email:2:dbb@example.com"}), `{"statusCode":409,"error":"Conflict","message":"The user already exists.","errorCode":"auth0_idp_error"}`},
		{"contention", p.Answer(ErrContention), `{"statusCode":409,"error":"Conflict","message":"The document changed too often while it was updated; try again","errorCode":"conflict"}`},
		{"store failure", p.Answer(errors.New("disk full")), internal},
	} {
		if string(tc.a.Body) != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, tc.a.Body, tc.want)
		}
	}
}

// TestAppendString checks the fast path of appendString against
// encoding/json without HTML escaping, on every byte and a few strings.
func TestAppendString(t *testing.T) {
	inputs := []string{"", "plain", `q"uote`, `back\slash`, "<&>", "tab\t", "é", "\u2028", "\xff", "del\x7f"}
	for b := 0; b < 256; b++ {
		inputs = append(inputs, string([]byte{byte(b)}))
	}
	for _, s := range inputs {
		var sb strings.Builder
		enc := json.NewEncoder(&sb)
		enc.SetEscapeHTML(false)
		enc.Encode(s)
		if got, want := string(jsonenc.AppendString(nil, s)), strings.TrimSuffix(sb.String(), "\n"); got != want {
			t.Errorf("%q: got %s, want %s", s, got, want)
		}
	}
}
