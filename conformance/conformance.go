// Package conformance holds metamerge's conformance suite, the part of the
// project meant for implementations in any language: the golden vectors
// (vectors/*.json), the README that defines their format and the JSON
// Schema that checks it, the statement of the rules (SPEC.md) and the
// harness protocol (PROTOCOL.md).
//
// It is also the suite's Go model: [Vectors] and [Load] parse the vector
// files into [Case] values, whose [Input] and [Output] encode to the wire
// forms of the protocol, [Case.Check] judges an answer, and [Reference] is
// the library itself as an implementation. Package metamergetest runs the
// suite in go test; the command runs it over the protocol.
package conformance

import "embed"

// Version is the version of the suite, as in vectors/VERSION. The major
// number changes when an expected answer changes or a case is retired, the
// minor number when cases are added, the patch number when only comments
// or documents change. A case's name is never reused for another case.
const Version = "1.3.0"

// FS holds the suite's files: vectors/*.json, vectors/http/*.json (the
// endpoint cases of the HTTP profile), vectors/README.md,
// vectors/names.txt, vectors/VERSION and vectors.schema.json.
//
//go:embed vectors/*.json vectors/http/*.json vectors/README.md vectors/names.txt vectors/VERSION vectors.schema.json
var FS embed.FS
