package auth0fake

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tidwall/gjson"
)

// auth0Time is the shape of every created_at and updated_at.
var auth0Time = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`)

// TestClockStaysInRange is the generator of F4's class: a fixed clock
// started at each end of the years 0000 to 9999 (and Options.Now past
// them), each step, five creates. Every created_at has Auth0's shape with
// a four-digit year and never goes back; GET /_fake/clock answers a time
// PUT takes back; a sort and a range see the creates in order.
func TestClockStaysInRange(t *testing.T) {
	starts := []string{"9999-12-31T23:59:59Z", "9999-12-31T23:59:59.999999999Z", "9999-12-30T00:00:00Z", "0000-01-01T00:00:00Z", "2030-01-01T00:00:00Z"}
	steps := []string{"0s", "1ns", "1ms", "1h", "24h"}
	for _, start := range starts {
		for _, step := range steps {
			f := newFake(t, Options{Control: true})
			f.must(200, "PUT", "/_fake/clock", `{"time":"`+start+`","step":"`+step+`"}`)
			prev := ""
			for i := range 5 {
				id := f.createUser(fmt.Sprintf("u%d@example.com", i), "")
				at := gjson.Get(f.must(200, "GET", userPath(id), ""), "created_at").Str
				if !auth0Time.MatchString(at) || at < prev {
					t.Errorf("start %s step %s: create %d at %q after %q", start, step, i, at, prev)
				}
				prev = at
			}
			clock := f.must(200, "GET", "/_fake/clock", "")
			again := f.must(200, "PUT", "/_fake/clock", `{"time":`+gjson.Get(clock, "time").Raw+`,"step":"`+step+`"}`)
			if again != clock {
				t.Errorf("start %s step %s: GET %s, PUT of its time %s", start, step, clock, again)
			}
			list := f.must(200, "GET", "/api/v2/users?sort=created_at:-1&fields=created_at", "")
			var got []string
			for _, u := range gjson.Get(list, "#.created_at").Array() {
				got = append(got, u.Str)
			}
			for i := 1; i < len(got); i++ {
				if got[i] > got[i-1] {
					t.Errorf("start %s step %s: sort=created_at:-1 gives %v", start, step, got)
				}
			}
			if start > "5000" { // every create is after 2000: none in the range
				if n := gjson.Get(f.must(200, "GET", "/api/v2/users?q="+url.QueryEscape("created_at:[* TO 2000-01-01]"), ""), "#").Int(); n != 0 {
					t.Errorf("start %s step %s: %d users created before 2000", start, step, n)
				}
			}
		}
	}
	// A server clock past year 9999 reads as its last instant.
	f := newFake(t, Options{Control: true, Now: func() time.Time { return time.Date(12345, 1, 1, 0, 0, 0, 0, time.UTC) }})
	if got := f.must(200, "GET", "/_fake/clock", ""); got != `{"fixed":false,"time":"9999-12-31T23:59:59.999999999Z","step":"0s"}` {
		t.Errorf("Options.Now past 9999: %s", got)
	}
	id := f.createUser("late@example.com", "")
	if at := gjson.Get(f.must(200, "GET", userPath(id), ""), "created_at").Str; at != "9999-12-31T23:59:59.999Z" {
		t.Errorf("Options.Now past 9999: created_at %s", at)
	}
}

// TestClockStopsAtYear9999 is the report's case: a clock fixed at the
// last second of 9999, a step of a day, two creates: the second stops at
// the last instant of the year 9999 instead of running into 10000.
func TestClockStopsAtYear9999(t *testing.T) {
	f := newFake(t, Options{Control: true})
	f.must(200, "PUT", "/_fake/clock", `{"time":"9999-12-31T23:59:59Z","step":"24h"}`)
	var at []string
	for i := range 2 {
		id := f.createUser(fmt.Sprintf("y%d@example.com", i), "")
		at = append(at, gjson.Get(f.must(200, "GET", userPath(id), ""), "created_at").Str)
	}
	if want := []string{"9999-12-31T23:59:59.000Z", "9999-12-31T23:59:59.999Z"}; strings.Join(at, " ") != strings.Join(want, " ") {
		t.Errorf("created_at %v, want %v", at, want)
	}
	if got := f.must(200, "GET", "/_fake/clock", ""); got != `{"fixed":true,"time":"9999-12-31T23:59:59.999999999Z","step":"24h0m0s"}` {
		t.Errorf("GET /_fake/clock: %s", got)
	}
}

// TestClockTimes checks the times PUT /_fake/clock takes (what RFC 3339
// allows that Go represents: "t" and "z" in either case, offsets,
// nanoseconds, within 0000 to 9999 in UTC) and those it refuses, with
// why: a leap second, a time whose UTC leaves the years 0000 to 9999.
func TestClockTimes(t *testing.T) {
	f := newFake(t, Options{Control: true})
	for _, c := range []struct{ in, want string }{
		{"2030-01-02t03:04:05z", "2030-01-02T03:04:05Z"},
		{"2030-01-02t03:04:05Z", "2030-01-02T03:04:05Z"},
		{"2030-01-02T03:04:05z", "2030-01-02T03:04:05Z"},
		{"2030-01-02t03:04:05.123456789+05:30", "2030-01-01T21:34:05.123456789Z"},
		{"0000-01-01T00:00:00Z", "0000-01-01T00:00:00Z"},
		{"0000-01-01T00:59:00+00:59", "0000-01-01T00:00:00Z"},
		{"9999-12-31T23:59:59.999999999Z", "9999-12-31T23:59:59.999999999Z"},
		{"9999-12-31T22:00:00-01:59", "9999-12-31T23:59:00Z"},
	} {
		got := f.must(200, "PUT", "/_fake/clock", `{"time":"`+c.in+`"}`)
		if want := `{"fixed":true,"time":"` + c.want + `","step":"0s"}`; got != want {
			t.Errorf("PUT %s: %s, want %s", c.in, got, want)
		}
	}
	bad := func(text, why string) string {
		return `{"statusCode":400,"error":"Bad Request","message":` + string(jsonString("Payload validation error: 'Invalid time "+fmt.Sprintf("%q", text)+": "+why+"' on property time")) + `,"errorCode":"invalid_body"}`
	}
	const rfc = `RFC 3339, such as "2030-01-02T03:04:05Z"`
	const leap = "a leap second (:60) cannot be represented; use :59"
	for _, c := range []struct{ in, want string }{
		{"2016-12-31T23:59:60Z", bad("2016-12-31T23:59:60Z", leap)},
		{"2016-12-31t23:59:60.5z", bad("2016-12-31t23:59:60.5z", leap)},
		{"2016-12-31T23:59:61Z", bad("2016-12-31T23:59:61Z", rfc)},
		{"2016-12-31T23:60:60Z", bad("2016-12-31T23:60:60Z", rfc)},
		{"10000-01-01T00:00:00Z", bad("10000-01-01T00:00:00Z", rfc)},
		{"9999-12-31T23:59:59-00:01", bad("9999-12-31T23:59:59-00:01", "it is 10000-01-01T00:00:59Z in UTC; the clock keeps to the years 0000 to 9999")},
		{"0000-01-01T00:00:00+00:01", bad("0000-01-01T00:00:00+00:01", "it is -0001-12-31T23:59:00Z in UTC; the clock keeps to the years 0000 to 9999")},
		{"2030-01-02 03:04:05Z", bad("2030-01-02 03:04:05Z", rfc)},
		{"2030-02-30T00:00:00Z", bad("2030-02-30T00:00:00Z", rfc)},
		{"2030-01-02T03:04:05", bad("2030-01-02T03:04:05", rfc)},
		{"t", bad("t", rfc)},
		{"z", bad("z", rfc)},
		{"", bad("", rfc)},
	} {
		if code, body := f.do("PUT", "/_fake/clock", `{"time":"`+c.in+`"}`); code != 400 || body != c.want {
			t.Errorf("PUT %s: %d %s\nwant 400 %s", c.in, code, body, c.want)
		}
	}
}

// TestClockStepsOnlyOnStore is the table of F5's class: with the clock
// fixed, no request takes a step unless it stores something (a create, a
// PATCH that changes the document, a signup): each refused, read-only or
// unchanged request leaves GET /_fake/clock as it was; then each storing
// one takes exactly one step, its time the one before the step.
func TestClockStepsOnlyOnStore(t *testing.T) {
	f := newFake(t, Options{Control: true})
	jane := f.createUser("jane@example.com", `"name":"Jane"`)
	client := f.createClient("")
	f.must(200, "PUT", "/_fake/clock", `{"time":"2030-01-01T00:00:00Z","step":"1h"}`)
	const at0 = `{"fixed":true,"time":"2030-01-01T00:00:00Z","step":"1h0m0s"}`
	for _, c := range []struct {
		name, method, path, body string
		status                   int
	}{
		{"create: bad email", "POST", "/api/v2/users", `{"connection":"db","email":"nope","password":"x"}`, 400},
		{"create: no password", "POST", "/api/v2/users", `{"connection":"db","email":"a@example.com"}`, 400},
		{"create: not JSON", "POST", "/api/v2/users", `{`, 400},
		{"create: taken email", "POST", "/api/v2/users", `{"connection":"Username-Password-Authentication","email":"jane@example.com","password":"x"}`, 409},
		{"create: taken id", "POST", "/api/v2/users", `{"connection":"Username-Password-Authentication","email":"j2@example.com","password":"x","user_id":"` + strings.TrimPrefix(jane, "auth0|") + `"}`, 409},
		{"create client: no name", "POST", "/api/v2/clients", `{}`, 400},
		{"patch: schema", "PATCH", userPath(jane), `{"user_metadata":1}`, 400},
		{"patch: missing user", "PATCH", userPath("auth0|nobody"), `{"name":"x"}`, 404},
		{"patch: changes nothing", "PATCH", userPath(jane), `{"name":"Jane"}`, 200},
		{"patch client: changes nothing", "PATCH", "/api/v2/clients/" + client, `{}`, 200},
		{"signup: no password", "POST", "/dbconnections/signup", `{"email":"s@example.com","connection":"db"}`, 400},
		{"signup: bad metadata", "POST", "/dbconnections/signup", `{"email":"s@example.com","password":"p","connection":"db","user_metadata":["x"]}`, 400},
		{"signup: taken", "POST", "/dbconnections/signup", `{"email":"jane@example.com","password":"p","connection":"Username-Password-Authentication"}`, 400},
		{"get", "GET", userPath(jane), "", 200},
		{"list", "GET", "/api/v2/users?q=name:Jane", "", 200},
		{"delete missing", "DELETE", userPath("auth0|nobody"), "", 204},
		{"seed", "POST", "/_fake/users", `{"user_id":"seeded"}`, 200},
	} {
		if code, body := f.do(c.method, c.path, c.body); code != c.status {
			t.Errorf("%s: %d %s, want %d", c.name, code, body, c.status)
		}
		if got := f.must(200, "GET", "/_fake/clock", ""); got != at0 {
			t.Errorf("%s took a step: %s", c.name, got)
		}
	}
	// A 429 with Retry-After shows the time, without taking a step.
	f.must(201, "POST", "/_fake/faults", `{"times":1,"status":429,"retry_after":"2s"}`)
	code, _, h := f.doHeader("GET", "/api/v2/users")
	if reset := time.Date(2030, 1, 1, 0, 0, 2, 0, time.UTC).Unix(); code != 429 || h.Get("X-Ratelimit-Reset") != fmt.Sprint(reset) {
		t.Errorf("429: %d X-Ratelimit-Reset %q, want %d", code, h.Get("X-Ratelimit-Reset"), reset)
	}
	if got := f.must(200, "GET", "/_fake/clock", ""); got != at0 {
		t.Errorf("a 429 took a step: %s", got)
	}
	// Each stored write takes one step.
	ada := f.createUser("ada@example.com", "")
	if at := gjson.Get(f.must(200, "GET", userPath(ada), ""), "created_at").Str; at != "2030-01-01T00:00:00.000Z" {
		t.Errorf("the first create after refused requests: created_at %s", at)
	}
	if at := gjson.Get(f.must(200, "PATCH", userPath(jane), `{"name":"Janet"}`), "updated_at").Str; at != "2030-01-01T01:00:00.000Z" {
		t.Errorf("a PATCH that changes: updated_at %s", at)
	}
	f.must(200, "POST", "/dbconnections/signup", `{"email":"s@example.com","password":"p","connection":"db"}`)
	if got := f.must(200, "GET", "/_fake/clock", ""); got != `{"fixed":true,"time":"2030-01-01T03:00:00Z","step":"1h0m0s"}` {
		t.Errorf("after three stored writes: %s", got)
	}
}

// TestClockConcurrentWrites runs creates, refused creates and PATCHes at
// once with the clock fixed: the stored writes have distinct times, one
// step apart with none skipped, whatever the refused ones did.
func TestClockConcurrentWrites(t *testing.T) {
	f := newFake(t, Options{Control: true})
	jane := f.createUser("jane@example.com", "")
	start := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	f.must(200, "PUT", "/_fake/clock", `{"time":"2030-01-01T00:00:00Z","step":"1s"}`)
	const n = 16
	var wg sync.WaitGroup
	times := make(chan string, 2*n)
	for i := range n {
		wg.Add(3)
		go func() {
			defer wg.Done()
			_, body := f.do("POST", "/api/v2/users", fmt.Sprintf(`{"connection":"db","email":"c%d@example.com","password":"x"}`, i))
			times <- gjson.Get(body, "created_at").Str
		}()
		go func() {
			defer wg.Done()
			f.do("POST", "/api/v2/users", `{"connection":"db","email":"bad","password":"x"}`)
		}()
		go func() {
			defer wg.Done()
			_, body := f.do("PATCH", userPath(jane), fmt.Sprintf(`{"user_metadata":{"n":%d}}`, i))
			times <- gjson.Get(body, "updated_at").Str
		}()
	}
	wg.Wait()
	close(times)
	seen := map[string]bool{}
	for at := range times {
		seen[at] = true
	}
	for i := range 2 * n {
		if at := start.Add(time.Duration(i) * time.Second).Format("2006-01-02T15:04:05.000Z"); !seen[at] {
			t.Errorf("no stored write at %s; got %v", at, seen)
		}
	}
	if got := f.must(200, "GET", "/_fake/clock", ""); got != `{"fixed":true,"time":"2030-01-01T00:00:32Z","step":"1s"}` {
		t.Errorf("after 32 stored writes: %s", got)
	}
}
