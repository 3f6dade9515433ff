package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/metamerge/metamerge/conformance"
)

// TestMain lets the test binary stand in for the command (with
// METAMERGE_TEST_MAIN=1) and for a misbehaving harness (with
// METAMERGE_TEST_FAKE set), so that the runner is tested against real
// subprocesses.
func TestMain(m *testing.M) {
	if os.Getenv("METAMERGE_TEST_MAIN") == "1" {
		os.Exit(run(os.Args[1:], stdio{os.Stdin, os.Stdout, os.Stderr}))
	}
	if fake := os.Getenv("METAMERGE_TEST_FAKE"); fake != "" {
		fakeHarness(fake)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// fakeHarness answers like the reference but misbehaves on the cases that
// the spec names: "NAME=crash,NAME=hang,NAME=garbage,NAME=errored,
// NAME=seq,NAME=wrong", or on every case of an op: "op:OP=crash";
// "ops=merge_user" limits the ops it declares.
func fakeHarness(spec string) {
	acts := map[string]string{}
	ops := conformance.Ops()
	for _, kv := range strings.Split(spec, ",") {
		k, v, _ := strings.Cut(kv, "=")
		if k == "ops" {
			ops = strings.Split(v, "+")
			continue
		}
		acts[k] = v
	}
	in := bufio.NewReader(os.Stdin)
	for {
		line, err := in.ReadBytes('\n')
		if err != nil {
			return
		}
		var req request
		_ = json.Unmarshal(line, &req)
		switch req.Cmd {
		case "start":
			os.Stdout.Write(encodeLine(started{Protocol: 1, Implementation: implementation{Name: "fake", Language: "go"}, Ops: ops, Options: conformance.OptionNames()}))
		case "stop":
			return
		case "run":
			out := conformance.Reference(*req.Case)
			act := acts[req.Case.Name]
			if a, ok := acts["op:"+req.Case.Op]; ok {
				act = a
			}
			switch act {
			case "crash":
				fmt.Fprintln(os.Stderr, "fake: crashing on purpose")
				os.Exit(3)
			case "hang":
				time.Sleep(time.Minute)
			case "garbage":
				os.Stdout.WriteString("nope\n")
				continue
			case "errored":
				os.Stdout.Write(encodeLine(map[string]any{"seq": req.Seq, "errored": "boom"}))
				continue
			case "seq":
				req.Seq++
			case "wrong":
				out = conformance.Output{Result: []byte(`{"wrong":true}`)}
			}
			os.Stdout.Write(answerLine(req.Seq, out))
		}
	}
}

// runCommand runs the command in this process.
func runCommand(t *testing.T, stdin string, args ...string) (status int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	status = run(args, stdio{strings.NewReader(stdin), &out, &errOut})
	return status, out.String(), errOut.String()
}

// self returns the argv of this test binary acting as the command.
func self(t *testing.T) []string {
	t.Setenv("METAMERGE_TEST_MAIN", "1")
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return []string{exe}
}

func TestConformanceAgainstTheGoHarness(t *testing.T) {
	argv := append(self(t), "harness")
	status, out, errOut := runCommand(t, "", append([]string{"conformance", "--"}, argv...)...)
	want := fmt.Sprintf("%d passed, 0 failed, 0 skipped\n", len(conformance.Vectors()))
	if status != exitOK || !strings.HasSuffix(out, want) {
		t.Errorf("status %d, stdout:\n%s\nstderr:\n%s\nwant the last line %q", status, out, errOut, want)
	}
	if !strings.HasPrefix(out, "harness: metamerge (go)") {
		t.Errorf("the first line does not name the harness: %q", out)
	}
}

// TestConformanceRecovers runs a harness that crashes, hangs, answers
// garbage, errs, answers the wrong seq and gives a wrong result, each on
// one case: each fails that case, the harness is started again where it
// must be, and the other cases pass.
func TestConformanceRecovers(t *testing.T) {
	exe := self(t)[0]
	t.Setenv("METAMERGE_TEST_MAIN", "")
	t.Setenv("METAMERGE_TEST_FAKE", "user-add-key=crash,user-replace-in-place=hang,user-null-removes-key=garbage,user-null-absent-key=errored,user-dot-key=seq,user-dot-key-nested=wrong")
	report := filepath.Join(t.TempDir(), "report.jsonl")
	status, out, _ := runCommand(t, "", "conformance", "-timeout", "500ms", "-report", report, "-run", "^user-", "--", exe)
	n := 0
	for _, c := range conformance.Vectors() {
		if strings.HasPrefix(c.Name, "user-") {
			n++
		}
	}
	for _, want := range []string{
		"--- FAIL: user-add-key", "the harness exited (exit status 3) without answering", "fake: crashing on purpose",
		"--- FAIL: user-replace-in-place", "the harness did not answer within 500ms",
		"--- FAIL: user-null-removes-key", `not a JSON object: "nope"`,
		"--- FAIL: user-null-absent-key", "the harness errored: boom",
		"--- FAIL: user-dot-key ", "answered seq",
		"--- FAIL: user-dot-key-nested", "want errors, got result:", `"wrong": true`,
		fmt.Sprintf("%d passed, 6 failed, 0 skipped\n", n-6),
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the output lacks %q:\n%s", want, out)
		}
	}
	if status != exitViolations {
		t.Errorf("status %d, want %d", status, exitViolations)
	}
	data, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	var first struct{ Name, Status, Reason string }
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil || len(lines) != n || first.Status != "fail" || first.Name != "user-add-key" {
		t.Errorf("report: %d lines (want %d), first %+v, %v", len(lines), n, first, err)
	}
}

func TestConformanceSkipsWhatTheHarnessLacks(t *testing.T) {
	exe := self(t)[0]
	t.Setenv("METAMERGE_TEST_MAIN", "")
	t.Setenv("METAMERGE_TEST_FAKE", "ops=merge_user")
	// A case without tags is the core: skipping it fails it, unless the
	// harness is declared partial.
	status, out, _ := runCommand(t, "", "conformance", "-run", "^(user-add-key|client-empty-clears|prototype-inside-client-value)$", "--", exe)
	for _, want := range []string{"--- FAIL: client-empty-clears", "a case without tags may not be skipped", "1 passed, 1 failed, 1 skipped"} {
		if !strings.Contains(out, want) {
			t.Errorf("the output lacks %q:\n%s", want, out)
		}
	}
	if status != exitViolations {
		t.Errorf("status %d, want %d", status, exitViolations)
	}
	status, out, _ = runCommand(t, "", "conformance", "-allow-skip", "-v", "-run", "^(user-add-key|client-empty-clears)$", "--", exe)
	for _, want := range []string{"--- SKIP: client-empty-clears", "the harness does not support op merge_client", "1 passed, 0 failed, 1 skipped"} {
		if !strings.Contains(out, want) {
			t.Errorf("-allow-skip: the output lacks %q:\n%s", want, out)
		}
	}
	if status != exitOK {
		t.Errorf("-allow-skip: status %d", status)
	}
}

func TestConformanceUsage(t *testing.T) {
	for _, tt := range []struct {
		args   []string
		status int
		stderr string
	}{
		{[]string{"conformance"}, exitUsage, "no harness command"},
		{[]string{"conformance", "-run", "(", "--", "x"}, exitUsage, "-run: error parsing regexp"},
		{[]string{"conformance", "-vectors", "/nonexistent", "--", "x"}, exitUsage, "no such file"},
		{[]string{"conformance", "-timeout", "0", "--", "x"}, exitUsage, "-timeout 0s: a harness needs some time"},
		{[]string{"conformance", "-timeout", "-1s", "--", "x"}, exitUsage, "-timeout -1s: a harness needs some time"},
	} {
		status, _, errOut := runCommand(t, "", tt.args...)
		if status != tt.status || !strings.Contains(errOut, tt.stderr) {
			t.Errorf("%v: status %d, stderr %q; want %d and %q", tt.args, status, errOut, tt.status, tt.stderr)
		}
	}
}

// TestHarnessDeclinesUnreadableCases checks that the Go harness answers a
// case it cannot read (an option of the wrong type) instead of exiting.
func TestHarnessDeclinesUnreadableCases(t *testing.T) {
	in := `{"cmd":"run","seq":1,"case":{"op":"merge_user","stored":"{}","patch":"{}","options":{"max_errors":1.5}}}
{"cmd":"run","seq":2,"case":{"op":"merge_user","stored":"{}","patch":"{}"}}
{"cmd":"stop"}
`
	status, out, errOut := runCommand(t, in, "harness")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if status != exitOK || len(lines) != 2 || !strings.HasPrefix(lines[0], `{"seq":1,"skipped":"the case cannot be read: `) || lines[1] != `{"seq":2,"result":"{}"}` {
		t.Errorf("status %d, stdout:\n%s\nstderr: %s", status, out, errOut)
	}
}

// TestHarnessDoesNotEscapeHTML checks that the harness's answers carry
// documents and pointers as they were written: "<" stays "<", as the
// README promises for everything the command writes.
func TestHarnessDoesNotEscapeHTML(t *testing.T) {
	in := `{"cmd":"run","seq":1,"case":{"op":"merge_user","stored":"{}","patch":"{\"user_metadata\":{\"<b>\":\"&\"}}"}}
{"cmd":"run","seq":2,"case":{"op":"merge_user","stored":"{}","patch":"{\"user_metadata\":{\"<b>.x\":1}}"}}
{"cmd":"stop"}
`
	status, out, errOut := runCommand(t, in, "harness")
	want := `{"seq":1,"result":"{\"user_metadata\":{\"<b>\":\"&\"}}"}
{"seq":2,"errors":[{"code":"invalid_key","pointer":"/user_metadata/<b>.x","auth0_message":"Fields with \".\" are not allowed, please remove all dotted fields. Example: user_metadata.foo.bar"}]}
`
	if status != exitOK || out != want {
		t.Errorf("status %d, stdout:\n%s\nwant:\n%s\nstderr: %s", status, out, want, errOut)
	}
}

// TestConformanceSkipFlag checks that -skip leaves out the cases whose
// names match, with -run or without, as go test -skip does.
func TestConformanceSkipFlag(t *testing.T) {
	argv := append(self(t), "harness")
	var user int
	for _, c := range conformance.Vectors() {
		if strings.HasPrefix(c.Name, "user-") {
			user++
		}
	}
	for _, tt := range []struct {
		why  string
		args []string
		want int
	}{
		{"-skip alone leaves out the user cases", []string{"-skip", "^user-"}, len(conformance.Vectors()) - user},
		{"-run and -skip together", []string{"-run", "^user-", "-skip", "^user-"}, 0},
		{"an empty -skip leaves out nothing", []string{"-run", "^user-", "-skip", ""}, user},
	} {
		args := append(append([]string{"conformance"}, tt.args...), "--")
		status, out, errOut := runCommand(t, "", append(args, argv...)...)
		want := fmt.Sprintf("%d passed, 0 failed, 0 skipped\n", tt.want)
		if status != exitOK || !strings.HasSuffix(out, want) {
			t.Errorf("%s: status %d, stdout ends %q, want %q; stderr: %s", tt.why, status, out[max(0, len(out)-80):], want, errOut)
		}
	}
	if status, _, errOut := runCommand(t, "", "conformance", "-skip", "(", "--", "true"); status != exitUsage || !strings.Contains(errOut, "-skip: ") {
		t.Errorf("a bad -skip: status %d, stderr %q", status, errOut)
	}
}
