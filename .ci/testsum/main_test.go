package main

import (
	"strings"
	"testing"
)

func TestSum(t *testing.T) {
	for _, tt := range []struct {
		reason, in string
		status     int
		out        string
	}{
		{"passes are counted, subtests included, and not printed",
			`{"Action":"run","Package":"p","Test":"TestA"}
{"Action":"output","Package":"p","Test":"TestA","Output":"=== RUN   TestA\n"}
{"Action":"pass","Package":"p","Test":"TestA/sub"}
{"Action":"pass","Package":"p","Test":"TestA"}
{"Action":"skip","Package":"p","Test":"TestB"}
{"Action":"pass","Package":"p","Elapsed":1.25}
`, 0, "ok\tp\t1.2s\n1 skipped\n2 passed, 0 failed\n"},
		{"a failure prints its output",
			`{"Action":"output","Package":"p","Test":"TestA","Output":"=== RUN   TestA\n"}
{"Action":"output","Package":"p","Test":"TestA","Output":"    a_test.go:6: want 1, got 2\n"}
{"Action":"fail","Package":"p","Test":"TestA"}
{"Action":"pass","Package":"p","Test":"TestB"}
{"Action":"fail","Package":"p","Elapsed":0.5}
`, 1, "--- FAIL: p TestA\n    === RUN   TestA\n        a_test.go:6: want 1, got 2\nFAIL\tp\t0.5s\n1 passed, 1 failed\n"},
		{"a package that does not build fails the run",
			`{"ImportPath":"q","Action":"build-output","Output":"q/q.go:2:12: undefined: y\n"}
{"ImportPath":"q","Action":"build-fail"}
{"Action":"pass","Package":"p","Test":"TestA"}
`, 1, "FAIL\tq [build failed]\n    q/q.go:2:12: undefined: y\n1 passed, 0 failed\n"},
		{"lines that are not events are passed on", "no test files\n" + `{"Action":"pass","Package":"p","Test":"TestA"}` + "\n", 0, "no test files\n1 passed, 0 failed\n"},
		{"nothing passed", "", 1, "0 passed, 0 failed\n"},
	} {
		var out strings.Builder
		if status := sum(strings.NewReader(tt.in), &out); status != tt.status || out.String() != tt.out {
			t.Errorf("%s: status %d, output:\n%s\nwant %d and:\n%s", tt.reason, status, out.String(), tt.status, tt.out)
		}
	}
}
