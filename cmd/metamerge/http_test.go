package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/metamerge/metamerge/auth0fake"
	"github.com/metamerge/metamerge/conformance"
)

// testToken is a token the fake accepts.
const testToken = "tok-3f9a1c-secret"

// minHidden is the shortest value of a member named like a secret that
// the recorder keeps: the vectors' metadata has short ones of its own.
const minHidden = 8

// recorder wraps a server and keeps every id and secret its answers hold,
// so that a test can look for them where they must not be.
type recorder struct {
	next    http.Handler
	mu      sync.Mutex
	secrets []string
	hook    func(r *http.Request) // called before each request, if set
}

var secretMember = regexp.MustCompile(`"(?:user_id|client_id|client_secret|email|password)":"([^"]+)"`)

func (rc *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if rc.hook != nil {
		rc.hook(r)
	}
	body, _ := io.ReadAll(r.Body) // the request's secrets too: the password of a create
	r.Body = io.NopCloser(bytes.NewReader(body))
	rc.mu.Lock()
	for _, m := range secretMember.FindAllSubmatch(body, -1) {
		if len(m[1]) >= minHidden {
			rc.secrets = append(rc.secrets, string(m[1]))
		}
	}
	rc.mu.Unlock()
	rw := httptest.NewRecorder()
	rc.next.ServeHTTP(rw, r)
	rc.mu.Lock()
	for _, m := range secretMember.FindAllSubmatch(rw.Body.Bytes(), -1) {
		if len(m[1]) >= minHidden { // not a value of the vectors' metadata
			rc.secrets = append(rc.secrets, string(m[1]))
		}
	}
	rc.mu.Unlock()
	for k, v := range rw.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rw.Code)
	w.Write(rw.Body.Bytes())
}

// fakeServer starts the Auth0 fake behind a recorder, which calls hook
// (if not nil) before each request.
func fakeServer(t *testing.T, hook func(*http.Request)) (*httptest.Server, *recorder) {
	t.Helper()
	srv, err := auth0fake.New(auth0fake.Options{Token: testToken})
	if err != nil {
		t.Fatal(err)
	}
	rc := &recorder{next: srv, hook: hook}
	ts := httptest.NewServer(rc)
	t.Cleanup(ts.Close)
	t.Cleanup(func() { srv.Close() })
	return ts, rc
}

// leftOn lists what the server still holds.
func leftOn(t *testing.T, base string) string {
	t.Helper()
	var all []string
	for _, c := range []string{"users", "clients"} {
		req, _ := http.NewRequest("GET", base+"/api/v2/"+c, nil)
		req.Header.Set("Authorization", "Bearer "+testToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if s := strings.TrimSpace(string(b)); s != "[]" {
			all = append(all, c+": "+s)
		}
	}
	return strings.Join(all, "\n")
}

func profileSize() int {
	n := 0
	for _, c := range conformance.Vectors() {
		if c.HTTP {
			n++
		}
	}
	return n
}

// TestHTTPProfileAgainstTheFake plays the whole profile against the Auth0
// fake: every case of the profile passes, the others are skipped and
// counted, nothing is left on the server, and the report holds neither
// the token nor any id, email or secret the server gave out.
func TestHTTPProfileAgainstTheFake(t *testing.T) {
	ts, rc := fakeServer(t, nil)
	report := filepath.Join(t.TempDir(), "report.jsonl")
	status, out, errOut := runCommand(t, "", "conformance", "-http", ts.URL, "-token", testToken, "-report", report)
	n, pending := profileSize(), 0
	for _, c := range conformance.EndpointVectors() {
		if c.Pending != "" {
			pending++
		} else {
			n++
		}
	}
	all := len(conformance.Vectors()) + len(conformance.EndpointVectors())
	want := fmt.Sprintf("%d passed, 0 failed, %d skipped\n", n, all-n)
	if status != exitOK || !strings.HasSuffix(out, want) {
		t.Fatalf("status %d, want the last line %q; stdout:\n%s\nstderr:\n%s", status, want, out, errOut)
	}
	if left := leftOn(t, ts.URL); left != "" {
		t.Errorf("the run left behind:\n%s", left)
	}
	data, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	if lines := bytes.Count(data, []byte("\n")); lines != all {
		t.Errorf("the report has %d lines, want one a case (%d)", lines, all)
	}
	if pending == 0 || !strings.Contains(string(data), `"status":"skip","reason":"pending: `) {
		t.Errorf("the report does not show the pending endpoint cases")
	}
	checkNoSecrets(t, rc, data, out)
	if strings.Contains(string(data), strings.TrimPrefix(ts.URL, "http://")) {
		t.Errorf("the report names the server")
	}
}

// checkNoSecrets fails if a text holds the token or anything the server
// gave out as an id or a secret.
func checkNoSecrets(t *testing.T, rc *recorder, texts ...any) {
	t.Helper()
	rc.mu.Lock()
	secrets := append([]string{testToken}, rc.secrets...)
	rc.mu.Unlock()
	if len(secrets) < 3 {
		t.Fatalf("the server gave out no ids: %v", secrets)
	}
	for i, text := range texts {
		s := fmt.Sprint(text)
		if b, ok := text.([]byte); ok {
			s = string(b)
		}
		for _, sec := range secrets {
			if strings.Contains(s, sec) {
				t.Errorf("text %d holds %q", i, sec)
			}
		}
		for _, mark := range []string{"auth0|", "@example.com"} {
			if strings.Contains(s, mark) {
				t.Errorf("text %d holds %q", i, mark)
			}
		}
	}
}

// TestHTTPReportHidesWhatAFailureShows: a server that echoes the token,
// the id and the email in its answers fails its cases, and the report and
// the output still hold none of them.
func TestHTTPReportHidesWhatAFailureShows(t *testing.T) {
	srv, err := auth0fake.New(auth0fake.Options{Token: testToken})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	rc := &recorder{}
	var lastCreate []byte
	rc.next = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != "PATCH" {
			if r.Method == "POST" {
				lastCreate, _ = io.ReadAll(r.Body)
				r.Body = io.NopCloser(bytes.NewReader(lastCreate))
			}
			srv.ServeHTTP(w, r)
			return
		}
		rw := httptest.NewRecorder()
		srv.ServeHTTP(rw, r)
		w.WriteHeader(http.StatusTeapot) // the token, the create's body with its password, the merged profile with every id
		fmt.Fprintf(w, "%s %s %s", r.Header.Get("Authorization"), lastCreate, rw.Body.Bytes())
	})
	ts := httptest.NewServer(rc)
	defer ts.Close()
	report := filepath.Join(t.TempDir(), "report.jsonl")
	status, out, _ := runCommand(t, "", "conformance", "-http", ts.URL, "-token", testToken, "-report", report, "-run", "^(user-add-key|client-merge|user-metadata-created)$")
	if status != exitViolations || !strings.Contains(out, "0 passed, 3 failed") || !strings.Contains(out, "PATCH: want 200 and the merged document, got 418") {
		t.Fatalf("status %d, out:\n%s", status, out)
	}
	data, _ := os.ReadFile(report)
	if !strings.Contains(string(data), `{token}`) || !strings.Contains(string(data), `{password}`) {
		t.Errorf("the report does not show the hidden values as placeholders:\n%s", data)
	}
	checkNoSecrets(t, rc, data, out)
}

// deepMerger is a users endpoint that merges metadata recursively, the
// classic mistake the suite exists to catch. It keeps member order, so
// that only the merge is wrong.
type deepMerger struct {
	mu    sync.Mutex
	users map[string]*omap
	n     int
}

// omap is a JSON object that keeps its member order.
type omap struct {
	keys []string
	m    map[string]any
}

func (o *omap) set(k string, v any) {
	if _, ok := o.m[k]; !ok {
		o.keys = append(o.keys, k)
	}
	o.m[k] = v
}

func (o *omap) del(k string) {
	if _, ok := o.m[k]; ok {
		delete(o.m, k)
		o.keys = slices.DeleteFunc(o.keys, func(x string) bool { return x == k })
	}
}

// decodeOrdered reads one JSON value, objects as *omap.
func decodeOrdered(dec *json.Decoder) (any, error) {
	t, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t {
	case json.Delim('{'):
		o := &omap{m: map[string]any{}}
		for dec.More() {
			k, _ := dec.Token()
			v, err := decodeOrdered(dec)
			if err != nil {
				return nil, err
			}
			o.set(k.(string), v)
		}
		_, err = dec.Token()
		return o, err
	case json.Delim('['):
		var a []any
		for dec.More() {
			v, err := decodeOrdered(dec)
			if err != nil {
				return nil, err
			}
			a = append(a, v)
		}
		_, err = dec.Token()
		return a, err
	}
	return t, nil
}

func encodeOrdered(b *bytes.Buffer, v any) {
	switch v := v.(type) {
	case *omap:
		b.WriteByte('{')
		for i, k := range v.keys {
			if i > 0 {
				b.WriteByte(',')
			}
			kb, _ := json.Marshal(k)
			b.Write(kb)
			b.WriteByte(':')
			encodeOrdered(b, v.m[k])
		}
		b.WriteByte('}')
	case []any:
		b.WriteByte('[')
		for i, x := range v {
			if i > 0 {
				b.WriteByte(',')
			}
			encodeOrdered(b, x)
		}
		b.WriteByte(']')
	default:
		vb, _ := json.Marshal(v)
		b.Write(vb)
	}
}

func deepMerge(dst, src *omap) {
	for _, k := range src.keys {
		v := src.m[k]
		if v == nil {
			dst.del(k)
			continue
		}
		if sv, ok := v.(*omap); ok {
			if dv, ok := dst.m[k].(*omap); ok {
				deepMerge(dv, sv)
				continue
			}
		}
		dst.set(k, v)
	}
}

func (d *deepMerger) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	d.mu.Lock()
	defer d.mu.Unlock()
	id := strings.TrimPrefix(r.URL.Path, "/api/v2/users/")
	dec := json.NewDecoder(r.Body)
	dec.UseNumber()
	v, _ := decodeOrdered(dec)
	body, _ := v.(*omap)
	switch {
	case r.Method == "POST" && r.URL.Path == "/api/v2/users":
		d.n++
		id = fmt.Sprint("user-number-", d.n)
		body.set("user_id", id)
		d.users[id] = body
		w.WriteHeader(http.StatusCreated)
	case r.Method == "PATCH":
		u := d.users[id]
		for _, f := range []string{"user_metadata", "app_metadata"} {
			if p, ok := body.m[f].(*omap); ok {
				s, _ := u.m[f].(*omap)
				if s == nil {
					s = &omap{m: map[string]any{}}
					u.set(f, s)
				}
				deepMerge(s, p)
			}
		}
	case r.Method == "DELETE":
		delete(d.users, id)
		w.WriteHeader(http.StatusNoContent)
		return
	}
	var b bytes.Buffer
	encodeOrdered(&b, d.users[id])
	w.Write(b.Bytes())
}

// TestHTTPFailsADeepMerge: a server that deep-merges fails the cases that
// replace a nested object, with a diff, and the run exits 1.
func TestHTTPFailsADeepMerge(t *testing.T) {
	d := &deepMerger{users: map[string]*omap{}}
	ts := httptest.NewServer(d)
	defer ts.Close()
	status, out, _ := runCommand(t, "", "conformance", "-http", ts.URL, "-token", testToken, "-run", "^user-")
	if status != exitViolations {
		t.Fatalf("status %d, want %d; out:\n%s", status, exitViolations, out)
	}
	for _, want := range []string{
		"--- FAIL: user-nested-object-replaced",
		`+     "lang": "en"`, // the key a deep merge keeps
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the output lacks %q:\n%s", want, out)
		}
	}
	if len(d.users) != 0 {
		t.Errorf("left behind %d users", len(d.users))
	}
}

// TestHTTPRefusedToken: 401 and 403 end the run with status 2 and a
// message that says what to do, after deleting what was created.
func TestHTTPRefusedToken(t *testing.T) {
	ts, _ := fakeServer(t, nil)
	status, out, _ := runCommand(t, "", "conformance", "-http", ts.URL, "-token", "wrong-token-123")
	if status != exitUsage || !strings.Contains(out, "the server refused the token (401") || !strings.Contains(out, "check -token") {
		t.Errorf("401: status %d, out:\n%s", status, out)
	}

	srv, err := auth0fake.New(auth0fake.Options{Token: testToken})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	forbid := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == "PATCH" {
			w.WriteHeader(http.StatusForbidden)
			io.WriteString(w, `{"statusCode":403,"error":"Forbidden","message":"Insufficient scope, expected any of: update:users","errorCode":"insufficient_scope"}`)
			return
		}
		srv.ServeHTTP(w, r)
	}))
	defer forbid.Close()
	status, out, _ = runCommand(t, "", "conformance", "-http", forbid.URL, "-token", testToken, "-run", "^user-")
	if status != exitUsage || !strings.Contains(out, "the token may not PATCH /api/v2/users/{id} (403") || !strings.Contains(out, "update:users") {
		t.Errorf("403: status %d, out:\n%s", status, out)
	}
	if left := leftOn(t, forbid.URL); left != "" {
		t.Errorf("after the 403, the run left behind:\n%s", left)
	}
}

// TestHTTPRetriesA429 honours Retry-After and X-RateLimit-Reset: the
// requests answered 429 are sent again and the case passes.
func TestHTTPRetriesA429(t *testing.T) {
	srv, err := auth0fake.New(auth0fake.Options{Token: testToken})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	var calls, limited atomic.Int32
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch calls.Add(1) {
		case 1: // the first POST
			w.Header().Set("Retry-After", "0")
		case 3: // the first PATCH
			w.Header().Set("X-RateLimit-Reset", fmt.Sprint(time.Now().Unix()))
		default:
			srv.ServeHTTP(w, r)
			return
		}
		limited.Add(1)
		w.WriteHeader(http.StatusTooManyRequests)
		io.WriteString(w, `{"statusCode":429,"error":"Too Many Requests","message":"Global limit has been reached","errorCode":"too_many_requests"}`)
	}))
	defer ts.Close()
	status, out, _ := runCommand(t, "", "conformance", "-http", ts.URL, "-token", testToken, "-run", "^user-add-key$")
	if status != exitOK || !strings.HasSuffix(out, "1 passed, 0 failed, 0 skipped\n") || limited.Load() != 2 || calls.Load() != 6 {
		t.Errorf("status %d, %d calls, %d limited; out:\n%s", status, calls.Load(), limited.Load(), out)
	}
}

// TestRetryAfter: the wait after a 429.
func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 12, 2, 6, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		header  http.Header
		attempt int
		want    time.Duration
	}{
		{http.Header{"Retry-After": {"3"}}, 0, 3 * time.Second},
		{http.Header{"Retry-After": {now.Add(5 * time.Second).Format(http.TimeFormat)}}, 0, 5 * time.Second},
		{http.Header{"X-Ratelimit-Reset": {fmt.Sprint(now.Unix() + 7)}}, 0, 7 * time.Second},
		{http.Header{"Retry-After": {"86400"}}, 0, maxRetryWait},
		{http.Header{"X-Ratelimit-Reset": {fmt.Sprint(now.Unix() - 7)}}, 0, 0},
		{http.Header{}, 0, time.Second},
		{http.Header{}, 2, 4 * time.Second},
		{http.Header{"Retry-After": {"soon"}}, 1, 2 * time.Second},
	} {
		if got := retryAfter(tt.header, tt.attempt, now); got != tt.want {
			t.Errorf("%v, attempt %d: %v, want %v", tt.header, tt.attempt, got, tt.want)
		}
	}
}

// TestHTTPBadAnswers: a server that hangs, answers garbage, or answers
// without end fails the case at hand, within the timeout and the size cap,
// and the run goes on to pass the next case.
func TestHTTPBadAnswers(t *testing.T) {
	srv, err := auth0fake.New(auth0fake.Options{Token: testToken})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	var patches atomic.Int32
	release := make(chan struct{})
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == "PATCH" {
			switch patches.Add(1) {
			case 1: // hangs
				io.Copy(io.Discard, r.Body)
				select {
				case <-r.Context().Done():
				case <-release:
				}
				return
			case 2:
				io.WriteString(w, "<html>not json</html>")
				return
			case 4: // deep: a million levels in 2 MB
				io.WriteString(w, `{"user_metadata":{"a":`+strings.Repeat("[", 1e6)+strings.Repeat("]", 1e6)+`}}`)
				return
			case 3:
				chunk := bytes.Repeat([]byte("x"), 1<<20)
				for range maxResponse/len(chunk) + 2 {
					if _, err := w.Write(chunk); err != nil {
						return
					}
				}
				return
			}
		}
		srv.ServeHTTP(w, r)
	}))
	defer ts.Close()
	defer close(release)
	start := time.Now()
	status, out, _ := runCommand(t, "", "conformance", "-http", ts.URL, "-token", testToken, "-timeout", "500ms",
		"-run", "^(user-add-key|user-replace-in-place|user-null-removes-key|user-null-absent-key|user-nested-object-replaced)$")
	if status != exitViolations || !strings.HasSuffix(out, "1 passed, 4 failed, 0 skipped\n") {
		t.Fatalf("status %d, out:\n%s", status, out)
	}
	for _, want := range []string{
		"PATCH: no answer within 500ms (-timeout)",
		"PATCH: want 200 and the merged document, got 200 <html>not json</html>",
		`PATCH: want 200 and the merged document, got 200 {"user_metadata":{"a":[[[[`,
		fmt.Sprintf("PATCH: 200 answer over %d bytes", maxResponse),
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the output lacks %q:\n%s", want, out)
		}
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("took %v", d)
	}
	if len(out) > 64<<10 {
		t.Errorf("%d bytes of output for 4 failures", len(out))
	}
	if left := leftOn(t, ts.URL); left != "" {
		t.Errorf("left behind:\n%s", left)
	}
}

// TestHTTPInterrupted: an interruption (SIGINT cancels the context) in the
// middle of a case ends the run after deleting what it created.
func TestHTTPInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var patches atomic.Int32
	ts, _ := fakeServer(t, func(r *http.Request) {
		if r.Method == "PATCH" && patches.Add(1) == 3 {
			cancel()
		}
	})
	h, err := newHTTPRun(ts.URL, testToken)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	h.connection, h.timeout, h.out = "Username-Password-Authentication", 5*time.Second, &out
	status := h.runAll(ctx, conformance.Vectors(), conformance.EndpointVectors())
	if status != exitUsage || !strings.Contains(out.String(), "metamerge conformance: interrupted") {
		t.Errorf("status %d, out:\n%s", status, out.String())
	}
	if h.passed+h.failed > 3 || patches.Load() != 3 {
		t.Errorf("the run went on: %d passed, %d failed, %d PATCHes", h.passed, h.failed, patches.Load())
	}
	if left := leftOn(t, ts.URL); left != "" {
		t.Errorf("left behind:\n%s", left)
	}
}

// TestHTTPRate: -rate spaces the requests.
func TestHTTPRate(t *testing.T) {
	ts, _ := fakeServer(t, nil)
	start := time.Now()
	status, out, _ := runCommand(t, "", "conformance", "-http", ts.URL, "-token", testToken, "-rate", "20", "-run", "^(user-add-key|client-merge)$")
	// 2 cases of 4 requests: 8 requests, 7 intervals of 50ms.
	if d := time.Since(start); status != exitOK || d < 350*time.Millisecond {
		t.Errorf("status %d after %v; out:\n%s", status, d, out)
	}
}

// TestHTTPUsage: the flags of the HTTP mode are checked before any
// request.
func TestHTTPUsage(t *testing.T) {
	t.Setenv("METAMERGE_TOKEN", "")
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"-http", "http://127.0.0.1:1"}, "-http needs a token"},
		{[]string{"-http", "127.0.0.1:8080", "-token", "t"}, "want the server's root URL"},
		{[]string{"-http", "http://127.0.0.1:1", "-token", "t", "--", "node", "h.mjs"}, "exclude each other"},
	} {
		status, _, errOut := runCommand(t, "", append([]string{"conformance"}, tt.args...)...)
		if status != exitUsage || !strings.Contains(errOut, tt.want) {
			t.Errorf("%v: status %d, stderr %q, want %q", tt.args, status, errOut, tt.want)
		}
	}
}

// TestEndpointCasesCanFail: a server that breaks one Management API rule
// fails the case of that rule, with a reason that says what, and nothing
// is left behind.
func TestEndpointCasesCanFail(t *testing.T) {
	var inFlight atomic.Int32
	for _, tt := range []struct {
		why, run, want string
		proxy          func(w http.ResponseWriter, r *http.Request, next http.Handler) bool // true: answered
	}{
		{"echoes the password", "^m2-password-never-echoed$", "password must be absent", func(w http.ResponseWriter, r *http.Request, next http.Handler) bool {
			if r.Method != "POST" {
				return false
			}
			rw := httptest.NewRecorder()
			next.ServeHTTP(rw, r)
			w.WriteHeader(rw.Code)
			w.Write(bytes.Replace(rw.Body.Bytes(), []byte("{"), []byte(`{"password":"echoed-password",`), 1))
			return true
		}},
		{"takes user_id from the body", "^m1-user-id-refused$", "want 400, got 200", func(w http.ResponseWriter, r *http.Request, next http.Handler) bool {
			if r.Method != "PATCH" {
				return false
			}
			body, _ := io.ReadAll(r.Body)
			body = bytes.Replace(body, []byte(`,"user_id":"someone-else"`), nil, 1)
			r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
			next.ServeHTTP(w, r)
			return true
		}},
		{"writes the envelope in another order", "^m5-malformed-body$", "want Auth0's envelope", func(w http.ResponseWriter, r *http.Request, next http.Handler) bool {
			if r.Method != "PATCH" {
				return false
			}
			w.WriteHeader(400)
			io.WriteString(w, `{"message":"Invalid request payload JSON format","statusCode":400,"error":"Bad Request","errorCode":"invalid_body"}`)
			return true
		}},
		{"loses concurrent writes", "^m6-concurrent-patches$", `user_metadata lost the key`, func(w http.ResponseWriter, r *http.Request, next http.Handler) bool {
			if r.Method != "PATCH" {
				return false
			}
			if inFlight.Add(1) > 1 { // answers as if it had written, and drops the write
				defer inFlight.Add(-1)
				time.Sleep(20 * time.Millisecond)
				io.WriteString(w, `{"user_metadata":{}}`)
				return true
			}
			time.Sleep(20 * time.Millisecond)
			next.ServeHTTP(w, r)
			inFlight.Add(-1)
			return true
		}},
		{"searches metadata case-insensitively", "^m7-search-metadata-case-sensitive$", "want the created one 0 times in the answer, found 1", func(w http.ResponseWriter, r *http.Request, next http.Handler) bool {
			r.URL.RawQuery = strings.ReplaceAll(r.URL.RawQuery, "PRO", "Pro")
			return false
		}},
		{"creates a user without connection", "^m4-create-needs-connection$", "want 400, got 201", func(w http.ResponseWriter, r *http.Request, next http.Handler) bool {
			if r.Method != "POST" {
				return false
			}
			body, _ := io.ReadAll(r.Body)
			body = bytes.Replace(body, []byte("{"), []byte(`{"connection":"Username-Password-Authentication",`), 1)
			r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
			next.ServeHTTP(w, r)
			return true
		}},
	} {
		srv, err := auth0fake.New(auth0fake.Options{Token: testToken})
		if err != nil {
			t.Fatal(err)
		}
		ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !tt.proxy(w, r, srv) {
				srv.ServeHTTP(w, r)
			}
		}))
		status, out, _ := runCommand(t, "", "conformance", "-http", ts.URL, "-token", testToken, "-run", tt.run)
		if status != exitViolations || !strings.Contains(out, "0 passed, 1 failed, 0 skipped") || !strings.Contains(out, tt.want) {
			t.Errorf("%s: status %d, want the reason %q; out:\n%s", tt.why, status, tt.want, out)
		}
		if left := leftOn(t, ts.URL); left != "" {
			t.Errorf("%s: left behind:\n%s", tt.why, left)
		}
		ts.Close()
		srv.Close()
	}
}

// TestHTTPSigint sends SIGINT to the command in the middle of a run: it
// deletes what it created, then exits with status 2.
func TestHTTPSigint(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no SIGINT to send on Windows")
	}
	var cmd *exec.Cmd
	started := make(chan struct{})
	var patches atomic.Int32
	ts, _ := fakeServer(t, func(r *http.Request) {
		if r.Method == "PATCH" && patches.Add(1) == 5 {
			<-started
			cmd.Process.Signal(os.Interrupt)
			time.Sleep(100 * time.Millisecond) // the signal lands while this request is under way
		}
	})
	argv := self(t)
	cmd = exec.Command(argv[0], "conformance", "-http", ts.URL, "-token", testToken)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	close(started)
	err := cmd.Wait()
	if code := cmd.ProcessState.ExitCode(); code != exitUsage || !strings.Contains(out.String(), "metamerge conformance: interrupted") {
		t.Errorf("exit %d (%v), want %d; out:\n%s", code, err, exitUsage, out.String())
	}
	if patches.Load() > 6 {
		t.Errorf("%d PATCHes: the run went on after SIGINT", patches.Load())
	}
	if left := leftOn(t, ts.URL); left != "" {
		t.Errorf("left behind:\n%s", left)
	}
}

// TestHTTPTags: -tags probe plays the probes, all of them in the profile,
// and nothing else.
func TestHTTPTags(t *testing.T) {
	ts, _ := fakeServer(t, nil)
	n := 0
	for _, c := range conformance.Vectors() {
		if slices.Contains(c.Tags, "probe") {
			n++
		}
	}
	status, out, _ := runCommand(t, "", "conformance", "-http", ts.URL, "-token", testToken, "-tags", "probe")
	if want := fmt.Sprintf("%d passed, 0 failed, 0 skipped\n", n); status != exitOK || n < 15 || !strings.HasSuffix(out, want) {
		t.Errorf("status %d, want the last line %q; out:\n%s", status, want, out)
	}
}

// TestHTTPFiguresInTheDocs: the bounds HTTP.md and the README state are
// the runner's.
func TestHTTPFiguresInTheDocs(t *testing.T) {
	if maxResponse != 8<<20 || maxRetryWait != 60*time.Second || maxRetries != 6 || eventualFor != 10*time.Second {
		t.Fatalf("a bound changed: update HTTP.md and the README, then this test")
	}
	httpMD, err := os.ReadFile("../../conformance/HTTP.md")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Answers are read up to 8 MiB", "at most 60 seconds a wait and 6 times a request", "a second apart for up to 10 seconds", "(default 10s)"} {
		if !strings.Contains(strings.Join(strings.Fields(string(httpMD)), " "), want) {
			t.Errorf("HTTP.md does not say %q", want)
		}
	}
	if !strings.Contains(strings.Join(strings.Fields(string(readme)), " "), "each answer (8 MiB)") {
		t.Errorf("the README does not give the answer cap")
	}
}

// TestHTTPHidesIDsInMetadata: a server that writes the user's id into the
// metadata it answers, where a diff shows it and long lines are cut,
// still leaves no part of the id in the report.
func TestHTTPHidesIDsInMetadata(t *testing.T) {
	srv, err := auth0fake.New(auth0fake.Options{Token: testToken})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	rc := &recorder{next: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != "PATCH" {
			srv.ServeHTTP(w, r)
			return
		}
		id, _ := url.PathUnescape(strings.TrimPrefix(r.URL.EscapedPath(), "/api/v2/users/"))
		// The id at every offset around the cut of a long line (240 bytes),
		// and once whole.
		fmt.Fprintf(w, `{"user_metadata":{"a":1,"b":2,"x":%q`, id)
		for pad := 200; pad < 240; pad++ {
			fmt.Fprintf(w, `,"x%d":%q`, pad, strings.Repeat("p", pad)+id)
		}
		io.WriteString(w, "}}")
	})}
	ts := httptest.NewServer(rc)
	defer ts.Close()
	report := filepath.Join(t.TempDir(), "report.jsonl")
	status, out, _ := runCommand(t, "", "conformance", "-http", ts.URL, "-token", testToken, "-report", report, "-run", "^user-add-key$")
	if status != exitViolations || !strings.Contains(out, "the PATCH answered another user_metadata") {
		t.Fatalf("status %d, out:\n%s", status, out)
	}
	data, _ := os.ReadFile(report)
	checkNoSecrets(t, rc, data, out)
	rc.mu.Lock()
	defer rc.mu.Unlock()
	for _, sec := range rc.secrets {
		if strings.HasPrefix(sec, "auth0|") {
			for n := 8; n < len(sec); n++ { // no prefix of it either, as a cut would leave
				if strings.Contains(string(data), sec[:n]) && n > len("auth0|")+6 {
					t.Errorf("the report holds %q, a part of an id", sec[:n])
					break
				}
			}
		}
	}
}

// TestHTTPRateSlowerThanTimeout: a -rate slot longer than -timeout does
// not eat the DELETE's time: what a case created is deleted, in a run
// that ends normally and in one that is interrupted.
func TestHTTPRateSlowerThanTimeout(t *testing.T) {
	t.Run("normal", func(t *testing.T) {
		var deletes atomic.Int32
		ts, _ := fakeServer(t, func(r *http.Request) {
			if r.Method == "DELETE" {
				deletes.Add(1)
			}
		})
		// A slot every 250ms, 100ms for each answer.
		status, out, _ := runCommand(t, "", "conformance", "-http", ts.URL, "-token", testToken, "-rate", "4", "-timeout", "100ms", "-run", "^(client-merge|user-add-key)$")
		if status != exitOK || !strings.HasSuffix(out, "2 passed, 0 failed, 0 skipped\n") || strings.Contains(out, "could not delete") || deletes.Load() != 2 {
			t.Errorf("status %d, %d DELETEs; out:\n%s", status, deletes.Load(), out)
		}
		if left := leftOn(t, ts.URL); left != "" {
			t.Errorf("left behind:\n%s", left)
		}
	})
	t.Run("interrupted", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		ts, _ := fakeServer(t, func(r *http.Request) {
			if r.Method == "PATCH" {
				cancel()
			}
		})
		h, err := newHTTPRun(ts.URL, testToken)
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		h.connection, h.timeout, h.every, h.out = "Username-Password-Authentication", 100*time.Millisecond, 250*time.Millisecond, &out
		status := h.runAll(ctx, conformance.Vectors(), nil)
		if status != exitUsage || !strings.Contains(out.String(), "metamerge conformance: interrupted") || strings.Contains(out.String(), "could not delete") {
			t.Errorf("status %d, out:\n%s", status, out.String())
		}
		if left := leftOn(t, ts.URL); left != "" {
			t.Errorf("left behind:\n%s", left)
		}
	})
}

// TestRetryAfterSaturates: a Retry-After or X-RateLimit-Reset of any
// size, up to far past what time.Duration holds, waits at most
// maxRetryWait and never less than the header says below it.
func TestRetryAfterSaturates(t *testing.T) {
	now := time.Date(2026, 12, 2, 6, 0, 0, 0, time.UTC)
	for n := 1; n <= 40; n++ {
		for _, digit := range []string{"1", "5", "9"} {
			v := digit + strings.Repeat("0", n-1)
			if digit == "9" {
				v = strings.Repeat("9", n)
			}
			want := maxRetryWait
			if len(v) == 1 || v == "10" || v == "50" {
				s, _ := strconv.Atoi(v)
				want = time.Duration(s) * time.Second
			}
			if got := retryAfter(http.Header{"Retry-After": {v}}, 0, now); got != want {
				t.Errorf("Retry-After %s: %v, want %v", v, got, want)
			}
			if n > 18 {
				continue
			}
			reset, _ := strconv.ParseInt(v, 10, 64)
			want = min(max(time.Unix(reset, 0).Sub(now), 0), maxRetryWait)
			if reset > now.Unix() {
				want = min(time.Duration(reset-now.Unix())*time.Second, maxRetryWait)
				if reset-now.Unix() > 60 {
					want = maxRetryWait
				}
			}
			if got := retryAfter(http.Header{"X-Ratelimit-Reset": {v}}, 0, now); got != want {
				t.Errorf("X-RateLimit-Reset %s: %v, want %v", v, got, want)
			}
		}
	}
	for _, v := range []string{"9223372036854775807", "9223372036854775808", "18446744073709551616"} {
		if got := retryAfter(http.Header{"Retry-After": {v}}, 0, now); got != maxRetryWait {
			t.Errorf("Retry-After %s: %v, want %v", v, got, maxRetryWait)
		}
	}
}

// TestHTTPRateUsage: a -rate that is not a number of requests a second
// from minRate up (or 0) is a usage error, before any request.
func TestHTTPRateUsage(t *testing.T) {
	var requests atomic.Int32
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { requests.Add(1) }))
	defer ts.Close()
	for _, rate := range []string{"NaN", "-5", "-0.5", "1e-10", "0.009", "+Inf", "-Inf", "1e-300"} {
		status, _, errOut := runCommand(t, "", "conformance", "-http", ts.URL, "-token", testToken, "-rate", rate, "-run", "^client-merge$")
		if status != exitUsage || !strings.Contains(errOut, "metamerge conformance: -rate ") || !strings.Contains(errOut, "from 0.01 up") {
			t.Errorf("-rate %s: status %d, stderr %q", rate, status, errOut)
		}
	}
	if requests.Load() != 0 {
		t.Errorf("%d requests sent", requests.Load())
	}
}

// TestRateInterval: -rate as the time between two requests.
func TestRateInterval(t *testing.T) {
	for rate, want := range map[float64]time.Duration{0: 0, minRate: 100 * time.Second, 2: 500 * time.Millisecond, 1e12: 0} {
		if got, err := rateInterval(rate); err != nil || got != want {
			t.Errorf("rateInterval(%v) = %v, %v; want %v", rate, got, err, want)
		}
	}
}

// idEchoServer creates clients with the id given, answers each request
// to them as the create did, and keeps every request's target.
type idEchoServer struct {
	id      string
	mu      sync.Mutex
	targets []string
	created string // the create's answer: its body and the id
}

func (s *idEchoServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.targets = append(s.targets, r.Method+" "+r.RequestURI)
	w.Header().Set("Content-Type", "application/json")
	switch r.Method {
	case "POST":
		body, _ := io.ReadAll(r.Body)
		s.created = fmt.Sprintf(`{"client_id":%q,%s`, s.id, bytes.TrimPrefix(bytes.TrimSpace(body), []byte("{")))
		w.WriteHeader(http.StatusCreated)
	case "DELETE":
		w.WriteHeader(http.StatusNoContent)
		return
	}
	io.WriteString(w, s.created)
}

// TestHTTPIDIsOnePathSegment: whatever id the server gives, the runner's
// PATCH, GET and DELETE name it as one path segment that decodes to it,
// never a dot-segment that a cleaning proxy would take as a step up.
func TestHTTPIDIsOnePathSegment(t *testing.T) {
	ids := []string{".", "..", "...", "./..", "a/../..", "%2e%2e", "a b", "a?b", "a#b", "a;b", "auth0|x"}
	for c := 0x21; c < 0x7f; c++ {
		ids = append(ids, string(rune(c)))
	}
	for _, id := range ids {
		s := &idEchoServer{id: id}
		ts := httptest.NewServer(s)
		status, out, _ := runCommand(t, "", "conformance", "-http", ts.URL, "-token", testToken, "-run", "^client-merge$")
		ts.Close()
		if status == exitUsage {
			t.Fatalf("id %q: status %d, out:\n%s", id, status, out)
		}
		var seen []string
		for _, target := range s.targets {
			method, uri, _ := strings.Cut(target, " ")
			if method == "POST" {
				continue
			}
			seen = append(seen, method)
			seg, ok := strings.CutPrefix(uri, "/api/v2/clients/")
			got, err := url.PathUnescape(seg)
			if !ok || strings.ContainsAny(seg, "/?#") || seg == "." || seg == ".." || err != nil || got != id || path.Clean(uri) != uri {
				t.Errorf("id %q: %s", id, target)
			}
		}
		if !slices.Contains(seen, "DELETE") || !slices.Contains(seen, "PATCH") {
			t.Errorf("id %q: requests %v", id, s.targets)
		}
	}
}

// TestHTTPReportHidesEverySpelling: a server that echoes the token, the
// create's email and password, the id and the request line in every
// spelling of spellings (and a short token, as in the docs' examples)
// leaves none of them, in any spelling, in the report or on the terminal.
func TestHTTPReportHidesEverySpelling(t *testing.T) {
	run := "^(user-add-key|client-merge|m7-search-email-case-insensitive)$"
	if testing.Short() {
		run = "^(user-add-key|client-merge)$" // the search is repeated for 10 seconds
	}
	const token = "secret"
	srv, err := auth0fake.New(auth0fake.Options{Token: token})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	var mu sync.Mutex
	var created []byte
	rc := &recorder{}
	rc.next = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == "POST":
			body, _ := io.ReadAll(r.Body)
			mu.Lock()
			created = body
			mu.Unlock()
			r.Body = io.NopCloser(bytes.NewReader(body))
		case r.Method == "GET" && r.URL.RawQuery != "":
			w.WriteHeader(http.StatusNotFound) // a search: the request line quoted back, as many servers do
			fmt.Fprintf(w, "Cannot GET %s", r.RequestURI)
			return
		case r.Method == "PATCH":
			rw := httptest.NewRecorder()
			srv.ServeHTTP(rw, r)
			mu.Lock()
			echo := r.Header.Get("Authorization") + " " + r.RequestURI + " " + string(created) + " " + rw.Body.String()
			mu.Unlock()
			w.WriteHeader(http.StatusTeapot)
			for _, name := range slices.Sorted(maps.Keys(spellings)) {
				fmt.Fprintf(w, "%s: %s\n", name, spellings[name](echo))
			}
			return
		}
		srv.ServeHTTP(w, r)
	})
	ts := httptest.NewServer(rc)
	defer ts.Close()
	report := filepath.Join(t.TempDir(), "report.jsonl")
	status, out, _ := runCommand(t, "", "conformance", "-http", ts.URL, "-token", token, "-report", report, "-run", run)
	data, _ := os.ReadFile(report)
	if status != exitViolations || !strings.Contains(string(data), "{token}") || !strings.Contains(string(data), "{email}") || !testing.Short() && !strings.Contains(out, "Cannot GET") {
		t.Fatalf("status %d, out:\n%s\nreport:\n%s", status, out, data)
	}
	rc.mu.Lock()
	secrets := append([]string{token, strings.TrimPrefix(ts.URL, "http://")}, rc.secrets...)
	rc.mu.Unlock()
	for _, text := range []string{string(data), out} {
		for _, sec := range secrets {
			for name, spell := range spellings {
				if s := spell(sec); strings.Contains(text, s) || strings.Contains(strings.ToLower(text), strings.ToLower(s)) {
					t.Errorf("%q spelt %s (%q) shows", sec, name, cutForTest(s))
				}
			}
		}
	}
}

// TestHTTPReportNamesNoHost: a transport error (here a closed port) does
// not name the server's host or port in the report.
func TestHTTPReportNamesNoHost(t *testing.T) {
	ln := httptest.NewServer(http.NotFoundHandler())
	base := ln.URL
	ln.Close() // nothing listens there now
	report := filepath.Join(t.TempDir(), "report.jsonl")
	status, out, _ := runCommand(t, "", "conformance", "-http", base, "-token", testToken, "-report", report, "-run", "^(user-add-key|client-merge)$")
	data, _ := os.ReadFile(report)
	host := strings.TrimPrefix(base, "http://")
	hostname, port, _ := strings.Cut(host, ":")
	if status != exitViolations || !strings.Contains(string(data), "create: dial tcp {host}: connect: connection refused") {
		t.Fatalf("status %d, out:\n%s\nreport:\n%s", status, out, data)
	}
	for _, s := range []string{host, hostname, ":" + port} {
		if strings.Contains(string(data), s) || strings.Contains(out, s) {
			t.Errorf("%q shows:\n%s", s, data)
		}
	}
}

// TestHTTPShortToken: a token too short to be hidden is refused before
// any request.
func TestHTTPShortToken(t *testing.T) {
	for _, tok := range []string{"a", "ab", "abc"} {
		status, _, errOut := runCommand(t, "", "conformance", "-http", "http://127.0.0.1:1", "-token", tok)
		if status != exitUsage || !strings.Contains(errOut, fmt.Sprintf("-token: a token of %d bytes is too short to be hidden", len(tok))) {
			t.Errorf("-token %q: status %d, stderr %q", tok, status, errOut)
		}
	}
}

// TestHTTPRedactionFiguresInTheDocs: the limits HTTP.md states for -rate,
// -token, redaction and clean-up are the runner's.
func TestHTTPRedactionFiguresInTheDocs(t *testing.T) {
	if minRate != 0.01 || minToken != 4 || maxDecodeRounds != 3 || cleanupTimeout != 30*time.Second {
		t.Fatalf("a bound changed: update HTTP.md, then this test")
	}
	httpMD, err := os.ReadFile("../../conformance/HTTP.md")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(httpMD)), " ")
	for _, want := range []string{
		"N must be 0.01 or more", "a token shorter than 4 bytes is refused", "up to three layers of escaping deep",
		"30 seconds more for 429 retries", "starts deletions for 30 seconds plus one `-rate` slot each", "replaced with `{host}`",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("HTTP.md does not say %q", want)
		}
	}
}
