package metamerge_test

// Does the library pass the golden vectors through its public API?

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/metamerge/metamerge"
	"github.com/metamerge/metamerge/conformance"
	"github.com/metamerge/metamerge/metamergetest"
)

// contractRules are the rule ids of the contract; every one must be cited
// by at least one vector.
var contractRules = []string{
	"R1", "R2", "R3", "R4", "R5", "R6", "R7", "R8", "R9", "R10",
	"C1", "C2", "C3", "C4", "C5",
	"S1", "S2", "S3",
	"H1", "H2", "H3", "H4", "H5", "H6", "H7", "H8", "H9", "H10",
	"D1", "D2", "D3", "D4", "D5", "D6", "D7",
}

// loadVectors returns the golden vectors of conformance/vectors.
func loadVectors(testing.TB) []metamergetest.Case { return conformance.Vectors() }

// TestVectors runs every vector against the library, through the rules
// types (metamergetest.Reference) with every option the vectors use.
func TestVectors(t *testing.T) {
	metamergetest.Run(t, metamergetest.Reference)
}

// TestVectorsPublicAPI runs the vectors through the package-level
// functions where a case has no options, and checks what the vectors do
// not say: every error is an *Error that errors.Is finds by its code,
// ValidateSignup agrees with Validate under the Signup policy, and
// results never come with errors.
func TestVectorsPublicAPI(t *testing.T) {
	for _, c := range loadVectors(t) {
		t.Run(c.Name, func(t *testing.T) {
			in := c.Input
			var result []byte
			var err error
			noOptions := in.Options == conformance.Options{}
			switch {
			case in.Op == "merge_user" && noOptions:
				result, err = metamerge.MergeUser(in.Stored, in.Patch)
			case in.Op == "merge_client" && noOptions:
				result, err = metamerge.MergeClient(in.Stored, in.Patch)
			case in.Op == "diff_user" && noOptions:
				result, err = metamerge.DiffUser(in.Before, in.After)
			case in.Op == "diff_client" && noOptions:
				result, err = metamerge.DiffClient(in.Before, in.After)
			case in.Op == "validate_signup":
				err = metamerge.ValidateSignup(in.Metadata)
				checkSignupMatchesValidate(t, in.Metadata, err)
			default:
				t.Skip("no package-level function for this op and these options")
			}
			got := metamergetest.Output{Result: result}
			for _, e := range leafErrors(t, err) {
				got.Errors = append(got.Errors, conformance.Violation{Code: string(e.Code), Pointer: e.Pointer, Stored: e.Stored, Auth0Message: e.Auth0Message()})
				if !errors.Is(err, e.Code) {
					t.Errorf("errors.Is(err, sentinel of %s) is false", e.Code)
				}
			}
			if d := c.Check(got); d != "" {
				t.Errorf("%s: %s", c.Name, d)
			}
		})
	}
}

// checkSignupMatchesValidate checks that ValidateSignup's errors are
// Validate's under the Signup policy, but for the flag that selects
// Auth0's signup wording.
func checkSignupMatchesValidate(t *testing.T, metadata []byte, err error) {
	t.Helper()
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

// tagsOf returns the tags a case must carry, as the vectors' README
// defines them.
func tagsOf(c metamergetest.Case) []string {
	var tags []string
	o, in := c.Input.Options, c.Input
	if o.MaxDepth != 0 || o.MaxErrors != 0 || o.MaxDocumentBytes != 0 || o.Unit != "" || o.MaxBytes != 0 {
		tags = append(tags, "knob")
	}
	if o.NoPrototypeKeys || o.MaxProfileBytes != 0 {
		tags = append(tags, "opt_in")
	}
	if slices.ContainsFunc(c.Want.Errors, func(e conformance.Violation) bool { return e.Auth0Message != "" }) {
		tags = append(tags, "auth0_message")
	}
	docs := [][]byte{in.Stored, in.Patch, in.Metadata, in.Before, in.After, in.Base, in.Desired, in.Live}
	for _, d := range docs {
		if d != nil && !isText(d) {
			tags = append(tags, "raw_bytes")
			break
		}
	}
	if slices.ContainsFunc(docs, func(d []byte) bool { return len(d) > 32*1024 }) {
		tags = append(tags, "large")
	}
	if slices.Contains(c.Tags, "probe") { // a judgment, not derived: an open question of the contract
		tags = append(tags, "probe")
	}
	return tags
}

// isText reports whether a document can be written as a JSON string of
// its text in a vector file: valid UTF-8 without a byte-order mark.
func isText(doc []byte) bool {
	return !bytes.HasPrefix(doc, []byte("\uFEFF")) && string([]rune(string(doc))) == string(doc)
}

func TestVectorsAreWellFormed(t *testing.T) {
	cases := loadVectors(t)
	if len(cases) < 100 {
		t.Errorf("%d vectors; the suite needs at least 100", len(cases))
	}
	cited := map[string]bool{}
	for _, c := range cases {
		if c.Comment == "" || len(c.Rules) == 0 {
			t.Errorf("%s: a case needs a comment and its rules", c.Name)
		}
		for _, r := range c.Rules {
			if !slices.Contains(contractRules, r) {
				t.Errorf("%s cites unknown rule %q", c.Name, r)
			}
			cited[r] = true
		}
		if diff := cmp.Diff(tagsOf(c), c.Tags); diff != "" {
			t.Errorf("%s: tags (-want +got):\n%s", c.Name, diff)
		}
	}
	for _, r := range contractRules {
		if !cited[r] {
			t.Errorf("rule %s is cited by no vector", r)
		}
	}
}

// TestVectorNamesAreStable holds the suite to its promise that a case's
// name is never reused: names.txt lists every name ever published, and a
// removed case stays there as "retired NAME".
func TestVectorNamesAreStable(t *testing.T) {
	data, err := fs.ReadFile(conformance.FS, "vectors/names.txt")
	if err != nil {
		t.Fatal(err)
	}
	listed, retired := map[string]bool{}, map[string]bool{}
	for _, line := range strings.Split(string(data), "\n") {
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "retired "):
			retired[strings.TrimPrefix(line, "retired ")] = true
		default:
			if listed[line] {
				t.Errorf("names.txt lists %q twice", line)
			}
			listed[line] = true
		}
	}
	current := map[string]bool{}
	for _, c := range loadVectors(t) {
		current[c.Name] = true
		if retired[c.Name] {
			t.Errorf("case %q reuses a retired name", c.Name)
		}
		if !listed[c.Name] {
			t.Errorf("case %q is not in names.txt: add it there", c.Name)
		}
	}
	for name := range listed {
		if !current[name] && !retired[name] {
			t.Errorf("case %q is gone: a removed case stays in names.txt as \"retired %s\" (and the suite's major version changes)", name, name)
		}
	}
	version, err := fs.ReadFile(conformance.FS, "vectors/VERSION")
	if err != nil || strings.TrimSpace(string(version)) != conformance.Version {
		t.Errorf("vectors/VERSION is %q, conformance.Version %q (%v)", version, conformance.Version, err)
	}
}

// managementRules are the rule ids of the Management API around the merge
// (management-api.md); every one must be cited by an endpoint case of the
// HTTP profile (conformance/vectors/http).
var managementRules = []string{"M1", "M2", "M3", "M4", "M5", "M6", "M7"}

// TestContractRuleIDs checks that contractRules and managementRules match
// the rule tables of the contract, when the contract is at hand.
func TestContractRuleIDs(t *testing.T) {
	for _, f := range []struct {
		file  string
		rules []string
	}{{"metadata-semantics.md", contractRules}, {"management-api.md", managementRules}} {
		data, err := os.ReadFile(filepath.Join(sharedDir, "reference", f.file))
		if err != nil {
			skipWithoutShared(t, err)
		}
		var ids []string
		for _, m := range regexp.MustCompile(`(?m)^\| ([A-Z][0-9]+) \|`).FindAllSubmatch(data, -1) {
			ids = append(ids, string(m[1]))
		}
		want := slices.Clone(f.rules)
		sort.Strings(ids)
		sort.Strings(want)
		if diff := cmp.Diff(want, ids); diff != "" {
			t.Errorf("rule ids of %s (-ours +contract):\n%s", f.file, diff)
		}
	}
	cited := map[string]bool{}
	for _, c := range conformance.EndpointVectors() {
		for _, r := range c.Rules {
			cited[r] = true
		}
	}
	for _, r := range managementRules {
		if !cited[r] {
			t.Errorf("rule %s is cited by no endpoint case", r)
		}
	}
}
