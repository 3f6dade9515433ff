package metamerge

// ClientRules are the rules of a client PATCH (PATCH /api/v2/clients/{id}).
// The zero value is not useful; start from [DefaultClientRules].
type ClientRules struct {
	// ClientMetadata is the policy of the client_metadata member.
	ClientMetadata Policy
	// MaxDepth is the nesting limit of the stored client and of the PATCH
	// body, each counted from its root (H3); 0 means DefaultMaxDepth, a
	// negative value no limit. The policy's MaxDepth is not used.
	MaxDepth int
}

// DefaultClientRules returns the rules [MergeClient] applies:
// [ClientMetadata] and the default depth.
func DefaultClientRules() ClientRules {
	return ClientRules{ClientMetadata: ClientMetadata()}
}

// MergeClient applies patch, the body of PATCH /api/v2/clients/{id}, to
// stored, the stored client, with [DefaultClientRules], and returns the new
// client. See [ClientRules.Merge].
func MergeClient(stored, patch []byte) ([]byte, error) {
	return DefaultClientRules().Merge(stored, patch)
}

// Merge applies patch, the body of a client PATCH, to stored, the stored
// client, and returns the new client as a new slice. The inputs are never
// modified. Errors come in stages as for [UserRules.Merge].
//
// client_metadata is merged at its root with its policy as [Merge] does
// (C1–C5); it must be an object in the patch, so null does not remove it.
// Every other member of patch replaces the stored one, or removes it when
// null (R10).
func (r ClientRules) Merge(stored, patch []byte) ([]byte, error) {
	w := getWork()
	defer w.release()
	return w.mergeDoc(stored, patch, r.MaxDepth, 0, []field{
		{"client_metadata", &r.ClientMetadata},
	})
}
