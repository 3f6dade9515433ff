package metamerge_test

// Does the parser judge JSONTestSuite's cases as H1-H3 say?

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/metamerge/metamerge"
)

// parse checks doc with Valid; an accepted document is also handed back
// unchanged by Merge, as a stored value that a patch of {} under
// EmptyIgnored leaves alone.
func parse(doc []byte) ([]byte, error) {
	if err := metamerge.Valid(doc); err != nil {
		return nil, err
	}
	r := metamerge.FieldRules{Policy: metamerge.Policy{Names: metamerge.NamesAny, Empty: metamerge.EmptyIgnored}}
	return r.Merge(doc, []byte("{}"))
}

// suiteVerdict is what the library does with one JSONTestSuite file:
// accept it (code "") or reject it with code.
func suiteVerdict(name string) (code metamerge.Code, why string) {
	switch {
	case strings.HasPrefix(name, "y_object_duplicated_key"):
		return metamerge.CodeDuplicateKey, "H2 rejects duplicate names"
	case strings.HasPrefix(name, "y_"):
		return "", "RFC 8259 JSON"
	case strings.HasPrefix(name, "i_number_"):
		return "", "number text is valid and kept as written, however large (H5)"
	case name == "i_structure_500_nested_arrays.json":
		return metamerge.CodeTooDeep, "deeper than the default limit of 100 (H3)"
	case strings.HasPrefix(name, "i_"):
		return metamerge.CodeInvalidJSON, "not UTF-8, a byte-order mark, or a lone surrogate escape (H1, H2)"
	case name == "n_structure_100000_opening_arrays.json", name == "n_structure_open_array_object.json":
		return metamerge.CodeTooDeep, "the depth limit is reached before the defect (H3, H9)"
	}
	return metamerge.CodeInvalidJSON, "not JSON"
}

func TestJSONTestSuite(t *testing.T) {
	dir := filepath.Join(sharedDir, "testdata", "JSONTestSuite", "test_parsing")
	entries, err := os.ReadDir(dir)
	if err != nil {
		skipWithoutShared(t, err)
	}
	if len(entries) < 300 {
		t.Fatalf("only %d files in %s", len(entries), dir)
	}
	for _, ent := range entries {
		name := ent.Name()
		t.Run(name, func(t *testing.T) {
			doc, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			want, why := suiteVerdict(name)
			got, err := parse(doc)
			if want == "" {
				if err != nil {
					t.Fatalf("rejected (%v), want accepted: %s", err, why)
				}
				if string(got) != string(doc) {
					t.Fatalf("accepted but changed: got %q, want %q", got, doc)
				}
				return
			}
			var e *metamerge.Error
			if !errors.As(err, &e) {
				t.Fatalf("got (%q, %v), want a *metamerge.Error with code %s: %s", got, err, want, why)
			}
			if e.Code != want || e.Stored || got != nil {
				t.Fatalf("got code %s (stored %v, result %q), want %s: %s", e.Code, e.Stored, got, want, why)
			}
		})
	}
}
