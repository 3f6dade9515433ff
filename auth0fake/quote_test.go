package auth0fake

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestAnswersQuoteAtMost64Bytes sends, to every answer of the fake that
// quotes the request (query parameters, q, sort, the bodies of PATCH,
// POST and signup), a long run of one filler: ASCII, a control
// character, non-ASCII, a character JSON escapes. No message (or signup
// description) may quote more than 64 bytes of it, and its escaped text
// stays within 2 KiB.
func TestAnswersQuoteAtMost64Bytes(t *testing.T) {
	f := newFake(t, Options{})
	user := f.createUser("a@example.com", "")
	n := 0
	for _, filler := range []string{"A", "\x01", "€", `"`} {
		long := strings.Repeat(filler, 1300) // 4096 characters at most in a query value
		q := url.QueryEscape(long)
		js, _ := json.Marshal(long)
		signup := `{"email":"s@example.com","password":"pw","connection":"c",`
		for _, req := range []struct{ method, path, body string }{
			{"GET", "/api/v2/users?" + q + "=1", ""},
			{"GET", "/api/v2/users?page=-" + q, ""},
			{"GET", "/api/v2/users?per_page=" + q, ""},
			{"GET", "/api/v2/users?search_engine=" + q, ""},
			{"GET", "/api/v2/users?q=" + q, ""},
			{"GET", "/api/v2/users?sort=" + q + ":2", ""},
			{"GET", "/api/v2/users?sort=" + q, ""},
			{"GET", "/api/v2/clients?" + q + "=1", ""},
			{"GET", userPath(user) + "?" + q + "=1", ""},
			{"GET", "/api/v2/users?" + q + "=%zz", ""},
			{"PATCH", userPath(user), `{"user_metadata":{"$` + string(js[1:]) + `:1}}`},
			{"PATCH", userPath(user), `{` + string(js) + `:1}`},
			{"PATCH", userPath(user), `{"email":` + string(js) + `}`},
			{"POST", "/api/v2/clients", `{"name":"c","client_metadata":{` + string(js) + `:"x"}}`},
			{"POST", "/api/v2/users", `{"connection":"c","user_metadata":{` + string(js) + `:{"a.b":1}}}`},
			{"POST", "/dbconnections/signup", signup + `"user_metadata":{` + string(js) + `:1}}`},
			{"POST", "/dbconnections/signup", signup + `"user_metadata":{"$` + string(js[1:]) + `:"x"}}`},
			{"POST", "/dbconnections/signup", signup + `"user_metadata":{"a":{` + string(js) + `:1}}}`},
		} {
			code, body := f.do(req.method, req.path, req.body)
			if code < 400 {
				t.Errorf("%s %.80s (%q): %d, want an error", req.method, req.path, filler, code)
				continue
			}
			n++
			var env struct{ Message, Description json.RawMessage }
			if err := json.Unmarshal([]byte(body), &env); err != nil {
				t.Fatalf("%s %.80s: %v", req.method, req.path, err)
			}
			escaped := env.Message
			if escaped == nil {
				escaped = env.Description
			}
			var text string
			_ = json.Unmarshal(escaped, &text)
			run, best := 0, 0
			for s := text; s != ""; {
				if strings.HasPrefix(s, filler) {
					run += len(filler)
					s = s[len(filler):]
				} else {
					run = 0
					_, k := utf8.DecodeRuneInString(s)
					s = s[k:]
				}
				best = max(best, run)
			}
			if best > 64 || len(escaped)-2 > 2048 || !utf8.ValidString(text) {
				t.Errorf("%s %.80s (%q): quotes %d bytes, escaped message %d bytes: %.300s", req.method, req.path, filler, best, len(escaped)-2, body)
			}
		}
	}
	t.Logf("%d error answers", n)
}
