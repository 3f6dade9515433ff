package conformance

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/metamerge/metamerge"
)

// The HTTP profile of the suite: the cases that a runner can play against
// a Management API server (PATCH /api/v2/users/{id}, PATCH
// /api/v2/clients/{id}) instead of a harness. HTTP.md defines it.

// HTTPFields returns the metadata fields that the HTTP profile creates,
// patches and compares for op: user_metadata and app_metadata for
// merge_user, client_metadata for merge_client, and nil for every other
// op, which no endpoint expresses.
func HTTPFields(op string) []string {
	switch op {
	case "merge_user":
		return []string{"user_metadata", "app_metadata"}
	case "merge_client":
		return []string{"client_metadata"}
	}
	return nil
}

// HTTPReason says why c cannot be played over HTTP, or returns "" when it
// can: its op has an endpoint, it sets no option (a server runs its own
// settings), its stored document is one that a create request can make
// (valid, with metadata that a create stores exactly as written: no
// legacy non-object field, no null member, no app_metadata {}, no name a
// PATCH may not write), and its patch names no root member but the
// metadata fields (every other member is the endpoint's schema's to
// judge, M1). The runner skips such a case, with this reason, and counts
// it. It does not read c.HTTP: a test holds the tag to this function.
func HTTPReason(c Case) string {
	in := c.Input
	fields := HTTPFields(in.Op)
	if fields == nil {
		return fmt.Sprintf("op %s has no Management API endpoint", in.Op)
	}
	if names := in.Options.Names(); len(names) > 0 {
		return fmt.Sprintf("option %s: a server runs its own settings", strings.Join(names, ", "))
	}
	create := HTTPCreate(in.Op, in.Stored)
	if create == nil {
		return "the stored document is not one that a create request can make"
	}
	merge := metamerge.MergeUser
	if in.Op == "merge_client" {
		merge = metamerge.MergeClient
	}
	made, err := merge([]byte(`{}`), create)
	if err != nil {
		return "the stored metadata break the rules of a create request: " + err.Error()
	}
	for _, f := range fields {
		want, _ := Member(in.Stored, f)
		got, _ := Member(made, f)
		if !SameJSON(want, got) {
			return fmt.Sprintf("no create request stores the %s of the stored document as written", f)
		}
	}
	if names, ok := RootNames(in.Patch); ok {
		for _, n := range names {
			if !slices.Contains(fields, n) {
				return fmt.Sprintf("the patch names the root member %q, which the endpoint's schema judges (M1)", n)
			}
		}
	}
	return ""
}

// HTTPCreate returns the metadata members of stored, the stored document
// of a merge_user or merge_client case, as the body of a create request
// without the members a server needs (connection, email, name): an object
// holding the fields of [HTTPFields] that stored has, as written. It
// returns nil when stored is not a valid JSON object.
func HTTPCreate(op string, stored []byte) []byte {
	if _, err := metamerge.MergeUser(stored, []byte(`{}`)); err != nil {
		return nil
	}
	var b bytes.Buffer
	b.WriteByte('{')
	for _, f := range HTTPFields(op) {
		v, ok := Member(stored, f)
		if !ok {
			continue
		}
		if b.Len() > 1 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "%q:", f)
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes()
}

// Member returns the value of the root member name of doc, a JSON object,
// as written, and whether it is there. A document that is not a valid
// JSON object has no members.
func Member(doc []byte, name string) (json.RawMessage, bool) {
	var m map[string]json.RawMessage
	if json.Unmarshal(doc, &m) != nil {
		return nil, false
	}
	v, ok := m[name]
	return v, ok
}

// SameJSON reports whether a and b are the same JSON value for the HTTP
// profile: both absent (nil), or both present and equal by D2 (numbers by
// exact value, strings after escapes, white space ignored) with the
// members of every object in the same order (H6). A server re-encodes
// what it stores, so the text of a value is not compared; its order is.
func SameJSON(a, b []byte) bool {
	if (a == nil) != (b == nil) {
		return false
	}
	if a == nil {
		return true
	}
	eq, err := metamerge.Equal(a, b)
	if err != nil || !eq {
		return false
	}
	oa, erra := names(a)
	ob, errb := names(b)
	return erra == nil && errb == nil && slices.Equal(oa, ob)
}

// names lists the member names of every object of doc, in document order.
func names(doc []byte) ([]string, error) {
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber() // any number text, 1E400 included
	var out []string
	var inObject []bool
	expectName := false
	for {
		t, err := dec.Token()
		if err != nil {
			if err == io.EOF {
				return out, nil
			}
			return nil, err
		}
		switch t := t.(type) {
		case json.Delim:
			switch t {
			case '{':
				inObject = append(inObject, true)
				expectName = true
				out = append(out, "{")
				continue
			case '[':
				inObject = append(inObject, false)
			default:
				inObject = inObject[:len(inObject)-1]
				out = append(out, string(t))
			}
		case string:
			if expectName {
				out = append(out, t)
				expectName = false
				continue
			}
		}
		expectName = len(inObject) > 0 && inObject[len(inObject)-1]
	}
}

// RootNames returns the names of the root members of doc in their order,
// duplicates included, and false when doc is not valid JSON or not an
// object: what a check of member order (Auth0's error envelope, H6) reads.
func RootNames(doc []byte) ([]string, bool) {
	if !json.Valid(doc) {
		return nil, false
	}
	dec := json.NewDecoder(bytes.NewReader(doc))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, false
	}
	var out []string
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, false
		}
		out = append(out, t.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return nil, false
		}
	}
	return out, true
}
