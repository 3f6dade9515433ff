package conformance

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/metamerge/metamerge"
)

// decodeStrict decodes one JSON object into v, refusing what
// encoding/json lets through and a test file must not have: duplicate
// names (the last would win, and cases or steps would silently vanish),
// invalid UTF-8, and text after the object. It reads the file with the
// library's own parser first (H1, H2).
func decodeStrict(data []byte, v any) error {
	any := metamerge.FieldRules{Policy: metamerge.Policy{Names: metamerge.NamesAny},
		Limits: metamerge.Limits{MaxDepth: 10000}}
	if err := any.Validate(data); err != nil {
		if errs := metamerge.Errors(err); len(errs) > 0 {
			e := errs[0]
			return fmt.Errorf("%s at %q (byte %d)", e.Code, e.Pointer, e.Offset)
		}
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}
