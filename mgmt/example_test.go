package mgmt_test

import (
	"fmt"
	"time"

	"github.com/metamerge/metamerge/mgmt"
)

// A PATCH body is checked before the stored profile is read, then applied
// to it: the password is an instruction, never stored; a body naming
// user_id is refused whole, in Auth0's words.
func Example() {
	users := mgmt.Users{}
	stored := []byte(`{"user_id":"auth0|42","user_metadata":{"theme":"dark"}}`)
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	for _, body := range []string{
		`{"user_metadata":{"lang":"fr"},"password":"correct horse"}`,
		`{"user_id":"evil","identities":null}`,
		`{"user_metadata":{"theme":"dark"}}`,
	} {
		p, err := users.Patch([]byte(body))
		if err != nil {
			a := users.Answer(err)
			fmt.Println(a.Status, string(a.Body))
			continue
		}
		doc, changed, err := p.Apply(stored, now)
		if err != nil {
			a := p.Answer(err)
			fmt.Println(a.Status, string(a.Body))
			continue
		}
		fmt.Println(changed, string(doc))
	}
	// Output:
	// true {"user_id":"auth0|42","user_metadata":{"theme":"dark","lang":"fr"},"updated_at":"2026-12-02T12:00:00.000Z","last_password_reset":"2026-12-02T12:00:00.000Z"}
	// 400 {"statusCode":400,"error":"Bad Request","message":"Payload validation error: 'Additional properties not allowed: user_id'.","errorCode":"invalid_body"}
	// false {"user_id":"auth0|42","user_metadata":{"theme":"dark"}}
}
