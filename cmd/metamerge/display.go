package main

import (
	"strings"

	"github.com/metamerge/metamerge/conformance"
)

// What the runner shows a person or writes to -report of the text a
// harness controls goes through conformance.Printable: escaped, so that it
// cannot steer a terminal, and cut, whatever the harness answers.
const (
	maxShown  = 4 << 10   // bytes of one text of a harness: a reason it errored or skipped
	maxBanner = 200       // bytes of its name, language and version, each
	maxReason = 160 << 10 // bytes of a whole reason, Check's account (4 sections of about 33 KB) included
)

// shown is a text of a harness as the runner shows it.
func shown(s string) string { return conformance.Printable(s, maxShown) }

// bannerLine is the line that names the harness's implementation.
func bannerLine(i implementation) string {
	return "harness: " + conformance.Printable(i.Name, maxBanner) + " (" + conformance.Printable(i.Language, maxBanner) + ") " + conformance.Printable(i.Version, maxBanner)
}

// reasonText is a case's reason as it is shown and written to -report.
func reasonText(reason string) string {
	return conformance.Printable(strings.TrimRight(reason, "\n"), maxReason)
}
