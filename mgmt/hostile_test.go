package mgmt

import (
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tidwall/gjson"
)

// wideObject returns an object of n members "k0".."kn-1", each 1.
func wideObject(n int) string {
	var b strings.Builder
	b.WriteByte('{')
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`"k` + strconv.Itoa(i) + `":1`)
	}
	return b.String() + "}"
}

// TestWideSettingsLinear checks that the member-by-member merge of the
// settings objects costs in proportion to their size, since an attacker
// controls both the stored object and the PATCH: merging 8 times the
// members takes about 8 times as long, not 64 times (the bound, 24 times,
// leaves room for a noisy machine; each size takes the best of three
// runs), and a PATCH of 40,000 members onto as many, 429 KB, is applied
// in well under 5 s for every settings object (a quadratic merge took
// 86 s; a linear one takes about 0.1 s).
func TestWideSettingsLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("times merges of wide bodies")
	}
	best := func(f func()) time.Duration {
		d := time.Duration(1 << 62)
		for range 5 {
			runtime.GC() // a collection inside one run is noise, not the merge's cost
			start := time.Now()
			f()
			d = min(d, time.Since(start))
		}
		return d
	}
	merge := func(n int) time.Duration {
		wide := gjson.Parse(wideObject(n))
		return best(func() { mergeObject(wide, wide) })
	}
	// Eight times the members: about 8 times the time when linear, 64 when
	// quadratic; the sizes keep both runs in milliseconds, where the
	// machine's noise is small beside them.
	if small, large := merge(2000), merge(16000); large > 32*small {
		t.Errorf("mergeObject: %v for 2,000 members, %v for 16,000: not linear", small, large)
	}
	wide := wideObject(40000)
	for _, member := range settingsMembers {
		doc, _, err := Clients{}.Create([]byte(`{"name":"a","`+member+`":`+wide+`}`), now)
		if err != nil {
			t.Fatalf("%s: %v", member, err)
		}
		p, err := Clients{}.Patch([]byte(`{"` + member + `":` + wide + `}`))
		if err != nil {
			t.Fatalf("%s: %v", member, err)
		}
		start := time.Now()
		if _, _, err := p.Apply(doc, now); err != nil {
			t.Fatalf("%s: %v", member, err)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("%s: a PATCH of 40,000 members onto as many took %v", member, d)
		}
	}
}
