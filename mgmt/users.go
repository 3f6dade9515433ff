package mgmt

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/metamerge/metamerge"
	"github.com/metamerge/metamerge/internal/jsonenc"
	"github.com/tidwall/gjson"
)

// Users is the users endpoints of the Management API: POST
// /api/v2/users and PATCH /api/v2/users/{id}. The zero value merges with
// Auth0's rules; Rules changes them (a setting out of range is a 500 of
// every request, never a weaker rule).
type Users struct {
	Rules metamerge.UserRules // the merge rules; the zero value is Auth0's
}

// The answers of the users endpoints that are not violations.
func answerNoUser() *Answer {
	return Envelope(http.StatusNotFound, "The user does not exist.", "inexistent_user")
}
func answerUserExists() *Answer {
	return Envelope(http.StatusConflict, "The user already exists.", "auth0_idp_error")
}
func answerEmailTaken() *Answer {
	return Envelope(http.StatusBadRequest, "The specified new email already exists", "auth0_idp_error")
}
func answerUsernameTaken() *Answer {
	return Envelope(http.StatusBadRequest, "The specified new username already exists", "auth0_idp_error")
}

// Answer returns the answer to err (M5): 400 for a violation of the
// request, 404 inexistent_user for ErrNotFound, 409 for ErrTaken (the user
// already exists), 500 for a defect of a stored profile, a setting out of
// range, or any other error.
func (u Users) Answer(err error) *Answer {
	return answer(err, answerNoUser, func(error) *Answer { return answerUserExists() })
}

// Unique returns the values no two users may share: the email and the
// username, each within the user's connection, in lower case; each value
// begins with "email:" or "username:".
func (Users) Unique(doc []byte) []string {
	r := gjson.GetManyBytes(doc, "identities.0.connection", "email", "username")
	var keys []string
	// The connection's length comes first, so that no connection and
	// value can spell the key of another pair.
	conn := strconv.Itoa(len(r[0].Str)) + ":" + r[0].Str
	if r[1].Type == gjson.String {
		keys = append(keys, "email:"+conn+strings.ToLower(r[1].Str))
	}
	if r[2].Type == gjson.String {
		keys = append(keys, "username:"+conn+strings.ToLower(r[2].Str))
	}
	return keys
}

// check checks body with the library's rules (H1–H10, R1–R9), then with
// the schema sc (M1).
func (u Users) check(body []byte, sc *schema) (members, error) {
	return checkBody(u.Rules.Check, body, sc)
}

// passwordless are the names of Auth0's passwordless connections, whose
// users have no password; every other connection is taken for a database
// connection, whose users need one ("mandatory only for auth0 connection
// strategy", Auth0's API documentation).
var passwordless = []string{"email", "sms"}

// Create returns the profile POST /api/v2/users creates from body (M4):
// the members the server sets (M3: user_id "auth0|" and 24 hex digits or
// the user_id given, identities, created_at, updated_at, email_verified
// false, and name, nickname and picture where not given), then the
// request's profile members merged in by the rules, metadata included (R6
// holds: user_metadata {} is stored, app_metadata {} is not). connection,
// password, verify_email are instructions (M2), never stored. password is
// required but on the passwordless connections "email" and "sms" (the
// 400's wording is ours, in the schema's style: Auth0's is not recorded).
func (u Users) Create(body []byte, now time.Time) ([]byte, string, error) {
	ms, err := u.check(body, userCreate)
	if err != nil {
		return nil, "", err
	}
	connection := ms.find("connection").Str
	if ms.find("password") == nil && !contains(passwordless, connection) {
		return nil, "", payloadError("Missing required property: password", "")
	}
	ts := stamp(now)
	local := objectID(now)
	if v := ms.find("user_id"); v != nil {
		local = v.Str
	}
	var email, username string
	if v := ms.find("email"); v != nil {
		email = strings.ToLower(v.Str)
	}
	if v := ms.find("username"); v != nil {
		username = v.Str
	}
	name, nickname := firstOf(email, username, local), firstOf(localPart(email), username, local)
	id := "auth0|" + local

	b := []byte(`{"created_at":`)
	b = jsonenc.AppendString(b, ts)
	if email != "" {
		b = jsonenc.AppendString(append(b, `,"email":`...), email)
	}
	b = append(b, `,"email_verified":false,"identities":[{"connection":`...)
	b = jsonenc.AppendString(b, connection)
	b = append(b, `,"user_id":`...)
	b = jsonenc.AppendString(b, local)
	b = append(b, `,"provider":"auth0","isSocial":false}],"name":`...)
	b = jsonenc.AppendString(b, name)
	b = jsonenc.AppendString(append(b, `,"nickname":`...), nickname)
	if email != "" {
		b = jsonenc.AppendString(append(b, `,"picture":`...), gravatar(email, nickname))
	}
	b = jsonenc.AppendString(append(b, `,"updated_at":`...), ts)
	b = jsonenc.AppendString(append(b, `,"user_id":`...), id)
	b = append(b, '}')
	doc, err := u.Rules.Merge(b, ms.rebuild(userCreate.instructions))
	if err != nil {
		return nil, "", err
	}
	return doc, id, nil
}

// Patch checks body, a PATCH /api/v2/users/{id} (M1, M2): the rules of
// the library, then the schema, which refuses user_id, identities,
// created_at and every member Auth0's API does not list. password,
// connection, verify_email, verify_phone_number and client_id are
// instructions and never stored; a new email is stored in lower case.
//
// Applied, the patch stamps updated_at when it changes something (M3),
// last_password_reset when it sets a password, and email_verified false
// when it changes the email without setting email_verified.
func (u Users) Patch(body []byte) (*Patch, error) {
	ms, err := u.check(body, userPatch)
	if err != nil {
		return nil, err
	}
	email := ms.find("email")
	if email != nil && email.Type == gjson.String {
		email.Raw = string(jsonenc.AppendString(nil, strings.ToLower(email.Str)))
	}
	verified := ms.find("email_verified") != nil
	password := ms.find("password")
	p := &Patch{
		patch:    ms.rebuild(userPatch.instructions),
		merge:    u.Rules.MergeReport,
		password: password != nil && password.Type == gjson.String,
		notFound: answerNoUser,
		taken: func(err error) *Answer {
			username := email == nil // the store did not say which: the email if sent
			if te := (*TakenError)(nil); errors.As(err, &te) {
				username = strings.HasPrefix(te.Value, "username:")
			}
			if username {
				return answerUsernameTaken()
			}
			return answerEmailTaken()
		},
	}
	p.stamps = func(stored, merged []byte, now time.Time) []byte {
		ts := string(jsonenc.AppendString(nil, stamp(now)))
		s := []byte(`{"updated_at":` + ts)
		if email != nil && !verified && gjson.GetBytes(stored, "email").Str != gjson.GetBytes(merged, "email").Str {
			s = append(s, `,"email_verified":false`...)
		}
		if p.password {
			s = append(s, `,"last_password_reset":`+ts...)
		}
		return append(s, '}')
	}
	return p, nil
}
