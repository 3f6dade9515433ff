package auth0fake

import (
	"encoding/json"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tidwall/gjson"
)

const testToken = "T"

// fake is a Server under test, driven through ServeHTTP, or over
// loopback with net/http when url is set.
type fake struct {
	t   *testing.T
	s   *Server
	url string
}

func newFake(t *testing.T, opts Options) *fake {
	t.Helper()
	if opts.Token == "" {
		opts.Token = testToken
	}
	if opts.ErrorLog == nil {
		opts.ErrorLog = log.New(testWriter{t}, "", 0)
	}
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return &fake{t: t, s: s}
}

// testWriter sends the server's error log to the test log.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// do sends a request with the token and returns the status and body.
func (f *fake) do(method, path, body string) (int, string) {
	return f.doAuth(method, path, body, "Bearer "+testToken)
}

func (f *fake) doAuth(method, path, body, auth string) (int, string) {
	f.t.Helper()
	var resp *http.Response
	if f.url != "" {
		r, err := http.NewRequest(method, f.url+path, strings.NewReader(body))
		if err != nil {
			f.t.Fatal(err)
		}
		if auth != "" {
			r.Header.Set("Authorization", auth)
		}
		r.Header.Set("Content-Type", "application/json")
		if resp, err = http.DefaultClient.Do(r); err != nil {
			f.t.Fatal(err)
		}
		defer resp.Body.Close()
	} else {
		r := httptest.NewRequest(method, path, strings.NewReader(body))
		if auth != "" {
			r.Header.Set("Authorization", auth)
		}
		w := httptest.NewRecorder()
		f.s.ServeHTTP(w, r)
		resp = w.Result()
	}
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 500 {
		f.t.Errorf("%s %s: status %d: %s", method, path, resp.StatusCode, b)
	}
	if ct := resp.Header.Get("Content-Type"); len(b) > 0 && ct != "application/json; charset=utf-8" {
		f.t.Errorf("%s %s: Content-Type %q", method, path, ct)
	}
	if len(b) > 0 && !json.Valid(b) {
		f.t.Errorf("%s %s: answer is not JSON: %.200s", method, path, b)
	}
	return resp.StatusCode, string(b)
}

// must sends a request that must answer want, and returns the body.
func (f *fake) must(want int, method, path, body string) string {
	f.t.Helper()
	code, got := f.do(method, path, body)
	if code != want {
		f.t.Fatalf("%s %s %.200s: status %d, want %d: %.300s", method, path, body, code, want, got)
	}
	return got
}

// createUser creates a user of Username-Password-Authentication with
// email and the members in extra (a JSON fragment), and returns its id.
func (f *fake) createUser(email, extra string) string {
	f.t.Helper()
	body := `{"connection":"Username-Password-Authentication","email":"` + email + `","password":"p4ssword!"`
	if extra != "" {
		body += "," + extra
	}
	doc := f.must(http.StatusCreated, "POST", "/api/v2/users", body+"}")
	return gjson.Get(doc, "user_id").Str
}

// createClient creates a client with the members in extra and returns its
// client_id.
func (f *fake) createClient(extra string) string {
	f.t.Helper()
	body := `{"name":"app"`
	if extra != "" {
		body += "," + extra
	}
	doc := f.must(http.StatusCreated, "POST", "/api/v2/clients", body+"}")
	return gjson.Get(doc, "client_id").Str
}

func userPath(id string) string   { return "/api/v2/users/" + url.PathEscape(id) }
func clientPath(id string) string { return "/api/v2/clients/" + url.PathEscape(id) }

// fixedClock makes the server's time t and returns it formatted.
func (f *fake) fixedClock(t time.Time) string {
	f.s.clock.base = func() time.Time { return t }
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}

// TestUncleanPaths generates, from every route, the paths Go's ServeMux
// would clean and redirect (a doubled slash, a "." or ".." element, at
// each place): each must get Auth0's JSON 404, with and without a token,
// never the mux's 307 text/html redirect. Ids that hold escaped slashes
// and dots are not cleaned and still reach their document.
func TestUncleanPaths(t *testing.T) {
	f := newFake(t, Options{})
	user := f.createUser("a@example.com", "")
	odd := "auth0|a/../b/./c"
	f.must(http.StatusCreated, "POST", "/api/v2/users", `{"connection":"c","password":"pw","user_id":"a/../b/./c"}`)
	f.must(http.StatusOK, "GET", userPath(odd), "")
	routes := []string{"/api/v2/users", userPath(user), "/api/v2/clients", "/api/v2/clients/x", "/dbconnections/signup"}
	const notFound = `{"statusCode":404,"error":"Not Found","message":"Not Found"}`
	n := 0
	for _, route := range routes {
		var paths []string
		for i := 0; i < len(route); i++ {
			if route[i] != '/' {
				continue
			}
			paths = append(paths, route[:i]+"/"+route[i:], route[:i]+"/."+route[i:], route[:i]+"/x/.."+route[i:])
		}
		paths = append(paths, route+"/.", route+"/..", route+"/../../x", route+"//")
		for _, p := range paths {
			for _, auth := range []string{"", "Bearer " + testToken} {
				for _, method := range []string{"GET", "POST", "PATCH", "DELETE"} {
					n++
					code, body := f.doAuth(method, p, "{}", auth)
					if code != http.StatusNotFound || body != notFound {
						t.Errorf("%s %s (auth %q): %d %s, want 404 %s", method, p, auth, code, body, notFound)
					}
				}
			}
		}
	}
	t.Logf("%d unclean requests", n)
}
