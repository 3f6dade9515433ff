package mgmt

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"
)

// Store is what [Update] needs of a store of documents: a read that
// gives the document with its version, and a write that replaces it only
// if its version is still the one read. V is whatever says "the version I
// read": a row version, an ETag, a counter of an in-memory map, the bytes
// themselves.
type Store[V any] interface {
	// Read returns the document with id and its version, or ErrNotFound.
	Read(ctx context.Context, id string) (doc []byte, version V, err error)
	// Write stores doc as the document with id if its version is still
	// version, and returns nil; ErrConflict (or an error that wraps it)
	// when it changed, ErrNotFound when it is gone, ErrTaken when doc holds
	// a unique value of another document, or any other error of the store.
	Write(ctx context.Context, id string, doc []byte, version V) error
}

// Retry bounds the attempts of [Update]. The zero value is 64 attempts,
// waiting from 1 ms after the first conflict, doubling up to 64 ms, each
// wait drawn at random between half and all of it so that writers who
// conflicted once do not meet again.
type Retry struct {
	Attempts int           // reads and merges at most; 0 means 64, negative is an error
	Backoff  time.Duration // the first wait; 0 means 1 ms, negative: none
}

// Update applies change to the document with id in s (M6): read, change,
// write if unchanged, and on ErrConflict read and change again, at most
// r.Attempts times. change may run several times, each time on the latest
// document, and must not keep what it is given; it returns the new
// document and whether it differs (D7: see [Patch.Apply]). When it does
// not, nothing is written and the stored document is returned.
//
// The shape is etcd's STM (concurrency.NewSTM) cut down to one document:
// the store keeps the version of what was read and commits only against
// it, and change is a pure function rerun on conflict; the bound and the
// backoff are those of Kubernetes' retry.RetryOnConflict, whose fn would
// leave the re-read to every caller.
//
// Update returns the document as written, or the first error of Read,
// change or Write that is not a conflict, as it is; ErrContention when
// every attempt conflicted; the context's error when ctx ends first; an
// error that names the setting for a negative r.Attempts (answered 500).
func Update[V any](ctx context.Context, r Retry, s Store[V], id string, change func(stored []byte) ([]byte, bool, error)) ([]byte, error) {
	attempts := r.Attempts
	switch {
	case attempts < 0:
		return nil, fmt.Errorf("mgmt: Retry.Attempts is %d; it must be 0 (64 attempts) or more", attempts)
	case attempts == 0:
		attempts = 64
	}
	wait := r.Backoff
	if wait == 0 {
		wait = time.Millisecond
	}
	for try := 0; try < attempts; try++ {
		if try > 0 && wait > 0 {
			t := time.NewTimer(wait/2 + rand.N(wait/2+1))
			select {
			case <-ctx.Done():
				t.Stop()
				return nil, ctx.Err()
			case <-t.C:
			}
			wait = min(2*wait, 64*time.Millisecond)
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		stored, version, err := s.Read(ctx, id)
		if err != nil {
			return nil, err
		}
		next, changed, err := change(stored)
		if err != nil {
			return nil, err
		}
		if !changed {
			return stored, nil
		}
		err = s.Write(ctx, id, next, version)
		if err == nil {
			return next, nil
		}
		if !errors.Is(err, ErrConflict) {
			return nil, err
		}
	}
	return nil, ErrContention
}
