package metamergetest_test

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/metamerge/metamerge"
	"github.com/metamerge/metamerge/metamergetest"
)

// An implementation of the rules, here the library itself behind the
// Implementation signature; yours would call your own engine.
func myEngine(in metamergetest.Input) metamergetest.Output {
	return metamergetest.Reference(in)
}

// Run every golden vector against your implementation, one subtest per
// case (go test -run 'TestMyEngine/client-' runs some of them), skipping
// the opt-in rules it does not implement.
func ExampleRun() {
	_ = func(t *testing.T) { // func TestMyEngine(t *testing.T) in a _test.go file
		metamergetest.Run(t, myEngine, metamergetest.SkipTags("opt_in"))
	}
}

// Replay a golden file of profile updates outside a test; in a test,
// metamergetest.Replay(t, path) does the same and fails the test.
func ExampleReplayer_Check() {
	path := filepath.Join(os.TempDir(), "example-golden.json")
	os.WriteFile(path, []byte(`{
  "kind": "user",
  "stored": {"user_metadata": {"theme": "dark"}},
  "steps": [
    {"patch": {"user_metadata": {"theme": null, "lang": "fr"}}, "result": {"user_metadata": {"lang": "fr"}}},
    {"patch": {"app_metadata": {"email": "x"}}, "errors": [{"code": "invalid_key", "pointer": "/app_metadata/email"}]}
  ]
}`), 0o644)
	defer os.Remove(path)
	diffs, err := metamergetest.Replayer{}.Check(path)
	if err != nil {
		fmt.Println(err)
	}
	for _, d := range diffs {
		fmt.Println(d)
	}
	// Output:
	// step 2 at "/app_metadata/email":
	// errors (-want +got):
	//   - invalid_key at "/app_metadata/email"
	//   + reserved_key at "/app_metadata/email"
}

// Check a service's PATCH handler against Auth0's rules with nothing
// recorded: the golden file's history is replayed as PATCH requests, and
// each answer is compared with what the library computes. Seed puts the
// file's stored document where the handler reads it.
func ExampleServer() {
	var stored []byte // the service's store: one profile
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		patch, _ := io.ReadAll(r.Body)
		merged, err := metamerge.MergeUser(stored, patch)
		if err != nil {
			w.WriteHeader(http.StatusUnprocessableEntity) // Auth0 answers 400
			return
		}
		stored = merged
		w.Write(merged)
	})
	r := metamergetest.Replayer{
		Server: &metamergetest.Server{
			Handler: handler,
			Path:    "/api/v2/users/auth0%7C42",
			Seed:    func(kind string, doc []byte) error { stored = doc; return nil },
		},
		Expect: metamergetest.Computed,
	}
	path := filepath.Join(os.TempDir(), "example-history.json")
	os.WriteFile(path, []byte(`{
  "kind": "user",
  "stored": {"user_id": "auth0|42", "user_metadata": {"theme": "dark"}},
  "steps": [
    {"comment": "a new key", "patch": {"user_metadata": {"lang": "fr"}}},
    {"comment": "a dotted name", "patch": {"user_metadata": {"a.b": 1}}}
  ]
}`), 0o644)
	defer os.Remove(path)
	diffs, err := r.Check(path) // in a test: r.Replay(t, path)
	if err != nil {
		fmt.Println(err)
	}
	for _, d := range diffs {
		fmt.Println(d)
	}
	// Output:
	// step 2 (a dotted name) at "/user_metadata/a.b":
	// status: want 400, got 422
	// the library refuses the patch: invalid_key at "/user_metadata/a.b"
}

// Record your own code's outcomes of a history kept in code: the golden
// file holds the history and what each step gave, and
// METAMERGETEST_UPDATE=1 go test writes it, creating it when missing.
func ExampleReplayer_Record() {
	myMerge := func(kind string, stored, patch []byte) ([]byte, error) {
		return metamerge.MergeUser(stored, patch) // your own merge
	}
	_ = func(t *testing.T) { // func TestMyMerge(t *testing.T) in a _test.go file
		metamergetest.Replayer{Merge: myMerge}.Record(t, "testdata/theme.json", metamergetest.File{
			Kind:   "user",
			Stored: []byte(`{"user_id":"auth0|42","user_metadata":{"theme":"dark"}}`),
			Steps: []metamergetest.Step{
				{Comment: "null removes a key", Patch: []byte(`{"user_metadata":{"theme":null}}`)},
				{Comment: "dotted names are refused", Patch: []byte(`{"user_metadata":{"a.b":1}}`)},
			},
		})
	}
}
