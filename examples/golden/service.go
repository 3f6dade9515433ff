package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"

	"github.com/metamerge/metamerge"
)

// service is a small user service, the code under test: PATCH
// /api/v2/users/{id} merges the body into the stored profile and answers
// the merged profile, or a 400 in Auth0's envelope naming the first
// violation. It wants a bearer token.
type service struct {
	token    string
	mux      *http.ServeMux
	mu       sync.Mutex
	profiles map[string][]byte
}

// newService returns a service with no profiles that wants token.
func newService(token string) *service {
	s := &service{token: token, mux: http.NewServeMux(), profiles: map[string][]byte{}}
	s.mux.HandleFunc("PATCH /api/v2/users/{id}", s.patchUser)
	return s
}

// seed stores a profile under its user_id, as a golden file's stored
// document reaches the service (metamergetest.Server's Seed).
func (s *service) seed(kind string, profile []byte) error {
	var p struct {
		UserID string `json:"user_id"`
	}
	if err := json.Unmarshal(profile, &p); err != nil || kind != "user" || p.UserID == "" {
		return fmt.Errorf("a %s without a user_id: %v", kind, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.profiles[p.UserID] = profile
	return nil
}

func (s *service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") != "Bearer "+s.token {
		answer(w, http.StatusUnauthorized, "Unauthorized", "Missing authentication", "")
		return
	}
	s.mux.ServeHTTP(w, r)
}

// patchUser merges the request body into the stored profile.
func (s *service) patchUser(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
	if err != nil {
		answer(w, http.StatusRequestEntityTooLarge, "Request Entity Too Large", "Payload content length greater than maximum allowed: 1048576", "")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id := r.PathValue("id")
	stored, ok := s.profiles[id]
	if !ok {
		answer(w, http.StatusNotFound, "Not Found", "The user does not exist.", "inexistent_user")
		return
	}
	merged, err := metamerge.MergeUser(stored, body)
	if errs := metamerge.Errors(err); len(errs) > 0 {
		answer(w, http.StatusBadRequest, "Bad Request", fmt.Sprintf("Payload validation error: %s at %q", errs[0].Code, errs[0].Pointer), "invalid_body")
		return
	}
	if err != nil {
		answer(w, http.StatusInternalServerError, "Internal Server Error", "the stored profile cannot be read", "")
		return
	}
	s.profiles[id] = merged
	w.Header().Set("Content-Type", "application/json")
	w.Write(merged)
}

// answer writes Auth0's error envelope.
func answer(w http.ResponseWriter, status int, title, message, code string) {
	b, _ := json.Marshal(struct {
		StatusCode int    `json:"statusCode"`
		Error      string `json:"error"`
		Message    string `json:"message"`
		ErrorCode  string `json:"errorCode,omitempty"`
	}{status, title, message, code})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(b)
}
