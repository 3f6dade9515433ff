package auth0fake

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/metamerge/metamerge"
	"github.com/metamerge/metamerge/mgmt"
	"github.com/tidwall/gjson"
)

// TestClock checks Options.Now: the times a create and a PATCH set come
// from it.
func TestClock(t *testing.T) {
	at := time.Date(2030, 1, 2, 3, 4, 5, 6e6, time.UTC)
	f := newFake(t, Options{Now: func() time.Time { return at }})
	doc := f.must(http.StatusCreated, "POST", "/api/v2/users", `{"connection":"db","email":"a@example.com","password":"x"}`)
	for _, m := range []string{"created_at", "updated_at"} {
		if got := gjson.Get(doc, m).Str; got != "2030-01-02T03:04:05.006Z" {
			t.Errorf("create: %s = %q, want the clock's time", m, got)
		}
	}
	at = at.Add(time.Hour)
	doc = f.must(http.StatusOK, "PATCH", "/api/v2/users/"+gjson.Get(doc, "user_id").Str, `{"password":"y"}`)
	for m, want := range map[string]string{"created_at": "2030-01-02T03:04:05.006Z", "updated_at": "2030-01-02T04:04:05.006Z", "last_password_reset": "2030-01-02T04:04:05.006Z"} {
		if got := gjson.Get(doc, m).Str; got != want {
			t.Errorf("patch: %s = %q, want %q", m, got, want)
		}
	}
}

// TestSeedInspectReset checks PutUser, PutClient, User, Users, Client,
// Clients and Reset: a seeded document is served as given and merged
// into by a PATCH, the copies returned are the caller's, a seed that
// breaks a rule is refused with its error, and Reset empties the fake.
func TestSeedInspectReset(t *testing.T) {
	f := newFake(t, Options{})
	s := f.s
	user := `{"user_id":"auth0|seed","email":"seed@example.com","identities":[{"connection":"db","user_id":"seed","provider":"auth0","isSocial":false}],"user_metadata":{"a":{"b":1}}}`
	if err := s.PutUser([]byte(user)); err != nil {
		t.Fatal(err)
	}
	if got := f.must(http.StatusOK, "GET", "/api/v2/users/auth0%7Cseed", ""); got != user {
		t.Errorf("GET of a seeded user: %s, want it as seeded", got)
	}
	f.must(http.StatusOK, "PATCH", "/api/v2/users/auth0%7Cseed", `{"user_metadata":{"a":{"c":2}}}`)
	doc, ok := s.User("auth0|seed")
	if !ok || gjson.GetBytes(doc, "user_metadata").Raw != `{"a":{"c":2}}` {
		t.Errorf("User after a PATCH: %s %v", doc, ok)
	}
	doc[0] = 'X' // a copy: the store is not changed
	if again, _ := s.User("auth0|seed"); again[0] != '{' {
		t.Error("User returned the stored bytes, not a copy")
	}
	if err := s.PutUser([]byte(`{"user_id":"auth0|seed","email":"new@example.com","identities":[{"connection":"db"}]}`)); err != nil {
		t.Fatal(err)
	}
	if users := s.Users(); len(users) != 1 || gjson.GetBytes(users[0], "email").Str != "new@example.com" {
		t.Errorf("PutUser of an existing id replaces it: %q", users)
	}
	if err := s.PutUser([]byte(`{"user_id":"auth0|other","email":"new@example.com","identities":[{"connection":"db"}]}`)); !errors.Is(err, mgmt.ErrTaken) {
		t.Errorf("a taken email: %v, want mgmt.ErrTaken", err)
	}
	for _, c := range []struct{ name, doc string }{
		{"no id", `{"email":"x@example.com"}`},
		{"id not a string", `{"user_id":1}`},
		{"empty id", `{"user_id":""}`},
		{"not an object", `["auth0|x"]`},
	} {
		if err := s.PutUser([]byte(c.doc)); !errors.Is(err, ErrNoID) {
			t.Errorf("%s: %v, want ErrNoID", c.name, err)
		}
	}
	var le *metamerge.Error
	if err := s.PutUser([]byte(`{"user_id":"a","user_id":"b"}`)); !errors.As(err, &le) || le.Code != metamerge.CodeDuplicateKey {
		t.Errorf("duplicate names: %v, want %s", err, metamerge.CodeDuplicateKey)
	}
	client := `{"client_id":"seeded","name":"Seeded","client_metadata":{"k":"v"}}`
	if err := s.PutClient([]byte(client)); err != nil {
		t.Fatal(err)
	}
	if got, ok := s.Client("seeded"); !ok || string(got) != client {
		t.Errorf("Client: %s %v", got, ok)
	}
	if cs := s.Clients(); len(cs) != 1 {
		t.Errorf("Clients: %q", cs)
	}
	if err := s.Reset(); err != nil {
		t.Fatal(err)
	}
	if len(s.Users()) != 0 || len(s.Clients()) != 0 {
		t.Errorf("after Reset: %q %q", s.Users(), s.Clients())
	}
	if _, ok := s.User("auth0|seed"); ok {
		t.Error("User finds a user after Reset")
	}
	f.must(http.StatusNotFound, "GET", "/api/v2/clients/seeded", "")
	// the email is free again
	if err := s.PutUser([]byte(`{"user_id":"auth0|other","email":"new@example.com","identities":[{"connection":"db"}]}`)); err != nil {
		t.Errorf("after Reset the email is free: %v", err)
	}
}

// TestSeedPersists checks that a seed and a Reset reach DataDir.
func TestSeedPersists(t *testing.T) {
	dir := t.TempDir()
	s, err := New(Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.PutClient([]byte(`{"client_id":"c1","name":"x"}`)); err != nil {
		t.Fatal(err)
	}
	if err := s.PutClient([]byte(`{"client_id":"c2","name":"y"}`)); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = New(Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if cs := s.Clients(); len(cs) != 2 {
		t.Fatalf("after a restart: %q", cs)
	}
	if err := s.Reset(); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = New(Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if cs := s.Clients(); len(cs) != 0 {
		t.Errorf("Reset did not reach the disk: %q", cs)
	}
}
