package metamerge

// How large, deep and long may a call's inputs and reports be? Limits (H3, H8, H10).

import "fmt"

// Defaults and ceilings of the per-document [Limits].
const (
	// DefaultMaxDepth is the nesting limit (H3) when Limits.MaxDepth is 0:
	// MongoDB's limit for BSON documents.
	DefaultMaxDepth = 100
	// DefaultMaxErrors is the most violations one call reports (H8) when
	// Limits.MaxErrors is 0.
	DefaultMaxErrors = 100
	// MaxDocumentBytes is the size limit of every input document (H10),
	// and the largest value Limits.MaxDocumentBytes may take: 2 GiB − 1
	// byte, so that offsets fit in 32 bits.
	MaxDocumentBytes = 1<<31 - 1
)

// Ceilings of settings whose cost grows with them: a setting above one is
// refused, so that no setting makes memory use unbounded.
const (
	maxDepthSetting  = 10_000
	maxErrorsSetting = 1_000 // about 450 bytes a violation: within the +1 MiB of the bound
	// maxPointerBytes is the byte budget of the pointers of one error list
	// (H8): the list is cut before the violation that would exceed it.
	maxPointerBytes = 64 << 10
	// maxMetadataBytes is the size limit of user_metadata and app_metadata
	// after a merge (R9): 16 MiB of JSON text as this package emits it.
	maxMetadataBytes = 16 << 20
)

// Limits are the settings of a whole call, as opposed to those of one
// metadata field ([Policy]). The zero value means every default.
type Limits struct {
	// MaxDepth is the nesting limit of each input document, counted from
	// its root (H3): 0 means DefaultMaxDepth; at most 10,000.
	MaxDepth int
	// MaxErrors is the most violations a call reports (H8): 0 means
	// DefaultMaxErrors; at most 1,000. A longer list is cut and ends with
	// one too_many_errors error. The list is also cut where the pointers
	// of the violations in it would together exceed 64 KiB.
	MaxErrors int
	// MaxDocumentBytes is the size limit of each input document (H10): 0
	// means, and more is not allowed, MaxDocumentBytes. A larger document
	// is too_large at pointer "" before anything else is checked.
	MaxDocumentBytes int
}

func (l Limits) depth() int    { return cmpOr(l.MaxDepth, DefaultMaxDepth) }
func (l Limits) errors() int   { return cmpOr(l.MaxErrors, DefaultMaxErrors) }
func (l Limits) docBytes() int { return cmpOr(l.MaxDocumentBytes, MaxDocumentBytes) }
func cmpOr(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

func (l Limits) check(owner string) error {
	for _, f := range []struct {
		field   string
		v, most int
	}{{"MaxDepth", l.MaxDepth, maxDepthSetting}, {"MaxErrors", l.MaxErrors, maxErrorsSetting}, {"MaxDocumentBytes", l.MaxDocumentBytes, MaxDocumentBytes}} {
		if f.v < 0 || f.v > f.most {
			return fmt.Errorf("metamerge: %s.Limits.%s is %d; it must be from 0 to %d", owner, f.field, f.v, f.most)
		}
	}
	return nil
}

// docTooLarge returns too_large (H10) if doc is over the limit of l.
func docTooLarge(doc []byte, l Limits, stored bool) *Error {
	if most := l.docBytes(); len(doc) > most {
		return &Error{Code: CodeTooLarge, Stored: stored, Offset: -1, Limit: most, Actual: len(doc)}
	}
	return nil
}
