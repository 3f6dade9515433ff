// Command golden replays golden files of profile and client updates, as a
// team's own tests would: each file in testdata/ holds a stored document,
// a sequence of PATCH bodies and what each one gives. It prints "ok" or
// the differences, as indented line diffs.
//
// In a test, metamergetest.Replay(t, path) does the same and fails the
// test (see golden_test.go); METAMERGETEST_UPDATE=1 go test rewrites the
// expectations after a change, for review with git diff.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/metamerge/metamerge/metamergetest"
)

func main() {
	dir := filepath.Join("examples", "golden", "testdata")
	if len(os.Args) > 1 {
		dir = os.Args[1]
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(files) == 0 {
		fmt.Fprintf(os.Stderr, "golden: no golden files in %s\n", dir)
		os.Exit(2)
	}
	failed := false
	for _, f := range files {
		diffs, err := metamergetest.Replayer{}.Check(f)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		if len(diffs) == 0 {
			fmt.Printf("ok   %s\n", f)
		}
		for _, d := range diffs {
			failed = true
			fmt.Printf("FAIL %s: %s\n", f, d)
		}
	}
	if failed {
		os.Exit(1)
	}
}
