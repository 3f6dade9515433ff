// Package bench compares metamerge with what a Go programmer would write
// instead, on the same documents, in one run. It is a module of its own so
// that the library's go.mod lists none of these dependencies.
package bench

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"

	jsonpatch "github.com/evanphx/json-patch/v5"
	"github.com/tidwall/gjson"
	"github.com/tidwall/sjson"
)

// MapMerge is the hand-written merge: decode both documents into maps
// (numbers kept as json.Number), merge user_metadata at its root, replace
// other members, encode again without HTML escaping. It loses member order
// and accepts duplicate names, so it is a speed reference only.
func MapMerge(stored, patch []byte) ([]byte, error) {
	var s, p map[string]any
	if err := decode(stored, &s); err != nil {
		return nil, err
	}
	if err := decode(patch, &p); err != nil {
		return nil, err
	}
	for k, v := range p {
		switch {
		case k == "user_metadata" || k == "app_metadata":
			pm, ok := v.(map[string]any)
			if !ok {
				return nil, errors.New("metadata is not an object")
			}
			sm, _ := s[k].(map[string]any)
			if sm == nil {
				sm = map[string]any{}
			}
			for mk, mv := range pm {
				if mv == nil {
					delete(sm, mk)
				} else {
					sm[mk] = mv
				}
			}
			s[k] = sm
		case v == nil:
			delete(s, k)
		default:
			s[k] = v
		}
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(out.Bytes(), []byte("\n")), nil
}

func decode(b []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	return d.Decode(v)
}

// EvanphxMergePatch applies the PATCH body as an RFC 7396 merge patch. It
// merges nested objects too, so its result differs from Auth0's: a speed
// reference only.
func EvanphxMergePatch(stored, patch []byte) ([]byte, error) {
	return jsonpatch.MergePatch(stored, patch)
}

// GjsonSjson applies each user_metadata member of the patch with one sjson
// call (SetRawBytes, or DeleteBytes for null), escaping the key for sjson's
// path syntax. Each call copies the document, so the cost grows with
// document size times patch keys.
func GjsonSjson(stored, patch []byte) ([]byte, error) {
	if !gjson.ValidBytes(patch) {
		return nil, errors.New("invalid patch")
	}
	out := stored
	var err error
	gjson.GetBytes(patch, "user_metadata").ForEach(func(k, v gjson.Result) bool {
		path := "user_metadata." + escapePath(k.String())
		if v.Type == gjson.Null {
			out, err = sjson.DeleteBytes(out, path)
		} else {
			out, err = sjson.SetRawBytes(out, path, []byte(v.Raw))
		}
		return err == nil
	})
	return out, err
}

// escapePath escapes the characters sjson's path syntax gives a meaning.
func escapePath(k string) string {
	var b strings.Builder
	for _, c := range k {
		if strings.ContainsRune(`.*?|#@\:!=<>%`, c) {
			b.WriteByte('\\')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// EvanphxDiff makes the RFC 7396 merge patch from before to after and
// applies it to before, as a sync tool using evanphx/json-patch would. Its
// patch is deep, so under Auth0's root-level merge it can drop keys: a
// speed reference only.
func EvanphxDiff(before, after []byte) ([]byte, error) {
	patch, err := jsonpatch.CreateMergePatch(before, after)
	if err != nil {
		return nil, err
	}
	return jsonpatch.MergePatch(before, patch)
}
