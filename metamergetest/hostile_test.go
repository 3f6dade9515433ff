package metamergetest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/metamerge/metamerge"
	"github.com/metamerge/metamerge/conformance"
)

// Every entry point that shows a document to a person gets the worst
// answers we know, and must fail them in memory and output bounded by a
// small multiple of the input, not depth × tokens.

// hostileDoc builds a document of about n bytes.
type hostileDoc struct {
	name, reason string
	gen          func(n int) []byte
}

// numbers appends comma-separated numbers to b until it holds n bytes.
func numbers(b []byte, n int) []byte {
	for i := 0; len(b) < n || i == 0; i++ {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, int64(i%10), 10)
	}
	return b
}

// nest wraps numbers filling n bytes in depth levels of open ... close.
func nest(n, depth int, open, close string) []byte {
	b := []byte(strings.Repeat(open, depth))
	b = numbers(b, n-depth*len(close))
	return append(b, strings.Repeat(close, depth)...)
}

var hostileDocs = []hostileDoc{
	{"deep-arrays", "9,000 nested arrays around numbers: the issue's 118 KB answer", func(n int) []byte {
		return nest(n, min(9000, n/4), "[", "]")
	}},
	{"deep-objects", "objects 9,990 deep around an array of numbers", func(n int) []byte {
		d := min(9990, n/12)
		return []byte(strings.Repeat(`{"a":`, d) + string(nest(n-6*d, 1, "[", "]")) + strings.Repeat("}", d))
	}},
	{"objects-10-deep", "an array of numbers 10 objects deep: in a golden file, each number on a line indented 32 spaces", func(n int) []byte {
		return []byte(strings.Repeat(`{"a":`, 10) + string(nest(n-60, 1, "[", "]")) + strings.Repeat("}", 10))
	}},
	{"objects-12-deep", "an array of numbers 12 objects deep", func(n int) []byte {
		return []byte(strings.Repeat(`{"a":`, 12) + string(nest(n-72, 1, "[", "]")) + strings.Repeat("}", 12))
	}},
	{"alternating", "arrays and objects in turn, 9,990 deep", func(n int) []byte {
		d := min(4995, n/12)
		b := nest(n-d*8, 1, "[", "]")
		return []byte(strings.Repeat(`[{"a":`, d) + string(b) + strings.Repeat("}]", d))
	}},
	{"wide-array", "one short line per byte or two", func(n int) []byte { return append(nest(n-1, 1, "[", "]"), '\n') }},
	{"wide-object", "one member a line", func(n int) []byte {
		b := []byte("{")
		for i := 0; len(b) < n; i++ {
			if i > 0 {
				b = append(b, ',')
			}
			b = fmt.Appendf(b, `"k%d":%d`, i, i)
		}
		return append(b, '}')
	}},
	{"long-string", "one line of n bytes", func(n int) []byte { return []byte(`"` + strings.Repeat("é", n/2) + `a"`) }},
	{"escaped-string", "escapes that quoting would grow", func(n int) []byte { return []byte(`"` + strings.Repeat(`\u0001`, n/6) + `"`) }},
	{"long-number", "a number of n digits", func(n int) []byte { return []byte("1" + strings.Repeat("0", n)) }},
	{"not-json-lines", "not JSON: many raw lines and control bytes", func(n int) []byte {
		return []byte(strings.Repeat("\x1b[2J{\n", n/6))
	}},
	{"too-deep-for-json", "deeper than encoding/json reads: shown quoted", func(n int) []byte {
		return nest(max(n, 20010), 10001, "[", "]")
	}},
	{"raw-control-bytes", "not JSON: control bytes that quoting grows 4×", func(n int) []byte {
		return bytes.Repeat([]byte{1}, n)
	}},
	{"del-in-a-string", "JSON: a string of DEL, legal raw, escaped when shown", func(n int) []byte {
		return []byte(`"` + strings.Repeat("\x7f", n) + `a"`)
	}},
}

// hostilePointers are the characters a pointer, a code or a message of an
// answer may be made of: those that quoting grows (to \x7f, \xff, \",
// \u2028) or that a terminal obeys.
var hostilePointers = []string{"\x7f", "\xff", `"`, "\x01", "\x1b", "\u2028", "\u0085", "é", "~"}

// outputSize is the size of the documents and texts of an answer.
func outputSize(o Output) int {
	n := len(o.Result)
	for _, e := range o.Errors {
		n += len(e.Code) + len(e.Pointer) + len(e.Auth0Message)
	}
	for _, c := range o.Changes {
		n += len(c.Op) + len(c.Pointer)
	}
	return n
}

// hasControl reports whether s holds a byte or rune a terminal obeys, but
// line feeds.
func hasControl(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool {
		return (r < 0x20 && r != '\n') || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == 0x2028
	})
}

// mutate returns doc with its last digit or letter changed, so that the
// two differ at their very end, after all they have in common.
func mutate(doc []byte) []byte {
	d := bytes.Clone(doc)
	for i := len(d) - 1; i >= 0; i-- {
		switch c := d[i]; {
		case c >= '0' && c <= '8', c >= 'a' && c <= 'y':
			d[i]++
			return d
		}
	}
	return append(d, ' ')
}

// hostileSizes are the sizes of the documents: 20 KB, and 1 MB unless
// -short.
func hostileSizes() []int {
	if testing.Short() {
		return []int{20 << 10}
	}
	return []int{20 << 10, 1 << 20}
}

// worst keeps the largest ratio of allocated bytes to input seen, for the
// log: the figures the README quotes.
type worst struct {
	ratio float64
	what  string
	alloc uint64
	took  time.Duration
}

func (w *worst) see(what string, alloc uint64, in int, took time.Duration) {
	if took > time.Second {
		fmt.Printf("slow: %s took %v\n", what, took)
	}
	if in < 1<<20 {
		return // at 20 KB the constant part dominates
	}
	if r := float64(alloc) / float64(in); r > w.ratio {
		*w = worst{r, what, alloc, took}
	}
}

func (w worst) String() string {
	return fmt.Sprintf("%.1f× (%d bytes) on %s, in %v", w.ratio, w.alloc, w.what, w.took.Round(time.Millisecond))
}

// allocated runs f and returns the bytes it allocated.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// Bounds of an account of one hostile case: what it allocates, as a
// multiple of its documents plus a constant, and its length.
// The README's Resources section quotes them.
const (
	allocFactor = 8
	allocSlack  = 1 << 20
	maxAccount  = 4 * (32<<10 + 1<<10) // 32 KB a section of an account
	// Replay: comparing, rewriting, and the size of the rewritten file.
	replayFactor, rewriteFactor, rewrittenFactor = 12, 20, 8
	replaySlack                                  = 4 << 20 // the library merges 10,000 deep
)

// TestCheckBoundsHostileAnswers runs every hostile document through every
// way Check shows a document: a diff against a document that differs at
// its end, against a small one, both ways; the document shown whole (a
// result where errors were due, and the other way); a result with errors
// (H7); a difference of form only; and lists of many long errors.
func TestCheckBoundsHostileAnswers(t *testing.T) {
	manyErrors := func(n int) []conformance.Violation {
		errs := make([]conformance.Violation, 1000)
		for i := range errs {
			errs[i] = conformance.Violation{Code: "invalid_key", Pointer: "/" + strings.Repeat("~0", n/2000) + strconv.Itoa(i)}
		}
		return errs
	}
	var w worst
	defer func() { t.Logf("Check: worst %v", w) }()
	for _, size := range hostileSizes() {
		for _, h := range hostileDocs {
			doc := h.gen(size)
			small := []byte(`{"a":1}`)
			errs := []conformance.Violation{{Code: "too_deep", Pointer: ""}}
			tests := []struct {
				how       string
				want, got Output
				lacks     string // a line the account must hold
			}{
				{"differs at the end", Output{Result: doc}, Output{Result: mutate(doc)}, ""},
				{"small want", Output{Result: small}, Output{Result: doc}, `-   "a": 1`},
				{"small answer", Output{Result: doc}, Output{Result: small}, `+   "a": 1`},
				{"errors due", Output{Errors: errs}, Output{Result: doc}, "want errors, got result"},
				{"result due", Output{Result: doc}, Output{Errors: errs}, "want result"},
				{"result with errors", Output{Result: small}, Output{Result: doc, Errors: errs}, "(H7)"},
				{"form only", Output{Result: doc}, Output{Result: append(bytes.Clone(doc), ' ')}, "in form only"},
				{"many long errors", Output{Errors: manyErrors(size)}, Output{Errors: manyErrors(size)[1:]}, "more lines"},
			}
			for _, tt := range tests {
				c := Case{Want: tt.want}
				var account string
				in := outputSize(tt.want) + outputSize(tt.got)
				start := time.Now()
				alloc := allocated(func() { account = c.Check(tt.got) })
				name := fmt.Sprintf("%s %d, %s (%s)", h.name, size, tt.how, h.reason)
				w.see(name, alloc, in, time.Since(start))
				if limit := uint64(allocFactor*in + allocSlack); alloc > limit {
					t.Errorf("%s: allocated %d bytes for %d of input, more than %d", name, alloc, in, limit)
				}
				if len(account) > maxAccount {
					t.Errorf("%s: an account of %d bytes", name, len(account))
				}
				if tt.how == "differs at the end" {
					tt.lacks = "  + " // and "more lines" past one line
				}
				if tt.how == "form only" && !json.Valid(doc) {
					tt.lacks = "-want +got" // not JSON: a space is a difference
				}
				if !strings.Contains(account, tt.lacks) {
					t.Errorf("%s: the account lacks %q:\n%s", name, tt.lacks, cutForLog(account))
				}
				if hasControl(account) {
					t.Errorf("%s: a raw control character in the account", name)
				}
			}
		}
	}
	// Codes, pointers, messages and changes that quoting grows, each
	// rendered once and through the line renderer: cut, hashed, escaped.
	for _, size := range hostileSizes() {
		for _, ch := range hostilePointers {
			long := strings.Repeat(ch, size/len(ch))
			errs := []conformance.Violation{{Code: "invalid_key", Pointer: "/a"}}
			report := Case{Input: Input{Op: "report_user"}, Want: Output{Result: []byte(`{}`), Changes: []conformance.ReportedChange{{Op: "add", Pointer: "/a"}}}}
			tests := []struct {
				how  string
				c    Case
				got  Output
				want string // a piece of the account
			}{
				{"a long pointer", Case{Want: Output{Errors: errs}}, Output{Errors: []conformance.Violation{{Code: "invalid_key", Pointer: long}}}, "+ invalid_key at "},
				{"a long code", Case{Want: Output{Errors: errs}}, Output{Errors: []conformance.Violation{{Code: long, Pointer: "/a"}}}, " bytes, hash "},
				{"a long message", Case{Want: Output{Errors: []conformance.Violation{{Code: "invalid_key", Pointer: "/a", Auth0Message: "m"}}}}, Output{Errors: []conformance.Violation{{Code: "invalid_key", Pointer: "/a", Auth0Message: long}}}, "invalid_key at \"/a\" message "},
				{"many long pointers", Case{Want: Output{Errors: errs}}, Output{Errors: slices.Repeat([]conformance.Violation{{Code: "invalid_key", Pointer: long[:len(long)/100]}}, 100)}, "more lines"},
				{"a long change", report, Output{Result: []byte(`{}`), Changes: []conformance.ReportedChange{{Op: long, Pointer: long}}}, "changes (-want +got)"},
			}
			for _, tt := range tests {
				var account string
				in := outputSize(tt.c.Want) + outputSize(tt.got)
				start := time.Now()
				alloc := allocated(func() { account = tt.c.Check(tt.got) })
				name := fmt.Sprintf("%s of %q, %d", tt.how, ch, size)
				w.see(name, alloc, in, time.Since(start))
				if limit := uint64(allocFactor*in + allocSlack); alloc > limit {
					t.Errorf("%s: allocated %d bytes for %d of input, more than %d", name, alloc, in, limit)
				}
				if len(account) > maxAccount || !strings.Contains(account, tt.want) {
					t.Errorf("%s: an account of %d bytes, want one holding %q:\n%s", name, len(account), tt.want, cutForLog(account))
				}
				if hasControl(account) {
					t.Errorf("%s: a raw control character in the account:\n%q", name, cutForLog(account))
				}
			}
		}
	}
}

func cutForLog(s string) string {
	if len(s) > 2000 {
		return s[:2000] + "…"
	}
	return s
}

// hostileRules are rules that take the hostile documents: the deepest
// nesting allowed, no size caps.
func hostileRules() metamerge.UserRules {
	r := metamerge.UserRules{UserMetadata: metamerge.UserMetadata(), AppMetadata: metamerge.AppMetadata(),
		Limits: metamerge.Limits{MaxDepth: 10000}}
	r.UserMetadata.MaxBytes = metamerge.MaxDocumentBytes
	return r
}

// TestReplayBoundsHostileFiles replays golden files whose documents are
// the hostile ones, comparing (a stale expectation) and rewriting.
func TestReplayBoundsHostileFiles(t *testing.T) {
	var wc, wu worst
	defer func() { t.Logf("Replay, comparing: worst %v; rewriting: worst %v", wc, wu) }()
	for _, size := range hostileSizes() {
		for _, h := range hostileDocs {
			doc := h.gen(size)
			if !json.Valid(doc) {
				continue // a golden file is JSON
			}
			for _, r := range []struct {
				name  string
				rules Replayer
			}{{"Auth0's rules", Replayer{}}, {"rules 10,000 deep", Replayer{User: hostileRules()}}} {
				// Each step's comment is escapes, an eighth of the document.
				comment := strings.Repeat(`\u001b[2J\u009b`, len(doc)/8/16+1)
				step := func(result []byte) string {
					return fmt.Sprintf(`{"comment":"%s","patch":{"user_metadata":{"a":%s}},"result":{"user_metadata":{"a":%s}}}`, comment, doc, result)
				}
				file := fmt.Sprintf(`{"kind":"user","stored":{"user_metadata":{"a":%s}},"steps":[%s,%s]}`, doc, step(mutate(doc)), step(doc))
				path := filepath.Join(t.TempDir(), "golden.json")
				if err := os.WriteFile(path, []byte(file), 0o644); err != nil {
					t.Fatal(err)
				}
				name := fmt.Sprintf("%s %d, %s (%s)", h.name, size, r.name, h.reason)
				var diffs []string
				var err error
				start := time.Now()
				alloc := allocated(func() { diffs, err = r.rules.Check(path) })
				wc.see(name, alloc, len(file), time.Since(start))
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if limit := uint64(replayFactor*len(file) + replaySlack); alloc > limit {
					t.Errorf("%s: comparing allocated %d bytes for a file of %d, more than %d", name, alloc, len(file), limit)
				}
				total := 0
				for _, d := range diffs {
					total += len(d)
				}
				if len(diffs) == 0 || total > 2*maxAccount {
					t.Errorf("%s: %d differences of %d bytes", name, len(diffs), total)
				}
				for _, d := range diffs {
					if hasControl(d) || !strings.Contains(d, `(\x1b[2J\x9b\x1b[2J\x9b`) {
						t.Errorf("%s: the step's comment is not shown escaped: %q", name, cutForLog(d))
					}
				}
				var rewritten []byte
				start = time.Now()
				alloc = allocated(func() { _, rewritten, err = r.rules.replay(path, false) })
				wu.see(name, alloc, len(file), time.Since(start))
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if limit := uint64(rewriteFactor*len(file) + replaySlack); alloc > limit || len(rewritten) > rewrittenFactor*len(file) {
					t.Errorf("%s: rewriting allocated %d bytes (more than %d) and wrote %d for a file of %d", name, alloc, limit, len(rewritten), len(file))
				}
				if !json.Valid(rewritten) {
					t.Errorf("%s: the rewritten file is not JSON", name)
				}
			}
		}
	}
}

// TestIndentFileIsJSONIndent checks the rewriter against json.Indent on
// what fits its depth, and that deeper values are kept on one line.
func TestIndentFileIsJSONIndent(t *testing.T) {
	for _, src := range []string{`{}`, `[]`, `{"a":[],"b":{},"c":[1,{"d":"x\"]"}],"e":"{,:}"}`, `{"kind":"user","steps":[{"patch":{"a":null}}]}`} {
		var want bytes.Buffer
		if err := json.Indent(&want, []byte(src), "", "  "); err != nil {
			t.Fatal(err)
		}
		if got := string(indentFile([]byte(src))); got != want.String()+"\n" {
			t.Errorf("%s: got\n%s\nwant\n%s", src, got, want.String())
		}
	}
	// Short values on lines indented deep: the file is indented less deep.
	for depth := range maxFileIndent + 2 {
		src := strings.Repeat(`{"a":`, depth) + string(nest(1<<16, 1, "[", "]")) + strings.Repeat("}", depth)
		got := indentFile([]byte(src))
		if len(got) > rewrittenFactor*len(src)+4<<10 || !json.Valid(got) || !bytes.Equal(compact(got), []byte(src)) {
			t.Errorf("%d objects deep: %d bytes written for %d", depth, len(got), len(src))
		}
	}
	deep := strings.Repeat("[", 20) + "1,2" + strings.Repeat("]", 20)
	got := string(indentFile([]byte(deep)))
	if want := strings.Repeat(" ", 2*maxFileIndent) + "[[[[1,2]]]]\n"; !strings.Contains(got, want) || !json.Valid([]byte(got)) {
		t.Errorf("20 levels: got\n%s", got)
	}
}

// TestRunBoundsHostileAnswers runs Run, in a child process, against an
// implementation whose answers are the hostile documents, and checks that
// every case fails, the run goes on, and the output and memory stay
// bounded.
func TestRunBoundsHostileAnswers(t *testing.T) {
	if os.Getenv("METAMERGETEST_HOSTILE_CHILD") == "1" {
		return
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	args := []string{"-test.run=^TestRunHostileChild$", "-test.v"}
	if testing.Short() {
		args = append(args, "-test.short")
	}
	cmd := exec.Command(exe, args...)
	cmd.Env = append(os.Environ(), "METAMERGETEST_HOSTILE_CHILD=1")
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("the run against hostile answers passed:\n%s", cutForLog(string(out)))
	}
	s := string(out)
	var input, alloc uint64
	if i := strings.Index(s, "hostile run: "); i < 0 {
		t.Fatalf("the child did not finish:\n%s", cutForLog(s[max(0, len(s)-4000):]))
	} else if _, err := fmt.Sscanf(s[i:], "hostile run: %d bytes of answers, %d allocated", &input, &alloc); err != nil {
		t.Fatal(err)
	}
	cases := len(hostileDocs) * len(hostileSizes())
	if n := strings.Count(s, "    --- FAIL: "); n != cases {
		t.Errorf("%d cases failed, want %d", n, cases)
	}
	if n := strings.Count(s, "    --- SKIP: TestRunHostileChild/skip-"); n != len(hostileSizes()) || !strings.Contains(s, `the implementation skipped it: \x1b[2J\x1b[31mS\x1b\x9bS`) {
		t.Errorf("%d cases skipped, want %d, each with its reason escaped", n, len(hostileSizes()))
	}
	if hasControl(s) {
		i := strings.IndexFunc(s, func(r rune) bool { return hasControl(string(r)) })
		t.Errorf("a raw control character in the output: %q", s[max(0, i-100):min(len(s), i+100)])
	}
	t.Logf("Run: %d bytes allocated for %d of documents (%.1f×)", alloc, input, float64(alloc)/float64(input))
	if limit := allocFactor*input + uint64(cases)*allocSlack; alloc > limit {
		t.Errorf("Run allocated %d bytes for %d of answers, more than %d", alloc, input, limit)
	}
	if len(s) > cases*maxAccount+64<<10 {
		t.Errorf("an output of %d bytes for %d cases", len(s), cases)
	}
}

// TestRunHostileChild is the child of TestRunBoundsHostileAnswers.
func TestRunHostileChild(t *testing.T) {
	if os.Getenv("METAMERGETEST_HOSTILE_CHILD") != "1" {
		t.Skip("run by TestRunBoundsHostileAnswers")
	}
	var cases []Case
	answers := map[string][]byte{}
	var input uint64
	for _, size := range hostileSizes() {
		for _, h := range hostileDocs {
			name := fmt.Sprintf("%s-%d", h.name, size)
			c := Case{Name: name, Input: Input{Op: "merge_user", Name: name}, Want: Output{Result: h.gen(size)}}
			answers[c.Name] = mutate(c.Want.Result)
			input += uint64(2 * len(c.Want.Result))
			cases = append(cases, c)
		}
	}
	// An implementation that skips with a reason of escapes, as long as
	// the documents.
	skips := map[string]string{}
	for _, size := range hostileSizes() {
		name := fmt.Sprintf("skip-%d", size)
		skips[name] = "\x1b[2J\x1b[31m" + strings.Repeat("S\x1b\u009b", size/4)
		input += uint64(len(skips[name]))
		cases = append(cases, Case{Name: name, Input: Input{Op: "merge_user", Name: name}, Want: Output{Result: []byte("{}")}})
	}
	alloc := allocated(func() {
		Run(t, func(in Input) Output { return Output{Result: answers[in.Name], Skipped: skips[in.Name]} }, Cases(cases))
	})
	fmt.Printf("hostile run: %d bytes of answers, %d allocated\n", input, alloc)
}

// TestReplayBoundsHostileAnswers replays a one-step file against handlers
// that answer the hostile documents, differing at their end from the
// recorded answer, and against Auth0's rules: the failure is bounded, and
// so is what the replay allocates, a small multiple of the file and the
// answer.
func TestReplayBoundsHostileAnswers(t *testing.T) {
	var w worst
	defer func() { t.Logf("Replay of hostile answers: worst %v", w) }()
	for _, size := range hostileSizes() {
		for _, h := range hostileDocs {
			doc := h.gen(size)
			answer := mutate(doc)
			handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(answer) })
			server := &Server{Handler: handler, Path: "/u", Seed: func(string, []byte) error { return nil }}
			body := doc
			if !json.Valid(doc) {
				body, _ = json.Marshal(string(doc))
			}
			file := fmt.Sprintf(`{"kind":"user","stored":{},"steps":[{"comment":"c","patch":{},"status":200,"body":%s}]}`, body)
			if !json.Valid(doc) {
				file = fmt.Sprintf(`{"kind":"user","stored":{},"steps":[{"comment":"c","patch":{},"status":200,"text":%s}]}`, body)
			}
			path := filepath.Join(t.TempDir(), "golden.json")
			if err := os.WriteFile(path, []byte(file), 0o644); err != nil {
				t.Fatal(err)
			}
			for _, expect := range []Expectations{Recorded, Computed} {
				name := fmt.Sprintf("%s %d, expectations %d (%s)", h.name, size, expect, h.reason)
				var diffs []string
				var err error
				start := time.Now()
				alloc := allocated(func() { diffs, err = Replayer{Server: server, Expect: expect}.Check(path) })
				in := len(file) + len(answer)
				w.see(name, alloc, in, time.Since(start))
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if limit := uint64(replayFactor*in + replaySlack); alloc > limit {
					t.Errorf("%s: allocated %d bytes for %d of file and answer, more than %d", name, alloc, in, limit)
				}
				total := 0
				for _, d := range diffs {
					total += len(d)
				}
				if len(diffs) != 1 || !strings.HasPrefix(diffs[0], "step 1 (c)") || total > 2*maxAccount {
					t.Errorf("%s: %d differences of %d bytes: %s", name, len(diffs), total, cutForLog(strings.Join(diffs, "\n")))
				}
			}
		}
	}
}

// replayStep is what a replay may allocate for each step of a file, past
// replayFactor times the file: the decoded Step, its name, the compacted
// patch, the library's merge of a small document, and a handler's request
// and answer (1.9 KB). A file of many tiny steps costs it, whatever the
// size of each (the README quotes it).
const replayStep = 2 << 10

// manySteps are files of many tiny steps: the shape where a cost paid per
// step, and not per byte, shows. Each is a stored document, a step's text,
// and the implementation.
var manySteps = []struct {
	name, stored, step string
	r                  func(stored string) Replayer
}{
	{"empty patches, the library", `{}`, `{"patch":{}}`, nil},
	{"empty patches, computed", `{}`, `{"patch":{}}`, func(string) Replayer { return Replayer{Expect: Computed} }},
	{"a change, recorded", `{"user_metadata":{"a":1}}`, `{"patch":{"user_metadata":{"b":2}},"result":{"user_metadata":{"a":1,"b":2}}}`, nil},
	{"a change, nothing recorded", `{"user_metadata":{"a":1}}`, `{"patch":{"user_metadata":{"b":2}}}`, nil},
	{"a change, computed", `{"user_metadata":{"a":1}}`, `{"patch":{"user_metadata":{"b":2}}}`, func(string) Replayer { return Replayer{Expect: Computed} }},
	{"a refusal, recorded", `{}`, `{"patch":{"user_metadata":{"a.b":1}},"errors":[{"code":"invalid_key","pointer":"/user_metadata/a.b"}]}`, nil},
	{"a Merger that differs every step", `{}`, `{"patch":{}}`, func(string) Replayer {
		return Replayer{Expect: Computed, Merge: func(string, []byte, []byte) ([]byte, error) { return []byte(`{"z":1}`), nil }}
	}},
	{"a Merger that fails every step", `{}`, `{"patch":{},"result":{}}`, func(string) Replayer {
		return Replayer{Merge: func(string, []byte, []byte) ([]byte, error) { return nil, fmt.Errorf("no") }}
	}},
	{"a handler, recorded", `{}`, `{"patch":{},"status":200,"body":{}}`, func(string) Replayer {
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(`{}`)) })
		return Replayer{Server: &Server{Handler: h, Path: "/u", Seed: func(string, []byte) error { return nil }}}
	}},
}

// TestReplayBoundsManySteps replays files of many tiny steps, comparing
// and rewriting: what it allocates is bounded by replayFactor times the
// file, replayStep a step and replaySlack, not thousands of bytes a step.
func TestReplayBoundsManySteps(t *testing.T) {
	counts := []int{1000, 20000}
	if testing.Short() {
		counts = counts[:1]
	}
	for _, n := range counts {
		for _, m := range manySteps {
			file := `{"kind":"user","stored":` + m.stored + `,"steps":[` + strings.Repeat(m.step+",", n-1) + m.step + `]}`
			path := filepath.Join(t.TempDir(), "golden.json")
			if err := os.WriteFile(path, []byte(file), 0o644); err != nil {
				t.Fatal(err)
			}
			r := Replayer{}
			if m.r != nil {
				r = m.r(m.stored)
			}
			name := fmt.Sprintf("%d steps, %s", n, m.name)
			var err error
			alloc := allocated(func() { _, err = r.Check(path) })
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			limit := uint64(replayFactor*len(file) + replayStep*n + replaySlack)
			if alloc > limit {
				t.Errorf("%s: comparing allocated %d bytes (%d a step) for a file of %d, more than %d", name, alloc, alloc/uint64(n), len(file), limit)
			}
			t.Logf("%s: comparing, %d bytes a step, %.1f× the file", name, alloc/uint64(n), float64(alloc)/float64(len(file)))
			if r.Expect == Computed {
				continue
			}
			alloc = allocated(func() { _, _, err = r.replay(path, false) })
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if limit := uint64(rewriteFactor*len(file) + replayStep*n + replaySlack); alloc > limit {
				t.Errorf("%s: rewriting allocated %d bytes (%d a step) for a file of %d, more than %d", name, alloc, alloc/uint64(n), len(file), limit)
			}
		}
	}
}

// hostileText is 1 MiB of what a terminal obeys, raw lines, and bytes
// that are not UTF-8: text an implementation under test controls.
var hostileText = strings.Repeat("\x1b[31mP\n\x9b\u2028\xff\x7f", 1<<20/16)

// maxShownReason is the longest text Printable makes of a reason cut at
// maxReason bytes.
const maxShownReason = 6*maxReason + 64

// replayEnders are the ways an implementation ends a replay with a text of
// its own: each must reach the error escaped and cut, naming the step or
// the Seed.
var replayEnders = []struct {
	name, prefix string
	server       func() *Server
}{
	{"a handler panics with a string", "step 1 (c): the handler panicked: ", func() *Server {
		return &Server{Handler: http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic(hostileText) })}
	}},
	{"a handler panics with an error", "step 1 (c): the handler panicked: ", func() *Server {
		return &Server{Handler: http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic(fmt.Errorf("%s", hostileText)) })}
	}},
	{"Seed fails", "Server.Seed: ", func() *Server {
		return &Server{Handler: http.NotFoundHandler(), Seed: func(string, []byte) error { return fmt.Errorf("%s", hostileText) }}
	}},
}

// TestReplayEscapesImplementationErrors replays a one-step file against
// each of replayEnders: the error is escaped, cut to maxReason bytes of
// the text, and says where it comes from.
func TestReplayEscapesImplementationErrors(t *testing.T) {
	path := filepath.Join(t.TempDir(), "golden.json")
	if err := os.WriteFile(path, []byte(`{"kind":"user","stored":{},"steps":[{"comment":"c","patch":{}}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, e := range replayEnders {
		s := e.server()
		s.Path = "/u"
		if s.Seed == nil {
			s.Seed = func(string, []byte) error { return nil }
		}
		for _, expect := range []Expectations{Recorded, Computed} {
			_, err := Replayer{Server: s, Expect: expect}.Check(path)
			if err == nil {
				t.Fatalf("%s: no error", e.name)
			}
			msg := err.Error()
			want := "metamergetest: " + path + ": " + e.prefix + `\x1b[31mP` + "\n" + `\x9b\u2028\xff\x7f\x1b[31mP`
			if !strings.HasPrefix(msg, want) || hasControl(msg) || len(msg) > len(want)+maxShownReason || !strings.Contains(msg, " bytes, hash ") {
				t.Errorf("%s: an error of %d bytes, not escaped and cut: %q", e.name, len(msg), cutForLog(msg))
			}
		}
	}
}

// hostileFiles are golden files whose own text ends a replay: a name, a
// value or a place that a file, anyone's, makes as long as it likes.
// Each error must be escaped, cut and still say what and where.
var hostileFiles = func() []struct{ name, file, want string } {
	esc := strings.Repeat(`\u001b[31m`, 100000) // 800 KB of text, 500 KB decoded
	step := `{"comment":"c","patch":{}}`
	deep := strings.Repeat(`[`, 200000) + strings.Repeat(`]`, 200000)
	return []struct{ name, file, want string }{
		{"an unknown member at the root", `{"kind":"user","stored":{},"steps":[],"` + esc + `":1}`, `unknown member at "/\x1b[31m\x1b[31m`},
		{"an unknown member in a step", `{"kind":"user","stored":{},"steps":[` + step + `,{"patch":{},"` + esc + `":1}]}`, `step 2: unknown member at "/steps/1/\x1b[31m`},
		{"an unknown member in an error", `{"kind":"user","stored":{},"steps":[{"comment":"c","patch":{},"errors":[{"pointer":"","` + esc + `":1}]}]}`, `step 1 (c): unknown member at "/steps/0/errors/0/\x1b[31m`},
		{"a kind", `{"kind":"` + esc + `","stored":{},"steps":[]}`, `kind must be user or client, not "\x1b[31m`},
		{"a duplicate name", `{"kind":"user","stored":{"` + esc + `":1,"` + esc + `":2},"steps":[]}`, `duplicate_key at "/stored/\x1b[31m`},
		{"a stored value 200,000 deep", `{"kind":"user","stored":{"a":` + deep + `},"steps":[]}`, `too_deep at "/stored/a/0/0/0`},
		{"a patch 200,000 deep", `{"kind":"user","stored":{},"steps":[` + step + `,{"patch":` + deep + `}]}`, `step 2: too_deep at "/steps/1/patch/0/0/0`},
	}
}()

// maxFileError is the longest error a golden file's own text may make,
// past its path: a pointer is shown by its two ends of 120 bytes, each
// quoted, and a value cut at 240 bytes, quoted.
const maxFileError = 2 << 10

// TestReplayCutsFileErrors replays each of hostileFiles: the error names
// the step and the place, escaped, and is at most maxFileError bytes.
func TestReplayCutsFileErrors(t *testing.T) {
	for _, h := range hostileFiles {
		path := filepath.Join(t.TempDir(), "golden.json")
		if err := os.WriteFile(path, []byte(h.file), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Replayer{}.Check(path)
		if err == nil {
			t.Fatalf("%s: no error", h.name)
		}
		msg := err.Error()
		if !strings.Contains(msg, path+": "+h.want) || hasControl(msg) || len(msg) > len(path)+maxFileError {
			t.Errorf("%s: an error of %d bytes: %q", h.name, len(msg), cutForLog(msg))
		}
	}
	// A file that holds another history than Record's names both kinds.
	d := otherHistory(&File{Kind: strings.Repeat("\x1b[31m", 100000)}, &File{Kind: "user"})
	if !strings.HasPrefix(d, `kind "\x1b[31m`) || hasControl(d) || len(d) > maxFileError {
		t.Errorf("another kind: %d bytes: %q", len(d), cutForLog(d))
	}
}
