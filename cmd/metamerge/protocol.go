package main

import (
	"github.com/metamerge/metamerge/conformance"
	"github.com/metamerge/metamerge/internal/jsonenc"
)

// The harness protocol, as conformance/PROTOCOL.md defines it.

// protocolVersion is the version of the protocol this command speaks.
const protocolVersion = 1

// request is a message from the runner to a harness.
type request struct {
	Cmd      string             `json:"cmd"`
	Protocol int                `json:"protocol,omitempty"`
	Suite    string             `json:"suite,omitempty"`
	Seq      int                `json:"seq,omitempty"`
	Case     *conformance.Input `json:"case,omitempty"`
}

// started is a harness's answer to start.
type started struct {
	Protocol       int            `json:"protocol"`
	Implementation implementation `json:"implementation"`
	Ops            []string       `json:"ops"`
	Options        []string       `json:"options"`
}

type implementation struct {
	Name     string `json:"name"`
	Language string `json:"language"`
	Version  string `json:"version,omitempty"`
	Homepage string `json:"homepage,omitempty"`
}

// answer is a harness's answer to run: its sequence number, and either
// errored or the fields of a conformance.Output.
type answer struct {
	Seq     int     `json:"seq"`
	Errored *string `json:"errored,omitempty"`
}

// suiteVersion is sent with start.
const suiteVersion = conformance.Version

// encodeLine encodes v as one line, without HTML escaping: documents and
// pointers travel as they were written ("<" stays "<").
func encodeLine(v any) []byte {
	b, err := marshalLine(v)
	if err != nil {
		panic(err) // the protocol's own types always encode
	}
	return b
}

// marshalLine encodes v as JSON without HTML escaping, ending in a newline.
func marshalLine(v any) ([]byte, error) {
	b, err := jsonenc.Marshal(v)
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}
