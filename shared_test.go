package metamerge_test

// Where is the test data kept beside the repository?

import (
	"os"
	"testing"
)

// sharedDir holds test data kept beside the repository, not inside it:
// the JSONTestSuite parsing cases and the contract. A clone without it
// skips the tests that read it; METAMERGE_SHARED names another place, and
// METAMERGE_REQUIRE_SHARED=1 (set by .ci/run) turns the skip into a failure.
var sharedDir = func() string {
	if d := os.Getenv("METAMERGE_SHARED"); d != "" {
		return d
	}
	return "../shared"
}()

func skipWithoutShared(t *testing.T, err error) {
	t.Helper()
	if os.Getenv("METAMERGE_REQUIRE_SHARED") != "" {
		t.Fatalf("shared test data is required here but missing: %v", err)
	}
	t.Skipf("skipping: shared test data not found (%v); it lives in %s beside the repository, or set METAMERGE_SHARED", err, sharedDir)
}
