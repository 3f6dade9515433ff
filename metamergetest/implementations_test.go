package metamergetest_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/metamerge/metamerge"
	"github.com/metamerge/metamerge/metamergetest"
)

// profileHistory is the history of testdata/profile.json, without its
// outcomes.
func profileHistory(t *testing.T) metamergetest.File {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "profile.json"))
	if err != nil {
		t.Fatal(err)
	}
	var f metamergetest.File
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	for i := range f.Steps {
		f.Steps[i].Result, f.Steps[i].Errors = nil, nil
	}
	return f
}

// store is a toy user service: one profile, PATCHed with a merge
// function, answering Auth0's envelope on refusal.
type store struct {
	mu    sync.Mutex
	doc   []byte
	merge func(stored, patch []byte) ([]byte, error)
	token string // required when not empty
	seen  []string
}

func (s *store) seed(kind string, stored []byte) error {
	if kind != "user" {
		return fmt.Errorf("kind %q", kind)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.doc = stored
	return nil
}

func (s *store) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seen = append(s.seen, r.Method+" "+r.URL.Path)
	if s.token != "" && r.Header.Get("Authorization") != "Bearer "+s.token {
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	body, _ := io.ReadAll(r.Body)
	merged, err := s.merge(s.doc, body)
	w.Header().Set("Content-Type", "application/json")
	if err != nil {
		w.WriteHeader(http.StatusBadRequest)
		msg, _ := json.Marshal(err.Error())
		fmt.Fprintf(w, `{"statusCode":400,"error":"Bad Request","message":%s,"errorCode":"invalid_body"}`, msg)
		return
	}
	s.doc = merged
	w.Write(merged)
}

// deepMerge is a wrong user merge: it merges nested objects of metadata
// one level down, as RFC 7396 would, keeping keys R3 says go.
func deepMerge(stored, patch []byte) ([]byte, error) {
	if err := (metamerge.UserRules{}).Check(patch); err != nil {
		return nil, err
	}
	var s, p map[string]json.RawMessage
	var sm, pm map[string]json.RawMessage
	if json.Unmarshal(stored, &s) != nil || json.Unmarshal(patch, &p) != nil ||
		json.Unmarshal(s["user_metadata"], &sm) != nil || json.Unmarshal(p["user_metadata"], &pm) != nil || pm == nil {
		return metamerge.MergeUser(stored, patch)
	}
	for k, v := range pm {
		var old, upd map[string]json.RawMessage
		if json.Unmarshal(sm[k], &old) == nil && json.Unmarshal(v, &upd) == nil && old != nil && upd != nil {
			for kk, vv := range upd {
				old[kk] = vv
			}
			pm[k], _ = json.Marshal(old)
		}
	}
	p["user_metadata"], _ = json.Marshal(pm)
	patch, _ = json.Marshal(p)
	return metamerge.MergeUser(stored, patch)
}

// failures runs f with a recorder and returns its failures, joined.
func failures(t *testing.T, f func(tb testing.TB)) string {
	t.Helper()
	return strings.Join(record(t, f).errors, "\n")
}

// TestReplayImplementations replays profile.json's history against
// implementations right and wrong, in every form, with both kinds of
// expectations: a right one passes, a wrong one fails naming the file,
// the step and the member.
func TestReplayImplementations(t *testing.T) {
	t.Setenv(metamergetest.UpdateEnv, "")
	const wrongAt = `step 1 (a nested object is replaced whole (R3)) at "/user_metadata/addresses/work" (want) and "/user_metadata/addresses/home" (got)`
	merger := func(m func(stored, patch []byte) ([]byte, error)) metamergetest.Merger {
		return func(kind string, stored, patch []byte) ([]byte, error) { return m(stored, patch) }
	}
	handler := func(m func(stored, patch []byte) ([]byte, error)) *metamergetest.Server {
		s := &store{merge: m}
		return &metamergetest.Server{Handler: s, Path: "/api/v2/users/auth0%7C42", Seed: s.seed}
	}
	url := func(m func(stored, patch []byte) ([]byte, error)) *metamergetest.Server {
		s := &store{merge: m, token: "secret"}
		srv := httptest.NewServer(s)
		t.Cleanup(srv.Close)
		return &metamergetest.Server{URL: srv.URL + "/", Path: "/api/v2/users/auth0%7C42", Token: "secret", Seed: s.seed}
	}
	tests := []struct {
		name   string
		right  metamergetest.Replayer
		wrong  metamergetest.Replayer
		wantAt string // the failure of the wrong one names this
	}{
		{"Merger", metamergetest.Replayer{Merge: merger(metamerge.MergeUser)}, metamergetest.Replayer{Merge: merger(deepMerge)}, wrongAt},
		{"Handler", metamergetest.Replayer{Server: handler(metamerge.MergeUser)}, metamergetest.Replayer{Server: handler(deepMerge)}, wrongAt},
		{"URL", metamergetest.Replayer{Server: url(metamerge.MergeUser)}, metamergetest.Replayer{Server: url(deepMerge)}, wrongAt},
	}
	for _, tt := range tests {
		for _, expect := range []metamergetest.Expectations{metamergetest.Recorded, metamergetest.Computed} {
			right, wrong := tt.right, tt.wrong
			right.Expect, wrong.Expect = expect, expect
			t.Run(fmt.Sprintf("%s/%d", tt.name, expect), func(t *testing.T) {
				h := profileHistory(t)
				path := filepath.Join(t.TempDir(), "history", "profile.json")
				if expect == metamergetest.Recorded {
					t.Setenv(metamergetest.UpdateEnv, "true")
					if f := failures(t, func(tb testing.TB) { right.Record(tb, path, h) }); f != "" {
						t.Fatalf("recording: %s", f)
					}
					t.Setenv(metamergetest.UpdateEnv, "false")
				}
				if f := failures(t, func(tb testing.TB) { right.Record(tb, path, h) }); f != "" {
					t.Errorf("the right implementation: %s", f)
				}
				if expect == metamergetest.Computed {
					t.Setenv(metamergetest.UpdateEnv, "1") // and nothing is written
					if f := failures(t, func(tb testing.TB) { right.Record(tb, path, h) }); f != "" {
						t.Errorf("the right implementation, under update: %s", f)
					}
					if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
						t.Errorf("Computed expectations wrote %s: %v", path, err)
					}
					t.Setenv(metamergetest.UpdateEnv, "")
				}
				f := failures(t, func(tb testing.TB) { wrong.Record(tb, path, h) })
				wantAt := tt.wantAt
				if tt.name != "Merger" && expect == metamergetest.Computed { // by meaning: the member more
					wantAt = `step 1 (a nested object is replaced whole (R3)) at "/user_metadata/addresses/home":`
				}
				for _, w := range []string{path + ": " + wantAt, `"home": "1 Main St"`} {
					if !strings.Contains(f, w) {
						t.Errorf("the wrong implementation's failures lack %q:\n%s", w, f)
					}
				}
				if strings.Contains(f, "step 2") || strings.Contains(f, "step 3 (") && !strings.Contains(f, "step 3 ({} removes app_metadata (R6); null removes a key (R3)) at ") {
					t.Errorf("a step failed without its member, or one that is right:\n%s", f)
				}
			})
		}
	}
}

// TestRecordedAnswers checks what a file records of each form of
// implementation.
func TestRecordedAnswers(t *testing.T) {
	s := &store{merge: metamerge.MergeUser}
	path := filepath.Join(t.TempDir(), "answers.json")
	t.Setenv(metamergetest.UpdateEnv, "1")
	r := metamergetest.Replayer{Server: &metamergetest.Server{Handler: s, Path: "/u/1", Seed: s.seed}}
	h := metamergetest.File{Kind: "user", Stored: json.RawMessage(`{"user_id":"1"}`), Steps: []metamergetest.Step{
		{Comment: "ok", Patch: json.RawMessage(`{"user_metadata":{"a":1}}`)},
		{Comment: "refused", Patch: json.RawMessage(`{"user_metadata":{"a.b":1}}`)},
	}}
	if f := failures(t, func(tb testing.TB) { r.Record(tb, path, h) }); f != "" {
		t.Fatal(f)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var f metamergetest.File
	if err := json.Unmarshal(got, &f); err != nil {
		t.Fatal(err)
	}
	if st := f.Steps[0]; st.Status != 200 || compactString(st.Body) != `{"user_id":"1","user_metadata":{"a":1}}` || st.Result != nil {
		t.Errorf("step 1 recorded %d %s", st.Status, st.Body)
	}
	if st := f.Steps[1]; st.Status != 400 || !strings.Contains(string(st.Body), `"errorCode": "invalid_body"`) {
		t.Errorf("step 2 recorded %d %s", st.Status, st.Body)
	}
	if want := []string{"PATCH /u/1", "PATCH /u/1"}; strings.Join(s.seen, ",") != strings.Join(want, ",") {
		t.Errorf("requests %q, want %q", s.seen, want)
	}

	// A Merger's error that is not the library's is recorded by message.
	t.Setenv(metamergetest.UpdateEnv, "1")
	m := metamergetest.Replayer{Merge: func(kind string, stored, patch []byte) ([]byte, error) {
		return nil, errors.New("the store is down")
	}}
	path = filepath.Join(t.TempDir(), "merger.json")
	if f := failures(t, func(tb testing.TB) { m.Record(tb, path, h) }); f != "" {
		t.Fatal(f)
	}
	if b, _ := os.ReadFile(path); !strings.Contains(string(b), `"message": "the store is down"`) {
		t.Errorf("recorded:\n%s", b)
	}
	// A handler answering otherwise now fails with status and member.
	t.Setenv(metamergetest.UpdateEnv, "")
	s2 := &store{merge: func(stored, patch []byte) ([]byte, error) {
		return metamerge.MergeUser(stored, bytes.ReplaceAll(patch, []byte(`"a":1`), []byte(`"a":2`)))
	}}
	r2 := metamergetest.Replayer{Server: &metamergetest.Server{Handler: s2, Path: "/u/1", Seed: s2.seed}}
	path = filepath.Join(t.TempDir(), "answers.json")
	os.WriteFile(path, got, 0o644)
	fail := failures(t, func(tb testing.TB) { r2.Replay(tb, path) })
	for _, w := range []string{path + `: step 1 (ok) at "/user_metadata/a":`, `-     "a": 1`, `+     "a": 2`} {
		if !strings.Contains(fail, w) {
			t.Errorf("failures lack %q:\n%s", w, fail)
		}
	}
	if strings.Contains(fail, "step 2") {
		t.Errorf("step 2 failed:\n%s", fail)
	}
}

func compactString(b []byte) string {
	var out bytes.Buffer
	json.Compact(&out, b)
	return out.String()
}

// TestRecordMissingFile checks that Record creates a missing file and its
// directory under UpdateEnv, and fails without it, saying how to create
// it; and that Replay, whose history is in the file, says to use Record.
func TestRecordMissingFile(t *testing.T) {
	h := profileHistory(t)
	path := filepath.Join(t.TempDir(), "new", "profile.json")
	t.Setenv(metamergetest.UpdateEnv, "")
	if f := failures(t, func(tb testing.TB) { metamergetest.Replayer{}.Record(tb, path, h) }); !strings.Contains(f, path+": no golden file; create it with METAMERGETEST_UPDATE=1") {
		t.Errorf("without update: %q", f)
	}
	if f := failures(t, func(tb testing.TB) { metamergetest.Replay(tb, path) }); !strings.Contains(f, "Replayer.Record") {
		t.Errorf("Replay of a missing file: %q", f)
	}
	t.Setenv(metamergetest.UpdateEnv, "1")
	if f := failures(t, func(tb testing.TB) { metamergetest.Replayer{}.Record(tb, path, h) }); f != "" {
		t.Fatalf("with update: %s", f)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join("testdata", "profile.json"))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Errorf("created:\n%s\nwant the checked-in file:\n%s", got, want)
	}
	// Another history fails until rewritten.
	t.Setenv(metamergetest.UpdateEnv, "")
	h.Steps = h.Steps[:2]
	if f := failures(t, func(tb testing.TB) { metamergetest.Replayer{}.Record(tb, path, h) }); !strings.Contains(f, "holds another history: 3 steps, not 2") {
		t.Errorf("another history: %q", f)
	}
}

// TestServerSettings checks that a Server set wrong, or answering beyond
// the bounds, ends the replay with an error that says why.
func TestServerSettings(t *testing.T) {
	s := &store{merge: metamerge.MergeUser}
	big := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		chunk := bytes.Repeat([]byte("x"), 1<<20)
		for range 65 {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	panics := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { panic("boom") })
	tests := []struct {
		name string
		r    metamergetest.Replayer
		want string
	}{
		{"no seed", metamergetest.Replayer{Server: &metamergetest.Server{Handler: s, Path: "/u"}}, "Seed is nil"},
		{"both", metamergetest.Replayer{Server: &metamergetest.Server{Handler: s, URL: "http://x", Path: "/u", Seed: s.seed}}, "set one of Handler and URL"},
		{"path", metamergetest.Replayer{Server: &metamergetest.Server{Handler: s, Path: "u", Seed: s.seed}}, `Path "u" does not start with /`},
		{"merge and server", metamergetest.Replayer{Merge: func(string, []byte, []byte) ([]byte, error) { return nil, nil },
			Server: &metamergetest.Server{Handler: s, Path: "/u", Seed: s.seed}}, "set one of Replayer.Server and Replayer.Merge"},
		{"seed fails", metamergetest.Replayer{Server: &metamergetest.Server{Handler: s, Path: "/u", Seed: func(string, []byte) error { return errors.New("no db") }}}, "Server.Seed: no db"},
		{"too long", metamergetest.Replayer{Server: &metamergetest.Server{Handler: big, Path: "/u", Seed: s.seed}}, "step 1 (a nested object is replaced whole (R3)): an answer longer than 67108864 bytes"},
		{"panics", metamergetest.Replayer{Server: &metamergetest.Server{Handler: panics, Path: "/u", Seed: s.seed}}, "step 1 (a nested object is replaced whole (R3)): the handler panicked: boom"},
		{"not JSON", metamergetest.Replayer{Merge: func(string, []byte, []byte) ([]byte, error) { return []byte("{"), nil }}, `the Merger returned a result that is not JSON: "{"`},
		{"unreachable", metamergetest.Replayer{Server: &metamergetest.Server{URL: "http://127.0.0.1:1", Path: "/u", Seed: s.seed}}, "step 1 (a nested object is replaced whole (R3)): Patch \"http://127.0.0.1:1/u\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.name == "too long" && testing.Short() {
				t.Skip("writes 65 MiB")
			}
			_, err := tt.r.Check(filepath.Join("testdata", "profile.json"))
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "metamergetest: testdata/profile.json: ") {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

// TestReplayWrongTypeNamesStep checks that a member of the wrong type is
// located as an unknown one is.
func TestReplayWrongTypeNamesStep(t *testing.T) {
	path := filepath.Join(t.TempDir(), "type.json")
	os.WriteFile(path, []byte(`{"kind":"user","stored":{},"steps":[{"patch":{}},{"comment":"c","patch":{},"status":"200"}]}`), 0o644)
	_, err := metamergetest.Replayer{}.Check(path)
	if err == nil || !strings.Contains(err.Error(), `step 2 (c): wrong type at "/steps/1/status"`) {
		t.Errorf("err = %v", err)
	}
}

// TestComputedByMeaning checks that with Computed expectations a server's
// body is compared by meaning: a service that stores profiles in a map
// answers its members sorted, and passes; one that rounds numbers through
// float64 (H5) or changes a value fails, naming the member.
func TestComputedByMeaning(t *testing.T) {
	t.Setenv(metamergetest.UpdateEnv, "")
	reencode := func(numbers bool, change string) func(stored, patch []byte) ([]byte, error) {
		return func(stored, patch []byte) ([]byte, error) {
			merged, err := metamerge.MergeUser(stored, patch)
			if err != nil {
				return nil, err
			}
			var v map[string]any
			dec := json.NewDecoder(bytes.NewReader(merged))
			if !numbers {
				dec.UseNumber()
			}
			dec.Decode(&v)
			if change != "" {
				v["email"] = change
			}
			return json.Marshal(v)
		}
	}
	tests := []struct {
		reason string
		merge  func(stored, patch []byte) ([]byte, error)
		want   []string // the start of each difference
	}{
		{"members sorted: the same meaning", reencode(false, ""), nil},
		{"12345678901234567890 rounded through float64", reencode(true, ""), []string{
			`step 3 ({} removes app_metadata (R6); null removes a key (R3)) at "/user_metadata/score":`}},
		{"an email changed", reencode(false, "eve@example.com"), []string{
			`step 1 (a nested object is replaced whole (R3)) at "/email":`,
			`step 3 ({} removes app_metadata (R6); null removes a key (R3)) at "/email":`}},
	}
	for _, tt := range tests {
		s := &store{merge: tt.merge}
		r := metamergetest.Replayer{Server: &metamergetest.Server{Handler: s, Path: "/u", Seed: s.seed}, Expect: metamergetest.Computed}
		diffs, err := r.Check(filepath.Join("testdata", "profile.json"))
		if err != nil {
			t.Fatal(err)
		}
		ok := len(diffs) == len(tt.want)
		for i := range tt.want {
			ok = ok && strings.HasPrefix(diffs[i], tt.want[i])
		}
		if !ok {
			t.Errorf("%s: differences\n%s\nwant them to start %q", tt.reason, strings.Join(diffs, "\n"), tt.want)
		}
	}
}
