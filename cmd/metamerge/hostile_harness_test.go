//go:build unix

package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/metamerge/metamerge/conformance"
)

// Tests of the runner against harnesses that misbehave as processes: they
// hide behind wrappers, leave children behind, close their output, stop
// reading their input, implement nothing. Each runs the command in this
// process under a watchdog, since the failure they guard against is a
// runner that never returns.

// startAnswer is a shell harness's answer to start.
var startAnswer = strings.TrimSpace(string(encodeLine(started{Protocol: 1,
	Implementation: implementation{Name: "sh", Language: "sh"}, Ops: conformance.Ops(), Options: conformance.OptionNames()})))

// conformanceWithin runs the conformance command and fails t if it has not
// returned within limit.
func conformanceWithin(t *testing.T, limit time.Duration, args ...string) (status int, out string) {
	t.Helper()
	var o, e bytes.Buffer
	done := make(chan int, 1)
	go func() { done <- run(append([]string{"conformance"}, args...), stdio{strings.NewReader(""), &o, &e}) }()
	select {
	case status = <-done:
		return status, o.String()
	case <-time.After(limit):
		t.Fatalf("the runner has not returned after %v", limit)
		return 0, ""
	}
}

// shellHarness writes a harness script and returns its path.
func shellHarness(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "harness.sh")
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+body), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestRunnerBoundsMisbehavingProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("each case waits for a timeout")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	hang := shellHarness(t, "read l; echo '"+startAnswer+"'; read l; sleep 30")
	closed := shellHarness(t, "read l; echo '"+startAnswer+"'; read l; exec 1>&-; sleep 30")
	tests := []struct {
		reason string
		args   []string
		want   string
	}{
		{"a harness behind a wrapper that does not exec it, hanging on a case",
			[]string{"-timeout", "1s", "-run", "^user-add-key$", "--", "sh", "-c", hang + "; true"}, "did not answer within 1s"},
		{"a harness that closes its standard output and goes on running",
			[]string{"-timeout", "1s", "-run", "^user-add-key$", "--", closed}, "closed its standard output"},
		{"a harness that leaves a process behind, holding its output",
			[]string{"-run", "^client-merge$", "--", "sh", "-c", "sleep 30 & exec " + exe + " harness"}, "1 passed, 0 failed"},
	}
	t.Setenv("METAMERGE_TEST_MAIN", "1")
	for _, tt := range tests {
		start := time.Now()
		_, out := conformanceWithin(t, 15*time.Second, tt.args...)
		if !strings.Contains(out, tt.want) {
			t.Errorf("%s: the output lacks %q:\n%s", tt.reason, tt.want, out)
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("%s: took %v", tt.reason, d)
		}
	}
}

// TestRunnerWritesWithinTheTimeout gives a harness that has stopped reading
// a request larger than a pipe holds.
func TestRunnerWritesWithinTheTimeout(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for a timeout")
	}
	var patch strings.Builder
	patch.WriteString(`{"user_metadata":{`)
	for i := 0; patch.Len() < 100<<10; i++ {
		if i > 0 {
			patch.WriteByte(',')
		}
		patch.WriteString(`"n` + strconv.Itoa(i) + `":0`)
	}
	patch.WriteString("}}")
	c := map[string]any{"name": "big", "comment": "100 KB", "rules": []string{"R3"}, "op": "merge_user",
		"stored": "{}", "patch": patch.String(), "result": patch.String()}
	b, err := json.Marshal(map[string]any{"description": "d", "cases": []any{c}})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "big.json"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	stuck := shellHarness(t, "read l; echo '"+startAnswer+"'; sleep 30")
	_, out := conformanceWithin(t, 15*time.Second, "-timeout", "1s", "-vectors", dir, "--", stuck)
	if !strings.Contains(out, "did not read its request within 1s") {
		t.Errorf("the output lacks the timeout:\n%s", out)
	}
}

// TestRunnerFailsAHarnessThatImplementsNothing: skipping every case is
// not conforming.
func TestRunnerFailsAHarnessThatImplementsNothing(t *testing.T) {
	none := shellHarness(t, `read l; echo '{"protocol":1,"implementation":{"name":"none","language":"sh"},"ops":[],"options":[]}'; cat >/dev/null`)
	status, out := conformanceWithin(t, 20*time.Second, "--", none)
	if status != exitViolations || !strings.Contains(out, "a case without tags may not be skipped") {
		t.Errorf("status %d, output ends %q", status, out[max(0, len(out)-300):])
	}
}

// TestRunnerQuotesWhatTheHarnessWrites keeps a harness's text from
// steering the terminal.
func TestRunnerQuotesWhatTheHarnessWrites(t *testing.T) {
	h := shellHarness(t, "read l; echo '"+startAnswer+"'; read l; printf '\\033[2J--- PASS: x\\n' >&2; exit 3")
	_, out := conformanceWithin(t, 15*time.Second, "-run", "^user-add-key$", "--", h)
	if strings.Contains(out, "\x1b") || !strings.Contains(out, `\x1b[2J--- PASS: x`) {
		t.Errorf("the harness's escape reached the output:\n%q", out)
	}
}

// hostileAnswers are documents a broken or hostile harness may answer
// with, of about n bytes: the shapes that cost a renderer depth × tokens
// or a line per byte.
var hostileAnswers = []struct {
	name string
	gen  func(n int) string
}{
	{"deep-arrays", func(n int) string { d := min(9000, n/4); return nested(n, d, "[", "]") }},
	{"deep-objects", func(n int) string { d := min(9990, n/12); return nested(n, d, `{"a":`, "}") }},
	{"alternating", func(n int) string { d := min(4995, n/12); return nested(n, d, `[{"a":`, "}]") }},
	{"wide-array", func(n int) string { return nested(n, 1, "[", "]") }},
	{"long-string", func(n int) string { return `"` + strings.Repeat("é", n/2) + `"` }},
	{"long-number", func(n int) string { return "1" + strings.Repeat("0", n) }},
	{"many-raw-lines", func(n int) string { return strings.Repeat("\x1b[2J{\n", n/6) }},
	{"too-deep-for-json", func(n int) string { return nested(max(n, 20010), 10001, "[", "]") }},
}

// nested wraps an array of numbers filling n bytes in depth levels.
func nested(n, depth int, open, close string) string {
	var b strings.Builder
	b.WriteString(strings.Repeat(open, depth) + "[0")
	for i := 1; b.Len() < n-depth*len(close)-1; i++ {
		b.WriteString("," + strconv.Itoa(i%10))
	}
	return b.String() + "]" + strings.Repeat(close, depth)
}

// TestRunnerBoundsHostileAnswers runs the runner against a harness that
// answers every case with a hostile document: each case fails with a
// bounded account, the run goes on to the end, and the runner allocates a
// small multiple of what the harness sent.
func TestRunnerBoundsHostileAnswers(t *testing.T) {
	sizes := []int{20 << 10, 118 << 10}
	if !testing.Short() {
		sizes = append(sizes, 1<<20)
	}
	// Each group is a run of its own, so that one shape's cost is not
	// hidden in the sum of another's.
	for _, group := range []string{"documents", "errors"} {
		dir, answers := t.TempDir(), t.TempDir()
		var cases []any
		sent := 0
		answer := func(c map[string]any, a map[string]any) {
			cases = append(cases, c)
			a["seq"] = len(cases)
			line, err := json.Marshal(a)
			if err != nil {
				t.Fatal(err)
			}
			sent += len(line)
			if err := os.WriteFile(filepath.Join(answers, strconv.Itoa(len(cases))), append(line, '\n'), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		for _, size := range sizes {
			if group == "documents" {
				for _, h := range hostileAnswers {
					for _, pair := range [][2]string{
						{"{}", h.gen(size)},              // a small result, a hostile answer
						{h.gen(size), h.gen(size) + " "}, // a hostile result, an answer that differs at its end
					} {
						name := h.name + "-" + strconv.Itoa(size) + "-" + strconv.Itoa(len(pair[0]))
						answer(map[string]any{"name": name, "comment": "a hostile answer", "rules": []string{"H7"},
							"tags": []string{"large"}, "op": "merge_user", "stored": "{}", "patch": "{}", "result": pair[0]},
							map[string]any{"result": pair[1]})
					}
				}
				continue
			}
			// Errors whose code and pointer are made of characters that
			// JSON carries raw and quoting grows fourfold.
			for _, ch := range []string{"\x7f", "\u0085", "\u009b"} { // raw in JSON
				long := strings.Repeat(ch, size/len(ch))
				name := "errors-" + strconv.Itoa(size) + "-" + strconv.Itoa(int(ch[len(ch)-1]))
				answer(map[string]any{"name": name, "comment": "hostile errors", "rules": []string{"H7"},
					"tags": []string{"large"}, "op": "merge_user", "stored": "{}", "patch": "{}", "result": "{}"},
					map[string]any{"errors": []map[string]string{{"code": long[:min(len(long), 1000)], "pointer": long}}})
			}
		}
		b, err := json.Marshal(map[string]any{"description": "hostile answers", "cases": cases})
		if err != nil {
			t.Fatal(err)
		}
		sent += len(b) // the runner reads the expected results too
		if err := os.WriteFile(filepath.Join(dir, "hostile.json"), b, 0o644); err != nil {
			t.Fatal(err)
		}
		h := shellHarness(t, "read l; echo '"+startAnswer+"'; i=0\n"+
			"while read l; do case $l in *'\"stop\"'*) exit 0;; esac; i=$((i+1)); cat '"+answers+"'/$i; done\n")
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		status, out := conformanceWithin(t, 120*time.Second, "-vectors", dir, "--", h)
		runtime.ReadMemStats(&after)
		alloc := after.TotalAlloc - before.TotalAlloc
		t.Logf("%s: %d cases, %d bytes of vectors and answers: %d bytes allocated (%.1f×), %d bytes of output",
			group, len(cases), sent, alloc, float64(alloc)/float64(sent), len(out))
		if want := "0 passed, " + strconv.Itoa(len(cases)) + " failed, 0 skipped"; status != exitViolations || !strings.Contains(out, want) {
			t.Errorf("%s: status %d, want %d and %q; the output ends:\n%s", group, status, exitViolations, want, out[max(0, len(out)-2000):])
		}
		if n := strings.Count(out, "--- FAIL: "); n != len(cases) {
			t.Errorf("%s: %d cases shown failing, want %d", group, n, len(cases))
		}
		if limit := uint64(10*sent + len(cases)*(1<<20)); alloc > limit { // the README quotes 10×
			t.Errorf("%s: the runner allocated %d bytes for %d of vectors and answers, more than %d", group, alloc, sent, limit)
		}
		if limit := len(cases) * (40 << 10); len(out) > limit {
			t.Errorf("%s: %d bytes of output for %d cases, more than %d", group, len(out), len(cases), limit)
		}
		if i := strings.IndexFunc(out, func(r rune) bool {
			return (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f || (r >= 0x80 && r < 0xa0)
		}); i >= 0 {
			t.Errorf("%s: a raw control character reached the output: %q", group, out[max(0, i-100):min(len(out), i+100)])
		}
	}
}

// TestRunnerBoundsHostileTexts gives the runner a harness whose every
// text is long and full of escapes: the reason it errors or skips, its
// name, language and version, its standard error. What the runner prints
// and writes to -report is escaped and bounded whatever the text.
func TestRunnerBoundsHostileTexts(t *testing.T) {
	size := 1 << 20
	if testing.Short() {
		size = 20 << 10
	}
	text := "\x1b[2J\x1b[31m" + strings.Repeat("PWNED\x1b\u009b\x7f\r", size/10)
	impl := func(name, language, version string) string {
		return string(encodeLine(started{Protocol: 1, Implementation: implementation{Name: name, Language: language, Version: version},
			Ops: conformance.Ops(), Options: conformance.OptionNames()}))
	}
	dir := t.TempDir()
	for _, tt := range []struct {
		name          string
		start, answer string
	}{
		{"errored", impl("sh", "sh", ""), string(encodeLine(map[string]any{"seq": 1, "errored": text}))},
		{"skipped", impl("sh", "sh", ""), string(encodeLine(map[string]any{"seq": 1, "skipped": text}))},
		{"name", impl(text, "sh", ""), `{"seq":1,"result":"{}"}` + "\n"},
		{"language", impl("sh", text, ""), `{"seq":1,"result":"{}"}` + "\n"},
		{"version", impl("sh", "sh", text), `{"seq":1,"result":"{}"}` + "\n"},
		{"stderr", impl("sh", "sh", ""), "not json " + text + "\n"},
	} {
		start, answer := filepath.Join(dir, tt.name+".start"), filepath.Join(dir, tt.name+".answer")
		if err := os.WriteFile(start, []byte(tt.start), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(answer, []byte(tt.answer), 0o644); err != nil {
			t.Fatal(err)
		}
		// The harness writes its standard error a moment before it answers:
		// the runner reads the two pipes apart, and shows what it has read
		// of the first when the answer fails the case.
		h := shellHarness(t, "read l; cat '"+start+"'; read l; cat '"+answer+"' '"+answer+"' >&2; sleep 0.3; cat '"+answer+"'; read l\n")
		report := filepath.Join(dir, tt.name+".jsonl")
		_, out := conformanceWithin(t, 15*time.Second, "-v", "-report", report, "-run", "^user-add-key$", "--", h)
		written, err := os.ReadFile(report)
		if err != nil {
			t.Fatal(err)
		}
		var line struct{ Reason string }
		if err := json.Unmarshal(written, &line); err != nil {
			t.Fatalf("%s: the report: %v", tt.name, err)
		}
		for what, s := range map[string]string{"output": out, "report": line.Reason} {
			if len(s) > 64<<10 {
				t.Errorf("%s: %d bytes of %s", tt.name, len(s), what)
			}
			if i := strings.IndexFunc(s, func(r rune) bool {
				return (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f || (r >= 0x80 && r < 0xa0)
			}); i >= 0 {
				t.Errorf("%s: a raw control character in the %s: %q", tt.name, what, s[max(0, i-60):min(len(s), i+60)])
			}
		}
		want := `\x1b[2J\x1b[31mPWNED\x1b\x9b\x7f\x0d` // the start of the text, and its length where cut
		if tt.name == "stderr" {
			want = `\x0dPWNED\x1b\x9b\x7f\x0dPWNED` // the end of it
		}
		if !strings.Contains(out, want) || (tt.name != "stderr" && !strings.Contains(out, " bytes, hash ")) {
			t.Errorf("%s: the text is not shown escaped and cut:\n%s", tt.name, out[:min(len(out), 2000)])
		}
	}
}

// TestRunnerGoesOnPastCrashes: a harness that crashes fails the case at
// hand and is started again, however often; the runner gives up only on
// a harness that cannot be started 3 times in a row, and then fails every
// case left. Each run ends with its summary and exits 1.
func TestRunnerGoesOnPastCrashes(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	count := func(prefix string) (n int) {
		for _, c := range conformance.Vectors() {
			if strings.HasPrefix(c.Name, prefix) {
				n++
			}
		}
		return n
	}
	all, users, signups := len(conformance.Vectors()), count("user-"), 0
	for _, c := range conformance.Vectors() {
		if c.Input.Op == "validate_signup" {
			signups++
		}
	}
	dir := t.TempDir()
	// starts answers start the first time and never again.
	starts := shellHarness(t, "n=$(cat '"+dir+"/starts' 2>/dev/null || echo 0); echo $((n+1)) >'"+dir+"/starts'\n"+
		"[ $n -gt 0 ] && exit 1\nread l; echo '"+startAnswer+"'; read l; exit 3\n")
	// flaky cannot start twice, then runs the Go harness.
	flaky := shellHarness(t, "n=$(cat '"+dir+"/flaky' 2>/dev/null || echo 0); echo $((n+1)) >'"+dir+"/flaky'\n"+
		"[ $n -lt 2 ] && exit 1\nMETAMERGE_TEST_FAKE= METAMERGE_TEST_MAIN=1 exec '"+exe+"' harness\n")
	tests := []struct {
		reason string
		fake   string // METAMERGE_TEST_FAKE
		args   []string
		want   []string
	}{
		{"a partial implementation that crashes on every case of one op", "op:validate_signup=crash",
			[]string{"--", exe}, []string{"fake: crashing on purpose", fmt.Sprintf("%d passed, %d failed, 0 skipped\n", all-signups, signups)}},
		{"a harness that exits without answering start", "",
			[]string{"-run", "^user-", "--", "true"}, []string{"the harness did not start", "could not be started 3 times in a row; the cases left fail", fmt.Sprintf("0 passed, %d failed, 0 skipped\n", users)}},
		{"a command that does not exist", "",
			[]string{"-run", "^user-", "--", "/nonexistent/harness"}, []string{"starting the harness", "could not be started 3 times in a row", fmt.Sprintf("0 passed, %d failed, 0 skipped\n", users)}},
		{"a harness that crashes, then cannot start again", "",
			[]string{"-run", "^user-", "--", starts}, []string{"exited (exit status 3) without answering", "could not be started 3 times in a row", fmt.Sprintf("0 passed, %d failed, 0 skipped\n", users)}},
		{"a harness that fails to start twice, then runs", "",
			[]string{"-run", "^user-", "--", flaky}, []string{"the harness did not start", fmt.Sprintf("%d passed, 2 failed, 0 skipped\n", users-2)}},
	}
	for _, tt := range tests {
		t.Setenv("METAMERGE_TEST_MAIN", "")
		t.Setenv("METAMERGE_TEST_FAKE", tt.fake)
		report := filepath.Join(t.TempDir(), "report.jsonl")
		status, out := conformanceWithin(t, 120*time.Second, append([]string{"-report", report}, tt.args...)...)
		for _, want := range tt.want {
			if !strings.Contains(out, want) {
				t.Errorf("%s: the output lacks %q; it ends:\n%s", tt.reason, want, out[max(0, len(out)-1500):])
			}
		}
		if status != exitViolations {
			t.Errorf("%s: status %d, want %d", tt.reason, status, exitViolations)
		}
		data, err := os.ReadFile(report)
		if err != nil {
			t.Fatal(err)
		}
		cases := users // every case run is in the report
		if len(tt.args) == 2 {
			cases = all
		}
		if n := strings.Count(string(data), "\n"); n != cases {
			t.Errorf("%s: %d lines of report, want %d", tt.reason, n, cases)
		}
	}
}
