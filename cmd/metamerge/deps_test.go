package main

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// TestLinksNoTesting keeps package testing, and with it its flags and
// its weight, out of the command: the suite's model lives in package
// conformance, and only metamergetest, for go test, imports testing.
func TestLinksNoTesting(t *testing.T) {
	gotool := filepath.Join(runtime.GOROOT(), "bin", "go")
	out, err := exec.Command(gotool, "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	deps := strings.Fields(string(out))
	if !slices.Contains(deps, "github.com/metamerge/metamerge/conformance") {
		t.Fatalf("go list -deps does not list the conformance package: %q", deps)
	}
	for _, banned := range []string{"testing", "github.com/metamerge/metamerge/metamergetest"} {
		if slices.Contains(deps, banned) {
			t.Errorf("the command links %s", banned)
		}
	}
}
