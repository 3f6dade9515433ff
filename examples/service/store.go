package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/metamerge/metamerge/mgmt"
	_ "modernc.org/sqlite" // a pure-Go SQLite
)

// schema is the database: one row per document with its version, and the
// unique values each document holds (a user's email and username in its
// connection).
const schema = `
CREATE TABLE IF NOT EXISTS docs (
	seq     INTEGER PRIMARY KEY AUTOINCREMENT,
	kind    TEXT NOT NULL,
	id      TEXT NOT NULL,
	doc     BLOB NOT NULL,
	version INTEGER NOT NULL DEFAULT 0,
	UNIQUE (kind, id)
);
CREATE TABLE IF NOT EXISTS uniq (
	kind TEXT NOT NULL,
	key  TEXT NOT NULL,
	id   TEXT NOT NULL,
	PRIMARY KEY (kind, key)
);`

// openDB opens (creating if needed) the SQLite database in file. One
// connection: SQLite writes one transaction at a time anyway, and with one
// connection a transaction never meets SQLITE_BUSY.
func openDB(file string) (*sql.DB, error) {
	db, err := sql.Open("sqlite", "file:"+file+"?_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return db, nil
}

// table is the documents of one kind: an mgmt.Store whose version is the
// row's version column.
type table struct {
	db     *sql.DB
	kind   string
	unique func(doc []byte) []string
}

// Read returns the document with id and its row version.
func (t *table) Read(ctx context.Context, id string) ([]byte, int64, error) {
	var doc []byte
	var version int64
	err := t.db.QueryRowContext(ctx, `SELECT doc, version FROM docs WHERE kind = ? AND id = ?`, t.kind, id).Scan(&doc, &version)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, mgmt.ErrNotFound
	}
	return doc, version, err
}

// Write replaces the document with id if its row is still at version.
func (t *table) Write(ctx context.Context, id string, doc []byte, version int64) error {
	return t.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE docs SET doc = ?, version = version + 1 WHERE kind = ? AND id = ? AND version = ?`, doc, t.kind, id, version)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 1 {
			if err != nil {
				return err
			}
			return t.claim(ctx, tx, id, doc)
		}
		if err := tx.QueryRowContext(ctx, `SELECT 1 FROM docs WHERE kind = ? AND id = ?`, t.kind, id).Scan(new(int)); errors.Is(err, sql.ErrNoRows) {
			return mgmt.ErrNotFound
		}
		return mgmt.ErrConflict
	})
}

// Insert adds doc under id; ErrTaken when the id or a unique value is
// another document's.
func (t *table) Insert(ctx context.Context, id string, doc []byte) error {
	return t.tx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT 1 FROM docs WHERE kind = ? AND id = ?`, t.kind, id).Scan(new(int)); err == nil {
			return mgmt.ErrTaken
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO docs (kind, id, doc) VALUES (?, ?, ?)`, t.kind, id, doc); err != nil {
			return err
		}
		return t.claim(ctx, tx, id, doc)
	})
}

// claim records the unique values of doc as id's, or returns ErrTaken.
func (t *table) claim(ctx context.Context, tx *sql.Tx, id string, doc []byte) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM uniq WHERE kind = ? AND id = ?`, t.kind, id); err != nil {
		return err
	}
	for _, key := range t.unique(doc) {
		var owner string
		err := tx.QueryRowContext(ctx, `SELECT id FROM uniq WHERE kind = ? AND key = ?`, t.kind, key).Scan(&owner)
		if err == nil {
			return &mgmt.TakenError{Value: key}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO uniq (kind, key, id) VALUES (?, ?, ?)`, t.kind, key, id); err != nil {
			return err
		}
	}
	return nil
}

// Delete removes the document with id, if there is one.
func (t *table) Delete(ctx context.Context, id string) error {
	return t.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM docs WHERE kind = ? AND id = ?`, t.kind, id); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM uniq WHERE kind = ? AND id = ?`, t.kind, id)
		return err
	})
}

// List returns the first n documents in creation order.
func (t *table) List(ctx context.Context, n int) ([][]byte, error) {
	rows, err := t.db.QueryContext(ctx, `SELECT doc FROM docs WHERE kind = ? ORDER BY seq LIMIT ?`, t.kind, n)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var docs [][]byte
	for rows.Next() {
		var doc []byte
		if err := rows.Scan(&doc); err != nil {
			return nil, err
		}
		docs = append(docs, doc)
	}
	return docs, rows.Err()
}

// tx runs f in a transaction, committed when f returns nil.
func (t *table) tx(ctx context.Context, f func(*sql.Tx) error) error {
	tx, err := t.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := f(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}
