package main

import (
	"bufio"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestStalledBody sends a chunked PATCH body that never ends: the server
// must answer 400 at its read deadline and close the connection, and a
// client that sends nothing after its headers, or stays idle, must be
// let go, not held forever (the service had no read or idle timeout).
// The timeouts are scaled down; defaultTimeouts must set every one, the
// write deadline after the read deadline so that the 400 goes out.
func TestStalledBody(t *testing.T) {
	d := defaultTimeouts
	if d.header <= 0 || d.read <= 0 || d.idle <= 0 || d.write <= d.read {
		t.Fatalf("defaultTimeouts %+v: every timeout set, write after read", d)
	}
	db, err := openDB(filepath.Join(t.TempDir(), "service.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	short := timeouts{header: 300 * time.Millisecond, read: 300 * time.Millisecond, write: 1 * time.Second, idle: 300 * time.Millisecond}
	srv := newHTTPServer(newServer(db, "T"), short)
	go srv.Serve(ln)
	defer srv.Close()

	for _, tc := range []struct{ name, send, want string }{
		{"endless chunked body", "PATCH /api/v2/users/x HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer T\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n{\r\n", "HTTP/1.1 400 "},
		{"endless declared body", "PATCH /api/v2/users/x HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer T\r\nContent-Length: 100\r\n\r\n{", "HTTP/1.1 400 "},
		{"headers never end", "GET /api/v2/users HTTP/1.1\r\nHost: x\r\n", ""},
		{"idle after an answer", "GET /nope HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer T\r\n\r\n", "HTTP/1.1 404 "},
	} {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		c.SetDeadline(start.Add(5 * time.Second))
		if _, err := c.Write([]byte(tc.send)); err != nil {
			t.Fatal(err)
		}
		var got strings.Builder
		r := bufio.NewReader(c)
		for {
			line, err := r.ReadString('\n')
			got.WriteString(line)
			if err != nil {
				break // the server closed the connection, or the test's deadline passed
			}
		}
		el := time.Since(start)
		c.Close()
		if el > 3*time.Second {
			t.Errorf("%s: the connection was held %v", tc.name, el)
		}
		if !strings.HasPrefix(got.String(), tc.want) {
			t.Errorf("%s: answer %.200q, want it to start %q", tc.name, got.String(), tc.want)
		}
		if tc.want == "HTTP/1.1 400 " && !strings.Contains(got.String(), `"statusCode":400`) {
			t.Errorf("%s: not the 400 envelope: %.300q", tc.name, got.String())
		}
	}
}
