package metamerge

// Stateless helpers over JSON text: white space, strings, escapes, numbers.

import (
	"bytes"
	"encoding/binary"
	"math/bits"
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

// isSpace reports whether c is JSON white space. Most bytes between tokens
// are not, and every byte above the space is answered by one comparison;
// the four below it by one bit of a mask.
func isSpace(c byte) bool {
	const spaces uint64 = 1<<' ' | 1<<'\t' | 1<<'\n' | 1<<'\r'
	return c <= ' ' && spaces>>c&1 != 0
}

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

// specialBits returns, in the high bit of each of the eight bytes of x
// (little-endian), a flag for a byte that may not be plain inside a
// string: a quote, a backslash, a control character or a byte of a
// multi-byte UTF-8 sequence. The lowest flag is exact: the bytes before
// it are plain and the byte it marks is not. Flags above it may be false
// (a borrow carries into the next byte), so only the lowest is used.
// Zero means all eight bytes are plain.
func specialBits(x uint64) uint64 {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	quote := x ^ (ones * '"')
	slash := x ^ (ones * '\\')
	control := x - ones*0x20 // borrows where a byte is below 0x20
	return ((quote-ones)&^quote | (slash-ones)&^slash | control | x) & highs
}

// plainWords returns the offset in b, from i, of the first byte that is
// not plain inside a string, looking at eight bytes at a time; when fewer
// than eight bytes remain before one is found, it returns where they
// start, all bytes before it being plain, and plainEnd goes on from there
// (two helpers rather than one, so that both are inlined).
func plainWords(b []byte, i int) int {
	for ; i+8 <= len(b); i += 8 {
		if m := specialBits(binary.LittleEndian.Uint64(b[i:])); m != 0 {
			return i + bits.TrailingZeros64(m)>>3
		}
	}
	return i
}

// plainEnd returns the offset in b, from i, of the first byte that is not
// plain inside a string, or len(b), a byte at a time: the last few bytes
// of a document.
func plainEnd(b []byte, i int) int {
	for i < len(b) && plain[b[i]] {
		i++
	}
	return i
}

// utf8Len returns the length of the valid UTF-8 sequence of two to four
// bytes at b[i], a byte at or above 0x80, or 0 when it is not one
// (overlong forms, surrogates and code points past U+10FFFF are not
// valid: RFC 3629, as utf8.Valid).
func utf8Len(b []byte, i int) int {
	c := b[i]
	switch {
	case c < 0xC2:
		return 0
	case c < 0xE0:
		if i+1 < len(b) && b[i+1]&0xC0 == 0x80 {
			return 2
		}
		return 0
	case c < 0xF0:
		if i+2 >= len(b) {
			return 0
		}
		lo, hi := byte(0x80), byte(0xBF)
		if c == 0xE0 {
			lo = 0xA0
		} else if c == 0xED {
			hi = 0x9F
		}
		if c1 := b[i+1]; c1 < lo || c1 > hi || b[i+2]&0xC0 != 0x80 {
			return 0
		}
		return 3
	case c < 0xF5:
		if i+3 >= len(b) {
			return 0
		}
		lo, hi := byte(0x80), byte(0xBF)
		if c == 0xF0 {
			lo = 0x90
		} else if c == 0xF4 {
			hi = 0x8F
		}
		if c1 := b[i+1]; c1 < lo || c1 > hi || b[i+2]&0xC0 != 0x80 || b[i+3]&0xC0 != 0x80 {
			return 0
		}
		return 4
	}
	return 0
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
