package metamergetest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/metamerge/metamerge"
	"github.com/metamerge/metamerge/conformance"
)

// implementation applies the steps of a file, one at a time, to the
// document it holds.
type implementation interface {
	apply(patch []byte) (outcome, error)
}

// outcome is what one step gave, or was to give.
type outcome struct {
	result []byte // a function's document, compact
	errors []Error
	http   bool // an HTTP answer: status, and body or text
	status int
	body   []byte // the answer when it is JSON, compact
	text   string // the answer when it is not JSON
	// Computed expectations of an answer: a refusal's body is not
	// compared, and a result's by meaning (D2).
	anyBody, meaning bool
}

// recorded is the outcome a step of a file records.
func recorded(s *Step, http bool) outcome {
	if http {
		o := outcome{http: true, status: s.Status, text: s.Text}
		if s.Body != nil {
			o.body = compact(s.Body)
		}
		return o
	}
	o := outcome{errors: s.Errors}
	if s.Result != nil {
		o.result = compact(s.Result)
	}
	return o
}

// record writes the outcome into a step of a file.
func (o outcome) record(s *Step) {
	s.Result, s.Errors, s.Status, s.Body, s.Text = nil, nil, 0, nil, ""
	if o.http {
		s.Status, s.Body, s.Text = o.status, o.body, o.text
		return
	}
	s.Result, s.Errors = o.result, o.errors
}

// asAnswer turns the library's outcome into the answer expected of a
// server: 200 with a body that means the same as the result, or 400 with
// any body.
func (o outcome) asAnswer() outcome {
	if o.errors != nil {
		return outcome{http: true, status: 400, anyBody: true, errors: o.errors}
	}
	return outcome{http: true, status: 200, body: o.result, meaning: true}
}

// sameBody reports whether the answer got has the body o expects.
func (o outcome) sameBody(got outcome) bool {
	switch {
	case o.anyBody:
		return true
	case o.meaning:
		eq, err := metamerge.Equal(o.body, got.body)
		return got.body != nil && err == nil && eq
	}
	return bytes.Equal(o.body, got.body) && o.text == got.text
}

// same reports whether got is the outcome o expects.
func (o outcome) same(got outcome) bool {
	if o.http || got.http {
		return o.http == got.http && o.status == got.status && o.sameBody(got)
	}
	return bytes.Equal(o.result, got.result) && slices.Equal(o.errors, got.errors)
}

// account returns "" when got is the outcome o expects, else an account of
// the differences to follow a step's name: the member where they start,
// when there is one, and indented line diffs.
func (o outcome) account(got outcome) string {
	if o.same(got) {
		return ""
	}
	if !o.http || !got.http {
		if o.http != got.http {
			return fmt.Sprintf(": the file records %s, the implementation gave %s\n(replay it against the implementation that recorded it, or rewrite it with %s=1)",
				o.form(), got.form(), UpdateEnv)
		}
		c := conformance.Case{Want: conformance.Output{Result: o.result, Errors: violations(o.errors)}}
		d := c.Check(conformance.Output{Result: got.result, Errors: violations(got.errors)})
		return showMembers(o.members(got)) + ":\n" + d
	}
	if o.status == 0 {
		return fmt.Sprintf(": no answer recorded; the implementation answered %d\n(record it with %s=1)", got.status, UpdateEnv)
	}
	var b strings.Builder
	at := ""
	if o.status != got.status {
		fmt.Fprintf(&b, "status: want %d, got %d\n", o.status, got.status)
		if len(o.errors) > 0 { // Computed: the library refuses the patch
			e := o.errors[0]
			at = showMembers(e.Pointer, e.Pointer)
			fmt.Fprintf(&b, "the library refuses the patch: %s at %s", e.Code, showPointer(e.Pointer))
			if len(o.errors) > 1 {
				fmt.Fprintf(&b, " and %d more", len(o.errors)-1)
			}
			b.WriteByte('\n')
		}
	}
	if !o.sameBody(got) {
		if o.text != "" || got.text != "" {
			fmt.Fprintf(&b, "text: want %s, got %s\n", quoteCut(o.text), quoteCut(got.text))
		}
		if o.body != nil || got.body != nil {
			c := conformance.Case{Want: conformance.Output{Result: o.body}}
			if o.meaning {
				b.WriteString("body, compared by meaning (D2): ")
			} else {
				b.WriteString("body: ")
			}
			b.WriteString(c.Check(conformance.Output{Result: got.body}))
		}
		switch {
		case o.meaning && got.body != nil:
			if p, ok := meaningDifference(o.body, got.body, maxMeaningBytes); ok {
				at = showMembers(p, p)
			}
		case o.body != nil && got.body != nil:
			at = showMembers(firstDifference(o.body, got.body))
		}
	}
	return at + ":\n" + strings.TrimSuffix(b.String(), "\n")
}

// form names what an outcome records, for a person.
func (o outcome) form() string {
	if o.http {
		return "an HTTP answer"
	}
	return "a result or errors"
}

// members returns the JSON Pointers of the members where the function
// outcome got first differs from o, in o and in got: in the documents,
// the first member whose text differs; in errors, the place of the first
// error that differs.
func (o outcome) members(got outcome) (string, string) {
	if o.errors == nil && got.errors == nil {
		return firstDifference(o.result, got.result)
	}
	for i := range max(len(o.errors), len(got.errors)) {
		switch {
		case i >= len(o.errors):
			return got.errors[i].Pointer, got.errors[i].Pointer
		case i >= len(got.errors) || o.errors[i] != got.errors[i]:
			return o.errors[i].Pointer, o.errors[i].Pointer
		}
	}
	return "", ""
}

// showPointer quotes a JSON Pointer for a person; one longer than
// maxQuoted bytes (a member 10,000 levels deep) is shown by its two ends.
func showPointer(p string) string {
	if len(p) <= maxQuoted {
		return strconv.Quote(p)
	}
	return fmt.Sprintf("%s…%s (%d bytes)", strconv.Quote(p[:maxQuoted/2]), strconv.Quote(p[len(p)-maxQuoted/2:]), len(p))
}

// maxQuoted is the most bytes of a text answer a failure quotes.
const maxQuoted = 240

// quoteCut quotes s, cut to maxQuoted bytes.
func quoteCut(s string) string {
	if len(s) > maxQuoted {
		return strconv.Quote(s[:maxQuoted]) + fmt.Sprintf("… (%d bytes)", len(s))
	}
	return strconv.Quote(s)
}

// violations turns a golden file's errors into a Case's; an error known
// by its message alone shows the message in place of a code.
func violations(errs []Error) []conformance.Violation {
	if len(errs) == 0 {
		return nil
	}
	out := make([]conformance.Violation, len(errs))
	for i, e := range errs {
		out[i] = conformance.Violation{Code: e.Code, Pointer: e.Pointer, Stored: e.Stored}
		if e.Code == "" {
			out[i].Code = "message " + quoteCut(e.Message)
		}
	}
	return out
}

// firstDifference returns the JSON Pointers of the members of two
// compact JSON texts where they first differ, in a and in b: the innermost
// member or element whose text holds the first differing byte; where one
// text ends a value that the other goes on with, that value; where one
// ends an object or array that the other goes on with, the member the
// other has more (the same pointer twice). It takes time
// linear in the common prefix and memory in its depth.
func firstDifference(a, b []byte) (string, string) {
	p := 0
	for p < len(a) && p < len(b) && a[p] == b[p] {
		p++
	}
	pa, ka := pointerAt(a, p)
	pb, kb := pointerAt(b, p)
	switch {
	case ka == inMember && kb != inMember: // b ends the value a goes on with
		return pa, pa
	case kb == inMember && ka != inMember:
		return pb, pb
	case ka == atComma: // and b ends the object or array: a has a member more
		return pa, pa
	case kb == atComma:
		return pb, pb
	}
	return pa, pb
}

// Where a byte falls in JSON text, for pointerAt.
const (
	inMember = iota // in a member's name or value, or an element
	atComma         // at the comma before a member or element
	atClose         // at the end of an object or array, or of the text
)

// maxMeaningBytes is the most bytes of two documents that
// meaningDifference reads; past it a difference by meaning is not located.
const maxMeaningBytes = 1 << 20

// meaningDifference returns the JSON Pointer of the first member, by
// name, or element where two JSON documents that differ by meaning
// (metamerge.Equal) part, the members of an object taken in the order of
// their names; false when the documents together exceed budget bytes,
// which bounds the cost to a few times budget at each of 32 levels at
// most.
func meaningDifference(a, b []byte, budget int) (string, bool) {
	if len(a)+len(b) > budget {
		return "", false
	}
	var ptr strings.Builder
	for range 32 {
		var ma, mb map[string]json.RawMessage
		var aa, ab []json.RawMessage
		switch {
		case json.Unmarshal(a, &ma) == nil && json.Unmarshal(b, &mb) == nil && ma != nil && mb != nil:
			names := make([]string, 0, len(ma)+len(mb))
			for k := range ma {
				names = append(names, k)
			}
			for k := range mb {
				if _, ok := ma[k]; !ok {
					names = append(names, k)
				}
			}
			slices.Sort(names)
			next := false
			for _, k := range names {
				va, oka := ma[k]
				vb, okb := mb[k]
				if eq, err := metamerge.Equal(va, vb); oka && okb && err == nil && eq {
					continue
				}
				ptr.WriteString("/" + pointerToken(k))
				if !oka || !okb {
					return ptr.String(), true
				}
				a, b, next = va, vb, true
				break
			}
			if !next {
				return ptr.String(), true
			}
		case json.Unmarshal(a, &aa) == nil && json.Unmarshal(b, &ab) == nil && aa != nil && ab != nil:
			i := 0
			for i < len(aa) && i < len(ab) {
				if eq, err := metamerge.Equal(aa[i], ab[i]); err != nil || !eq {
					break
				}
				i++
			}
			ptr.WriteString("/" + strconv.Itoa(i))
			if i >= len(aa) || i >= len(ab) {
				return ptr.String(), true
			}
			a, b = aa[i], ab[i]
		default:
			return ptr.String(), true
		}
	}
	return ptr.String(), true
}

// showMembers names the members where two documents part, for a person.
func showMembers(want, got string) string {
	if want == got {
		return " at " + showPointer(want)
	}
	return " at " + showPointer(want) + " (want) and " + showPointer(got) + " (got)"
}

// pointerAt returns the JSON Pointer of the member of the compact JSON
// text doc that holds byte p, and where p falls: in a member, at a comma
// (the pointer then names the member after it), or at the end of an
// object or array (the pointer names it).
func pointerAt(doc []byte, p int) (string, int) {
	type level struct {
		obj   bool
		key   []byte // the current member's name, quoted, in an object
		index int    // the current element, in an array
	}
	var stack []level
	for i := 0; i < p && i < len(doc); i++ {
		switch c := doc[i]; c {
		case '"':
			j := stringEnd(doc, i)
			if n := len(stack); n > 0 && stack[n-1].obj && stack[n-1].key == nil {
				stack[n-1].key = doc[i:j]
			}
			i = j - 1
		case '{', '[':
			stack = append(stack, level{obj: c == '{'})
		case '}', ']':
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		case ',':
			if n := len(stack); n > 0 {
				stack[n-1].key, stack[n-1].index = nil, stack[n-1].index+1
			}
		}
	}
	var at byte
	if p < len(doc) {
		at = doc[p]
	}
	where := inMember
	switch {
	case at == '"' && len(stack) > 0 && stack[len(stack)-1].obj && stack[len(stack)-1].key == nil:
		stack[len(stack)-1].key = doc[p:stringEnd(doc, p)] // a name starts at p
	case p >= len(doc) || at == '}' || at == ']':
		where = atClose
		if len(stack) > 0 {
			stack = stack[:len(stack)-1]
		}
	case at == ',' && len(stack) > 0:
		where = atComma
		top := &stack[len(stack)-1]
		top.key, top.index = doc[p+1:stringEnd(doc, p+1)], top.index+1
		if !top.obj {
			top.key = nil
		}
	}
	var b strings.Builder
	for _, l := range stack {
		if !l.obj {
			b.WriteByte('/')
			b.WriteString(strconv.Itoa(l.index))
			continue
		}
		if len(l.key) < 2 {
			continue // not JSON text
		}
		b.WriteByte('/')
		name := l.key[1 : len(l.key)-1]
		if bytes.IndexByte(name, '\\') >= 0 {
			var s string
			if json.Unmarshal(l.key, &s) == nil {
				name = []byte(s)
			}
		}
		for _, c := range name {
			switch c {
			case '~':
				b.WriteString("~0")
			case '/':
				b.WriteString("~1")
			default:
				b.WriteByte(c)
			}
		}
	}
	return b.String(), where
}
