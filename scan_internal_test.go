package metamerge

// Do the scanner's records and the pool's buffers behave as their comments say?

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
	"unsafe"
)

// firstSpecial finds the first byte that is not plain as the scanner's
// string loop does.
func firstSpecial(b []byte, i int) int {
	if i = plainWords(b, i); i+8 > len(b) {
		i = plainEnd(b, i)
	}
	return i
}

// TestFirstSpecial checks that the word-at-a-time string scan stops at
// exactly the first byte that needs attention, never before and never
// past it: exhaustively for one byte of each value at each position of a
// plain run (both in the word loop and in the byte-wise tail), for two
// such bytes in a word, and for a million pseudo-random words, each
// against a byte-by-byte scan of the table plain.
func TestFirstSpecial(t *testing.T) {
	slow := func(b []byte, i int) int {
		for i < len(b) && plain[b[i]] {
			i++
		}
		return i
	}
	check := func(b []byte, i int) {
		t.Helper()
		if got, want := firstSpecial(b, i), slow(b, i); got != want {
			t.Fatalf("plainWords, plainEnd(%q, %d) = %d, want %d", b, i, got, want)
		}
	}
	for n := range 20 { // lengths that end in the word loop and in the tail
		for pos := range n {
			for c := range 256 {
				w := []byte("abcdefghijklmnopqrst")[:n]
				w[pos] = byte(c)
				check(w, 0)
				if pos > 0 {
					check(w, 1)
				}
				for c2 := 0; c2 < 256 && pos+1 < n; c2 += 7 { // a second byte after it
					w[pos+1] = byte(c2)
					check(w, 0)
				}
			}
		}
	}
	x := uint64(0x9E3779B97F4A7C15) // xorshift, fixed seed
	var w [16]byte
	for k := range 1_000_000 {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		binary.LittleEndian.PutUint64(w[:], x)
		if k%2 == 0 { // bias towards plain bytes: the flags of one byte among plain ones
			for j := range 8 {
				if w[j] >= 0x80 && w[j]&0x0F != 0 {
					w[j] = 'a' + w[j]&0x0F
				}
			}
		}
		binary.LittleEndian.PutUint64(w[8:], x*0x2545F4914F6CDD1D)
		check(w[:], 0)
		check(w[:], k%8)
	}
}

// TestUTF8Len checks the scanner's UTF-8 decoder against utf8.Valid for
// every sequence of one to four bytes whose first byte is at or above
// 0x80 (the continuation bytes drawn from every class: below, inside and
// above 0x80-0xBF, and at the edges of the narrower ranges after E0, ED,
// F0 and F4), cut short at every length, so overlong forms, surrogates,
// code points past U+10FFFF and truncated sequences are all met.
func TestUTF8Len(t *testing.T) {
	conts := []byte{0x00, 0x41, 0x7F, 0x80, 0x81, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC2, 0xE0, 0xF4, 0xFF}
	want := func(b []byte) int {
		for n := 4; n >= 2; n-- {
			if n <= len(b) && utf8.Valid(b[:n]) && utf8.RuneCount(b[:n]) == 1 {
				return n
			}
		}
		return 0
	}
	tried := 0
	for c0 := 0x80; c0 < 0x100; c0++ {
		for _, c1 := range conts {
			for _, c2 := range conts {
				for _, c3 := range conts {
					full := []byte{byte(c0), c1, c2, c3}
					for n := 1; n <= 4; n++ {
						b := full[:n]
						if got, w := utf8Len(b, 0), want(b); got != w {
							t.Fatalf("utf8Len(% x) = %d, want %d", b, got, w)
						}
						tried++
					}
				}
			}
		}
	}
	if tried < 128*len(conts)*len(conts)*len(conts) {
		t.Fatalf("tried only %d sequences", tried)
	}
}

// pooledBuffers lists every buffer of w that may hold bytes of a
// caller's document, with the element size of its slice.
func pooledBytes(w *work) map[string][]byte {
	m := map[string][]byte{
		"tmp": w.tmp, "nbuf": w.nbuf, "scanner tmp": w.sc.tmp, "scanner pbuf": w.sc.pbuf,
		"index a": w.sc.idx.a, "index b": w.sc.idx.b, "roots a": w.roots.a, "roots b": w.roots.b,
		"diff out": w.diff.out, "compare a": w.eq.na, "compare b": w.eq.nb,
	}
	for k := range w.diff.roots {
		m[fmt.Sprint("diff roots a ", k)], m[fmt.Sprint("diff fields a ", k)] = w.diff.roots[k].a, w.diff.fields[k].a
	}
	return m
}

// retained returns the bytes of capacity w keeps.
func retained(w *work) int {
	n := memberSize*(cap(w.smem)+cap(w.pmem)) + cap(w.used) + 4*cap(w.match) + 12*cap(w.pieces) + 8*cap(w.targets) + 48*cap(w.viol.list) + 32*cap(w.sc.frames)
	for _, b := range pooledBytes(w) {
		n += cap(b)
	}
	for _, x := range []*index{&w.roots, &w.sc.idx} {
		n += 4*cap(x.ids) + 8*cap(x.tags) + 8*cap(x.table.slots)
	}
	return n
}

// TestReleaseAfterMergeKeepsNoCallerData checks that a pooled workspace keeps no
// reference into a caller's document, and no bytes copied from one, after
// a merge that filled its name tables and scratch buffers: not the decoded
// names, not the tags of short names ("Secret42"), not the pointers of
// errors.
func TestReleaseAfterMergeKeepsNoCallerData(t *testing.T) {
	var stored, patch []byte
	stored = append(stored, `{"user_metadata":{"Secret42":1,`...)
	patch = append(patch, `{"user_metadata":{"pin:9876":2,`...)
	for i := range 40 { // past smallObject, so the names go through the hash tables
		sep := ","
		if i == 0 {
			sep = ""
		}
		stored = fmt.Appendf(stored, `%s"k\u00e9%d":"v\u00e9%d"`, sep, i, i)
		patch = fmt.Appendf(patch, `%s"k\u00e9%d":"w\u00e9"`, sep, i)
	}
	stored = append(stored, "}}"...)
	patch = append(patch, `},"bad":{"a.b":1},"app_metadata":{"x":{"\u00e9.":1}}}`...)
	r := UserRules{UserMetadata: UserMetadata(), AppMetadata: AppMetadata()}
	r.UserMetadata.MaxValueLen = 1                // a value check decodes into the scratch buffers, and fails
	r.AppMetadata.Reserved = []string{"reserved"} // a copy of the caller's rules, holding its slice
	for _, small := range []bool{false, true} {
		w := new(work)
		st, pt := stored, patch
		if small { // small objects: names and tags in the linear index
			st, pt = []byte(`{"user_metadata":{"Secret42":1,"k\u00e9":"v\u00e9"}}`), []byte(`{"user_metadata":{"k\u00e9":"w\u00e9","pin:9876":1}}`)
		}
		s, err := r.settings(w)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.mergeDoc(st, pt, &s, modeMerge); err == nil {
			t.Fatal("expected errors")
		}
		w.release()
		for name, buf := range pooledBytes(w) {
			for _, c := range buf[:cap(buf)] {
				if c != 0 {
					t.Errorf("small %v: %s still holds caller bytes: %q", small, name, buf[:cap(buf)])
					break
				}
			}
		}
		for _, x := range []*index{&w.roots, &w.sc.idx} {
			if x.doc != nil || x.mem != nil {
				t.Errorf("small %v: an index still refers to a document", small)
			}
			for _, tg := range x.tags[:cap(x.tags)] {
				if tg != 0 {
					t.Errorf("small %v: a tag holds name bytes: %#x", small, tg)
				}
			}
		}
		if w.sc.doc != nil || w.pols[0].Reserved != nil || w.pols[1].Reserved != nil || w.fields[0].pol != nil || !reflect.ValueOf(w.plans).IsZero() {
			t.Errorf("small %v: the work still refers to a caller's document or rules", small)
		}
	}
}

// TestPoolKeepsLittleAfterLargeCall checks that after a merge of a large
// profile the workspace goes back to the pool with at most maxPooled bytes
// in each buffer, so that a small call after it costs what it costs alone.
func TestPoolKeepsLittleAfterLargeCall(t *testing.T) {
	var b []byte
	b = append(b, `{"user_metadata":{`...)
	for i := range 200_000 {
		if i > 0 {
			b = append(b, ',')
		}
		b = fmt.Appendf(b, `"k%d":"v\u00e9%d"`, i, i)
	}
	b = append(b, "}}"...)
	patch := []byte(`{"user_metadata":{"k7":null,"x":{"y.z":1}},"app_metadata":{"email":1}}`)
	w := new(work)
	s, _ := UserRules{}.settings(w)
	if _, err := w.mergeDoc(b, b, &s, modeMerge); err != nil {
		t.Fatal(err)
	}
	if _, err := w.mergeDoc(b, patch, &s, modeMerge); err == nil {
		t.Fatal("expected errors")
	}
	if got := retained(w); got < 1<<20 {
		t.Fatalf("the test does not fill the buffers: %d bytes", got)
	}
	w.release()
	const buffers = 20
	if got := retained(w); got > buffers*maxPooled {
		t.Errorf("after a merge of %d bytes the pool keeps %d bytes, over %d", len(b), got, buffers*maxPooled)
	}
}

// TestReleaseAfterDiffKeepsNoCallerData checks the same after a diff, a
// three-way diff and a report, which use more of the workspace.
func TestReleaseAfterDiffKeepsNoCallerData(t *testing.T) {
	before := []byte(`{"user_metadata":{"k\u00e9y":"Secret42","pin:9876":{"x":[1,"caf\u00e9"]}},"app_metadata":{"a":1}}`)
	after := []byte(`{"user_metadata":{"k\u00e9y":"Secret43","new.one":1},"name":"n"}`)
	for _, run := range []func(w *work){
		func(w *work) {
			s, _ := UserRules{}.settings(w)
			_, _ = w.diffDoc(diffTwoWay, nil, before, after, &s)
		},
		func(w *work) {
			s, _ := UserRules{}.settings(w)
			_, _ = w.diffDoc(diffThreeWay, before, after, before, &s)
		},
		func(w *work) {
			s, _ := UserRules{}.settings(w)
			_, _ = w.mergeDoc(before, []byte(`{"user_metadata":{"k\u00e9y":"caf\u00e9"}}`), &s, modeReport)
		},
	} {
		w := new(work)
		run(w)
		w.release()
		for name, buf := range pooledBytes(w) {
			for _, c := range buf[:cap(buf)] {
				if c != 0 {
					t.Errorf("%s still holds caller bytes: %q", name, buf[:cap(buf)])
					break
				}
			}
		}
		if w.diff.docs != nil || w.changes != nil || w.diff.used {
			t.Error("the diff still refers to caller documents or results")
		}
		for k := range w.diff.roots {
			if w.diff.roots[k].doc != nil || w.diff.fields[k].doc != nil {
				t.Error("a diff index still refers to a document")
			}
		}
		if w.eq.idx.doc != nil || w.eq.idx.mem != nil {
			t.Error("a comparison index still refers to a document")
		}
	}
}

// TestMemberSize keeps memberSize, which the pool's limit and the tests of
// what the pool retains count with, true to the record's size.
func TestMemberSize(t *testing.T) {
	if got := unsafe.Sizeof(member{}); got != memberSize {
		t.Errorf("a member takes %d bytes, memberSize says %d", got, memberSize)
	}
}

// TestPieceSize keeps a piece of the merge's plan as small as release
// counts it: a document can have a root member for every few bytes.
func TestPieceSize(t *testing.T) {
	if got := unsafe.Sizeof(piece{}); got != 12 {
		t.Errorf("a piece takes %d bytes, release counts 12", got)
	}
}

// TestIsSpace checks the white-space test for every byte: exactly the four
// of RFC 8259 (space, tab, line feed, carriage return) are white space.
func TestIsSpace(t *testing.T) {
	for c := range 256 {
		want := c == ' ' || c == '\t' || c == '\n' || c == '\r'
		if got := isSpace(byte(c)); got != want {
			t.Errorf("isSpace(%#02x) = %v, want %v", c, got, want)
		}
	}
}

// TestDuplicateEscapedNames checks the duplicate check (H2) compares names
// after unescaping on both of its paths, the linear one of small objects
// and the hashed one past smallObject members, whichever of the two names
// has the escape, at the root and nested: the code, the pointer and the
// offset of the second name.
func TestDuplicateEscapedNames(t *testing.T) {
	pairs := []struct{ first, second string }{
		{`"name"`, `"n\u0061me"`},
		{`"n\u0061me"`, `"name"`},
		{`"n\u0061me"`, `"\u006eame"`},
		{`"\/x"`, `"/x"`},
	}
	for _, fill := range []int{0, smallObject + 4} {
		for _, p := range pairs {
			for _, nested := range []bool{false, true} {
				var b []byte
				b = append(b, '{')
				for k := range fill {
					b = fmt.Appendf(b, `"m%d":%d,`, k, k)
				}
				b = append(b, p.first+`:1,`...)
				at := len(b)
				b = append(b, p.second+`:2}`...)
				ptr := "/name"
				if p.second == `"/x"` {
					ptr = "/~1x"
				}
				if nested {
					b = append([]byte(`{"o":`), append(b, '}')...)
					at += len(`{"o":`)
					ptr = "/o" + ptr
				}
				var s scanner
				_, err := s.scan(b, DefaultMaxDepth, 0, nil)
				if err == nil || err.Code != CodeDuplicateKey || err.Pointer != ptr || err.Offset != at {
					t.Errorf("%s: got %+v, want %s at %q, offset %d", b, err, CodeDuplicateKey, ptr, at)
				}
			}
		}
	}
}

// TestColonSpacing checks the scanner's compact "name":value path against
// encoding/json and the offset of the defect, for every spacing around the
// colon and every prefix of each document (a document cut after the
// colon, or before it, among them): a prefix is valid exactly when
// json.Valid says so, and an invalid one is rejected at its end, or at
// the byte where it stops being JSON (a cut literal at its start).
func TestColonSpacing(t *testing.T) {
	spaces := []string{"", " ", "\t", "\n ", "\r\n\t "}
	values := []string{"1", `"v"`, "{}", `{"b":[true]}`, "x"}
	for _, before := range spaces {
		for _, after := range spaces {
			for _, v := range values {
				doc := `{"a"` + before + ":" + after + v + `,"c"` + after + ":" + before + "null}"
				for n := 1; n <= len(doc); n++ {
					b := []byte(doc[:n])
					var s scanner
					_, err := s.scan(b, DefaultMaxDepth, 0, nil)
					if (err == nil) != json.Valid(b) {
						t.Fatalf("%q: scan error %v, json.Valid %v", b, err, json.Valid(b))
					}
					want := n // a prefix of a document is cut at its end,
					for want > 0 && bytes.IndexByte([]byte("nultre"), b[want-1]) >= 0 {
						want-- // or in a literal, reported at its start,
					}
					if lit := string(b[want:]); lit == "null" || lit == "true" {
						want = n // unless the literal is whole
					}
					if p := bytes.IndexByte(b, 'x'); p >= 0 {
						want = p // or stops being JSON at the x
					}
					if err != nil && (err.Code != CodeInvalidJSON || err.Offset != want) {
						t.Fatalf("%q: got %+v, want invalid_json at %d", b, err, want)
					}
				}
			}
		}
	}
}

// TestDuplicateGenerated checks the duplicate check (H2) on generated
// objects of every size from 0 to past smallObject, so on each of its
// paths: the pairwise one of objects below the root with up to fewNames
// members, the index's linear one up to smallObject, and its hash table
// above. Names are drawn from a few, spelled with or without escapes and
// of equal lengths with equal last bytes, so that repeats come at every
// position; a map of decoded names says which member is the first to
// repeat one, and the error must give its offset and pointer. Each object
// is checked at the root, below a member, in an array, and as a merge
// records it (record 2).
func TestDuplicateGenerated(t *testing.T) {
	spellings := [][]string{ // the spellings of each name
		{`"a"`, `"\u0061"`},
		{`"b"`},
		{`"ab"`, `"a\u0062"`},
		{`"bb"`},
		{`""`},
		{`"xa"`, `"\u0078a"`}, // same length and last byte as "ba"
		{`"ba"`},
		{`"k/"`, `"k\/"`},
	}
	decoded := []string{"a", "b", "ab", "bb", "", "xa", "ba", "k/"}
	state := uint64(1)
	next := func(n int) int { // a fixed linear congruential sequence
		state = state*6364136223846793005 + 1442695040888963407
		return int(state>>33) % n
	}
	checked := 0
	for size := range smallObject + 6 {
		for range 60 {
			var obj []byte
			obj = append(obj, '{')
			seen := map[string]bool{}
			dupAt, dupName := -1, ""
			for k := range size {
				if k > 0 {
					obj = append(obj, ',')
				}
				// Past the first few names, mostly fresh ones, so that
				// large objects often hold no repeat at all.
				var name, text string
				if k >= 4 && next(3) > 0 {
					name = fmt.Sprintf("n%d", k)
					text = `"` + name + `"`
					if next(2) == 0 {
						text = `"\u006e` + name[1:] + `"`
					}
				} else {
					d := next(len(decoded))
					name, text = decoded[d], spellings[d][next(len(spellings[d]))]
				}
				if seen[name] && dupAt < 0 {
					dupAt, dupName = len(obj), name
				}
				seen[name] = true
				obj = fmt.Appendf(obj, "%s:%d", text, k)
			}
			obj = append(obj, '}')
			for _, c := range []struct{ before, after, ptr string }{
				{"", "", ""},
				{`{"o":`, `}`, "/o"},
				{`[0,`, `]`, "/1"},
			} {
				doc := []byte(c.before + string(obj) + c.after)
				for _, record := range []int{0, 2} {
					var s scanner
					_, err := s.scan(doc, DefaultMaxDepth, record, nil)
					checked++
					if dupAt < 0 {
						if err != nil {
							t.Fatalf("%s (record %d): got %+v, want no error", doc, record, err)
						}
						continue
					}
					ptr := c.ptr + "/" + escapeToken(dupName)
					at := len(c.before) + dupAt
					if err == nil || err.Code != CodeDuplicateKey || err.Pointer != ptr || err.Offset != at {
						t.Fatalf("%s (record %d): got %+v, want %s at %q, offset %d", doc, record, err, CodeDuplicateKey, ptr, at)
					}
				}
			}
		}
	}
	if checked < 6*60*(smallObject+6) {
		t.Fatalf("checked %d documents", checked)
	}
}

// escapeToken spells a name as a JSON Pointer token (RFC 6901).
func escapeToken(name string) string {
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(name)
}

// TestNameHashReadsEveryByte checks the name table's hash at every length
// from 0 to 40, so through each of its paths (a few bytes, four to seven,
// whole words and an overlapping last word): changing any one byte of a
// name, or its length, changes the hash, and the same name hashes the same
// in two tables only when their keys agree. A byte the hash skipped would
// let a crafted set of names differing only there collide.
func TestNameHashReadsEveryByte(t *testing.T) {
	var a, b nameTable
	a.reset(1)
	b.reset(1)
	if a.k0 == b.k0 || a.k1 == b.k1 {
		t.Fatalf("two tables drew the same keys: %#x %#x", a.k0, a.k1)
	}
	seen := map[uint64]string{}
	for n := range 41 {
		name := make([]byte, n)
		for i := range name {
			name[i] = byte('a' + i%26)
		}
		h := a.hash(name)
		if h != a.hash(bytes.Clone(name)) {
			t.Fatalf("length %d: the same name hashes differently", n)
		}
		if h == b.hash(name) {
			t.Errorf("length %d: two tables with different keys give the same hash %#x", n, h)
		}
		if other, ok := seen[h]; ok {
			t.Errorf("length %d: the hash of %q is that of %q", n, name, other)
		}
		seen[h] = string(name)
		for i := range n {
			for _, flip := range []byte{1, 0x80, 0xFF} {
				changed := bytes.Clone(name)
				changed[i] ^= flip
				if a.hash(changed) == h {
					t.Errorf("length %d: byte %d changed by %#x, same hash", n, i, flip)
				}
			}
		}
	}
}

// TestNameTableSpreadsCraftedNames checks that names alike in all but a
// few bytes spread over the table: long names alike in all but their
// middle (which a hash of the first and last words alone would pile into
// one slot), and short ones alike in their last four bytes (which a slot
// chosen by the low bits of one product would). The longest run of
// occupied slots stays short, and every name is found.
func TestNameTableSpreadsCraftedNames(t *testing.T) {
	const n = 20000
	for _, family := range []struct {
		name  string
		spell func(i int) string
	}{
		{"alike but in the middle", func(i int) string { return fmt.Sprintf("prefix__%06d__suffix", i) }},
		{"alike in the last four bytes", func(i int) string {
			return string([]byte{byte('A' + i%58), byte('A' + i/58%58), byte('A' + i/58/58)}) + "tail"
		}},
	} {
		var x index
		var doc []byte
		var mem []member
		doc = append(doc, '{')
		for i := range n {
			lo := len(doc)
			doc = strconv.AppendQuote(doc, family.spell(i))
			hi := len(doc)
			doc = append(doc, ":0,"...)
			mem = append(mem, newMember(lo, hi, hi+1, false, true))
		}
		x.start(doc, mem, n)
		for i := range n {
			if k := x.add(int32(i)); k >= 0 {
				t.Fatalf("%s: name %d found as a repeat of %d", family.name, i, k)
			}
		}
		run, longest := 0, 0
		for _, s := range x.table.slots {
			if s == 0 {
				run = 0
				continue
			}
			run++
			longest = max(longest, run)
		}
		if longest > 200 {
			t.Errorf("%s: a run of %d occupied slots among %d for %d names", family.name, longest, len(x.table.slots), n)
		}
		for i := range n {
			if k := x.find(mem[i].keyText(doc)); k != int32(i) {
				t.Fatalf("%s: name %d: found %d", family.name, i, k)
			}
		}
	}
}

// TestStringsAtEveryOffset checks the scanner's strings, names and values
// alike, on the two paths they take: plain up to the closing quote (found
// by the word loop where the string starts) or through the byte-wise
// checks of str from its start. Each string of 0 to 19 bytes holds one
// byte that is not plain (a quote or backslash escape, a control byte, a
// valid or invalid UTF-8 sequence, a lone surrogate escape) at each
// position, or none, as a name and as a value, and every prefix of each
// document is read: a prefix is rejected with invalid_json, and a whole
// document is valid exactly when its special is, or else rejected at the
// special's first byte.
func TestStringsAtEveryOffset(t *testing.T) {
	specials := []struct {
		text  string
		valid bool
	}{
		{"", true}, {`\"`, true}, {`\\`, true}, {`\u00e9`, true}, {"é", true}, {"東", true}, {"😀", true},
		{`\ud83d\ude00`, true}, {"\x01", false}, {"\t", false}, {"\xff", false}, {"\xc3", false},
		{"\xed\xa0\x80", false}, {"\xf4\x90\x80\x80", false}, {`\ud800`, false}, {`\x`, false},
	}
	checked := 0
	for n := range 20 {
		for _, sp := range specials {
			for at := 0; at <= n; at++ {
				body := strings.Repeat("a", at) + sp.text + strings.Repeat("b", n-at)
				for _, open := range []string{`{"`, `{"k":"`, `["`} {
					close := map[string]string{`{"`: `":1}`, `{"k":"`: `"}`, `["`: `"]`}[open]
					doc := open + body + close
					for cut := 1; cut <= len(doc); cut++ {
						b := []byte(doc[:cut])
						var s scanner
						_, err := s.scan(b, DefaultMaxDepth, 0, nil)
						checked++
						switch {
						case cut == len(doc) && sp.valid:
							if err != nil {
								t.Fatalf("%q: got %+v, want no error", b, err)
							}
						case cut == len(doc):
							if at := len(open) + at; err == nil || err.Code != CodeInvalidJSON || err.Offset != at {
								t.Fatalf("%q: got %+v, want invalid_json at %d", b, err, at)
							}
						case err == nil || err.Code != CodeInvalidJSON:
							t.Fatalf("%q: got %+v, want invalid_json", b, err)
						}
					}
				}
			}
		}
	}
	if checked < 100000 {
		t.Fatalf("checked %d documents", checked)
	}
}

// TestNumbersAtEveryOffset checks the scanner's numbers on the two paths
// they take: an integer without sign or leading zero and with no fraction
// or exponent after it, read in run, and any other, read by number from
// its start. Numbers built from every sign, integer part, fraction and
// exponent, valid and not, stand as a value, an element and the whole
// document, followed by the bytes that may or may not end a number; every
// prefix of each document is read, and the scanner accepts exactly what
// json.Valid does, rejecting the rest with invalid_json.
func TestNumbersAtEveryOffset(t *testing.T) {
	var numbers []string
	for _, sign := range []string{"", "-", "+"} {
		for _, whole := range []string{"", "0", "7", "12", "00", "01", "9876543210123"} {
			for _, frac := range []string{"", ".", ".5", ".05", ".x"} {
				for _, exp := range []string{"", "e", "E", "e5", "E+5", "e-05", "e+", "Ex"} {
					numbers = append(numbers, sign+whole+frac+exp)
				}
			}
		}
	}
	checked := 0
	for _, n := range numbers {
		for _, tail := range []string{"", "1", "x", "e", "E", ".", " ", "-", "]"} {
			for _, doc := range []string{n + tail, "[" + n + tail + "]", `{"k":` + n + tail + "}", "[" + n + tail + ",0]"} {
				for cut := 1; cut <= len(doc); cut++ {
					b := []byte(doc[:cut])
					var s scanner
					_, err := s.scan(b, DefaultMaxDepth, 0, nil)
					checked++
					if (err == nil) != json.Valid(b) {
						t.Fatalf("%q: scan error %v, json.Valid %v", b, err, json.Valid(b))
					}
					if err != nil && err.Code != CodeInvalidJSON {
						t.Fatalf("%q: got %+v, want invalid_json", b, err)
					}
				}
			}
		}
	}
	if checked < 100000 {
		t.Fatalf("checked %d documents", checked)
	}
}
