// Command count merges the benchmarks' documents a given number of times,
// for counting instructions with callgrind, which settles steps smaller
// than the noise of timings on a shared machine:
//
//	go build -o count ./cmd/count
//	GODEBUG=asyncpreemptoff=1 valgrind --tool=callgrind ./count 512 1 small
//	GODEBUG=asyncpreemptoff=1 valgrind --tool=callgrind ./count 512 801 small
//
// The difference of the two "Collected" counts, divided by 800, is one
// merge. The arguments are the stored profile's size, the number of calls,
// which call: small or large (MergeUser with that patch), scan
// (metamerge.Valid over the profile: the scanner alone), valid
// (json.Valid) or gjson (gjson.Valid), and optionally the profile's shape
// (benchdata.Shapes: mixed, the default, strings or numbers).
// Asynchronous preemption is off because callgrind does not survive Go's
// preemption signals over long runs.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strconv"

	"github.com/tidwall/gjson"

	"github.com/metamerge/metamerge"
	"github.com/metamerge/metamerge/internal/benchdata"
)

func main() {
	if len(os.Args) != 4 && len(os.Args) != 5 {
		fmt.Fprintln(os.Stderr, "usage: count SIZE CALLS small|large|scan|valid|gjson [mixed|strings|numbers]")
		os.Exit(2)
	}
	shape := "mixed"
	if len(os.Args) == 5 {
		shape = os.Args[4]
	}
	size, err1 := strconv.Atoi(os.Args[1])
	calls, err2 := strconv.Atoi(os.Args[2])
	which := os.Args[3]
	if err1 != nil || err2 != nil {
		fmt.Fprintln(os.Stderr, "count: SIZE and CALLS are numbers")
		os.Exit(2)
	}
	known := false
	for _, s := range benchdata.Shapes {
		known = known || s == shape
	}
	if !known {
		fmt.Fprintf(os.Stderr, "count: no shape %q\n", shape)
		os.Exit(2)
	}
	stored, keys := benchdata.ProfileShaped(shape, size)
	var patch []byte
	for _, p := range benchdata.UserPatches(keys) {
		if p.Name == which {
			patch = p.Body
		}
	}
	reference := which == "valid" || which == "gjson" || which == "scan"
	if patch == nil && !reference {
		fmt.Fprintf(os.Stderr, "count: no patch %q\n", which)
		os.Exit(2)
	}
	for range calls {
		switch which {
		case "valid":
			_ = json.Valid(stored)
			continue
		case "gjson":
			_ = gjson.ValidBytes(stored)
			continue
		case "scan":
			if err := metamerge.Valid(stored); err != nil {
				fmt.Fprintln(os.Stderr, "count:", err)
				os.Exit(1)
			}
			continue
		}
		if _, err := metamerge.MergeUser(stored, patch); err != nil {
			fmt.Fprintln(os.Stderr, "count:", err)
			os.Exit(1)
		}
	}
}
