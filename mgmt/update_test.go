package mgmt

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/tidwall/gjson"
)

// memStore is a Store over a map, whose version is a counter; it counts
// its writes, and can be told to fail the next writes with a conflict.
type memStore struct {
	mu        sync.Mutex
	docs      map[string][]byte
	versions  map[string]int
	writes    int
	conflicts int // the next this many writes conflict
}

func (s *memStore) Read(_ context.Context, id string) ([]byte, int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.docs[id]
	if !ok {
		return nil, 0, ErrNotFound
	}
	return d, s.versions[id], nil
}

func (s *memStore) Write(_ context.Context, id string, doc []byte, v int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conflicts > 0 {
		s.conflicts--
		s.versions[id]++ // someone else wrote
		return fmt.Errorf("row %s: %w", id, ErrConflict)
	}
	if s.versions[id] != v {
		return ErrConflict
	}
	s.docs[id], s.versions[id] = doc, v+1
	s.writes++
	return nil
}

func newMem(doc string) *memStore {
	return &memStore{docs: map[string][]byte{"u": []byte(doc)}, versions: map[string]int{"u": 0}}
}

func apply(body string) func([]byte) ([]byte, bool, error) {
	p, err := Users{}.Patch([]byte(body))
	if err != nil {
		panic(err)
	}
	return func(stored []byte) ([]byte, bool, error) { return p.Apply(stored, now) }
}

// TestUpdateConcurrent runs 200 PATCHes of one user at once, each adding
// its own key: all 200 survive (M6), which a read, merge and write
// without the version check does not give.
func TestUpdateConcurrent(t *testing.T) {
	s := newMem(`{"user_id":"u","user_metadata":{}}`)
	var wg sync.WaitGroup
	errs := make(chan error, 200)
	for i := range 200 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := Update(context.Background(), Retry{Attempts: 1000}, s, "u", apply(fmt.Sprintf(`{"user_metadata":{"k%d":%d}}`, i, i)))
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	n := len(gjson.GetBytes(s.docs["u"], "user_metadata").Map())
	if n != 200 || s.writes != 200 {
		t.Errorf("%d keys kept, %d writes; want 200 and 200", n, s.writes)
	}
}

// TestUpdateRetry checks the loop itself: a conflict reads and merges
// again into what the other writer wrote; the bound gives up with
// ErrContention; a PATCH that changes nothing writes nothing; the errors
// of read, change and write come back as they are.
func TestUpdateRetry(t *testing.T) {
	ctx := context.Background()
	s := newMem(`{"user_metadata":{"a":1}}`)
	s.conflicts = 3
	calls := 0
	change := func(stored []byte) ([]byte, bool, error) {
		calls++
		return apply(`{"user_metadata":{"b":2}}`)(stored)
	}
	doc, err := Update(ctx, Retry{Backoff: -1}, s, "u", change)
	if err != nil || calls != 4 || s.writes != 1 || !bytes.Contains(doc, []byte(`"b":2`)) {
		t.Errorf("3 conflicts: err %v, %d merges, %d writes, %s", err, calls, s.writes, doc)
	}

	s.conflicts = 5
	if _, err := Update(ctx, Retry{Attempts: 5, Backoff: -1}, s, "u", apply(`{"user_metadata":{"c":3}}`)); !errors.Is(err, ErrContention) {
		t.Errorf("5 conflicts in 5 attempts: %v, want ErrContention", err)
	}
	if a := (Users{}).Answer(ErrContention); a.Status != 409 {
		t.Errorf("contention answers %d", a.Status)
	}

	writes := s.writes
	doc, err = Update(ctx, Retry{}, s, "u", apply(`{"user_metadata":{"a":1}}`))
	if err != nil || s.writes != writes || !bytes.Equal(doc, s.docs["u"]) {
		t.Errorf("no change (D7): err %v, %d writes, %s", err, s.writes-writes, doc)
	}

	if _, err := Update(ctx, Retry{}, s, "nobody", apply(`{"name":"x"}`)); (Users{}).Answer(err).Status != 404 {
		t.Errorf("missing: %v", err)
	}
	s.docs["bad"], s.versions["bad"] = []byte(`{"a":1,"a":2}`), 0
	if _, err := Update(ctx, Retry{}, s, "bad", apply(`{"name":"x"}`)); (Users{}).Answer(err).Status != 500 {
		t.Errorf("corrupt stored: %v", err)
	}
	taken := errors.New("unique")
	failing := &failStore{memStore: newMem(`{}`), err: fmt.Errorf("%w: %w", ErrTaken, taken)}
	if _, err := Update(ctx, Retry{}, failing, "u", apply(`{"name":"x"}`)); !errors.Is(err, taken) {
		t.Errorf("write error: %v", err)
	}
}

type failStore struct {
	*memStore
	err error
}

func (f *failStore) Write(context.Context, string, []byte, int) error { return f.err }

// TestUpdateContext checks that a cancelled context stops the retries.
func TestUpdateContext(t *testing.T) {
	s := newMem(`{}`)
	s.conflicts = 1 << 30
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := Update(ctx, Retry{Attempts: 1 << 30}, s, "u", apply(`{"name":"x"}`))
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 2*time.Second {
		t.Errorf("err %v after %v", err, time.Since(start))
	}
}

// TestRetryDefaults checks what the doc of Retry promises: 64 attempts
// by default, and waits that double from Backoff, each at least half of
// its step.
func TestRetryDefaults(t *testing.T) {
	s := newMem(`{}`)
	s.conflicts = 1 << 30
	calls := 0
	change := func(stored []byte) ([]byte, bool, error) {
		calls++
		return apply(`{"name":"x"}`)(stored)
	}
	if _, err := Update(context.Background(), Retry{Backoff: -1}, s, "u", change); !errors.Is(err, ErrContention) || calls != 64 {
		t.Errorf("zero Attempts: %d merges, %v; want 64 and ErrContention", calls, err)
	}
	_, err := Update(context.Background(), Retry{Attempts: -1}, s, "u", change)
	if err == nil || err.Error() != "mgmt: Retry.Attempts is -1; it must be 0 (64 attempts) or more" || (Users{}).Answer(err).Status != 500 {
		t.Errorf("negative Attempts: %v", err)
	}
	calls = 0
	start := time.Now()
	_, err = Update(context.Background(), Retry{Attempts: 4, Backoff: 10 * time.Millisecond}, s, "u", change)
	// waits of 10, 20 and 40 ms, each drawn from its upper half
	if elapsed := time.Since(start); calls != 4 || !errors.Is(err, ErrContention) || elapsed < 35*time.Millisecond {
		t.Errorf("4 attempts from 10 ms: %d merges in %v, %v", calls, elapsed, err)
	}
}
