package auth0fake

import (
	"context"
	"net/http"
	"strconv"

	"github.com/metamerge/metamerge/mgmt"
)

// DefaultMaxWorkBytes is the work budget of one list request: the bytes
// of stored documents it may read, counting a document (or a part of it)
// once for every time a query term, the sort key, fields or the answer
// goes through it, and each element or member a query walks through as
// at least 128 bytes. 128 MiB lets a page of 100 users of 1 MiB through,
// and keeps the worst request to about a third of a second of CPU.
const DefaultMaxWorkBytes = 128 << 20

// valueCost is what a walk charges for each element or member it goes
// through, besides the bytes of its container: decoding a name and
// calling back for a value of two bytes ("0,") takes as long as scanning
// a few hundred, so a document of a million short values must not look
// as cheap as a million bytes. With 128, every shape of document we
// tried (deep or wide arrays, wide objects) spends the whole budget in
// 0.03 to 0.3 s of CPU.
const valueCost = 128

// checkEvery is how many bytes a request reads between two looks at its
// context, besides one look per document.
const checkEvery = 256 << 10

// work is the budget of one list request and its context. Every loop
// over stored documents charges what it reads and stops when charge
// reports false: the budget is spent or the client has gone.
type work struct {
	ctx       context.Context
	left      int64 // bytes that may still be read
	budget    int64
	unchecked int64 // bytes read since the context was last looked at
	stop      stopReason
}

// stopReason says why a request's work stopped.
type stopReason uint8

const (
	running   stopReason = iota
	overspent            // the budget is spent: answer 400
	cancelled            // the request's context is done: answer nothing
)

func newWork(ctx context.Context, budget int64) *work {
	return &work{ctx: ctx, left: budget, budget: budget}
}

// charge counts n bytes read and reports whether the request may go on.
func (w *work) charge(n int) bool {
	if w.stop != running {
		return false
	}
	w.left -= int64(n)
	if w.left < 0 {
		w.stop = overspent
		return false
	}
	if w.unchecked += int64(n); w.unchecked >= checkEvery {
		return w.alive()
	}
	return true
}

// alive looks at the context and reports whether the request may go on;
// each loop over stored documents calls it once per document.
func (w *work) alive() bool {
	w.unchecked = 0
	if w.stop == running && w.ctx.Err() != nil {
		w.stop = cancelled
	}
	return w.stop == running
}

// answer writes the answer of a request whose work stopped: a 400 that
// says the budget was spent, or nothing for a client that has gone.
func (w *work) answer(rw http.ResponseWriter) {
	if w.stop == overspent {
		errTooCostly(w.budget).Write(rw)
	}
}

// errTooCostly is the 400 of a request that would read more than budget
// bytes of stored documents.
func errTooCostly(budget int64) *mgmt.Answer {
	size := strconv.FormatInt(budget, 10) + " bytes"
	if budget%(1<<20) == 0 {
		size = strconv.FormatInt(budget>>20, 10) + " MiB"
	}
	return mgmt.Envelope(http.StatusBadRequest, "Request too costly for the fake: it would read more than "+size+
		" of stored documents (narrow q, drop sort, or lower per_page)", "invalid_query_string")
}
