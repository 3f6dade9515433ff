package metamerge_test

// How fast are the merges, in bytes a second and allocations?

import (
	"encoding/json"
	"testing"

	"github.com/tidwall/gjson"

	"github.com/metamerge/metamerge"
	"github.com/metamerge/metamerge/internal/benchdata"
)

// The benchmarks merge generated documents (internal/benchdata) of about
// 1 KiB, 64 KiB, 1 MiB and 16 MiB. SetBytes is the stored document's size,
// so MB/s is throughput over the stored document. BenchmarkJSONValid is
// the floor: one encoding/json.Valid pass over the same stored document.
// Side-by-side comparisons with other approaches live in the bench module.

func BenchmarkMergeUser(b *testing.B) {
	for _, size := range benchdata.Sizes {
		stored, n := benchdata.Profile(size.Bytes)
		for _, p := range benchdata.UserPatches(n) {
			b.Run(size.Name+"/"+p.Name, func(b *testing.B) {
				mustMerge(b, metamerge.MergeUser, stored, p.Body)
				b.SetBytes(int64(len(stored)))
				b.ReportAllocs()
				for b.Loop() {
					_, _ = metamerge.MergeUser(stored, p.Body)
				}
			})
		}
	}
}

func BenchmarkMergeClient(b *testing.B) {
	patch := benchdata.ClientPatch()
	for _, size := range benchdata.Sizes {
		stored := benchdata.Client(size.Bytes)
		b.Run(size.Name, func(b *testing.B) {
			mustMerge(b, metamerge.MergeClient, stored, patch)
			b.SetBytes(int64(len(stored)))
			b.ReportAllocs()
			for b.Loop() {
				_, _ = metamerge.MergeClient(stored, patch)
			}
		})
	}
}

func BenchmarkMerge(b *testing.B) {
	r := metamerge.FieldRules{Policy: metamerge.UserMetadata()}
	merge := r.Merge
	for _, size := range benchdata.Sizes {
		stored, n := benchdata.Metadata(size.Bytes)
		for _, pt := range benchdata.Patches(n) {
			b.Run(size.Name+"/"+pt.Name, func(b *testing.B) {
				mustMerge(b, merge, stored, pt.Body)
				b.SetBytes(int64(len(stored)))
				b.ReportAllocs()
				for b.Loop() {
					_, _ = r.Merge(stored, pt.Body)
				}
			})
		}
	}
}

func BenchmarkJSONValid(b *testing.B) {
	for _, size := range benchdata.Sizes {
		stored, _ := benchdata.Profile(size.Bytes)
		b.Run(size.Name, func(b *testing.B) {
			b.SetBytes(int64(len(stored)))
			b.ReportAllocs()
			for b.Loop() {
				if !json.Valid(stored) {
					b.Fatal("invalid")
				}
			}
		})
	}
}

func mustMerge(b *testing.B, merge func([]byte, []byte) ([]byte, error), stored, patch []byte) {
	b.Helper()
	if _, err := merge(stored, patch); err != nil {
		b.Fatalf("benchmark data does not merge: %v", err)
	}
}

// BenchmarkGJSONValid is the fastest non-validating reference: gjson.Valid
// over the same stored documents (it checks no duplicate names, no lone
// surrogate escapes and no depth).
func BenchmarkGJSONValid(b *testing.B) {
	for _, size := range benchdata.Sizes {
		stored, _ := benchdata.Profile(size.Bytes)
		b.Run(size.Name, func(b *testing.B) {
			b.SetBytes(int64(len(stored)))
			b.ReportAllocs()
			for b.Loop() {
				if !gjson.ValidBytes(stored) {
					b.Fatal("invalid")
				}
			}
		})
	}
}

// BenchmarkValid is the scanner alone through the API, every check of
// H1-H3 included: Valid over the same stored documents.
func BenchmarkValid(b *testing.B) {
	for _, size := range benchdata.Sizes {
		stored, _ := benchdata.Profile(size.Bytes)
		b.Run(size.Name, func(b *testing.B) {
			b.SetBytes(int64(len(stored)))
			b.ReportAllocs()
			for b.Loop() {
				if err := metamerge.Valid(stored); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// shapeSizes are the sizes of the shaped profiles' benchmarks.
var shapeSizes = []struct {
	Name  string
	Bytes int
}{{"512B", 512}, {"1KiB", 1 << 10}, {"8KiB", 8 << 10}, {"1MiB", 1 << 20}}

// BenchmarkShapes merges the small patch into a string-heavy and a
// number-heavy profile (benchdata.Shapes) beside the mixed one, with
// json.Valid and gjson.Valid over the same profile in the same run, so
// that the ratios of each shape can be read from one run.
func BenchmarkShapes(b *testing.B) {
	for _, shape := range benchdata.Shapes {
		for _, size := range shapeSizes {
			stored, n := benchdata.ProfileShaped(shape, size.Bytes)
			patch := benchdata.UserPatches(n)[0].Body
			mustMerge(b, metamerge.MergeUser, stored, patch)
			run := func(name string, f func() bool) {
				b.Run(shape+"/"+size.Name+"/"+name, func(b *testing.B) {
					b.SetBytes(int64(len(stored)))
					b.ReportAllocs()
					for b.Loop() {
						if !f() {
							b.Fatal("failed")
						}
					}
				})
			}
			run("merge", func() bool { _, err := metamerge.MergeUser(stored, patch); return err == nil })
			run("valid", func() bool { return metamerge.Valid(stored) == nil })
			run("json", func() bool { return json.Valid(stored) })
			run("gjson", func() bool { return gjson.ValidBytes(stored) })
		}
	}
}

// BenchmarkSmallAfterLarge merges a 50-byte profile alone, and after one
// merge of a 6 MiB profile in the same process: the pool must not make
// the small call pay for the large one, so the two must be within noise.
func BenchmarkSmallAfterLarge(b *testing.B) {
	small := []byte(`{"user_id":"auth0|42","user_metadata":{"a":1}}`)
	patch := []byte(`{"user_metadata":{"b":2}}`)
	large, n := benchdata.Profile(6 << 20)
	largePatch := benchdata.UserPatches(n)[1].Body
	for _, after := range []bool{false, true} {
		name := "alone"
		if after {
			name = "after-large"
		}
		b.Run(name, func(b *testing.B) {
			if after {
				mustMerge(b, metamerge.MergeUser, large, largePatch)
			}
			b.SetBytes(int64(len(small)))
			b.ReportAllocs()
			for b.Loop() {
				_, _ = metamerge.MergeUser(small, patch)
			}
		})
	}
}

// BenchmarkMergeUserParallel merges the 1 KiB profile from every
// goroutine of b.RunParallel: run with -cpu 1,2 to see whether throughput
// scales with cores (the pool is per processor; a call shares nothing).
func BenchmarkMergeUserParallel(b *testing.B) {
	stored, n := benchdata.Profile(1 << 10)
	patch := benchdata.UserPatches(n)[0].Body
	mustMerge(b, metamerge.MergeUser, stored, patch)
	b.SetBytes(int64(len(stored)))
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			_, _ = metamerge.MergeUser(stored, patch)
		}
	})
}
