// Command profile replays a short history of PATCH requests against one
// stored user profile, as an identity proxy or an Auth0 fake would: each
// request either replaces the stored profile with the merged one or is
// refused with the violations an API would report as a 400.
package main

import (
	"fmt"
	"os"

	"github.com/metamerge/metamerge"
)

func main() {
	profile := []byte(`{"user_id":"auth0|42","email":"ada@example.com","logins_count":7}`)
	requests := []string{
		`{"user_metadata":{"theme":"dark","prefs":{"lang":"en","tz":"UTC"}}}`,
		`{"user_metadata":{"prefs":{"lang":"fr"},"beta":true},"app_metadata":{"plan":"pro"}}`,
		`{"user_metadata":{"beta":null},"name":"Ada"}`,
		`{"app_metadata":{"email":"x","roles.admin":true}}`,
		`{"app_metadata":{}}`,
		`{"user_metadata":{"a":1,"a":2}}`,
	}
	fmt.Printf("stored:  %s\n", profile)
	for i, body := range requests {
		fmt.Printf("\nPATCH %d: %s\n", i+1, body)
		merged, err := metamerge.MergeUser(profile, []byte(body))
		if err != nil {
			report(err)
			continue
		}
		profile = merged
		fmt.Printf("stored:  %s\n", profile)
	}
}

// report prints every violation as an API would list them.
func report(err error) {
	errs := metamerge.Errors(err)
	if len(errs) == 0 { // not a violation: a bug of ours
		fmt.Fprintln(os.Stderr, "unexpected error:", err)
		os.Exit(1)
	}
	for _, e := range errs {
		fmt.Printf("400:     %s at %q\n", e.Code, e.Pointer)
	}
}
