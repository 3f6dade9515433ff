package metamergetest_test

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/metamerge/metamerge/metamergetest"
)

// recorder is a testing.TB that keeps what a replay reports instead of
// failing the test that runs it, so that a test can check the failures of
// another.
type recorder struct {
	testing.TB
	mu     sync.Mutex
	errors []string
	fatal  bool
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func (r *recorder) Error(args ...any) { r.Errorf("%s", fmt.Sprint(args...)) }

func (r *recorder) Fatalf(format string, args ...any) {
	r.Errorf(format, args...)
	r.fatal = true
	runtime.Goexit()
}

func (r *recorder) Fatal(args ...any) { r.Fatalf("%s", fmt.Sprint(args...)) }

func (r *recorder) Failed() bool { return len(r.errors) > 0 }

// record runs f with a recorder in a goroutine of its own, as testing
// runs a test, so that Fatal ends f alone.
func record(t *testing.T, f func(tb testing.TB)) *recorder {
	r := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		f(r)
	}()
	<-done
	return r
}

// staleProfile writes the checked-in profile.json with its first
// expectation made wrong into a new directory and returns its path and
// the checked-in text.
func staleProfile(t *testing.T) (path, want string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "profile.json"))
	if err != nil {
		t.Fatal(err)
	}
	want = string(b)
	stale := strings.Replace(want, `"pointer": "/user_metadata/prefs.lang"`, `"pointer": "/user_metadata/x"`, 1)
	if stale == want {
		t.Fatal("profile.json changed: the test no longer makes it stale")
	}
	path = filepath.Join(t.TempDir(), "profile.json")
	if err := os.WriteFile(path, []byte(stale), 0o644); err != nil {
		t.Fatal(err)
	}
	return path, want
}

// TestReplayUpdateValues checks that every value strconv.ParseBool takes
// for true rewrites the file, that its false values compare, and that a
// value it cannot parse fails the test and says so: it used to be ignored
// silently, so METAMERGETEST_UPDATE=true compared instead of rewriting.
func TestReplayUpdateValues(t *testing.T) {
	tests := []struct {
		value   string
		rewrite bool   // the file is rewritten and nothing fails
		fails   string // else a failure that holds this text
	}{
		{"1", true, ""},
		{"t", true, ""},
		{"T", true, ""},
		{"true", true, ""},
		{"TRUE", true, ""},
		{"True", true, ""},
		{"", false, "step 2"},
		{"0", false, "step 2"},
		{"false", false, "step 2"},
		{"FALSE", false, "step 2"},
		{"yes", false, `METAMERGETEST_UPDATE="yes"`},
		{"on", false, `METAMERGETEST_UPDATE="on"`},
		{" 1", false, `METAMERGETEST_UPDATE=" 1"`},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%q", tt.value), func(t *testing.T) {
			path, want := staleProfile(t)
			t.Setenv(metamergetest.UpdateEnv, tt.value)
			r := record(t, func(tb testing.TB) { metamergetest.Replay(tb, path) })
			got, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if rewritten := string(got) == want; rewritten != tt.rewrite {
				t.Errorf("%s=%q: rewritten %v, want %v", metamergetest.UpdateEnv, tt.value, rewritten, tt.rewrite)
			}
			if tt.rewrite {
				if len(r.errors) > 0 {
					t.Errorf("%s=%q: failures %q", metamergetest.UpdateEnv, tt.value, r.errors)
				}
				return
			}
			if len(r.errors) == 0 || !strings.Contains(strings.Join(r.errors, "\n"), tt.fails) {
				t.Errorf("%s=%q: failures %q, want one that says %q", metamergetest.UpdateEnv, tt.value, r.errors, tt.fails)
			}
		})
	}
}

// TestReplayUnknownMemberNamesStep checks that a member the format does
// not have is refused with the file, the step and its JSON Pointer in the
// file, wherever it is.
func TestReplayUnknownMemberNamesStep(t *testing.T) {
	step := func(extra string) string {
		return `{"comment":"dotted","patch":{"user_metadata":{"a.b":1}},"errors":[{"code":"invalid_key","pointer":"/user_metadata/a.b"` + extra + `}]}`
	}
	ok := `{"comment":"first","patch":{"user_metadata":{"a":1}},"result":{"user_metadata":{"a":1}}}`
	tests := []struct {
		name, body string
		want       []string // texts the error must hold
	}{
		{"in an error", `{"kind":"user","stored":{},"steps":[` + ok + `,` + step(`,"auth0_message":"x"`) + `]}`,
			[]string{"step 2 (dotted)", `"/steps/1/errors/0/auth0_message"`}},
		{"in a step", `{"kind":"user","stored":{},"steps":[` + ok + `,{"comment":"typo","patch":{},"reslt":{}}]}`,
			[]string{"step 2 (typo)", `"/steps/1/reslt"`}},
		{"in the first step, no comment", `{"kind":"user","stored":{},"steps":[{"patch":{},"Result":{}}]}`,
			[]string{"step 1", `"/steps/0/Result"`}},
		{"at the root", `{"kind":"user","stored":{},"steps":[],"extra":1}`,
			[]string{`"/extra"`}},
		{"a duplicate name in a patch", `{"kind":"user","stored":{},"steps":[` + ok + `,{"comment":"twice","patch":{"user_metadata":{"a":1,"a":2}}}]}`,
			[]string{"step 2 (twice)", `duplicate_key at "/steps/1/patch/user_metadata/a"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "unknown.json")
			if err := os.WriteFile(path, []byte(tt.body), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := metamergetest.Replayer{}.Check(path)
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.HasPrefix(tt.name, "a duplicate") {
				tt.want = append(tt.want, "unknown member")
			}
			for _, w := range append(tt.want, path) {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

// TestReplayNamesMember checks that a failure names the file, the step
// with its comment, and the member where the outcomes part.
func TestReplayNamesMember(t *testing.T) {
	t.Setenv(metamergetest.UpdateEnv, "")
	b, err := os.ReadFile(filepath.Join("testdata", "profile.json"))
	if err != nil {
		t.Fatal(err)
	}
	stale := strings.Replace(string(b), `"theme": "dark",
          "addresses"`, `"theme": "light",
          "addresses"`, 1)
	stale = strings.Replace(stale, `"pointer": "/user_metadata/prefs.lang"`, `"pointer": "/user_metadata/x"`, 1)
	path := filepath.Join(t.TempDir(), "profile.json")
	if err := os.WriteFile(path, []byte(stale), 0o644); err != nil {
		t.Fatal(err)
	}
	r := record(t, func(tb testing.TB) { metamergetest.Replay(tb, path) })
	want := []string{
		path + `: step 1 (a nested object is replaced whole (R3)) at "/user_metadata/theme":`,
		path + `: step 2 (dotted names are rejected (R7) and the profile stays as it was) at "/user_metadata/x":`,
	}
	if len(r.errors) != len(want) {
		t.Fatalf("failures %q", r.errors)
	}
	for i, w := range want {
		if !strings.HasPrefix(r.errors[i], w) {
			t.Errorf("failure %d:\n%s\nwant it to start %q", i+1, r.errors[i], w)
		}
	}
}

// unrecordable are outcomes that a golden file cannot hold as they are:
// the update run must fail, naming the file, the step and why, and write
// nothing, rather than write a file every run after it refuses.
var unrecordable = []struct {
	name string
	impl metamergetest.Replayer
	want string // what the failure says, after the step's name
}{
	{"an answer with a duplicate name", answering(`{"a":1,"a":2}`), `duplicate_key at "/steps/0/body/a"`},
	{"an answer with a string that is not UTF-8", answering("{\"a\":\"\xff\xfe\"}"), `the body holds bytes that are not UTF-8`},
	{"a text answer that is not UTF-8", answering("plain \xff\xfe"), `the text answer holds bytes that are not UTF-8`},
	{"an answer 9,999 deep, past the file's 10,000 levels", answering(strings.Repeat("[", 9999) + strings.Repeat("]", 9999)), `too_deep at "/steps/0/body/0/0/0`},
	{"a Merger's result with a duplicate name", merging(`{"a":1,"a":2}`, nil), `duplicate_key at "/steps/0/result/a"`},
	{"a Merger's error that is not UTF-8", merging("", fmt.Errorf("bad \xff")), `an error holds bytes that are not UTF-8`},
}

// answering is a Replayer of a handler that answers body.
func answering(body string) metamergetest.Replayer {
	return metamergetest.Replayer{Server: &metamergetest.Server{Path: "/u", Seed: func(string, []byte) error { return nil },
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(body)) })}}
}

// merging is a Replayer of a Merger that gives result, or err.
func merging(result string, err error) metamergetest.Replayer {
	return metamergetest.Replayer{Merge: func(string, []byte, []byte) ([]byte, error) {
		if err != nil {
			return nil, err
		}
		return []byte(result), nil
	}}
}

// TestUpdateRefusesUnrecordable records each of unrecordable, and
// rewrites a file with it, under UpdateEnv: each fails, says where and
// why, and leaves the file as it was; the outcomes a file can hold (a long
// number, a long error of runes of two bytes) are written and then replay.
func TestUpdateRefusesUnrecordable(t *testing.T) {
	hist := metamergetest.File{Kind: "user", Stored: []byte(`{}`),
		Steps: []metamergetest.Step{{Comment: "one", Patch: []byte(`{"user_metadata":{"a":1}}`)}}}
	for _, u := range unrecordable {
		t.Setenv(metamergetest.UpdateEnv, "1")
		path := filepath.Join(t.TempDir(), "new", "golden.json")
		r := record(t, func(tb testing.TB) { u.impl.Record(tb, path, hist) })
		msg := strings.Join(r.errors, "\n")
		if !r.fatal || !strings.Contains(msg, path+": not written: step 1 (one): ") || !strings.Contains(msg, u.want) {
			t.Errorf("%s: Record under %s: %q", u.name, metamergetest.UpdateEnv, msg)
		}
		if _, err := os.Stat(path); !os.IsNotExist(err) {
			t.Errorf("%s: Record wrote the file (%v)", u.name, err)
		}
		// Replay rewriting a file that holds the history.
		path = filepath.Join(t.TempDir(), "golden.json")
		old := `{"kind":"user","stored":{},"steps":[{"comment":"one","patch":{"user_metadata":{"a":1}}}]}`
		if err := os.WriteFile(path, []byte(old), 0o644); err != nil {
			t.Fatal(err)
		}
		r = record(t, func(tb testing.TB) { u.impl.Replay(tb, path) })
		msg = strings.Join(r.errors, "\n")
		if !r.fatal || !strings.Contains(msg, path+": not written: step 1 (one): ") || !strings.Contains(msg, u.want) {
			t.Errorf("%s: Replay under %s: %q", u.name, metamergetest.UpdateEnv, msg)
		}
		if b, _ := os.ReadFile(path); string(b) != old {
			t.Errorf("%s: Replay rewrote the file", u.name)
		}
	}
	// A history given in code that a file cannot hold: a stored document
	// with a duplicate name, a comment that is not UTF-8.
	for _, h := range []struct {
		h    metamergetest.File
		want string
	}{
		{metamergetest.File{Kind: "user", Stored: []byte(`{"a":1,"a":2}`), Steps: hist.Steps}, `not written: duplicate_key at "/stored/a"`},
		{metamergetest.File{Kind: "user", Stored: []byte(`{}`), Steps: []metamergetest.Step{{Comment: "\xff", Patch: []byte(`{}`)}}},
			`not written: step 1 (\xff): the comment holds bytes that are not UTF-8`},
	} {
		t.Setenv(metamergetest.UpdateEnv, "1")
		path := filepath.Join(t.TempDir(), "golden.json")
		r := record(t, func(tb testing.TB) { merging(`{}`, nil).Record(tb, path, h.h) })
		if msg := strings.Join(r.errors, "\n"); !r.fatal || !strings.Contains(msg, path+": "+h.want) {
			t.Errorf("history %q: %q", h.want, msg)
		}
		if _, err := os.Stat(path); !os.IsNotExist(err) {
			t.Errorf("history %q: Record wrote the file (%v): %q", h.want, err, r.errors)
		}
	}
	for _, impl := range []metamergetest.Replayer{
		answering(`{"a":1` + strings.Repeat("0", 100000) + `}`),
		answering("plain \x7f text"),
		merging("", fmt.Errorf("x%s", strings.Repeat("é", 2000))), // cut at 1 KiB inside a rune, it was not UTF-8
	} {
		path := filepath.Join(t.TempDir(), "golden.json")
		t.Setenv(metamergetest.UpdateEnv, "1")
		if r := record(t, func(tb testing.TB) { impl.Record(tb, path, hist) }); len(r.errors) > 0 {
			t.Errorf("recording: %q", r.errors)
		}
		t.Setenv(metamergetest.UpdateEnv, "")
		if r := record(t, func(tb testing.TB) { impl.Record(tb, path, hist) }); len(r.errors) > 0 {
			t.Errorf("replaying what was recorded: %q", r.errors)
		}
	}
}
