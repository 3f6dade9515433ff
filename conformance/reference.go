package conformance

import (
	"fmt"
	"slices"
	"strings"

	"github.com/metamerge/metamerge"
)

// Reference is the library itself as an implementation: it answers every
// case with metamerge's functions, filling in Auth0's message of each
// violation where the library knows it. It skips, with the reason, an
// input it cannot map to the library (an unknown op, policy or unit).
func Reference(in Input) Output {
	result, changes, err := reference(in)
	if s, ok := err.(skip); ok {
		return Output{Skipped: string(s)}
	}
	errs := metamerge.Errors(err)
	if err != nil && len(errs) == 0 {
		return Output{Skipped: "setting out of range: " + err.Error()}
	}
	if len(errs) > 0 {
		out := Output{Errors: make([]Violation, len(errs))}
		for i, e := range errs {
			out.Errors[i] = Violation{Code: string(e.Code), Pointer: e.Pointer, Stored: e.Stored, Auth0Message: e.Auth0Message()}
		}
		return out
	}
	out := Output{Result: result}
	if isReport(in.Op) {
		out.Changes = make([]ReportedChange, len(changes))
		for i, ch := range changes {
			out.Changes[i] = ReportedChange{Op: string(ch.Op), Pointer: ch.Pointer}
		}
	}
	return out
}

// skip is the reason an input cannot be run.
type skip string

func (s skip) Error() string { return string(s) }

// rules is what the three rules types of the library have in common.
type rules interface {
	Merge(stored, patch []byte) ([]byte, error)
	MergeReport(stored, patch []byte) ([]byte, []metamerge.Change, error)
	Diff(before, after []byte) ([]byte, error)
	Diff3(base, desired, live []byte) ([]byte, error)
}

// reference runs one input through the library.
func reference(in Input) (result []byte, changes []metamerge.Change, err error) {
	if !slices.Contains(ops, in.Op) {
		return nil, nil, skip("unknown op " + quoteCut([]byte(in.Op), 0))
	}
	if in.Op == "validate_signup" {
		if in.Options != (Options{}) {
			return nil, nil, skip("validate_signup takes no options")
		}
		return nil, nil, metamerge.ValidateSignup(in.Metadata)
	}
	// The op is what to do, and its suffix which rules: a profile's, a
	// client's, or (none) one field's under the named policy.
	var r rules
	op, kind, _ := strings.Cut(in.Op, "_")
	switch kind {
	case "user":
		r, err = in.Options.UserRules()
	case "client":
		r, err = in.Options.ClientRules()
	case "":
		r, err = in.Options.FieldRules(in.Policy)
	default:
		return nil, nil, skip(fmt.Sprintf("unknown op %q", in.Op))
	}
	if err != nil {
		return nil, nil, err
	}
	switch op {
	case "merge":
		result, err = r.Merge(in.Stored, in.Patch)
	case "report":
		result, changes, err = r.MergeReport(in.Stored, in.Patch)
	case "diff":
		result, err = r.Diff(in.Before, in.After)
	case "diff3":
		result, err = r.Diff3(in.Base, in.Desired, in.Live)
	default:
		return nil, nil, skip(fmt.Sprintf("unknown op %q", in.Op))
	}
	return result, changes, err
}

// limits returns the settings of a whole call.
func (o Options) limits() metamerge.Limits {
	return metamerge.Limits{MaxDepth: o.MaxDepth, MaxErrors: o.MaxErrors, MaxDocumentBytes: o.MaxDocumentBytes}
}

// apply sets the options that belong to a field's policy.
func (o Options) apply(p *metamerge.Policy) error {
	switch o.Unit {
	case "", "utf16":
		p.Unit = metamerge.UnitUTF16
	case "code_points":
		p.Unit = metamerge.UnitCodePoints
	case "bytes":
		p.Unit = metamerge.UnitBytes
	default:
		return skip(fmt.Sprintf("unknown unit %q", o.Unit))
	}
	if o.MaxBytes != 0 {
		p.MaxBytes = o.MaxBytes
	}
	p.NoPrototypeKeys = o.NoPrototypeKeys
	return nil
}

// UserRules returns the rules of merge_user and the other user ops under
// these options, or an error naming an unknown unit.
func (o Options) UserRules() (metamerge.UserRules, error) {
	r := metamerge.UserRules{UserMetadata: metamerge.UserMetadata(), AppMetadata: metamerge.AppMetadata(),
		MaxProfileBytes: o.MaxProfileBytes, Limits: o.limits()}
	if err := o.apply(&r.UserMetadata); err != nil {
		return r, err
	}
	return r, o.apply(&r.AppMetadata)
}

// ClientRules returns the rules of merge_client and the other client ops
// under these options, or an error naming an unknown unit.
func (o Options) ClientRules() (metamerge.ClientRules, error) {
	r := metamerge.ClientRules{ClientMetadata: metamerge.ClientMetadata(), Limits: o.limits()}
	return r, o.apply(&r.ClientMetadata)
}

// policies are the named policies of the merge, diff, diff3 and report
// ops, in the order of the vectors' README.
var policies = []struct {
	name   string
	policy func() metamerge.Policy
}{
	{"user_metadata", metamerge.UserMetadata}, {"app_metadata", metamerge.AppMetadata},
	{"client_metadata", metamerge.ClientMetadata}, {"signup", metamerge.Signup},
}

// PolicyNames returns the names of the policies of the merge, diff, diff3
// and report ops: user_metadata, app_metadata, client_metadata and signup.
func PolicyNames() []string {
	n := make([]string, len(policies))
	for i, p := range policies {
		n[i] = p.name
	}
	return n
}

// FieldRules returns the rules of the named policy (one of [PolicyNames])
// with the default limits, or an error naming the policy when there is no
// such policy.
func FieldRules(policy string) (metamerge.FieldRules, error) {
	for _, p := range policies {
		if p.name == policy {
			return metamerge.FieldRules{Policy: p.policy()}, nil
		}
	}
	return metamerge.FieldRules{}, skip(fmt.Sprintf("unknown policy %q", policy))
}

// FieldRules returns the rules of the named policy (one of [PolicyNames])
// under these options, for the merge, diff, diff3 and report ops, or an
// error naming what it cannot map: the policy or the unit.
func (o Options) FieldRules(policy string) (metamerge.FieldRules, error) {
	r, err := FieldRules(policy)
	if err != nil {
		return r, err
	}
	r.Limits = o.limits()
	return r, o.apply(&r.Policy)
}
