// Command peakmem measures the peak memory of one cold merge of a 16 MiB
// profile: a fresh process reads its inputs from files, merges once, and
// reports its maximum resident set size (getrusage), so that the cost of
// the merge can be told from the cost of holding the inputs.
//
//	peakmem -write DIR                 write the profile and both patches into DIR
//	peakmem -read DIR -patch small     read the inputs only
//	peakmem -read DIR -patch small -merge
//	                                   read them and merge once
//
// Run each measurement in a fresh process: the maximum resident set size
// of a process never goes down.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"syscall"

	"github.com/metamerge/metamerge"
	"github.com/metamerge/metamerge/internal/benchdata"
)

func main() {
	write := flag.String("write", "", "write the inputs into this directory and exit")
	read := flag.String("read", "", "read the inputs from this directory")
	patch := flag.String("patch", "small", "which patch: small (a handful of keys) or large (half the keys)")
	merge := flag.Bool("merge", false, "merge once after reading")
	size := flag.Int("size", 16<<20-4<<10, "size of the stored profile, with -write")
	flag.Parse()
	switch {
	case *write != "":
		if err := writeInputs(*write, *size); err != nil {
			fail(err)
		}
	case *read != "":
		stored, err := os.ReadFile(filepath.Join(*read, "stored.json"))
		if err != nil {
			fail(err)
		}
		body, err := os.ReadFile(filepath.Join(*read, *patch+".json"))
		if err != nil {
			fail(err)
		}
		in := len(stored) + len(body)
		out := 0
		if *merge {
			merged, err := metamerge.MergeUser(stored, body)
			if err != nil {
				fail(err)
			}
			out = len(merged)
		}
		var ru syscall.Rusage
		if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
			fail(err)
		}
		rss := int(ru.Maxrss) << 10 // kilobytes on Linux
		fmt.Printf("patch=%s merge=%v inputs=%d output=%d maxrss=%d ratio=%.2f\n",
			*patch, *merge, in, out, rss, float64(rss)/float64(in+out))
	default:
		flag.Usage()
		os.Exit(2)
	}
}

// writeInputs writes the stored profile and the small and large patches
// that the benchmarks use.
func writeInputs(dir string, size int) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	stored, n := benchdata.Profile(size)
	files := map[string][]byte{"stored.json": stored}
	for _, p := range benchdata.UserPatches(n) {
		files[p.Name+".json"] = p.Body
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "peakmem:", err)
	os.Exit(1)
}
