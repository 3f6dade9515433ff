package conformance

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"unicode/utf8"

	"github.com/metamerge/metamerge/internal/jsonenc"
)

// wireInput is an Input as the vector files and the harness protocol spell
// it: each document as a JSON string of its text, or as standard base64 of
// its bytes in the field of the same name ending in _base64.
type wireInput struct {
	Name           string   `json:"name,omitempty"`
	Tags           []string `json:"tags,omitempty"`
	Op             string   `json:"op"`
	Policy         string   `json:"policy,omitempty"`
	Stored         *string  `json:"stored,omitempty"`
	StoredBase64   *string  `json:"stored_base64,omitempty"`
	Patch          *string  `json:"patch,omitempty"`
	PatchBase64    *string  `json:"patch_base64,omitempty"`
	Metadata       *string  `json:"metadata,omitempty"`
	MetadataBase64 *string  `json:"metadata_base64,omitempty"`
	Before         *string  `json:"before,omitempty"`
	BeforeBase64   *string  `json:"before_base64,omitempty"`
	After          *string  `json:"after,omitempty"`
	AfterBase64    *string  `json:"after_base64,omitempty"`
	Base           *string  `json:"base,omitempty"`
	BaseBase64     *string  `json:"base_base64,omitempty"`
	Desired        *string  `json:"desired,omitempty"`
	DesiredBase64  *string  `json:"desired_base64,omitempty"`
	Live           *string  `json:"live,omitempty"`
	LiveBase64     *string  `json:"live_base64,omitempty"`
	Options        *Options `json:"options,omitempty"`
}

// docs pairs each document of an Input with its two wire fields.
func (w *wireInput) docs(in *Input) []struct {
	doc       *[]byte
	text, b64 **string
	name      string
} {
	return []struct {
		doc       *[]byte
		text, b64 **string
		name      string
	}{
		{&in.Stored, &w.Stored, &w.StoredBase64, "stored"},
		{&in.Patch, &w.Patch, &w.PatchBase64, "patch"},
		{&in.Metadata, &w.Metadata, &w.MetadataBase64, "metadata"},
		{&in.Before, &w.Before, &w.BeforeBase64, "before"},
		{&in.After, &w.After, &w.AfterBase64, "after"},
		{&in.Base, &w.Base, &w.BaseBase64, "base"},
		{&in.Desired, &w.Desired, &w.DesiredBase64, "desired"},
		{&in.Live, &w.Live, &w.LiveBase64, "live"},
	}
}

// input decodes the wire form.
func (w wireInput) input() (Input, error) {
	in := Input{Op: w.Op, Policy: w.Policy, Name: w.Name, Tags: w.Tags}
	if in.Op == "" {
		return in, fmt.Errorf("no op")
	}
	if w.Options != nil {
		in.Options = *w.Options
	}
	for _, d := range w.docs(&in) {
		switch {
		case *d.text != nil && *d.b64 != nil:
			return in, fmt.Errorf("%s has both a text and a base64 form", d.name)
		case *d.text != nil:
			*d.doc = []byte(**d.text)
		case *d.b64 != nil:
			b, err := base64.StdEncoding.DecodeString(**d.b64)
			if err != nil {
				return in, fmt.Errorf("%s_base64: %v", d.name, err)
			}
			*d.doc = b
		}
	}
	return in, nil
}

// MarshalJSON encodes the input as a case of the vector files spells it,
// without the expected answer: the form of a run request of the harness
// protocol. A document that is not valid UTF-8, or starts with a
// byte-order mark, is written in base64.
func (in Input) MarshalJSON() ([]byte, error) {
	w := wireInput{Op: in.Op, Policy: in.Policy, Name: in.Name, Tags: in.Tags}
	if in.Options != (Options{}) {
		o := in.Options
		w.Options = &o
	}
	for _, d := range w.docs(&in) {
		if *d.doc == nil {
			continue
		}
		s := string(*d.doc)
		if utf8.ValidString(s) && !bytes.HasPrefix(*d.doc, []byte("\uFEFF")) {
			*d.text = &s
		} else {
			b := base64.StdEncoding.EncodeToString(*d.doc)
			*d.b64 = &b
		}
	}
	return jsonenc.Marshal(w)
}

// UnmarshalJSON decodes an input in the form MarshalJSON writes.
func (in *Input) UnmarshalJSON(data []byte) error {
	var w wireInput
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	got, err := w.input()
	if err != nil {
		return fmt.Errorf("conformance: input: %v", err)
	}
	*in = got
	return nil
}

// wireOutput is an Output as the harness protocol spells it.
type wireOutput struct {
	Result  *json.RawMessage `json:"result,omitempty"`
	Changes []ReportedChange `json:"changes,omitempty"`
	Errors  []Violation      `json:"errors,omitempty"`
	Skipped string           `json:"skipped,omitempty"`
}

var null = json.RawMessage("null")

// MarshalJSON encodes the answer as the harness protocol spells it: a
// "skipped" reason, or "errors", or a "result" (a string, or null) with
// "changes" for the report ops.
func (o Output) MarshalJSON() ([]byte, error) {
	var w wireOutput
	switch {
	case o.Skipped != "":
		w.Skipped = o.Skipped
	case len(o.Errors) > 0:
		w.Errors = o.Errors
	default:
		r := slices.Clone(null)
		if o.Result != nil {
			b, err := jsonenc.Marshal(string(o.Result))
			if err != nil {
				return nil, err
			}
			r = b
		}
		w.Result = &r
		if o.Changes != nil { // a report op: its list, even when empty
			return jsonenc.Marshal(struct {
				Result  *json.RawMessage `json:"result"`
				Changes []ReportedChange `json:"changes"`
			}{w.Result, o.Changes})
		}
	}
	return jsonenc.Marshal(w)
}

// UnmarshalJSON decodes an answer. It has exactly one of "skipped",
// "errors" (an empty list means no violation) and "result".
func (o *Output) UnmarshalJSON(data []byte) error {
	var w wireOutput
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	var present map[string]json.RawMessage // a null result leaves w.Result nil
	if err := json.Unmarshal(data, &present); err != nil {
		return err
	}
	if _, ok := present["result"]; ok && w.Result == nil {
		w.Result = &null
	}
	n := 0
	for _, set := range []bool{w.Skipped != "", w.Errors != nil, w.Result != nil} {
		if set {
			n++
		}
	}
	if n != 1 {
		return fmt.Errorf("conformance: an answer needs exactly one of result, errors and skipped")
	}
	out := Output{Skipped: w.Skipped, Errors: w.Errors, Changes: w.Changes}
	if len(out.Errors) == 0 {
		out.Errors = nil
	}
	if w.Result != nil && !bytes.Equal(*w.Result, null) {
		var s string
		if err := json.Unmarshal(*w.Result, &s); err != nil {
			return fmt.Errorf("conformance: result is neither a string nor null")
		}
		out.Result = []byte(s)
	}
	*o = out
	return nil
}
