package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/metamerge/metamerge"
)

func TestCommands(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	profile := write("profile.json", `{"user_id":"auth0|1","user_metadata":{"a":1,"n":12345678901234567890}}`)
	client := write("client.json", `{"client_id":"c","client_metadata":{"foo":"zoo"}}`)
	after := write("after.json", `{"user_id":"auth0|1","user_metadata":{"a":2,"n":12345678901234567890}}`)
	stored := write("stored.json", `{"plan":"free"}`)
	write("-p.json", `{}`)
	t.Chdir(dir) // for -p.json, a file name that starts with -
	// violation is the decoded JSON line of one violation: every member
	// it may have, so that a missing or wrong one shows.
	type violation struct {
		Code    string `json:"code"`
		Pointer string `json:"pointer"`
		Stored  bool   `json:"stored"`
		Limit   int    `json:"limit"`
		Actual  int    `json:"actual"`
		File    string `json:"file"`
		Line    int    `json:"line"`
		Column  int    `json:"column"`
	}
	const v = "-" // the file of a violation found in standard input
	tests := []struct {
		reason string
		args   []string
		stdin  string
		status int
		stdout string      // exact, when the command succeeds
		errs   []violation // the JSON lines on standard error
		stderr string      // a part of standard error, for usage errors
	}{
		{"merge from stdin, number text kept (H5)", []string{"user", profile, "-"}, `{"user_metadata":{"b":true}}`, exitOK,
			`{"user_id":"auth0|1","user_metadata":{"a":1,"n":12345678901234567890,"b":true}}` + "\n", nil, ""},
		{"indent", []string{"user", "-indent", profile, "-"}, `{"user_metadata":{}}`, exitOK,
			"{\n  \"user_id\": \"auth0|1\",\n  \"user_metadata\": {}\n}\n", nil, ""},
		{"violations as JSON lines", []string{"user", profile, "-"}, `{"user_metadata":{"a.b":1,"c$":2}}`, exitViolations, "",
			[]violation{{Code: "invalid_key", Pointer: "/user_metadata/a.b", File: v}, {Code: "invalid_key", Pointer: "/user_metadata/c$", File: v}}, ""},
		{"invalid input document, located by line and column", []string{"user", profile, "-"}, "{\n  \"user_metadata\": x}", exitViolations, "",
			[]violation{{Code: "invalid_json", File: v, Line: 2, Column: 20}}, ""},
		{"invalid stored document names its file", []string{"user", write("bad.json", "{\"a\":1,\n\"a\":2}"), "-"}, `{}`, exitViolations, "",
			[]violation{{Code: "duplicate_key", Pointer: "/a", Stored: true, File: filepath.Join(dir, "bad.json"), Line: 2, Column: 1}}, ""},
		{"too deep, located by line and column", []string{"user", profile, "-"}, "{\"x\":\n" + strings.Repeat("[", 100) + strings.Repeat("]", 100) + "}", exitViolations, "",
			[]violation{{Code: "too_deep", Pointer: "/x" + strings.Repeat("/0", 99), Limit: 100, Actual: 101, File: v, Line: 2, Column: 100}}, ""},
		{"opt-in profile cap", []string{"user", "-max-profile-bytes", "10", profile, "-"}, `{}`, exitViolations, "",
			[]violation{{Code: "too_large", Limit: 10, Actual: 70, File: v}}, ""},
		{"client {} sets {} (C5)", []string{"client", client, "-"}, `{"client_metadata":{}}`, exitOK, `{"client_id":"c","client_metadata":{}}` + "\n", nil, ""},
		{"client value not a string", []string{"client", client, "-"}, `{"client_metadata":{"n":1}}`, exitViolations, "", []violation{{Code: "not_string", Pointer: "/client_metadata/n", File: v}}, ""},
		{"valid signup prints nothing", []string{"signup", "-"}, `{"plan":"pro"}`, exitOK, "", nil, ""},
		{"signup violations", []string{"signup", "-"}, `{"age":42}`, exitViolations, "", []violation{{Code: "not_string", Pointer: "/age", File: v}}, ""},
		{"merge under a policy", []string{"merge", "-policy", "app_metadata", write("stored-app.json", `{"plan":"free"}`), "-"}, `{}`, exitOK, "null\n", nil, ""},
		{"merge into an absent field", []string{"merge", "-policy", "client_metadata", "-absent", "-"}, `{"a":"b"}`, exitOK, `{"a":"b"}` + "\n", nil, ""},
		{"diff", []string{"diff", "user", profile, after}, "", exitOK, `{"user_metadata":{"a":2}}` + "\n", nil, ""},
		{"diff that no PATCH reaches (D5)", []string{"diff", "user", profile, "-"}, `{"user_id":"auth0|1"}`, exitViolations, "", []violation{{Code: "not_object", Pointer: "/user_metadata", File: v}}, ""},
		{"unknown policy", []string{"merge", "-policy", "x", profile, profile}, "", exitUsage, "", nil, "-policy must be"},
		{"missing file", []string{"user", profile, filepath.Join(dir, "none.json")}, "", exitUsage, "", nil, "no such file"},
		{"stdin twice", []string{"user", "-", "-"}, "{}", exitUsage, "", nil, "only once"},
		{"too few files", []string{"user", profile}, "", exitUsage, "", nil, "metamerge user: want 2 files (PROFILE PATCH), have 1\n"},
		{"diff of what", []string{"diff", "group", profile, after}, "", exitUsage, "", nil, `want user or client first, not "group"`},
		{"unknown command", []string{"frobnicate"}, "", exitUsage, "", nil, `unknown command "frobnicate"`},
		{"help", []string{"user", "-h"}, "", exitOK, "", nil, "Example:"},
		{"top-level help", []string{"-h"}, "", exitOK, "", nil, "conformance"},
		{"no command", nil, "", exitUsage, "", nil, "Usage: metamerge COMMAND"},

		// Violations are not HTML-escaped: the pointer is exact.
		{"no HTML escapes", []string{"user", profile, "-"}, `{"user_metadata":{"<a&b>.":1}}`, exitViolations, "",
			[]violation{{Code: "invalid_key", Pointer: "/user_metadata/<a&b>.", File: v}}, `"pointer":"/user_metadata/<a&b>."`},

		// Flags stand anywhere; -- ends them.
		{"flag after the files", []string{"user", profile, "-", "-indent"}, `{"user_metadata":{}}`, exitOK,
			"{\n  \"user_id\": \"auth0|1\",\n  \"user_metadata\": {}\n}\n", nil, ""},
		{"flag with a value between the files", []string{"user", profile, "-max-profile-bytes", "10", "-"}, `{}`, exitViolations, "",
			[]violation{{Code: "too_large", Limit: 10, Actual: 70, File: v}}, ""},
		{"-name=value after the files", []string{"merge", stored, "-", "-policy=app_metadata"}, `{}`, exitOK, "null\n", nil, ""},
		{"merge flags after the file", []string{"merge", "-", "-absent", "-policy", "client_metadata"}, `{"a":"b"}`, exitOK, `{"a":"b"}` + "\n", nil, ""},
		{"diff flag after the files", []string{"diff", "user", profile, after, "-indent"}, "", exitOK, "{\n  \"user_metadata\": {\n    \"a\": 2\n  }\n}\n", nil, ""},
		{"diff flag first", []string{"diff", "-indent", "user", profile, after}, "", exitOK, "{\n  \"user_metadata\": {\n    \"a\": 2\n  }\n}\n", nil, ""},
		{"-- makes a flag a file", []string{"user", "-indent", "--", "-p.json", "-"}, `{"user_metadata":{}}`, exitOK,
			"{\n  \"user_metadata\": {}\n}\n", nil, ""},
		{"a flag after -- is a file", []string{"user", "--", profile, "-", "-indent"}, ``, exitUsage, "", nil,
			"want 2 files (PROFILE PATCH), have 3: -indent comes after --, which makes it a file; did you mean it before --?\n"},
		{"a flag without its -", []string{"user", profile, "indent", "-"}, ``, exitUsage, "", nil,
			"want 2 files (PROFILE PATCH), have 3: did you mean -indent?\n"},
		{"signup count", []string{"signup"}, "", exitUsage, "", nil, "metamerge signup: want 1 file (FILE), have 0\n"},
		{"diff count", []string{"diff", "user", profile}, "", exitUsage, "", nil, "metamerge diff: want 3 arguments (user|client BEFORE AFTER), have 2\n"},
		{"merge -absent count", []string{"merge", "-absent", "-policy", "signup", profile, "-"}, "", exitUsage, "", nil, "metamerge merge: want 1 file (PATCH), have 2\n"},
		{"flag missing its value", []string{"user", profile, "-", "-max-profile-bytes"}, "", exitUsage, "", nil, "flag needs an argument: -max-profile-bytes"},
		{"unknown flag after the files", []string{"user", profile, "-", "-nope"}, "", exitUsage, "", nil, "flag provided but not defined: -nope"},
		{"help after the files", []string{"client", client, "-", "-h"}, "", exitOK, "", nil, "Usage: metamerge client CLIENT PATCH"},

		// -max-input caps every input, which is then not read further.
		{"input at the cap", []string{"signup", "-max-input", "14", "-"}, `{"plan":"pro"}`, exitOK, "", nil, ""},
		{"standard input over the cap", []string{"signup", "-max-input", "13", "-"}, `{"plan":"pro"}`, exitViolations, "",
			[]violation{{Code: "too_large", Limit: 13, Actual: 14, File: v}}, ""},
		{"stored file over the cap", []string{"user", profile, "-", "-max-input", "20"}, `{}`, exitViolations, "",
			[]violation{{Code: "too_large", Stored: true, Limit: 20, Actual: 70, File: profile}}, ""},
		{"patch file over the cap", []string{"client", "-max-input=50", client, profile}, ``, exitViolations, "",
			[]violation{{Code: "too_large", Limit: 50, Actual: 70, File: profile}}, ""},
		{"diff after over the cap", []string{"diff", "user", "-max-input=69", "-", profile}, `{}`, exitViolations, "",
			[]violation{{Code: "too_large", Limit: 69, Actual: 70, File: profile}}, ""},
		{"cap of 0", []string{"signup", "-max-input", "0", "-"}, `{}`, exitUsage, "", nil, "-max-input is 0; it must be from 1 to 2147483647"},
		{"cap over the library's limit", []string{"signup", "-max-input", "2147483648", "-"}, `{}`, exitUsage, "", nil, "-max-input is 2147483648; it must be from 1 to 2147483647"},
		{"a directory names itself", []string{"signup", dir}, ``, exitUsage, "", nil, "metamerge signup: " + dir + ": read "},
		{"-max-input in the help", []string{"user", "-h"}, "", exitOK, "", nil, "-max-input int"},

		{"version", []string{"version"}, "", exitOK, "metamerge " + moduleVersion() + " " + runtime.Version() + "\n", nil, ""},
		{"version takes no argument", []string{"version", "x"}, "", exitUsage, "", nil, `metamerge version: unexpected argument "x"`},
	}
	for _, tt := range tests {
		status, out, errOut := runCommand(t, tt.stdin, tt.args...)
		if status != tt.status {
			t.Errorf("%s: status %d, want %d (stderr %q)", tt.reason, status, tt.status, errOut)
		}
		if out != tt.stdout {
			t.Errorf("%s: stdout %q, want %q", tt.reason, out, tt.stdout)
		}
		if tt.errs != nil {
			var got []violation
			for _, line := range strings.Split(strings.TrimSpace(errOut), "\n") {
				var v violation
				if err := json.Unmarshal([]byte(line), &v); err != nil {
					t.Errorf("%s: stderr line %q is not JSON: %v", tt.reason, line, err)
				}
				got = append(got, v)
			}
			if len(got) != len(tt.errs) {
				t.Errorf("%s: violations %v, want %v", tt.reason, got, tt.errs)
			}
			for i := range min(len(got), len(tt.errs)) {
				if got[i] != tt.errs[i] {
					t.Errorf("%s: violation %d is %v, want %v", tt.reason, i, got[i], tt.errs[i])
				}
			}
		}
		if !strings.Contains(errOut, tt.stderr) {
			t.Errorf("%s: stderr %q lacks %q", tt.reason, errOut, tt.stderr)
		}
	}
}

// endless is standard input that never ends: zeros, counted. It fails
// the read that goes past most bytes, so that a command that reads without
// a cap stops instead of filling memory.
type endless struct{ n, most int }

func (e *endless) Read(p []byte) (int, error) {
	if e.n+len(p) > e.most {
		return 0, errors.New("read past the cap")
	}
	clear(p)
	e.n += len(p)
	return len(p), nil
}

// TestInputCap checks that the command stops reading an input at
// -max-input (64 MiB by default), reports too_large as the library does,
// and allocates less than twice the cap on the way.
func TestInputCap(t *testing.T) {
	for _, tt := range []struct {
		args  []string
		limit int
	}{
		{[]string{"signup", "-"}, defaultMaxInput},
		{[]string{"signup", "-", "-max-input", "1000000"}, 1000000},
	} {
		in := &endless{most: 2 * tt.limit}
		var out, errOut bytes.Buffer
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		status := run(tt.args, stdio{in, &out, &errOut})
		runtime.ReadMemStats(&after)
		want := fmt.Sprintf(`{"code":"too_large","pointer":"","limit":%d,"actual":%d,"message":"metamerge: document root: too_large (%[2]d > %[1]d)","file":"-"}`+"\n", tt.limit, tt.limit+1)
		if status != exitViolations || out.Len() != 0 || errOut.String() != want {
			t.Errorf("%v: status %d, stdout %q, stderr %q; want %d and stderr %q", tt.args, status, out.String(), errOut.String(), exitViolations, want)
		}
		if in.n != tt.limit+1 {
			t.Errorf("%v: read %d bytes, want the cap + 1 = %d", tt.args, in.n, tt.limit+1)
		}
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 2*uint64(tt.limit) {
			t.Errorf("%v: allocated %d bytes reading a cap of %d", tt.args, alloc, tt.limit)
		}
	}
}

// TestLineColumn checks the location of an offset, at the edges of lines.
func TestLineColumn(t *testing.T) {
	doc := []byte("ab\n\ncd\n")
	for _, tt := range []struct{ off, line, column int }{
		{0, 1, 1}, {2, 1, 3}, {3, 2, 1}, {4, 3, 1}, {6, 3, 3}, {7, 4, 1},
	} {
		if line, column := lineColumn(doc, tt.off); line != tt.line || column != tt.column {
			t.Errorf("offset %d: line %d column %d, want %d and %d", tt.off, line, column, tt.line, tt.column)
		}
	}
}

// TestREADMEConsole runs the console session of the README's Command line
// section: "$ cat FILE" and its output give a file, "$ echo 'IN' |
// metamerge ARGS..." must print the lines that follow (standard output,
// then standard error), and "$ echo $?" the status of the last command.
func TestREADMEConsole(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, _ := strings.Cut(string(readme), "\n## Command line\n")
	_, session, ok := strings.Cut(section, "```console\n")
	session, _, _ = strings.Cut(session, "```")
	if !ok {
		t.Fatal("the Command line section has no console session")
	}
	t.Chdir(t.TempDir())
	lines := strings.Split(strings.TrimSuffix(session, "\n"), "\n")
	status, ran := 0, 0
	for i := 0; i < len(lines); {
		cmd, ok := strings.CutPrefix(lines[i], "$ ")
		if !ok {
			t.Fatalf("line %q is not a command", lines[i])
		}
		i++
		var want []string
		for ; i < len(lines) && !strings.HasPrefix(lines[i], "$ "); i++ {
			want = append(want, lines[i])
		}
		switch {
		case strings.HasPrefix(cmd, "cat "):
			if err := os.WriteFile(strings.TrimPrefix(cmd, "cat "), []byte(strings.Join(want, "\n")+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		case cmd == "echo $?":
			if got := fmt.Sprint(status); len(want) != 1 || want[0] != got {
				t.Errorf("status %s, the README says %q", got, want)
			}
		case strings.HasPrefix(cmd, "echo '"):
			in, args, ok := strings.Cut(strings.TrimPrefix(cmd, "echo '"), "' | metamerge ")
			if !ok {
				t.Fatalf("command %q: want echo 'IN' | metamerge ARGS", cmd)
			}
			var out string
			var errOut string
			status, out, errOut = runCommand(t, in+"\n", strings.Fields(args)...)
			ran++
			if got := out + errOut; got != strings.Join(want, "\n")+"\n" {
				t.Errorf("%s\nprints:\n%sthe README says:\n%s", cmd, got, strings.Join(want, "\n"))
			}
		default:
			t.Fatalf("command %q: this test does not know it", cmd)
		}
	}
	if ran == 0 {
		t.Error("the session runs no metamerge command")
	}
}

// TestREADMEMaxInput checks the default and ceiling of -max-input that the
// README states.
func TestREADMEMaxInput(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(readme)), " ")
	want := "read up to `-max-input` bytes (default 64 MiB, which no real profile reaches; at most 2 GiB − 1 byte)"
	if !strings.Contains(text, want) {
		t.Fatalf("the README no longer says %q: update this test with it", want)
	}
	if defaultMaxInput != 64<<20 || metamerge.MaxDocumentBytes != 2<<30-1 {
		t.Errorf("-max-input: default %d and ceiling %d, the README says 64 MiB and 2 GiB − 1 byte", defaultMaxInput, metamerge.MaxDocumentBytes)
	}
}
