package auth0fake

import (
	"sync"
	"testing"
)

// TestSeedRacesRemove covers the class of a seed whose id is removed
// between its read and its write: every seeder (PutUser, PutClient, POST
// /_fake/users, POST /_fake/clients) against every remover (DELETE of
// the id, POST /_fake/reset, Server.Reset), in memory and on disk. The
// seed stores its document, as a create, and is answered 200 (nil),
// never ErrNotFound or a 500.
func TestSeedRacesRemove(t *testing.T) {
	type seeder struct {
		name, kind string
		seed       func(f *fake, doc string) (int, string)
	}
	seeders := []seeder{
		{"PutUser", "users", func(f *fake, doc string) (int, string) { return goSeed(f.s.PutUser(bytesOf(doc))) }},
		{"PutClient", "clients", func(f *fake, doc string) (int, string) { return goSeed(f.s.PutClient(bytesOf(doc))) }},
		{"POST /_fake/users", "users", func(f *fake, doc string) (int, string) { return f.do("POST", "/_fake/users", doc) }},
		{"POST /_fake/clients", "clients", func(f *fake, doc string) (int, string) { return f.do("POST", "/_fake/clients", doc) }},
	}
	removers := []struct {
		name   string
		remove func(f *fake, kind string)
	}{
		{"DELETE", func(f *fake, kind string) { f.must(204, "DELETE", "/api/v2/"+kind+"/x", "") }},
		{"POST /_fake/reset", func(f *fake, kind string) { f.must(200, "POST", "/_fake/reset", "") }},
		{"Reset", func(f *fake, kind string) {
			if err := f.s.Reset(); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, disk := range []bool{false, true} {
		for _, sd := range seeders {
			for _, rm := range removers {
				opts := Options{Control: true}
				if disk {
					opts.DataDir = t.TempDir()
				}
				f := newFake(t, opts)
				idm := map[string]string{"users": "user_id", "clients": "client_id"}[sd.kind]
				first, second := `{"`+idm+`":"x","n":1}`, `{"`+idm+`":"x","n":2}`
				if code, body := sd.seed(f, first); code != 200 {
					t.Fatalf("%s: first seed %d %s", sd.name, code, body)
				}
				c := map[string]*collection{"users": f.s.users, "clients": f.s.clients}[sd.kind]
				removed := false
				c.onPut = func() {
					if !removed {
						removed = true
						rm.remove(f, sd.kind)
					}
				}
				code, body := sd.seed(f, second)
				c.onPut = nil
				if !removed {
					t.Fatalf("%s: the hook did not run", sd.name)
				}
				if code != 200 {
					t.Errorf("disk %v: %s racing %s: %d %s, want 200", disk, sd.name, rm.name, code, body)
					continue
				}
				if got := f.must(200, "GET", "/_fake/"+sd.kind+"/x", ""); got != second {
					t.Errorf("disk %v: %s racing %s: stored %s, want %s", disk, sd.name, rm.name, got, second)
				}
			}
		}
	}
}

// goSeed turns the error of PutUser or PutClient into the status of the
// control API, with the error as the body.
func goSeed(err error) (int, string) {
	if err != nil {
		return 500, err.Error()
	}
	return 200, ""
}

func bytesOf(s string) []byte { return []byte(s) }

// TestSeedRacesRemoveConcurrently runs the race for real, over HTTP: two
// goroutines seed the same id while one deletes it and one resets the
// fake. Every seed is a 200, every delete a 204, every reset a 200.
func TestSeedRacesRemoveConcurrently(t *testing.T) {
	f := newFake(t, Options{Control: true})
	n := 400
	if testing.Short() {
		n = 100
	}
	var wg sync.WaitGroup
	for _, r := range []struct {
		method, path, body string
		status             int
	}{
		{"POST", "/_fake/users", `{"user_id":"x","email":"x@example.com","identities":[{"connection":"db"}]}`, 200},
		{"POST", "/_fake/users", `{"user_id":"x","email":"x@example.com","identities":[{"connection":"db"}],"n":2}`, 200},
		{"DELETE", "/api/v2/users/x", "", 204},
		{"POST", "/_fake/reset", "", 200},
	} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range n {
				if code, body := f.do(r.method, r.path, r.body); code != r.status {
					t.Errorf("%s %s: %d %s, want %d", r.method, r.path, code, body, r.status)
					return
				}
			}
		}()
	}
	wg.Wait()
}
