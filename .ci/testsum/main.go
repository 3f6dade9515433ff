// Command testsum reads the output of "go test -json" on standard input,
// prints one line for each package, the whole output of every test and
// package that failed or did not build, and ends with the line
// "N passed, N failed" (subtests count). It exits 1 when anything failed
// or nothing passed, so that CI runs the suite once and still counts it.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
)

// event is one line of go test -json (see go doc test2json).
type event struct {
	Action     string
	Package    string
	Test       string
	Elapsed    float64
	Output     string
	ImportPath string // for build-output and build-fail
}

func main() {
	os.Exit(sum(os.Stdin, os.Stdout))
}

// sum reads the events from r, reports to w and returns the exit status.
func sum(r io.Reader, w io.Writer) int {
	output := map[string]*strings.Builder{} // by package and test; dropped when they pass
	key := func(e event) string { return e.Package + " " + e.Test }
	var passed, failed, skipped, broken int
	in := bufio.NewReader(r)
	for {
		line, err := in.ReadBytes('\n')
		if len(line) == 0 && err != nil {
			if err != io.EOF {
				fmt.Fprintf(w, "testsum: %v\n", err)
				return 1
			}
			break
		}
		var e event
		if json.Unmarshal(line, &e) != nil {
			w.Write(line) // not an event: go test's own words, as they are
			continue
		}
		if e.Action == "build-output" || e.Action == "build-fail" {
			e.Package, e.Test = e.ImportPath, "(build)"
			if e.Action == "build-output" {
				e.Action = "output"
			} else {
				e.Action = "fail"
			}
		}
		k := key(e)
		switch e.Action {
		case "output":
			b := output[k]
			if b == nil {
				b = new(strings.Builder)
				output[k] = b
			}
			b.WriteString(e.Output)
			continue
		case "pass", "fail", "skip":
		default:
			continue
		}
		text := ""
		if b := output[k]; b != nil {
			text = b.String()
		}
		delete(output, k)
		switch {
		case e.Test == "" && e.Action == "fail":
			broken++
			fmt.Fprintf(w, "FAIL\t%s\t%.1fs\n%s", e.Package, e.Elapsed, indent(text))
		case e.Test == "":
			fmt.Fprintf(w, "%s\t%s\t%.1fs\n", map[string]string{"pass": "ok", "skip": "skip"}[e.Action], e.Package, e.Elapsed)
		case e.Test == "(build)":
			broken++
			fmt.Fprintf(w, "FAIL\t%s [build failed]\n%s", e.Package, indent(text))
		case e.Action == "pass":
			passed++
		case e.Action == "skip":
			skipped++
		default:
			failed++
			fmt.Fprintf(w, "--- FAIL: %s %s\n%s", e.Package, e.Test, indent(text))
		}
	}
	if skipped > 0 {
		fmt.Fprintf(w, "%d skipped\n", skipped)
	}
	fmt.Fprintf(w, "%d passed, %d failed\n", passed, failed)
	if failed > 0 || broken > 0 || passed == 0 {
		return 1
	}
	return 0
}

// indent indents each line of s by four spaces.
func indent(s string) string {
	if s == "" {
		return ""
	}
	return "    " + strings.ReplaceAll(strings.TrimSuffix(s, "\n"), "\n", "\n    ") + "\n"
}
