package conformance

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sync"
)

// Case is one golden vector: the inputs of one operation and the answer
// every conforming implementation gives.
type Case struct {
	Name    string   // unique across the suite, never reused
	Comment string   // why the case exists and why the answer is right
	Rules   []string // the rule ids it covers: R3, C4, H2, …
	Tags    []string // what it needs beyond the core: knob, opt_in, auth0_message, raw_bytes, large
	File    string   // the file it came from, such as user.json
	// HTTP is true for the cases of the HTTP profile, which a runner plays
	// against a Management API server ([HTTPReason] is "" for them).
	HTTP bool
	// NoHTTP, when not empty, says why a case that HTTP could express is
	// left out of the HTTP profile.
	NoHTTP string
	Input  Input  // what an implementation is given
	Want   Output // the answer
}

// Input is what an implementation is given for one case: the operation, its
// documents and its options, never the expected answer.
type Input struct {
	Op     string // merge_user, merge_client, merge, validate_signup, diff_*, diff3*, report*
	Policy string // with merge, diff, diff3 and report: user_metadata, app_metadata, client_metadata or signup

	// The documents, as raw bytes; nil means absent. Which ones an op
	// takes is defined in the vectors' README.
	Stored, Patch, Metadata []byte
	Before, After           []byte
	Base, Desired, Live     []byte
	Options                 Options
	Name                    string   // the case's name, for logs
	Tags                    []string // the case's tags, so that an implementation can skip opt-in behaviour
}

// Options are a case's changes to the default rules; the zero value is the
// defaults.
type Options struct {
	MaxDepth         int    `json:"max_depth,omitempty"`
	MaxErrors        int    `json:"max_errors,omitempty"`
	MaxDocumentBytes int    `json:"max_document_bytes,omitempty"`
	Unit             string `json:"unit,omitempty"` // utf16 (the default), code_points or bytes
	MaxBytes         int    `json:"max_bytes,omitempty"`
	MaxProfileBytes  int    `json:"max_profile_bytes,omitempty"`
	NoPrototypeKeys  bool   `json:"no_prototype_keys,omitempty"`
}

// Names returns the names of the options that are set, in the order of
// [OptionNames].
func (o Options) Names() []string {
	var n []string
	for _, f := range options {
		if f.set(o) {
			n = append(n, f.name)
		}
	}
	return n
}

// options are the options of the suite, in the order of the vectors'
// README, each with whether a value of Options sets it: the one list the
// protocol's start answer, the runner and the schema's test derive from.
var options = []struct {
	name string
	set  func(Options) bool
}{
	{"max_depth", func(o Options) bool { return o.MaxDepth != 0 }},
	{"max_errors", func(o Options) bool { return o.MaxErrors != 0 }},
	{"max_document_bytes", func(o Options) bool { return o.MaxDocumentBytes != 0 }},
	{"unit", func(o Options) bool { return o.Unit != "" }},
	{"max_bytes", func(o Options) bool { return o.MaxBytes != 0 }},
	{"max_profile_bytes", func(o Options) bool { return o.MaxProfileBytes != 0 }},
	{"no_prototype_keys", func(o Options) bool { return o.NoPrototypeKeys }},
}

// OptionNames returns the names of every option of the suite, in the
// order of the vectors' README.
func OptionNames() []string {
	n := make([]string, len(options))
	for i, f := range options {
		n[i] = f.name
	}
	return n
}

// ops are the operations of the suite, in the order of the vectors'
// README.
var ops = []string{"merge_user", "merge_client", "merge", "validate_signup", "diff_user", "diff_client", "diff",
	"diff3_user", "diff3_client", "diff3", "report_user", "report_client", "report"}

// Ops returns the names of every operation of the suite, in the order of
// the vectors' README.
func Ops() []string { return slices.Clone(ops) }

// Output is an implementation's answer to one case, or the expected answer
// of a case.
type Output struct {
	// Result is the output document, byte for byte; nil means null (with
	// merge, the field is to be absent; with the field diffs, no patch is
	// needed) and, with validate_signup, that the metadata is valid.
	Result []byte
	// Changes are the changes of the report ops, in order.
	Changes []ReportedChange
	// Errors are the violations, in order; an answer has Errors or Result.
	Errors []Violation
	// Skipped, when not empty, says why the implementation did not run the
	// case; the other fields are then ignored.
	Skipped string
}

// Violation is one violation as the vectors give it: its code, where it
// is, and whether it is in the stored document.
type Violation struct {
	Code    string `json:"code"`
	Pointer string `json:"pointer"`
	Stored  bool   `json:"stored,omitempty"`
	// Auth0Message is the text Auth0 sends, on cases tagged
	// auth0_message; an implementation that does not emulate Auth0's
	// texts leaves it empty and it is not compared.
	Auth0Message string `json:"auth0_message,omitempty"`
}

// ReportedChange is one change of a report op: add, replace, remove or
// clear, and where.
type ReportedChange struct {
	Op      string `json:"op"`
	Pointer string `json:"pointer"`
}

// vectorFile is one file of the suite.
type vectorFile struct {
	Description string       `json:"description"`
	Cases       []vectorCase `json:"cases"`
}

// vectorCase is a case as the files spell it.
type vectorCase struct {
	Name    string           `json:"name"`
	Comment string           `json:"comment"`
	Rules   []string         `json:"rules"`
	Tags    []string         `json:"tags,omitempty"`
	HTTP    bool             `json:"http,omitempty"`
	NoHTTP  string           `json:"no_http,omitempty"`
	Result  json.RawMessage  `json:"result,omitempty"`
	Changes []ReportedChange `json:"changes,omitempty"`
	Errors  []Violation      `json:"errors,omitempty"`
	wireInput
}

// Load reads every *.json file at the root of fsys as a file of vectors,
// in name order, checking the format as the README defines it.
func Load(fsys fs.FS) ([]Case, error) {
	files, err := fs.Glob(fsys, "*.json")
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("conformance: no *.json vector files")
	}
	var all []Case
	seen := map[string]string{}
	for _, name := range files {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		var f vectorFile
		if err := decodeStrict(data, &f); err != nil {
			return nil, fmt.Errorf("conformance: %s: %v", name, err)
		}
		for _, vc := range f.Cases {
			c, err := vc.parse(path.Base(name))
			if err != nil {
				return nil, fmt.Errorf("conformance: %s: case %q: %v", name, vc.Name, err)
			}
			if other, dup := seen[c.Name]; dup {
				return nil, fmt.Errorf("conformance: case %q is in %s and %s", c.Name, other, name)
			}
			seen[c.Name] = name
			all = append(all, c)
		}
	}
	return all, nil
}

// parse checks one case and turns it into a Case.
func (vc vectorCase) parse(file string) (Case, error) {
	c := Case{Name: vc.Name, Comment: vc.Comment, Rules: vc.Rules, Tags: vc.Tags, File: file, HTTP: vc.HTTP, NoHTTP: vc.NoHTTP}
	if c.Name == "" {
		return c, fmt.Errorf("no name")
	}
	in, err := vc.wireInput.input()
	if err != nil {
		return c, err
	}
	in.Name, in.Tags = c.Name, c.Tags
	c.Input = in
	hasResult := len(vc.Result) > 0
	switch {
	case hasResult && vc.Errors != nil:
		return c, fmt.Errorf("both result and errors")
	case hasResult:
		var r *string
		if err := json.Unmarshal(vc.Result, &r); err != nil {
			return c, fmt.Errorf("result: %v", err)
		}
		if r != nil {
			c.Want.Result = []byte(*r)
		}
	case vc.Errors == nil && in.Op != "validate_signup":
		return c, fmt.Errorf("neither result nor errors")
	}
	c.Want.Errors = vc.Errors
	c.Want.Changes = vc.Changes
	if isReport(in.Op) && c.Want.Changes == nil && len(c.Want.Errors) == 0 {
		c.Want.Changes = []ReportedChange{}
	}
	return c, nil
}

func isReport(op string) bool { return op == "report" || op == "report_user" || op == "report_client" }

var (
	embedded     []Case
	embeddedErr  error
	embeddedOnce sync.Once
)

// Vectors returns the suite embedded in this module (version [Version]):
// the cases of [FS]'s vectors/*.json. Each call returns a fresh copy that
// the caller may modify.
func Vectors() []Case {
	embeddedOnce.Do(func() {
		sub, err := fs.Sub(FS, "vectors")
		if err == nil {
			embedded, embeddedErr = Load(sub)
		} else {
			embeddedErr = err
		}
	})
	if embeddedErr != nil {
		// The files are part of this module and checked by its tests: a
		// failure here is a broken build, not an input error.
		panic(embeddedErr)
	}
	out := make([]Case, len(embedded))
	for i, c := range embedded {
		out[i] = c.clone()
	}
	return out
}

// clone returns a copy of the case that shares no memory with it.
func (c Case) clone() Case {
	c.Rules, c.Tags = slices.Clone(c.Rules), slices.Clone(c.Tags)
	in := &c.Input
	for _, b := range []*[]byte{&in.Stored, &in.Patch, &in.Metadata, &in.Before, &in.After, &in.Base, &in.Desired, &in.Live} {
		*b = bytes.Clone(*b)
	}
	in.Tags = c.Tags
	c.Want.Result = bytes.Clone(c.Want.Result)
	c.Want.Errors, c.Want.Changes = slices.Clone(c.Want.Errors), slices.Clone(c.Want.Changes)
	return c
}
