package conformance

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
)

// Check compares an implementation's answer with the case's and returns a
// readable account of every difference, or "" when the answer is right.
// Documents are compared byte for byte and shown indented, so that a
// one-member difference is a one-line diff. The account is bounded
// whatever the answer: at most about 200 lines and 32 KB a section, long
// lines cut, deep nesting shown by number past 32 levels, and "… N more"
// for the rest. Error messages are compared
// only where both the case and the answer have one. A skipped answer is
// not checked: Check returns "".
func (c Case) Check(got Output) string {
	if got.Skipped != "" {
		return ""
	}
	var b strings.Builder
	want := c.Want
	sameResult := bytes.Equal(want.Result, got.Result) && (want.Result == nil) == (got.Result == nil)
	switch {
	case len(got.Errors) > 0 && got.Result != nil:
		fmt.Fprintf(&b, "a result came back with errors (H7): %s\n", quoteCut(got.Result, 0))
	case len(want.Errors) > 0 && len(got.Errors) == 0:
		fmt.Fprintf(&b, "want errors, got result:\n%s\n", showDoc(got.Result, "  "))
	case len(want.Errors) == 0 && len(got.Errors) > 0:
		fmt.Fprintf(&b, "want result:\n%s\n", showDoc(want.Result, "  "))
	case !sameResult:
		b.WriteString(documentDiff("result", want.Result, got.Result))
	}
	we, ge := slices.Clone(want.Errors), slices.Clone(got.Errors)
	for i := range min(len(we), len(ge)) {
		if we[i].Auth0Message == "" || ge[i].Auth0Message == "" {
			we[i].Auth0Message, ge[i].Auth0Message = "", ""
		}
	}
	for i := len(we); i < len(ge); i++ {
		ge[i].Auth0Message = ""
	}
	if !slices.Equal(we, ge) {
		fmt.Fprintf(&b, "errors (-want +got):\n%s", errorDiff(we, ge))
	}
	if isReport(c.Input.Op) && len(want.Errors) == 0 && !slices.Equal(want.Changes, got.Changes) {
		fmt.Fprintf(&b, "changes (-want +got):\n%s", changeDiff(want.Changes, got.Changes))
	}
	return b.String()
}

// documentDiff shows two documents that differ, indented where they are
// JSON, or quoted where they differ only in form; see render.go for the
// bounds.
func documentDiff(what string, want, got []byte) string {
	if d := diffLines(docLines(want), docLines(got)); d != "" {
		return fmt.Sprintf("%s (-want +got):\n%s", what, d)
	}
	at := firstDifference(want, got)
	return fmt.Sprintf("%s differs in form only:\n  want %s\n   got %s\n", what, quoteCut(want, at), quoteCut(got, at))
}

// errorLine writes a violation as one line: its code and pointer (quoted)
// written through the line, so that a long or hostile one costs no copy
// and shows escaped and cut.
func errorLine(b *lineBuf, e Violation) {
	b.writeQuoted(e.Code, false)
	b.write([]byte(" at "))
	b.writeQuoted(e.Pointer, true)
	if e.Stored {
		b.write([]byte(" (stored)"))
	}
	if e.Auth0Message != "" {
		b.write([]byte(" message "))
		b.writeQuoted(e.Auth0Message, true)
	}
}

// errorDiff and changeDiff are line diffs of two lists, one item a line.
func errorDiff(want, got []Violation) string {
	return diffLines(&listLines{n: len(want), at: func(i int, b *lineBuf) { errorLine(b, want[i]) }},
		&listLines{n: len(got), at: func(i int, b *lineBuf) { errorLine(b, got[i]) }})
}

func changeDiff(want, got []ReportedChange) string {
	line := func(b *lineBuf, ch ReportedChange) {
		b.writeQuoted(ch.Op, false)
		b.write([]byte{' '})
		b.writeQuoted(ch.Pointer, true)
	}
	return diffLines(&listLines{n: len(want), at: func(i int, b *lineBuf) { line(b, want[i]) }},
		&listLines{n: len(got), at: func(i int, b *lineBuf) { line(b, got[i]) }})
}
