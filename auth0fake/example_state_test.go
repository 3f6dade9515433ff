package auth0fake_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/metamerge/metamerge/auth0fake"
)

// A test seeds a user without HTTP, lets the code under test change it,
// and inspects what is stored; the clock makes updated_at predictable.
func ExampleServer_PutUser() {
	clock := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	srv, err := auth0fake.New(auth0fake.Options{Token: "secret", Now: func() time.Time { return clock }})
	if err != nil {
		panic(err)
	}
	if err := srv.PutUser([]byte(`{"user_id":"auth0|ada","email":"ada@example.com","identities":[{"connection":"db","user_id":"ada","provider":"auth0","isSocial":false}],"user_metadata":{"theme":"dark"}}`)); err != nil {
		panic(err)
	}
	// the code under test, here a plain request
	req := httptest.NewRequest("PATCH", "/api/v2/users/auth0%7Cada", strings.NewReader(`{"user_metadata":{"lang":"fr"}}`))
	req.Header.Set("Authorization", "Bearer secret")
	srv.ServeHTTP(httptest.NewRecorder(), req)

	doc, _ := srv.User("auth0|ada")
	fmt.Println(string(doc))
	// Output: {"user_id":"auth0|ada","email":"ada@example.com","identities":[{"connection":"db","user_id":"ada","provider":"auth0","isSocial":false}],"user_metadata":{"theme":"dark","lang":"fr"},"updated_at":"2030-01-02T03:04:05.000Z"}
}

// A test of a client's retries: the next two reads of a user are answered
// with Auth0's rate limit, the third is served.
func ExampleServer_InjectFault() {
	srv, err := auth0fake.New(auth0fake.Options{Token: "secret"})
	if err != nil {
		panic(err)
	}
	err = srv.InjectFault(auth0fake.Fault{Method: "GET", Path: "/api/v2/users/", Times: 2, Status: http.StatusTooManyRequests, RetryAfter: time.Second})
	if err != nil {
		panic(err)
	}
	for range 3 {
		req := httptest.NewRequest("GET", "/api/v2/users/auth0%7Cnobody", nil)
		req.Header.Set("Authorization", "Bearer secret")
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, req)
		fmt.Println(w.Code, w.Header().Get("Retry-After"))
	}
	// Output:
	// 429 1
	// 429 1
	// 404
}

// A test suite in another language drives the fake over HTTP with the
// control API: it seeds a user, fixes the clock, lets the code under test
// change the user, and reads back what is stored; a reset empties the
// fake for the next test.
func ExampleOptions_control() {
	srv, err := auth0fake.New(auth0fake.Options{Token: "secret", Control: true})
	if err != nil {
		panic(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	send := func(method, path, body string) {
		req, _ := http.NewRequest(method, ts.URL+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer secret")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			panic(err)
		}
		defer resp.Body.Close()
		answer, _ := io.ReadAll(resp.Body)
		fmt.Println(method, path, resp.StatusCode, string(answer))
	}
	send("POST", "/_fake/users", `{"user_id":"auth0|ada","user_metadata":{"theme":"dark"}}`)
	send("PUT", "/_fake/clock", `{"time":"2030-01-02T03:04:05Z","step":"1s"}`)
	send("PATCH", "/api/v2/users/auth0%7Cada", `{"user_metadata":{"lang":"fr"}}`) // the code under test
	send("GET", "/_fake/users/auth0%7Cada", "")
	send("POST", "/_fake/faults", `{"method":"GET","path":"/api/v2/users/","times":1,"status":429,"retry_after":"1s"}`)
	send("POST", "/_fake/reset", "")
	send("GET", "/_fake/users", "")
	// Output:
	// POST /_fake/users 200 {"user_id":"auth0|ada","user_metadata":{"theme":"dark"}}
	// PUT /_fake/clock 200 {"fixed":true,"time":"2030-01-02T03:04:05Z","step":"1s"}
	// PATCH /api/v2/users/auth0%7Cada 200 {"user_id":"auth0|ada","user_metadata":{"theme":"dark","lang":"fr"},"updated_at":"2030-01-02T03:04:05.000Z"}
	// GET /_fake/users/auth0%7Cada 200 {"user_id":"auth0|ada","user_metadata":{"theme":"dark","lang":"fr"},"updated_at":"2030-01-02T03:04:05.000Z"}
	// POST /_fake/faults 201 {"method":"GET","path":"/api/v2/users/","times":1,"status":429,"retry_after":"1s","delay":"0s"}
	// POST /_fake/reset 200 {}
	// GET /_fake/users 200 []
}
