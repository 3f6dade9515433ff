package bench

import (
	"encoding/json"
	"testing"

	"github.com/metamerge/metamerge"
	"github.com/metamerge/metamerge/internal/benchdata"
	"github.com/tidwall/gjson"
)

type impl struct {
	name  string
	merge func(stored, patch []byte) ([]byte, error)
}

var impls = []impl{
	{"metamerge", metamerge.MergeUser},
	{"mapmerge", MapMerge},
	{"evanphx", EvanphxMergePatch},
	{"gjson-sjson", GjsonSjson},
	{"json.Valid", func(stored, _ []byte) ([]byte, error) { json.Valid(stored); return nil, nil }},
	{"gjson.Valid", func(stored, _ []byte) ([]byte, error) { gjson.ValidBytes(stored); return nil, nil }},
}

// BenchmarkUserPatch merges a PATCH body into a stored profile of each
// size, with a small patch (a handful of user_metadata keys) and a large
// one (every other user_metadata key). SetBytes is the stored profile's
// size. The floors json.Valid and gjson.Valid only read the stored profile.
// gjson-sjson is left out of the large patch from 1 MiB on: one sjson call
// per key copies the whole document, so a run would take hours. evanphx is
// left out of the large patch at 16 MiB: one merge took 125 to 145 s.
func BenchmarkUserPatch(b *testing.B) {
	for _, size := range benchdata.Sizes {
		stored, n := benchdata.Profile(size.Bytes)
		for _, p := range benchdata.UserPatches(n) {
			for _, im := range impls {
				if p.Name == "large" && (im.name == "gjson-sjson" && size.Bytes >= 1<<20 || im.name == "evanphx" && size.Bytes >= 16<<20-4<<10) {
					continue
				}
				b.Run("size="+size.Name+"/patch="+p.Name+"/impl="+im.name, func(b *testing.B) {
					if _, err := im.merge(stored, p.Body); err != nil {
						b.Fatal(err)
					}
					b.SetBytes(int64(len(stored)))
					b.ReportAllocs()
					for b.Loop() {
						_, _ = im.merge(stored, p.Body)
					}
				})
			}
		}
	}
}

// BenchmarkDiff makes the PATCH between a stored profile and the profile
// after a small or a large patch, with metamerge.DiffUser (which also
// merges its result into before, to check it) and with evanphx's
// CreateMergePatch followed by its merge (left out for the large patch at
// 16 MiB, where its merge takes minutes). SetBytes is the size of before.
func BenchmarkDiff(b *testing.B) {
	for _, size := range benchdata.Sizes {
		if size.Name != "1KiB" && size.Name != "1MiB" && size.Name != "16MiB" {
			continue
		}
		before, n := benchdata.Profile(size.Bytes)
		for _, p := range benchdata.UserPatches(n) {
			after, err := metamerge.MergeUser(before, p.Body)
			if err != nil {
				b.Fatal(err)
			}
			for _, im := range []impl{{"metamerge", metamerge.DiffUser}, {"evanphx", EvanphxDiff}} {
				if im.name == "evanphx" && p.Name == "large" && size.Name == "16MiB" {
					continue // its merge of a 184k-key patch takes minutes
				}
				b.Run("size="+size.Name+"/patch="+p.Name+"/impl="+im.name, func(b *testing.B) {
					if _, err := im.merge(before, after); err != nil {
						b.Fatal(err)
					}
					b.SetBytes(int64(len(before)))
					b.ReportAllocs()
					for b.Loop() {
						_, _ = im.merge(before, after)
					}
				})
			}
		}
	}
}
