package mgmt

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// patchShape is a PATCH body made of a prefix, as many items as fit in
// the size wanted, and a suffix.
type patchShape struct {
	res            Resource
	prefix, suffix string
	item           func(i int) string // the i-th item, separator included
}

// patchShapes are the PATCH bodies that make the merge work hardest per
// byte: many tiny members, names that break a rule, nulls, deep and
// many arrays, escaped strings and names, one long string.
var patchShapes = map[string]patchShape{
	"tiny members":        {Users{}, `{"user_metadata":{"_":0`, `}}`, func(i int) string { return fmt.Sprintf(`,"%x":0`, i) }},
	"nested members":      {Users{}, `{"user_metadata":{"_":0`, `}}`, func(i int) string { return fmt.Sprintf(`,"%x":{"a":0}`, i) }},
	"dotted names":        {Users{}, `{"user_metadata":{"_":0`, `}}`, func(i int) string { return fmt.Sprintf(`,"%x.":0`, i) }},
	"null members":        {Users{}, `{"user_metadata":{"_":0`, `}}`, func(i int) string { return fmt.Sprintf(`,"%x":null`, i) }},
	"client null members": {Clients{}, `{"client_metadata":{"_":"x"`, `}}`, func(i int) string { return fmt.Sprintf(`,"%x":null`, i) }},
	"deep arrays":         {Users{}, `{"user_metadata":{"a":` + strings.Repeat("[", 90) + "0", strings.Repeat("]", 90) + `}}`, func(int) string { return ",0" }},
	"many small arrays":   {Users{}, `{"user_metadata":{"a":[[]`, `]}}`, func(int) string { return ",[]" }},
	"many small objects":  {Users{}, `{"user_metadata":{"a":[{}`, `]}}`, func(int) string { return ",{}" }},
	"escaped string":      {Users{}, `{"user_metadata":{"a":"`, `"}}`, func(int) string { return `\u0001` }},
	"escaped client name": {Clients{}, `{"client_metadata":{"`, `":"x"}}`, func(int) string { return `\u0001` }},
	"long string":         {Users{}, `{"user_metadata":{"a":"`, `"}}`, func(int) string { return "x" }},
}

// body returns the shape's body of at most max bytes.
func (s patchShape) body(max int) []byte {
	b := []byte(s.prefix)
	for i := 0; ; i++ {
		it := s.item(i)
		if len(b)+len(it)+len(s.suffix) > max {
			return append(b, s.suffix...)
		}
		b = append(b, it...)
	}
}

// patchBytes returns the bytes a whole PATCH of body allocates: check,
// merge with stored, and the answer.
func patchBytes(res Resource, body, stored []byte) uint64 {
	var m0, m1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m0)
	p, err := res.Patch(body)
	if err != nil {
		res.Answer(err)
	} else if _, _, err := p.Apply(stored, now); err != nil {
		p.Answer(err)
	}
	runtime.ReadMemStats(&m1)
	return m1.TotalAlloc - m0.TotalAlloc
}

// maxPatchAlloc is the most a PATCH allocates per byte of its body, as
// mgmt/doc.go states: the merge keeps a record of about 140 bytes for
// each member, so a body of 150,000 tiny members ("a":0) is the worst
// shape, at about 20 times its size; strings and arrays cost about 4.
const maxPatchAlloc = 24

// TestPatchBytes holds the documented bound: a whole PATCH of just under
// 1 MiB, of each of the costliest shapes, allocates at most maxPatchAlloc
// times its size.
func TestPatchBytes(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	small := []byte(`{"user_id":"auth0|42","client_id":"c","user_metadata":{"theme":"dark"},"app_metadata":{"plan":"pro"},"client_metadata":{"k":"v"}}`)
	check := func(name string, res Resource, body, stored []byte) {
		n := patchBytes(res, body, stored)
		ratio := float64(n) / float64(len(body)+len(stored))
		t.Logf("%-20s %8d B body, %8d B stored: %10d B = %5.1fx", name, len(body), len(stored), n, ratio)
		if ratio > maxPatchAlloc {
			t.Errorf("%s: a PATCH of %d bytes into %d allocates %d bytes, %.1f times; the bound is %d", name, len(body), len(stored), n, ratio, maxPatchAlloc)
		}
	}
	for name, s := range patchShapes {
		check(name, s.res, s.body(1<<20), small)
	}
	// Into a stored document as large, every member changed.
	stored, _, err := Users{}.Create(append([]byte(`{"connection":"c","password":"pw",`), patchShapes["tiny members"].body(1 << 20)[1:]...), now)
	if err != nil {
		t.Fatal(err)
	}
	changed := patchShape{Users{}, `{"user_metadata":{"_":1`, `}}`, func(i int) string { return fmt.Sprintf(`,"%x":1`, i) }}
	check("tiny members into as many", Users{}, changed.body(1<<20), stored)
}
