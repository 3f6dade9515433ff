package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"runtime/debug"

	"github.com/metamerge/metamerge/conformance"
)

// runHarness answers the harness protocol on standard input and output
// with the library itself (conformance.Reference).
func runHarness(args []string, io stdio) int {
	fs := flag.NewFlagSet("harness", flag.ContinueOnError)
	fs.SetOutput(io.err)
	fs.Usage = func() {
		fmt.Fprint(io.err, `Usage: metamerge harness

Answers the harness protocol (conformance/PROTOCOL.md) on standard input and
output with this implementation, so that "metamerge conformance" can run the
golden vectors against it like against any other implementation.

Example:

  metamerge conformance -- metamerge harness
`)
	}
	if err := fs.Parse(args); err != nil {
		return exitUsageOr(err)
	}
	if fs.NArg() != 0 {
		fs.Usage()
		return exitUsage
	}
	if err := serveHarness(io.in, io.out); err != nil {
		fmt.Fprintf(io.err, "metamerge harness: %v\n", err)
		return exitUsage
	}
	return exitOK
}

// maxRequest bounds a request line: the suite's largest is about 60 KB,
// and a case of one's own (-vectors) has room to spare.
const maxRequest = 64 << 20

// serveHarness answers requests until stop or the end of the input.
func serveHarness(in io.Reader, out io.Writer) error {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64<<10), maxRequest)
	w := bufio.NewWriter(out)
	for {
		if !sc.Scan() {
			if sc.Err() == bufio.ErrTooLong {
				return fmt.Errorf("a request over %d bytes", maxRequest)
			}
			return sc.Err() // nil at the end of the input
		}
		line := sc.Bytes()
		var req struct {
			Cmd  string          `json:"cmd"`
			Seq  int             `json:"seq"`
			Case json.RawMessage `json:"case"`
		}
		if err := json.Unmarshal(line, &req); err != nil {
			return fmt.Errorf("bad request: %v", err)
		}
		var reply []byte
		switch req.Cmd {
		case "start":
			reply = encodeLine(started{Protocol: protocolVersion,
				Implementation: implementation{Name: "metamerge", Language: "go", Version: moduleVersion(),
					Homepage: "https://github.com/metamerge/metamerge"},
				Ops: conformance.Ops(), Options: conformance.OptionNames()})
		case "run":
			var in conformance.Input
			if err := json.Unmarshal(req.Case, &in); err != nil { // a case beyond the schema: decline it
				reply = answerLine(req.Seq, conformance.Output{Skipped: "the case cannot be read: " + err.Error()})
				break
			}
			reply = answerLine(req.Seq, conformance.Reference(in))
		case "stop":
			return w.Flush()
		default:
			return fmt.Errorf("unknown command %q", req.Cmd)
		}
		if _, err := w.Write(reply); err != nil {
			return err
		}
		if err := w.Flush(); err != nil {
			return err
		}
	}
}

// answerLine encodes an answer: the sequence number with the fields of out.
func answerLine(seq int, out conformance.Output) []byte {
	body, err := marshalLine(out)
	if err != nil {
		errored := err.Error()
		return encodeLine(answer{Seq: seq, Errored: &errored})
	}
	line := fmt.Appendf(nil, `{"seq":%d,`, seq)
	return append(line, body[1:]...) // body ends in its newline
}

// moduleVersion is the version of this module in the binary, or (devel).
func moduleVersion() string {
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" {
		return info.Main.Version
	}
	return "(devel)"
}

// exitUsageOr maps a flag parsing error to an exit status: 0 for -h.
func exitUsageOr(err error) int {
	if err == flag.ErrHelp {
		return exitOK
	}
	return exitUsage
}
