package mgmt

import (
	"time"

	"github.com/metamerge/metamerge"
)

// Resource is one collection of the Management API, users or clients:
// what its POST creates, what its PATCH does, and its answers. [Users]
// and [Clients] implement it, so one handler serves both.
type Resource interface {
	// Create returns the document POST creates from body at time now, and
	// its id (M1–M4). On error, Answer(err) is the answer.
	Create(body []byte, now time.Time) (doc []byte, id string, err error)
	// Patch checks body, a PATCH of one document (M1, M2), before the
	// stored document is read. On error, Answer(err) is the answer.
	Patch(body []byte) (*Patch, error)
	// Unique returns the values of doc no two documents may share; a
	// store refuses a write that would share one with ErrTaken.
	Unique(doc []byte) []string
	// Answer returns the answer to err, an error of Create, of a store
	// (ErrNotFound, ErrTaken) or of Update (M5).
	Answer(err error) *Answer
}

var (
	_ Resource = Users{}
	_ Resource = Clients{}
)

// Patch is a checked PATCH body: the members to merge, and the
// instructions (M2) that act on the document without being stored.
// Apply it to the stored document, as often as a retry needs ([Update]).
type Patch struct {
	patch    []byte // the members that are stored, names written anew
	merge    func(stored, patch []byte) ([]byte, []metamerge.Change, error)
	mergeAt  func(stored []byte, now time.Time) ([]byte, []metamerge.Change, error) // instead of merge of patch, when set
	stamps   func(stored, merged []byte, now time.Time) []byte                      // server members to set, or nil
	password bool                                                                   // a password to hand on: a change even when the profile is not
	taken    func(error) *Answer
	notFound func() *Answer
}

// Apply merges p into stored at time now and returns the new document
// and whether it differs from stored (D7). A PATCH that changes nothing
// leaves the document as it is, updated_at included, so its write can be
// skipped (M6). It returns the errors of the merge: violations of the
// merged result, and defects of stored (which Answer turns into 500).
func (p *Patch) Apply(stored []byte, now time.Time) ([]byte, bool, error) {
	var merged []byte
	var changes []metamerge.Change
	var err error
	if p.mergeAt != nil {
		merged, changes, err = p.mergeAt(stored, now)
	} else {
		merged, changes, err = p.merge(stored, p.patch)
	}
	if err != nil {
		return nil, false, err
	}
	if len(changes) == 0 && !p.password {
		return stored, false, nil
	}
	if p.stamps != nil {
		if s := p.stamps(stored, merged, now); s != nil {
			// Server members are set by a merge too (R10), so that a root
			// name spelt with escapes is still the one replaced.
			if merged, _, err = p.merge(merged, s); err != nil {
				return nil, false, err
			}
		}
	}
	return merged, true, nil
}

// Answer returns the answer to err, an error of Apply, of the store or of
// [Update]: as the resource's Answer, except that a unique value taken is
// the PATCH's 400 (the new email, or username, already exists).
func (p *Patch) Answer(err error) *Answer { return answer(err, p.notFound, p.taken) }
