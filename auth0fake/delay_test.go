package auth0fake

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/tidwall/gjson"
)

// TestDelayOutlastsServerTimeouts serves the fake behind an http.Server
// whose ReadTimeout and WriteTimeout (300 ms) are shorter than a fault's
// Delay (600 ms), as metamerge serve's 30 s are shorter than
// MaxFaultDelay: every kind of delayed answer (a 429, a 5xx, a request
// served as usual after the delay, with a body still to be read) reaches
// the client whole.
func TestDelayOutlastsServerTimeouts(t *testing.T) {
	f := newFake(t, Options{Control: true})
	ts := httptest.NewUnstartedServer(f.s)
	ts.Config.ReadTimeout = 300 * time.Millisecond
	ts.Config.WriteTimeout = 300 * time.Millisecond
	ts.Start()
	defer ts.Close()
	for _, c := range []struct {
		name, fault, method, path, body string
		status                          int
		member                          string // of the answer, which must exist
	}{
		{"429", `{"times":1,"status":429,"retry_after":"1s","delay":"600ms"}`, "GET", "/api/v2/users", "", 429, "errorCode"},
		{"503", `{"times":1,"status":503,"retry_after":"1s","delay":"600ms"}`, "GET", "/api/v2/users", "", 503, "message"},
		{"500 on a PATCH", `{"times":1,"status":500,"delay":"600ms"}`, "PATCH", "/api/v2/users/x", `{"name":"x"}`, 500, "message"},
		{"served: a list", `{"times":1,"delay":"600ms"}`, "GET", "/api/v2/clients", "", 200, "#"},
		{"served: a create", `{"times":1,"delay":"600ms"}`, "POST", "/api/v2/clients", `{"name":"late"}`, 201, "client_id"},
	} {
		f.must(201, "POST", "/_fake/faults", c.fault)
		req, _ := http.NewRequest(c.method, ts.URL+c.path, strings.NewReader(c.body))
		req.Header.Set("Authorization", "Bearer "+testToken)
		start := time.Now()
		resp, err := ts.Client().Do(req)
		if err != nil {
			t.Errorf("%s: no answer after %v: %v", c.name, time.Since(start), err)
			continue
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != c.status || !gjson.GetBytes(body, c.member).Exists() {
			t.Errorf("%s: %d %s (%v), want %d with %s", c.name, resp.StatusCode, body, err, c.status, c.member)
		}
		if d := time.Since(start); d < 600*time.Millisecond {
			t.Errorf("%s: answered after %v, before the delay", c.name, d)
		}
	}
}

// TestStopDelays checks Server.StopDelays: a request waiting on a
// 1-minute delay is answered at once, as after its delay (the 429 it
// asked for, or the request served as usual), and later delays do not
// wait.
func TestStopDelays(t *testing.T) {
	f := newFake(t, Options{Control: true})
	ts := httptest.NewServer(f.s)
	defer ts.Close()
	f.must(201, "POST", "/_fake/faults", `{"times":1,"method":"GET","status":429,"retry_after":"1s","delay":"1m"}`)
	f.must(201, "POST", "/_fake/faults", `{"times":1,"method":"POST","delay":"1m"}`)
	type answer struct {
		status int
		body   string
	}
	send := func(method, body string) <-chan answer {
		out := make(chan answer, 1)
		go func() {
			req, _ := http.NewRequest(method, ts.URL+"/api/v2/clients", strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+testToken)
			resp, err := ts.Client().Do(req)
			if err != nil {
				out <- answer{0, err.Error()}
				return
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			out <- answer{resp.StatusCode, string(b)}
		}()
		return out
	}
	got429, got201 := send("GET", ""), send("POST", `{"name":"waited"}`)
	for deadline := time.Now().Add(5 * time.Second); len(f.s.Faults()) > 0; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the requests never took their faults")
		}
	}
	start := time.Now()
	f.s.StopDelays()
	for _, c := range []struct {
		got    <-chan answer
		status int
		member string
	}{{got429, 429, "errorCode"}, {got201, 201, "client_id"}} {
		select {
		case a := <-c.got:
			if a.status != c.status || !gjson.Get(a.body, c.member).Exists() {
				t.Errorf("after StopDelays: %d %s, want %d with %s", a.status, a.body, c.status, c.member)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("StopDelays did not end the wait")
		}
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("answered %v after StopDelays", d)
	}
	f.s.StopDelays() // again: nothing
	f.must(201, "POST", "/_fake/faults", `{"times":1,"status":503,"delay":"1m"}`)
	start = time.Now()
	if a := <-send("GET", ""); a.status != 503 || time.Since(start) > 2*time.Second {
		t.Errorf("a delay after StopDelays: %d after %v", a.status, time.Since(start))
	}
}
