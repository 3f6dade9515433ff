package metamerge_test

// Do the merges agree with the model, and does the model agree with the vectors?

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/metamerge/metamerge"
	"github.com/metamerge/metamerge/metamergetest"
)

// Fuzz targets check the engine against the model in model_test.go. A
// short run is part of .ci/run; for a long one, see the README.

func userFields(r metamerge.UserRules) map[string]metamerge.Policy {
	return map[string]metamerge.Policy{"user_metadata": r.UserMetadata, "app_metadata": r.AppMetadata}
}

func clientFields(r metamerge.ClientRules) map[string]metamerge.Policy {
	return map[string]metamerge.Policy{"client_metadata": r.ClientMetadata}
}

// checkCall runs call and holds its answer to the invariants every function
// keeps and to the model's outcome.
func checkCall(t *testing.T, inputs [][]byte, call func() ([]byte, error), want mOutcome) []byte {
	t.Helper()
	before := make([][]byte, len(inputs))
	for i, in := range inputs {
		before[i] = bytes.Clone(in)
	}
	got, err := call()
	for i := range inputs {
		if !bytes.Equal(before[i], inputs[i]) {
			t.Fatalf("input %d modified: %q became %q", i, before[i], inputs[i])
		}
	}
	leaves := leafErrors(t, err) // fails on any error that is not *metamerge.Error
	if err != nil && got != nil {
		t.Fatalf("result %q returned with error %v", got, err)
	}
	if err == nil && got != nil && !json.Valid(got) {
		t.Fatalf("result is not valid JSON: %q", got)
	}
	if d := want.agree(got, err, leaves); d != "" {
		t.Fatalf("engine and model disagree on %q: %s", inputs, d)
	}
	return got
}

// idempotent checks that merging the same patch into a merged result got
// gives got again (nothing to check when got is nil: an error, or an
// absent field).
func idempotent(t *testing.T, got []byte, mergeAgain func(stored []byte) ([]byte, error)) {
	t.Helper()
	if got == nil {
		return
	}
	again, err := mergeAgain(got)
	if err != nil || !bytes.Equal(again, got) {
		t.Fatalf("not idempotent: %q then %q, %v", got, again, err)
	}
}

// seeds adds every vector's inputs, and the JSONTestSuite files where
// they are at hand, to a target taking two documents and extra arguments.
func seeds(f *testing.F, extra ...any) {
	for _, c := range loadVectors(f) {
		var in [][]byte
		for _, doc := range [][]byte{c.Input.Stored, c.Input.Patch, c.Input.Metadata} {
			if doc != nil {
				in = append(in, doc)
			}
		}
		switch len(in) {
		case 1:
			f.Add(append([]any{[]byte("{}"), in[0]}, extra...)...)
		case 2:
			f.Add(append([]any{in[0], in[1]}, extra...)...)
		}
	}
	dir := filepath.Join(sharedDir, "testdata", "JSONTestSuite", "test_parsing")
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if b, err := os.ReadFile(filepath.Join(dir, e.Name())); err == nil && len(b) < 4096 {
			f.Add(append([]any{b, []byte(`{"user_metadata":{"a":1}}`)}, extra...)...)
			f.Add(append([]any{[]byte(`{"user_metadata":{"a":1}}`), b}, extra...)...)
		}
	}
}

// The default rules, with their policies spelled out for the model.
var (
	userDefaults   = metamerge.UserRules{UserMetadata: metamerge.UserMetadata(), AppMetadata: metamerge.AppMetadata()}
	clientDefaults = metamerge.ClientRules{ClientMetadata: metamerge.ClientMetadata()}
)

func FuzzMergeUser(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, stored, patch []byte) {
		fields := userFields(userDefaults)
		got := checkCall(t, [][]byte{stored, patch}, func() ([]byte, error) { return metamerge.MergeUser(stored, patch) },
			modelDoc(stored, patch, metamerge.Limits{}, 0, fields))
		idempotent(t, got, func(s []byte) ([]byte, error) { return metamerge.MergeUser(s, patch) })
		checkAlone(t, patch, metamerge.UserRules{}.Check, fields)
	})
}

// checkAlone holds check, the PATCH-alone entry point, to the model of a
// merge into an empty document: with the default rules the two report the
// same violations (R9's sizes aside, which small inputs do not reach).
func checkAlone(t *testing.T, patch []byte, check func([]byte) error, fields map[string]metamerge.Policy) {
	t.Helper()
	want := modelDoc([]byte(`{}`), patch, metamerge.Limits{}, 0, fields)
	want.result = nil
	checkCall(t, [][]byte{patch}, func() ([]byte, error) { return nil, check(patch) }, want)
}

func FuzzMergeClient(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, stored, patch []byte) {
		fields := clientFields(clientDefaults)
		got := checkCall(t, [][]byte{stored, patch}, func() ([]byte, error) { return metamerge.MergeClient(stored, patch) },
			modelDoc(stored, patch, metamerge.Limits{}, 0, fields))
		idempotent(t, got, func(s []byte) ([]byte, error) { return metamerge.MergeClient(s, patch) })
		checkAlone(t, patch, metamerge.ClientRules{}.Check, fields)
	})
}

// fuzzRules turns knobs into one of the four policies with small limits,
// so that every limit is reachable by small inputs, and small limits of
// depth and error count.
func fuzzRules(knobs uint16) metamerge.FieldRules {
	var r metamerge.FieldRules
	p := &r.Policy
	*p = []func() metamerge.Policy{metamerge.UserMetadata, metamerge.AppMetadata, metamerge.ClientMetadata, metamerge.Signup}[knobs&3]()
	p.Unit = metamerge.Unit(knobs >> 2 % 3)
	if knobs&0x10 != 0 {
		p.MaxBytes = int(knobs >> 8)
	}
	if knobs&0x20 != 0 {
		r.MaxDepth = 1 + int(knobs>>12)
	}
	if knobs&0x40 != 0 {
		p.MaxKeys, p.MaxKeyLen, p.MaxValueLen = 2, 3, 4
		r.MaxErrors = 1 + int(knobs>>8)&3
	}
	p.NoPrototypeKeys = knobs&0x80 != 0
	return r
}

func FuzzMerge(f *testing.F) {
	seeds(f, uint16(0))
	for _, k := range []uint16{1, 2, 3, 0x12f4, 0x5036, 0xf07b, 0x0041, 0x0082} {
		f.Add([]byte(`{"a":"xy","b.c":{"$d":[1]}}`), []byte(`{"a":null,"e":"😀é","f":{}}`), k)
		f.Add([]byte(`{}`), []byte(`{"__proto__":{"x":[{"constructor":1}]},"prototype":"p"}`), k)
	}
	f.Fuzz(func(t *testing.T, existing, patch []byte, knobs uint16) {
		r := fuzzRules(knobs)
		got := checkCall(t, [][]byte{existing, patch}, func() ([]byte, error) { return r.Merge(existing, patch) },
			modelMerge(existing, patch, r.Policy, r.Limits))
		idempotent(t, got, func(s []byte) ([]byte, error) { return r.Merge(s, patch) })
		checkCall(t, [][]byte{patch}, func() ([]byte, error) { return nil, r.Validate(patch) }, modelValidate(patch, r.Policy, r.Limits))
	})
}

func FuzzValidateSignup(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, _, metadata []byte) {
		checkCall(t, [][]byte{metadata}, func() ([]byte, error) { return nil, metamerge.ValidateSignup(metadata) },
			modelValidate(metadata, metamerge.Signup(), metamerge.Limits{}))
	})
}

// TestModelAgreesWithVectors holds the model to the golden vectors, so
// that the fuzz targets compare the engine with a model known to be right
// where the spec is written down.
func TestModelAgreesWithVectors(t *testing.T) {
	for _, c := range loadVectors(t) {
		t.Run(c.Name, func(t *testing.T) {
			stored, patch, metadata := c.Input.Stored, c.Input.Patch, c.Input.Metadata
			var got mOutcome
			switch c.Input.Op {
			case "diff_user", "diff_client", "diff":
				modelRoundTrip(t, &c)
				return
			case "diff3_user", "diff3_client", "diff3":
				t.Skip("three-way diffs are held to their properties by FuzzDiff")
			case "merge_user", "report_user":
				r := must(c.Input.Options.UserRules())(t)
				got = modelDoc(stored, patch, r.Limits, r.MaxProfileBytes, userFields(r))
			case "merge_client", "report_client":
				r := must(c.Input.Options.ClientRules())(t)
				got = modelDoc(stored, patch, r.Limits, 0, clientFields(r))
			case "merge", "report":
				r := must(c.Input.Options.FieldRules(c.Input.Policy))(t)
				got = modelMerge(stored, patch, r.Policy, r.Limits)
			case "validate_signup":
				got = modelValidate(metadata, metamerge.Signup(), metamerge.Limits{})
			}
			var want mOutcome
			for _, e := range c.Want.Errors {
				want.errs = append(want.errs, mErr{metamerge.Code(e.Code), e.Pointer, e.Stored})
			}
			if c.Want.Result != nil {
				s := string(c.Want.Result)
				want.result = &s
			}
			if got.parse != nil { // the first defect met reading once (SPEC 1)
				if len(got.parse) != 1 || len(want.errs) != 1 || !got.parse[want.errs[0].Code] || got.storedParse != want.errs[0].Stored {
					t.Fatalf("model found parse defects %v (stored %v), vector wants %v", got.parse, got.storedParse, want.errs)
				}
				return
			}
			if !equalOutcome(got, want) {
				t.Fatalf("model: %+v %v, vector: %+v %v", got.errs, deref(got.result), want.errs, deref(want.result))
			}
		})
	}
}

func equalOutcome(a, b mOutcome) bool {
	if len(a.errs) != len(b.errs) {
		return false
	}
	for i := range a.errs {
		if a.errs[i] != b.errs[i] {
			return false
		}
	}
	return (a.result == nil) == (b.result == nil) && (a.result == nil || *a.result == *b.result)
}

func deref(s *string) any {
	if s == nil {
		return nil
	}
	return *s
}

// modelRoundTrip checks a diff vector with the model (D1): merging the
// diff it expects into before gives after. In the one-field op (diff) an
// absent or empty document is the absent field (SPEC 2, 9).
func modelRoundTrip(t *testing.T, c *metamergetest.Case) {
	if len(c.Want.Errors) > 0 {
		t.Skip("the model does not compute diffs; the errors are held by TestVectors")
	}
	want := c.Want.Result
	before, after := c.Input.Before, c.Input.After
	field := c.Input.Op == "diff"
	if want == nil { // no patch: the field stays as it is
		if field && (len(before) == 0 || len(after) == 0) {
			if len(before) != len(after) {
				t.Fatalf("no patch, but one of before %q and after %q is absent", before, after)
			}
			return
		}
		if eq, _ := metamerge.Equal(before, after); !eq {
			t.Fatalf("no patch, but before %s and after %s differ", before, after)
		}
		return
	}
	var got mOutcome
	switch c.Input.Op {
	case "diff_user":
		got = modelDoc(before, want, metamerge.Limits{}, 0, userFields(userDefaults))
	case "diff_client":
		got = modelDoc(before, want, metamerge.Limits{}, 0, clientFields(clientDefaults))
	default:
		r := must(c.Input.Options.FieldRules(c.Input.Policy))(t)
		got = modelMerge(before, want, r.Policy, r.Limits)
	}
	if len(got.errs) > 0 || got.parse != nil {
		t.Fatalf("the model rejects the diff: %+v %v", got.errs, got.parse)
	}
	if got.result == nil {
		if len(after) > 0 {
			t.Fatalf("the model removes the field; after is %s", after)
		}
		return
	}
	if eq, err := metamerge.Equal([]byte(*got.result), after); !eq || err != nil {
		t.Fatalf("the model merges the diff into %s, not after %s", *got.result, after)
	}
}

// must returns a function that gives v, failing the test on err.
func must[T any](v T, err error) func(testing.TB) T {
	return func(t testing.TB) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// TestLargeObjectsAgainstModel holds merges of fields with more than 16
// members, the size from which names are found through a hash table, to
// the model: patch fields whose table the duplicate check builds and the
// merge reuses, large objects nested in their values (whose tables come
// and go before the field's), escaped spellings of stored names, nulls,
// and a patch that is the stored document itself.
func TestLargeObjectsAgainstModel(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	name := func(i int) string {
		if rng.IntN(6) == 0 { // the same name, spelled with an escape
			return fmt.Sprintf(`\u006b%d`, i)
		}
		return fmt.Sprintf("k%d", i)
	}
	object := func(n, keys int, nested bool) string {
		var b strings.Builder
		b.WriteByte('{')
		for i := range n {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `"%s":`, name(rng.IntN(keys)*1000+i))
			switch v := rng.IntN(8); {
			case v == 0:
				b.WriteString("null")
			case v == 1 && nested:
				inner := make([]string, 17+rng.IntN(8))
				for j := range inner {
					inner[j] = fmt.Sprintf(`"n%d":%d`, j, j)
				}
				b.WriteString("{" + strings.Join(inner, ",") + "}")
			default:
				fmt.Fprintf(&b, "%d", rng.IntN(100))
			}
		}
		b.WriteByte('}')
		return b.String()
	}
	fields := userFields(userDefaults)
	for range 300 {
		keys := 1 + rng.IntN(3) // few distinct prefixes: many shared names
		stored := []byte(fmt.Sprintf(`{"user_id":"u","user_metadata":%s,"app_metadata":%s}`,
			object(rng.IntN(60), keys, true), object(rng.IntN(30), keys, false)))
		// The last large object of a patch is the one whose table the
		// merge can reuse: user_metadata here, or x after it.
		patch := []byte(fmt.Sprintf(`{"app_metadata":%s,"user_metadata":%s,"x":%s}`,
			object(rng.IntN(40), keys, true), object(10+rng.IntN(50), keys, true), object(rng.IntN(20), keys, false)))
		checkCall(t, [][]byte{stored, patch}, func() ([]byte, error) { return metamerge.MergeUser(stored, patch) },
			modelDoc(stored, patch, metamerge.Limits{}, 0, fields))
		checkCall(t, [][]byte{patch}, func() ([]byte, error) { return metamerge.MergeUser(patch, patch) },
			modelDoc(patch, patch, metamerge.Limits{}, 0, fields))
	}
}
