// Package jsonenc encodes values as JSON the way every document, answer
// and report of this module is written: without HTML escaping (<, > and &
// stay as they are, as in the documents they come from) and without the
// trailing newline of a json.Encoder.
package jsonenc

import (
	"bytes"
	"encoding/json"
)

// Marshal is json.Marshal without HTML escaping.
func Marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// AppendString appends s as a JSON string without HTML escaping; invalid
// UTF-8 becomes U+FFFD, as encoding/json does.
func AppendString(b []byte, s string) []byte {
	plain := true
	for i := 0; i < len(s) && plain; i++ {
		plain = s[i] >= 0x20 && s[i] < 0x80 && s[i] != '"' && s[i] != '\\'
	}
	if plain { // most names and values: nothing to escape
		return append(append(append(b, '"'), s...), '"')
	}
	q, _ := Marshal(s) // a string always encodes
	return append(b, q...)
}
