package auth0fake

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tidwall/gjson"
)

// TestConcurrentPatches has many clients PATCH one user over loopback at
// once, each with keys of its own: a lost update would drop keys. The
// requests go only to the local test server, their number is fixed, and
// a deadline bounds the whole run.
func TestConcurrentPatches(t *testing.T) {
	workers, patches := 32, 8
	if testing.Short() {
		workers, patches = 8, 4
	}
	f := newFake(t, Options{})
	id := f.createUser("busy@example.com", `"user_metadata":{"keep":"me"},"app_metadata":{"keep":"me"}`)
	srv := httptest.NewServer(f.s)
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	client := srv.Client()
	client.Transport.(*http.Transport).MaxIdleConnsPerHost = workers

	var wg sync.WaitGroup
	errs := make(chan error, workers*patches)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := 0; p < patches; p++ {
				// user_metadata and app_metadata both, and a root member
				// all writers share: only the last write of it survives.
				body := fmt.Sprintf(`{"user_metadata":{"w%d_%d":%d},"app_metadata":{"w%d_%d":{"n":%d}},"nickname":"w%d"}`, w, p, p, w, p, p, w)
				req, _ := http.NewRequestWithContext(ctx, "PATCH", srv.URL+userPath(id), strings.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+testToken)
				req.Header.Set("Content-Type", "application/json")
				resp, err := client.Do(req)
				if err != nil {
					errs <- err
					return
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					errs <- fmt.Errorf("worker %d patch %d: %d %s", w, p, resp.StatusCode, b)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	doc := gjson.Parse(f.must(http.StatusOK, "GET", userPath(id), ""))
	for _, field := range []string{"user_metadata", "app_metadata"} {
		m := doc.Get(field).Map()
		if len(m) != workers*patches+1 || m["keep"].Str != "me" {
			t.Errorf("%s has %d keys, want %d (a lost update drops keys)", field, len(m), workers*patches+1)
		}
		for w := 0; w < workers; w++ {
			for p := 0; p < patches; p++ {
				if _, ok := m[fmt.Sprintf("w%d_%d", w, p)]; !ok {
					t.Errorf("%s lost w%d_%d", field, w, p)
				}
			}
		}
	}
	if ctx.Err() != nil {
		t.Fatal("the run passed its deadline")
	}
}

// TestConcurrentDeleteAndPatch races DELETE against PATCH: every PATCH
// answers 200 (before the delete) or 404 (after), never 500, and a deleted
// user stays deleted.
func TestConcurrentDeleteAndPatch(t *testing.T) {
	f := newFake(t, Options{})
	for round := 0; round < 20; round++ {
		id := f.createUser(fmt.Sprintf("r%d@example.com", round), "")
		var wg sync.WaitGroup
		for w := 0; w < 8; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ff := &fake{t: t, s: f.s}
				if w == 4 {
					ff.do("DELETE", userPath(id), "")
					return
				}
				if code, body := ff.do("PATCH", userPath(id), fmt.Sprintf(`{"user_metadata":{"k%d":1}}`, w)); code != 200 && code != 404 {
					t.Errorf("PATCH during DELETE: %d %s", code, body)
				}
			}()
		}
		wg.Wait()
		f.must(http.StatusNotFound, "GET", userPath(id), "")
	}
}

// TestUpdateOutlastsRaces checks that a PATCH never gives up: a writer
// that loses every race of its maxOptimistic attempts (another write
// lands between its read and its write each time) then applies its
// change with the collection held, in memory and on disk, and the other
// writes are all kept.
func TestUpdateOutlastsRaces(t *testing.T) {
	for _, dir := range []string{"", t.TempDir()} {
		f := newFake(t, Options{DataDir: dir})
		id := f.createUser("busy@example.com", `"user_metadata":{}`)
		docs := f.s.users
		calls := 0
		doc, err := update(context.Background(), docs, id, func(stored []byte) ([]byte, bool, error) {
			calls++
			if calls <= maxOptimistic { // a rival writes first, every time
				rival := strings.Replace(string(stored), `"user_metadata":{`, fmt.Sprintf(`"user_metadata":{"rival%d":1,`, calls), 1)
				rival = strings.Replace(rival, `,}`, `}`, 1)
				_, version, err := docs.Read(context.Background(), id)
				if err != nil {
					return nil, false, err
				}
				if err := docs.Write(context.Background(), id, []byte(rival), version); err != nil {
					return nil, false, err
				}
			}
			return []byte(strings.Replace(string(stored), `"user_metadata":{`, `"user_metadata":{"mine":1,`, 1)), true, nil
		})
		if err != nil {
			t.Fatalf("dir %q: update gave up after %d calls: %v", dir, calls, err)
		}
		if calls != maxOptimistic+1 {
			t.Errorf("dir %q: change ran %d times, want %d", dir, calls, maxOptimistic+1)
		}
		got := gjson.Get(f.must(http.StatusOK, "GET", userPath(id), ""), "user_metadata").Map()
		if len(got) != maxOptimistic+1 || !gjson.Valid(string(doc)) || got["mine"].Int() != 1 {
			t.Errorf("dir %q: user_metadata %v, want mine and %d rivals", dir, got, maxOptimistic)
		}
	}
}
