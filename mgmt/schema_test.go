package mgmt

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var now = time.Date(2026, 12, 2, 4, 5, 6, 789e6, time.UTC)

// userPatchMembers is rule M1's list for PATCH /api/v2/users/{id}, copied
// from the contract (management-api.md), and the JSON type of each, from
// Auth0's UpdateUserRequestContent ("?" marks those that may be null).
var userPatchMembers = map[string]string{
	"blocked": "boolean", "email_verified": "boolean", "email": "string?", "phone_number": "string?",
	"phone_verified": "boolean", "user_metadata": "object", "app_metadata": "object",
	"given_name": "string?", "family_name": "string?", "name": "string?", "nickname": "string?",
	"picture": "string?", "verify_email": "boolean", "verify_phone_number": "boolean",
	"password": "string?", "connection": "string", "client_id": "string", "username": "string?",
}

// userCreateMembers is the list of POST /api/v2/users, from Auth0's
// CreateUserRequestContent, with the types.
var userCreateMembers = map[string]string{
	"connection": "string", "email": "string", "phone_number": "string", "user_metadata": "object",
	"app_metadata": "object", "blocked": "boolean", "email_verified": "boolean",
	"phone_verified": "boolean", "verify_email": "boolean", "given_name": "string",
	"family_name": "string", "name": "string", "nickname": "string", "picture": "string",
	"user_id": "string", "password": "string", "username": "string",
}

// serverOwned are the members the server sets (M3) and members Auth0
// returns but no request sets: no schema may accept them.
var serverOwned = map[string][]string{
	"users":   {"user_id", "identities", "created_at", "updated_at", "last_login", "logins_count", "last_password_reset", "last_ip", "multifactor", "tenant"},
	"clients": {"client_id", "tenant", "global", "signing_keys", "callback_url_template", "owners"},
}

func keys(m map[string]prop) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestSchemaMembers checks that the user schemas list exactly the
// contract's members (M1), and that no schema accepts a member the server
// owns (M3), so that no request can rename a user or replace its
// identities.
func TestSchemaMembers(t *testing.T) {
	for name, c := range map[string]struct {
		sc   *schema
		want map[string]string
	}{"PATCH users": {userPatch, userPatchMembers}, "POST users": {userCreate, userCreateMembers}} {
		var want []string
		for k := range c.want {
			want = append(want, k)
		}
		sort.Strings(want)
		if d := cmp.Diff(want, keys(c.sc.props)); d != "" {
			t.Errorf("%s: members (-contract +schema):\n%s", name, d)
		}
	}
	for _, c := range []struct {
		name, kind string
		r          Resource
		create     bool
	}{{"POST users", "users", Users{}, true}, {"PATCH users", "users", Users{}, false}, {"POST clients", "clients", Clients{}, true}, {"PATCH clients", "clients", Clients{}, false}} {
		for _, m := range serverOwned[c.kind] {
			body := fmt.Sprintf(`{"connection":"db","%s":"x"}`, m)
			if c.create && c.kind == "clients" {
				body = fmt.Sprintf(`{"name":"n","%s":"x"}`, m)
			} else if !c.create {
				body = fmt.Sprintf(`{"%s":"x"}`, m)
			}
			a := tryBody(c.r, c.create, body)
			want := `{"statusCode":400,"error":"Bad Request","message":"Payload validation error: 'Additional properties not allowed: ` + m + `'.","errorCode":"invalid_body"}`
			if c.create && c.kind == "users" && m == "user_id" {
				continue // POST users takes user_id: it becomes "auth0|<user_id>" (M3)
			}
			if a == nil || string(a.Body) != want {
				t.Errorf("%s %s: got %v, want %s", c.name, m, a, want)
			}
		}
	}
}

// tryBody runs body through r's create or patch check and returns the
// answer of its error, or nil.
func tryBody(r Resource, create bool, body string) *Answer {
	var err error
	if create {
		_, _, err = r.Create([]byte(body), now)
	} else {
		_, err = r.Patch([]byte(body))
	}
	if err == nil {
		return nil
	}
	return r.Answer(err)
}

// TestSchemaTypes sends every member of the user schemas with a value of
// every JSON type and checks the answer against the contract's type of
// the member: accepted, or refused with the validator's "Expected type"
// text naming the property. Generated from the lists above, it covers
// every member and every type.
func TestSchemaTypes(t *testing.T) {
	values := map[string]string{"string": `"s"`, "boolean": `true`, "number": `1`, "array": `[]`, "object": `{}`, "null": `null`}
	for _, c := range []struct {
		name   string
		list   map[string]string
		create bool
	}{{"PATCH", userPatchMembers, false}, {"POST", userCreateMembers, true}} {
		for member, typ := range c.list {
			want, nullable := strings.CutSuffix(typ, "?")
			for found, v := range values {
				if found == "string" && member == "email" {
					v = `"a@example.com"`
				}
				body := `{"` + member + `":` + v + `}`
				switch {
				case c.create && member == "password":
					body = `{"connection":"db","` + member + `":` + v + `}`
				case c.create && member != "connection":
					body = `{"connection":"db","password":"pw","` + member + `":` + v + `}`
				case c.create:
					body = `{"password":"pw","` + member + `":` + v + `}`
				}
				got := tryBody(Users{}, c.create, body)
				ok := found == want || found == "null" && nullable
				switch {
				case ok && got != nil:
					t.Errorf("%s %s: refused: %s", c.name, body, got.Body)
				case !ok:
					msg := "Payload validation error: 'Expected type " + want + " but found type " + found + "' on property " + member
					if got == nil || got.Status != 400 || got.message() != msg {
						t.Errorf("%s %s: got %v, want 400 %q", c.name, body, got, msg)
					}
				}
			}
		}
	}
}
