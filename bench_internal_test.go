package metamerge

// How fast is the scanner alone, without the pool or a merge around it?

import (
	"testing"

	"github.com/metamerge/metamerge/internal/benchdata"
)

// BenchmarkScan runs the validating scanner alone (every check of H1-H3:
// syntax, UTF-8, duplicate names at every depth, surrogate escapes, depth)
// over the stored profiles of each shape and size, with one scanner and
// one member buffer reused across iterations, as a merge does with its
// pooled work. Compare with BenchmarkGJSONValid and BenchmarkJSONValid.
func BenchmarkScan(b *testing.B) {
	for _, shape := range benchdata.Shapes {
		for _, size := range benchdata.Sizes {
			doc, _ := benchdata.ProfileShaped(shape, size.Bytes)
			b.Run(shape+"/"+size.Name, func(b *testing.B) {
				var s scanner
				var mem []member
				var err *Error
				b.SetBytes(int64(len(doc)))
				b.ReportAllocs()
				for b.Loop() {
					if mem, err = s.scan(doc, DefaultMaxDepth, 0, mem); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
