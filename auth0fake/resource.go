package auth0fake

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/metamerge/metamerge/mgmt"
)

// maxOptimistic is how many times a PATCH reads and merges while other
// writers may come first, before it merges with the collection held: a
// bound on the work a writer can be made to repeat, and the reason a
// PATCH of the fake never gives up (mgmt.ErrContention).
const maxOptimistic = 8

// The handlers below serve both collections: api holds the endpoints'
// rules (mgmt.Users or mgmt.Clients: schemas, merge, answers), docs the
// documents. The fake itself routes, stores and lists.

// create serves POST: 201 and the document api.Create makes of the body.
func (s *Server) create(api mgmt.Resource, docs *collection) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, a := mgmt.ReadBody(w, r, s.maxBody)
		if a != nil {
			a.Write(w)
			return
		}
		var doc []byte
		var err error
		s.clock.write(func(now time.Time) bool {
			var id string
			if doc, id, err = api.Create(body, now); err == nil {
				err = docs.insert(id, stored(api, doc))
			}
			return err == nil
		})
		if err != nil {
			s.fail(w, r, api.Answer(err), err)
			return
		}
		writeJSON(w, http.StatusCreated, doc)
	}
}

// get serves GET of one document: fields and include_fields select its
// members.
func (s *Server) get(api mgmt.Resource, docs *collection) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		fields, a := getQuery(r.URL.RawQuery)
		if a != nil {
			a.Write(w)
			return
		}
		doc, ok := docs.get(r.PathValue("id"))
		if !ok {
			api.Answer(mgmt.ErrNotFound).Write(w)
			return
		}
		writeJSON(w, http.StatusOK, fields.apply(doc))
	}
}

// patch serves PATCH: the body is checked by api.Patch before the stored
// document is read, then applied by mgmt.Update (M6), which writes only
// what changes something.
func (s *Server) patch(api mgmt.Resource, docs *collection) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, a := mgmt.ReadBody(w, r, s.maxBody)
		if a != nil {
			a.Write(w)
			return
		}
		p, err := api.Patch(body)
		if err != nil {
			s.fail(w, r, api.Answer(err), err)
			return
		}
		var answer, kept []byte // the merged document: the answer, which may show more than is kept
		s.clock.write(func(now time.Time) bool {
			written := false // by the last attempt, the one that counts
			kept, err = update(r.Context(), docs, r.PathValue("id"), func(old []byte) ([]byte, bool, error) {
				doc, changed, err := p.Apply(old, now)
				answer, written = doc, changed && err == nil
				return stored(api, doc), changed, err
			})
			return err == nil && written
		})
		if err != nil {
			s.fail(w, r, p.Answer(err), err)
			return
		}
		if answer == nil || !bytes.Equal(stored(api, answer), kept) {
			answer = kept // not written: a PATCH that changed nothing
		}
		writeJSON(w, http.StatusOK, answer)
	}
}

// stored returns what the store keeps of doc, a document api made: for
// clients, credentials by id only (mgmt.Clients.Stored); else doc.
func stored(api mgmt.Resource, doc []byte) []byte {
	if c, ok := api.(interface{ Stored([]byte) []byte }); ok {
		return c.Stored(doc)
	}
	return doc
}

// update applies change to the document with id (see mgmt.Update):
// maxOptimistic times against the other writers, then once with the
// collection held, where no other write can come first.
func update(ctx context.Context, docs *collection, id string, change func(stored []byte) ([]byte, bool, error)) ([]byte, error) {
	doc, err := mgmt.Update(ctx, mgmt.Retry{Attempts: maxOptimistic}, docs, id, change)
	if !errors.Is(err, mgmt.ErrContention) {
		return doc, err
	}
	h, release := docs.hold()
	defer release()
	return mgmt.Update(ctx, mgmt.Retry{Attempts: 1}, h, id, change)
}

// remove serves DELETE: 204, also for a document that does not exist, as
// Auth0 answers.
func (s *Server) remove(docs *collection) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := docs.remove(r.PathValue("id")); err != nil {
			s.fail(w, r, errInternal(), err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}
}

// fail sends a, the answer to err, and logs err when the answer is a 500
// to a client still there: no request causes one, so it is a fault of the
// fake or of its disk (a client that hung up ends mgmt.Update early).
func (s *Server) fail(w http.ResponseWriter, r *http.Request, a *mgmt.Answer, err error) {
	if a.Status >= http.StatusInternalServerError && r.Context().Err() == nil {
		s.logf("auth0fake: %s %s: %v", r.Method, r.URL.Path, err)
	}
	a.Write(w)
}
