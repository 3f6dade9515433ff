package auth0fake_test

import (
	"fmt"
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
