package main

import (
	"path/filepath"
	"testing"

	"github.com/metamerge/metamerge/metamergetest"
)

// TestGolden replays every golden file; METAMERGETEST_UPDATE=1 go test
// rewrites their expectations.
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
