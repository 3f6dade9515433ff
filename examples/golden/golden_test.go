package main

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/metamerge/metamerge/metamergetest"
)

// TestGolden replays every golden file against the library itself;
// METAMERGETEST_UPDATE=1 go test rewrites their expectations.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			metamergetest.Replay(t, f)
		})
	}
}

// server is the service under test, in process, for a replay.
func server() *metamergetest.Server {
	s := newService("secret")
	return &metamergetest.Server{Handler: s, Path: "/api/v2/users/auth0%7C42", Token: "secret", Seed: s.seed}
}

// history is a history of profile updates, kept in code: the golden file
// testdata/service/history.json records the service's answers to it, and
// METAMERGETEST_UPDATE=1 go test writes that file, creating it if missing.
var history = metamergetest.File{
	Kind:   "user",
	Stored: json.RawMessage(`{"user_id":"auth0|42","user_metadata":{"theme":"dark","addresses":{"home":"1 Main St"}}}`),
	Steps: []metamergetest.Step{
		{Comment: "a new key is appended", Patch: json.RawMessage(`{"user_metadata":{"lang":"fr"}}`)},
		{Comment: "a nested object is replaced whole (R3)", Patch: json.RawMessage(`{"user_metadata":{"addresses":{"work":"2 Side St"}}}`)},
		{Comment: "a dotted name is refused with Auth0's envelope", Patch: json.RawMessage(`{"user_metadata":{"prefs.lang":"fr"}}`)},
		{Comment: "null removes a key; {} removes app_metadata", Patch: json.RawMessage(`{"user_metadata":{"theme":null},"app_metadata":{}}`)},
	},
}

// TestServiceRecorded holds the service's own answers, status and body,
// as golden files: a change of the service's answers fails here until
// reviewed and rewritten.
func TestServiceRecorded(t *testing.T) {
	metamergetest.Replayer{Server: server()}.Record(t, filepath.Join("testdata", "service", "history.json"), history)
}

// TestServiceReference checks the service against Auth0's rules with
// nothing recorded: the histories of the library's golden files are
// replayed as PATCH requests, and each answer must be what the library
// computes (200 and the merged profile, or a 400).
func TestServiceReference(t *testing.T) {
	r := metamergetest.Replayer{Server: server(), Expect: metamergetest.Computed}
	r.Replay(t, filepath.Join("testdata", "profile.json"))
	r.Record(t, "history", history)
}
