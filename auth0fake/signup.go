package auth0fake

import (
	"errors"
	"net/http"
	"time"

	"github.com/metamerge/metamerge"
	"github.com/metamerge/metamerge/mgmt"
	"github.com/tidwall/gjson"
)

// signupMembers are the members of POST /dbconnections/signup that make
// the user, each with the type POST /api/v2/users gives it; others, and
// client_id, are ignored. password and connection are required, and an
// identifier: email, or username or phone_number, as a connection with
// flexible identifiers takes them (recorded).
var signupMembers = []string{"email", "password", "connection", "username", "given_name",
	"family_name", "name", "nickname", "picture", "phone_number", "user_metadata"}

// signupEcho are the members the signup answer repeats when given.
var signupEcho = []string{"given_name", "family_name", "name", "nickname", "picture", "user_metadata"}

// parseOnly checks that a document is strict JSON (H1–H3) and an object,
// and nothing else.
var parseOnly = metamerge.FieldRules{Policy: metamerge.Policy{Names: metamerge.NamesAny}}

// signupError is an answer of the Authentication API's signup endpoint:
//
//	{"name":"BadRequestError","code":"invalid_signup","description":"…","statusCode":400}
func signupError(code, description string) *mgmt.Answer {
	b := append([]byte(`{"name":"BadRequestError","code":`), jsonString(code)...)
	b = append(append(b, `,"description":`...), boundedString(description, maxMessage)...)
	return &mgmt.Answer{Status: http.StatusBadRequest, Body: append(b, `,"statusCode":400}`...)}
}

// signup serves POST /dbconnections/signup, Auth0's Authentication API
// endpoint that creates a database user: no token; the members checked as
// POST /api/v2/users checks them (mgmt.Users.Create), user_metadata by
// metamerge.ValidateSignup (S1–S3); errors in that API's shape; 200 and
// {"_id","email","email_verified":false,…} on success. The user is then
// in the Management API like any other.
func (s *Server) signup(w http.ResponseWriter, r *http.Request) {
	body, a := mgmt.ReadBody(w, r, s.maxBody)
	if a != nil {
		if a.Status == http.StatusRequestEntityTooLarge {
			a.Write(w)
			return
		}
		signupError("invalid_body", message(a)).Write(w)
		return
	}
	if err := parseOnly.Validate(body); err != nil {
		if errs := metamerge.Errors(err); len(errs) > 0 && !errs[0].Stored {
			text, _ := mgmt.Message(errs[0])
			signupError("invalid_body", text).Write(w)
			return
		}
		s.fail(w, r, errInternal(), err)
		return
	}
	// The members kept, in order; first without user_metadata and with a
	// connection, so that Create reports only the types of the others,
	// the first in document order.
	var user, probe []byte
	var metadata string // the raw user_metadata
	given := map[string]bool{}
	gjson.ParseBytes(body).ForEach(func(k, v gjson.Result) bool {
		name := k.String()
		if !contains(signupMembers, name) {
			return true
		}
		given[name] = true
		user = appendMember(user, name, v.Raw)
		if name == "user_metadata" {
			metadata = v.Raw
		} else {
			probe = appendMember(probe, name, v.Raw)
		}
		return true
	})
	for _, name := range []string{"connection", "password"} { // their absence is reported below
		if !given[name] {
			probe = appendMember(probe, name, `"-"`)
		}
	}
	users := mgmt.Users{}
	if _, _, err := users.Create(append(probe, '}'), s.clock.read()); err != nil { // a check: no step
		s.failSignup(w, r, "invalid_body", err)
		return
	}
	for _, name := range []string{"email", "password", "connection"} {
		if name == "email" && (given["username"] || given["phone_number"]) {
			continue // another identifier (see signupAnswer)
		}
		if !given[name] {
			signupError("invalid_body", "Payload validation error: 'Missing required property: "+name+"'.").Write(w)
			return
		}
	}
	if given["user_metadata"] {
		if errs := metamerge.Errors(metamerge.ValidateSignup([]byte(metadata))); len(errs) > 0 {
			signupError("invalid_signup", signupText(errs[0])).Write(w)
			return
		}
	}
	var doc []byte
	var created, err error
	s.clock.write(func(now time.Time) bool {
		var id string
		if doc, id, created = users.Create(append(user, '}'), now); created == nil {
			err = s.users.insert(id, doc)
		}
		return created == nil && err == nil
	})
	if created != nil {
		s.failSignup(w, r, "invalid_signup", created)
		return
	}
	if errors.Is(err, mgmt.ErrTaken) {
		signupError("invalid_signup", "Invalid sign up").Write(w)
		return
	} else if err != nil {
		s.fail(w, r, errInternal(), err)
		return
	}
	writeJSON(w, http.StatusOK, signupAnswer(doc, given))
}

// failSignup answers err, an error of mgmt.Users.Create: a 400 with code
// and the Management API's message, or a 500.
func (s *Server) failSignup(w http.ResponseWriter, r *http.Request, code string, err error) {
	a := mgmt.Users{}.Answer(err)
	if a.Status != http.StatusBadRequest {
		s.fail(w, r, a, err)
		return
	}
	signupError(code, message(a)).Write(w)
}

// message returns the message of an error answer.
func message(a *mgmt.Answer) string { return gjson.GetBytes(a.Body, "message").Str }

// appendMember appends the member name: raw to obj, an object without its
// closing brace (nil: none yet).
func appendMember(obj []byte, name, raw string) []byte {
	if obj == nil {
		obj = []byte{'{'}
	} else {
		obj = append(obj, ',')
	}
	obj = append(append(obj, jsonString(name)...), ':')
	return append(obj, raw...)
}

// signupText words a user_metadata violation: Auth0's signup text where it
// is known (S3); else the Management API's text for the same violation at
// user_metadata (mgmt.Message).
func signupText(e *metamerge.Error) string {
	if m := e.Auth0Message(); m != "" {
		return m
	}
	at := *e
	at.Signup, at.Pointer = false, "/user_metadata"+e.Pointer
	text, _ := mgmt.Message(&at)
	return text
}

// signupAnswer is the body of a successful signup: the user's id without
// its "auth0|" prefix as _id, then the identifiers given, as recorded:
// the email, the username, email_verified false with an email, the
// phone_number and phone_verified false; then the profile members the
// request set.
func signupAnswer(doc []byte, given map[string]bool) []byte {
	r := gjson.GetManyBytes(doc, "identities.0.user_id", "email", "username", "phone_number")
	out := []byte(`{"_id":`)
	out = append(out, jsonString(r[0].Str)...)
	if r[1].Exists() {
		out = append(append(out, `,"email":`...), r[1].Raw...)
	}
	if r[2].Exists() {
		out = append(append(out, `,"username":`...), r[2].Raw...)
	}
	if r[1].Exists() {
		out = append(out, `,"email_verified":false`...)
	}
	if r[3].Exists() {
		out = append(append(out, `,"phone_number":`...), r[3].Raw...)
		out = append(out, `,"phone_verified":false`...)
	}
	for _, name := range signupEcho {
		if !given[name] {
			continue
		}
		if v := gjson.GetBytes(doc, name); v.Exists() {
			out = append(out, ',')
			out = append(out, jsonString(name)...)
			out = append(out, ':')
			out = append(out, v.Raw...)
		}
	}
	return append(out, '}')
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
