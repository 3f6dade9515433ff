package auth0fake

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tidwall/gjson"
)

// violating is one root member that breaks one rule of a request body,
// alone: of the endpoint's schema (M1) or of the merge rules (R, C).
type violating struct {
	name, member string // name: the root member's name; member: its JSON text
}

// TestFirstViolationInOrder checks M5's "the first violation in document
// order" for every pair of violating members of each endpoint, in both
// orders: a body of two violations is answered as the body of its first
// alone. Schema violations (unknown members, types, null, formats,
// lengths) and rule violations (names, reserved names, types in
// metadata) are mixed, so that every way a checker can put one kind
// before the other is tried.
func TestFirstViolationInOrder(t *testing.T) {
	f := newFake(t, Options{})
	user := userPath(f.createUser("jane@example.com", `"user_metadata":{"k":"v"}`))
	client := clientPath(f.createClient(`"client_metadata":{"k":"v"}`))
	long := strings.Repeat("x", 256)
	userSchema := []violating{ // of both schemas; each adds one below
		{"nick", `"nick":"x"`},
		{"blocked", `"blocked":"yes"`},
		{"email_verified", `"email_verified":null`},
		{"email", `"email":"nope"`},
		{"username", `"username":""`},
		{"identities", `"identities":[]`},
	}
	userRules := []violating{
		{"user_metadata", `"user_metadata":{"a.b":1}`},
		{"user_metadata", `"user_metadata":[]`},
		{"app_metadata", `"app_metadata":{"blocked":true}`},
		{"app_metadata", `"app_metadata":{"$a":1}`},
	}
	clientSchema := []violating{
		{"client_id", `"client_id":"mine"`},
		{"tenant", `"tenant":"t"`},
		{"callbacks", `"callbacks":"x"`},
		{"is_first_party", `"is_first_party":null`},
		{"description", `"description":1`},
	}
	clientRules := []violating{
		{"client_metadata", `"client_metadata":{"n":1}`},
		{"client_metadata", `"client_metadata":{"a.b":"v"}`},
		{"client_metadata", `"client_metadata":{"n":"` + long + `"}`},
		{"client_metadata", `"client_metadata":{"` + long + `":"v"}`},
	}
	endpoints := []struct {
		name, method, path string
		tail               string // members every body ends with (required ones)
		members            []violating
	}{
		{"PATCH user", "PATCH", user, "", append(append(userSchema, userRules...), violating{"user_id", `"user_id":"x"`})},
		{"POST user", "POST", "/api/v2/users", `,"connection":"db"`, append(append(userSchema, userRules...), violating{"created_at", `"created_at":"2020-01-01T00:00:00.000Z"`})},
		{"PATCH client", "PATCH", client, "", append(append(clientSchema, clientRules...), violating{"client_secret", `"client_secret":""`})},
		{"POST client", "POST", "/api/v2/clients", `,"name":"app"`, append(append(clientSchema, clientRules...), violating{"client_secret", `"client_secret":"s"`})},
	}
	for _, ep := range endpoints {
		alone := map[string]string{}
		for _, m := range ep.members {
			code, body := f.do(ep.method, ep.path, "{"+m.member+ep.tail+"}")
			if code != http.StatusBadRequest || !strings.Contains(body, `"errorCode":"invalid_body"`) {
				t.Fatalf("%s {%s}: %d %s, want a 400 invalid_body alone", ep.name, m.member, code, body)
			}
			alone[m.member] = body
		}
		pairs := 0
		for _, a := range ep.members {
			for _, b := range ep.members {
				if a.name == b.name {
					continue // one root member cannot be sent twice (H2)
				}
				pairs++
				body := "{" + a.member + "," + b.member + ep.tail + "}"
				if _, got := f.do(ep.method, ep.path, body); got != alone[a.member] {
					t.Errorf("%s %.120s:\n got %s\nwant %s (the first member's answer)", ep.name, body, got, alone[a.member])
				}
			}
		}
		t.Logf("%s: %d pairs", ep.name, pairs)
	}
}

// TestTakenValueNamed checks the answer to a PATCH whose email or
// username another user of the connection has, for every combination:
// each of email and username absent, free or taken, in either order.
// The answer names the value taken ("The specified new username already
// exists"), the email when both are; the profile is left as it was (M6:
// a refused PATCH changes nothing); a value taken in another connection
// is free.
func TestTakenValueNamed(t *testing.T) {
	f := newFake(t, Options{})
	jane := userPath(f.createUser("jane@example.com", `"username":"jane"`))
	f.createUser("john@example.com", `"username":"john"`)
	f.must(http.StatusCreated, "POST", "/api/v2/users", `{"password":"pw","connection":"other","email":"eve@example.com","username":"eve"}`)
	const (
		emailTaken    = `{"statusCode":400,"error":"Bad Request","message":"The specified new email already exists","errorCode":"auth0_idp_error"}`
		usernameTaken = `{"statusCode":400,"error":"Bad Request","message":"The specified new username already exists","errorCode":"auth0_idp_error"}`
	)
	fresh := 0
	value := func(kind, state string) string {
		switch state {
		case "taken":
			if kind == "email" {
				return `"JOHN@example.com"`
			}
			return `"John"`
		case "other connection":
			if kind == "email" {
				return `"eve@example.com"`
			}
			return `"eve"`
		}
		fresh++
		if kind == "email" {
			return fmt.Sprintf(`"free%d@example.com"`, fresh)
		}
		return fmt.Sprintf(`"free%d"`, fresh)
	}
	states := []string{"absent", "free", "taken", "other connection"}
	for _, es := range states {
		for _, us := range states {
			for _, emailFirst := range []bool{true, false} {
				var members []string
				if es != "absent" {
					members = append(members, `"email":`+value("email", es))
				}
				if us != "absent" {
					members = append(members, `"username":`+value("username", us))
				}
				if len(members) == 0 || !emailFirst && len(members) == 1 {
					continue
				}
				if !emailFirst {
					members[0], members[1] = members[1], members[0]
				}
				body := "{" + strings.Join(members, ",") + "}"
				before := f.must(http.StatusOK, "GET", jane, "")
				code, got := f.do("PATCH", jane, body)
				want := ""
				switch {
				case es == "taken":
					want = emailTaken
				case us == "taken":
					want = usernameTaken
				}
				if want == "" {
					if code != http.StatusOK {
						t.Errorf("email %s, username %s: PATCH %s: %d %s, want 200", es, us, body, code, got)
					}
					continue
				}
				if got != want {
					t.Errorf("email %s, username %s: PATCH %s:\n got %d %s\nwant %s", es, us, body, code, got, want)
				}
				if after := f.must(http.StatusOK, "GET", jane, ""); after != before {
					t.Errorf("PATCH %s was refused but changed the profile:\n%s\n%s", body, before, after)
				}
			}
		}
	}
}

// TestNoChangeNotWritten checks M6 and D7: a PATCH that changes nothing
// (every member equal, D2, to the stored one; names removed that are not
// there; instructions only) answers 200 with the document as stored,
// updated_at included, and is not written (the stored version stays);
// every PATCH that changes something is written and stamped.
func TestNoChangeNotWritten(t *testing.T) {
	f := newFake(t, Options{})
	created := f.fixedClock(time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC))
	id := f.createUser("jane@example.com", `"name":"Jane","user_metadata":{"theme":"dark","n":1,"prefs":{"lang":"fr"}},"app_metadata":{"plan":{"tier":"gold"}}`)
	app := f.createClient(`"client_metadata":{"a":"1"}`)
	later := f.fixedClock(time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC))
	tests := []struct {
		name, path, body string
		changes          bool
	}{
		{"empty body", userPath(id), `{}`, false},
		{"same metadata value", userPath(id), `{"user_metadata":{"theme":"dark"}}`, false},
		{"same number, other spelling", userPath(id), `{"user_metadata":{"n":1.0}}`, false},
		{"same nested object", userPath(id), `{"user_metadata":{"prefs":{"lang":"fr"}}}`, false},
		{"remove an absent key", userPath(id), `{"user_metadata":{"gone":null}}`, false},
		{"same app_metadata", userPath(id), `{"app_metadata":{"plan":{"tier":"gold"}}}`, false},
		{"same root member", userPath(id), `{"name":"Jane"}`, false},
		{"same email, other case", userPath(id), `{"email":"JANE@Example.com"}`, false},
		{"remove an absent root member", userPath(id), `{"family_name":null}`, false},
		{"instructions only", userPath(id), `{"connection":"Username-Password-Authentication","verify_email":false}`, false},
		{"same client metadata", clientPath(app), `{"client_metadata":{"a":"1"}}`, false},
		{"same client name", clientPath(app), `{"name":"app"}`, false},
		{"empty client body", clientPath(app), `{}`, false},
		{"new metadata value", userPath(id), `{"user_metadata":{"theme":"light"}}`, true},
		{"a password", userPath(id), `{"password":"n3w-passw0rd"}`, true},
		{"new client metadata", clientPath(app), `{"client_metadata":{"a":"2"}}`, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			docs, key := f.s.users, strings.TrimPrefix(tc.path, "/api/v2/users/")
			if strings.HasPrefix(tc.path, "/api/v2/clients/") {
				docs, key = f.s.clients, app
			} else {
				key = id
			}
			before := f.must(http.StatusOK, "GET", tc.path, "")
			version := docs.byID[key].version
			got := f.must(http.StatusOK, "PATCH", tc.path, tc.body)
			written := docs.byID[key].version != version
			if !tc.changes {
				if got != before {
					t.Errorf("PATCH %s changed nothing, but the answer is not the stored document:\n got %s\nwant %s", tc.body, got, before)
				}
				if written {
					t.Errorf("PATCH %s changed nothing, but was written", tc.body)
				}
				if stamp := gjson.Get(got, "updated_at").Str; stamp != "" && stamp != created {
					t.Errorf("PATCH %s changed nothing, but updated_at is %s, want %s", tc.body, stamp, created)
				}
				return
			}
			if !written || got == before {
				t.Errorf("PATCH %s changes the document, but was not written: %s", tc.body, got)
			}
			if stamp := gjson.Get(got, "updated_at"); stamp.Exists() && stamp.Str != later {
				t.Errorf("PATCH %s: updated_at %s, want %s", tc.body, stamp.Str, later)
			}
		})
	}
}
