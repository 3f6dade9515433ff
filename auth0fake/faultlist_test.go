package auth0fake

import (
	"crypto/sha256"
	"fmt"
	"hash"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestFaultMethod checks that a fault's method is an HTTP token of at most
// 32 bytes, in Go (the field named) and over HTTP (the member named).
func TestFaultMethod(t *testing.T) {
	f := newFake(t, Options{Control: true})
	for _, m := range []string{"", "GET", "PATCH", "M-SEARCH", "get", "X!#$%&'*+-.^_`|~9", strings.Repeat("A", 32)} {
		if err := f.s.InjectFault(Fault{Method: m, Times: 1}); err != nil {
			t.Errorf("InjectFault(Method %q): %v", m, err)
		}
		f.must(201, "POST", "/_fake/faults", `{"times":1,"method":`+string(jsonString(m))+`}`)
	}
	for _, c := range []struct{ method, value, want string }{
		{strings.Repeat("A", 33), "33 bytes long", "at most 32 bytes"},
		{strings.Repeat("\x01", 4096), "4096 bytes long", "at most 32 bytes"},
		{"GET ", `"GET "`, "an HTTP method: letters, digits and !#$%&'*+-.^_`|~ only"},
		{"G\x00T", `"G\x00T"`, "an HTTP method: letters, digits and !#$%&'*+-.^_`|~ only"},
		{"GÉT", `"GÉT"`, "an HTTP method: letters, digits and !#$%&'*+-.^_`|~ only"},
		{"\xff", `"\xff"`, "an HTTP method: letters, digits and !#$%&'*+-.^_`|~ only"},
		{"(GET)", `"(GET)"`, "an HTTP method: letters, digits and !#$%&'*+-.^_`|~ only"},
		{"a/b", `"a/b"`, "an HTTP method: letters, digits and !#$%&'*+-.^_`|~ only"},
	} {
		want := "auth0fake: Fault.Method is " + c.value + "; it must be " + c.want
		if err := f.s.InjectFault(Fault{Method: c.method, Times: 1}); err == nil || err.Error() != want {
			t.Errorf("InjectFault(Method %q): %v, want %s", c.method, err, want)
		}
		body := `{"statusCode":400,"error":"Bad Request","message":` + string(jsonString("Payload validation error: 'method is "+c.value+"; it must be "+c.want+"' on property method")) + `,"errorCode":"invalid_body"}`
		if utf8.ValidString(c.method) {
			if code, got := f.do("POST", "/_fake/faults", `{"times":1,"method":`+string(jsonString(c.method))+`}`); code != 400 || got != body {
				t.Errorf("POST method %q: %d %s\nwant 400 %s", c.method, code, got, body)
			}
		}
	}
	if n := len(f.s.Faults()); n != 14 {
		t.Errorf("%d faults installed, want the 14 accepted", n)
	}
}

// TestControlFaultsListCost fills the queue with the costliest faults the
// bounds allow (1024, each with a 32-byte method and a 4096-byte path of
// U+0001, six bytes each once escaped: 25 MB of answer) and reads them
// with GET /_fake/faults: the answer is exactly the faults' JSON, and the
// request allocates less than 1 MiB in all, since it is streamed.
func TestControlFaultsListCost(t *testing.T) {
	f := newFake(t, Options{Control: true})
	worst := Fault{Method: strings.Repeat("M", maxFaultMethod), Path: strings.Repeat("\x01", maxFaultText), Times: MaxFaultTimes, Status: 503, RetryAfter: MaxFaultDelay, Delay: MaxFaultDelay}
	want := sha256.New()
	want.Write([]byte("["))
	for i := range maxFaultsQueue {
		if err := f.s.InjectFault(worst); err != nil {
			t.Fatal(err)
		}
		if i > 0 {
			want.Write([]byte(","))
		}
		fmt.Fprintf(want, `{"method":%s,"path":%s,"times":%d,"status":503,"retry_after":"1m0s","delay":"1m0s"}`, jsonString(worst.Method), jsonString(worst.Path), MaxFaultTimes)
	}
	want.Write([]byte("]"))
	req := httptest.NewRequest("GET", "/_fake/faults", nil)
	req.Header.Set("Authorization", "Bearer "+testToken)
	w := &hashWriter{h: sha256.New(), header: http.Header{}}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f.s.ServeHTTP(w, req)
	runtime.ReadMemStats(&after)
	if w.status != 200 || w.n < 24<<20 || string(w.h.Sum(nil)) != string(want.Sum(nil)) {
		t.Fatalf("GET /_fake/faults: status %d, %d bytes, not the faults' JSON", w.status, w.n)
	}
	if got := after.TotalAlloc - before.TotalAlloc; got > 1<<20 {
		t.Errorf("GET /_fake/faults of a %d-byte answer allocated %d bytes, want under 1 MiB", w.n, got)
	} else {
		t.Logf("GET /_fake/faults: %d bytes answered, %d bytes allocated", w.n, got)
	}
}

// hashWriter is a ResponseWriter that keeps only a hash and the length of
// the body, so that measuring the fake does not measure a recorder.
type hashWriter struct {
	h      hash.Hash
	header http.Header
	status int
	n      int
}

func (w *hashWriter) Header() http.Header { return w.header }
func (w *hashWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
}
func (w *hashWriter) Write(p []byte) (int, error) {
	w.WriteHeader(200)
	w.n += len(p)
	return w.h.Write(p)
}
