package metamergetest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"unicode/utf8"

	"github.com/metamerge/metamerge"
	"github.com/metamerge/metamerge/conformance"
	"github.com/metamerge/metamerge/internal/jsonenc"
)

// UpdateEnv is the environment variable that makes [Replay] and
// [Replayer.Record] rewrite the expectations of golden files instead of
// comparing them, and Record create the files that are missing: run
//
//	METAMERGETEST_UPDATE=1 go test ./...
//
// and review the diff. Its value is read with [strconv.ParseBool]: 1, t,
// T, TRUE, true and True rewrite; unset, empty, 0, f, F, FALSE, false and
// False compare; any other value fails the test, naming the value, rather
// than compare silently. It is an environment variable, not a flag, so
// that it cannot clash with another package's -update flag.
const UpdateEnv = "METAMERGETEST_UPDATE"

// File is a golden file: a stored document, a sequence of PATCH bodies
// and, after each one, what it gave. Its JSON form, written indented:
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
//	    },
//	    {
//	      "comment": "an HTTP implementation's answer",
//	      "patch": {"user_metadata": {"a.b": 1}},
//	      "status": 400,
//	      "body": {"statusCode": 400, "error": "Bad Request", "message": "…", "errorCode": "invalid_body"}
//	    }
//	  ]
//	}
//
// kind is "user" (PATCH /api/v2/users/{id}) or "client" (PATCH
// /api/v2/clients/{id}). Each step is applied to the document the step
// before left; a step that fails leaves it as it was (H7). A step records
// result or errors when the implementation is a function (the library, or
// [Replayer.Merge]), and status with body or text when it is an HTTP
// server ([Replayer.Server]); with [Computed] expectations a file needs no
// more than kind, stored and the patches. Members not listed here are
// refused, naming the step and the member's JSON Pointer in the file, and
// so are duplicate names. Documents are JSON values, written indented (a
// value nested 16 levels deep in the file on one line); number text and
// escapes are kept as written, and recorded documents are compared byte
// for byte but for white space between tokens.
type File struct {
	// Kind is "user" or "client".
	Kind string `json:"kind"`
	// Stored is the document before the first step.
	Stored json.RawMessage `json:"stored"`
	// Steps are the PATCH bodies, in order, with what each gave.
	Steps []Step `json:"steps"`
}

// Step is one PATCH of a [File] and what it gave. Only Patch and Comment
// are input; the other fields are the recorded outcome, which
// [Replayer.Record] and the rewriting of [UpdateEnv] fill in.
type Step struct {
	// Comment says what the step is for; failures quote it.
	Comment string `json:"comment,omitempty"`
	// Patch is the PATCH body.
	Patch json.RawMessage `json:"patch"`
	// Result is the document a function implementation returned.
	Result json.RawMessage `json:"result,omitempty"`
	// Errors are the violations a function implementation returned, in
	// order.
	Errors []Error `json:"errors,omitempty"`
	// Status is an HTTP implementation's status code.
	Status int `json:"status,omitempty"`
	// Body is an HTTP implementation's answer when it is JSON.
	Body json.RawMessage `json:"body,omitempty"`
	// Text is an HTTP implementation's answer when it is not JSON.
	Text string `json:"text,omitempty"`
}

// Error is a violation in a golden file: its code and place, as
// [metamerge.Errors] gives them, or, for an error of a [Merger] that is
// not the library's, its message alone.
type Error struct {
	// Code is the violation's code, such as "invalid_key".
	Code string `json:"code,omitempty"`
	// Pointer is where it is, a JSON Pointer into the patch (or, with
	// Stored, into the stored document).
	Pointer string `json:"pointer"`
	// Stored is set when the violation is in the stored document.
	Stored bool `json:"stored,omitempty"`
	// Message is the text of an error known by nothing else.
	Message string `json:"message,omitempty"`
}

// Merger is an implementation under test as a function: it applies patch
// to stored, documents of the kind ("user" or "client"), and returns the
// new document or an error. The violations of an error that wraps the
// library's are recorded by code and pointer ([metamerge.Errors]); any
// other error by its message.
type Merger func(kind string, stored, patch []byte) ([]byte, error)

// Expectations says where a [Replayer] takes the expected outcome of each
// step from.
type Expectations int

const (
	// Recorded expectations are the file's own: the outcomes recorded from
	// the implementation under test, rewritten under [UpdateEnv].
	Recorded Expectations = iota
	// Computed expectations are the library's outcomes with the
	// Replayer's User and Client rules (Auth0's, for the zero values), so
	// that an implementation is checked against the rules with nothing
	// recorded: the file's results, errors and answers are not read and
	// never written. A function must give the library's result byte for
	// byte, or its violations. A server must answer 200 with a body that
	// means the same as the library's result ([metamerge.Equal], D2: key
	// order and number spelling aside), or, where the library refuses the
	// patch, 400 with any body.
	Computed
)

// Replayer replays golden files against an implementation. The zero
// Replayer replays them against the library with Auth0's rules, and
// compares with the outcomes recorded in the files.
//
// The implementation under test is Server when set, else Merge when set,
// else the library with User and Client; setting both Server and Merge is
// an error. Two files replayed at once against one Server share what it
// stores, so run them one at a time unless Seed and Path keep them apart.
type Replayer struct {
	// User and Client are the library's rules: the implementation when no
	// other is set, and the source of Computed expectations.
	User   metamerge.UserRules
	Client metamerge.ClientRules
	// Merge is an implementation under test as a function.
	Merge Merger
	// Server is an implementation under test over HTTP.
	Server *Server
	// Expect says where expected outcomes come from; the zero value is
	// Recorded.
	Expect Expectations
}

// Replay replays the golden file at path against the library with
// Auth0's rules; see [Replayer.Replay].
func Replay(t testing.TB, path string) {
	t.Helper()
	Replayer{}.Replay(t, path)
}

// Replay replays the golden file at path, which holds the history and,
// with Recorded expectations, the outcomes. It fails t, naming the file,
// the step (its number and comment) and the member (its JSON Pointer) and
// showing an indented line diff, for each step whose outcome differs from
// the expected one; at most 10 steps are shown in full, the others named.
// Under [UpdateEnv], with Recorded expectations, it rewrites the file's
// outcomes instead (keeping its stored document, patches and comments) and
// fails nothing, but for an outcome that a golden file cannot hold as it
// is (a duplicate name, bytes that are not UTF-8, nesting past 10,000
// levels in the file), which fails t, naming the step and why, and leaves
// the file as it was. A file that cannot be read or is not in the format of
// [File] fails t at once; a missing file cannot be created here, since the
// history is in it: give the history to [Replayer.Record] instead.
func (r Replayer) Replay(t testing.TB, path string) {
	t.Helper()
	update := updating(t) && r.Expect == Recorded
	diffs, rewritten, err := r.replay(path, !update)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			err = fmt.Errorf("%w (Replay reads the history from the file: write it, or give the history to Replayer.Record, which creates the file under %s=1)", err, UpdateEnv)
		}
		t.Fatal(err)
	}
	r.finish(t, path, diffs, rewritten)
}

// Record runs the history h (its kind, stored document, and each step's
// comment and patch; the outcomes in h are ignored) against the
// implementation, and compares each step's outcome with the golden file
// at path, which holds h with the recorded outcomes; failures are those of
// [Replayer.Replay], and a file that holds another history fails too.
// Under [UpdateEnv], with Recorded expectations, it writes the file
// instead, creating it and its directory when missing; an outcome (or a
// history) that a file cannot hold as it is fails t and writes nothing,
// as in Replay. With Computed expectations the file is not read or
// written: path only names the history in failures.
func (r Replayer) Record(t testing.TB, path string, h File) {
	t.Helper()
	update := updating(t) && r.Expect == Recorded
	f := File{Kind: h.Kind, Stored: h.Stored, Steps: make([]Step, len(h.Steps))}
	for i, s := range h.Steps {
		f.Steps[i] = Step{Comment: s.Comment, Patch: s.Patch}
	}
	if r.Expect == Recorded {
		old, err := readFile(path)
		switch {
		case errors.Is(err, fs.ErrNotExist) && update:
		case errors.Is(err, fs.ErrNotExist):
			t.Fatalf("metamergetest: %s: no golden file; create it with %s=1 go test", path, UpdateEnv)
		case err != nil:
			t.Fatal(err)
		default:
			d := otherHistory(old, &f)
			if d != "" && !update {
				t.Fatalf("metamergetest: %s holds another history: %s\n(rewrite it with %s=1)", path, d, UpdateEnv)
			}
			if d == "" {
				copy(f.Steps, old.Steps) // the same inputs, and the outcomes to compare with
			}
		}
	}
	diffs, err := r.run(path, &f, !update)
	if err != nil {
		t.Fatal(err)
	}
	var rewritten []byte
	if update {
		if rewritten, err = rewrite(path, &f); err != nil {
			t.Fatal(err)
		}
	}
	r.finish(t, path, diffs, rewritten)
}

// rewrite returns the golden file f, with the outcomes recorded, as it is
// written, or an error when the file would not read back as f: an
// implementation's outcome that a golden file cannot hold as it is (a
// duplicate name, bytes that are not UTF-8, nesting past the reader's
// 10,000 levels) must fail the rewriting run, naming the step and why,
// not every run after it.
func rewrite(path string, f *File) ([]byte, error) {
	const hint = "\n(a golden file holds no duplicate names, no text that is not UTF-8 and nothing nested past 10,000 levels, so this outcome cannot be recorded as it is)"
	for i := range f.Steps {
		if why := unrecordable(&f.Steps[i], i); why != "" {
			return nil, fmt.Errorf("metamergetest: %s: not written: %s: %s%s", path, stepName(i, f.Steps[i].Comment), why, hint)
		}
	}
	b, err := jsonenc.Marshal(f)
	if err != nil {
		return nil, err
	}
	// What the next run's reader refuses first, over the whole file: the
	// check of last resort, for a history given to Record with a stored
	// document or patch that a file cannot hold. The rest of the reading
	// cannot fail on what marshal wrote.
	any := metamerge.FieldRules{Policy: metamerge.Policy{Names: metamerge.NamesAny},
		Limits: metamerge.Limits{MaxDepth: maxFileDepth}}
	if errs := metamerge.Errors(any.Validate(b)); len(errs) > 0 {
		e := errs[0]
		return nil, fmt.Errorf("metamergetest: %s: not written: %s%s at %s%s", path, stepOf(b, e.Pointer), e.Code, showPointer(e.Pointer), hint)
	}
	return indentFile(b), nil
}

// unrecordable says why the outcome of step i, s, cannot be written to a
// golden file as it is, or returns "".
func unrecordable(s *Step, i int) string {
	for _, v := range []struct {
		name string
		doc  []byte
	}{{"result", s.Result}, {"body", s.Body}} {
		if v.doc == nil {
			continue
		}
		if !utf8.Valid(v.doc) {
			return "the " + v.name + " holds bytes that are not UTF-8"
		}
		// The value sits 3 levels deep in the file: its object, the steps,
		// the step.
		any := metamerge.FieldRules{Policy: metamerge.Policy{Names: metamerge.NamesAny},
			Limits: metamerge.Limits{MaxDepth: maxFileDepth - 3}}
		if errs := metamerge.Errors(any.Validate(v.doc)); len(errs) > 0 {
			ptr := fmt.Sprintf("/steps/%d/%s%s", i, v.name, errs[0].Pointer)
			return fmt.Sprintf("%s at %s", errs[0].Code, showPointer(ptr))
		}
	}
	if !utf8.ValidString(s.Text) {
		return "the text answer holds bytes that are not UTF-8"
	}
	if !utf8.ValidString(s.Comment) {
		return "the comment holds bytes that are not UTF-8"
	}
	for _, e := range s.Errors {
		if !utf8.ValidString(e.Code + e.Pointer + e.Message) {
			return "an error holds bytes that are not UTF-8"
		}
	}
	return ""
}

// finish writes the rewritten file, or reports the differences.
func (r Replayer) finish(t testing.TB, path string, diffs []string, rewritten []byte) {
	t.Helper()
	if rewritten != nil {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, rewritten, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	hint := fmt.Sprintf("rewrite the expectations with %s=1", UpdateEnv)
	if r.Expect == Computed {
		hint = "the expectations are the library's rules"
	}
	for _, d := range diffs {
		t.Errorf("%s: %s\n(%s)", path, d, hint)
	}
}

// updating reads UpdateEnv, failing t when its value is not a boolean.
func updating(t testing.TB) bool {
	t.Helper()
	v := os.Getenv(UpdateEnv)
	if v == "" {
		return false
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		t.Fatalf("metamergetest: %s=%q is not a boolean (1, t, true, TRUE to rewrite; 0, f, false, FALSE or unset to compare): neither done", UpdateEnv, v)
	}
	return b
}

// otherHistory says how the file old differs from the history f, or
// returns "".
func otherHistory(old, f *File) string {
	switch {
	case old.Kind != f.Kind:
		return fmt.Sprintf("kind %s, not %s", quoteCut(old.Kind), quoteCut(f.Kind))
	case !bytes.Equal(compact(old.Stored), compact(f.Stored)):
		return "another stored document"
	case len(old.Steps) != len(f.Steps):
		return fmt.Sprintf("%d steps, not %d", len(old.Steps), len(f.Steps))
	}
	for i := range f.Steps {
		o, s := &old.Steps[i], &f.Steps[i]
		if o.Comment != s.Comment || !bytes.Equal(compact(o.Patch), compact(s.Patch)) {
			return stepName(i, s.Comment) + " has another comment or patch"
		}
	}
	return ""
}

// Check replays the golden file at path and returns an account of each
// step that differs from its expectation, each naming the step and the
// member as Replay's failures do (but not the file, which the caller
// knows), or nothing when all match. It is what Replay does, for use
// outside a test; it never rewrites the file. The error says why the file
// could not be replayed: unreadable, not in the format of [File], or an
// implementation that could not be reached.
func (r Replayer) Check(path string) ([]string, error) {
	diffs, _, err := r.replay(path, true)
	return diffs, err
}

// maxShown is the most steps whose differences replay shows in full; the
// steps after them are named only, so that a file of many stale steps
// costs what its documents cost, not that many diffs of them.
const maxShown = 10

// readFile reads and decodes the golden file at path.
func readFile(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var f File
	if err := decodeFile(data, &f); err != nil {
		return nil, fmt.Errorf("metamergetest: %s: %v", path, err)
	}
	return &f, nil
}

// replay runs the file's steps; it returns the differences when compare
// is set, else the file rewritten with what the implementation gave.
func (r Replayer) replay(path string, compare bool) (diffs []string, rewritten []byte, err error) {
	f, err := readFile(path)
	if err != nil {
		return nil, nil, err
	}
	if diffs, err = r.run(path, f, compare); err != nil {
		return nil, nil, err
	}
	if compare {
		return diffs, nil, nil
	}
	if rewritten, err = rewrite(path, f); err != nil {
		return nil, nil, err
	}
	return nil, rewritten, nil
}

// run runs f's steps against the implementation; with compare it returns
// the differences from the expectations, else it records each step's
// outcome in f.
func (r Replayer) run(path string, f *File, compare bool) (diffs []string, err error) {
	fail := func(format string, args ...any) error {
		return fmt.Errorf("metamergetest: %s: "+format, append([]any{path}, args...)...)
	}
	if f.Kind != "user" && f.Kind != "client" {
		return nil, fail("kind must be user or client, not %s", quoteCut(f.Kind))
	}
	if len(f.Stored) == 0 {
		return nil, fail("no stored document")
	}
	impl, err := r.implementation(f.Kind, compact(f.Stored))
	if err != nil {
		return nil, fail("%s", conformance.Printable(err.Error(), maxReason))
	}
	var ref implementation
	if r.Expect == Computed {
		ref = r.library(f.Kind, compact(f.Stored))
	}
	for i := range f.Steps {
		step := &f.Steps[i]
		name := stepName(i, step.Comment)
		if len(step.Patch) == 0 {
			return nil, fail("%s has no patch", name)
		}
		patch := compact(step.Patch)
		got, err := impl.apply(patch)
		if err != nil { // a Seed's, a handler's or a server's text: theirs to choose
			return nil, fail("%s: %s", name, conformance.Printable(err.Error(), maxReason))
		}
		var want outcome
		if ref != nil {
			if want, err = ref.apply(patch); err != nil {
				return nil, fail("%s: %v", name, err)
			}
			if got.http {
				want = want.asAnswer()
			}
		} else {
			want = recorded(step, got.http)
		}
		if compare {
			switch {
			case len(diffs) >= maxShown && !want.same(got):
				diffs = append(diffs, name+" differs too")
			case len(diffs) < maxShown:
				if d := want.account(got); d != "" {
					diffs = append(diffs, name+d)
				}
			}
		}
		if r.Expect == Recorded {
			got.record(step)
		}
	}
	return diffs, nil
}

// stepName names the step of index i for a person, its comment escaped
// and cut to maxComment bytes: a golden file may be anyone's.
func stepName(i int, comment string) string {
	name := fmt.Sprintf("step %d", i+1)
	if comment != "" {
		name += " (" + conformance.Printable(comment, maxComment) + ")"
	}
	return name
}

// maxComment is how much of a step's comment a failure shows, and
// maxReason how much of an implementation's reason for a skip.
const (
	maxComment = 200
	maxReason  = 4 << 10
)

// maxFileIndent is the depth past which a rewritten golden file writes a
// value on one line: indenting every level of a document 10,000 deep
// would cost depth × tokens bytes.
const maxFileIndent = 16

// A rewritten golden file is at most maxRewrittenFactor times its
// compact form plus rewrittenSlack, which a small file nested 16 levels
// deep may take.
const (
	maxRewrittenFactor = 8
	rewrittenSlack     = 4 << 10
)

// indentFile indents compact JSON text as json.Indent does with two
// spaces, but for the values nested maxFileIndent levels deep, which it
// keeps compact. Where that would write more than maxRewrittenFactor times
// src plus rewrittenSlack (many short values 10 or more levels deep, each on a line indented
// 20 spaces or more), it keeps the values of half as many levels compact,
// and so on, down to src itself. It counts before it writes, and
// allocates the result once, at its size.
func indentFile(src []byte) []byte {
	depth := maxFileIndent
	_, n := indentInto(nil, src, depth, true)
	for depth > 0 && n > maxRewrittenFactor*len(src)+rewrittenSlack {
		depth /= 2
		_, n = indentInto(nil, src, depth, true)
	}
	b, _ := indentInto(make([]byte, 0, n), src, depth, false)
	return b
}

// indentInto appends src to dst indented down to maxDepth levels, or with
// count only counts its bytes.
func indentInto(dst, src []byte, maxDepth int, count bool) ([]byte, int) {
	n, depth := 0, 0
	put := func(p []byte) {
		if n += len(p); !count {
			dst = append(dst, p...)
		}
	}
	newline := append([]byte{'\n'}, bytes.Repeat([]byte(" "), 2*maxDepth)...)
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
			if depth >= maxDepth {
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
