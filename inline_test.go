package metamerge_test

// Do the hot helpers inline?

import (
	"os"
	"os/exec"
	"regexp"
	"testing"
)

// TestInline builds the package with -gcflags=-m=2 and checks that the
// helpers on the hot paths are inlined, as encoding/json/v2 does for its
// own: a change that pushes one over the compiler's budget shows here and
// not only as a slower benchmark. Each entry says why it must inline.
func TestInline(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("go is not on PATH, so the package cannot be built here: %v", err)
	}
	want := []struct{ fn, why string }{
		{"(*member).value", "every merge, diff and comparison reads each member's value through it; farText keeps its rare case apart"},
		{"(*member).valLo", "the offset of each value, read per member; farValue keeps its rare case apart"},
		{"(*member).keyText", "each member's name, read per member when names are matched"},
		{"(*member).compact", "the write copies runs of compact members, asked per member"},
		{"newMember", "the scanner records every member of every open object with it"},
		{"isSpace", "the scanner tests it on every byte between tokens"},
		{"skipSpace", "called between every two tokens of every document"},
		{"specialBits", "the scanner's string loop tests eight bytes at a time with it"},
		{"plainWords", "the scanner finds the end of every plain run of every string with it"},
		{"plainEnd", "the scanner's string loop ends with it within eight bytes of a document's end"},
		{"digits", "the scanner reads the digits of every integer with it, in its token loop"},
		{"tag", "the name index hashes every name it holds or looks up"},
		{"bit", "the small-object index's filter, per name"},
		{"mix", "the name table's hash folds in every eight bytes of a name with it"},
		{"appendMember", "the write appends every member it rewrites with it"},
		{"(*few).may", "a small merge asks it for each stored name before comparing names pairwise"},
		{"fewBit", "the filter of a pairwise match, per name"},
		{"(*few).add", "a small merge adds each patch name it matches pairwise with it"},
		{"dotOrDollar", "the test of R7 runs it on each word of every name a patch field holds, at every depth"},
	}
	cmd := exec.Command(goBin, "build", "-gcflags=-m=2", "-o", os.DevNull, ".")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go build -gcflags=-m=2: %v\n%s", err, out)
	}
	for _, w := range want {
		name := regexp.QuoteMeta(w.fn)
		if regexp.MustCompile(`(?m): can inline ` + name + `(?: with cost .*)?$`).Match(out) {
			continue
		}
		why := "not in the compiler's output"
		if m := regexp.MustCompile(`(?m): cannot inline ` + name + `: .*$`).Find(out); m != nil {
			why = string(m)
		}
		t.Errorf("%s is not inlined (%s); it must be: %s", w.fn, why, w.why)
	}
}
