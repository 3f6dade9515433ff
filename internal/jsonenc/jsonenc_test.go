package jsonenc

import (
	"math/rand/v2"
	"strings"
	"testing"
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

// TestAppendString holds AppendString, written by hand so that it does
// not allocate, to encoding/json's text (Marshal) on every byte alone,
// the runes JSON escapes specially, every shape of invalid UTF-8 and 2000
// random strings of random bytes, after a prefix it must keep.
func TestAppendString(t *testing.T) {
	var cases []string
	for c := range 256 {
		cases = append(cases, string([]byte{byte(c)}), "a"+string([]byte{byte(c)})+"b")
	}
	cases = append(cases, "", "\u2028\u2029", "<>&", "é", "\U0001F600", "\xed\xa0\x80", "\xf0\x9f\x98", "\xc3", "\xff\xfe", strings.Repeat("\x01", 4096))
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []string{"a", "\"", "\\", "\x00", "\x1f", "\x7f", "é", "\u2028", "\xe2\x80", "\xff", "\U0001F600", "<", "\t"}
	for range 2000 {
		var b strings.Builder
		for range rng.IntN(40) {
			if rng.IntN(2) == 0 {
				b.WriteByte(byte(rng.IntN(256)))
			} else {
				b.WriteString(alphabet[rng.IntN(len(alphabet))])
			}
		}
		cases = append(cases, b.String())
	}
	for _, s := range cases {
		want, err := Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := AppendString([]byte("x:"), s); string(got) != "x:"+string(want) {
			t.Errorf("%q: %s, want x:%s", s, got, want)
		}
	}
}

func TestAppendStringAllocatesNothing(t *testing.T) {
	buf := make([]byte, 0, 1024)
	s := "a\x01\"\\\u2028é\xff<"
	if n := testing.AllocsPerRun(100, func() { buf = AppendString(buf[:0], s) }); n != 0 {
		t.Errorf("AppendString allocated %v times into a buffer with room", n)
	}
}
