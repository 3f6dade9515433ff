package auth0fake

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/metamerge/metamerge"
	"github.com/tidwall/gjson"
)

// disk keeps the documents of one collection in a directory, one file per
// document, named by its creation sequence number in 16 hex digits
// ("000000000000002a.json") and holding exactly the JSON the API returns
// for it.
//
// Each write goes to a temporary file in the same directory, is synced,
// renamed over the document's file and followed by a sync of the
// directory: on POSIX file systems a rename is atomic, so after a crash a
// file holds either the old document or the new one, never a mix, and a
// written change survives a power cut. A request changes one document, so
// each request is saved whole or not at all.
//
// Why files and not an embedded database (bbolt, SQLite, Badger): the
// state of a test fake should be something a person can read, diff, seed
// and edit with any tool, and keep in a repository beside the tests; the
// write load is a test suite's, where one small file per change costs
// nothing; and files need no dependency, no schema and no migration.
type disk struct {
	mu  sync.Mutex // one write at a time, in the order of the saves
	dir string
}

// fileName returns the name of the file of document seq.
func fileName(seq uint64) string { return fmt.Sprintf("%016x.json", seq) }

// maxSeq is the last sequence number a document may have: sequence
// numbers never wrap, so a new document's name is never one in use.
const maxSeq = 1<<64 - 2

// errSeqSpent is the error of a create in a collection whose sequence
// numbers are spent (a seeded file near maxSeq): refusing it is the only
// way not to reuse a name.
var errSeqSpent = errors.New("auth0fake: no sequence number left for a new document (a file is named fffffffffffffffe.json); rename the files to lower numbers")

// seqOf returns the sequence number a file name stands for, and whether
// the name is one this package writes: exactly fileName(seq) for a seq in
// 1..maxSeq. looksOurs reports a name of 16 hex digits (either case) and
// ".json", which is refused at start unless ok: the fake would write the
// same document under another name.
func seqOf(name string) (seq uint64, ok, looksOurs bool) {
	hex, found := strings.CutSuffix(name, ".json")
	if !found || len(hex) != 16 {
		return 0, false, false
	}
	seq, err := strconv.ParseUint(hex, 16, 64)
	if err != nil {
		return 0, false, false
	}
	return seq, seq >= 1 && seq <= maxSeq && fileName(seq) == name, true
}

// write replaces the file of document seq by doc, atomically and durably;
// with create, seq is a new document's and its name must not be in use
// (a file the collection does not know is never overwritten).
func (d *disk) write(seq uint64, doc []byte, create bool) error {
	final := filepath.Join(d.dir, fileName(seq))
	if create {
		if _, err := os.Lstat(final); !errors.Is(err, fs.ErrNotExist) {
			if err == nil {
				err = fmt.Errorf("auth0fake: %s exists; a new document never takes the name of another", final)
			}
			return err
		}
	}
	f, err := os.CreateTemp(d.dir, ".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	if _, err = f.Write(doc); err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, final)
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	return syncDir(d.dir)
}

// remove deletes the file of document seq, if it is there.
func (d *disk) remove(seq uint64) error {
	err := os.Remove(filepath.Join(d.dir, fileName(seq)))
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	return syncDir(d.dir)
}

// syncDir makes a rename or removal in dir durable.
func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// openCollection loads the collection kept in dir, creating dir if it does
// not exist. idPath is the member that holds a document's id (user_id,
// client_id) and keys gives its unique values. A file that is not a JSON
// object with a string id (checked with the library's strict parser), or
// whose id or unique value is already taken, is an error that names it;
// so is a name of 16 hex digits and ".json" other than one this package
// writes (upper case, 0000000000000000, ffffffffffffffff) or a file so
// named that is not a regular file: the fake would save that document
// under a second name. Other names are left alone; leftover temporary
// files of an interrupted write are removed.
func openCollection(dir, idPath string, keys func(doc []byte) []string) (*collection, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	names, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	c := newCollection(keys, &disk{dir: dir})
	var entries []*entry
	for _, de := range names {
		name := de.Name()
		if strings.HasPrefix(name, ".tmp-") {
			os.Remove(filepath.Join(dir, name))
			continue
		}
		seq, ok, looksOurs := seqOf(name)
		if !looksOurs {
			continue // not ours
		}
		path := filepath.Join(dir, name)
		if !ok {
			return nil, fmt.Errorf("auth0fake: %s: not a name this package writes (16 lower-case hex digits from 0000000000000001 to fffffffffffffffe, then .json); rename it", path)
		}
		if !de.Type().IsRegular() {
			return nil, fmt.Errorf("auth0fake: %s: not a regular file", path)
		}
		doc, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		if err := metamerge.Valid(doc); err != nil {
			return nil, fmt.Errorf("auth0fake: %s: %w", path, err)
		}
		root := gjson.ParseBytes(doc)
		id := root.Get(idPath)
		if !root.IsObject() || id.Type != gjson.String || id.String() == "" {
			return nil, fmt.Errorf("auth0fake: %s: not an object with a string %s", path, idPath)
		}
		entries = append(entries, &entry{id: id.String(), seq: seq, doc: doc, keys: keys(doc)})
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].seq < entries[j].seq })
	for _, e := range entries {
		if _, ok := c.byID[e.id]; ok || c.taken(e.keys, "") != nil {
			return nil, fmt.Errorf("auth0fake: %s: %s %q or a unique value in it is taken by another file", filepath.Join(dir, fileName(e.seq)), idPath, e.id)
		}
		c.add(e)
		c.nextSeq = e.seq + 1
	}
	return c, nil
}
