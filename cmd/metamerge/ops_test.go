package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
	type violation struct{ Code, Pointer string }
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
			[]violation{{"invalid_key", "/user_metadata/a.b"}, {"invalid_key", "/user_metadata/c$"}}, ""},
		{"invalid input document", []string{"user", profile, "-"}, `{"user_metadata":`, exitViolations, "", []violation{{"invalid_json", ""}}, ""},
		{"opt-in profile cap", []string{"user", "-max-profile-bytes", "10", profile, "-"}, `{}`, exitViolations, "", []violation{{"too_large", ""}}, ""},
		{"client {} sets {} (C5)", []string{"client", client, "-"}, `{"client_metadata":{}}`, exitOK, `{"client_id":"c","client_metadata":{}}` + "\n", nil, ""},
		{"client value not a string", []string{"client", client, "-"}, `{"client_metadata":{"n":1}}`, exitViolations, "", []violation{{"not_string", "/client_metadata/n"}}, ""},
		{"valid signup prints nothing", []string{"signup", "-"}, `{"plan":"pro"}`, exitOK, "", nil, ""},
		{"signup violations", []string{"signup", "-"}, `{"age":42}`, exitViolations, "", []violation{{"not_string", "/age"}}, ""},
		{"merge under a policy", []string{"merge", "-policy", "app_metadata", write("stored-app.json", `{"plan":"free"}`), "-"}, `{}`, exitOK, "null\n", nil, ""},
		{"merge into an absent field", []string{"merge", "-policy", "client_metadata", "-absent", "-"}, `{"a":"b"}`, exitOK, `{"a":"b"}` + "\n", nil, ""},
		{"diff", []string{"diff", "user", profile, after}, "", exitOK, `{"user_metadata":{"a":2}}` + "\n", nil, ""},
		{"diff that no PATCH reaches (D5)", []string{"diff", "user", profile, "-"}, `{"user_id":"auth0|1"}`, exitViolations, "", []violation{{"not_object", "/user_metadata"}}, ""},
		{"unknown policy", []string{"merge", "-policy", "x", profile, profile}, "", exitUsage, "", nil, "-policy must be"},
		{"missing file", []string{"user", profile, filepath.Join(dir, "none.json")}, "", exitUsage, "", nil, "no such file"},
		{"stdin twice", []string{"user", "-", "-"}, "{}", exitUsage, "", nil, "only once"},
		{"too few files", []string{"user", profile}, "", exitUsage, "", nil, "want 2 file arguments"},
		{"diff of what", []string{"diff", "group", profile, after}, "", exitUsage, "", nil, "want user or client"},
		{"unknown command", []string{"frobnicate"}, "", exitUsage, "", nil, `unknown command "frobnicate"`},
		{"help", []string{"user", "-h"}, "", exitOK, "", nil, "Example:"},
		{"top-level help", []string{"-h"}, "", exitOK, "", nil, "conformance"},
		{"no command", nil, "", exitUsage, "", nil, "Usage: metamerge COMMAND"},
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
