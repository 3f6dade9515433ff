package metamergetest

import (
	"bytes"
	"slices"
	"testing"
)

// Implementation answers one case. It is given the case's inputs, never
// its expected answer, and must not modify them.
type Implementation func(Input) Output

// Option changes what Run runs.
type Option func(*runConfig)

type runConfig struct {
	cases     []Case
	skipNames []string
	skipTags  []string
}

// Skip skips the cases of these names.
func Skip(names ...string) Option {
	return func(c *runConfig) { c.skipNames = append(c.skipNames, names...) }
}

// SkipTags skips the cases that carry any of these tags, such as "opt_in"
// for an implementation of Auth0's rules without the opt-in ones.
func SkipTags(tags ...string) Option {
	return func(c *runConfig) { c.skipTags = append(c.skipTags, tags...) }
}

// Cases runs these cases instead of the embedded suite, for example
// those of [Load] on a directory of one's own.
func Cases(cases []Case) Option {
	return func(c *runConfig) { c.cases = cases }
}

// Run runs every case of the suite against impl, one subtest per case
// named after it, so that go test's -run and -skip select cases. A case
// fails with [Case.Check]'s account of the differences, or when impl
// modifies its inputs; it is skipped when an option says so or when impl
// answers Skipped.
func Run(t *testing.T, impl Implementation, opts ...Option) {
	t.Helper()
	var cfg runConfig
	for _, o := range opts {
		o(&cfg)
	}
	cases := cfg.cases
	if cases == nil {
		cases = Vectors()
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			if slices.Contains(cfg.skipNames, c.Name) {
				t.Skip("skipped by name")
			}
			for _, tag := range c.Tags {
				if slices.Contains(cfg.skipTags, tag) {
					t.Skipf("skipped by tag %s", tag)
				}
			}
			in := c.clone().Input
			pristine := c.clone().Input
			got := impl(in)
			if got.Skipped != "" {
				t.Skipf("the implementation skipped it: %s", got.Skipped)
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

// sameInputs reports whether two inputs hold the same documents.
func sameInputs(a, b Input) bool {
	var wa, wb wireInput
	da, db := wa.docs(&a), wb.docs(&b)
	for i := range da {
		if !bytes.Equal(*da[i].doc, *db[i].doc) {
			return false
		}
	}
	return true
}
