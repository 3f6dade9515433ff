package metamergetest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"testing"

	"github.com/metamerge/metamerge"
	"github.com/metamerge/metamerge/conformance"
)

// UpdateEnv is the environment variable that makes [Replay] rewrite the
// expectations of golden files instead of comparing them: run
//
//	METAMERGETEST_UPDATE=1 go test ./...
//
// and review the diff. It is an environment variable, not a flag, so that
// it cannot clash with another package's -update flag.
const UpdateEnv = "METAMERGETEST_UPDATE"

// A golden file holds a stored document, a sequence of PATCH bodies, and
// after each one the expected document or errors:
//
//	{
//	  "kind": "user",
//	  "stored": {"user_id": "auth0|42", "user_metadata": {"theme": "dark"}},
//	  "steps": [
//	    {
//	      "comment": "a new key is appended",
//	      "patch": {"user_metadata": {"lang": "fr"}},
//	      "result": {"user_id": "auth0|42", "user_metadata": {"theme": "dark", "lang": "fr"}}
//	    },
//	    {
//	      "patch": {"user_metadata": {"a.b": 1}},
//	      "errors": [{"code": "invalid_key", "pointer": "/user_metadata/a.b"}]
//	    }
//	  ]
//	}
//
// kind is "user" (PATCH /api/v2/users/{id}) or "client" (PATCH
// /api/v2/clients/{id}). Each step is merged into the document the step
// before left; a step that fails leaves it as it was (H7). Documents are
// JSON values, written indented (a value nested 16 levels deep in the file
// on one line); number text and escapes are kept as written, and results
// are compared byte for byte but for white space between tokens.
type goldenFile struct {
	Kind   string          `json:"kind"`
	Stored json.RawMessage `json:"stored"`
	Steps  []goldenStep    `json:"steps"`
}

type goldenStep struct {
	Comment string          `json:"comment,omitempty"`
	Patch   json.RawMessage `json:"patch"`
	Result  json.RawMessage `json:"result,omitempty"`
	Errors  []goldenError   `json:"errors,omitempty"`
}

// goldenError is a violation in a golden file: its code and place.
type goldenError struct {
	Code    string `json:"code"`
	Pointer string `json:"pointer"`
	Stored  bool   `json:"stored,omitempty"`
}

// Replayer replays golden files with its rules. The zero Replayer uses
// Auth0's rules.
type Replayer struct {
	User   metamerge.UserRules
	Client metamerge.ClientRules
}

// Replay replays the golden file at path with Auth0's rules; see
// [Replayer.Replay].
func Replay(t testing.TB, path string) {
	t.Helper()
	Replayer{}.Replay(t, path)
}

// Replay replays the golden file at path and fails t with an indented
// line diff for each step whose result or errors differ from the file.
// With the environment variable named by [UpdateEnv] set to 1, it
// rewrites the file's results and errors instead (keeping its stored
// document, patches and comments) and fails nothing.
func (r Replayer) Replay(t testing.TB, path string) {
	t.Helper()
	update := os.Getenv(UpdateEnv) == "1"
	diffs, rewritten, err := r.replay(path, !update)
	if err != nil {
		t.Fatal(err)
	}
	if update {
		if err := os.WriteFile(path, rewritten, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	for _, d := range diffs {
		t.Errorf("%s: %s\n(rewrite the expectations with %s=1)", path, d, UpdateEnv)
	}
}

// Check replays the golden file at path and returns an account of each
// step that differs from it, or nothing when all match. It is what Replay
// does, for use outside a test.
func (r Replayer) Check(path string) ([]string, error) {
	diffs, _, err := r.replay(path, true)
	return diffs, err
}

// maxShown is the most steps whose differences replay shows in full; the
// steps after them are named only, so that a file of many stale steps
// costs what its documents cost, not that many diffs of them.
const maxShown = 10

// replay runs the file's steps; it returns the differences when compare
// is set, else the file rewritten with what the library gave.
func (r Replayer) replay(path string, compare bool) (diffs []string, rewritten []byte, err error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	var f goldenFile
	if err := decodeStrict(data, &f); err != nil {
		return nil, nil, fmt.Errorf("metamergetest: %s: %v", path, err)
	}
	var merge func(stored, patch []byte) ([]byte, error)
	switch f.Kind {
	case "user":
		merge = r.User.Merge
	case "client":
		merge = r.Client.Merge
	default:
		return nil, nil, fmt.Errorf("metamergetest: %s: kind must be user or client, not %q", path, f.Kind)
	}
	if len(f.Stored) == 0 {
		return nil, nil, fmt.Errorf("metamergetest: %s: no stored document", path)
	}
	doc := compact(f.Stored)
	for i := range f.Steps {
		step := &f.Steps[i]
		if len(step.Patch) == 0 {
			return nil, nil, fmt.Errorf("metamergetest: %s: step %d has no patch", path, i+1)
		}
		result, err := merge(doc, compact(step.Patch))
		var got []goldenError
		for _, e := range metamerge.Errors(err) {
			got = append(got, goldenError{Code: string(e.Code), Pointer: e.Pointer, Stored: e.Stored})
		}
		if err != nil && got == nil {
			return nil, nil, fmt.Errorf("metamergetest: %s: step %d: %v", path, i+1, err)
		}
		name := fmt.Sprintf("step %d", i+1)
		if step.Comment != "" {
			name += " (" + step.Comment + ")"
		}
		if compare {
			want := conformance.Case{Want: conformance.Output{Errors: errorsOf(step.Errors)}}
			if step.Result != nil {
				want.Want.Result = compact(step.Result)
			}
			switch {
			case len(diffs) >= maxShown && (!bytes.Equal(want.Want.Result, result) || !slices.Equal(step.Errors, got)):
				diffs = append(diffs, name+" differs too")
			case len(diffs) < maxShown:
				if d := want.Check(conformance.Output{Result: result, Errors: errorsOf(got)}); d != "" {
					diffs = append(diffs, name+":\n"+d)
				}
			}
		}
		step.Result, step.Errors = nil, got
		if err == nil {
			doc = result
			step.Result = result
		}
	}
	if compare {
		return diffs, nil, nil
	}
	rewritten, err = marshal(f)
	if err != nil {
		return nil, nil, err
	}
	return diffs, indentFile(rewritten), nil
}

// maxFileIndent is the depth past which a rewritten golden file writes a
// value on one line: indenting every level of a document 10,000 deep
// would cost depth × tokens bytes.
const maxFileIndent = 16

// indentFile indents compact JSON text as json.Indent does with two
// spaces, but for the values nested maxFileIndent levels deep, which it
// keeps compact, so that the file costs at most about maxFileIndent times
// its compact form. It allocates the result once, at its size.
func indentFile(src []byte) []byte {
	_, n := indentInto(nil, src, true)
	b, _ := indentInto(make([]byte, 0, n), src, false)
	return b
}

// indentInto appends the indented src to dst, or with count only counts
// its bytes.
func indentInto(dst, src []byte, count bool) ([]byte, int) {
	n, depth := 0, 0
	put := func(p []byte) {
		if n += len(p); !count {
			dst = append(dst, p...)
		}
	}
	newline := append([]byte{'\n'}, bytes.Repeat([]byte(" "), 2*maxFileIndent)...)
	for i := 0; i < len(src); i++ {
		switch c := src[i]; c {
		case '"':
			j := stringEnd(src, i)
			put(src[i:j])
			i = j - 1
		case '{', '[':
			if i+1 < len(src) && (src[i+1] == '}' || src[i+1] == ']') {
				put(src[i : i+2])
				i++
				continue
			}
			if depth == maxFileIndent {
				j := valueEnd(src, i)
				put(src[i:j])
				i = j - 1
				continue
			}
			put(src[i : i+1])
			depth++
			put(newline[:1+2*depth])
		case '}', ']':
			depth--
			put(newline[:1+2*depth])
			put(src[i : i+1])
		case ',':
			put(src[i : i+1])
			put(newline[:1+2*depth])
		case ':':
			put([]byte(": "))
		default:
			put(src[i : i+1])
		}
	}
	put(newline[:1])
	return dst, n
}

// stringEnd returns the offset just past the string that starts at i.
func stringEnd(src []byte, i int) int {
	for i++; i < len(src) && src[i] != '"'; i++ {
		if src[i] == '\\' {
			i++
		}
	}
	return min(i+1, len(src))
}

// valueEnd returns the offset just past the object or array that starts
// at i.
func valueEnd(src []byte, i int) int {
	depth := 0
	for ; i < len(src); i++ {
		switch src[i] {
		case '"':
			i = stringEnd(src, i) - 1
		case '{', '[':
			depth++
		case '}', ']':
			if depth--; depth == 0 {
				return i + 1
			}
		}
	}
	return len(src)
}

// errorsOf turns a golden file's errors into a Case's.
func errorsOf(errs []goldenError) []conformance.Violation {
	out := make([]conformance.Violation, len(errs))
	for i, e := range errs {
		out[i] = conformance.Violation{Code: e.Code, Pointer: e.Pointer, Stored: e.Stored}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// compact removes the white space between tokens, keeping number text and
// escapes; a document that is not JSON is returned as it is, for the
// library to reject.
func compact(doc []byte) []byte {
	var b bytes.Buffer
	if err := json.Compact(&b, doc); err != nil {
		return doc
	}
	return b.Bytes()
}
