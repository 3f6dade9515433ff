package metamergetest_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/metamerge/metamerge/conformance"
	"github.com/metamerge/metamerge/metamergetest"
)

// TestRunSkips checks that Run gives the implementation every case but
// those skipped by tag.
func TestRunSkips(t *testing.T) {
	var mu sync.Mutex
	seen := map[string]bool{}
	record := func(in metamergetest.Input) metamergetest.Output {
		mu.Lock()
		seen[in.Name] = true
		mu.Unlock()
		return metamergetest.Reference(in)
	}
	metamergetest.Run(t, record, metamergetest.SkipTags("opt_in"))
	for _, c := range conformance.Vectors() {
		want := !slices.Contains(c.Tags, "opt_in")
		if seen[c.Name] != want {
			t.Errorf("%s: run %v, want %v", c.Name, seen[c.Name], want)
		}
	}
}

func TestReplay(t *testing.T) {
	metamergetest.Replay(t, filepath.Join("testdata", "profile.json"))
}

// TestReplayUpdate rewrites a golden file whose expectations are wrong,
// and checks that the rewritten file is the checked-in one and passes.
func TestReplayUpdate(t *testing.T) {
	want, err := os.ReadFile(filepath.Join("testdata", "profile.json"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "profile.json")
	stale := strings.Replace(string(want), `"pointer": "/user_metadata/prefs.lang"`, `"pointer": "/user_metadata/x"`, 1)
	i := strings.Index(stale, `"result"`) // the first step's result
	stale = stale[:i] + strings.Replace(stale[i:], `"work": "3 New St"`, `"work": "2 Side St"`, 1)
	if err := os.WriteFile(path, []byte(stale), 0o644); err != nil {
		t.Fatal(err)
	}
	diffs, err := metamergetest.Replayer{}.Check(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(diffs) != 2 || !strings.Contains(diffs[0], `-       "work": "2 Side St"`) || !strings.Contains(diffs[1], `- invalid_key at "/user_metadata/x"`) {
		t.Errorf("diffs of the stale file:\n%s", strings.Join(diffs, "\n"))
	}
	t.Setenv(metamergetest.UpdateEnv, "1")
	metamergetest.Replay(t, path)
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("rewritten file (-checked in +rewritten):\n%s", diff)
	}
}

func TestReplayRejectsBadFiles(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"kind":    `{"kind":"group","stored":{},"steps":[]}`,
		"stored":  `{"kind":"user","steps":[]}`,
		"patch":   `{"kind":"user","stored":{},"steps":[{"result":{}}]}`,
		"unknown": `{"kind":"user","stored":{},"steps":[],"extra":1}`,
		// encoding/json would keep the last "steps": the first would never run
		"duplicate": `{"kind":"user","stored":{},"steps":[{"patch":{"a":1},"result":{"b":1}}],"steps":[]}`,
		"trailing":  `{"kind":"user","stored":{},"steps":[]} {"kind":"client"}`,
		"message":   `{"kind":"user","stored":{},"steps":[{"patch":{"user_metadata":{"a.b":1}},"errors":[{"code":"invalid_key","pointer":"/user_metadata/a.b","auth0_message":"x"}]}]}`,
	} {
		path := filepath.Join(dir, name+".json")
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := (metamergetest.Replayer{}).Check(path); err == nil || !strings.Contains(err.Error(), "metamergetest: ") {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}

// TestReplayBoundsStaleSteps replays a file of many steps without
// expectations: the differences of the first steps are shown in full, the
// others named, so the cost stays that of the documents.
func TestReplayBoundsStaleSteps(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"kind":"user","stored":{},"steps":[`)
	for i := range 500 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"patch":{"user_metadata":{"k%d":%d}}}`, i, i)
	}
	b.WriteString(`]}`)
	path := filepath.Join(t.TempDir(), "stale.json")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	diffs, err := metamergetest.Replayer{}.Check(path)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, d := range diffs {
		total += len(d)
	}
	if len(diffs) != 500 || !strings.HasSuffix(diffs[499], "step 500 differs too") || total > 200<<10 {
		t.Errorf("%d differences of %d bytes in all; the last %q", len(diffs), total, diffs[len(diffs)-1])
	}
}
