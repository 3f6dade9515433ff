package metamerge

// How is a violation reported? Code, Error, Errors and the joined list.

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Code names one kind of violation. The codes are language-neutral: the
// golden vectors in conformance/vectors use the same strings.
//
// A Code is also the sentinel error of its kind, as a syscall.Errno is:
// every [*Error] unwraps to its Code, so errors.Is(err, CodeTooManyKeys)
// reports whether err holds a too_many_keys violation.
type Code string

// The error codes, one for each kind of violation in the contract.
const (
	CodeInvalidJSON   Code = "invalid_json"    // H1, H2: not RFC 8259 JSON in UTF-8, or a lone surrogate escape
	CodeDuplicateKey  Code = "duplicate_key"   // H2: a member name repeats within one object
	CodeTooDeep       Code = "too_deep"        // H3: nesting deeper than the limit
	CodeTooLarge      Code = "too_large"       // R9, H10: a merged field, profile or input over its byte limit
	CodeNotObject     Code = "not_object"      // R1, C1, S1, H9: an object was required
	CodeNotString     Code = "not_string"      // C2, S1: a value must be a string
	CodeInvalidKey    Code = "invalid_key"     // R7, C3, S2: a member name breaks the name rule
	CodeReservedKey   Code = "reserved_key"    // R8: a reserved app_metadata name
	CodeTooManyKeys   Code = "too_many_keys"   // C4, S1: more members than allowed
	CodeKeyTooLong    Code = "key_too_long"    // C3, S1: a member name over the length limit
	CodeValueTooLong  Code = "value_too_long"  // C2, S1: a string value over the length limit
	CodeTooManyErrors Code = "too_many_errors" // H8: the list of violations was cut here
	CodeUnreachable   Code = "unreachable"     // D5: a diff's after holds what no PATCH produces
)

// Error returns the code itself, so that a Code can stand as a sentinel
// error and still prints as the code.
func (c Code) Error() string { return string(c) }

// Error is one violation, located in the input it was found in. It is
// plain data: two Errors with equal fields behave the same in every
// method, and compare equal with == on their values and with cmp.Diff.
//
// A function of this package returns either a single *Error or, when a
// patch breaks several rules, an error made by [errors.Join]; [Errors]
// lists the *Error values of either, in order.
type Error struct {
	// Code says which rule was broken.
	Code Code
	// Pointer is an RFC 6901 JSON Pointer to the offending value or member,
	// relative to the document it was found in: the PATCH body, the stored
	// document (when Stored is true), or the metadata object given on its
	// own. It is "" for the whole document, and always "" for
	// CodeInvalidJSON, where Offset says where.
	Pointer string
	// Stored is true when the violation is in the stored (existing)
	// document rather than in the patch.
	Stored bool
	// Offset is the byte offset in that document at which the violation was
	// found, or -1 where the violation has no single place (a merged size,
	// an input over its size limit, a cut list).
	Offset int
	// Limit is the limit that was exceeded, for too_deep, too_large,
	// too_many_keys, key_too_long, value_too_long and too_many_errors;
	// otherwise 0.
	Limit int
	// Actual is the measured value compared with Limit: a depth, a byte
	// count, a number of keys, a length in the policy's unit, or, for
	// too_many_errors, how many violations were found in all; otherwise 0.
	Actual int
	// Found is the JSON type of the value found where an object or a
	// string was required ("object", "array", "string", "number",
	// "boolean" or "null"), for not_object and not_string; otherwise "".
	Found string
	// Signup is true for violations found by [ValidateSignup]: it selects
	// the wording of Auth0's signup endpoint in [Error.Auth0Message].
	Signup bool
}

// maxMessagePointer is the most bytes of a pointer that Error() quotes;
// a longer one is cut there, so that a message stays short whatever the
// names in the input.
const maxMessagePointer = 120

// Error returns a lower-case message with the package prefix, the location
// and the code, such as
//
//	metamerge: "/client_metadata/c": value_too_long (256 > 255)
//
// A pointer longer than 120 bytes is shortened in the message (the
// Pointer field stays exact). The wording is not part of the API; Code is.
func (e *Error) Error() string {
	// The quoted pointer goes through a buffer on the stack, so that the
	// message is allocated once: a byte quotes to at most 4.
	var q [4*maxMessagePointer + 2]byte
	quoted := q[:0]
	switch {
	case e.Code == CodeInvalidJSON && e.Offset >= 0, e.Pointer == "":
	case len(e.Pointer) > maxMessagePointer:
		cut := maxMessagePointer
		for cut > 0 && !utf8.RuneStart(e.Pointer[cut]) {
			cut--
		}
		quoted = strconv.AppendQuote(quoted, e.Pointer[:cut])
	default:
		quoted = strconv.AppendQuote(quoted, e.Pointer)
	}
	var b strings.Builder
	b.Grow(len("metamerge: stored document: ") + len(quoted) + len(`... (bytes): `) + len(e.Code) + 3*20 + 6)
	b.WriteString("metamerge: ")
	if e.Stored {
		b.WriteString("stored document: ")
	}
	switch {
	case e.Code == CodeInvalidJSON && e.Offset >= 0:
		b.WriteString("offset ")
		writeInt(&b, e.Offset)
	case e.Pointer == "":
		b.WriteString("document root")
	case len(e.Pointer) > maxMessagePointer:
		b.Write(quoted)
		b.WriteString("... (")
		writeInt(&b, len(e.Pointer))
		b.WriteString(" bytes)")
	default:
		b.Write(quoted)
	}
	b.WriteString(": ")
	b.WriteString(string(e.Code))
	if e.Limit > 0 {
		b.WriteString(" (")
		writeInt(&b, e.Actual)
		b.WriteString(" > ")
		writeInt(&b, e.Limit)
		b.WriteString(")")
	}
	return b.String()
}

// writeInt writes n in decimal to b without allocating.
func writeInt(b *strings.Builder, n int) {
	var digits [20]byte
	b.Write(strconv.AppendInt(digits[:0], int64(n), 10))
}

// Unwrap returns e's Code, so that errors.Is(err, CodeNotString) reports
// whether err holds a not_string violation.
func (e *Error) Unwrap() error { return e.Code }

// MarshalJSON encodes e as an object with the members code, pointer,
// stored (when true), offset (when known), limit and actual (when Limit is
// set), found (when set), signup (when true), and message (the text of
// Error). It does not HTML-escape: the pointer is exact, and as long as the
// names it holds, so escaping "<" as \u003c could make it six times
// longer. json.Marshal escapes it all the same; a json.Encoder with
// SetEscapeHTML(false) keeps it as it is. The text is that of such an
// Encoder, written once at its exact size: at most 6 bytes for each byte
// of the pointer (a control character is \u0001) and a few hundred more.
func (e *Error) MarshalJSON() ([]byte, error) {
	const lit, str, num = 0, 1, 2
	type part struct {
		text string // the literal, the name and colon before a value, or the string value
		num  int
		kind byte
	}
	parts := make([]part, 0, 17) // every member
	add := func(p ...part) { parts = append(parts, p...) }
	add(part{text: `{"code":`}, part{text: string(e.Code), kind: str},
		part{text: `,"pointer":`}, part{text: e.Pointer, kind: str})
	if e.Stored {
		add(part{text: `,"stored":true`})
	}
	if e.Offset >= 0 {
		add(part{text: `,"offset":`}, part{num: e.Offset, kind: num})
	}
	if e.Limit > 0 {
		add(part{text: `,"limit":`}, part{num: e.Limit, kind: num}, part{text: `,"actual":`}, part{num: e.Actual, kind: num})
	}
	if e.Found != "" {
		add(part{text: `,"found":`}, part{text: e.Found, kind: str})
	}
	if e.Signup {
		add(part{text: `,"signup":true`})
	}
	add(part{text: `,"message":`}, part{text: e.Error(), kind: str}, part{text: `}`})
	size := 0
	for _, p := range parts {
		switch p.kind {
		case lit:
			size += len(p.text)
		case str:
			size += quotedLen(p.text)
		case num:
			var digits [20]byte
			size += len(strconv.AppendInt(digits[:0], int64(p.num), 10))
		}
	}
	b := make([]byte, 0, size)
	for _, p := range parts {
		switch p.kind {
		case lit:
			b = append(b, p.text...)
		case str:
			b = appendQuoted(b, p.text)
		case num:
			b = strconv.AppendInt(b, int64(p.num), 10)
		}
	}
	return b, nil
}

// jsonEscape is the escape of each ASCII byte in a JSON string as
// encoding/json writes it without HTML escaping: 0 for a byte kept as it
// is, a letter for a two-byte escape, and 'u' for \u00XX.
var jsonEscape = [utf8.RuneSelf]byte{
	'"': '"', '\\': '\\', '\b': 'b', '\f': 'f', '\n': 'n', '\r': 'r', '\t': 't',
	0: 'u', 1: 'u', 2: 'u', 3: 'u', 4: 'u', 5: 'u', 6: 'u', 7: 'u', 0x0b: 'u', 0x0e: 'u', 0x0f: 'u',
	0x10: 'u', 0x11: 'u', 0x12: 'u', 0x13: 'u', 0x14: 'u', 0x15: 'u', 0x16: 'u', 0x17: 'u',
	0x18: 'u', 0x19: 'u', 0x1a: 'u', 0x1b: 'u', 0x1c: 'u', 0x1d: 'u', 0x1e: 'u', 0x1f: 'u',
}

// quotedLen returns the length of s as a JSON string by appendQuoted.
func quotedLen(s string) int {
	n := 2
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch jsonEscape[c] {
			case 0:
				n++
			case 'u':
				n += 6
			default:
				n += 2
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1, r == '\u2028', r == '\u2029':
			n += 6
		default:
			n += size
		}
		i += size
	}
	return n
}

// appendQuoted appends s as a JSON string as encoding/json writes it
// without HTML escaping: invalid UTF-8 as \ufffd, U+2028 and U+2029
// escaped, runs of bytes that need no escape copied whole.
func appendQuoted(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			esc := jsonEscape[c]
			if esc == 0 {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			if esc == 'u' {
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			} else {
				b = append(b, '\\', esc)
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			switch r {
			case utf8.RuneError:
				b = append(b, `\ufffd`...)
			case '\u2028':
				b = append(b, `\u2028`...)
			default:
				b = append(b, `\u2029`...)
			}
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// Errors returns every *Error in err, in order: err itself when it is
// one, and the *Error values of a joined error (from this package, or
// wrapped by the caller); nil when err is nil or holds no *Error. A
// service can answer 400 when the list is not empty, and 500 for any
// other error (a wrong setting, for example).
func Errors(err error) []*Error {
	var out []*Error
	var walk func(error)
	walk = func(err error) {
		switch x := err.(type) {
		case nil:
		case *Error:
			out = append(out, x)
		case interface{ Unwrap() []error }:
			for _, e := range x.Unwrap() {
				walk(e)
			}
		case interface{ Unwrap() error }:
			walk(x.Unwrap())
		}
	}
	walk(err)
	return out
}

// joinErrors returns nil for none, the error itself for one, and
// errors.Join for several.
func joinErrors(errs []*Error) error {
	switch len(errs) {
	case 0:
		return nil
	case 1:
		return errs[0]
	}
	list := make([]error, len(errs))
	for i, e := range errs {
		list[i] = e
	}
	return errors.Join(list...)
}
