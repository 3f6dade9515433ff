package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/metamerge/metamerge"
	"github.com/metamerge/metamerge/conformance"
)

// docFlags are the flags of the commands that print a document.
type docFlags struct {
	fs     *flag.FlagSet
	indent *bool
}

// newFlags returns a flag set whose usage shows synopsis and example.
func newFlags(name, synopsis, about, example string, io stdio) docFlags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.err)
	indent := fs.Bool("indent", false, "indent the result by two spaces (number text and escapes are kept)")
	fs.Usage = func() {
		fmt.Fprintf(io.err, "Usage: metamerge %s %s\n\n%s\n\nAny file may be - for standard input.\n\nFlags:\n", name, synopsis, about)
		fs.PrintDefaults()
		fmt.Fprintf(io.err, "\nExample:\n\n  %s\n", example)
	}
	return docFlags{fs, indent}
}

// parse parses the flags and checks the number of file arguments, which n
// returns once the flags are set; ok is false when the command must stop
// with status.
func (f docFlags) parse(args []string, n func() int) (rest []string, status int, ok bool) {
	if err := f.fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, exitOK, false
		}
		return nil, exitUsage, false
	}
	if n := n(); f.fs.NArg() != n {
		fmt.Fprintf(f.fs.Output(), "metamerge %s: want %d file arguments, have %d\n", f.fs.Name(), n, f.fs.NArg())
		f.fs.Usage()
		return nil, exitUsage, false
	}
	return f.fs.Args(), exitOK, true
}

// nFiles returns a count of file arguments for parse.
func nFiles(n int) func() int { return func() int { return n } }

// readFiles reads the named files; at most one may be - (standard input).
func readFiles(names []string, io stdio) ([][]byte, error) {
	out := make([][]byte, len(names))
	stdin := false
	for i, name := range names {
		var err error
		if name == "-" {
			if stdin {
				return nil, fmt.Errorf("standard input (-) can be read only once")
			}
			stdin = true
			out[i], err = readAll(io.in)
		} else {
			out[i], err = readFile(name)
		}
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// maxInput caps what the command reads: the library's own limit (H10).
const maxInput = metamerge.MaxDocumentBytes

func readAll(r io.Reader) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxInput+1))
	if err == nil && len(b) > maxInput {
		return nil, fmt.Errorf("standard input is over %d bytes", maxInput)
	}
	return b, err
}

func readFile(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := readAll(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return b, nil
}

// finish writes the result, or the violations as JSON lines, and returns
// the exit status. A result of nil is written as null.
func finish(name string, f docFlags, result []byte, err error, io stdio) int {
	if errs := metamerge.Errors(err); len(errs) > 0 {
		for _, e := range errs {
			line, _ := json.Marshal(e)
			io.err.Write(append(line, '\n'))
		}
		return exitViolations
	}
	if err != nil {
		fmt.Fprintf(io.err, "metamerge %s: %v\n", name, err)
		return exitUsage
	}
	if result == nil {
		result = []byte("null")
	}
	if *f.indent {
		var b bytes.Buffer
		if json.Indent(&b, result, "", "  ") == nil {
			result = b.Bytes()
		}
	}
	if _, err := io.out.Write(append(result, '\n')); err != nil {
		fmt.Fprintf(io.err, "metamerge %s: %v\n", name, err)
		return exitUsage
	}
	return exitOK
}

// ioError reports a usage or I/O error.
func ioError(name string, err error, io stdio) int {
	fmt.Fprintf(io.err, "metamerge %s: %v\n", name, err)
	return exitUsage
}

func runUser(args []string, io stdio) int {
	f := newFlags("user", "PROFILE PATCH",
		"Merges the PATCH body into the stored profile as PATCH /api/v2/users/{id} does\n(user_metadata, app_metadata and other root members) and prints the result.\nViolations go to standard error as JSON lines; the exit status is then 1.",
		`echo '{"user_metadata":{"plan":"pro"}}' | metamerge user profile.json -`, io)
	maxProfile := f.fs.Int("max-profile-bytes", 0, "opt in to a limit of the whole merged profile, in bytes (R9)")
	files, status, ok := f.parse(args, nFiles(2))
	if !ok {
		return status
	}
	docs, err := readFiles(files, io)
	if err != nil {
		return ioError("user", err, io)
	}
	result, err := metamerge.UserRules{MaxProfileBytes: *maxProfile}.Merge(docs[0], docs[1])
	return finish("user", f, result, err, io)
}

func runClient(args []string, io stdio) int {
	f := newFlags("client", "CLIENT PATCH",
		"Merges the PATCH body into the stored client as PATCH /api/v2/clients/{id} does\n(client_metadata and other root members) and prints the result.",
		`metamerge client client.json patch.json`, io)
	files, status, ok := f.parse(args, nFiles(2))
	if !ok {
		return status
	}
	docs, err := readFiles(files, io)
	if err != nil {
		return ioError("client", err, io)
	}
	result, err := metamerge.MergeClient(docs[0], docs[1])
	return finish("client", f, result, err, io)
}

func runSignup(args []string, io stdio) int {
	f := newFlags("signup", "FILE",
		"Validates the user_metadata of a signup (POST /dbconnections/signup): at most\n10 string fields, names of at most 100 characters, values of at most 500.\nPrints nothing when it is valid.",
		`echo '{"plan":"pro","age":42}' | metamerge signup -`, io)
	files, status, ok := f.parse(args, nFiles(1))
	if !ok {
		return status
	}
	docs, err := readFiles(files, io)
	if err != nil {
		return ioError("signup", err, io)
	}
	if err := metamerge.ValidateSignup(docs[0]); err != nil {
		return finish("signup", f, nil, err, io)
	}
	return exitOK
}

func runMerge(args []string, io stdio) int {
	f := newFlags("merge", "-policy NAME [-absent] STORED PATCH",
		"Merges the patch of one metadata object into its stored value under a named\npolicy: user_metadata, app_metadata, client_metadata or signup. With -absent\nthere is no stored value (the field is absent) and only PATCH is given. The\nresult is null where the field is to be absent (app_metadata and {}).",
		`metamerge merge -policy client_metadata stored.json patch.json`, io)
	policy := f.fs.String("policy", "", "the policy: user_metadata, app_metadata, client_metadata or signup")
	absent := f.fs.Bool("absent", false, "the field is absent from the stored document: give only PATCH")
	files, status, ok := f.parse(args, func() int {
		if *absent {
			return 1
		}
		return 2
	})
	if !ok {
		return status
	}
	rules, err := conformance.FieldRules(*policy)
	if err != nil {
		fmt.Fprintf(io.err, "metamerge merge: -policy must be user_metadata, app_metadata, client_metadata or signup, not %q\n", *policy)
		return exitUsage
	}
	docs, err := readFiles(files, io)
	if err != nil {
		return ioError("merge", err, io)
	}
	var stored []byte
	patch := docs[0]
	if !*absent {
		stored, patch = docs[0], docs[1]
	}
	result, err := rules.Merge(stored, patch)
	return finish("merge", f, result, err, io)
}

func runDiff(args []string, io stdio) int {
	f := newFlags("diff", "user|client BEFORE AFTER",
		"Prints the PATCH body that turns BEFORE into AFTER under Auth0's merge rules:\nonly what changes, changed metadata keys whole, removed keys as null. Where no\nPATCH can give AFTER (a removed user_metadata, a new dotted name, an 11th\nclient key) the violations, located in AFTER, go to standard error.",
		`metamerge diff user before.json after.json`, io)
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		if err := f.fs.Parse(args); errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		fmt.Fprintln(io.err, "metamerge diff: want user or client first")
		f.fs.Usage()
		return exitUsage
	}
	kind := args[0]
	files, status, ok := f.parse(args[1:], nFiles(2))
	if !ok {
		return status
	}
	docs, err := readFiles(files, io)
	if err != nil {
		return ioError("diff", err, io)
	}
	var result []byte
	switch kind {
	case "user":
		result, err = metamerge.DiffUser(docs[0], docs[1])
	case "client":
		result, err = metamerge.DiffClient(docs[0], docs[1])
	default:
		fmt.Fprintf(io.err, "metamerge diff: want user or client, not %q\n", kind)
		return exitUsage
	}
	return finish("diff", f, result, err, io)
}
