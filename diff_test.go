package metamerge_test

// Do the diffs keep D1-D7 on generated documents?

import (
	"bytes"
	"fmt"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/metamerge/metamerge"
)

// FuzzDiff holds the diff to D1–D7 on generated documents: for a valid
// before and a patch the merge accepts, with after the merge, the diff
// exists, merges back to after (D1), names only what changes (D3) and
// deletes with null (D4); the three-way diff never deletes what base
// lacks, and keeps what others wrote (D6); the change report agrees with
// a comparison of before and after (D7).
func FuzzDiff(f *testing.F) {
	for _, s := range []string{"", "\x01\x00\x06\x02\x08\x02\x05\x00\x00\x02\x00", "\x02\x03\x07\x01\x08\x03\x05\x01\x00\x02\x01\x05",
		"\xff\xfe\xfd\x10\x20\x30\x40\x50\x60\x70", "\x03\x01\x06\x04\x08\x04\x05\x00\x01\x02\x00\x09\x00\x04\x04\x04"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, program []byte) {
		g := &treeGen{b: program}
		before, patch, patch2 := g.doc(rootNames), g.doc(rootNames), g.doc(rootNames)
		for _, side := range []struct {
			name   string
			merge  func(a, b []byte) ([]byte, error)
			report func(a, b []byte) ([]byte, []metamerge.Change, error)
			diff   func(a, b []byte) ([]byte, error)
			diff3  func(a, b, c []byte) ([]byte, error)
			fields []string
		}{
			{"user", metamerge.MergeUser, metamerge.UserRules{}.MergeReport, metamerge.DiffUser, metamerge.UserRules{}.Diff3, []string{"user_metadata", "app_metadata"}},
			{"client", metamerge.MergeClient, metamerge.ClientRules{}.MergeReport, metamerge.DiffClient, metamerge.ClientRules{}.Diff3, []string{"client_metadata"}},
		} {
			after, err := side.merge(before, patch)
			if err != nil {
				continue
			}
			merged, changes, err := side.report(before, patch)
			if err != nil || !bytes.Equal(merged, after) {
				t.Fatalf("%s: MergeReport gave %s, %v; Merge %s", side.name, merged, err, after)
			}
			if want := expectedChanges(t, before, patch, after, side.fields); !slices.Equal(sorted(changes), sorted(want)) {
				t.Fatalf("%s: report of %s + %s:\n got %v\nwant %v", side.name, before, patch, changes, want)
			}
			d, err := side.diff(before, after)
			if err != nil {
				t.Fatalf("%s: no diff from %s to %s (after the merge of %s): %v", side.name, before, after, patch, err)
			}
			back, err := side.merge(before, d)
			if err != nil || !equalDocs(back, after) {
				t.Fatalf("%s: D1: %s + diff %s = %s, %v; want %s", side.name, before, d, back, err, after)
			}
			checkMinimal(t, before, after, d, side.fields)
			if eq, _ := metamerge.Equal(before, after); eq != bytes.Equal(d, []byte("{}")) {
				t.Fatalf("%s: D3: before %s and after %s equal %v, diff %s", side.name, before, after, eq, d)
			}

			live, err := side.merge(before, patch2) // someone else's write
			if err != nil {
				continue
			}
			d3, err := side.diff3(before, after, live)
			if err != nil {
				continue // desired (after) may need what live makes unreachable, such as an 11th key
			}
			checkThreeWay(t, before, after, live, d3, side.merge, side.fields)
		}
	})
}

func sorted(c []metamerge.Change) []metamerge.Change {
	c = slices.Clone(c)
	slices.SortFunc(c, func(a, b metamerge.Change) int {
		if a.Pointer != b.Pointer {
			return cmpString(a.Pointer, b.Pointer)
		}
		return cmpString(string(a.Op), string(b.Op))
	})
	return c
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func equalDocs(a, b []byte) bool {
	eq, err := metamerge.Equal(a, b)
	return err == nil && eq
}

// members returns the root members of a valid object document by name,
// with the model's parser.
func members(t *testing.T, doc []byte) map[string]*mNode {
	t.Helper()
	n, d := mParse(doc, 0)
	if len(d) > 0 {
		t.Fatalf("not valid: %s", doc)
	}
	out := map[string]*mNode{}
	for _, m := range n.members {
		out[m.name] = m.val
	}
	return out
}

func fieldMembers(v *mNode) map[string]*mNode {
	out := map[string]*mNode{}
	if v != nil && v.kind == '{' {
		for _, m := range v.members {
			out[m.name] = m.val
		}
	}
	return out
}

func same(a, b *mNode) bool { return equalDocs([]byte(a.raw), []byte(b.raw)) }

// expectedChanges compares before and after as D7 says, knowing which
// fields the patch set to {}.
func expectedChanges(t *testing.T, before, patch, after []byte, fields []string) []metamerge.Change {
	b, p, a := members(t, before), members(t, patch), members(t, after)
	var out []metamerge.Change
	add := func(op metamerge.ChangeOp, ptr string) { out = append(out, metamerge.Change{Op: op, Pointer: ptr}) }
	for name, pv := range p {
		ptr := "/" + mToken(name)
		if !slices.Contains(fields, name) {
			switch bv, ok := b[name]; {
			case !ok && pv.kind != 'n':
				add(metamerge.ChangeAdd, ptr)
			case ok && pv.kind == 'n':
				add(metamerge.ChangeRemove, ptr)
			case ok && !same(bv, pv):
				add(metamerge.ChangeReplace, ptr)
			}
			continue
		}
		bv, had := b[name]
		av, has := a[name]
		switch {
		case had && !has:
			add(metamerge.ChangeRemove, ptr)
			continue
		case !had && has:
			add(metamerge.ChangeAdd, ptr)
		case had && has && bv.kind != '{':
			add(metamerge.ChangeReplace, ptr)
		case had && has && len(pv.members) == 0 && len(bv.members) > 0:
			add(metamerge.ChangeClear, ptr)
			continue
		}
		bm, am := fieldMembers(bv), fieldMembers(av)
		for _, m := range pv.members {
			old, was := bm[m.name]
			_, is := am[m.name]
			kp := ptr + "/" + mToken(m.name)
			switch {
			case !was && is:
				add(metamerge.ChangeAdd, kp)
			case was && !is:
				add(metamerge.ChangeRemove, kp)
			case was && is && !same(old, m.val):
				add(metamerge.ChangeReplace, kp)
			}
		}
	}
	return out
}

// checkMinimal checks D3 and D4: every member of the diff changes
// something, and deletions are nulls of keys before has.
func checkMinimal(t *testing.T, before, after, d []byte, fields []string) {
	t.Helper()
	b, a, dm := members(t, before), members(t, after), members(t, d)
	for name, v := range dm {
		bv, had := b[name]
		if !slices.Contains(fields, name) {
			if v.kind == 'n' && !had || v.kind != 'n' && had && same(bv, v) {
				t.Fatalf("D3: diff %s names root member %q needlessly (before %s)", d, name, before)
			}
			continue
		}
		bm, am := fieldMembers(bv), fieldMembers(a[name])
		for _, m := range v.members {
			old, was := bm[m.name]
			switch {
			case m.name == "_" && m.val.kind == 'n' && len(bm) == 0 && len(am) == 0:
				// D4: the one way to create app_metadata empty
			case m.val.kind == 'n' && !was:
				t.Fatalf("D4: diff %s deletes %q, which before %s lacks", d, m.name, before)
			case m.val.kind != 'n' && was && same(old, m.val):
				t.Fatalf("D3: diff %s sets %q to the value it has in %s", d, m.name, before)
			}
		}
	}
}

// checkThreeWay checks D6: merged into live, the three-way diff gives
// desired's keys their values, deletes only keys of base, and keeps the
// keys others wrote.
func checkThreeWay(t *testing.T, base, desired, live, d []byte, merge func(a, b []byte) ([]byte, error), fields []string) {
	t.Helper()
	got, err := merge(live, d)
	if err != nil {
		t.Fatalf("D6: three-way diff %s does not merge into %s: %v", d, live, err)
	}
	bs, ds, ls, gs, dm := members(t, base), members(t, desired), members(t, live), members(t, got), members(t, d)
	fail := func(format string, args ...any) {
		t.Fatalf("D6: base %s desired %s live %s diff %s merged %s: %s", base, desired, live, d, got, fmt.Sprintf(format, args...))
	}
	for name, v := range dm {
		if slices.Contains(fields, name) {
			bm := fieldMembers(bs[name])
			for _, m := range v.members {
				if m.val.kind == 'n' && m.name != "_" {
					if _, ok := bm[m.name]; !ok {
						fail("deletes %s/%s, which base lacks", name, m.name)
					}
				}
			}
		} else if _, ok := bs[name]; v.kind == 'n' && !ok {
			fail("deletes %s, which base lacks", name)
		}
	}
	for name, lv := range ls {
		_, inBase := bs[name]
		_, inDesired := ds[name]
		if slices.Contains(fields, name) {
			bm, dm2, gm := fieldMembers(bs[name]), fieldMembers(ds[name]), fieldMembers(gs[name])
			for k, v := range fieldMembers(lv) {
				_, kb := bm[k]
				_, kd := dm2[k]
				if !kb && !kd && (gm[k] == nil || !same(gm[k], v)) {
					fail("someone else's key %s/%s was not kept", name, k)
				}
			}
			continue
		}
		if !inBase && !inDesired && (gs[name] == nil || !same(gs[name], lv)) {
			fail("someone else's member %s was not kept", name)
		}
	}
	for name, dv := range ds {
		if slices.Contains(fields, name) {
			gm := fieldMembers(gs[name])
			for k, v := range fieldMembers(dv) {
				if gm[k] == nil || !same(gm[k], v) {
					fail("desired key %s/%s not set", name, k)
				}
			}
		} else if dv.kind != 'n' && (gs[name] == nil || !same(gs[name], dv)) {
			fail("desired member %s not set", name)
		}
	}
}

// TestDiffErrorOffsets checks that the errors of an unreachable after have
// offsets in after: the name, value or field they are about.
func TestDiffErrorOffsets(t *testing.T) {
	after := `{"name":"x","user_metadata":{"ok":1,"prefs":{"ui.theme":"dark"}},"app_metadata":{"email":"e"}}`
	_, err := metamerge.DiffUser([]byte(`{"user_metadata":{"ok":1}}`), []byte(after))
	want := []errorFields{
		{Code: metamerge.CodeInvalidKey, Pointer: "/user_metadata/prefs/ui.theme", Offset: bytes.Index([]byte(after), []byte(`"ui.theme"`))},
		{Code: metamerge.CodeReservedKey, Pointer: "/app_metadata/email", Offset: bytes.Index([]byte(after), []byte(`"email"`))},
	}
	if diff := cmp.Diff(want, fieldsOf(t, err)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	client := `{"client_metadata":{"a":"1","b":"2","c":"3","d":"4","e":"5","f":"6","g":"7","h":"8","i":"9","j":"10","k":"11"}}`
	_, err = metamerge.DiffClient([]byte(`{}`), []byte(client))
	want = []errorFields{{Code: metamerge.CodeTooManyKeys, Pointer: "/client_metadata", Offset: 19, Limit: 10, Actual: 11}}
	if diff := cmp.Diff(want, fieldsOf(t, err)); diff != "" {
		t.Errorf("client (-want +got):\n%s", diff)
	}
}

// TestReportNoChangeKeepsPatchText holds the doc of MergeReport: no change
// means equal by meaning, not the same bytes: the merged document carries
// the patch's white space, number text and escapes.
func TestReportNoChangeKeepsPatchText(t *testing.T) {
	stored := []byte(`{"user_metadata":{"a":1,"s":"é","o":{"x":1}}}`)
	patch := []byte(`{"user_metadata":{"a":1.0,"s":"\u00e9","o":{ "x" : 10e-1 }}}`)
	merged, changes, err := metamerge.UserRules{}.MergeReport(stored, patch)
	if err != nil || len(changes) != 0 {
		t.Fatalf("MergeReport gave %v, %v: want no change", changes, err)
	}
	for _, text := range []string{`1.0`, `\u00e9`, `{ "x" : 10e-1 }`} {
		if !bytes.Contains(merged, []byte(text)) {
			t.Errorf("merged %s lacks the patch's text %s", merged, text)
		}
	}
	if bytes.Equal(merged, stored) {
		t.Errorf("merged is the stored bytes: the test shows nothing")
	}
	if eq, err := metamerge.Equal(merged, stored); !eq || err != nil {
		t.Errorf("Equal(merged, stored) = %v, %v; want true", eq, err)
	}
}
