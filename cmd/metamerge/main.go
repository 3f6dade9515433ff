// Command metamerge applies Auth0's metadata merge rules from the command
// line: it merges PATCH bodies into profiles and clients, validates signup
// metadata, computes the PATCH between two documents, runs the conformance
// vectors against any implementation that speaks the harness protocol, and
// serves a fake of Auth0's Management API.
//
// Run "metamerge -h" for the commands, "metamerge COMMAND -h" for one.
//
// Flags may stand before, between or after the files; "--" ends them, and
// "-" is standard input. Each input is read up to -max-input bytes (64 MiB
// by default); a larger one is too_large, reported as a violation.
//
// Exit status: 0 on success; 1 when an input breaks the rules (the
// violations are written to standard error as JSON lines) or a conformance
// case fails; 2 on a usage or I/O error.
package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
)

// Exit statuses.
const (
	exitOK         = 0 // success
	exitViolations = 1 // an input broke the rules, or a conformance case failed
	exitUsage      = 2 // bad usage, or an I/O error
)

// stdio is where a command reads and writes; tests give their own.
type stdio struct {
	in       io.Reader
	out, err io.Writer
}

// command is one subcommand; each lives in a file of its own.
type command struct {
	name    string
	summary string // one line for the usage text
	run     func(args []string, io stdio) int
}

// commands returns the subcommands in the order of the usage text.
func commands() []command {
	return []command{
		{"user", "merge a PATCH body into a user profile (PATCH /api/v2/users/{id})", runUser},
		{"client", "merge a PATCH body into a client (PATCH /api/v2/clients/{id})", runClient},
		{"signup", "validate the user_metadata of a signup (POST /dbconnections/signup)", runSignup},
		{"merge", "merge one metadata object under a named policy", runMerge},
		{"diff", "print the PATCH body that turns one profile or client into another", runDiff},
		{"conformance", "run the golden vectors against an implementation's harness", runConformance},
		{"harness", "answer the harness protocol with this implementation", runHarness},
		{"serve", "serve a fake of Auth0's Management API", runServe},
		{"version", "print the version of this module and of Go it was built with", runVersion},
	}
}

func main() {
	os.Exit(run(os.Args[1:], stdio{in: os.Stdin, out: os.Stdout, err: os.Stderr}))
}

// run dispatches to a command and returns the exit status.
func run(args []string, io stdio) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "-help" || args[0] == "--help" || args[0] == "help" {
		usage(io.err)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(args[1:], io)
		}
	}
	fmt.Fprintf(io.err, "metamerge: unknown command %q\n\n", args[0])
	usage(io.err)
	return exitUsage
}

func usage(w io.Writer) {
	var b strings.Builder
	b.WriteString("Usage: metamerge COMMAND [ARGS...]\n\nCommands:\n")
	for _, c := range commands() {
		fmt.Fprintf(&b, "  %-12s %s\n", c.name, c.summary)
	}
	b.WriteString(`
Run "metamerge COMMAND -h" for the arguments of one command. Example:

  echo '{"user_metadata":{"plan":"pro"}}' | metamerge user profile.json -

Exit status: 0 on success; 1 when an input breaks the rules (each
violation is a JSON line on standard error) or a conformance case fails;
2 on a usage or I/O error.
`)
	io.WriteString(w, b.String())
}

// runVersion prints the module version (a release when installed with
// go install ...@VERSION, a pseudo-version or (devel) when built from a
// checkout) and the Go version.
func runVersion(args []string, io stdio) int {
	if len(args) > 0 {
		if args[0] == "-h" || args[0] == "-help" || args[0] == "--help" {
			fmt.Fprintln(io.err, "Usage: metamerge version\n\nPrints the version of this module and of Go it was built with.")
			return exitOK
		}
		fmt.Fprintf(io.err, "metamerge version: unexpected argument %q\n", args[0])
		return exitUsage
	}
	fmt.Fprintf(io.out, "metamerge %s %s\n", moduleVersion(), runtime.Version())
	return exitOK
}
