package metamerge

// What can be done with a client PATCH? ClientRules and every verb of it.

// ClientRules are the rules of a client PATCH (PATCH /api/v2/clients/{id}).
// The zero value is Auth0's rules: a zero Policy stands for
// [ClientMetadata], zero Limits for the defaults.
type ClientRules struct {
	// ClientMetadata is the policy of the client_metadata member.
	ClientMetadata Policy
	// Limits are the settings of the whole call (H3, H8, H10).
	Limits
}

// MergeClient applies patch, the body of PATCH /api/v2/clients/{id}, to
// stored, the stored client, with Auth0's rules (the zero [ClientRules]),
// and returns the new client. See [ClientRules.Merge].
//
// MergeClient merges two documents, not a request: by R10 every root
// member of patch other than client_metadata replaces the stored one, or
// removes it when null — client_id and client_secret included. To apply
// the body of a PATCH /api/v2/clients/{id} request as Auth0's endpoint
// does (its request schema, its answers), use package mgmt:
// mgmt.Clients.Patch, then Patch.Apply.
func MergeClient(stored, patch []byte) ([]byte, error) {
	return ClientRules{}.Merge(stored, patch)
}

// Merge applies patch, the body of a client PATCH, to stored, the stored
// client, and returns the new client as a new slice. The inputs are never
// modified. Errors come in stages as for [UserRules.Merge].
//
// client_metadata is merged at its root with its policy (C1–C5); it must
// be an object in the patch, so null does not remove it. Every other
// member of patch replaces the stored one, or removes it when null (R10).
//
// Merge merges documents, not a request, as [MergeClient] says: for the
// body of a PATCH /api/v2/clients/{id} request, use package mgmt.
func (r ClientRules) Merge(stored, patch []byte) ([]byte, error) {
	out, _, err := mergeWith(r, stored, patch, modeMerge)
	return out, err
}

// MergeReport merges as [ClientRules.Merge] does and reports what the
// merge changed, as [UserRules.MergeReport] does.
func (r ClientRules) MergeReport(stored, patch []byte) ([]byte, []Change, error) {
	return mergeWith(r, stored, patch, modeReport)
}

// Check checks patch, the body of a client PATCH, before the stored client
// is at hand, as [UserRules.Check] does for a user PATCH: the key count is
// that of the patch (C4), not of the merged result.
func (r ClientRules) Check(patch []byte) error {
	_, _, err := mergeWith(r, nil, patch, modeCheck)
	return err
}

// DiffClient returns the PATCH body that turns the client before into
// after under Auth0's rules (the zero [ClientRules]). See [UserRules.Diff].
func DiffClient(before, after []byte) ([]byte, error) {
	return ClientRules{}.Diff(before, after)
}

// Diff returns the PATCH body that turns the client before into after
// under r, as [UserRules.Diff] does for a profile.
func (r ClientRules) Diff(before, after []byte) ([]byte, error) {
	return diffWith(r, diffTwoWay, nil, before, after)
}

// Diff3 returns the PATCH body that brings desired to the client live
// without undoing what others wrote there, as [UserRules.Diff3] does.
func (r ClientRules) Diff3(base, desired, live []byte) ([]byte, error) {
	return diffWith(r, diffThreeWay, base, live, desired)
}

// settings checks r's settings and returns them, its field held in w (a
// client has no whole-document cap).
func (r ClientRules) settings(w *work) (docSettings, error) {
	if err := r.Limits.check("ClientRules"); err != nil {
		return docSettings{}, err
	}
	cm, err := w.policy(0, &r.ClientMetadata, &defaultClient, "ClientRules.ClientMetadata")
	if err != nil {
		return docSettings{}, err
	}
	w.fields[0] = field{"client_metadata", cm}
	return docSettings{fields: w.fields[:1], limits: r.Limits}, nil
}
