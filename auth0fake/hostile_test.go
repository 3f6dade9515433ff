package auth0fake

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// hostileRequests are requests an attacker (or a buggy client) may send.
// Each must get a 2xx or 4xx answer in JSON, never a 500 or a panic.
func hostileRequests() []struct{ method, path, body string } {
	mb := DefaultMaxBodyBytes
	manyDots := `{"user_metadata":{` + strings.Repeat(`"a.b":1,`, mb/9-4) + `"z":1}}`
	longName := `{"user_metadata":{"` + strings.Repeat("x.", mb/2-40) + `":1}}`
	var wideKeys strings.Builder
	wideKeys.WriteString(`{"user_metadata":{`)
	for i := 0; wideKeys.Len() < mb-40; i++ {
		fmt.Fprintf(&wideKeys, `"k%d":0,`, i)
	}
	wideKeys.WriteString(`"end":0}}`)
	var ws strings.Builder // every settings object, wide
	ws.WriteString(`{`)
	for j, m := range []string{"jwt_configuration", "refresh_token", "mobile", "native_social_login", "session_transfer", "signed_request_object"} {
		if j > 0 {
			ws.WriteString(",")
		}
		ws.WriteString(`"` + m + `":{`)
		for i := 0; i < 8000; i++ {
			fmt.Fprintf(&ws, `"k%d":0,`, i)
		}
		ws.WriteString(`"end":0}`)
	}
	wideSettings := ws.String() + "}"
	pemKey := `-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAES/kcjJYnlI2EYuUaopjmJVbqjQpb\nrndKtYJgEbC8etou6sRgBNtBv5oE+WoJUXITpk0vjkJuC9jb5/dOV2KkRg==\n-----END PUBLIC KEY-----\n`
	manyPEMs := `{"client_authentication_methods":{"private_key_jwt":{"credentials":[` +
		strings.TrimSuffix(strings.Repeat(`{"credential_type":"public_key","pem":"`+pemKey+`"},`, mb/300), ",") + `]}}}`
	out := []struct{ method, path, body string }{
		{"PATCH", "/api/v2/users/{user}", strings.Repeat("[", mb)},
		{"PATCH", "/api/v2/users/{user}", strings.Repeat(`{"a":`, mb/5)},
		{"POST", "/api/v2/users", strings.Repeat("[", mb)},
		{"POST", "/dbconnections/signup", strings.Repeat("[", mb)},
		{"PATCH", "/api/v2/clients/{client}", strings.Repeat("[", mb)},
		{"PATCH", "/api/v2/users/{user}", manyDots},
		{"PATCH", "/api/v2/users/{user}", longName},
		{"PATCH", "/api/v2/users/{user}", wideKeys.String()},
		{"PATCH", "/api/v2/clients/{client}", strings.Replace(wideKeys.String(), "user_metadata", "client_metadata", 1)},
		{"POST", "/dbconnections/signup", `{"email":"a@b.co","password":"p","connection":"c","user_metadata":` + wideKeys.String()[17:]},
		{"PATCH", "/api/v2/users/{user}", "\xef\xbb\xbf{}"},
		{"PATCH", "/api/v2/users/{user}", `{"name":"\xff"}`},
		{"PATCH", "/api/v2/users/{user}", `{"name":"\ud800"}`},
		{"PATCH", "/api/v2/users/{user}", `{"email":{"$ne":null}}`},
		{"PATCH", "/api/v2/users/{user}", `{"email":null,"username":null,"password":null}`},
		{"PATCH", "/api/v2/users/{user}", `{"user_metadata":{"__proto__":{"admin":true}}}`},
		{"POST", "/api/v2/users", `{"connection":"c","user_id":123}`},
		{"POST", "/api/v2/users", `{"connection":"c","user_id":"` + strings.Repeat("/", 1000) + `"}`},
		{"POST", "/api/v2/users", `{"connection":["c"]}`},
		{"POST", "/api/v2/users", `{"connection":"c","email":"` + strings.Repeat("a", 600) + `@x.io"}`},
		{"POST", "/api/v2/clients", `{"name":null}`},
		{"POST", "/api/v2/clients", `{"name":"a","callbacks":"x"}`},
		{"POST", "/dbconnections/signup", `{"email":"a@b.co","password":"p","connection":"c","user_metadata":"` + strings.Repeat("x", 1000) + `"}`},
		{"POST", "/dbconnections/signup", `[]`},
		{"POST", "/dbconnections/signup", ``},
		{"GET", "/api/v2/users/" + strings.Repeat("%00", 1000), ""},
		{"GET", "/api/v2/users/..%2F..%2Fetc%2Fpasswd", ""},
		{"GET", "/api/v2/users?fields=" + strings.Repeat("x,", 2000), ""},
		{"GET", "/api/v2/users?fields=%ff%fe&include_fields=false", ""},
		{"GET", "/api/v2/users?page=-1", ""},
		{"GET", "/api/v2/users?page=1e9", ""},
		{"GET", "/api/v2/users?per_page=" + strings.Repeat("9", 400), ""},
		{"GET", "/api/v2/clients?page=" + strings.Repeat("9", 400) + "&per_page=100", ""},
		{"GET", "/api/v2/users?" + strings.Repeat("a=1&", 1000), ""},
		{"GET", "/api/v2/users?%ff=1", ""},
		{"GET", "/api/v2/users?sort=:1", ""},
		{"GET", "/api/v2/users?sort=a..b:1", ""},
		{"GET", "/api/v2/clients?app_type=" + strings.Repeat(",", 3000), ""},
		{"GET", "/api/v2/users-by-email?email=" + strings.Repeat("%ff", 1300), ""},
		{"GET", "/api/v2/users-by-email?email=a&email=b", ""},
		{"GET", "/api/v2/clients?take=-1", ""},
		{"GET", "/api/v2/clients?take=" + strings.Repeat("9", 400), ""},
		{"GET", "/api/v2/clients?take=5&from=" + strings.Repeat("x", 4000), ""},
		{"PATCH", "/api/v2/clients/{client}", wideSettings},
		{"POST", "/api/v2/clients", strings.Replace(wideSettings, "{", `{"name":"w",`, 1)},
		{"PATCH", "/api/v2/clients/{client}", manyPEMs},
		{"PATCH", "/api/v2/clients/{client}", `{"client_authentication_methods":{"private_key_jwt":{"credentials":[{"credential_type":"public_key","pem":"-----BEGIN PUBLIC KEY-----\n` + strings.Repeat("A", mb/2) + `\n-----END PUBLIC KEY-----"}]}}}`},
		{"PATCH", "/api/v2/clients/{client}", `{"signed_request_object":{"credentials":[{"credential_type":"x509_cert","pem":7},{"pem":"x"},null,1]}}`},
		{"PATCH", "/api/v2/clients/{client}", `{"jwt_configuration":` + strings.Repeat(`{"a":`, 99) + `1` + strings.Repeat("}", 99) + `}`},
		{"PATCH", "/api/v2/clients/{client}", `{"default_organization":{"organization_id":null,"flows":null}}`},
		{"PATCH", "/api/v2/clients/{client}", `{"oidc_backchannel_logout":{"backchannel_logout_urls":"x"},"oidc_logout":7}`},
		{"POST", "/dbconnections/signup", `{"username":["u"],"phone_number":{},"password":"p","connection":"c"}`},
		// The control API (Options.Control): seeds, faults and the clock.
		{"POST", "/_fake/users", strings.Repeat("[", mb)},
		{"POST", "/_fake/users", strings.Repeat(`{"user_id":"d","a":`, mb/20)},
		{"POST", "/_fake/users", `{"user_id":"wide",` + wideKeys.String()[1:]},
		{"POST", "/_fake/users", `{"user_id":"dup","user_id":"dup2"}`},
		{"POST", "/_fake/users", `{"user_id":"` + strings.Repeat("%2F..", mb/6) + `"}`},
		{"POST", "/_fake/users", `{"user_id":{"$ne":null}}`},
		{"POST", "/_fake/clients", strings.Repeat(`[{"client_id":"c"},`, mb/20)},
		{"POST", "/_fake/clients", `{"client_id":"` + strings.Repeat("\\u0000", mb/8) + `"}`},
		{"GET", "/_fake/users/" + strings.Repeat("%2E%2E%2F", 1000), ""},
		{"GET", "/_fake/users/" + strings.Repeat("%00", 1000), ""},
		{"GET", "/_fake/clients/..%2F..%2Fetc%2Fpasswd", ""},
		{"POST", "/_fake/faults", strings.Repeat("[", mb)},
		{"POST", "/_fake/faults", `{"times":` + strings.Repeat("9", mb-20) + `}`},
		{"POST", "/_fake/faults", `{"times":1,"path":"` + strings.Repeat("/", mb-40) + `"}`},
		{"POST", "/_fake/faults", `{"times":1,"delay":"` + strings.Repeat("9", 4000) + `h"}`},
		{"POST", "/_fake/faults", `{"times":-1,"status":1e400}`},
		{"PUT", "/_fake/clock", `{"time":"` + strings.Repeat("9", mb-20) + `"}`},
		{"PUT", "/_fake/clock", `{"time":"9999-12-31T23:59:59.999999999-23:59","step":"1e3h"}`},
		{"PUT", "/_fake/clock", strings.Repeat(`{"time":`, mb/8)},
	}
	for _, q := range []string{
		":", "::", "a:", `"`, `\`, `a:\`, `a:"\`, `_exists_:`, `.:x`, `a..b:x`, "AND", "a:b AND",
		"AND AND", "a:b*c*", "a:*", "a:**", "a:?", `a:\*`, "(a:b)", "a:[1 TO 2]", "a:b~", "a:b^2",
		"-a:b", "+a:b", "a:b OR c:d", "NOT a:b", "a:b && c:d", "\xff:\xfe", "user_metadata.\xff:x",
		strings.Repeat("a:b ", 17), strings.Repeat("user_metadata.", 300) + "x:y",
		strings.Repeat(`\`, 4000), strings.Repeat(`a:"`, 1000),
	} {
		out = append(out, struct{ method, path, body string }{"GET", "/api/v2/users?q=" + url.QueryEscape(q), ""})
	}
	return out
}

// TestHostileInput sends each hostile request and checks the answer: 2xx
// or 4xx, JSON, at most a few KiB for an error, in bounded time.
func TestHostileInput(t *testing.T) {
	f := newFake(t, Options{Control: true})
	user := f.createUser("target@example.com", `"user_metadata":{"a":{"b":[1,2,{"c":3}]}}`)
	client := f.createClient(`"client_metadata":{"k":"v"}`)
	for i, req := range hostileRequests() {
		path := strings.NewReplacer("{user}", url.PathEscape(user), "{client}", client).Replace(req.path)
		start := time.Now()
		code, body := f.do(req.method, path, req.body)
		if code >= 500 || code < 200 {
			t.Errorf("request %d %s %.80s: status %d", i, req.method, path, code)
		}
		if code >= 400 && len(body) > 4096 {
			t.Errorf("request %d %s %.80s: an error answer of %d bytes", i, req.method, path, len(body))
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("request %d %s %.80s: took %v", i, req.method, path, d)
		}
	}
	// After all that, the user is still whole and readable.
	f.must(http.StatusOK, "GET", userPath(user), "")
}

// FuzzHandler sends arbitrary method, path with query, and body: never a
// 500 or a panic, and always JSON. The seeds are the hostile requests.
func FuzzHandler(f *testing.F) {
	for _, r := range hostileRequests() {
		body := r.body
		if len(body) > 4096 {
			body = body[:4096]
		}
		f.Add(r.method, r.path, body)
	}
	f.Add("PATCH", "/api/v2/users/{user}", `{"user_metadata":{"a":null},"app_metadata":{}}`)
	f.Add("GET", "/api/v2/users?q=user_metadata.a.b.c:3&fields=user_metadata&sort=email:1", "")
	f.Fuzz(func(t *testing.T, method, path, body string) {
		fk := newFake(t, Options{Control: true})
		user := fk.createUser("target@example.com", `"user_metadata":{"a":{"b":[1,2,{"c":3}]}}`)
		path = strings.NewReplacer("{user}", url.PathEscape(user)).Replace(path)
		if !strings.HasPrefix(path, "/") || strings.ContainsAny(path, " \x00\r\n#") {
			return
		}
		if _, err := url.ParseRequestURI(path); err != nil {
			return
		}
		switch method {
		case "GET", "POST", "PATCH", "DELETE", "PUT":
		default:
			return
		}
		r := httptest.NewRequest(method, path, strings.NewReader(body))
		r.Header.Set("Authorization", "Bearer "+testToken)
		w := httptest.NewRecorder()
		fk.s.ServeHTTP(w, r)
		if w.Code >= 500 {
			t.Fatalf("%s %s %q: %d %s", method, path, body, w.Code, w.Body.Bytes())
		}
	})
}
