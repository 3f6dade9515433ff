package main

import (
	"bytes"
	"slices"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// The runner's redaction: a secret (the token, an id, an email, a
// password, the server's host) must not reach the output in any spelling
// a server could echo it in. Text is matched on normalised views of it:
// as written, then with JSON string escapes (\uXXXX, surrogate pairs,
// \/ and the like) and percent-encodings decoded, up to maxDecodeRounds
// times over (an escape of an escape), and in every view with ASCII
// letters folded to lower case. A match in any view hides the bytes of
// the original text it came from.

// maxDecodeRounds is how many layers of escaping are seen through.
const maxDecodeRounds = 3

// minToken is the shortest token the runner accepts: a shorter one would
// be hidden wherever its letters occur, leaving the report unreadable.
const minToken = 4

// view is a normalised spelling of a text: b[i] came from the bytes
// start[i]:end[i] of the original (start nil: from byte i alone).
type view struct {
	b          []byte
	start, end []int32
}

func (v *view) span(i int) (int, int) {
	if v.start == nil {
		return i, i + 1
	}
	return int(v.start[i]), int(v.end[i])
}

// lowerASCII folds ASCII letters in b to lower case, and '+' (a space
// in a query) to a space, in place.
func lowerASCII(b []byte) {
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		} else if c == '+' {
			b[i] = ' '
		}
	}
}

// decode decodes one layer of JSON escapes and percent-encodings in v;
// ok is false when there was none.
func decode(v *view) (*view, bool) {
	if bytes.IndexByte(v.b, '\\') < 0 && bytes.IndexByte(v.b, '%') < 0 {
		return nil, false
	}
	out := &view{b: make([]byte, 0, len(v.b)), start: make([]int32, 0, len(v.b)), end: make([]int32, 0, len(v.b))}
	emit := func(bs []byte, from, to int) {
		s, _ := v.span(from)
		_, e := v.span(to - 1)
		for _, c := range bs {
			out.b = append(out.b, c)
			out.start = append(out.start, int32(s))
			out.end = append(out.end, int32(e))
		}
	}
	b := v.b
	changed := false
	var buf [utf8.UTFMax]byte
	for i := 0; i < len(b); {
		if b[i] == '%' && i+2 < len(b) && isHex(b[i+1]) && isHex(b[i+2]) {
			n, _ := strconv.ParseUint(string(b[i+1:i+3]), 16, 8)
			emit([]byte{byte(n)}, i, i+3)
			i, changed = i+3, true
			continue
		}
		if b[i] == '\\' && i+1 < len(b) {
			if r, n := unicodeEscape(b[i:]); n > 0 {
				emit(buf[:utf8.EncodeRune(buf[:], r)], i, i+n)
				i, changed = i+n, true
				continue
			}
			if c, ok := shortEscape[b[i+1]]; ok {
				emit([]byte{c}, i, i+2)
				i, changed = i+2, true
				continue
			}
		}
		emit(b[i:i+1], i, i+1)
		i++
	}
	lowerASCII(out.b)
	return out, changed
}

var shortEscape = map[byte]byte{'"': '"', '\\': '\\', '/': '/', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t'}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// unicodeEscape decodes \uXXXX (or a surrogate pair of two) at the start
// of b, and says how many bytes it took; 0 if there is none.
func unicodeEscape(b []byte) (rune, int) {
	unit := func(b []byte) (rune, bool) {
		if len(b) < 6 || b[0] != '\\' || b[1] != 'u' && b[1] != 'U' {
			return 0, false
		}
		for _, c := range b[2:6] {
			if !isHex(c) {
				return 0, false
			}
		}
		n, _ := strconv.ParseUint(string(b[2:6]), 16, 16)
		return rune(n), true
	}
	r, ok := unit(b)
	if !ok {
		return 0, 0
	}
	if utf16.IsSurrogate(r) {
		if r2, ok := unit(b[6:]); ok {
			if p := utf16.DecodeRune(r, r2); p != utf8.RuneError {
				return p, 12
			}
		}
	}
	return r, 6
}

// redactText replaces in s every spelling of each secret (its key) with
// its stand-in; overlapping matches are hidden together, under the
// stand-in of the longest secret among them. Case is folded for ASCII
// letters only.
func redactText(s string, secrets map[string]string) string {
	return newRedactor(secrets).redact(s)
}

// redactor is a set of secrets ready to be looked for: the longest first,
// each folded as the views are.
type redactor struct {
	keys   []string
	folded [][]byte
	stand  []string
}

func newRedactor(secrets map[string]string) *redactor {
	r := &redactor{}
	for k := range secrets {
		if k != "" {
			r.keys = append(r.keys, k)
		}
	}
	slices.SortFunc(r.keys, func(a, b string) int {
		if len(a) != len(b) {
			return len(b) - len(a)
		}
		return bytes.Compare([]byte(a), []byte(b))
	})
	for _, k := range r.keys {
		f := []byte(k)
		lowerASCII(f)
		r.folded = append(r.folded, f)
		r.stand = append(r.stand, secrets[k])
	}
	return r
}

// redact is redactText with r's secrets.
func (r *redactor) redact(s string) string {
	if len(r.keys) == 0 || s == "" {
		return s
	}
	folded := r.folded
	raw := &view{b: []byte(s)}
	lowerASCII(raw.b)
	var cover []int32 // 1 + the index in keys of the secret hiding each byte of s; 0: shown
	var link []bool   // link[j]: one match covers both s[j] and s[j+1]
	for v, round := raw, 0; v != nil; round++ {
		for ki, k := range folded {
			for from := 0; ; {
				at := bytes.Index(v.b[from:], k)
				if at < 0 {
					break
				}
				at += from
				if cover == nil {
					cover, link = make([]int32, len(s)), make([]bool, len(s))
				}
				st, _ := v.span(at)
				_, en := v.span(at + len(k) - 1)
				for j := st; j < en; j++ {
					if cover[j] == 0 || int(cover[j]) > ki+1 {
						cover[j] = int32(ki + 1)
					}
					link[j] = link[j] || j+1 < en
				}
				from = at + 1
			}
		}
		if round == maxDecodeRounds {
			break
		}
		v, _ = decode(v)
	}
	if cover == nil {
		return s
	}
	var b bytes.Buffer
	for i := 0; i < len(s); {
		if cover[i] == 0 {
			b.WriteByte(s[i])
			i++
			continue
		}
		best := cover[i]
		for ; link[i]; i++ {
			best = min(best, cover[i+1])
		}
		i++
		b.WriteString(r.stand[best-1])
	}
	return b.String()
}
