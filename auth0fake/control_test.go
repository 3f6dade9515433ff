package auth0fake

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/metamerge/metamerge/mgmt"
	"github.com/tidwall/gjson"
)

// controlRequests is one request of each route of the control API.
var controlRequests = []struct{ method, path, body string }{
	{"POST", "/_fake/reset", ""},
	{"GET", "/_fake/users", ""},
	{"POST", "/_fake/users", `{"user_id":"u"}`},
	{"GET", "/_fake/users/u", ""},
	{"GET", "/_fake/clients", ""},
	{"POST", "/_fake/clients", `{"client_id":"c"}`},
	{"GET", "/_fake/clients/c", ""},
	{"GET", "/_fake/faults", ""},
	{"POST", "/_fake/faults", `{"times":1,"status":500}`},
	{"DELETE", "/_fake/faults", ""},
	{"GET", "/_fake/clock", ""},
	{"PUT", "/_fake/clock", `{"time":"2030-01-02T03:04:05Z"}`},
	{"DELETE", "/_fake/clock", ""},
}

// TestControlOff checks that without Options.Control every path of the
// control API answers exactly as a path the fake does not serve, with a
// token, a wrong one and none, and changes nothing; and also when a fault
// answers every path, as it did before the control API existed.
func TestControlOff(t *testing.T) {
	f := newFake(t, Options{})
	f.createUser("kept@example.com", "")
	for _, faulted := range []bool{false, true} {
		if faulted {
			if err := f.s.InjectFault(Fault{Times: 2 * 3 * len(controlRequests), Status: 429}); err != nil {
				t.Fatal(err)
			}
		}
		for _, req := range controlRequests {
			for _, auth := range []string{"Bearer " + testToken, "Bearer wrong", ""} {
				code, body := f.doAuth(req.method, req.path, req.body, auth)
				wantCode, wantBody := f.doAuth(req.method, "/_nothing/here", req.body, auth)
				if code != wantCode || body != wantBody {
					t.Errorf("faulted %v, %s %s (%q): %d %s; want as an unknown path: %d %s", faulted, req.method, req.path, auth, code, body, wantCode, wantBody)
				}
			}
		}
	}
	if n := len(f.s.Users()); n != 1 {
		t.Errorf("%d users after the control paths, want the 1 created", n)
	}
	if n := len(f.s.Clients()); n != 0 {
		t.Errorf("%d clients seeded through a control API that is off", n)
	}
}

// TestControlAuth checks that the control API needs the token, as
// /api/v2/ does, and that its unknown paths and methods are Auth0's 404.
func TestControlAuth(t *testing.T) {
	f := newFake(t, Options{Control: true})
	for _, req := range controlRequests {
		for _, c := range []struct{ auth, want string }{
			{"", `{"statusCode":401,"error":"Unauthorized","message":"Missing authentication"}`},
			{"Bearer wrong", `{"statusCode":401,"error":"Unauthorized","message":"Invalid token"}`},
		} {
			if code, body := f.doAuth(req.method, req.path, req.body, c.auth); code != 401 || body != c.want {
				t.Errorf("%s %s (%q): %d %s, want 401 %s", req.method, req.path, c.auth, code, body, c.want)
			}
		}
	}
	notFound := `{"statusCode":404,"error":"Not Found","message":"Not Found"}`
	for _, req := range []struct{ method, path string }{
		{"GET", "/_fake/reset"}, {"PATCH", "/_fake/users"}, {"GET", "/_fake/nothing"}, {"DELETE", "/_fake/users/u"},
		{"GET", "/_fake/users/"}, {"GET", "/_fake/users/a/b"}, {"GET", "/_fake//users"}, {"GET", "/_fake/users/.."},
	} {
		if code, body := f.do(req.method, req.path, ""); code != 404 || body != notFound {
			t.Errorf("%s %s: %d %s, want 404 %s", req.method, req.path, code, body, notFound)
		}
	}
}

// TestControlSeed checks POST, GET /_fake/users and /_fake/clients: a
// document stored as given, read back byte for byte through the control
// API, the Management API and the Go methods, under ids that a path
// must escape.
func TestControlSeed(t *testing.T) {
	f := newFake(t, Options{Control: true})
	ids := []string{"auth0|a/b", "..", ".", "%2F", "a%2Fb", "a b?c#d", "é\u2028", strings.Repeat("x", 1000)}
	var want []string
	for i, id := range ids {
		doc := fmt.Sprintf(`{"user_id":%s,"email":"u%d@example.com","identities":[{"connection":"db"}],"user_metadata":{"n":%d}}`, jsonString(id), i, i)
		if got := f.must(200, "POST", "/_fake/users", doc); got != doc {
			t.Errorf("seed %q: answered %s, want the document as given", id, got)
		}
		want = append(want, doc)
		escaped := url.PathEscape(id)
		if id == "." || id == ".." {
			escaped = strings.ReplaceAll(id, ".", "%2E") // "." and ".." elements are no ids: they must be escaped
		}
		if got := f.must(200, "GET", "/_fake/users/"+escaped, ""); got != doc {
			t.Errorf("GET /_fake/users/%s: %s, want %s", escaped, got, doc)
		}
		if got := f.must(200, "GET", "/api/v2/users/"+escaped, ""); got != doc {
			t.Errorf("GET /api/v2/users/%s: %s, want %s", escaped, got, doc)
		}
	}
	if got := f.must(200, "GET", "/_fake/users", ""); got != "["+strings.Join(want, ",")+"]" {
		t.Errorf("GET /_fake/users: %.300s", got)
	}
	var goUsers []string
	for _, d := range f.s.Users() {
		goUsers = append(goUsers, string(d))
	}
	if diff := cmp.Diff(want, goUsers); diff != "" {
		t.Errorf("Server.Users (-want +got):\n%s", diff)
	}
	// A second seed under an id replaces the user, in place.
	f.must(200, "POST", "/_fake/users", `{"user_id":"..","replaced":true}`)
	if got := f.must(200, "GET", "/_fake/users/%2E%2E", ""); got != `{"user_id":"..","replaced":true}` {
		t.Errorf("replaced: %s", got)
	}
	if got := gjson.Get(f.must(200, "GET", "/_fake/users", ""), "1.replaced"); !got.Bool() {
		t.Errorf("the replaced user moved from its place: %v", got)
	}

	client := `{"client_id":"c/1","name":"seeded","client_metadata":{"k":"v"}}`
	f.must(200, "POST", "/_fake/clients", client)
	if got := f.must(200, "GET", "/_fake/clients/c%2F1", ""); got != client {
		t.Errorf("client: %s", got)
	}
	if got := f.must(200, "GET", "/_fake/clients", ""); got != "["+client+"]" {
		t.Errorf("clients: %s", got)
	}
	if code, body := f.do("GET", "/_fake/users/nobody", ""); code != 404 || body != `{"statusCode":404,"error":"Not Found","message":"The user does not exist.","errorCode":"inexistent_user"}` {
		t.Errorf("missing user: %d %s", code, body)
	}
	if code, body := f.do("GET", "/_fake/clients/nobody", ""); code != 404 || body != `{"statusCode":404,"error":"Not Found","message":"The client does not exist","errorCode":"inexistent_client"}` {
		t.Errorf("missing client: %d %s", code, body)
	}
}

// TestControlSeedErrors checks that each error of PutUser and PutClient
// is a clear 4xx in Auth0's envelope, and that nothing is stored.
func TestControlSeedErrors(t *testing.T) {
	f := newFake(t, Options{Control: true, MaxBodyBytes: 1 << 20})
	f.must(200, "POST", "/_fake/users", `{"user_id":"taker","email":"taken@example.com","identities":[{"connection":"db"}]}`)
	bad := func(msg string) string {
		return `{"statusCode":400,"error":"Bad Request","message":` + string(jsonString(msg)) + `,"errorCode":"invalid_body"}`
	}
	deep := `{"user_id":"d","a":` + strings.Repeat("[", 10_000) + strings.Repeat("]", 10_000) + "}"
	for _, c := range []struct {
		name, why, path, body string
		code                  int
		want                  string
	}{
		{"not JSON", "the library's parse error", "users", `{"user_id":`, 400, `{"statusCode":400,"error":"Bad Request","message":"Invalid request payload JSON format","errorCode":"invalid_body"}`},
		{"empty", "no document at all", "users", ``, 400, `{"statusCode":400,"error":"Bad Request","message":"Invalid request payload JSON format","errorCode":"invalid_body"}`},
		{"duplicate", "H2: a document with a member twice is never stored", "users", `{"user_id":"x","user_id":"y"}`, 400, bad("Payload validation error: 'Duplicate property name' on property user_id")},
		{"deep", "H3: 10,000 levels are refused, not recursed into", "users", deep, 400, bad("Payload validation error: 'Nesting is too deep (101 levels), maximum 100' on property " + mgmt.Quote("a"+strings.Repeat(".0", 99)))},
		{"array", "a document is an object", "users", `[{"user_id":"x"}]`, 400, bad("Payload validation error: 'Expected type object but found type array'.")},
		{"string", "a document is an object", "clients", `"c"`, 400, bad("Payload validation error: 'Expected type object but found type string'.")},
		{"no id", "ErrNoID", "users", `{"email":"a@b.co"}`, 400, bad("Payload validation error: 'Missing required property: user_id'.")},
		{"number id", "ErrNoID", "clients", `{"client_id":7}`, 400, bad("Payload validation error: 'Expected type string but found type integer' on property client_id")},
		{"null id", "ErrNoID", "users", `{"user_id":null}`, 400, bad("Payload validation error: 'Expected type string but found type null' on property user_id")},
		{"empty id", "ErrNoID", "users", `{"user_id":""}`, 400, bad("Payload validation error: 'String is too short (0 chars), minimum 1' on property user_id")},
		{"taken", "ErrTaken: the email of another user of the connection", "users", `{"user_id":"other","email":"TAKEN@example.com","identities":[{"connection":"db"}]}`, 409, `{"statusCode":409,"error":"Conflict","message":"The user already exists.","errorCode":"auth0_idp_error"}`},
		{"too large", "the body limit of every request", "users", `{"user_id":"big","a":"` + strings.Repeat("x", 1<<20) + `"}`, 413, `{"statusCode":413,"error":"Request Entity Too Large","message":"Payload content length greater than maximum allowed: 1048576"}`},
		{"invalid UTF-8", "H1: never stored, as no request body is", "users", "{\"user_id\":\"\xff\"}", 400, `{"statusCode":400,"error":"Bad Request","message":"Invalid request payload JSON format","errorCode":"invalid_body"}`},
	} {
		code, body := f.do("POST", "/_fake/"+c.path, c.body)
		if code != c.code || body != c.want {
			t.Errorf("%s (%s): %d %s\nwant %d %s", c.name, c.why, code, body, c.code, c.want)
		}
	}
	if n, m := len(f.s.Users()), len(f.s.Clients()); n != 1 || m != 0 {
		t.Errorf("%d users and %d clients after refused seeds, want 1 and 0", n, m)
	}
}

// TestControlFaults checks POST, GET and DELETE /_fake/faults: a fault
// installed over HTTP answers as InjectFault's does, is listed with the
// times it has left, and gone once used; the control API itself is never
// answered by a fault.
func TestControlFaults(t *testing.T) {
	at := time.Unix(2_000_000_000, 0)
	f := newFake(t, Options{Control: true, Now: func() time.Time { return at }})
	id := f.createUser("ada@example.com", "")
	installed := f.must(201, "POST", "/_fake/faults", `{"method":"GET","path":"/api/v2/users/","times":2,"status":429,"retry_after":"1500ms"}`)
	if want := `{"method":"GET","path":"/api/v2/users/","times":2,"status":429,"retry_after":"1.5s","delay":"0s"}`; installed != want {
		t.Errorf("installed: %s, want %s", installed, want)
	}
	f.must(201, "POST", "/_fake/faults", `{"times":3,"status":500}`) // every path
	code, body, h := f.doHeader("GET", userPath(id))
	if code != 429 || h.Get("Retry-After") != "2" || h.Get("X-Ratelimit-Reset") != "2000000002" || !strings.Contains(body, "too_many_requests") {
		t.Errorf("first read: %d %s %v", code, body, h)
	}
	want := `[{"method":"GET","path":"/api/v2/users/","times":1,"status":429,"retry_after":"1.5s","delay":"0s"},` +
		`{"method":"","path":"","times":3,"status":500,"retry_after":"0s","delay":"0s"}]`
	if got := f.must(200, "GET", "/_fake/faults", ""); got != want {
		t.Errorf("after one use: %s\nwant %s", got, want)
	}
	if diff := cmp.Diff([]Fault{{Method: "GET", Path: "/api/v2/users/", Times: 1, Status: 429, RetryAfter: 1500 * time.Millisecond}, {Times: 3, Status: 500}}, f.s.Faults()); diff != "" {
		t.Errorf("Server.Faults (-want +got):\n%s", diff)
	}
	if code, _ := f.do("GET", userPath(id), ""); code != 429 {
		t.Errorf("second read: %d, want 429", code)
	}
	if code, _, _ := f.doHeader("GET", userPath(id)); code != 500 {
		t.Errorf("third read: %d, want the 500 behind the used-up 429", code)
	}
	if got := f.must(200, "DELETE", "/_fake/faults", ""); got != "[]" {
		t.Errorf("DELETE answers what is left: %s", got)
	}
	f.must(200, "GET", userPath(id), "")
	if got := f.s.Faults(); len(got) != 0 {
		t.Errorf("after DELETE: %v", got)
	}
}

// TestControlFaultErrors checks that a fault body out of shape or out of
// range is a 400 naming the member, with InjectFault's bounds and words.
func TestControlFaultErrors(t *testing.T) {
	f := newFake(t, Options{Control: true})
	bad := func(msg string) string {
		return `{"statusCode":400,"error":"Bad Request","message":` + string(jsonString(msg)) + `,"errorCode":"invalid_body"}`
	}
	long := strings.Repeat("x", maxFaultText+1)
	for _, c := range []struct{ name, body, want string }{
		{"unknown member", `{"times":1,"Times":2}`, bad("Payload validation error: 'Additional properties not allowed: Times'.")},
		{"unknown long member", `{"` + long + `":1}`, bad("Payload validation error: 'Additional properties not allowed: " + mgmt.Quote(long) + "'.")},
		{"duplicate", `{"times":1,"times":2}`, bad("Payload validation error: 'Duplicate property name' on property times")},
		{"not an object", `[{"times":1}]`, bad("Payload validation error: 'Expected type object but found type array'.")},
		{"null", `null`, bad("Payload validation error: 'Expected type object but found type null'.")},
		{"no times", `{"status":500}`, bad("Payload validation error: 'Missing required property: times'.")},
		{"times 0", `{"times":0,"status":500}`, bad("Payload validation error: 'times is 0; it must be 1 to 1048576' on property times")},
		{"times too many", `{"times":1048577}`, bad("Payload validation error: 'times is 1048577; it must be 1 to 1048576' on property times")},
		{"times past int", `{"times":99999999999999999999999}`, bad("Payload validation error: 'times is 99999999999999999999999; it must be 1 to 1048576' on property times")},
		{"times fraction", `{"times":1.5}`, bad("Payload validation error: 'Expected type integer but found type number' on property times")},
		{"times exponent", `{"times":1e3}`, bad("Payload validation error: 'Expected type integer but found type number' on property times")},
		{"times string", `{"times":"1"}`, bad("Payload validation error: 'Expected type integer but found type string' on property times")},
		{"status 404", `{"times":1,"status":404}`, bad("Payload validation error: 'status is 404; it must be 0, 429 or 500 to 599' on property status")},
		{"status negative", `{"times":1,"status":-500}`, bad("Payload validation error: 'status is -500; it must be 0, 429 or 500 to 599' on property status")},
		{"delay too long", `{"times":1,"delay":"1m0.001s"}`, bad("Payload validation error: 'delay is 1m0.001s; it must be 0 to 1m0s' on property delay")},
		{"delay negative", `{"times":1,"delay":"-1ns"}`, bad("Payload validation error: 'delay is -1ns; it must be 0 to 1m0s' on property delay")},
		{"delay a number", `{"times":1,"delay":1000}`, bad("Payload validation error: 'Expected type string but found type integer' on property delay")},
		{"delay no unit", `{"times":1,"delay":"1000"}`, bad(`Payload validation error: 'Invalid duration "1000": a Go duration such as "1s" or "250ms"' on property delay`)},
		{"delay overflow", `{"times":1,"delay":"9999999999h"}`, bad(`Payload validation error: 'Invalid duration "9999999999h": a Go duration such as "1s" or "250ms"' on property delay`)},
		{"retry_after", `{"times":1,"status":429,"retry_after":"2m"}`, bad("Payload validation error: 'retry_after is 2m0s; it must be 0 to 1m0s' on property retry_after")},
		{"method type", `{"times":1,"method":["GET"]}`, bad("Payload validation error: 'Expected type string but found type array' on property method")},
		{"method long", `{"times":1,"method":"` + long + `"}`, bad("Payload validation error: 'method is 4097 bytes long; it must be at most 32 bytes' on property method")},
		{"path long", `{"times":1,"path":"` + long + `"}`, bad("Payload validation error: 'path is 4097 bytes long; it must be at most 4096 bytes' on property path")},
		{"deep", strings.Repeat(`{"a":`, 10_000) + "1" + strings.Repeat("}", 10_000), bad("Payload validation error: 'Nesting is too deep (101 levels), maximum 100' on property " + mgmt.Quote("a"+strings.Repeat(".a", 99)))},
	} {
		if code, body := f.do("POST", "/_fake/faults", c.body); code != 400 || body != c.want {
			t.Errorf("%s: %d %s\nwant 400 %s", c.name, code, body, c.want)
		}
	}
	if got := f.s.Faults(); len(got) != 0 {
		t.Errorf("refused faults were installed: %v", got)
	}
	// The Go method names the Go field, with the same bounds.
	if err := f.s.InjectFault(Fault{Times: 1, Path: long}); err == nil || err.Error() != "auth0fake: Fault.Path is 4097 bytes long; it must be at most 4096 bytes" {
		t.Errorf("InjectFault with a long path: %v", err)
	}
}

// TestControlFaultsBound installs faults over HTTP up to the bound: the
// 1025th is a 409 that says what to do, and nothing more is kept.
func TestControlFaultsBound(t *testing.T) {
	f := newFake(t, Options{Control: true})
	for i := range maxFaultsQueue {
		f.must(201, "POST", "/_fake/faults", fmt.Sprintf(`{"times":1,"status":500,"path":"/nowhere/%d"}`, i))
	}
	want := `{"statusCode":409,"error":"Conflict","message":"1024 faults are installed; clear them first (DELETE /_fake/faults)","errorCode":"too_many_faults"}`
	if code, body := f.do("POST", "/_fake/faults", `{"times":1,"status":500}`); code != 409 || body != want {
		t.Errorf("the 1025th: %d %s", code, body)
	}
	if n := len(gjson.Get(f.must(200, "GET", "/_fake/faults", ""), "#").Raw); n == 0 || len(f.s.Faults()) != maxFaultsQueue {
		t.Errorf("%d faults kept, want %d", len(f.s.Faults()), maxFaultsQueue)
	}
	f.must(200, "DELETE", "/_fake/faults", "")
	f.must(201, "POST", "/_fake/faults", `{"times":1,"status":500}`)
}

// TestControlDelayHangUp installs a fault that waits a minute, over real
// HTTP, and hangs up after 100 ms: the fake ends the wait with the
// client (the server closes at once), and serves the next request.
func TestControlDelayHangUp(t *testing.T) {
	f := newFake(t, Options{Control: true})
	ts := httptest.NewServer(f.s)
	f.url = ts.URL
	f.must(201, "POST", "/_fake/faults", `{"times":1,"status":500,"delay":"1m"}`)
	client := &http.Client{Timeout: 100 * time.Millisecond}
	req, _ := http.NewRequest("GET", ts.URL+"/api/v2/users", nil)
	req.Header.Set("Authorization", "Bearer "+testToken)
	if resp, err := client.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("answered %d within 100 ms of a 1-minute delay", resp.StatusCode)
	}
	if got := f.must(200, "GET", "/_fake/faults", ""); got != "[]" {
		t.Errorf("the fault is used up by the request that hung up: %s", got)
	}
	f.must(200, "GET", "/api/v2/users", "")
	start := time.Now()
	ts.Close() // waits for every handler: the delayed one must have ended
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("closing took %v: the delayed handler outlived its client", d)
	}
}

// TestControlClock checks PUT, GET and DELETE /_fake/clock: created_at
// and updated_at from the fixed time, advancing by step after each
// reading; GET does not advance it; DELETE gives back Options.Now.
func TestControlClock(t *testing.T) {
	base := time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)
	f := newFake(t, Options{Control: true, Now: func() time.Time { return base }})
	if got := f.must(200, "GET", "/_fake/clock", ""); got != `{"fixed":false,"time":"2001-02-03T04:05:06Z","step":"0s"}` {
		t.Errorf("Options.Now: %s", got)
	}
	set := f.must(200, "PUT", "/_fake/clock", `{"time":"2030-01-02T03:04:05.5+01:00","step":"1s"}`)
	if want := `{"fixed":true,"time":"2030-01-02T02:04:05.5Z","step":"1s"}`; set != want {
		t.Errorf("PUT: %s, want %s", set, want)
	}
	f.must(200, "GET", "/_fake/clock", "") // no reading
	id := f.createUser("ada@example.com", "")
	u := f.must(200, "GET", userPath(id), "")
	if c, up := gjson.Get(u, "created_at").Str, gjson.Get(u, "updated_at").Str; c != "2030-01-02T02:04:05.500Z" || up != c {
		t.Errorf("created: created_at %s updated_at %s", c, up)
	}
	u = f.must(200, "PATCH", userPath(id), `{"user_metadata":{"a":1}}`)
	if up := gjson.Get(u, "updated_at").Str; up != "2030-01-02T02:04:06.500Z" {
		t.Errorf("patched: updated_at %s, want a step later", up)
	}
	if got := f.must(200, "GET", "/_fake/clock", ""); got != `{"fixed":true,"time":"2030-01-02T02:04:07.5Z","step":"1s"}` {
		t.Errorf("after two readings: %s", got)
	}
	f.must(200, "PUT", "/_fake/clock", `{"time":"2030-01-01T00:00:00Z"}`) // no step: stands still
	for range 2 {
		f.createUser(fmt.Sprintf("x%d@example.com", time.Now().UnixNano()), "")
	}
	if got := f.must(200, "GET", "/_fake/clock", ""); got != `{"fixed":true,"time":"2030-01-01T00:00:00Z","step":"0s"}` {
		t.Errorf("step 0: %s", got)
	}
	if got := f.must(200, "DELETE", "/_fake/clock", ""); got != `{"fixed":false,"time":"2001-02-03T04:05:06Z","step":"0s"}` {
		t.Errorf("DELETE: %s", got)
	}
	bad := func(msg string) string {
		return `{"statusCode":400,"error":"Bad Request","message":` + string(jsonString(msg)) + `,"errorCode":"invalid_body"}`
	}
	for _, c := range []struct{ name, body, want string }{
		{"no time", `{"step":"1s"}`, bad("Payload validation error: 'Missing required property: time'.")},
		{"not RFC 3339", `{"time":"2030-01-02"}`, bad(`Payload validation error: 'Invalid time "2030-01-02": RFC 3339, such as "2030-01-02T03:04:05Z"' on property time`)},
		{"a number", `{"time":1893553445}`, bad("Payload validation error: 'Expected type string but found type integer' on property time")},
		{"negative step", `{"time":"2030-01-02T03:04:05Z","step":"-1s"}`, bad("Payload validation error: 'step is -1s; it must be 0 to 24h0m0s' on property step")},
		{"long step", `{"time":"2030-01-02T03:04:05Z","step":"24h0m1s"}`, bad("Payload validation error: 'step is 24h0m1s; it must be 0 to 24h0m0s' on property step")},
		{"unknown", `{"time":"2030-01-02T03:04:05Z","zone":"UTC"}`, bad("Payload validation error: 'Additional properties not allowed: zone'.")},
		{"duplicate", `{"time":"2030-01-02T03:04:05Z","time":"2031-01-02T03:04:05Z"}`, bad("Payload validation error: 'Duplicate property name' on property time")},
	} {
		if code, body := f.do("PUT", "/_fake/clock", c.body); code != 400 || body != c.want {
			t.Errorf("%s: %d %s\nwant 400 %s", c.name, code, body, c.want)
		}
	}
	if got := f.must(200, "GET", "/_fake/clock", ""); !strings.HasPrefix(got, `{"fixed":false`) {
		t.Errorf("a refused PUT fixed the clock: %s", got)
	}
}

// TestControlReset checks POST /_fake/reset: users, clients and faults
// gone, the clock as the server started, the fake as new.
func TestControlReset(t *testing.T) {
	f := newFake(t, Options{Control: true, DataDir: t.TempDir()})
	f.createUser("ada@example.com", "")
	f.createClient("")
	f.must(200, "POST", "/_fake/users", `{"user_id":"seeded"}`)
	f.must(201, "POST", "/_fake/faults", `{"times":5,"status":500,"path":"/api/v2/clients"}`)
	f.must(200, "PUT", "/_fake/clock", `{"time":"2030-01-02T03:04:05Z"}`)
	if got := f.must(200, "POST", "/_fake/reset", ""); got != "{}" {
		t.Errorf("reset: %s", got)
	}
	for _, p := range []string{"/_fake/users", "/_fake/clients", "/_fake/faults"} {
		if got := f.must(200, "GET", p, ""); got != "[]" {
			t.Errorf("%s after reset: %s", p, got)
		}
	}
	if got := f.must(200, "GET", "/_fake/clock", ""); !strings.HasPrefix(got, `{"fixed":false`) {
		t.Errorf("clock after reset: %s", got)
	}
	f.must(200, "GET", "/api/v2/clients", "")
	f.createUser("ada@example.com", "") // the email is free again
}

// TestControlResetDuringPatch resets the fake and seeds the user again
// while PATCHes of it run: each PATCH is a 200 or a 404, never a 500,
// and the unique index stays right (the user can be seeded again).
func TestControlResetDuringPatch(t *testing.T) {
	f := newFake(t, Options{Control: true})
	seed := `{"user_id":"auth0|u","email":"u@example.com","identities":[{"connection":"db"}],"user_metadata":{}}`
	f.must(200, "POST", "/_fake/users", seed)
	var wg sync.WaitGroup
	codes := make([]map[int]int, 4)
	for g := range codes {
		codes[g] = map[int]int{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 100 {
				code, _ := f.do("PATCH", "/api/v2/users/auth0%7Cu", fmt.Sprintf(`{"user_metadata":{"g%d":%d}}`, g, i))
				codes[g][code]++
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for range 50 {
			f.do("POST", "/_fake/reset", "")
			f.do("POST", "/_fake/users", seed)
		}
	}()
	wg.Wait()
	for g, c := range codes {
		for code := range c {
			if code != 200 && code != 404 {
				t.Errorf("goroutine %d: %v, want only 200 and 404", g, c)
			}
		}
	}
	f.must(200, "POST", "/_fake/reset", "")
	f.must(200, "POST", "/_fake/users", seed)
	// The index knows the email exactly once: another id with it is taken.
	f.must(409, "POST", "/_fake/users", strings.Replace(seed, "auth0|u", "auth0|v", 1))
}

// TestControlReadme runs the curl line of each row of the README's table
// of the control API, in order, against a fake with Options.Control:
// each must succeed, and together they must reach every route.
func TestControlReadme(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile("(?m)^\\| `[A-Z]+ /_fake/.*\\| `curl (?:-X ([A-Z]+) )?\\$F(/_fake/[^ `]*)(?: -d '([^']*)')?` \\|$")
	rows := row.FindAllStringSubmatch(string(readme), -1)
	if len(rows) == 0 {
		t.Fatal("no rows of the control API's table in the README")
	}
	f := newFake(t, Options{Control: true})
	reached := map[string]bool{}
	for _, r := range rows {
		method, path, body := r[1], r[2], strings.ReplaceAll(r[3], `\|`, "|")
		if method == "" {
			method = "GET"
			if body != "" {
				method = "POST"
			}
		}
		if code, got := f.do(method, path, body); code >= 300 {
			t.Errorf("README: %s %s %s: %d %s", method, path, body, code, got)
		}
		reached[method+" "+path] = true
	}
	for _, req := range controlRequests {
		if strings.HasPrefix(req.path, "/_fake/clients") {
			continue // the clients' routes share the users' rows
		}
		p := strings.Replace(req.path, "/users/u", "/users/auth0%7Cada", 1)
		if !reached[req.method+" "+p] {
			t.Errorf("the README's table has no curl line for %s %s", req.method, req.path)
		}
	}
}
