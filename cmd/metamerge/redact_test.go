package main

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"unicode/utf16"
)

// spellings are the ways a server can echo a secret: as written, in
// either case, JSON-escaped (\u for every character, in either hex case;
// as encoding/json writes it; with \/), percent-encoded (every byte in
// either hex case; as a query or path), and each of those escaped again.
var spellings = map[string]func(string) string{
	"raw":   func(s string) string { return s },
	"upper": upperASCII,
	"lower": strings.ToLower,
	"json": func(s string) string {
		b, _ := json.Marshal(s)
		return string(b[1 : len(b)-1])
	},
	"json-slash": func(s string) string { return strings.ReplaceAll(s, "/", `\/`) },
	"u-lower":    func(s string) string { return uEscape(s, "\\u%04x") },
	"u-upper":    func(s string) string { return uEscape(s, "\\u%04X") },
	"pct-lower":  func(s string) string { return pctEscape(s, "%%%02x") },
	"pct-upper":  func(s string) string { return pctEscape(s, "%%%02X") },
	"query":      url.QueryEscape,
	"query-up":   func(s string) string { return url.QueryEscape(upperASCII(s)) },
	"path":       url.PathEscape,
	"u-of-pct":   func(s string) string { return uEscape(pctEscape(s, "%%%02X"), "\\u%04x") },
	"pct-of-u":   func(s string) string { return pctEscape(uEscape(s, "\\u%04x"), "%%%02x") },
	"json-of-u":  func(s string) string { b, _ := json.Marshal(uEscape(s, "\\u%04x")); return string(b[1 : len(b)-1]) },
	"pct-of-json-of-u": func(s string) string { // three layers: maxDecodeRounds
		b, _ := json.Marshal(uEscape(s, "\\u%04x"))
		return pctEscape(string(b[1:len(b)-1]), "%%%02X")
	},
	"u-upper-of-query": func(s string) string {
		return uEscape(url.QueryEscape(upperASCII(s)), "\\u%04X")
	},
}

// upperASCII is s with ASCII letters in upper case, as the runner writes
// {EMAIL}; the case of other letters is not folded.
func upperASCII(s string) string {
	return strings.Map(func(r rune) rune {
		if 'a' <= r && r <= 'z' {
			return r - 'a' + 'A'
		}
		return r
	}, s)
}

// uEscape writes every UTF-16 unit of s as format (\u%04x).
func uEscape(s, format string) string {
	var b strings.Builder
	for _, u := range utf16.Encode([]rune(s)) {
		fmt.Fprintf(&b, format, u)
	}
	return b.String()
}

// pctEscape writes every byte of s as format (%%%02x).
func pctEscape(s, format string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		fmt.Fprintf(&b, format, s[i])
	}
	return b.String()
}

// hiddenSecrets are secrets of every kind the runner hides, long and
// short, with the characters that escaping changes.
var hiddenSecrets = map[string]string{
	"tok-SECRETSECRET-42":    "{token}",
	"secret":                 "{token}",
	"auth0|987d02750def985a": "{id}",
	"dcfa40":                 "{id}",
	"42":                     "{id}",
	"metamerge-conformance-7e4a1307f866-19@example.com": "{email}",
	"Mm1!04b50502112e0617a510bfe5":                      "{password}",
	`a/b"c\d<e>&f g+h%i`:                                "{client_secret}",
	"tök€n-😀-ünï":                                       "{token}",
	"my-tenant.example.com:8443":                        "{host}",
}

// TestRedactTextEverySpelling: every secret, in every spelling, alone,
// between other text, at the start and end, twice, and next to another
// secret, comes out as its stand-in and nothing else.
func TestRedactTextEverySpelling(t *testing.T) {
	for secret, stand := range hiddenSecrets {
		for name, spell := range spellings {
			enc := spell(secret)
			for _, pos := range []struct{ pre, post, want string }{
				{"", "", stand},
				{"Cannot GET /x?q=", " (404)", "Cannot GET /x?q=" + stand + " (404)"},
				{strings.Repeat("=", 199), strings.Repeat("=", 300), strings.Repeat("=", 199) + stand + strings.Repeat("=", 300)},
				{"[", "][" + enc + "]", "[" + stand + "][" + stand + "]"},
			} {
				got := redactText(pos.pre+enc+pos.post, hiddenSecrets)
				if got != pos.want {
					t.Errorf("%q spelt %s (%q): got %q, want %q", secret, name, enc, cutForTest(got), cutForTest(pos.want))
				}
			}
		}
	}
	// Two secrets side by side, each in its own spelling: both hidden.
	got := redactText(url.QueryEscape("auth0|987d02750def985a")+uEscape("Mm1!04b50502112e0617a510bfe5", "\\u%04X"), hiddenSecrets)
	if got != "{id}{password}" {
		t.Errorf("side by side: %q", got)
	}
}

func cutForTest(s string) string {
	if len(s) > 120 {
		return s[:60] + "…" + s[len(s)-60:]
	}
	return s
}

// TestRedactTextOverlap: a secret inside another (the identity's part of
// a user_id) and secrets that overlap leave no part of either showing.
func TestRedactTextOverlap(t *testing.T) {
	secrets := map[string]string{"auth0|987d02750def985a": "{id}", "987d02750def985a": "{id}", "tok-ab": "{token}", "ab12345": "{id}"}
	for in, want := range map[string]string{
		"x auth0|987d02750def985a y":            "x {id} y",
		"x 987D02750DEF985A y":                  "x {id} y",
		"tok-ab12345":                           "{id}",
		"auth0%7C987d02750def985a/987d02750def": "{id}/987d02750def",
		"no secret here":                        "no secret here",
	} {
		if got := redactText(in, secrets); got != want {
			t.Errorf("%q: got %q, want %q", in, got, want)
		}
	}
}

// TestRedactTextBounded: a megabyte of escapes, percent signs and a
// one-byte secret is redacted in one pass a layer, without blowing up.
func TestRedactTextBounded(t *testing.T) {
	for _, in := range []string{
		strings.Repeat(`\u0034`, 1<<20/6),
		strings.Repeat("%", 1<<20),
		strings.Repeat("%25", 1<<20/3),
		strings.Repeat(`\`, 1<<20),
		strings.Repeat(`\ud83d`, 1<<20/6),
		strings.Repeat("4", 1<<20),
	} {
		got := redactText(in, map[string]string{"4": "{id}"})
		if strings.Contains(got, "4") && !strings.Contains(in, "\\ud83d") {
			t.Errorf("%q…: a 4 shows", in[:12])
		}
	}
}
