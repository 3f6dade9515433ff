package mgmt

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// longest returns the length in bytes of the longest run of filler in s.
func longest(s, filler string) int {
	best, run := 0, 0
	for s != "" {
		if strings.HasPrefix(s, filler) {
			run += len(filler)
			s = s[len(filler):]
		} else {
			run = 0
			_, n := utf8.DecodeRuneInString(s)
			s = s[n:]
		}
		best = max(best, run)
	}
	return best
}

// TestMessagesQuoteAtMost64Bytes generates requests whose names, paths
// and values are long runs of one filler (ASCII, a control character,
// non-ASCII, characters JSON escapes), in every place a message quotes
// the request, for every resource and verb, and checks each error
// answer: valid JSON, a message in valid UTF-8 that quotes at most 64
// bytes of the request (no run of the filler over 64 bytes), and an
// escaped message of at most 2 KiB.
func TestMessagesQuoteAtMost64Bytes(t *testing.T) {
	deep := func(inner string) string { return strings.Repeat("[", 11000) + inner + strings.Repeat("]", 11000) }
	shapes := []struct{ name, body string }{
		{"unknown member", `{%s:1}`},
		{"$ name", `{"user_metadata":{"$%[2]s":1}}`},
		{"dotted name", `{"user_metadata":{%s:{"a.b":1}}}`},
		{"reserved name", `{"app_metadata":{%s:{"__proto__":1}}}`},
		{"nested not object", `{"user_metadata":{%s:{"x":1}},"app_metadata":1}`},
		{"duplicate", `{"user_metadata":{%s:1,%[1]s:2}}`},
		{"too deep", `{"app_metadata":{%s:` + deep("1") + `}}`},
		{"client name", `{"client_metadata":{%s:"x"}}`},
		{"client not string", `{"client_metadata":{%s:1}}`},
		{"client value", `{"client_metadata":{"k":"%[2]s%[2]s"}}`},
		{"client too many", `{"client_metadata":{%s:"x","b":"","c":"","d":"","e":"","f":"","g":"","h":"","i":"","j":"","k":""}}`},
		{"email", `{"connection":"c","email":%s}`},
		{"username", `{"connection":"c","username":%s}`},
		{"name type", `{"connection":"c","name":{%s:1}}`},
		{"nested path", `{"user_metadata":{%s:{%[1]s:{%[1]s:{"$":1}}}}}`},
	}
	fillers := []string{"A", "\x01", "€", "\u2028", `"`, `\`, "<", "\xff"}
	resources := []struct {
		name string
		r    Resource
	}{{"users", Users{}}, {"clients", Clients{}}}
	n := 0
	for _, shape := range shapes {
		for _, filler := range fillers {
			for _, count := range []int{65, 1000, 3000} {
				long := strings.Repeat(filler, count)
				quoted, _ := json.Marshal(long)
				raw := strings.Trim(string(quoted), `"`)
				body := strings.ReplaceAll(strings.ReplaceAll(shape.body, "%[1]s", string(quoted)), "%[2]s", raw)
				body = strings.Replace(body, "%s", string(quoted), 1)
				for _, res := range resources {
					for _, verb := range []string{"create", "patch"} {
						var a *Answer
						if verb == "create" {
							if _, _, err := res.r.Create([]byte(body), time.Unix(0, 0)); err != nil {
								a = res.r.Answer(err)
							}
						} else {
							a = patchAnswer(res.r, `{"user_id":"u","client_id":"c"}`, body)
						}
						if a == nil || a.Status < 400 {
							continue
						}
						n++
						var env struct{ Message string }
						if err := json.Unmarshal(a.Body, &env); err != nil {
							t.Fatalf("%s %s %s (%q×%d): not JSON: %v", res.name, verb, shape.name, filler, count, err)
						}
						where := res.name + " " + verb + " " + shape.name
						if !utf8.ValidString(env.Message) {
							t.Errorf("%s (%q×%d): message not valid UTF-8: %q", where, filler, count, env.Message)
						}
						echo := filler
						if filler == "\xff" {
							echo = "\ufffd"
						}
						if got := longest(env.Message, echo); got > maxEcho {
							t.Errorf("%s (%q×%d): the message quotes %d bytes of the request: %.200q", where, filler, count, got, env.Message)
						}
						var msg json.RawMessage
						var raw struct{ Message *json.RawMessage }
						raw.Message = &msg
						_ = json.Unmarshal(a.Body, &raw)
						if len(msg)-2 > maxMessage {
							t.Errorf("%s (%q×%d): escaped message of %d bytes", where, filler, count, len(msg)-2)
						}
					}
				}
			}
		}
	}
	if n < 300 {
		t.Errorf("only %d error answers generated", n)
	}
	if got := (&TakenError{Value: strings.Repeat("é", 500)}).Error(); longest(got, "é") > maxEcho {
		t.Errorf("TakenError quotes %d bytes", longest(got, "é"))
	}
}

// TestEnvelopeBoundAfterEscaping: a message of characters JSON escapes
// (six bytes each) is cut so that its escaped text is at most 2 KiB, at
// a character, and still reads as a prefix of the message.
func TestEnvelopeBoundAfterEscaping(t *testing.T) {
	for _, m := range []string{strings.Repeat("\x01", 5000), strings.Repeat("a\x1f€", 2000), strings.Repeat(`"\`, 3000), strings.Repeat("x", 2048), strings.Repeat("x", 2049), strings.Repeat("\xff", 3000)} {
		a := Envelope(400, m, "invalid_body")
		var env struct{ Message json.RawMessage }
		if err := json.Unmarshal(a.Body, &env); err != nil {
			t.Fatalf("not JSON: %v", err)
		}
		var text string
		_ = json.Unmarshal(env.Message, &text)
		if len(env.Message)-2 > maxMessage || len(a.Body) > maxMessage+100 {
			t.Errorf("message of %d bytes: escaped %d, body %d", len(m), len(env.Message)-2, len(a.Body))
		}
		want := string([]rune(m)) // each invalid byte is U+FFFD
		if len(m) <= maxMessage && text != m {
			t.Errorf("a short message was changed: %q", text)
		}
		if len(m) > maxMessage && (!strings.HasSuffix(text, "…") || !strings.HasPrefix(want, strings.TrimSuffix(text, "…"))) {
			t.Errorf("a long message is not a prefix and …: %.100q", text)
		}
	}
}
