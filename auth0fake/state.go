package auth0fake

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/metamerge/metamerge"
	"github.com/metamerge/metamerge/mgmt"
	"github.com/tidwall/gjson"
)

// Seeding, resetting and inspecting the fake from Go, without HTTP, as a
// test's setup and assertions need: PutUser and PutClient store a
// document as it is given (no schema, no defaults: a test may seed what
// no POST would make), Reset empties the fake, and User, Users, Client
// and Clients return copies of what is stored, which the caller may keep
// and change. Each is safe for concurrent use with requests; with a
// DataDir, each change is saved before it returns, as a request's is.

// ErrNoID is returned by [Server.PutUser] and [Server.PutClient] for a
// document without a non-empty string user_id (client_id).
var ErrNoID = errors.New("auth0fake: the document has no string id")

// PutUser stores doc, a user as GET /api/v2/users/{id} answers it, under
// its user_id: a new user, or one that replaces the user with that id. It
// returns an error wrapping [ErrNoID] when doc has no string user_id, the
// library's error (a *metamerge.Error) when doc is not a valid JSON
// object, an error wrapping [mgmt.ErrTaken] when another user of its
// connection has its email or username, or the error of saving it.
func (s *Server) PutUser(doc []byte) error { return put(s.users, doc, "user_id") }

// PutClient stores doc, a client as GET /api/v2/clients/{id} answers it,
// under its client_id, as [Server.PutUser] does for users.
func (s *Server) PutClient(doc []byte) error { return put(s.clients, doc, "client_id") }

// User returns a copy of the user with id, and whether there is one.
func (s *Server) User(id string) ([]byte, bool) { return copyOf(s.users.get(id)) }

// Client returns a copy of the client with id, and whether there is one.
func (s *Server) Client(id string) ([]byte, bool) { return copyOf(s.clients.get(id)) }

// Users returns copies of every user, in creation order.
func (s *Server) Users() [][]byte { return copies(s.users.all()) }

// Clients returns copies of every client, in creation order.
func (s *Server) Clients() [][]byte { return copies(s.clients.all()) }

// Reset removes every user and client (and their files in DataDir). It
// returns the first error of removing a file; the documents before it are
// gone.
func (s *Server) Reset() error {
	for _, c := range []*collection{s.users, s.clients} {
		for _, id := range c.ids() {
			if err := c.remove(id); err != nil {
				return err
			}
		}
	}
	return nil
}

func put(c *collection, doc []byte, idMember string) error {
	if err := metamerge.Valid(doc); err != nil {
		return err
	}
	root := gjson.ParseBytes(doc)
	id := root.Get(idMember) // a fixed name, never a user's key
	if !root.IsObject() || id.Type != gjson.String || id.Str == "" {
		return fmt.Errorf("%w: want an object with a non-empty string %s", ErrNoID, idMember)
	}
	return c.put(id.Str, bytes.Clone(doc))
}

func copyOf(doc []byte, ok bool) ([]byte, bool) {
	if !ok {
		return nil, false
	}
	return bytes.Clone(doc), true
}

func copies(docs [][]byte) [][]byte {
	out := make([][]byte, len(docs))
	for i, d := range docs {
		out[i] = bytes.Clone(d)
	}
	return out
}

// put stores doc under id: it replaces the document with id, or inserts
// it when there is none. A document deleted (or reset) between the read
// and the write is inserted, as if it had been gone all along: a seed
// never fails for a concurrent delete of its id.
func (c *collection) put(id string, doc []byte) error {
	for {
		_, version, err := c.Read(context.Background(), id)
		if c.onPut != nil {
			c.onPut()
		}
		if errors.Is(err, mgmt.ErrNotFound) {
			err = c.insert(id, doc)
			if errors.Is(err, mgmt.ErrTaken) {
				if _, ok := c.get(id); ok {
					continue // created meanwhile: replace it
				}
			}
			return err
		}
		err = c.Write(context.Background(), id, doc, version)
		if !errors.Is(err, mgmt.ErrConflict) && !errors.Is(err, mgmt.ErrNotFound) {
			return err
		}
	}
}

// ids returns the ids of the documents, in creation order.
func (c *collection) ids() []string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make([]string, len(c.order))
	for i, e := range c.order {
		out[i] = e.id
	}
	return out
}
