package main

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"io"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// startServe runs serve in the test process until the returned stop is
// called; it returns the base URL from the first line of standard output.
func startServe(t *testing.T, args ...string) (base string, stop func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	outR, outW := io.Pipe()
	var stderr bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- serve(ctx, args, stdio{in: strings.NewReader(""), out: outW, err: &stderr})
		outW.Close()
	}()
	line, err := bufio.NewReader(outR).ReadString('\n')
	if err != nil {
		cancel()
		t.Fatalf("serve %v printed no address: %v; stderr: %s", args, err, stderr.String())
	}
	go io.Copy(io.Discard, outR)
	base, ok := strings.CutPrefix(strings.TrimSpace(line), "listening on ")
	if !ok {
		t.Fatalf("first line %q", line)
	}
	return base, func() int {
		cancel()
		select {
		case code := <-done:
			return code
		case <-time.After(15 * time.Second):
			t.Fatal("serve did not stop")
			return -1
		}
	}
}

// call sends one request with the token secret.
func call(t *testing.T, method, url, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer secret")
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestServe runs the README's session (create, patch, read back) against
// serve, stops it, and starts it again on the same data.
func TestServe(t *testing.T) {
	data := t.TempDir()
	base, stop := startServe(t, "-addr", "127.0.0.1:0", "-token", "secret", "-data", data)
	code, body := call(t, "POST", base+"/api/v2/users", `{"connection":"Username-Password-Authentication","email":"ada@example.com","password":"pw","user_id":"ada","user_metadata":{"addresses":{"home":"A"}}}`)
	if code != 201 {
		t.Fatalf("create: %d %s", code, body)
	}
	if code, body = call(t, "PATCH", base+"/api/v2/users/auth0%7Cada", `{"user_metadata":{"addresses":{"home":"A","work":"B"}}}`); code != 200 {
		t.Fatalf("patch: %d %s", code, body)
	}
	if code, body = call(t, "GET", base+"/api/v2/users", ""); code != 200 || !strings.Contains(body, `"user_metadata":{"addresses":{"home":"A","work":"B"}}`) {
		t.Fatalf("list: %d %s", code, body)
	}
	if code, _ := call(t, "GET", strings.Replace(base, "http://", "http://x:y@", 1)+"/api/v2/users", ""); code != 200 {
		t.Errorf("the token is checked, not basic credentials: %d", code)
	}
	if got := stop(); got != exitOK {
		t.Fatalf("stop: exit %d", got)
	}

	base, stop = startServe(t, "-addr", "127.0.0.1:0", "-token", "secret", "-data", data)
	defer stop()
	if code, got := call(t, "GET", base+"/api/v2/users/auth0%7Cada", ""); code != 200 || !strings.Contains(got, `"work":"B"`) {
		t.Errorf("after a restart: %d %s", code, got)
	}
	req, _ := http.NewRequest("GET", base+"/api/v2/users", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Errorf("without the token: %d", resp.StatusCode)
	}
}

// TestServeUsage checks -h, bad flags and settings, and a busy address.
func TestServeUsage(t *testing.T) {
	tests := []struct {
		name, why string
		args      []string
		code      int
		stderr    string
	}{
		{"help", "-h prints the usage and an example", []string{"-h"}, exitOK, "Example:"},
		{"unknown flag", "a usage error", []string{"-port", "1"}, exitUsage, "flag provided but not defined: -port"},
		{"argument", "serve takes no arguments", []string{"x"}, exitUsage, `unexpected argument "x"`},
		{"max-body", "a limit must be positive", []string{"-max-body", "0"}, exitUsage, "-max-body is 0"},
		{"bad address", "the listener's error", []string{"-addr", "256.0.0.1:x"}, exitUsage, "listen tcp"},
		{"bad data", "a data directory that is a file", []string{"-data", os.Args[0]}, exitUsage, "metamerge serve:"},
		{"tenant without a name", "-tenant takes a value", []string{"-tenant"}, exitUsage, "flag needs an argument: -tenant"},
		{"control with a value", "-control is a switch", []string{"-control=maybe"}, exitUsage, `invalid boolean value "maybe" for -control`},
	}
	for _, tc := range tests {
		var out, errb bytes.Buffer
		code := serve(context.Background(), tc.args, stdio{in: strings.NewReader(""), out: &out, err: &errb})
		if code != tc.code || !strings.Contains(errb.String(), tc.stderr) {
			t.Errorf("%s (%s): exit %d, stderr %q; want %d and %q", tc.name, tc.why, code, errb.String(), tc.code, tc.stderr)
		}
	}
	var out, errb bytes.Buffer
	if code := run([]string{"-h"}, stdio{out: &out, err: &errb}); code != exitOK || !strings.Contains(errb.String(), "serve") {
		t.Errorf("the command list names serve: %d %q", code, errb.String())
	}
}

// TestServeUsageFlags checks the usage text against the flag set: every
// flag serve defines is in the synopsis and has its own line, and every
// flag the text describes is defined.
func TestServeUsageFlags(t *testing.T) {
	fs, _, _ := serveFlags(stdio{err: io.Discard})
	synopsis, body, _ := strings.Cut(serveUsage, "\n\n")
	defined := map[string]bool{}
	fs.VisitAll(func(f *flag.Flag) {
		defined[f.Name] = true
		if !strings.Contains(synopsis, "[-"+f.Name+"]") && !strings.Contains(synopsis, "[-"+f.Name+" ") {
			t.Errorf("-%s is not in the synopsis:\n%s", f.Name, synopsis)
		}
		if !regexp.MustCompile(`(?m)^  -` + regexp.QuoteMeta(f.Name) + `\b`).MatchString(body) {
			t.Errorf("-%s has no line of its own in the usage text", f.Name)
		}
	})
	for _, m := range regexp.MustCompile(`(?m)^  -([a-z-]+)`).FindAllStringSubmatch(body, -1) {
		if !defined[m[1]] {
			t.Errorf("the usage text describes -%s, which serve does not define", m[1])
		}
	}
	for _, want := range []string{"tenant", "control"} {
		if !defined[want] {
			t.Errorf("serve has no -%s", want)
		}
	}
}

// TestServeControl starts serve with -control and -tenant: the control
// API resets, seeds, reads and injects faults over HTTP with the token,
// and clients carry the tenant; without -control, /_fake/ is a 404 and
// clients carry no tenant.
func TestServeControl(t *testing.T) {
	base, stop := startServe(t, "-addr", "127.0.0.1:0", "-token", "secret", "-control", "-tenant", "acme")
	defer stop()
	if code, body := call(t, "POST", base+"/api/v2/clients", `{"name":"app"}`); code != 201 || !strings.Contains(body, `"tenant":"acme"`) {
		t.Errorf("-tenant: %d %s", code, body)
	}
	seed := `{"user_id":"auth0|a/b","email":"a@example.com"}`
	if code, body := call(t, "POST", base+"/_fake/users", seed); code != 200 || body != seed {
		t.Errorf("seed: %d %s", code, body)
	}
	if code, body := call(t, "GET", base+"/api/v2/users/auth0%7Ca%2Fb", ""); code != 200 || body != seed {
		t.Errorf("the seeded user through the API: %d %s", code, body)
	}
	if code, body := call(t, "POST", base+"/_fake/faults", `{"method":"GET","path":"/api/v2/clients","times":1,"status":429,"retry_after":"1s"}`); code != 201 {
		t.Errorf("fault: %d %s", code, body)
	}
	if code, _ := call(t, "GET", base+"/api/v2/clients", ""); code != 429 {
		t.Errorf("the fault's request: %d, want 429", code)
	}
	if code, body := call(t, "POST", base+"/_fake/reset", ""); code != 200 || body != "{}" {
		t.Errorf("reset: %d %s", code, body)
	}
	for _, p := range []string{"/_fake/users", "/_fake/clients", "/_fake/faults"} {
		if code, body := call(t, "GET", base+p, ""); code != 200 || body != "[]" {
			t.Errorf("%s after reset: %d %s", p, code, body)
		}
	}
	req, _ := http.NewRequest("POST", base+"/_fake/reset", nil)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 401 {
		t.Errorf("reset without the token: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}

	plain, stopPlain := startServe(t, "-addr", "127.0.0.1:0", "-token", "secret")
	defer stopPlain()
	notFound := `{"statusCode":404,"error":"Not Found","message":"Not Found"}`
	if code, body := call(t, "POST", plain+"/_fake/reset", ""); code != 404 || body != notFound {
		t.Errorf("without -control: %d %s", code, body)
	}
	if code, body := call(t, "POST", plain+"/api/v2/clients", `{"name":"app"}`); code != 201 || strings.Contains(body, `"tenant"`) {
		t.Errorf("without -tenant: %d %s", code, body)
	}
}

// TestServeSignal starts the command as a process (this test binary,
// re-run as metamerge) and stops it with SIGTERM: it exits 0 after a
// graceful shutdown.
func TestServeSignal(t *testing.T) {
	cmd, base, stderr := serveChild(t)
	if code, _ := call(t, "GET", base+"/api/v2/clients", ""); code != 200 {
		t.Errorf("list clients: %d", code)
	}
	terminate(t, cmd, stderr, 15*time.Second)
}

// terminate sends SIGTERM to the serve process cmd and waits for it, at
// most within: it must exit 0 and say it stopped. It returns how long the
// process took.
func terminate(t *testing.T, cmd *exec.Cmd, stderr *bytes.Buffer, within time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	cmd.Process.Signal(syscall.SIGTERM)
	waited := make(chan error, 1)
	go func() { waited <- cmd.Wait() }()
	select {
	case err := <-waited:
		if err != nil || !strings.Contains(stderr.String(), "stopped") {
			t.Errorf("after SIGTERM: %v after %v; stderr %s", err, time.Since(start), stderr.String())
		}
	case <-time.After(within):
		cmd.Process.Kill()
		t.Fatal("no exit after SIGTERM")
	}
	return time.Since(start)
}

// TestServeDataDirLocked starts serve on a data directory in another
// process (this test binary, re-run as metamerge), then again in this
// one: the second refuses to start, naming the first's process id, and
// writes nothing; once the first has stopped, the directory opens again
// with the first's users intact.
func TestServeDataDirLocked(t *testing.T) {
	data := t.TempDir()
	cmd, base, stderr := serveChild(t, "-data", data)
	if code, body := call(t, "POST", base+"/api/v2/users", `{"password":"pw","connection":"db","email":"alice@example.com","user_id":"alice"}`); code != 201 {
		t.Fatalf("create alice: %d %s", code, body)
	}

	// A second server on the directory, in this process: it must refuse
	// at once (before the fix it served, and overwrote alice's file).
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var out, errb bytes.Buffer
	code := serve(ctx, []string{"-addr", "127.0.0.1:0", "-token", "secret", "-data", data}, stdio{in: strings.NewReader(""), out: &out, err: &errb})
	want := "metamerge serve: auth0fake: data directory in use: " + data + " is held by process " + strconv.Itoa(cmd.Process.Pid) + " (lock file "
	if code != exitUsage || !strings.HasPrefix(errb.String(), want) || out.Len() != 0 {
		t.Errorf("second server: exit %d, stdout %q, stderr %q; want exit %d and stderr starting %q", code, out.String(), errb.String(), exitUsage, want)
	}

	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("first server: %v; %s", err, stderr.String())
	}
	base, stop := startServe(t, "-addr", "127.0.0.1:0", "-token", "secret", "-data", data)
	defer stop()
	if code, body := call(t, "GET", base+"/api/v2/users/auth0%7Calice", ""); code != 200 || !strings.Contains(body, `"alice@example.com"`) {
		t.Errorf("alice after the first server stopped: %d %s", code, body)
	}
}

// serveChild runs the serve command, on a free port with the token
// "secret" and args, in a child process (this test binary standing in for
// the command: see TestMain). It returns the process, the base URL it
// prints and its standard error, which may be read once the process is
// waited for.
func serveChild(t *testing.T, args ...string) (*exec.Cmd, string, *bytes.Buffer) {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"serve", "-addr", "127.0.0.1:0", "-token", "secret"}, args...)...)
	cmd.Env = append(os.Environ(), "METAMERGE_TEST_MAIN=1")
	stdout, _ := cmd.StdoutPipe()
	stderr := new(bytes.Buffer)
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("no address: %v; %s", err, stderr)
	}
	return cmd, strings.TrimPrefix(strings.TrimSpace(line), "listening on "), stderr
}
