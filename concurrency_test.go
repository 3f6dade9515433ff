package metamerge_test

// Are the calls safe for concurrent use?

import (
	"bytes"
	"fmt"
	"sync"
	"testing"

	"github.com/metamerge/metamerge"
)

// TestConcurrentMerges runs many goroutines that merge different patches
// into the same stored bytes, through every entry point, and checks each
// answer against one computed alone. Run with -race (CI does) to check
// that calls share no memory.
func TestConcurrentMerges(t *testing.T) {
	stored := []byte(`{"user_id":"u","user_metadata":{"a":1,"b":{"c":2}},"app_metadata":{"r":["x"]},"client_metadata":{"k":"v"}}`)
	original := bytes.Clone(stored)
	type call func() ([]byte, error)
	var calls []call
	for i := range 8 {
		user := []byte(fmt.Sprintf(`{"user_metadata":{"a":%d,"n%d":null,"b":{"d":[%d]}},"name":"n%d"}`, i, i, i, i))
		bad := []byte(fmt.Sprintf(`{"app_metadata":{"email":%d,"x.y":1}}`, i))
		client := []byte(fmt.Sprintf(`{"client_metadata":{"k":"v%d","k%d":"w"}}`, i, i))
		signup := []byte(fmt.Sprintf(`{"f%d":"v","g":%d}`, i, i))
		calls = append(calls,
			func() ([]byte, error) { return metamerge.MergeUser(stored, user) },
			func() ([]byte, error) { return metamerge.MergeUser(stored, bad) },
			func() ([]byte, error) { return metamerge.MergeClient(stored, client) },
			func() ([]byte, error) {
				return metamerge.FieldRules{Policy: metamerge.AppMetadata()}.Merge(stored, user)
			},
			func() ([]byte, error) { return nil, metamerge.ValidateSignup(signup) },
		)
	}
	type answer struct {
		result string
		err    string
	}
	run := func(c call) answer {
		r, err := c()
		a := answer{result: string(r)}
		if err != nil {
			a.err = err.Error()
		}
		return a
	}
	want := make([]answer, len(calls))
	for i, c := range calls {
		want[i] = run(c)
	}
	const goroutines, rounds = 16, 200
	var wg sync.WaitGroup
	errs := make(chan string, goroutines)
	for g := range goroutines {
		wg.Go(func() {
			for r := range rounds {
				i := (g*7 + r) % len(calls)
				if got := run(calls[i]); got != want[i] {
					errs <- fmt.Sprintf("call %d: got %+v, want %+v", i, got, want[i])
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	if !bytes.Equal(stored, original) {
		t.Errorf("stored document modified: %q", stored)
	}
}
