// Command handler shows the PATCH /api/v2/users/{id} handler of a Go
// service that stores profiles and answers as Auth0's endpoint does, on
// package mgmt: the request schema (user_id, identities and other server
// members refused), a password never stored, Auth0's error envelope, 500
// for a corrupt stored profile, and a compare-and-swap update that loses
// no concurrent write. It serves a few requests through net/http/httptest
// and prints the answers.
package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"

	"github.com/metamerge/metamerge/mgmt"
)

// patchUser serves PATCH /api/v2/users/{id}: the whole handler, errors
// included.
func (s *store) patchUser(w http.ResponseWriter, r *http.Request) {
	users := mgmt.Users{}
	body, a := mgmt.ReadBody(w, r, 0) // 413 over 1 MiB
	if a != nil {
		a.Write(w)
		return
	}
	p, err := users.Patch(body) // the schema, the merge rules, instructions set apart
	if err != nil {
		users.Answer(err).Write(w)
		return
	}
	doc, err := mgmt.Update(r.Context(), mgmt.Retry{}, s, r.PathValue("id"), func(stored []byte) ([]byte, bool, error) {
		return p.Apply(stored, time.Now()) // merge, stamp updated_at
	})
	if err != nil {
		p.Answer(err).Write(w) // 400, 404, or 500 for a corrupt stored profile
		return
	}
	(&mgmt.Answer{Status: http.StatusOK, Body: doc}).Write(w)
}

// store is the service's profile store, in memory here. It is an
// mgmt.Store whose version is the profile's bytes: a write succeeds only
// if the profile is still the one read. The lock guards the map, never a
// whole PATCH.
type store struct {
	mu       sync.Mutex
	profiles map[string][]byte
}

func (s *store) Read(_ context.Context, id string) ([]byte, []byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	doc, ok := s.profiles[id]
	if !ok {
		return nil, nil, mgmt.ErrNotFound
	}
	return doc, doc, nil
}

func (s *store) Write(_ context.Context, id string, doc, version []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !bytes.Equal(s.profiles[id], version) {
		return mgmt.ErrConflict
	}
	s.profiles[id] = doc
	return nil
}

func main() {
	s := &store{profiles: map[string][]byte{"auth0|42": []byte(`{"user_id":"auth0|42","user_metadata":{"theme":"dark"}}`)}}
	mux := http.NewServeMux()
	mux.HandleFunc("PATCH /api/v2/users/{id}", s.patchUser)
	server := httptest.NewServer(mux)
	defer server.Close()

	for _, body := range []string{
		`{"user_metadata":{"prefs":{"lang":"fr"}},"app_metadata":{"plan":"pro"},"password":"correct horse"}`,
		`{"user_metadata":{"prefs.lang":"fr"},"app_metadata":{"email":"x"}}`,
		`{"user_id":"evil","identities":null}`,
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
