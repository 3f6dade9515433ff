package auth0fake

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRestart changes users and clients on a server with a data
// directory, starts a second server on the same directory, and finds
// every document as it was, in the same order.
func TestRestart(t *testing.T) {
	dir := t.TempDir()
	f := newFake(t, Options{DataDir: dir})
	ann := f.createUser("ann@example.com", `"user_metadata":{"addresses":{"home":"A"}}`)
	bob := f.createUser("bob@example.com", `"app_metadata":{"plan":"pro"}`)
	gone := f.createUser("gone@example.com", "")
	f.must(http.StatusOK, "POST", "/dbconnections/signup", `{"email":"sam@example.com","password":"pw","connection":"db","user_metadata":{"color":"red"}}`)
	f.must(http.StatusOK, "PATCH", userPath(ann), `{"user_metadata":{"addresses":{"home":"A","work":"B"}}}`)
	f.must(http.StatusOK, "PATCH", userPath(bob), `{"app_metadata":{}}`)
	f.must(http.StatusNoContent, "DELETE", userPath(gone), "")
	app := f.createClient(`"client_metadata":{"env":"prod"}`)
	f.must(http.StatusOK, "PATCH", clientPath(app), `{"client_metadata":{"tier":"gold"}}`)
	users := f.must(http.StatusOK, "GET", "/api/v2/users", "")
	clients := f.must(http.StatusOK, "GET", "/api/v2/clients", "")
	// A write that was cut off leaves a temporary file: it is not data.
	if err := os.WriteFile(filepath.Join(dir, "users", ".tmp-123"), []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}

	if err := f.s.Close(); err != nil {
		t.Fatal(err)
	}
	g := newFake(t, Options{DataDir: dir})
	if got := g.must(http.StatusOK, "GET", "/api/v2/users", ""); got != users {
		t.Errorf("users after a restart:\n got %s\nwant %s", got, users)
	}
	if got := g.must(http.StatusOK, "GET", "/api/v2/clients", ""); got != clients {
		t.Errorf("clients after a restart:\n got %s\nwant %s", got, clients)
	}
	g.must(http.StatusNotFound, "GET", userPath(gone), "")
	// The unique index is rebuilt: the emails are still taken, the deleted one is free.
	g.must(http.StatusConflict, "POST", "/api/v2/users", `{"password":"pw","connection":"Username-Password-Authentication","email":"ann@example.com"}`)
	g.createUser("gone@example.com", "")
	// New documents continue the sequence: they list after the old ones.
	g.createClient("")
	if got := g.must(http.StatusOK, "GET", "/api/v2/clients", ""); !strings.HasPrefix(got, strings.TrimSuffix(clients, "]")) {
		t.Errorf("a new client lists first: %s", got)
	}
	if _, err := os.Stat(filepath.Join(dir, "users", ".tmp-123")); !os.IsNotExist(err) {
		t.Errorf("the leftover temporary file is still there: %v", err)
	}
}

// TestLoadErrors checks that a data directory with a file that is not a
// document of the fake is refused, naming the file.
func TestLoadErrors(t *testing.T) {
	tests := []struct{ name, why, file, content, want string }{
		{"invalid JSON", "H1 as for any input", "0000000000000001.json", `{"user_id":`, "0000000000000001.json"},
		{"duplicate names", "H2 as for any input", "0000000000000001.json", `{"user_id":"a","user_id":"b"}`, "duplicate_key"},
		{"no id", "a user needs its user_id", "0000000000000002.json", `{"email":"x@example.com"}`, "not an object with a string user_id"},
		{"same id twice", "ids are unique", "0000000000000003.json", `{"user_id":"auth0|a"}`, "taken by another file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			users := filepath.Join(dir, "users")
			os.MkdirAll(users, 0o755)
			if tc.name == "same id twice" {
				os.WriteFile(filepath.Join(users, "0000000000000001.json"), []byte(`{"user_id":"auth0|a"}`), 0o644)
			}
			os.WriteFile(filepath.Join(users, tc.file), []byte(tc.content), 0o644)
			os.WriteFile(filepath.Join(users, "notes.txt"), []byte("not ours"), 0o644)
			_, err := New(Options{DataDir: dir})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%s (%s): error %v, want one with %q", tc.name, tc.why, err, tc.want)
			}
		})
	}
	if _, err := New(Options{MaxBodyBytes: -1}); err == nil || !strings.Contains(err.Error(), "MaxBodyBytes") {
		t.Errorf("a negative MaxBodyBytes: %v", err)
	}
}

// TestFailedSaveChangesNothing makes the data directory refuse writes: a
// POST, PATCH or DELETE answered 500 must leave the server as it was, and
// once the directory works again the same requests succeed.
func TestFailedSaveChangesNothing(t *testing.T) {
	dir := t.TempDir()
	f := newFake(t, Options{DataDir: dir})
	id := f.createUser("a@example.com", `"user_metadata":{"v":1}`)
	users := filepath.Join(dir, "users")
	if err := os.Rename(users, users+".away"); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(users, nil, 0o644); err != nil { // a file where the directory was: writes fail
		t.Fatal(err)
	}
	create := `{"password":"pw","connection":"Username-Password-Authentication","email":"b@example.com"}`
	for _, req := range []struct{ method, path, body string }{
		{"PATCH", userPath(id), `{"user_metadata":{"v":2}}`},
		{"POST", "/api/v2/users", create},
		{"DELETE", userPath(id), ""},
	} {
		if code, body := f.doStatus(req.method, req.path, req.body); code != http.StatusInternalServerError {
			t.Errorf("%s %s with a broken disk: %d %s", req.method, req.path, code, body)
		}
	}
	if got := f.must(http.StatusOK, "GET", userPath(id)+"?fields=user_metadata", ""); got != `{"user_metadata":{"v":1}}` {
		t.Errorf("after failed writes the user is %s", got)
	}
	if got := f.must(http.StatusOK, "GET", "/api/v2/users?q=email:b@example.com", ""); got != `[]` {
		t.Errorf("a POST answered 500 left %s", got)
	}
	if err := os.Remove(users); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(users+".away", users); err != nil {
		t.Fatal(err)
	}
	f.must(http.StatusCreated, "POST", "/api/v2/users", create)
	f.must(http.StatusOK, "PATCH", userPath(id), `{"user_metadata":{"v":2}}`)
}

// TestUniqueValuesDoNotCollide: a connection and an email that hold a NUL
// must not spell the key of another pair.
func TestUniqueValuesDoNotCollide(t *testing.T) {
	f := newFake(t, Options{})
	f.must(http.StatusCreated, "POST", "/api/v2/users", `{"password":"pw","connection":"c","email":"x\u0000y@example.com"}`)
	f.must(http.StatusCreated, "POST", "/api/v2/users", `{"password":"pw","connection":"c\u0000x","email":"y@example.com"}`)
}

// doStatus sends a request like do, but takes a 500 as an answer.
func (f *fake) doStatus(method, path, body string) (int, string) {
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	r.Header.Set("Authorization", "Bearer "+testToken)
	w := httptest.NewRecorder()
	f.s.ServeHTTP(w, r)
	return w.Code, w.Body.String()
}

// seedUsers writes files (name -> content) in dir/users.
func seedUsers(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	users := filepath.Join(dir, "users")
	if err := os.MkdirAll(users, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(users, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestSequenceNeverWraps seeds files at the top of the sequence numbers:
// a new user must never take the name of another's file, every user
// must survive a restart, and a DELETE removes the user it names. Each
// seed is a highest file: below the last number creates have room, and
// at it they must be refused, not wrap to 0000000000000000 or onto the
// first file.
func TestSequenceNeverWraps(t *testing.T) {
	const last uint64 = 1<<64 - 2 // maxSeq
	for _, top := range []uint64{last - 3, last - 1, last, 1 << 63} {
		t.Run(fileName(top), func(t *testing.T) {
			dir := t.TempDir()
			seedUsers(t, dir, map[string]string{
				"0000000000000001.json": `{"user_id":"auth0|seedA","identities":[{"connection":"c"}],"email":"a@x.co"}`,
				fileName(top):           `{"user_id":"auth0|seedMax","identities":[{"connection":"c"}]}`,
			})
			f := newFake(t, Options{DataDir: dir})
			var created []string
			for _, u := range []string{"n1", "n2", "n3"} {
				code, body := f.doStatus("POST", "/api/v2/users", `{"connection":"c","password":"pw","user_id":"`+u+`"}`)
				switch {
				case code == http.StatusCreated:
					created = append(created, "auth0|"+u)
				case code != http.StatusInternalServerError || top+uint64(len(created)) < last:
					t.Fatalf("create %s after %s: %d %s", u, fileName(top), code, body)
				}
			}
			if want := int(min(3, last-top)); len(created) != want {
				t.Errorf("after %s, %d creates succeeded, want %d", fileName(top), len(created), want)
			}
			want := append([]string{"auth0|seedA", "auth0|seedMax"}, created...)
			if len(created) > 1 {
				f.must(http.StatusNoContent, "DELETE", userPath(created[1]), "")
				want = append(want[:3], want[4:]...)
			}
			check := func(g *fake, when string) {
				got := g.must(http.StatusOK, "GET", "/api/v2/users?fields=user_id", "")
				var ids []string
				for _, id := range want {
					ids = append(ids, `{"user_id":"`+id+`"}`)
				}
				if w := "[" + strings.Join(ids, ",") + "]"; got != w {
					t.Errorf("%s: users %s, want %s", when, got, w)
				}
			}
			check(f, "before a restart")
			if err := f.s.Close(); err != nil {
				t.Fatal(err)
			}
			check(newFake(t, Options{DataDir: dir}), "after a restart")
		})
	}
}

// TestOnlyOurNames: every name of 16 hex digits and ".json" that the fake
// would not write itself (upper or mixed case, the two sequence numbers
// it never uses) is refused at start, naming the file, instead of being
// loaded and then saved under a second name; other names are left alone.
func TestOnlyOurNames(t *testing.T) {
	doc := `{"user_id":"auth0|seedU","identities":[{"connection":"c"}],"name":"old"}`
	for _, name := range []string{"000000000000000A.json", "00000000000000aB.json", "FFFFFFFFFFFFFFFE.json", "0000000000000000.json", "ffffffffffffffff.json"} {
		dir := t.TempDir()
		seedUsers(t, dir, map[string]string{name: doc})
		_, err := New(Options{DataDir: dir})
		if err == nil || !strings.Contains(err.Error(), filepath.Join(dir, "users", name)+": not a name this package writes") {
			t.Errorf("%s: error %v, want one naming the file", name, err)
		}
	}
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "users", "000000000000000a.json"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := New(Options{DataDir: dir}); err == nil || !strings.Contains(err.Error(), "000000000000000a.json: not a regular file") {
		t.Errorf("a directory with our name: %v", err)
	}
	// What upperhex.sh did: with the lower-case name, a PATCH and a DELETE
	// are saved to the file loaded, and a restart sees both.
	dir = t.TempDir()
	seedUsers(t, dir, map[string]string{
		"000000000000000a.json": doc, "000000000000000b.json": `{"user_id":"auth0|seedD","identities":[{"connection":"c"}]}`,
		"000000000000000A.txt": "not ours", "README": "not ours",
	})
	f := newFake(t, Options{DataDir: dir})
	f.must(http.StatusOK, "PATCH", userPath("auth0|seedU"), `{"name":"new"}`)
	f.must(http.StatusNoContent, "DELETE", userPath("auth0|seedD"), "")
	f.s.Close()
	g := newFake(t, Options{DataDir: dir})
	if got := g.must(http.StatusOK, "GET", "/api/v2/users?fields=user_id,name", ""); got != `[{"user_id":"auth0|seedU","name":"new"}]` {
		t.Errorf("after a restart: %s", got)
	}
}
