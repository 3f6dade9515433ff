// Package metamergetest helps other people's tests: it runs metamerge's
// golden vectors against any Go implementation of the rules ([Run]), and
// replays a team's own golden files of profile updates against their own
// code ([Replayer]).
//
// A golden file ([File] documents the format) holds a stored profile or
// client, a sequence of PATCH bodies and what each gave. A [Replayer]
// replays it against the implementation under test: the library (the
// zero Replayer, and [Replay]), a [Merger] function, or a [Server] (an
// http.Handler or a base URL, each step a PATCH request). The expected
// outcomes are either the ones recorded in the file from the caller's own
// code ([Recorded], rewritten under [UpdateEnv], and created from a
// history given in code by [Replayer.Record]), or the library's, computed
// with Auth0's rules ([Computed]), so that a service is checked against
// the rules without recording anything. A failure names the file, the
// step (its number and comment) and the member (its JSON Pointer).
//
// The vectors are embedded in package conformance, so a module that
// depends on metamerge runs them with no checkout; conformance is also
// their Go model (cases, the wire forms, the reference implementation, the
// judging of an answer), and this package builds on it.
package metamergetest

import (
	"bytes"
	"slices"
	"testing"

	"github.com/metamerge/metamerge/conformance"
)

// Case, Input and Output are the suite's: see package conformance.
type (
	Case   = conformance.Case
	Input  = conformance.Input
	Output = conformance.Output
)

// Reference is the library itself as an Implementation: see
// [conformance.Reference].
func Reference(in Input) Output { return conformance.Reference(in) }

// Implementation answers one case. It is given the case's inputs, never
// its expected answer, and must not modify them.
type Implementation func(Input) Output

// Option changes what Run runs.
type Option func(*runConfig)

type runConfig struct {
	cases    []Case
	skipTags []string
}

// SkipTags skips the cases that carry any of these tags, such as "opt_in"
// for an implementation of Auth0's rules without the opt-in ones. To skip
// cases by name, use go test's -skip.
func SkipTags(tags ...string) Option {
	return func(c *runConfig) { c.skipTags = append(c.skipTags, tags...) }
}

// Cases runs these cases instead of the embedded suite, for example
// those of [conformance.Load] on a directory of one's own.
func Cases(cases []Case) Option {
	return func(c *runConfig) { c.cases = cases }
}

// Run runs every case of the suite against impl, one subtest per case
// named after it, so that go test's -run and -skip select cases. A case
// fails with [conformance.Case.Check]'s account of the differences, or
// when impl modifies its inputs; it is skipped when an option says so or
// when impl answers Skipped, whose text the log shows escaped and cut at
// 4 KiB (see [conformance.Printable]).
func Run(t *testing.T, impl Implementation, opts ...Option) {
	t.Helper()
	var cfg runConfig
	for _, o := range opts {
		o(&cfg)
	}
	cases := cfg.cases
	if cases == nil {
		cases = conformance.Vectors()
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			for _, tag := range c.Tags {
				if slices.Contains(cfg.skipTags, tag) {
					t.Skipf("skipped by tag %s", tag)
				}
			}
			in, pristine := cloneInput(c.Input), cloneInput(c.Input)
			got := impl(in)
			if got.Skipped != "" {
				t.Skipf("the implementation skipped it: %s", conformance.Printable(got.Skipped, maxReason))
			}
			if d := c.Check(got); d != "" {
				t.Errorf("%s (%s, rules %v): %s\n%s", c.Name, c.File, c.Rules, c.Comment, d)
			}
			if !sameInputs(in, pristine) {
				t.Errorf("%s: the implementation modified its inputs (H7)", c.Name)
			}
		})
	}
}

// documents returns the documents of an input.
func documents(in *Input) []*[]byte {
	return []*[]byte{&in.Stored, &in.Patch, &in.Metadata, &in.Before, &in.After, &in.Base, &in.Desired, &in.Live}
}

// cloneInput returns a copy of in that shares no memory with it.
func cloneInput(in Input) Input {
	for _, d := range documents(&in) {
		*d = bytes.Clone(*d)
	}
	in.Tags = slices.Clone(in.Tags)
	return in
}

// sameInputs reports whether two inputs hold the same documents.
func sameInputs(a, b Input) bool {
	da, db := documents(&a), documents(&b)
	for i := range da {
		if !bytes.Equal(*da[i], *db[i]) {
			return false
		}
	}
	return true
}
