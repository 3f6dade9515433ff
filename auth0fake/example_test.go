package auth0fake_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/metamerge/metamerge/auth0fake"
	"github.com/tidwall/gjson"
)

// A test mounts the fake with httptest and talks to it as to Auth0: here a
// user is created, a PATCH adds a nested key, and the profile is read
// back with both addresses.
func Example() {
	srv, err := auth0fake.New(auth0fake.Options{Token: "secret"})
	if err != nil {
		panic(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()

	call := func(method, path, body string) string {
		req, _ := http.NewRequest(method, ts.URL+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer secret")
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			panic(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		fmt.Println(method, resp.StatusCode)
		return string(b)
	}

	user := call("POST", "/api/v2/users", `{"connection":"Username-Password-Authentication",
		"email":"ada@example.com","password":"correct horse",
		"user_metadata":{"addresses":{"home":"12 Main St"}}}`)
	id := gjson.Get(user, "user_id").Str

	call("PATCH", "/api/v2/users/"+id, `{"user_metadata":{"addresses":{"home":"12 Main St","work":"1 Loop"}}}`)
	fmt.Println(gjson.Get(call("GET", "/api/v2/users/"+id, ""), "user_metadata").Raw)

	fmt.Println(call("PATCH", "/api/v2/users/"+id, `{"user_metadata":{"prefs.lang":"fr"}}`))
	// Output:
	// POST 201
	// PATCH 200
	// GET 200
	// {"addresses":{"home":"12 Main St","work":"1 Loop"}}
	// PATCH 400
	// {"statusCode":400,"error":"Bad Request","message":"Fields with \".\" are not allowed, please remove all dotted fields. Example: user_metadata.foo.bar","errorCode":"invalid_body"}
}
