package auth0fake

import (
	"errors"
	"net/http"

	"github.com/metamerge/metamerge"
	"github.com/tidwall/gjson"
)

// signupFields are the members of POST /dbconnections/signup the fake
// reads; others are ignored. email, password and connection are required.
var signupFields = map[string]prop{
	"client_id":     {kind: stringKind},
	"email":         {kind: stringKind, email: true},
	"password":      {kind: stringKind, minLen: 1},
	"connection":    {kind: stringKind, minLen: 1},
	"username":      {kind: stringKind, minLen: 1},
	"given_name":    {kind: stringKind},
	"family_name":   {kind: stringKind},
	"name":          {kind: stringKind},
	"nickname":      {kind: stringKind},
	"picture":       {kind: stringKind},
	"phone_number":  {kind: stringKind},
	"user_metadata": {kind: anyKind}, // checked by metamerge.ValidateSignup
}

// signupEcho are the members the signup answer repeats when given.
var signupEcho = []string{"given_name", "family_name", "name", "nickname", "picture", "user_metadata"}

// parseOnly checks that a document is strict JSON (H1–H3) and an object,
// and nothing else.
var parseOnly = metamerge.FieldRules{Policy: metamerge.Policy{Names: metamerge.NamesAny}}

// signup serves POST /dbconnections/signup, Auth0's Authentication API
// endpoint that creates a database user: no token; user_metadata checked
// by metamerge.ValidateSignup (S1–S3); errors in that API's shape; 200
// and {"_id","email","email_verified":false,…} on success. The user is
// then in the Management API like any other.
func (s *Server) signup(w http.ResponseWriter, r *http.Request) {
	body, ae := s.readBody(w, r)
	if ae != nil {
		if ae.status == http.StatusRequestEntityTooLarge {
			ae.write(w)
			return
		}
		(&signupError{"invalid_body", ae.message}).write(w)
		return
	}
	if err := parseOnly.Validate(body); err != nil {
		if v := violation(err); v != nil {
			(&signupError{"invalid_body", v.message}).write(w)
			return
		}
		s.fail(w, r, err, errNoUser, errUserExists)
		return
	}
	var members []member
	var failure *apiError
	gjson.ParseBytes(body).ForEach(func(k, v gjson.Result) bool {
		p, ok := signupFields[k.Str]
		if !ok || k.Str == "client_id" {
			return true
		}
		if failure = p.check(k.Str, v); failure != nil {
			return false
		}
		members = append(members, member{k.Str, v})
		return true
	})
	for _, name := range []string{"email", "password", "connection"} {
		if failure == nil && find(members, name) == nil {
			failure = payloadError("Missing required property: "+name, "")
		}
	}
	if failure != nil {
		(&signupError{"invalid_body", failure.message}).write(w)
		return
	}
	if md := find(members, "user_metadata"); md != nil {
		if errs := metamerge.Errors(metamerge.ValidateSignup([]byte(md.Raw))); len(errs) > 0 {
			(&signupError{"invalid_signup", signupText(errs[0])}).write(w)
			return
		}
	}
	doc, err := s.newUser(members)
	if err == nil {
		err = s.users.insert(gjson.GetBytes(doc, "user_id").Str, doc, userKeys(doc))
	}
	if errors.Is(err, errConflict) {
		(&signupError{"invalid_signup", "Invalid sign up"}).write(w)
		return
	}
	if err != nil {
		s.fail(w, r, err, errNoUser, errUserExists)
		return
	}
	writeJSON(w, http.StatusOK, signupAnswer(doc, members))
}

// signupText words a user_metadata violation: Auth0's signup text where it
// is known (S3); else the Management API's text for the same violation at
// user_metadata, or this package's (see innerText).
func signupText(e *metamerge.Error) string {
	if m := e.Auth0Message(); m != "" {
		return m
	}
	at := *e
	at.Signup, at.Pointer = false, "/user_metadata"+e.Pointer
	if m := at.Auth0Message(); m != "" {
		return m
	}
	if e.Code == metamerge.CodeInvalidJSON {
		return errBadJSON.message
	}
	return validationText("Payload", innerText(&at), dotted(at.Pointer))
}

// signupAnswer is the body of a successful signup: the user's id without
// its "auth0|" prefix as _id, the email, the username if any,
// email_verified, and the profile members the request set.
func signupAnswer(doc []byte, members []member) []byte {
	r := gjson.GetManyBytes(doc, "identities.0.user_id", "email", "username")
	out := []byte(`{"_id":`)
	out = append(out, jsonString(r[0].Str)...)
	out = append(out, `,"email":`...)
	out = append(out, r[1].Raw...)
	if r[2].Exists() {
		out = append(out, `,"username":`...)
		out = append(out, r[2].Raw...)
	}
	out = append(out, `,"email_verified":false`...)
	for _, name := range signupEcho {
		if find(members, name) == nil {
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
