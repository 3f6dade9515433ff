package metamerge_test

// Do the deepest, widest and largest inputs stay bounded?

import (
	"bytes"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/metamerge/metamerge"
)

// allocated returns the bytes f allocates on the heap.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func nestedArrays(n int) []byte {
	return []byte(strings.Repeat("[", n) + strings.Repeat("]", n))
}

func nestedObjects(n int) []byte {
	return []byte(strings.Repeat(`{"a":`, n) + "1" + strings.Repeat("}", n))
}

func manyKeys(n int) []byte {
	var b bytes.Buffer
	b.WriteByte('{')
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"k%d":%d`, i, i)
	}
	b.WriteByte('}')
	return b.Bytes()
}

// TestHostileLarge feeds inputs built to exhaust time, stack or memory. Each
// must end in the expected outcome, allocating at most maxRatio times the
// size of the inputs (plus 1 MiB); the ratios measured are logged.
func TestHostileLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("builds inputs of up to 100 MB")
	}
	big := strings.Repeat("x", 100<<20)
	million := manyKeys(1_000_000)
	tooDeep := func(ptr string, stored bool) []errorFields {
		return []errorFields{{Code: metamerge.CodeTooDeep, Pointer: ptr, Stored: stored, Limit: 100, Actual: 101}}
	}
	arrays100 := strings.Repeat("/0", 100)
	unlimited := ptr(userDefaults)
	unlimited.UserMetadata.MaxBytes = 0
	objects100 := strings.Repeat("/a", 100)
	tests := []struct {
		name, why     string
		stored, patch []byte
		policy        *metamerge.FieldRules // set: its Merge
		rules         *metamerge.UserRules  // set: its Merge; both nil: MergeUser
		wantErr       []errorFields
		wantLen       int // with no error: the length of the result
		maxRatio      float64
	}{
		{"10k nested arrays stored", "too_deep at level 101, with no stack growth", nestedArrays(10_000), []byte(`{}`), nil, nil,
			tooDeep(arrays100, true), 0, 0.01},
		{"1M nested arrays stored", "the scan stops at the limit: memory does not grow with depth", nestedArrays(1_000_000), []byte(`{}`), nil, nil,
			tooDeep(arrays100, true), 0, 0.01},
		{"1M nested objects stored", "the same for objects", nestedObjects(1_000_000), []byte(`{}`), nil, nil,
			tooDeep(objects100, true), 0, 0.01},
		{"10k nested objects stored", "objects as well as arrays", nestedObjects(10_000), []byte(`{}`), nil, nil,
			tooDeep(objects100, true), 0, 0.01},
		{"10k nested objects patch", "objects in the patch", []byte(`{}`), nestedObjects(10_000), nil, nil,
			tooDeep(objects100, false), 0, 0.01},
		{"1M nested arrays patch", "a million arrays in the patch", []byte(`{}`), nestedArrays(1_000_000), nil, nil,
			tooDeep(arrays100, false), 0, 0.01},
		{"10k nested arrays patch", "the patch has the same limit", []byte(`{}`), nestedArrays(10_000), nil, nil,
			tooDeep(arrays100, false), 0, 0.01},
		{"1M nested objects patch", "deep objects in the patch", []byte(`{}`), nestedObjects(1_000_000), nil, nil,
			tooDeep(objects100, false), 0, 0.01},
		{"1M nested arrays in metadata", "inside user_metadata the pointer starts there", []byte(`{}`),
			append(append([]byte(`{"user_metadata":{"a":`), nestedArrays(1_000_000)...), "}}"...), nil, nil,
			tooDeep("/user_metadata/a"+strings.Repeat("/0", 98), false), 0, 0.01},
		{"100 MB string stored", "a stored value far past 16 MiB makes the merged field too large",
			[]byte(`{"user_metadata":{"s":"` + big + `"}}`), []byte(`{"user_metadata":{"a":1}}`), nil, nil,
			[]errorFields{{Code: metamerge.CodeTooLarge, Pointer: "/user_metadata", Offset: 17, Limit: 16 << 20, Actual: 100<<20 + 14}}, 0, 1.1},
		{"100 MB string patch", "the same from the patch side", []byte(`{}`), []byte(`{"user_metadata":{"s":"` + big + `"}}`), nil, nil,
			[]errorFields{{Code: metamerge.CodeTooLarge, Pointer: "/user_metadata", Offset: 17, Limit: 16 << 20, Actual: 100<<20 + 8}}, 0, 1.1},
		{"100 MB string other member", "outside the metadata fields no size limit applies", []byte(`{"blob":"` + big + `"}`), []byte(`{"a":1}`), nil, nil,
			nil, 100<<20 + 17, 1.1},
		{"1M keys stored", "a million stored keys merge in linear time (over 16 MiB: the size limit is lifted)", append(append([]byte(`{"user_metadata":`), million...), '}'),
			[]byte(`{"user_metadata":{"k999999":null,"new":1}}`), nil, unlimited, nil, len(million) + 18 - len(`,"k999999":999999`) + len(`,"new":1`), 16},
		{"1M keys patch", "a million patch keys, checked and merged in linear time", []byte(`{"user_metadata":{"k5":"old","z":0}}`),
			append(append([]byte(`{"user_metadata":`), million...), '}'), nil, unlimited, nil, len(million) + 18 + len(`,"z":0`), 20}, // names are hashed twice: duplicate check and merge index
		{"1M keys client", "too_many_keys once, whatever the count; then a million not_string", []byte(`{}`), million, &metamerge.FieldRules{Policy: metamerge.ClientMetadata()}, nil,
			[]errorFields{{Code: metamerge.CodeTooManyKeys, Offset: 0, Limit: 10, Actual: 1_000_000}, {Code: metamerge.CodeNotString, Pointer: "/k0", Offset: 6, Found: "number"}}, 0, 64},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []byte
			var err error
			n := allocated(func() {
				switch {
				case tc.policy != nil:
					got, err = tc.policy.Merge(tc.stored, tc.patch)
				case tc.rules != nil:
					got, err = tc.rules.Merge(tc.stored, tc.patch)
				default:
					got, err = metamerge.MergeUser(tc.stored, tc.patch)
				}
			})
			gotErr := fieldsOf(t, err)
			if tc.policy != nil && len(gotErr) > 2 {
				gotErr = gotErr[:2] // the client case: a million not_string follow
			}
			for i := range gotErr {
				if gotErr[i].Code == metamerge.CodeTooDeep {
					gotErr[i].Offset = 0 // offsets of deep cases are not the point here
				}
			}
			if diff := cmp.Diff(tc.wantErr, gotErr); diff != "" {
				t.Fatalf("%s (%s): errors (-want +got):\n%s", tc.name, tc.why, diff)
			}
			if tc.wantErr == nil && len(got) != tc.wantLen {
				t.Fatalf("%s: result of %d bytes, want %d", tc.name, len(got), tc.wantLen)
			}
			in := len(tc.stored) + len(tc.patch)
			ratio := float64(n) / float64(in)
			t.Logf("%s: %d bytes in, %d allocated (%.3f× the input)", tc.name, in, n, ratio)
			if float64(n) > tc.maxRatio*float64(in)+1<<20 {
				t.Errorf("%s: allocated %d bytes for %d bytes of input: over %.2f×", tc.name, n, in, tc.maxRatio)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

// TestHostileSmall covers odd but small inputs, each with the expected code,
// in the patch and in the stored document.
func TestHostileSmall(t *testing.T) {
	ok := metamerge.Code("")
	tests := []struct {
		name, why string
		doc       string
		want      metamerge.Code
		value     string // accepted: the text of member "a" in the merged field
	}{
		{"negative zero", "-0 is valid and kept", `{"a":-0}`, ok, `-0`},
		{"huge exponent", "1E400 overflows a float64 but is kept as written", `{"a":1E400}`, ok, `1E400`},
		{"400 digits", "long integers are kept, not rounded", `{"a":` + strings.Repeat("9", 400) + `}`, ok, strings.Repeat("9", 400)},
		{"tiny", "underflow is fine too", `{"a":-1.5e-400}`, ok, `-1.5e-400`},
		{"bad exponent", "an exponent needs digits", `{"a":1e}`, metamerge.CodeInvalidJSON, ""},
		{"plus sign", "no leading plus", `{"a":+1}`, metamerge.CodeInvalidJSON, ""},
		{"hex", "no hex numbers", `{"a":0x10}`, metamerge.CodeInvalidJSON, ""},
		{"bad UTF-8 in key", "names must be UTF-8", "{\"\xff\":1}", metamerge.CodeInvalidJSON, ""},
		{"bad UTF-8 in value", "values must be UTF-8", "{\"a\":\"\xc3\"}", metamerge.CodeInvalidJSON, ""},
		{"5-byte UTF-8", "no sequences longer than 4 bytes", "{\"a\":\"\xf8\x88\x80\x80\x80\"}", metamerge.CodeInvalidJSON, ""},
		{"above U+10FFFF", "F4 90 is past the last code point", "{\"a\":\"\xf4\x90\x80\x80\"}", metamerge.CodeInvalidJSON, ""},
		{"lone high surrogate", "H2", `{"a":"\ud83d"}`, metamerge.CodeInvalidJSON, ""},
		{"lone low surrogate in key", "H2 for names", `{"\ude00":1}`, metamerge.CodeInvalidJSON, ""},
		{"reversed surrogates", "H2", `{"a":"\ude00\ud83d"}`, metamerge.CodeInvalidJSON, ""},
		{"surrogate at end", "a high surrogate at the end of the string", `{"a":"x\ud800"}`, metamerge.CodeInvalidJSON, ""},
		{"byte-order mark", "H1", "\xef\xbb\xbf{}", metamerge.CodeInvalidJSON, ""},
		{"NUL in string", "control characters must be escaped", "{\"a\":\"\x00\"}", metamerge.CodeInvalidJSON, ""},
		{"NUL after value", "trailing data", "{}\x00", metamerge.CodeInvalidJSON, ""},
		{"escaped NUL", "\\u0000 is a valid escape and is kept", `{"a":"\u0000"}`, ok, `"\u0000"`},
		{"all four white spaces", "space, tab, LF and CR around every token", " \t\n\r{ \t\n\r\"a\" \t\n\r: \t\n\r[ \t\n\r1 \t\n\r, \t\n\r2 \t\n\r] \t\n\r} \t\n\r", ok,
			"[ \t\n\r1 \t\n\r, \t\n\r2 \t\n\r]"},
		{"vertical tab", "not JSON white space", "{\x0b}", metamerge.CodeInvalidJSON, ""},
		{"form feed", "not JSON white space", "{\x0c}", metamerge.CodeInvalidJSON, ""},
		{"no-break space", "U+00A0 is not JSON white space", "{\u00a0}", metamerge.CodeInvalidJSON, ""},
		{"line separator", "U+2028 is not JSON white space", "{\u2028}", metamerge.CodeInvalidJSON, ""},
		{"NEL", "U+0085 is not JSON white space", "{\u0085}", metamerge.CodeInvalidJSON, ""},
		{"trailing value", "nothing after the value", `{} {}`, metamerge.CodeInvalidJSON, ""},
		{"trailing letter", "nothing after the value", `{}x`, metamerge.CodeInvalidJSON, ""},
		{"empty", "no value at all", ``, metamerge.CodeInvalidJSON, ""},
		{"only white space", "no value at all", " \n", metamerge.CodeInvalidJSON, ""},
		{"unclosed object", "truncated", `{"a":1`, metamerge.CodeInvalidJSON, ""},
		{"unclosed string", "truncated inside a string", `{"a":"1`, metamerge.CodeInvalidJSON, ""},
		{"cut escape", "truncated inside an escape", `{"a":"\u12`, metamerge.CodeInvalidJSON, ""},
		{"duplicate", "H2", `{"a":1,"b":{},"a":2}`, metamerge.CodeDuplicateKey, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc := []byte(tc.doc)
			_, err := metamerge.MergeUser([]byte(`{}`), doc)
			_, errStored := metamerge.MergeUser(doc, []byte(`{}`))
			for side, err := range map[string]error{"patch": err, "stored": errStored} {
				leaves := leafErrors(t, err)
				switch {
				case tc.want == ok && err != nil:
					t.Errorf("%s (%s) as %s: %v", tc.name, tc.why, side, err)
				case tc.want != ok && (len(leaves) != 1 || leaves[0].Code != tc.want || leaves[0].Stored != (side == "stored")):
					t.Errorf("%s (%s) as %s: got %v, want %s", tc.name, tc.why, side, err, tc.want)
				}
			}
			if tc.want == ok {
				got, err := metamerge.FieldRules{Policy: metamerge.UserMetadata()}.Merge(nil, doc)
				if want := `{"a":` + tc.value + `}`; err != nil || string(got) != want {
					t.Errorf("%s: got %q, %v; want %q (value kept as written)", tc.name, got, err, want)
				}
			}
		})
	}
}

// TestEverySingleByte gives each byte 0x00–0xFF as a whole input: a digit
// is a valid document that is not an object, anything else is not JSON.
func TestEverySingleByte(t *testing.T) {
	for c := range 256 {
		doc := []byte{byte(c)}
		want := metamerge.CodeInvalidJSON
		if '0' <= c && c <= '9' {
			want = metamerge.CodeNotObject
		}
		_, err := metamerge.MergeUser([]byte(`{}`), doc)
		got := fieldsOf(t, err)
		if len(got) != 1 || got[0].Code != want || got[0].Stored || got[0].Pointer != "" {
			t.Errorf("patch %#02x: got %v, want %s", c, err, want)
		}
		_, err = metamerge.MergeUser(doc, []byte(`{}`))
		got = fieldsOf(t, err)
		if len(got) != 1 || got[0].Code != want || !got[0].Stored || got[0].Pointer != "" {
			t.Errorf("stored %#02x: got %v, want %s", c, err, want)
		}
	}
}
