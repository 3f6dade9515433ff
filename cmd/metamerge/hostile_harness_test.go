//go:build unix

package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Tests of the runner against harnesses that misbehave as processes: they
// hide behind wrappers, leave children behind, close their output, stop
// reading their input, implement nothing. Each runs the command in this
// process under a watchdog, since the failure they guard against is a
// runner that never returns.

// startAnswer is a shell harness's answer to start.
var startAnswer = strings.TrimSpace(string(encodeLine(started{Protocol: 1,
	Implementation: implementation{Name: "sh", Language: "sh"}, Ops: allOps, Options: allOptions})))

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
