package metamerge_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/metamerge/metamerge"
)

// vectorCase is one case of testdata/vectors, as its README defines it.
type vectorCase struct {
	Name           string          `json:"name"`
	Comment        string          `json:"comment"`
	Rules          []string        `json:"rules"`
	Op             string          `json:"op"`
	Policy         string          `json:"policy"`
	Stored         *string         `json:"stored"`
	StoredBase64   *string         `json:"stored_base64"`
	Patch          *string         `json:"patch"`
	PatchBase64    *string         `json:"patch_base64"`
	Metadata       *string         `json:"metadata"`
	MetadataBase64 *string         `json:"metadata_base64"`
	Before         *string         `json:"before"`
	After          *string         `json:"after"`
	Base           *string         `json:"base"`
	Desired        *string         `json:"desired"`
	Live           *string         `json:"live"`
	Options        vectorOptions   `json:"options"`
	Result         json.RawMessage `json:"result"`
	Changes        []vectorChange  `json:"changes"`
	Errors         []vectorError   `json:"errors"`

	file string
}

type vectorOptions struct {
	MaxDepth         int    `json:"max_depth"`
	MaxErrors        int    `json:"max_errors"`
	MaxDocumentBytes int    `json:"max_document_bytes"`
	Unit             string `json:"unit"`
	MaxBytes         int    `json:"max_bytes"`
	MaxProfileBytes  int    `json:"max_profile_bytes"`
	NoPrototypeKeys  bool   `json:"no_prototype_keys"`
}

// limits returns the per-document options.
func (o vectorOptions) limits() metamerge.Limits {
	return metamerge.Limits{MaxDepth: o.MaxDepth, MaxErrors: o.MaxErrors, MaxDocumentBytes: o.MaxDocumentBytes}
}

type vectorChange struct {
	Op      string `json:"op"`
	Pointer string `json:"pointer"`
}

type vectorError struct {
	Code         string `json:"code"`
	Pointer      string `json:"pointer"`
	Stored       bool   `json:"stored,omitempty"`
	Auth0Message string `json:"auth0_message,omitempty"`
}

// contractRules are the rule ids of the contract; every one must be cited
// by at least one vector.
var contractRules = []string{
	"R1", "R2", "R3", "R4", "R5", "R6", "R7", "R8", "R9", "R10",
	"C1", "C2", "C3", "C4", "C5",
	"S1", "S2", "S3",
	"H1", "H2", "H3", "H4", "H5", "H6", "H7", "H8", "H9", "H10",
	"D1", "D2", "D3", "D4", "D5", "D6", "D7",
}

func loadVectors(t testing.TB) []vectorCase {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "vectors", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no vector files: %v", err)
	}
	var all []vectorCase
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var file struct {
			Description string       `json:"description"`
			Cases       []vectorCase `json:"cases"`
		}
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&file); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for i := range file.Cases {
			file.Cases[i].file = filepath.Base(f)
		}
		all = append(all, file.Cases...)
	}
	return all
}

// input returns the text or base64 form of one input, and whether it is present.
func input(t *testing.T, text, b64 *string) ([]byte, bool) {
	t.Helper()
	switch {
	case text != nil && b64 != nil:
		t.Fatal("an input has both a text and a base64 form")
	case text != nil:
		return []byte(*text), true
	case b64 != nil:
		b, err := base64.StdEncoding.DecodeString(*b64)
		if err != nil {
			t.Fatalf("bad base64: %v", err)
		}
		return b, true
	}
	return nil, false
}

func unitOf(t *testing.T, s string) metamerge.Unit {
	switch s {
	case "", "utf16":
		return metamerge.UnitUTF16
	case "code_points":
		return metamerge.UnitCodePoints
	case "bytes":
		return metamerge.UnitBytes
	}
	t.Fatalf("unknown unit %q", s)
	return 0
}

func (c *vectorCase) apply(t *testing.T, p *metamerge.Policy) {
	p.Unit = unitOf(t, c.Options.Unit)
	if c.Options.MaxBytes != 0 {
		p.MaxBytes = c.Options.MaxBytes
	}
	p.NoPrototypeKeys = c.Options.NoPrototypeKeys
}

// userRules and clientRules return the rules of a case's options.
func (c *vectorCase) userRules(t *testing.T) metamerge.UserRules {
	r := metamerge.UserRules{UserMetadata: metamerge.UserMetadata(), AppMetadata: metamerge.AppMetadata(),
		MaxProfileBytes: c.Options.MaxProfileBytes, Limits: c.Options.limits()}
	c.apply(t, &r.UserMetadata)
	c.apply(t, &r.AppMetadata)
	return r
}

func (c *vectorCase) clientRules(t *testing.T) metamerge.ClientRules {
	r := metamerge.ClientRules{ClientMetadata: metamerge.ClientMetadata(), Limits: c.Options.limits()}
	c.apply(t, &r.ClientMetadata)
	return r
}

// fieldRules returns the rules of a case of op merge.
func (c *vectorCase) fieldRules(t *testing.T) metamerge.FieldRules {
	p, ok := namedPolicies[c.Policy]
	if !ok {
		t.Fatalf("unknown policy %q", c.Policy)
	}
	r := metamerge.FieldRules{Policy: p(), Limits: c.Options.limits()}
	c.apply(t, &r.Policy)
	return r
}

var namedPolicies = map[string]func() metamerge.Policy{
	"user_metadata": metamerge.UserMetadata, "app_metadata": metamerge.AppMetadata,
	"client_metadata": metamerge.ClientMetadata, "signup": metamerge.Signup,
}

// text returns an optional text input: nil when absent.
func text(s *string) []byte {
	if s == nil {
		return nil
	}
	return []byte(*s)
}

// run executes the case through the public API; changes is set for the
// report ops.
func (c *vectorCase) run(t *testing.T) (result []byte, resultSet bool, changes []metamerge.Change, err error) {
	before, after := text(c.Before), text(c.After)
	base, desired, live := text(c.Base), text(c.Desired), text(c.Live)
	switch c.Op {
	case "diff_user":
		result, err = metamerge.DiffUser(before, after)
		return result, true, nil, err
	case "diff_client":
		result, err = metamerge.DiffClient(before, after)
		return result, true, nil, err
	case "diff":
		result, err = c.fieldRules(t).Diff(before, after)
		return result, true, nil, err
	case "diff3_user":
		result, err = c.userRules(t).Diff3(base, desired, live)
		return result, true, nil, err
	case "diff3_client":
		result, err = c.clientRules(t).Diff3(base, desired, live)
		return result, true, nil, err
	case "diff3":
		result, err = c.fieldRules(t).Diff3(base, desired, live)
		return result, true, nil, err
	case "report_user":
		result, changes, err = c.userRules(t).MergeReport(text(c.Stored), text(c.Patch))
		return result, true, changes, err
	case "report_client":
		result, changes, err = c.clientRules(t).MergeReport(text(c.Stored), text(c.Patch))
		return result, true, changes, err
	case "report":
		result, changes, err = c.fieldRules(t).MergeReport(text(c.Stored), text(c.Patch))
		return result, true, changes, err
	}
	result, resultSet, err = c.runMerge(t)
	return result, resultSet, nil, err
}

// runMerge executes the merge, check and report ops.
func (c *vectorCase) runMerge(t *testing.T) (result []byte, resultSet bool, err error) {
	stored, hasStored := input(t, c.Stored, c.StoredBase64)
	patch, hasPatch := input(t, c.Patch, c.PatchBase64)
	metadata, hasMetadata := input(t, c.Metadata, c.MetadataBase64)
	before := [][]byte{bytes.Clone(stored), bytes.Clone(patch), bytes.Clone(metadata)}
	defer func() { // H7: the inputs are never modified
		after := [][]byte{stored, patch, metadata}
		if diff := cmp.Diff(before, after); diff != "" {
			t.Errorf("%s: inputs modified (-before +after):\n%s", c.Name, diff)
		}
	}()
	need := func(ok bool, what string) {
		if !ok {
			t.Fatalf("op %s needs %s", c.Op, what)
		}
	}
	switch c.Op {
	case "merge_user":
		need(hasStored && hasPatch, "stored and patch")
		if c.Options == (vectorOptions{}) {
			result, err = metamerge.MergeUser(stored, patch)
		} else {
			result, err = c.userRules(t).Merge(stored, patch)
		}
		return result, true, err
	case "merge_client":
		need(hasStored && hasPatch, "stored and patch")
		if c.Options == (vectorOptions{}) {
			result, err = metamerge.MergeClient(stored, patch)
		} else {
			result, err = c.clientRules(t).Merge(stored, patch)
		}
		return result, true, err
	case "merge":
		need(hasPatch, "patch")
		result, err = c.fieldRules(t).Merge(stored, patch)
		return result, true, err
	case "validate_signup":
		need(hasMetadata, "metadata")
		if c.Options != (vectorOptions{}) {
			t.Fatal("validate_signup takes no options")
		}
		err := metamerge.ValidateSignup(metadata)
		// The same errors as Validate with the Signup policy, but for the
		// flag that selects Auth0's signup wording.
		generic := metamerge.FieldRules{Policy: metamerge.Signup()}.Validate(metadata)
		var want, got []metamerge.Error
		for _, e := range metamerge.Errors(err) {
			if !e.Signup {
				t.Errorf("ValidateSignup error without Signup: %v", e)
			}
			c := *e
			c.Signup = false
			want = append(want, c)
		}
		for _, e := range metamerge.Errors(generic) {
			got = append(got, *e)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("ValidateSignup and Validate(Signup()) differ beyond Signup (-signup +validate):\n%s", diff)
		}
		return nil, false, err
	}
	t.Fatalf("unknown op %q", c.Op)
	return nil, false, nil
}

// leafErrors lists the *metamerge.Error values of err, failing the test
// when err is not nil but holds none.
func leafErrors(t testing.TB, err error) []*metamerge.Error {
	t.Helper()
	errs := metamerge.Errors(err)
	if err != nil && len(errs) == 0 {
		t.Fatalf("error %T holds no *metamerge.Error: %v", err, err)
	}
	return errs
}

func TestVectors(t *testing.T) {
	cases := loadVectors(t)
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			if c.Comment == "" || len(c.Rules) == 0 {
				t.Fatal("a case needs a comment and its rules")
			}
			hasResult := len(c.Result) > 0
			if hasResult == (c.Errors != nil) && c.Op != "validate_signup" {
				t.Fatal("a case has either result or errors")
			}
			got, _, changes, err := c.run(t)
			if strings.HasPrefix(c.Op, "report") {
				gotChanges := []vectorChange{}
				for _, ch := range changes {
					gotChanges = append(gotChanges, vectorChange{string(ch.Op), ch.Pointer})
				}
				want := c.Changes
				if err != nil {
					want = []vectorChange{}
				}
				if diff := cmp.Diff(want, gotChanges); diff != "" {
					t.Errorf("%s: changes (-want +got):\n%s", c.Name, diff)
				}
			}

			var wantErrs []vectorError
			for _, e := range c.Errors {
				if !slices.Contains(c.Rules, "S3") {
					e.Auth0Message = ""
				}
				wantErrs = append(wantErrs, e)
			}
			var gotErrs []vectorError
			for _, e := range leafErrors(t, err) {
				ve := vectorError{Code: string(e.Code), Pointer: e.Pointer, Stored: e.Stored}
				if slices.Contains(c.Rules, "S3") {
					ve.Auth0Message = e.Auth0Message()
				}
				gotErrs = append(gotErrs, ve)
				if !errors.Is(err, e.Code) {
					t.Errorf("errors.Is(err, sentinel of %s) is false", e.Code)
				}
			}
			if diff := cmp.Diff(wantErrs, gotErrs); diff != "" {
				t.Errorf("%s: errors (-want +got):\n%s", c.Name, diff)
			}
			if err != nil && got != nil {
				t.Errorf("%s: a result came back with an error (H7)", c.Name)
			}
			if hasResult {
				var want *string
				if err := json.Unmarshal(c.Result, &want); err != nil {
					t.Fatalf("result: %v", err)
				}
				var gotText *string
				if got != nil {
					s := string(got)
					gotText = &s
				}
				if diff := cmp.Diff(want, gotText); diff != "" {
					t.Errorf("%s: result (-want +got):\n%s", c.Name, diff)
				}
			}
		})
	}
}

func TestVectorsAreWellFormed(t *testing.T) {
	cases := loadVectors(t)
	if len(cases) < 100 {
		t.Errorf("%d vectors; the suite needs at least 100", len(cases))
	}
	seen := map[string]string{}
	cited := map[string]bool{}
	for _, c := range cases {
		if f, dup := seen[c.Name]; dup {
			t.Errorf("name %q is in %s and %s", c.Name, f, c.file)
		}
		seen[c.Name] = c.file
		for _, r := range c.Rules {
			if !slices.Contains(contractRules, r) {
				t.Errorf("%s cites unknown rule %q", c.Name, r)
			}
			cited[r] = true
		}
	}
	for _, r := range contractRules {
		if !cited[r] {
			t.Errorf("rule %s is cited by no vector", r)
		}
	}
}

// TestContractRuleIDs checks that contractRules matches the rule tables of
// the contract, when the contract is at hand.
func TestContractRuleIDs(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(sharedDir, "reference", "metadata-semantics.md"))
	if err != nil {
		skipWithoutShared(t, err)
	}
	var ids []string
	for _, m := range regexp.MustCompile(`(?m)^\| ([A-Z][0-9]+) \|`).FindAllSubmatch(data, -1) {
		ids = append(ids, string(m[1]))
	}
	want := slices.Clone(contractRules)
	sort.Strings(ids)
	sort.Strings(want)
	if diff := cmp.Diff(want, ids); diff != "" {
		t.Errorf("rule ids of the contract (-ours +contract):\n%s", diff)
	}
}
