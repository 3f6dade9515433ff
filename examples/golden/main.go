// Command golden replays golden files of profile and client updates, as a
// team's own tests would, and prints "ok" or the differences, as indented
// line diffs. Each file in testdata/ holds a stored document, a sequence
// of PATCH bodies and what each one gives:
//
//   - testdata/*.json record the library's results and errors;
//   - testdata/service/history.json records the answers (status and body)
//     of a small user service, service.go, the code under test; the
//     command serves it on a local port and replays the file as PATCH
//     requests to its URL;
//   - the service is also checked against Auth0's rules with nothing
//     recorded: the history of testdata/profile.json is replayed against
//     it, and each answer must be what the library computes.
//
// In a test, metamergetest.Replay(t, path) and Replayer.Record do the same
// and fail the test (see golden_test.go); METAMERGETEST_UPDATE=1 go test
// rewrites the recorded outcomes after a change, for review with git diff,
// and creates the files that are missing.
package main

import (
	"fmt"
	"net/http/httptest"
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
	svc := newService("secret")
	srv := httptest.NewServer(svc)
	defer srv.Close()
	target := &metamergetest.Server{URL: srv.URL, Path: "/api/v2/users/auth0%7C42", Token: "secret", Seed: svc.seed}

	type check struct {
		what string
		r    metamergetest.Replayer
		path string
	}
	var checks []check
	for _, f := range files {
		checks = append(checks, check{"the library, recorded", metamergetest.Replayer{}, f})
	}
	checks = append(checks,
		check{"the service, recorded", metamergetest.Replayer{Server: target}, filepath.Join(dir, "service", "history.json")},
		check{"the service, Auth0's rules", metamergetest.Replayer{Server: target, Expect: metamergetest.Computed}, filepath.Join(dir, "profile.json")},
	)
	failed := false
	for _, c := range checks {
		diffs, err := c.r.Check(c.path)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		if len(diffs) == 0 {
			fmt.Printf("ok   %s (%s)\n", c.path, c.what)
		}
		for _, d := range diffs {
			failed = true
			fmt.Printf("FAIL %s (%s): %s\n", c.path, c.what, d)
		}
	}
	if failed {
		os.Exit(1)
	}
}
