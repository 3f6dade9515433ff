package metamerge_test

// Are settings checked, defaulted and printed as documented?

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/metamerge/metamerge"
)

// TestZeroRulesAreAuth0s checks that the zero UserRules and ClientRules
// apply Auth0's rules, not none: a zero Policy stands for the field's
// default.
func TestZeroRulesAreAuth0s(t *testing.T) {
	tests := []struct {
		name, why string
		merge     func(stored, patch []byte) ([]byte, error)
		stored    string
		patch     string
		want      string
		wantErr   []errorFields
	}{
		{"user dotted", "R7 holds in the zero UserRules", metamerge.UserRules{}.Merge, `{}`, `{"user_metadata":{"a.b":1,"$x":2}}`, "",
			[]errorFields{{Code: metamerge.CodeInvalidKey, Pointer: "/user_metadata/a.b", Offset: 18}, {Code: metamerge.CodeInvalidKey, Pointer: "/user_metadata/$x", Offset: 26}}},
		{"user reserved", "R8 holds in the zero UserRules", metamerge.UserRules{}.Merge, `{}`, `{"app_metadata":{"email":1}}`, "",
			[]errorFields{{Code: metamerge.CodeReservedKey, Pointer: "/app_metadata/email", Offset: 17}}},
		{"app {} removes", "R6: app_metadata is removed, not set to {}", metamerge.UserRules{}.Merge, `{"app_metadata":{"a":1}}`, `{"app_metadata":{}}`, `{}`, nil},
		{"cap only", "setting one field of UserRules keeps the default policies", metamerge.UserRules{MaxProfileBytes: 10}.Merge, `{}`, `{"user_metadata":{"a.b":1}}`, "",
			[]errorFields{{Code: metamerge.CodeTooLarge, Offset: -1, Limit: 10, Actual: 27}, {Code: metamerge.CodeInvalidKey, Pointer: "/user_metadata/a.b", Offset: 18}}},
		{"client number", "C2 holds in the zero ClientRules", metamerge.ClientRules{}.Merge, `{}`, `{"client_metadata":{"n":1}}`, "",
			[]errorFields{{Code: metamerge.CodeNotString, Pointer: "/client_metadata/n", Offset: 24, Found: "number"}}},
		{"client 11 keys", "C4 holds in the zero ClientRules", metamerge.ClientRules{}.Merge, `{"client_metadata":{"a":"","b":"","c":"","d":"","e":"","f":"","g":"","h":"","i":"","j":""}}`, `{"client_metadata":{"k":""}}`, "",
			[]errorFields{{Code: metamerge.CodeTooManyKeys, Pointer: "/client_metadata", Offset: 19, Limit: 10, Actual: 11}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.merge([]byte(tc.stored), []byte(tc.patch))
			if diff := cmp.Diff(tc.wantErr, fieldsOf(t, err)); diff != "" {
				t.Fatalf("%s (%s): errors (-want +got):\n%s", tc.name, tc.why, diff)
			}
			if tc.wantErr == nil && string(got) != tc.want {
				t.Fatalf("%s (%s): got %q, want %q", tc.name, tc.why, got, tc.want)
			}
		})
	}
}

// TestSettingsOutOfRange checks that every setting out of range is an
// error that names the field, from every call that takes it, and never a
// quietly weaker rule.
func TestSettingsOutOfRange(t *testing.T) {
	withPolicy := func(f func(*metamerge.Policy)) metamerge.Policy {
		p := metamerge.ClientMetadata()
		f(&p)
		return p
	}
	policies := []struct {
		name   string
		policy metamerge.Policy
		field  string
	}{
		{"unit 99", withPolicy(func(p *metamerge.Policy) { p.Unit = 99 }), "Unit"},
		{"negative unit", withPolicy(func(p *metamerge.Policy) { p.Unit = -1 }), "Unit"},
		{"names 99", withPolicy(func(p *metamerge.Policy) { p.Names = 99 }), "Names"},
		{"names unset", withPolicy(func(p *metamerge.Policy) { p.Names = 0 }), "Names"},
		{"only a limit", metamerge.Policy{MaxKeys: 5}, "Names"},
		{"empty 7", withPolicy(func(p *metamerge.Policy) { p.Empty = 7 }), "Empty"},
		{"negative keys", withPolicy(func(p *metamerge.Policy) { p.MaxKeys = -1 }), "MaxKeys"},
		{"negative key length", withPolicy(func(p *metamerge.Policy) { p.MaxKeyLen = -1 }), "MaxKeyLen"},
		{"negative value length", withPolicy(func(p *metamerge.Policy) { p.MaxValueLen = -5 }), "MaxValueLen"},
		{"negative bytes", withPolicy(func(p *metamerge.Policy) { p.MaxBytes = -1 }), "MaxBytes"},
	}
	limits := []struct {
		name   string
		limits metamerge.Limits
		field  string
	}{
		{"negative depth", metamerge.Limits{MaxDepth: -1}, "MaxDepth"},
		{"depth over 10,000", metamerge.Limits{MaxDepth: 10_001}, "MaxDepth"},
		{"negative errors", metamerge.Limits{MaxErrors: -1}, "MaxErrors"},
		{"errors over 1,000", metamerge.Limits{MaxErrors: 1_001}, "MaxErrors"},
		{"negative document size", metamerge.Limits{MaxDocumentBytes: -1}, "MaxDocumentBytes"},
	}
	type call struct {
		name string
		run  func() error
	}
	doc, patch := []byte(`{}`), []byte(`{"user_metadata":{"a":1},"client_metadata":{"a":"b"}}`)
	check := func(t *testing.T, calls []call, want string) {
		for _, c := range calls {
			err := c.run()
			switch {
			case err == nil:
				t.Errorf("%s: accepted; want an error naming %s", c.name, want)
			case len(metamerge.Errors(err)) != 0:
				t.Errorf("%s: %v is a violation, not a setting error", c.name, err)
			case !strings.Contains(err.Error(), want):
				t.Errorf("%s: %q does not name %s", c.name, err, want)
			}
		}
	}
	for _, tc := range policies {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.policy
			check(t, []call{
				{"UserRules.Merge", func() error { _, err := metamerge.UserRules{AppMetadata: p}.Merge(doc, patch); return err }},
				{"UserRules.Check", func() error { return metamerge.UserRules{UserMetadata: p}.Check(patch) }},
				{"ClientRules.Merge", func() error { _, err := metamerge.ClientRules{ClientMetadata: p}.Merge(doc, patch); return err }},
				{"ClientRules.Check", func() error { return metamerge.ClientRules{ClientMetadata: p}.Check(patch) }},
				{"FieldRules.Merge", func() error { _, err := metamerge.FieldRules{Policy: p}.Merge(doc, doc); return err }},
				{"FieldRules.Check", func() error { return metamerge.FieldRules{Policy: p}.Check(doc) }},
				{"FieldRules.Validate", func() error { return metamerge.FieldRules{Policy: p}.Validate(doc) }},
			}, "."+tc.field)
		})
	}
	for _, tc := range limits {
		t.Run(tc.name, func(t *testing.T) {
			l := tc.limits
			user := metamerge.FieldRules{Policy: metamerge.UserMetadata(), Limits: l}
			check(t, []call{
				{"UserRules.Merge", func() error { _, err := metamerge.UserRules{Limits: l}.Merge(doc, patch); return err }},
				{"UserRules.Check", func() error { return metamerge.UserRules{Limits: l}.Check(patch) }},
				{"ClientRules.Merge", func() error { _, err := metamerge.ClientRules{Limits: l}.Merge(doc, patch); return err }},
				{"ClientRules.Check", func() error { return metamerge.ClientRules{Limits: l}.Check(patch) }},
				{"FieldRules.Merge", func() error { _, err := user.Merge(doc, doc); return err }},
				{"FieldRules.Check", func() error { return user.Check(doc) }},
				{"FieldRules.Validate", func() error { return user.Validate(doc) }},
			}, "."+tc.field)
		})
	}
	t.Run("zero FieldRules", func(t *testing.T) {
		check(t, []call{{"FieldRules.Merge", func() error { _, err := metamerge.FieldRules{}.Merge(doc, doc); return err }}}, "FieldRules.Policy.Names")
	})
	t.Run("negative profile cap", func(t *testing.T) {
		check(t, []call{{"UserRules.Merge", func() error { _, err := metamerge.UserRules{MaxProfileBytes: -1}.Merge(doc, doc); return err }}}, "MaxProfileBytes")
	})
}

// TestEnumsPrintTheirNames checks that the settings' enums print as the
// names a reader writes in code, not as bare numbers, so that a Policy
// printed with %+v reads as it was built.
func TestEnumsPrintTheirNames(t *testing.T) {
	tests := []struct {
		v    any
		want string
		why  string
	}{
		{metamerge.UnitUTF16, "UnitUTF16", "the default Unit (H4)"},
		{metamerge.UnitBytes, "UnitBytes", "a Unit"},
		{metamerge.UnitCodePoints, "UnitCodePoints", "the last Unit"},
		{metamerge.Unit(3), "Unit(3)", "past the last Unit: refused by every call, printed as a value"},
		{metamerge.Unit(-1), "Unit(-1)", "a negative Unit"},
		{metamerge.NameRule(0), "NameRule(0)", "the zero NameRule is not a rule"},
		{metamerge.NamesAny, "NamesAny", "the first NameRule"},
		{metamerge.NamesNoDotOrDollar, "NamesNoDotOrDollar", "R7"},
		{metamerge.NamesClient, "NamesClient", "C3"},
		{metamerge.NameRule(4), "NameRule(4)", "past the last NameRule"},
		{metamerge.EmptyClears, "EmptyClears", "the default EmptyPatch (R6, C5)"},
		{metamerge.EmptyRemoves, "EmptyRemoves", "R6 for app_metadata"},
		{metamerge.EmptyIgnored, "EmptyIgnored", "the last EmptyPatch"},
		{metamerge.EmptyPatch(3), "EmptyPatch(3)", "past the last EmptyPatch"},
	}
	for _, tc := range tests {
		if got := fmt.Sprint(tc.v); got != tc.want {
			t.Errorf("%s: fmt.Sprint = %q, want %q", tc.why, got, tc.want)
		}
	}
	got := fmt.Sprintf("%+v", metamerge.ClientMetadata())
	if want := "Unit:UnitUTF16 Names:NamesClient Reserved:[] Empty:EmptyClears"; !strings.Contains(got, want) {
		t.Errorf("ClientMetadata() prints as %s, want it to contain %s", got, want)
	}
}

// TestHalfBuiltPolicySaysHowToBuildOne checks that a Policy written as a
// literal with a limit but no Names, the usual mistake, fails at the first
// call with an error that names the field and the constructors to start
// from, whichever call and rules type takes it.
func TestHalfBuiltPolicySaysHowToBuildOne(t *testing.T) {
	half := metamerge.Policy{MaxKeys: 5}
	doc, patch := []byte(`{}`), []byte(`{"user_metadata":{"a":"b"},"client_metadata":{"a":"b"}}`)
	calls := []struct {
		name, field string
		run         func() error
	}{
		{"UserRules.Merge", "UserRules.UserMetadata.Names", func() error { _, err := metamerge.UserRules{UserMetadata: half}.Merge(doc, patch); return err }},
		{"UserRules.Diff", "UserRules.AppMetadata.Names", func() error { _, err := metamerge.UserRules{AppMetadata: half}.Diff(doc, patch); return err }},
		{"UserRules.MergeReport", "UserRules.UserMetadata.Names", func() error {
			_, _, err := metamerge.UserRules{UserMetadata: half}.MergeReport(doc, patch)
			return err
		}},
		{"ClientRules.Diff3", "ClientRules.ClientMetadata.Names", func() error {
			_, err := metamerge.ClientRules{ClientMetadata: half}.Diff3(doc, patch, doc)
			return err
		}},
		{"FieldRules.Diff", "FieldRules.Policy.Names", func() error { _, err := metamerge.FieldRules{Policy: half}.Diff(doc, doc); return err }},
		{"FieldRules.Diff3", "FieldRules.Policy.Names", func() error { _, err := metamerge.FieldRules{Policy: half}.Diff3(doc, doc, doc); return err }},
		{"FieldRules.MergeReport", "FieldRules.Policy.Names", func() error {
			_, _, err := metamerge.FieldRules{Policy: half}.MergeReport(doc, doc)
			return err
		}},
	}
	for _, c := range calls {
		err := c.run()
		if err == nil || len(metamerge.Errors(err)) != 0 {
			t.Errorf("%s: got %v, want a setting error", c.name, err)
			continue
		}
		for _, want := range []string{c.field, "UserMetadata()", "AppMetadata()", "ClientMetadata()", "Signup()", "NamesAny"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("%s: %q does not name %s", c.name, err, want)
			}
		}
	}
}
