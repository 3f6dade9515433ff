// Command handler shows the PATCH /api/v2/users/{id} handler of a Go
// service that stores profiles and answers as Auth0 does: the merged
// profile, or a 400 in Auth0's shape with every violation. It serves a few
// requests through net/http/httptest and prints the answers.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"

	"github.com/metamerge/metamerge"
)

// store is the service's profile store, in memory here.
type store struct {
	mu       sync.Mutex
	profiles map[string][]byte
}

// patchUser merges the request body into the stored profile.
func (s *store) patchUser(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
	if err != nil {
		http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	stored, ok := s.profiles[r.PathValue("id")]
	if !ok {
		http.Error(w, "no such user", http.StatusNotFound)
		return
	}
	merged, err := metamerge.MergeUser(stored, body)
	if errs := metamerge.Errors(err); len(errs) > 0 {
		msg := errs[0].Auth0Message()
		if msg == "" { // a violation whose Auth0 wording is not known
			msg = errs[0].Error()
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false) // pointers can be long: keep "<" one byte
		_ = enc.Encode(map[string]any{
			"statusCode": 400, "error": "Bad Request", "errorCode": "invalid_body", "message": msg, "errors": errs,
		})
		return
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	s.profiles[r.PathValue("id")] = merged
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(merged)
}

func main() {
	s := &store{profiles: map[string][]byte{"auth0|42": []byte(`{"user_id":"auth0|42","user_metadata":{"theme":"dark"}}`)}}
	mux := http.NewServeMux()
	mux.HandleFunc("PATCH /api/v2/users/{id}", s.patchUser)
	server := httptest.NewServer(mux)
	defer server.Close()

	for _, body := range []string{
		`{"user_metadata":{"prefs":{"lang":"fr"}},"app_metadata":{"plan":"pro"}}`,
		`{"user_metadata":{"prefs.lang":"fr"},"app_metadata":{"email":"x"}}`,
		`{"user_metadata":"dark"}`,
	} {
		req, _ := http.NewRequest(http.MethodPatch, server.URL+"/api/v2/users/auth0|42", strings.NewReader(body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			panic(err)
		}
		answer, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Printf("PATCH %s\n%d %s\n", body, resp.StatusCode, answer)
	}
}
