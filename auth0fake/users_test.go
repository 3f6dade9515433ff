package auth0fake

import (
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/tidwall/gjson"
)

// TestCreateUser checks the members Auth0 sets on a new user, against the
// shape of recorded answers.
func TestCreateUser(t *testing.T) {
	f := newFake(t, Options{})
	ts := f.fixedClock(time.Date(2026, 11, 23, 12, 34, 56, 789e6, time.UTC))
	doc := f.must(http.StatusCreated, "POST", "/api/v2/users",
		`{"connection":"Username-Password-Authentication","email":"Chuck@Example.com","password":"secret","verify_email":false,`+
			`"user_metadata":{"favourite_attack":"roundhouse_kick"},"app_metadata":{"facts":["count_to_infinity_twice"]}}`)
	if ts != "2026-11-23T12:34:56.789Z" {
		t.Fatalf("stamp: %s", ts)
	}
	r := gjson.Parse(doc)
	hex := r.Get("identities.0.user_id").Str
	if !regexp.MustCompile(`^[0-9a-f]{24}$`).MatchString(hex) {
		t.Errorf("identity user_id %q: want 24 hex digits", hex)
	}
	want := `{"created_at":"2026-11-23T12:34:56.789Z","email":"chuck@example.com","email_verified":false,` +
		`"identities":[{"connection":"Username-Password-Authentication","user_id":"` + hex + `","provider":"auth0","isSocial":false}],` +
		`"name":"chuck@example.com","nickname":"chuck",` +
		`"picture":"https://s.gravatar.com/avatar/0b79e7da7bc7877560620cf8f2cc93ae?s=480&r=pg&d=https%3A%2F%2Fcdn.auth0.com%2Favatars%2Fch.png",` +
		`"updated_at":"2026-11-23T12:34:56.789Z","user_id":"auth0|` + hex + `",` +
		`"user_metadata":{"favourite_attack":"roundhouse_kick"},"app_metadata":{"facts":["count_to_infinity_twice"]}}`
	if doc != want {
		t.Errorf("created user (password and verify_email are never stored; app_metadata comes last, as Auth0 sends it):\n got %s\nwant %s", doc, want)
	}
	if got := f.must(http.StatusOK, "GET", userPath("auth0|"+hex), ""); got != doc {
		t.Errorf("read back differs from the answer to create:\n%s\n%s", got, doc)
	}

	// A custom user_id, given profile members and no email.
	doc = f.must(http.StatusCreated, "POST", "/api/v2/users",
		`{"password":"pw","connection":"legacy","user_id":"abc-123","username":"sam","name":"Sam","email_verified":true,"blocked":false}`)
	r = gjson.Parse(doc)
	for path, want := range map[string]string{
		"user_id": "auth0|abc-123", "identities.0.user_id": "abc-123", "identities.0.connection": "legacy",
		"name": "Sam", "nickname": "sam", "username": "sam", "email_verified": "true", "blocked": "false", "picture": "",
	} {
		if got := r.Get(path).String(); got != want {
			t.Errorf("custom user: %s = %q, want %q", path, got, want)
		}
	}
	f.must(http.StatusConflict, "POST", "/api/v2/users", `{"password":"pw","connection":"legacy","user_id":"abc-123"}`)
}

// TestPatchUserMetadata replays the story of the issue: a PATCH that adds
// a nested key keeps the rest, null deletes, {} clears user_metadata and
// removes app_metadata (R3, R5, R6, R10).
func TestPatchUserMetadata(t *testing.T) {
	f := newFake(t, Options{})
	id := f.createUser("ada@example.com", `"user_metadata":{"theme":"dark","addresses":{"home":"A"}},"app_metadata":{"plan":"pro","trial":true}`)
	steps := []struct {
		name, why, patch string
		user, app        string // the metadata after the step; "" for absent
	}{
		{"add a nested key", "R3: the whole addresses object is sent and replaces the stored one",
			`{"user_metadata":{"addresses":{"home":"A","work":"B"}}}`,
			`{"theme":"dark","addresses":{"home":"A","work":"B"}}`, `{"plan":"pro","trial":true}`},
		{"delete with null", "R3: null removes a key; R5: the others stay",
			`{"user_metadata":{"theme":null},"app_metadata":{"trial":null}}`,
			`{"addresses":{"home":"A","work":"B"}}`, `{"plan":"pro"}`},
		{"other members", "R10: a root member replaces; user_metadata is untouched",
			`{"name":"Ada L.","nickname":"ada"}`,
			`{"addresses":{"home":"A","work":"B"}}`, `{"plan":"pro"}`},
		{"clear user_metadata", "R6: {} clears user_metadata",
			`{"user_metadata":{}}`, `{}`, `{"plan":"pro"}`},
		{"remove app_metadata", "R6: {} removes app_metadata from the profile",
			`{"app_metadata":{}}`, `{}`, ``},
	}
	for _, st := range steps {
		doc := f.must(http.StatusOK, "PATCH", userPath(id), st.patch)
		got := f.must(http.StatusOK, "GET", userPath(id), "")
		if got != doc {
			t.Errorf("%s: read back differs from the PATCH answer", st.name)
		}
		r := gjson.Parse(got)
		if um := r.Get("user_metadata").Raw; um != st.user {
			t.Errorf("%s (%s): user_metadata %s, want %s", st.name, st.why, um, st.user)
		}
		if am := r.Get("app_metadata").Raw; am != st.app {
			t.Errorf("%s (%s): app_metadata %q, want %q", st.name, st.why, am, st.app)
		}
	}
	if got := gjson.Get(f.must(http.StatusOK, "GET", userPath(id), ""), "name").Str; got != "Ada L." {
		t.Errorf("name %q", got)
	}
}

// TestPatchUserManagedMembers checks what a PATCH changes besides the
// merge: updated_at, email in lower case and unverified, a password's
// last_password_reset, and the members that are never stored.
func TestPatchUserManagedMembers(t *testing.T) {
	f := newFake(t, Options{})
	created := f.fixedClock(time.Date(2026, 1, 2, 3, 4, 5, 6e6, time.UTC))
	id := f.createUser("old@example.com", `"email_verified":true`)
	later := f.fixedClock(time.Date(2026, 2, 3, 4, 5, 6, 7e6, time.UTC))

	doc := gjson.Parse(f.must(http.StatusOK, "PATCH", userPath(id),
		`{"email":"New@Example.com","password":"n3w","connection":"Username-Password-Authentication","verify_email":false,"client_id":"x"}`))
	for path, want := range map[string]string{
		"created_at": created, "updated_at": later, "last_password_reset": later,
		"email": "new@example.com", "email_verified": "false",
		"password": "", "connection": "", "verify_email": "", "client_id": "",
	} {
		if got := doc.Get(path).String(); got != want {
			t.Errorf("%s = %q, want %q", path, got, want)
		}
	}
	// email_verified given with a new email is kept.
	doc = gjson.Parse(f.must(http.StatusOK, "PATCH", userPath(id), `{"email":"newer@example.com","email_verified":true}`))
	if doc.Get("email_verified").Raw != "true" {
		t.Errorf("email_verified given with the email: %s", doc.Get("email_verified").Raw)
	}
	// The old address is free again, the new one taken.
	f.createUser("old@example.com", "")
	f.must(http.StatusConflict, "POST", "/api/v2/users", `{"password":"pw","connection":"Username-Password-Authentication","email":"NEWER@example.com"}`)
	// null removes an optional member (R10).
	doc = gjson.Parse(f.must(http.StatusOK, "PATCH", userPath(id), `{"nickname":null}`))
	if doc.Get("nickname").Exists() {
		t.Errorf("nickname after null: %s", doc.Get("nickname").Raw)
	}
}

// TestDeleteUser checks that a deleted user is gone, and that Auth0's 204
// answers a second delete too (recorded).
func TestDeleteUser(t *testing.T) {
	f := newFake(t, Options{})
	id := f.createUser("gone@example.com", "")
	for i := 0; i < 2; i++ {
		if code, body := f.do("DELETE", userPath(id), ""); code != http.StatusNoContent || body != "" {
			t.Errorf("delete %d: %d %q", i, code, body)
		}
	}
	f.must(http.StatusNotFound, "GET", userPath(id), "")
	f.createUser("gone@example.com", "") // the email is free again
}

// TestGetUserFields checks fields and include_fields on one user.
func TestGetUserFields(t *testing.T) {
	f := newFake(t, Options{})
	id := f.createUser("f@example.com", `"user_metadata":{"a":1}`)
	tests := []struct{ name, why, query, want string }{
		{"include", "only the fields named, in the document's order",
			"?fields=user_metadata,email", `{"email":"f@example.com","user_metadata":{"a":1}}`},
		{"include explicit", "include_fields=true is the default",
			"?fields=email&include_fields=true", `{"email":"f@example.com"}`},
		{"unknown field", "a field the user does not have is left out",
			"?fields=email,nope,,", `{"email":"f@example.com"}`},
		{"gjson syntax", "names are compared, never read as paths",
			"?fields=" + escape("*,#,@this,user_metadata.a,email|name"), `{}`},
	}
	for _, tc := range tests {
		if got := f.must(http.StatusOK, "GET", userPath(id)+tc.query, ""); got != tc.want {
			t.Errorf("%s (%s): %s, want %s", tc.name, tc.why, got, tc.want)
		}
	}
	got := gjson.Parse(f.must(http.StatusOK, "GET", userPath(id)+"?fields=identities,user_metadata,picture&include_fields=false", ""))
	if got.Get("identities").Exists() || got.Get("user_metadata").Exists() || got.Get("picture").Exists() || got.Get("email").Str != "f@example.com" {
		t.Errorf("include_fields=false keeps the others only: %s", got.Raw)
	}
}

// TestUsersByEmail checks GET /api/v2/users-by-email (M7): a bare array of
// the users with the email, in any case and any connection, and a 400
// without email.
func TestUsersByEmail(t *testing.T) {
	f := newFake(t, Options{})
	f.createUser("ann@example.com", "")
	f.must(http.StatusCreated, "POST", "/api/v2/users", `{"password":"pw","connection":"other","email":"ann@example.com"}`)
	f.createUser("bob@example.com", "")
	body := f.must(http.StatusOK, "GET", "/api/v2/users-by-email?email=ANN%40Example.com", "")
	got := gjson.Parse(body)
	if !got.IsArray() || len(got.Array()) != 2 || got.Get("#.email").Raw != `["ann@example.com","ann@example.com"]` {
		t.Errorf("users-by-email: %s", body)
	}
	if body := f.must(http.StatusOK, "GET", "/api/v2/users-by-email?email=nobody%40example.com", ""); body != "[]" {
		t.Errorf("no such email: %s, want []", body)
	}
	if body := f.must(http.StatusOK, "GET", "/api/v2/users-by-email?email=bob%40example.com&fields=email", ""); body != `[{"email":"bob@example.com"}]` {
		t.Errorf("fields: %s", body)
	}
	code, body := f.do("GET", "/api/v2/users-by-email", "")
	if code != http.StatusBadRequest || gjson.Get(body, "errorCode").Str != "invalid_query_string" ||
		gjson.Get(body, "message").Str != "Query validation error: 'Missing required property: email'." {
		t.Errorf("without email: %d %s", code, body)
	}
}

// TestSignupIdentifiers checks the identifiers signup takes, with the
// answers Auth0 gave in recorded signups: an email, a username or a phone
// number, each echoed (email_verified and phone_verified false); a
// password and connection always; none of the three is a 400 naming
// email, before the missing password.
func TestSignupIdentifiers(t *testing.T) {
	f := newFake(t, Options{})
	const base = `"password":"pw","connection":"Username-Password-Authentication"`
	for _, c := range []struct{ name, body, want string }{
		{"username", `{"username":"u1",` + base + `}`, `{"username":"u1"}`},
		{"phone", `{"phone_number":"+12345678900",` + base + `}`, `{"phone_number":"+12345678900","phone_verified":false}`},
		{"username and phone", `{"username":"u2","phone_number":"+12345678901",` + base + `}`, `{"username":"u2","phone_number":"+12345678901","phone_verified":false}`},
		{"all three", `{"email":"u3@example.com","username":"u3","phone_number":"+12345678902",` + base + `}`,
			`{"email":"u3@example.com","username":"u3","email_verified":false,"phone_number":"+12345678902","phone_verified":false}`},
	} {
		got := f.must(http.StatusOK, "POST", "/dbconnections/signup", c.body)
		id := gjson.Get(got, "_id").Str
		if want := `{"_id":"` + id + `",` + c.want[1:]; got != want || len(id) != 24 {
			t.Errorf("%s: got %s\nwant %s", c.name, got, want)
		}
	}
	code, body := f.do("POST", "/dbconnections/signup", `{"connection":"db"}`)
	if code != 400 || body != `{"name":"BadRequestError","code":"invalid_body","description":"Payload validation error: 'Missing required property: email'.","statusCode":400}` {
		t.Errorf("no identifier: %d %s", code, body)
	}
}
