package auth0fake

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// deepArrays returns a user_metadata member "a" of depth nested arrays
// around n zeros: a walk to its elements reads the whole of it once per
// level.
func deepArrays(depth, n int) string {
	return `"user_metadata":{"a":` + strings.Repeat("[", depth) + strings.Repeat("0,", n) + "0" + strings.Repeat("]", depth) + `}`
}

// tooCostly is the answer of a list request over the default budget.
const tooCostly = `{"statusCode":400,"error":"Bad Request","message":"Request too costly for the fake: it would read more than 128 MiB of stored documents (narrow q, drop sort, or lower per_page)","errorCode":"invalid_query_string"}`

// TestListWorkBudget checks that a list request which would read more
// than the default budget of stored documents is a 400 that says so,
// whatever reads them: q terms, the sort key or both. One user of 1 MB
// whose metadata is 95 nested arrays costs about 95 MB a walk: one walk
// is under the budget, two are over. (Before the budget, every such
// request read all it wanted: 16 terms over twenty such users took 16 s.)
func TestListWorkBudget(t *testing.T) {
	f := newFake(t, Options{MaxBodyBytes: 2 << 20})
	f.createUser("deep@example.com", deepArrays(95, 500_000))
	f.createUser("flat@example.com", "")
	tests := []struct {
		name, why, query string
		code             int
		want             string
	}{
		{"one walk", "95 levels of 1 MB, read once each: under 128 MiB", "q=" + url.QueryEscape("user_metadata.a:0"), 200, "deep@example.com"},
		{"sort", "the sort key walks as a term does", "sort=user_metadata.a:1", 200, "deep@example.com flat@example.com"},
		{"two walks", "two terms through the arrays: over", "q=" + url.QueryEscape("user_metadata.a:0 user_metadata.a:0"), 400, tooCostly},
		{"term and sort", "a term and the sort key: over", "q=" + url.QueryEscape("user_metadata.a:0") + "&sort=user_metadata.a:1", 400, tooCostly},
		{"sixteen walks", "the longest q: over, at once", "q=" + url.QueryEscape(strings.TrimSpace(strings.Repeat("user_metadata.a:0 ", 16))), 400, tooCostly},
		{"cheap term", "a term that stops at the root member reads the document once", "q=" + url.QueryEscape("email:flat*"), 200, "flat@example.com"},
	}
	for _, tc := range tests {
		code, body := f.do("GET", "/api/v2/users?"+tc.query, "")
		got := body
		if code == 200 {
			got = emails(body, "")
		}
		if code != tc.code || got != tc.want {
			t.Errorf("%s (%s): %d %.300s\nwant %d %s", tc.name, tc.why, code, got, tc.code, tc.want)
		}
	}
}

// discard is a ResponseWriter that records what a handler did with it.
type discard struct {
	header  http.Header
	status  int
	written int
}

func (d *discard) Header() http.Header {
	if d.header == nil {
		d.header = http.Header{}
	}
	return d.header
}
func (d *discard) WriteHeader(code int) { d.status = code }
func (d *discard) Write(p []byte) (int, error) {
	if d.status == 0 {
		d.status = 200
	}
	d.written += len(p)
	return len(p), nil
}

// TestListCancelled sends list requests whose context is already done
// (the client has gone): the handler stops before it reads a document
// and writes nothing. Before, it answered in full whatever the context.
func TestListCancelled(t *testing.T) {
	f := newFake(t, Options{})
	for i := 0; i < 20; i++ {
		f.createUser("u"+strconv.Itoa(i)+"@example.com", `"user_metadata":{"plan":"pro"}`)
	}
	f.createClient("")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, path := range []string{
		"/api/v2/users?q=user_metadata.plan:pro",
		"/api/v2/users?sort=email:1",
		"/api/v2/users",
		"/api/v2/clients?q=name:app",
		"/api/v2/clients",
	} {
		r := httptest.NewRequestWithContext(ctx, "GET", path, nil)
		r.Header.Set("Authorization", "Bearer "+testToken)
		var w discard
		f.s.ServeHTTP(&w, r)
		if w.status != 0 || w.written != 0 {
			t.Errorf("%s with its context done: status %d, %d bytes written; want nothing", path, w.status, w.written)
		}
	}
}

// TestListPageAllocs lists a page of 50 users of 1 MB (50 MB): the page
// is streamed, not built in memory. Before, the answer was built and
// copied whole: 352 MB allocated for it. With fields, each document is
// read through gjson, which copies it (ParseBytes): that is the most a
// list request allocates, a copy of what it reads, which the budget caps.
func TestListPageAllocs(t *testing.T) {
	if testing.Short() {
		t.Skip("stores 50 MB")
	}
	f := newFake(t, Options{MaxBodyBytes: 2 << 20})
	big := strings.Repeat("x", 1_000_000)
	for i := 0; i < 50; i++ {
		f.createUser("p"+strconv.Itoa(i)+"@example.com", `"user_metadata":{"s":"`+big+`"}`)
	}
	for _, tc := range []struct {
		query     string
		maxAlloc  uint64
		minLength int
	}{
		{"per_page=50", 1 << 20, 50_000_000},
		{"per_page=50&include_totals=true", 1 << 20, 50_000_000},
		{"per_page=50&fields=email", 51 << 20, 50 * len(`{"email":"p0@example.com"}`)},
	} {
		r := httptest.NewRequest("GET", "/api/v2/users?"+tc.query, nil)
		r.Header.Set("Authorization", "Bearer "+testToken)
		var w discard
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		f.s.ServeHTTP(&w, r)
		runtime.ReadMemStats(&after)
		if got := after.TotalAlloc - before.TotalAlloc; w.status != 200 || w.written < tc.minLength || got > tc.maxAlloc {
			t.Errorf("%s: status %d, %d bytes, %d bytes allocated; want 200, at least %d bytes and at most %d allocated", tc.query, w.status, w.written, got, tc.minLength, tc.maxAlloc)
		}
	}
}
