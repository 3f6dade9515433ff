package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/metamerge/metamerge"
	"github.com/metamerge/metamerge/conformance"
	"github.com/metamerge/metamerge/internal/jsonenc"
)

// defaultMaxInput is the default of -max-input: the most bytes the command
// reads of each input. No real profile reaches it (Auth0 caps each
// metadata field at 16 MiB, R9), and it keeps a runaway pipe from filling
// memory; -max-input raises it up to the library's own limit,
// metamerge.MaxDocumentBytes (H10).
const defaultMaxInput = 64 << 20

// docFlags are the flags of the commands that read documents.
type docFlags struct {
	fs       *flag.FlagSet
	indent   *bool
	maxInput *int
}

// newFlags returns a flag set whose usage shows synopsis and example.
func newFlags(name, synopsis, about, example string, io stdio) docFlags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.err)
	indent := fs.Bool("indent", false, "indent the result by two spaces (number text and escapes are kept)")
	maxInput := fs.Int("max-input", defaultMaxInput, fmt.Sprintf("the most bytes read of each input; a larger one is too_large (at most %d)", metamerge.MaxDocumentBytes))
	fs.Usage = func() {
		fmt.Fprintf(io.err, "Usage: metamerge %s %s\n\n%s\n\n%s\n\nFlags:\n", name, synopsis, about, fileHelp)
		fs.PrintDefaults()
		fmt.Fprintf(io.err, "\nExample:\n\n  %s\n", example)
	}
	return docFlags{fs, indent, maxInput}
}

// fileHelp is the part of every usage text about files, flags and errors.
const fileHelp = `Any file may be - for standard input. Flags may come before, between or
after the files; -- ends the flags, so that a file may start with -.
Violations go to standard error as JSON lines, one object each, with the
members of metamerge.Error (code, pointer, stored, offset, limit, actual,
found, signup, message), "file" (the file its pointer is in, - for standard
input) and, for invalid_json, duplicate_key and too_deep, "line" and
"column" (from 1; the column counts bytes). An input over -max-input is
too_large at pointer "" and is not read further: its "actual" is the size
of a file, or -max-input + 1 for standard input.`

// parse parses the flags, wherever they stand among the positional
// arguments, and checks the number of those against the names that want
// returns once the flags are set; ok is false when the command must stop
// with status.
func (f docFlags) parse(args []string, want func() []string) (pos []string, status int, ok bool) {
	dashed := 0 // how many of pos came after --
	for i := 0; i < len(args); {
		a := args[i]
		if a == "--" {
			pos = append(pos, args[i+1:]...)
			dashed = len(args) - i - 1
			break
		}
		if len(a) < 2 || a[0] != '-' {
			pos = append(pos, a)
			i++
			continue
		}
		chunk := args[i:min(i+1+valueArgs(f.fs, a), len(args))]
		if err := f.fs.Parse(chunk); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, exitOK, false
			}
			return nil, exitUsage, false
		}
		i += len(chunk)
	}
	if n := *f.maxInput; n < 1 || n > metamerge.MaxDocumentBytes {
		fmt.Fprintf(f.fs.Output(), "metamerge %s: -max-input is %d; it must be from 1 to %d\n", f.fs.Name(), n, metamerge.MaxDocumentBytes)
		return nil, exitUsage, false
	}
	names := want()
	if len(pos) != len(names) {
		noun := "files"
		switch {
		case names[0] != strings.ToUpper(names[0]):
			noun = "arguments" // user|client first
		case len(names) == 1:
			noun = "file"
		}
		fmt.Fprintf(f.fs.Output(), "metamerge %s: want %d %s (%s), have %d%s\n", f.fs.Name(), len(names), noun, strings.Join(names, " "), len(pos), flagHint(f.fs, pos, len(pos)-dashed))
		f.fs.Usage()
		return nil, exitUsage, false
	}
	return pos, exitOK, true
}

// valueArgs returns how many arguments after the flag argument a belong to
// it: 1 for a flag that takes a value given as the next argument, else 0
// (a boolean flag, -name=value, or an unknown flag, which Parse reports).
func valueArgs(fs *flag.FlagSet, a string) int {
	name := strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-")
	if strings.Contains(name, "=") {
		return 0
	}
	fl := fs.Lookup(name)
	if fl == nil {
		return 0
	}
	if b, ok := fl.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
		return 0
	}
	return 1
}

// flagHint returns a hint for a wrong count of positional arguments when
// one of them looks like a flag: a flag's name without its -, or a flag
// after -- (pos[afterDashes:]), where every argument is a file.
func flagHint(fs *flag.FlagSet, pos []string, afterDashes int) string {
	for i, p := range pos {
		name := strings.TrimPrefix(strings.TrimPrefix(p, "-"), "-")
		name, _, _ = strings.Cut(name, "=")
		if fs.Lookup(name) == nil {
			continue
		}
		if i >= afterDashes && name != p {
			return fmt.Sprintf(": %s comes after --, which makes it a file; did you mean it before --?", p)
		}
		if name == p {
			if _, err := os.Stat(p); err != nil {
				return fmt.Sprintf(": did you mean -%s?", p)
			}
		}
	}
	return ""
}

// names returns a fixed list of argument names for parse.
func names(n ...string) func() []string { return func() []string { return n } }

// input is one input document and the name it was given by.
type input struct {
	name string // the file name, or - for standard input
	doc  []byte
}

// readInputs reads the named files, at most one of them - (standard
// input), each up to limit bytes. An input over limit is a *metamerge.Error
// (too_large at pointer "", Stored for the first of two inputs, which is
// the stored document in every command); other failures are I/O errors.
func readInputs(names []string, limit int, io stdio) ([]input, error) {
	out := make([]input, len(names))
	stdin := false
	for i, name := range names {
		out[i].name = name
		var (
			n   int
			err error
		)
		if name == "-" {
			if stdin {
				return out, fmt.Errorf("standard input (-) can be read only once")
			}
			stdin = true
			out[i].doc, n, err = readLimited(io.in, limit, -1)
		} else {
			out[i].doc, n, err = readFile(name, limit)
		}
		if err != nil {
			if name == "-" {
				return out, fmt.Errorf("standard input: %w", err)
			}
			return out, err
		}
		if n > limit {
			return out, &metamerge.Error{Code: metamerge.CodeTooLarge, Stored: i == 0 && len(names) == 2, Offset: -1, Limit: limit, Actual: n}
		}
	}
	return out, nil
}

// readLimited reads r up to limit+1 bytes and returns what it read and
// how many bytes that is; more than limit means that r holds more, and doc
// is then nil. size, when not negative, is what r is expected to hold. The
// document is allocated once, at its size: a stream is read in chunks
// first, so that memory stays near twice the input, never the four times
// that a doubling buffer can reach.
func readLimited(r io.Reader, limit int, size int64) (doc []byte, n int, err error) {
	r = io.LimitReader(r, int64(limit)+1)
	if size >= 0 {
		doc = make([]byte, 0, size+1) // one more byte to see the end, as os.ReadFile does
		for {
			k, err := r.Read(doc[len(doc):cap(doc)])
			doc = doc[:len(doc)+k]
			if err == io.EOF {
				break
			}
			if err != nil {
				return nil, 0, err
			}
			if len(doc) == cap(doc) {
				doc = append(doc, 0)[:len(doc)] // the file grew
			}
		}
	} else {
		var chunks [][]byte
		for c := 64 << 10; ; c = min(2*c, 16<<20) {
			chunk := make([]byte, min(c, limit+1-n))
			k, err := io.ReadFull(r, chunk)
			chunks = append(chunks, chunk[:k])
			n += k
			if err == io.EOF || err == io.ErrUnexpectedEOF || n > limit {
				break
			}
			if err != nil {
				return nil, 0, err
			}
		}
		if n <= limit {
			doc = make([]byte, 0, n)
			for _, c := range chunks {
				doc = append(doc, c...)
			}
		}
	}
	if len(doc) > limit || n > limit {
		return nil, max(len(doc), n), nil
	}
	return doc, len(doc), nil
}

// readFile reads the named file up to limit bytes, and returns its size
// without reading it when that is over limit; an error names the file.
func readFile(name string, limit int) ([]byte, int, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, 0, err // an *fs.PathError, which names the file
	}
	defer f.Close()
	size := int64(-1)
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
		size = fi.Size()
		if size > int64(limit) {
			return nil, int(min(size, math.MaxInt)), nil
		}
	}
	doc, n, err := readLimited(f, limit, size)
	if err != nil {
		return nil, 0, fmt.Errorf("%s: %w", name, err)
	}
	return doc, n, nil
}

// finish writes the result, or the violations as JSON lines, and returns
// the exit status. A result of nil is written as null.
func finish(name string, f docFlags, ins []input, result []byte, err error, io stdio) int {
	if errs := metamerge.Errors(err); len(errs) > 0 {
		var b bytes.Buffer
		for _, e := range errs {
			b.Reset()
			writeViolation(&b, e, ins)
			io.err.Write(b.Bytes())
		}
		return exitViolations
	}
	if err != nil {
		return ioError(name, err, io)
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
		return ioError(name, err, io)
	}
	return exitOK
}

// writeViolation writes e to b as one JSON line: the members of
// e.MarshalJSON, which does not HTML-escape, then "file", the input it was
// found in (the first of two when Stored, else the last), and for the
// parse errors "line" and "column" of its offset in that input.
func writeViolation(b *bytes.Buffer, e *metamerge.Error, ins []input) {
	j, err := e.MarshalJSON()
	if err != nil || len(j) < 2 || j[len(j)-1] != '}' {
		j = []byte(`{"code":` + strconv.Quote(string(e.Code)) + `}`) // cannot happen: Error always encodes
	}
	b.Write(j[:len(j)-1])
	if len(ins) > 0 {
		in := ins[len(ins)-1]
		if e.Stored {
			in = ins[0]
		}
		b.WriteString(`,"file":`)
		b.Write(jsonenc.AppendString(nil, in.name))
		switch e.Code {
		case metamerge.CodeInvalidJSON, metamerge.CodeDuplicateKey, metamerge.CodeTooDeep:
			if e.Offset >= 0 && e.Offset <= len(in.doc) {
				line, col := lineColumn(in.doc, e.Offset)
				fmt.Fprintf(b, `,"line":%d,"column":%d`, line, col)
			}
		}
	}
	b.WriteString("}\n")
}

// lineColumn returns the line and column, both from 1, of byte offset off
// in doc; the column counts bytes, as Go's compilers do.
func lineColumn(doc []byte, off int) (line, column int) {
	before := doc[:off]
	start := bytes.LastIndexByte(before, '\n') + 1
	return bytes.Count(before, []byte{'\n'}) + 1, off - start + 1
}

// ioError reports a usage or I/O error.
func ioError(name string, err error, io stdio) int {
	fmt.Fprintf(io.err, "metamerge %s: %v\n", name, err)
	return exitUsage
}

// load reads the files; ok is false when the command must stop with
// status, after a report of what failed.
func load(name string, f docFlags, files []string, io stdio) (ins []input, status int, ok bool) {
	ins, err := readInputs(files, *f.maxInput, io)
	if err == nil {
		return ins, exitOK, true
	}
	return nil, finish(name, f, ins, nil, err, io), false
}

func runUser(args []string, io stdio) int {
	f := newFlags("user", "PROFILE PATCH",
		"Merges the PATCH body into the stored profile as PATCH /api/v2/users/{id} does\n(user_metadata, app_metadata and other root members) and prints the result.\nViolations go to standard error as JSON lines; the exit status is then 1.",
		`echo '{"user_metadata":{"plan":"pro"}}' | metamerge user profile.json -`, io)
	maxProfile := f.fs.Int("max-profile-bytes", 0, "opt in to a limit of the whole merged profile, in bytes (R9)")
	files, status, ok := f.parse(args, names("PROFILE", "PATCH"))
	if !ok {
		return status
	}
	ins, status, ok := load("user", f, files, io)
	if !ok {
		return status
	}
	result, err := metamerge.UserRules{MaxProfileBytes: *maxProfile}.Merge(ins[0].doc, ins[1].doc)
	return finish("user", f, ins, result, err, io)
}

func runClient(args []string, io stdio) int {
	f := newFlags("client", "CLIENT PATCH",
		"Merges the PATCH body into the stored client as PATCH /api/v2/clients/{id} does\n(client_metadata and other root members) and prints the result.",
		`metamerge client client.json patch.json`, io)
	files, status, ok := f.parse(args, names("CLIENT", "PATCH"))
	if !ok {
		return status
	}
	ins, status, ok := load("client", f, files, io)
	if !ok {
		return status
	}
	result, err := metamerge.MergeClient(ins[0].doc, ins[1].doc)
	return finish("client", f, ins, result, err, io)
}

func runSignup(args []string, io stdio) int {
	f := newFlags("signup", "FILE",
		"Validates the user_metadata of a signup (POST /dbconnections/signup): at most\n10 string fields, names of at most 100 characters, values of at most 500.\nPrints nothing when it is valid.",
		`echo '{"plan":"pro","age":42}' | metamerge signup -`, io)
	files, status, ok := f.parse(args, names("FILE"))
	if !ok {
		return status
	}
	ins, status, ok := load("signup", f, files, io)
	if !ok {
		return status
	}
	if err := metamerge.ValidateSignup(ins[0].doc); err != nil {
		return finish("signup", f, ins, nil, err, io)
	}
	return exitOK
}

func runMerge(args []string, io stdio) int {
	f := newFlags("merge", "-policy NAME [-absent] STORED PATCH",
		"Merges the patch of one metadata object into its stored value under a named\npolicy: user_metadata, app_metadata, client_metadata or signup. With -absent\nthere is no stored value (the field is absent) and only PATCH is given. The\nresult is null where the field is to be absent (app_metadata and {}).",
		`metamerge merge -policy client_metadata stored.json patch.json`, io)
	policy := f.fs.String("policy", "", "the policy: user_metadata, app_metadata, client_metadata or signup")
	absent := f.fs.Bool("absent", false, "the field is absent from the stored document: give only PATCH")
	files, status, ok := f.parse(args, func() []string {
		if *absent {
			return []string{"PATCH"}
		}
		return []string{"STORED", "PATCH"}
	})
	if !ok {
		return status
	}
	rules, err := conformance.FieldRules(*policy)
	if err != nil {
		fmt.Fprintf(io.err, "metamerge merge: -policy must be user_metadata, app_metadata, client_metadata or signup, not %q\n", *policy)
		return exitUsage
	}
	ins, status, ok := load("merge", f, files, io)
	if !ok {
		return status
	}
	var stored []byte
	patch := ins[0].doc
	if !*absent {
		stored, patch = ins[0].doc, ins[1].doc
	}
	result, err := rules.Merge(stored, patch)
	return finish("merge", f, ins, result, err, io)
}

func runDiff(args []string, io stdio) int {
	f := newFlags("diff", "user|client BEFORE AFTER",
		"Prints the PATCH body that turns BEFORE into AFTER under Auth0's merge rules:\nonly what changes, changed metadata keys whole, removed keys as null. Where no\nPATCH can give AFTER (a removed user_metadata, a new dotted name, an 11th\nclient key) the violations, located in AFTER, go to standard error.",
		`metamerge diff user before.json after.json`, io)
	pos, status, ok := f.parse(args, names("user|client", "BEFORE", "AFTER"))
	if !ok {
		return status
	}
	diff := map[string]func(before, after []byte) ([]byte, error){"user": metamerge.DiffUser, "client": metamerge.DiffClient}[pos[0]]
	if diff == nil {
		fmt.Fprintf(io.err, "metamerge diff: want user or client first, not %q\n", pos[0])
		return exitUsage
	}
	ins, status, ok := load("diff", f, pos[1:], io)
	if !ok {
		return status
	}
	result, err := diff(ins[0].doc, ins[1].doc)
	return finish("diff", f, ins, result, err, io)
}
