package main

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

const stored = `{"user_id":"auth0|42","user_metadata":{"theme":"dark"}}`

func newMux(s *store) *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("PATCH /api/v2/users/{id}", s.patchUser)
	return mux
}

type failingBody struct{}

func (failingBody) Read([]byte) (int, error) { return 0, errors.New("connection reset") }

// TestHandler checks the example's answers byte for byte against what
// Auth0's endpoint does (M1, M2, M5): members the server owns are refused,
// a password is never stored nor echoed, Auth0's envelope and texts, a
// corrupt stored profile is the server's fault, a broken body is not a 413.
func TestHandler(t *testing.T) {
	bad := func(msg string) string {
		return `{"statusCode":400,"error":"Bad Request","message":"` + msg + `","errorCode":"invalid_body"}`
	}
	tests := []struct {
		name, why string
		stored    string
		body      io.Reader
		status    int
		want      string
		after     string // the stored profile afterwards
	}{
		{"rename", "M1: user_id and identities are the server's; MergeUser alone replaces them (R10)",
			stored, strings.NewReader(`{"user_id":"evil","identities":null}`), 400, bad("Payload validation error: 'Additional properties not allowed: user_id'."), stored},
		{"password", "M2: a password is an instruction, never stored nor echoed",
			stored, strings.NewReader(`{"password":"hunter2"}`), 200, "", ""},
		{"malformed", "M5: Auth0's text for a body that is not JSON",
			stored, strings.NewReader(`{"user_metadata":{`), 400, bad("Invalid request payload JSON format"), stored},
		{"violation", "M5: the first violation, in Auth0's envelope and member order, nothing more",
			stored, strings.NewReader(`{"user_metadata":{"n":"x"},"app_metadata":"dark"}`), 400, bad("Payload validation error: 'Expected type object but found type string' on property app_metadata"), stored},
		{"corrupt stored", "M5: a stored profile the library cannot read is a 500, never the client's fault",
			`{"user_id":"auth0|42","a":1,"a":2}`, strings.NewReader(`{"name":"n"}`), 500, `{"statusCode":500,"error":"Internal Server Error","message":"An internal server error occurred"}`, ""},
		{"broken body", "a body that cannot be read is a 400, not a 413",
			stored, failingBody{}, 400, `{"statusCode":400,"error":"Bad Request","message":"Invalid request payload input"}`, stored},
		{"too large", "M5: 413 with Auth0's text",
			stored, strings.NewReader(`{"name":"` + strings.Repeat("x", 1<<20) + `"}`), 413, `{"statusCode":413,"error":"Request Entity Too Large","message":"Payload content length greater than maximum allowed: 1048576"}`, stored},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := &store{profiles: map[string][]byte{"auth0|42": []byte(tc.stored)}}
			rec := httptest.NewRecorder()
			newMux(s).ServeHTTP(rec, httptest.NewRequest("PATCH", "/api/v2/users/auth0|42", tc.body))
			got := strings.TrimSuffix(rec.Body.String(), "\n")
			if rec.Code != tc.status || tc.want != "" && got != tc.want {
				t.Errorf("%s:\n got %d %s\nwant %d %s", tc.why, rec.Code, got, tc.status, tc.want)
			}
			if strings.Contains(got, "hunter2") || strings.Contains(string(s.profiles["auth0|42"]), "hunter2") {
				t.Errorf("%s: password echoed or stored: %s / %s", tc.why, got, s.profiles["auth0|42"])
			}
			if tc.after != "" && string(s.profiles["auth0|42"]) != tc.after {
				t.Errorf("%s: stored profile now %s", tc.why, s.profiles["auth0|42"])
			}
		})
	}
	rec := httptest.NewRecorder()
	newMux(&store{profiles: map[string][]byte{}}).ServeHTTP(rec, httptest.NewRequest("PATCH", "/api/v2/users/nobody", strings.NewReader(`{}`)))
	if want := `{"statusCode":404,"error":"Not Found","message":"The user does not exist.","errorCode":"inexistent_user"}`; rec.Code != 404 || rec.Body.String() != want {
		t.Errorf("missing user: %d %s", rec.Code, rec.Body)
	}
}

// TestHandlerConcurrent sends 200 PATCHes of one profile at once, each
// with its own key: all 200 are kept (M6).
func TestHandlerConcurrent(t *testing.T) {
	s := &store{profiles: map[string][]byte{"auth0|42": []byte(stored)}}
	mux := newMux(s)
	var wg sync.WaitGroup
	for i := range 200 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rec := httptest.NewRecorder()
			mux.ServeHTTP(rec, httptest.NewRequest("PATCH", "/api/v2/users/auth0|42", strings.NewReader(fmt.Sprintf(`{"user_metadata":{"k%d":1}}`, i))))
			if rec.Code != 200 {
				t.Errorf("%d %s", rec.Code, rec.Body)
			}
		}()
	}
	wg.Wait()
	for i := range 200 {
		if !strings.Contains(string(s.profiles["auth0|42"]), fmt.Sprintf(`"k%d":1`, i)) {
			t.Fatalf("k%d lost: %s", i, s.profiles["auth0|42"])
		}
	}
}
