package auth0fake

import (
	"fmt"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
)

// maxPatchAlloc is the most a PATCH to the fake allocates per byte of its
// body, as the package documentation states: mgmt's merge (at most 24
// times the body, for 150,000 tiny members), plus reading the body and
// writing the answer.
const maxPatchAlloc = 32

// TestPatchBytes holds the documented bound over HTTP for the costliest
// shapes of mgmt's TestPatchBytes: tiny members, nested members, nulls,
// and a long string, each just under 1 MiB.
func TestPatchBytes(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates a few hundred MB")
	}
	f := newFake(t, Options{})
	members := func(format string) string {
		var b strings.Builder
		b.WriteString(`{"user_metadata":{"_":0`)
		for i := 0; b.Len() < 1<<20-40; i++ {
			fmt.Fprintf(&b, format, i)
		}
		return b.String() + `}}`
	}
	big := f.createUser("big@example.com", "")
	for _, tc := range []struct{ name, body, id string }{
		{"tiny members", members(`,"%x":0`), ""},
		{"nested members", members(`,"%x":{"a":0}`), ""},
		{"null members", members(`,"%x":null`), ""},
		{"long string", `{"user_metadata":{"a":"` + strings.Repeat("x", 1<<20-30) + `"}}`, ""},
		// The same user twice: the second PATCH merges into a stored
		// document of 1 MiB, and changes every member.
		{"onto 1 MiB", members(`,"%x":0`), big},
		{"onto 1 MiB again", members(`,"%x":1`), big},
	} {
		name, body, id := tc.name, tc.body, tc.id
		if id == "" {
			id = f.createUser(strings.ReplaceAll(name, " ", "")+"@example.com", "")
		}
		r := httptest.NewRequest("PATCH", userPath(id), strings.NewReader(body))
		r.Header.Set("Authorization", "Bearer "+testToken)
		w := httptest.NewRecorder()
		var m0, m1 runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&m0)
		f.s.ServeHTTP(w, r)
		runtime.ReadMemStats(&m1)
		n := m1.TotalAlloc - m0.TotalAlloc
		ratio := float64(n) / float64(len(body))
		t.Logf("%-15s %8d B body: %d %10d B = %5.1fx", name, len(body), w.Code, n, ratio)
		if w.Code != 200 || ratio > maxPatchAlloc {
			t.Errorf("%s: PATCH of %d bytes: %d, allocated %d bytes, %.1f times; the bound is %d", name, len(body), w.Code, n, ratio, maxPatchAlloc)
		}
	}
}
