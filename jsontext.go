package metamerge

// Stateless helpers over JSON text: white space, strings, escapes, numbers.

import (
	"bytes"
	"slices"
	"unicode/utf8"
)

// plain[c] is true for bytes that stand for themselves inside a string.
var plain = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func skipSpace(b []byte, i int) int {
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	return i
}

// trimSpace returns doc without the white space around its value.
func trimSpace(doc []byte) []byte {
	i, j := skipSpace(doc, 0), len(doc)
	for j > i && isSpace(doc[j-1]) {
		j--
	}
	return doc[i:j]
}

// typeName names the JSON type of the value that starts with c.
func typeName(c byte) string {
	switch c {
	case '{':
		return "object"
	case '[':
		return "array"
	case '"':
		return "string"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	}
	return "number"
}

func isContainer(c byte) bool { return c == '{' || c == '[' }

func isNumberStart(c byte) bool { return c == '-' || '0' <= c && c <= '9' }

// nextElement returns the offset of the next element or member after a
// value that ended at i, or of the closing bracket.
func nextElement(doc []byte, i int) int {
	i = skipSpace(doc, i)
	if doc[i] == ',' {
		return skipSpace(doc, i+1)
	}
	return i
}

// isEmptyObject reports whether the valid object text v has no members.
func isEmptyObject(v []byte) bool {
	return v[skipSpace(v, skipSpace(v, 0)+1)] == '}'
}

// special8 reports whether the eight bytes of x may hold one that is not
// plain inside a string: a quote, a backslash, a control character or a
// byte of a multi-byte UTF-8 sequence. It may report true for a plain
// run; it never reports false for a run that is not plain.
func special8(x uint64) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	quote := x ^ (ones * '"')
	slash := x ^ (ones * '\\')
	control := x - ones*0x20 // borrows where a byte is below 0x20
	return ((quote-ones)&^quote|(slash-ones)&^slash|control|x)&highs != 0
}

// escapeLen returns the length of the escape at b[i] == '\\', and false if
// it is malformed or leaves a lone or reversed surrogate (H2).
func escapeLen(b []byte, i int) (int, bool) {
	if i+1 >= len(b) {
		return 0, false
	}
	switch b[i+1] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		return 2, true
	case 'u':
		r, ok := hex4(b, i+2)
		if !ok {
			return 0, false
		}
		switch {
		case r >= 0xDC00 && r <= 0xDFFF:
			return 0, false
		case r >= 0xD800 && r <= 0xDBFF:
			if i+7 >= len(b) || b[i+6] != '\\' || b[i+7] != 'u' {
				return 0, false
			}
			lo, ok := hex4(b, i+8)
			if !ok || lo < 0xDC00 || lo > 0xDFFF {
				return 0, false
			}
			return 12, true
		}
		return 6, true
	}
	return 0, false
}

func hex4(b []byte, i int) (rune, bool) {
	if i+4 > len(b) {
		return 0, false
	}
	var r rune
	for _, c := range b[i : i+4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

func digits(b []byte, i int) int {
	for i < len(b) && '0' <= b[i] && b[i] <= '9' {
		i++
	}
	return i
}

// appendUnescaped appends the decoded content of a valid JSON string body.
// It grows dst once to hold raw, which is never shorter than its decoding,
// rather than step by step.
func appendUnescaped(dst, raw []byte) []byte {
	dst = slices.Grow(dst, len(raw))
	for i := 0; i < len(raw); {
		c := raw[i]
		if c != '\\' {
			j := i + 1
			for j < len(raw) && raw[j] != '\\' {
				j++
			}
			dst = append(dst, raw[i:j]...)
			i = j
			continue
		}
		switch raw[i+1] {
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		case 'u':
			r, _ := hex4(raw, i+2)
			if r >= 0xD800 && r <= 0xDBFF {
				lo, _ := hex4(raw, i+8)
				r = 0x10000 + (r-0xD800)<<10 + (lo - 0xDC00)
				i += 6
			}
			dst = utf8.AppendRune(dst, r)
			i += 6
			continue
		default: // " \ /
			dst = append(dst, raw[i+1])
		}
		i += 2
	}
	return dst
}

// stringEnd returns the offset after the string that starts at doc[i] ==
// '"', in text the scanner has validated, and whether it has escapes.
func stringEnd(doc []byte, i int) (int, bool) {
	esc := false
	for j := i + 1; ; {
		j += bytes.IndexAny(doc[j:], "\"\\")
		if doc[j] == '"' {
			return j + 1, esc
		}
		esc = true
		j += 2
	}
}
