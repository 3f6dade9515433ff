package jsonenc

import (
	"bytes"
	"encoding/json"
	"testing"
	"unicode/utf8"
)

func TestMarshalKeepsHTML(t *testing.T) {
	got, err := Marshal(map[string]string{"a<b": "x&y>z"})
	if err != nil || string(got) != `{"a<b":"x&y>z"}` {
		t.Fatalf("Marshal = %s, %v; want {\"a<b\":\"x&y>z\"} with no newline", got, err)
	}
	if _, err := Marshal(func() {}); err == nil {
		t.Fatal("Marshal of a func: no error")
	}
}

// TestAppendString holds AppendString to encoding/json's text with HTML
// escaping undone, on the fast path and the slow one alike.
func TestAppendString(t *testing.T) {
	for _, s := range []string{"", "plain", "a<b>&c", `q"b\`, "tab\tnl\n", "\x00\x1f\x7f", "é ü 𝄞", "\u2028\u2029", "bad \xff utf-8", string([]byte{0xed, 0xa0, 0x80})} {
		got := AppendString([]byte("x:"), s)
		var back string
		if err := json.Unmarshal(got[2:], &back); err != nil {
			t.Errorf("%q: %s is not a JSON string: %v", s, got, err)
			continue
		}
		want := s
		if !utf8.ValidString(s) {
			want = string([]rune(s)) // each invalid byte becomes U+FFFD
		}
		if back != want || string(got[:2]) != "x:" {
			t.Errorf("%q: appended %s, decodes to %q, want %q after x:", s, got, back, want)
		}
		for _, c := range []string{`\u003c`, `\u003e`, `\u0026`} {
			if bytes.Contains(got, []byte(c)) {
				t.Errorf("%q: %s has the HTML escape %s", s, got, c)
			}
		}
	}
}
