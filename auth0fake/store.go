package auth0fake

import (
	"context"
	"sort"
	"sync"

	"github.com/metamerge/metamerge/mgmt"
)

// collection holds the documents of one kind (users or clients) in
// memory, in the order they were created, with an index of the values
// that must be unique among them (mgmt.Users.Unique: a user's email and
// username in its connection).
//
// Documents are immutable byte slices: a write stores a new slice, so a
// reader holds on to what it read without a lock. A collection is an
// [mgmt.Store]: each document has a version, and Write replaces a
// document only if its version is still the one read, which is what
// [mgmt.Update] needs to apply a PATCH without losing a concurrent one.
type collection struct {
	mu      sync.RWMutex
	byID    map[string]*entry
	order   []*entry          // by seq, for listing in creation order
	unique  map[string]string // unique value -> id
	keys    func(doc []byte) []string
	nextSeq uint64
	// versions counts writes: each document written gets the next
	// count as its version, so a document deleted and created again
	// under its id never has a version a writer read before.
	versions uint64
	disk     *disk  // nil: memory only
	onPut    func() // tests: called by put between its read and its write
}

// entry is one document and what the collection knows about it.
type entry struct {
	id      string
	seq     uint64 // creation order; names its file on disk
	doc     []byte
	version uint64   // see collection.versions
	keys    []string // unique values it holds
}

// newCollection returns an empty collection whose documents hold the
// unique values keys returns, kept on d (nil: in memory only).
func newCollection(keys func(doc []byte) []string, d *disk) *collection {
	return &collection{byID: map[string]*entry{}, unique: map[string]string{}, keys: keys, nextSeq: 1, disk: d}
}

// get returns the document with id.
func (c *collection) get(id string) ([]byte, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	e, ok := c.byID[id]
	if !ok {
		return nil, false
	}
	return e.doc, true
}

// insert adds doc under id; mgmt.ErrTaken (a *mgmt.TakenError naming the
// value when it is a unique value of another document) when id or one of
// doc's unique values is taken. With a disk, the document is saved before
// anyone can read it, and not added if the save fails.
func (c *collection) insert(id string, doc []byte) error {
	defer c.writing()()
	keys := c.keys(doc)
	c.mu.Lock()
	if _, ok := c.byID[id]; ok {
		c.mu.Unlock()
		return mgmt.ErrTaken
	}
	if err := c.taken(keys, ""); err != nil {
		c.mu.Unlock()
		return err
	}
	if c.nextSeq > maxSeq {
		c.mu.Unlock()
		return errSeqSpent
	}
	e := &entry{id: id, seq: c.nextSeq, doc: doc, keys: keys}
	c.nextSeq++
	if c.disk != nil { // no other writer runs (writing): save, then publish
		c.mu.Unlock()
		if err := c.disk.write(e.seq, doc, true); err != nil {
			return err
		}
		c.mu.Lock()
	}
	c.add(e)
	c.mu.Unlock()
	return nil
}

// writing serializes the writers of a collection kept on disk, so that
// each saves its change before it publishes it, in the order it publishes
// it; the function it returns ends the write. Readers are never held up
// by the disk.
func (c *collection) writing() func() {
	if c.disk == nil {
		return func() {}
	}
	c.disk.mu.Lock()
	return c.disk.mu.Unlock
}

// add links e in; the caller holds the lock.
func (c *collection) add(e *entry) {
	c.versions++
	e.version = c.versions
	c.byID[e.id] = e
	c.order = append(c.order, e)
	for _, k := range e.keys {
		c.unique[k] = e.id
	}
}

// taken returns a *mgmt.TakenError for the first of keys that belongs to
// a document other than id, or nil; the caller holds the lock.
func (c *collection) taken(keys []string, id string) error {
	for _, k := range keys {
		if owner, ok := c.unique[k]; ok && owner != id {
			return &mgmt.TakenError{Value: k}
		}
	}
	return nil
}

// Read returns the document with id and its version, or mgmt.ErrNotFound
// (mgmt.Store).
func (c *collection) Read(_ context.Context, id string) ([]byte, uint64, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.read(id)
}

// read is Read; the caller holds the lock.
func (c *collection) read(id string) ([]byte, uint64, error) {
	e, ok := c.byID[id]
	if !ok {
		return nil, 0, mgmt.ErrNotFound
	}
	return e.doc, e.version, nil
}

// Write replaces the document with id by doc if its version is still
// version (mgmt.Store): mgmt.ErrNotFound when it is gone, mgmt.ErrConflict
// when another write came first, a *mgmt.TakenError when doc holds a
// unique value of another document, or the error of saving it.
func (c *collection) Write(_ context.Context, id string, doc []byte, version uint64) error {
	keys := c.keys(doc) // before the lock: it reads doc
	defer c.writing()()
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.replace(id, doc, keys, version, true)
}

// replace is Write; the caller holds writing and the lock, which, with
// release, is let go while the document is saved to disk (writing keeps
// every other writer out meanwhile).
func (c *collection) replace(id string, doc []byte, keys []string, version uint64, release bool) error {
	e, ok := c.byID[id]
	switch {
	case !ok:
		return mgmt.ErrNotFound
	case e.version != version:
		return mgmt.ErrConflict
	}
	if err := c.taken(keys, id); err != nil {
		return err
	}
	if c.disk != nil { // save, then publish
		if release {
			c.mu.Unlock()
		}
		err := c.disk.write(e.seq, doc, false)
		if release {
			c.mu.Lock()
		}
		if err != nil {
			return err
		}
	}
	for _, k := range e.keys {
		delete(c.unique, k)
	}
	for _, k := range keys {
		c.unique[k] = id
	}
	c.versions++
	e.doc, e.keys, e.version = doc, keys, c.versions
	return nil
}

// hold keeps every other reader and writer out of c until the function
// it returns is called, and returns c as a store for that time: a
// writer that lost too many races updates through it, and cannot lose.
func (c *collection) hold() (held, func()) {
	done := c.writing()
	c.mu.Lock()
	return held{c}, func() { c.mu.Unlock(); done() }
}

// held is a collection whose lock its user holds (see hold).
type held struct{ c *collection }

// Read is collection.Read, under the lock held.
func (h held) Read(_ context.Context, id string) ([]byte, uint64, error) { return h.c.read(id) }

// Write is collection.Write, under the lock held.
func (h held) Write(_ context.Context, id string, doc []byte, version uint64) error {
	return h.c.replace(id, doc, h.c.keys(doc), version, false)
}

// remove deletes the document with id, if there is one.
func (c *collection) remove(id string) error {
	defer c.writing()()
	c.mu.Lock()
	e, ok := c.byID[id]
	if !ok {
		c.mu.Unlock()
		return nil
	}
	if c.disk != nil { // no other writer runs (writing): save, then publish
		c.mu.Unlock()
		if err := c.disk.remove(e.seq); err != nil {
			return err
		}
		c.mu.Lock()
	}
	delete(c.byID, id)
	for _, k := range e.keys {
		delete(c.unique, k)
	}
	i := sort.Search(len(c.order), func(i int) bool { return c.order[i].seq >= e.seq })
	c.order = append(c.order[:i], c.order[i+1:]...)
	c.mu.Unlock()
	return nil
}

// all returns the documents in creation order, as they are now.
func (c *collection) all() [][]byte {
	c.mu.RLock()
	defer c.mu.RUnlock()
	docs := make([][]byte, len(c.order))
	for i, e := range c.order {
		docs[i] = e.doc
	}
	return docs
}
