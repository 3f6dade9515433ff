package metamerge_test

// Does the scanner read strings, numbers and literals right wherever their
// bytes fall in its words?

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/metamerge/metamerge"
)

// TestStringsAtWordBoundaries holds Valid to a model made of the standard
// library (json.Valid for the syntax, utf8.Valid for the text, and a walk
// of the escapes for lone surrogates, H2) on strings that put one
// sequence the scanner must notice (a quote, an escape good or bad, a
// control byte, UTF-8 of every length, cut short, overlong or encoding a
// surrogate) after 0 to 17 plain bytes and before 0 to 9 more: at every
// position of an eight-byte word and across two words, where a
// word-at-a-time scan can go wrong. Each string is tried as a value and
// as a name, so both string paths are held.
func TestStringsAtWordBoundaries(t *testing.T) {
	seqs := []string{
		``, `\"`, `\\`, `\/`, `\b\f\n\r\t`, `\u00e9`, `\u00E9`, `\ud83d\ude00`, `\ud83d`, `\ude00`,
		`\ud83dx`, `\ud83d\u0041`, `\ud83d\\ude00`, `\\ud83d`, `\x`, `\u12`, `\u12G4`, `\`, `\'`,
		"\x00", "\x1f", "\x7f", "\t", "\n", `"`, "é", "€", "𝄞", "\xc3", "\xe2\x82", "\xf0\x9d\x84",
		"\xc0\x80", "\xe0\x80\x80", "\xed\xa0\x80", "\xed\x9f\xbf", "\xf4\x8f\xbf\xbf", "\xf4\x90\x80\x80",
		"\xff", "\x80", "é\x80", "\xef\xbb\xbf", "\u2028",
	}
	tried := map[bool]int{}
	for _, s := range seqs {
		for before := range 18 {
			for after := range 10 {
				text := strings.Repeat("a", before) + s + strings.Repeat("b", after)
				for _, doc := range []string{`"` + text + `"`, `{"` + text + `":1}`, `[1,"` + text + `",2]`} {
					want := modelValidString(doc)
					err := metamerge.Valid([]byte(doc))
					if want && err != nil || !want && err == nil {
						t.Fatalf("Valid(%q) = %v; the model says valid: %v", doc, err, want)
					}
					if e, ok := err.(*metamerge.Error); err != nil && (!ok || e.Code != metamerge.CodeInvalidJSON) {
						t.Fatalf("Valid(%q) = %#v, want invalid_json", doc, err)
					}
					tried[want]++
				}
			}
		}
	}
	if tried[true] < 5000 || tried[false] < 5000 {
		t.Fatalf("tried %d valid and %d invalid documents: too few of one", tried[true], tried[false])
	}
}

// modelValidString reports whether doc is JSON (json.Valid) in UTF-8
// (utf8.Valid) whose strings escape no lone surrogate.
func modelValidString(doc string) bool {
	if !json.Valid([]byte(doc)) || !utf8.ValidString(doc) {
		return false
	}
	// The document is valid JSON, so every backslash outside a string's
	// quotes is impossible: walk the escapes of the whole text.
	pending := false // the last escape was a high surrogate
	for i := 0; i < len(doc); i++ {
		if doc[i] != '\\' {
			if pending {
				return false
			}
			continue
		}
		i++
		if doc[i] != 'u' {
			if pending {
				return false
			}
			continue
		}
		var v rune
		for _, c := range doc[i+1 : i+5] {
			v = v<<4 | hexValue(c)
		}
		i += 4
		switch {
		case v >= 0xd800 && v < 0xdc00:
			if pending {
				return false
			}
			pending = true
		case v >= 0xdc00 && v < 0xe000:
			if !pending {
				return false
			}
			pending = false
		default:
			if pending {
				return false
			}
		}
	}
	return !pending
}

func hexValue(c rune) rune {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}

// TestNumbersAndLiteralsAtWordBoundaries holds Valid to json.Valid on
// numbers and literals, good and bad, of every length to 40 digits, after
// 0 to 9 bytes of white space and before 0 to 9, at the root, as a value
// and as an array element.
func TestNumbersAndLiteralsAtWordBoundaries(t *testing.T) {
	tokens := []string{
		"0", "-0", "01", "-01", "1.", ".1", "1.5", "1e", "1e+", "1E-5", "1e05", "-", "--1", "+1", "1.5e300",
		"1.0e1000", "0x1", "1_000", "Infinity", "NaN", "true", "tru", "truex", "false", "null", "nul", "nulll",
		"0.0000001", "-1.5E+9", "1e1e1", "1.2.3", "0e", "2.e3", "1-", "00", "-.5",
	}
	for n := 1; n <= 40; n++ {
		tokens = append(tokens, strings.Repeat("9", n), "-"+strings.Repeat("1", n)+".5", "1."+strings.Repeat("0", n)+"e-7")
	}
	tried := map[bool]int{}
	for _, tok := range tokens {
		for before := range 10 {
			for after := range 10 {
				ws := func(n int) string { return strings.Repeat(" \t\r\n", 3)[:n] }
				for _, doc := range []string{ws(before) + tok + ws(after), `{"k":` + ws(before) + tok + ws(after) + `}`, `[1,` + ws(before) + tok + ws(after) + `,2]`} {
					want := json.Valid([]byte(doc))
					err := metamerge.Valid([]byte(doc))
					if want && err != nil || !want && err == nil {
						t.Fatalf("Valid(%q) = %v; json.Valid says %v", doc, err, want)
					}
					tried[want]++
				}
			}
		}
	}
	if tried[true] < 5000 || tried[false] < 5000 {
		t.Fatalf("tried %d valid and %d invalid documents: too few of one", tried[true], tried[false])
	}
}
