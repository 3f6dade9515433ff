package auth0fake

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/tidwall/gjson"
)

// TestWorkStopsMidList cancels a list request's context while it walks
// the stored documents (the client gives up): it reads no further
// document and writes nothing.
func TestWorkStopsMidList(t *testing.T) {
	f := newFake(t, Options{})
	for i := 0; i < 50; i++ {
		f.createUser("u"+strconv.Itoa(i)+"@example.com", "")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	last := -1
	f.s.onDoc = func(n int) {
		last = n
		if n == 10 {
			cancel()
		}
	}
	r := httptest.NewRequestWithContext(ctx, "GET", "/api/v2/users?q=email:u*", nil)
	r.Header.Set("Authorization", "Bearer "+testToken)
	var w discard
	f.s.ServeHTTP(&w, r)
	if last != 10 || w.status != 0 || w.written != 0 {
		t.Errorf("cancelled at document 10: the last document read was %d, status %d, %d bytes written; want 10 and nothing", last, w.status, w.written)
	}
}

// TestWorkStopsMidDocument cancels the context of a walk through one
// document of 95 nested arrays (95 MB of reading): the walk stops at the
// next look at the context, having read the root only.
func TestWorkStopsMidDocument(t *testing.T) {
	doc := `{"user_metadata":{"a":` + strings.Repeat("[", 95) + strings.Repeat("0,", 500_000) + "0" + strings.Repeat("]", 95) + `}}`
	tm := term{path: []string{"user_metadata", "a"}, value: "1"}

	w := newWork(context.Background(), 1<<40)
	if tm.matches(gjson.Parse(doc), w) || w.stop != running {
		t.Fatalf("an uncancelled walk: stop %d", w.stop)
	}
	full := w.budget - w.left
	if full < 95*int64(len(doc))/2 {
		t.Fatalf("a full walk charged %d bytes; the arrays alone are read 95 times over %d", full, len(doc))
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	w = newWork(ctx, 1<<40)
	if tm.matches(gjson.Parse(doc), w) || w.stop != cancelled {
		t.Fatalf("a cancelled walk: stop %d, want cancelled", w.stop)
	}
	if read := w.budget - w.left; read > int64(len(doc))+checkEvery {
		t.Errorf("a cancelled walk read %d bytes of %d (a full walk: %d)", read, len(doc), full)
	}
}

// TestWorkBudgetExact sets Options.MaxWorkBytes to the bytes of a page:
// the page is answered; one byte less is a 400 that names the budget.
func TestWorkBudgetExact(t *testing.T) {
	f := newFake(t, Options{})
	for i := 0; i < 3; i++ {
		f.createUser("u"+strconv.Itoa(i)+"@example.com", "")
	}
	page := len(f.must(http.StatusOK, "GET", "/api/v2/users", "")) - len("[,,]") // the three documents
	for _, tc := range []struct {
		budget int64
		code   int
		want   string
	}{
		{int64(page), 200, "u0@example.com u1@example.com u2@example.com"},
		{int64(page - 1), 400, `{"statusCode":400,"error":"Bad Request","message":"Request too costly for the fake: it would read more than ` + strconv.Itoa(page-1) + ` bytes of stored documents (narrow q, drop sort, or lower per_page)","errorCode":"invalid_query_string"}`},
	} {
		f.s.budget = tc.budget
		code, body := f.do("GET", "/api/v2/users", "")
		if code == 200 {
			body = emails(body, "")
		}
		if code != tc.code || body != tc.want {
			t.Errorf("budget %d for a page of %d bytes: %d %s\nwant %d %s", tc.budget, page, code, body, tc.code, tc.want)
		}
	}
	if _, err := New(Options{MaxWorkBytes: -1}); err == nil || err.Error() != "auth0fake: Options.MaxWorkBytes is -1; a limit is 0 (the default) or more" {
		t.Errorf("a negative MaxWorkBytes: %v", err)
	}
	s, err := New(Options{MaxWorkBytes: 5})
	if err != nil || s.budget != 5 {
		t.Errorf("MaxWorkBytes 5: %v, budget %d", err, s.budget)
	}
}
