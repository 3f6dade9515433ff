package auth0fake

import (
	"errors"
	"sort"
	"sync"
)

// Errors of a collection, which the handlers answer with 404, 409 and 500.
var (
	errNotFound = errors.New("auth0fake: no such document")
	errConflict = errors.New("auth0fake: id or unique value taken")
)

// maxOptimistic is how many times update merges outside the lock before
// it merges under it: enough for a burst of writers to one document, and
// a bound on the work a writer can be made to repeat.
const maxOptimistic = 8

// collection holds the documents of one kind (users or clients) in
// memory, in the order they were created, with an index of the values
// that must be unique among them (a user's email in its connection).
//
// Documents are immutable byte slices: an update stores a new slice, so a
// reader holds on to what it read without a lock. Writes are atomic per
// document: update merges a snapshot outside the lock and commits only if
// the document did not change meanwhile (compare and swap on a version),
// so concurrent PATCHes of one document lose nothing.
type collection struct {
	mu      sync.RWMutex
	byID    map[string]*entry
	order   []*entry          // by seq, for listing in creation order
	unique  map[string]string // unique value -> id
	nextSeq uint64
	disk    *disk // nil: memory only
}

// entry is one document and what the collection knows about it.
type entry struct {
	id      string
	seq     uint64 // creation order; names its file on disk
	doc     []byte
	version uint64
	keys    []string // unique values it holds
}

func newCollection(d *disk) *collection {
	return &collection{byID: map[string]*entry{}, unique: map[string]string{}, nextSeq: 1, disk: d}
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

// insert adds doc under id, holding the unique values keys; errConflict
// when id or one of keys is taken. With a disk, the document is saved
// before anyone can read it, and not added if the save fails.
func (c *collection) insert(id string, doc []byte, keys []string) error {
	defer c.writing()()
	c.mu.Lock()
	if _, ok := c.byID[id]; ok || c.taken(keys, "") {
		c.mu.Unlock()
		return errConflict
	}
	e := &entry{id: id, seq: c.nextSeq, doc: doc, keys: keys}
	c.nextSeq++
	if c.disk != nil { // no other writer runs (writing): save, then publish
		c.mu.Unlock()
		if err := c.disk.write(e.seq, doc); err != nil {
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
	c.byID[e.id] = e
	c.order = append(c.order, e)
	for _, k := range e.keys {
		c.unique[k] = e.id
	}
}

// taken reports whether one of keys belongs to a document other than id.
func (c *collection) taken(keys []string, id string) bool {
	for _, k := range keys {
		if owner, ok := c.unique[k]; ok && owner != id {
			return true
		}
	}
	return false
}

// update replaces the document with id by change(doc), whose unique values
// are keys(new document). It returns the new document; errNotFound; the
// error of change as it is; or errConflict when a unique value is taken.
// change may run several times, each on the latest document, and must not
// keep what it is given.
func (c *collection) update(id string, change func(doc []byte) ([]byte, error), keys func(doc []byte) []string) ([]byte, error) {
	defer c.writing()()
	for try := 0; ; try++ {
		locked := try >= maxOptimistic // then merge under the lock: progress is certain
		if locked {
			c.mu.Lock()
		} else {
			c.mu.RLock()
		}
		e, ok := c.byID[id]
		var doc []byte
		var version uint64
		if ok {
			doc, version = e.doc, e.version
		}
		if !locked {
			c.mu.RUnlock()
		}
		if !ok {
			if locked {
				c.mu.Unlock()
			}
			return nil, errNotFound
		}
		next, err := change(doc)
		if err != nil {
			if locked {
				c.mu.Unlock()
			}
			return nil, err
		}
		newKeys := keys(next)
		if !locked {
			c.mu.Lock()
			if c.byID[id] != e || e.version != version {
				c.mu.Unlock()
				continue // someone wrote first: merge again into what they wrote
			}
		}
		if c.taken(newKeys, id) {
			c.mu.Unlock()
			return nil, errConflict
		}
		if c.disk != nil { // no other writer runs (writing): save, then publish
			c.mu.Unlock()
			if err := c.disk.write(e.seq, next); err != nil {
				return nil, err
			}
			c.mu.Lock()
		}
		for _, k := range e.keys {
			delete(c.unique, k)
		}
		for _, k := range newKeys {
			c.unique[k] = id
		}
		e.doc, e.keys = next, newKeys
		e.version++
		c.mu.Unlock()
		return next, nil
	}
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
