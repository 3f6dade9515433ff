package main

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// shortTimeouts sets serve's read and write timeouts to read and write
// for the test, so that what 30 s would show is seen in a second.
func shortTimeouts(t *testing.T, read, write time.Duration) {
	saved := serveTimeouts
	serveTimeouts.read, serveTimeouts.write = read, write
	t.Cleanup(func() { serveTimeouts = saved })
}

// send is call for a goroutine: status 0 and the error as the body when
// there is no answer.
func send(method, url, body string) (int, string) {
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer secret")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, err.Error()
	}
	return resp.StatusCode, string(b)
}

// TestServeDelayLongerThanTimeouts installs faults whose delay is longer
// than serve's read and write timeouts (shortened here to 300 and 400 ms,
// in place of 30 and 40 s against a delay of up to a minute): each is
// answered as asked, a 429, or the request served after the delay, its
// body read then.
func TestServeDelayLongerThanTimeouts(t *testing.T) {
	shortTimeouts(t, 300*time.Millisecond, 400*time.Millisecond)
	base, stop := startServe(t, "-addr", "127.0.0.1:0", "-token", "secret", "-control")
	defer stop()
	for _, c := range []struct {
		fault, method, path, body string
		status                    int
		has                       string
	}{
		{`{"times":1,"status":429,"retry_after":"1s","delay":"800ms"}`, "GET", "/api/v2/users", "", 429, `"errorCode":"too_many_requests"`},
		{`{"times":1,"delay":"800ms"}`, "POST", "/api/v2/clients", `{"name":"late"}`, 201, `"name":"late"`},
	} {
		if code, body := send("POST", base+"/_fake/faults", c.fault); code != 201 {
			t.Fatalf("fault: %d %s", code, body)
		}
		if code, body := send(c.method, base+c.path, c.body); code != c.status || !strings.Contains(body, c.has) {
			t.Errorf("%s after a delay of 800 ms: %d %s, want %d with %s", c.fault, code, body, c.status, c.has)
		}
	}
}

// TestServeSlowBody sends a body that never ends: when serve's read
// timeout (shortened to 300 ms) ends it, the client is answered, 400 in
// Auth0's envelope, before the connection closes; an ordinary request is
// still bound by the timeouts.
func TestServeSlowBody(t *testing.T) {
	shortTimeouts(t, 300*time.Millisecond, time.Second)
	base, stop := startServe(t, "-addr", "127.0.0.1:0", "-token", "secret")
	defer stop()
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Now()
	io.WriteString(conn, "POST /api/v2/users HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer secret\r\nContent-Length: 1000\r\n\r\n{\"name\":")
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer to a stalled body after %v: %v", time.Since(start), err)
	}
	body, _ := io.ReadAll(resp.Body)
	if want := `{"statusCode":400,"error":"Bad Request","message":"Invalid request payload input"}`; resp.StatusCode != 400 || string(body) != want {
		t.Errorf("stalled body: %d %s, want 400 %s", resp.StatusCode, body, want)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("answered after %v: the read timeout is 300 ms", d)
	}
}

// TestServeSignalDuringDelay starts the command as a process (this test
// binary, re-run as metamerge) with -control, has two requests wait on
// 1-minute delays (a 429, and a create served after its delay), and
// sends SIGTERM: both are answered at once as after their delay, and the
// process exits 0 well within the 10 s shutdown timeout.
func TestServeSignalDuringDelay(t *testing.T) {
	cmd, base, stderr := serveChild(t, "-control")
	for _, f := range []string{`{"times":1,"method":"GET","status":429,"retry_after":"1s","delay":"1m"}`, `{"times":1,"method":"POST","path":"/api/v2/clients","delay":"1m"}`} {
		if code, body := send("POST", base+"/_fake/faults", f); code != 201 {
			t.Fatalf("fault: %d %s", code, body)
		}
	}
	type answer struct {
		code int
		body string
	}
	got := make(chan answer, 2)
	for _, r := range []struct{ method, body string }{{"GET", ""}, {"POST", `{"name":"waited"}`}} {
		go func() {
			code, body := send(r.method, base+"/api/v2/clients", r.body)
			got <- answer{code, body}
		}()
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if _, body := send("GET", base+"/_fake/faults", ""); body == "[]" {
			break // both requests wait on their delay
		}
		if time.Now().After(deadline) {
			t.Fatal("the requests never took their faults")
		}
	}
	if d := terminate(t, cmd, stderr, 20*time.Second); d > 3*time.Second {
		t.Errorf("exit %v after SIGTERM", d)
	}
	seen := map[int]string{}
	for range 2 {
		a := <-got
		seen[a.code] = a.body
	}
	if !strings.Contains(seen[429], `"too_many_requests"`) || !strings.Contains(seen[201], `"name":"waited"`) {
		t.Errorf("the delayed requests: %v, want a 429 and a 201", seen)
	}
}
