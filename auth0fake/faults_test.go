package auth0fake

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestFaults checks InjectFault: a fault answers as many matching
// requests as its Times, in Auth0's envelope and headers, then the fake
// serves as usual; requests it does not match are never touched.
func TestFaults(t *testing.T) {
	at := time.Unix(2_000_000_000, 0)
	f := newFake(t, Options{Now: func() time.Time { return at }})
	id := f.createClient("")
	if err := f.s.InjectFault(Fault{Method: "GET", Path: "/api/v2/clients/", Times: 2, Status: 429, RetryAfter: 1500 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	if err := f.s.InjectFault(Fault{Method: "PATCH", Times: 1, Status: 503}); err != nil {
		t.Fatal(err)
	}
	f.must(http.StatusOK, "GET", "/api/v2/clients", "") // not matched: the path has no trailing part
	for i := range 2 {
		code, body, h := f.doHeader("GET", "/api/v2/clients/"+id)
		want := `{"statusCode":429,"error":"Too Many Requests","message":"Global limit has been reached","errorCode":"too_many_requests"}`
		if code != 429 || body != want || h.Get("Retry-After") != "2" || h.Get("X-Ratelimit-Remaining") != "0" || h.Get("X-Ratelimit-Reset") != "2000000002" {
			t.Errorf("request %d: %d %s %v", i, code, body, h)
		}
	}
	f.must(http.StatusOK, "GET", "/api/v2/clients/"+id, "") // used up
	code, body, _ := f.doHeader("PATCH", "/api/v2/clients/"+id)
	if code != 503 || body != `{"statusCode":503,"error":"Service Unavailable","message":"Injected fault: Service Unavailable"}` {
		t.Errorf("503: %d %s", code, body)
	}
	f.must(http.StatusOK, "PATCH", "/api/v2/clients/"+id, `{"name":"after"}`)
	// ClearFaults removes what is left
	if err := f.s.InjectFault(Fault{Times: 5, Status: 500}); err != nil {
		t.Fatal(err)
	}
	f.s.ClearFaults()
	f.must(http.StatusOK, "GET", "/api/v2/clients/"+id, "")
}

// TestFaultDelay checks a delay-only fault: the request is served after
// it; and that a client that gives up ends the wait.
func TestFaultDelay(t *testing.T) {
	f := newFake(t, Options{})
	if err := f.s.InjectFault(Fault{Path: "/api/v2/users", Times: 1, Delay: 50 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	f.must(http.StatusOK, "GET", "/api/v2/users", "")
	if d := time.Since(start); d < 50*time.Millisecond {
		t.Errorf("served after %v, want at least the delay", d)
	}
	if err := f.s.InjectFault(Fault{Times: 1, Delay: MaxFaultDelay, Status: 500}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	r := httptest.NewRequest("GET", "/api/v2/users", nil).WithContext(ctx)
	r.Header.Set("Authorization", "Bearer "+testToken)
	done := make(chan struct{})
	go func() { f.s.ServeHTTP(httptest.NewRecorder(), r); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("a fault's delay outlived the request's context")
	}
}

// TestFaultBounds checks that a fault out of range is refused, naming
// the field.
func TestFaultBounds(t *testing.T) {
	f := newFake(t, Options{})
	for _, c := range []struct {
		f     Fault
		field string
	}{
		{Fault{Times: 0, Status: 500}, "Fault.Times is 0"},
		{Fault{Times: MaxFaultTimes + 1, Status: 500}, "Fault.Times"},
		{Fault{Times: 1, Status: 404}, "Fault.Status is 404"},
		{Fault{Times: 1, Status: 600}, "Fault.Status is 600"},
		{Fault{Times: 1, Delay: -1}, "Fault.Delay"},
		{Fault{Times: 1, Delay: MaxFaultDelay + 1}, "Fault.Delay"},
		{Fault{Times: 1, Status: 429, RetryAfter: -time.Second}, "Fault.RetryAfter"},
	} {
		if err := f.s.InjectFault(c.f); err == nil || !strings.Contains(err.Error(), c.field) {
			t.Errorf("%+v: %v, want an error naming %s", c.f, err, c.field)
		}
	}
	for range maxFaultsQueue {
		if err := f.s.InjectFault(Fault{Times: 1, Status: 500, Path: "/nowhere"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.s.InjectFault(Fault{Times: 1, Status: 500}); err == nil {
		t.Error("more than 1024 faults installed")
	}
}

// doHeader sends an empty-bodied request and returns the status, the body
// and the headers of the answer.
func (f *fake) doHeader(method, path string) (int, string, http.Header) {
	f.t.Helper()
	r := httptest.NewRequest(method, path, strings.NewReader(""))
	r.Header.Set("Authorization", "Bearer "+testToken)
	w := httptest.NewRecorder()
	f.s.ServeHTTP(w, r)
	return w.Code, w.Body.String(), w.Header()
}

// TestFaultsConcurrent checks that a fault answers exactly Times requests
// however many arrive at once, and that requests it does not match (here
// the clients list) are all served.
func TestFaultsConcurrent(t *testing.T) {
	f := newFake(t, Options{})
	id := f.createClient("")
	if err := f.s.InjectFault(Fault{Path: "/api/v2/clients/", Times: 50, Status: 500}); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	counts := map[string]int{}
	var wg sync.WaitGroup
	for i := range 200 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			path := "/api/v2/clients/" + id
			if i%4 == 0 {
				path = "/api/v2/clients"
			}
			code, _, _ := f.doHeader("GET", path)
			mu.Lock()
			counts[fmt.Sprint(path == "/api/v2/clients", code)]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	want := map[string]int{"true 200": 50, "false 500": 50, "false 200": 100}
	if fmt.Sprint(counts) != fmt.Sprint(want) {
		t.Errorf("answers %v, want %v", counts, want)
	}
}
