package metamergetest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// Check compares an implementation's answer with the case's and returns a
// readable account of every difference, or "" when the answer is right.
// Documents are compared byte for byte and shown indented, so that a
// one-member difference is a one-line diff. Error messages are compared
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
		fmt.Fprintf(&b, "a result came back with errors (H7): %s\n", quote(got.Result))
	case len(want.Errors) > 0 && len(got.Errors) == 0:
		fmt.Fprintf(&b, "want errors, got result:\n%s\n", indentLines(indent(got.Result), "  "))
	case len(want.Errors) == 0 && len(got.Errors) > 0:
		fmt.Fprintf(&b, "want result:\n%s\n", indentLines(indent(want.Result), "  "))
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
		fmt.Fprintf(&b, "errors (-want +got):\n%s", listDiff(errorLines(we), errorLines(ge)))
	}
	if isReport(c.Input.Op) && len(want.Errors) == 0 && !slices.Equal(want.Changes, got.Changes) {
		fmt.Fprintf(&b, "changes (-want +got):\n%s", listDiff(changeLines(want.Changes), changeLines(got.Changes)))
	}
	return b.String()
}

// documentDiff shows two documents that differ, indented where they are
// JSON, or quoted where they differ only in form.
func documentDiff(what string, want, got []byte) string {
	w, g := indent(want), indent(got)
	if w == g {
		return fmt.Sprintf("%s differs in form only:\n  want %s\n   got %s\n", what, quote(want), quote(got))
	}
	return fmt.Sprintf("%s (-want +got):\n%s", what, listDiff(strings.Split(w, "\n"), strings.Split(g, "\n")))
}

func quote(doc []byte) string {
	if doc == nil {
		return "null"
	}
	return fmt.Sprintf("%q", doc)
}

// indent returns the document indented by two spaces, or quoted when it
// is not JSON text; "null" stands for no document.
func indent(doc []byte) string {
	if doc == nil {
		return "null"
	}
	var b bytes.Buffer
	if err := json.Indent(&b, doc, "", "  "); err != nil {
		return quote(doc)
	}
	return b.String()
}

func errorLines(errs []Error) []string {
	lines := make([]string, len(errs))
	for i, e := range errs {
		lines[i] = fmt.Sprintf("%s at %q", e.Code, e.Pointer)
		if e.Stored {
			lines[i] += " (stored)"
		}
		if e.Auth0Message != "" {
			lines[i] += fmt.Sprintf(" message %q", e.Auth0Message)
		}
	}
	return lines
}

func changeLines(changes []Change) []string {
	lines := make([]string, len(changes))
	for i, ch := range changes {
		lines[i] = fmt.Sprintf("%s %q", ch.Op, ch.Pointer)
	}
	return lines
}

// maxDiffLines is the most lines listDiff shows: past it, the rest of a
// document that differs in everything tells nothing more.
const maxDiffLines = 200

// listDiff is a line diff of two lists: the longest common subsequence
// kept with "  ", the rest marked "- " (want) and "+ " (got). The lists
// are small (a document of a vector, a list of errors); past 2,000 lines
// a side it shows both in full instead.
func listDiff(want, got []string) string {
	var b strings.Builder
	if len(want) > 2000 || len(got) > 2000 {
		for _, l := range want {
			b.WriteString("  - " + l + "\n")
		}
		for _, l := range got {
			b.WriteString("  + " + l + "\n")
		}
		return b.String()
	}
	// lcs[i][j] is the length of the longest common subsequence of
	// want[i:] and got[j:].
	lcs := make([][]int, len(want)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(got)+1)
	}
	for i := len(want) - 1; i >= 0; i-- {
		for j := len(got) - 1; j >= 0; j-- {
			if want[i] == got[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	i, j, lines := 0, 0, 0
	for i < len(want) || j < len(got) {
		if lines++; lines > maxDiffLines {
			fmt.Fprintf(&b, "  … (%d more lines of want, %d of got)\n", len(want)-i, len(got)-j)
			break
		}
		switch {
		case i < len(want) && j < len(got) && want[i] == got[j]:
			b.WriteString("    " + want[i] + "\n")
			i, j = i+1, j+1
		case i < len(want) && (j == len(got) || lcs[i+1][j] >= lcs[i][j+1]):
			b.WriteString("  - " + want[i] + "\n")
			i++
		default:
			b.WriteString("  + " + got[j] + "\n")
			j++
		}
	}
	return b.String()
}

func indentLines(s, prefix string) string {
	return prefix + strings.ReplaceAll(s, "\n", "\n"+prefix)
}
