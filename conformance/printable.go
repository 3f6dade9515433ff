package conformance

import (
	"strconv"
	"unicode/utf8"
)

// Printable returns text that an implementation under test controls (the
// reason it errored or skipped a case, its name, a comment in a file of
// its own) as it may be shown to a person or written to a report. Control
// characters but line feeds and tabs, DEL, the C1 controls, U+2028 and
// U+2029 and bytes that are not UTF-8 are written as \xNN or \uNNNN, so
// that the text cannot move the cursor, colour the terminal or hide a
// line. Text longer than limit bytes is cut there, at a rune boundary, and
// followed by its length and a hash of the whole, so that two texts that
// differ past the cut still look different. The result is at most
// 6×limit + 64 bytes, and Printable allocates only the result.
func Printable(s string, limit int) string {
	limit = max(limit, 0)
	end := len(s)
	if end > limit {
		end = limit
		for end > 0 && !utf8.RuneStart(s[end]) {
			end--
		}
	}
	b := appendEscaped(make([]byte, 0, min(end+16, 6*end+64)), s[:end], true)
	if end < len(s) {
		b = appendCut(b, len(s), hashString(s))
	}
	return string(b)
}

// appendEscaped appends s to b with what Printable escapes escaped; line
// feeds and tabs are kept only when lines is true.
func appendEscaped(b []byte, s string, lines bool) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < 0x7f {
			b = append(b, c)
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case lines && (r == '\n' || r == '\t'):
			b = append(b, c)
		case r == utf8.RuneError && n == 1, r < 0x20, r == 0x7f, r >= 0x80 && r < 0xa0:
			if r == utf8.RuneError {
				r = rune(c)
			}
			b = append(b, '\\', 'x', hex[r>>4], hex[r&0xf])
		case r == 0x2028 || r == 0x2029:
			b = append(b, `\u202`...)
			b = append(b, hex[r&0xf])
		default:
			b = append(b, s[i:i+n]...)
		}
		i += n
	}
	return b
}

const hex = "0123456789abcdef"

// appendCut appends what a cut line or text ends with: " … (n bytes, hash
// h)", h the low 24 bits of the hash of the whole, in six hex digits.
func appendCut(b []byte, n int, sum uint64) []byte {
	b = append(b, " … ("...)
	b = strconv.AppendInt(b, int64(n), 10)
	b = append(b, " bytes, hash "...)
	for shift := 20; shift >= 0; shift -= 4 {
		b = append(b, hex[sum>>shift&0xf])
	}
	return append(b, ')')
}

// hashString is FNV-1a of s.
func hashString(s string) uint64 {
	h := uint64(fnvOffset)
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * fnvPrime
	}
	return h
}

// writeQuoted writes s to the line as strconv.Quote would, a piece at a
// time, so that a long s costs no copy of it; without quote it leaves out
// the quotation marks.
func (b *lineBuf) writeQuoted(s string, quote bool) {
	if quote {
		b.write([]byte{'"'})
	}
	for len(s) > 0 {
		n := min(len(s), 1<<10)
		for n < len(s) && n > 0 && !utf8.RuneStart(s[n]) {
			n--
		}
		if n == 0 {
			n = min(len(s), utf8.UTFMax)
		}
		b.quoted = strconv.AppendQuote(b.quoted[:0], s[:n])
		b.write(b.quoted[1 : len(b.quoted)-1])
		s = s[n:]
	}
	if quote {
		b.write([]byte{'"'})
	}
}
