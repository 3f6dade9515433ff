package metamergetest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/metamerge/metamerge"
)

// maxFileDepth is the deepest nesting a golden file may hold.
const maxFileDepth = 10000

// decodeFile decodes a golden file into f, refusing what encoding/json
// lets through and a test file must not have: duplicate names (the last
// would win, and cases or steps would silently vanish), names that are
// not the format's, in any letter case (encoding/json would take "Result"
// for "result"), invalid UTF-8, and text after the object. It reads the
// file with the library's own parser first (H1, H2). Its errors name the
// step and the JSON Pointer in the file of what is wrong, quoted and, past
// 240 bytes, shown by its two ends: a file may be anyone's.
func decodeFile(data []byte, f *File) error {
	any := metamerge.FieldRules{Policy: metamerge.Policy{Names: metamerge.NamesAny},
		Limits: metamerge.Limits{MaxDepth: maxFileDepth}}
	if err := any.Validate(data); err != nil {
		if errs := metamerge.Errors(err); len(errs) > 0 {
			e := errs[0]
			return fmt.Errorf("%s%s at %s (byte %d)", stepOf(data, e.Pointer), e.Code, showPointer(e.Pointer), e.Offset)
		}
		return err
	}
	ptr, steps := unknownMember(data)
	if ptr != "" {
		return fmt.Errorf("%sunknown member at %s", stepOf(data, ptr), showPointer(ptr))
	}
	// The steps' slice at its size: grown by appending, a file of many
	// small steps would cost several Steps a step, each larger than a
	// small step's text.
	f.Steps = make([]Step, 0, steps)
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	err := dec.Decode(f)
	if te := (*json.UnmarshalTypeError)(nil); errors.As(err, &te) && te.Field != "" {
		ptr := "/" + strings.ReplaceAll(te.Field, ".", "/") // without the indices
		if te.Offset > 0 && te.Offset <= int64(len(data)) {
			ptr, _ = pointerAt(data, int(te.Offset)-1) // the value's last byte
		}
		return fmt.Errorf("%s%s at %s: want %s, not %s", stepOf(data, ptr), "wrong type", showPointer(ptr), te.Type, te.Value)
	}
	return err
}

// stepOf names the step of a file that ptr, a JSON Pointer in it, is in,
// followed by ": ", or returns "" outside the steps.
func stepOf(data []byte, ptr string) string {
	rest, ok := strings.CutPrefix(ptr, "/steps/")
	if !ok {
		return ""
	}
	num, _, _ := strings.Cut(rest, "/")
	i, err := strconv.Atoi(num)
	if err != nil {
		return ""
	}
	var f struct{ Steps []struct{ Comment string } }
	json.Unmarshal(data, &f) // the comment, where the file has one
	comment := ""
	if i < len(f.Steps) {
		comment = f.Steps[i].Comment
	}
	return stepName(i, comment) + ": "
}

// names returns the JSON names of the fields of a struct type.
func names(t reflect.Type) []string {
	var out []string
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		out = append(out, name)
	}
	return out
}

// The members of the format, at each level of a file.
var (
	fileNames  = names(reflect.TypeFor[File]())
	stepNames  = names(reflect.TypeFor[Step]())
	errorNames = names(reflect.TypeFor[Error]())
)

// unknownMember returns the JSON Pointer of the first member of a golden
// file, valid JSON text, whose name is not one of the format's, exactly,
// or "", and the number of steps it read. It reads the levels of the
// format only, in one pass, skipping the documents.
func unknownMember(data []byte) (string, int) {
	s := &walker{data: data}
	steps := 0
	ptr := s.object("", fileNames, func(name, ptr string) string {
		if name != "steps" {
			return ""
		}
		return s.array(ptr, func(ptr string) string {
			steps++
			return s.object(ptr, stepNames, func(name, ptr string) string {
				if name != "errors" {
					return ""
				}
				return s.array(ptr, func(ptr string) string {
					return s.object(ptr, errorNames, nil)
				})
			})
		})
	})
	return ptr, steps
}

// tokenEscaper escapes a member's name as a JSON Pointer token (RFC 6901).
// It is built once: a strings.Replacer builds its tables on first use,
// several KB each time, which per member of a file of many small steps
// cost more than the file.
var tokenEscaper = strings.NewReplacer("~", "~0", "/", "~1")

// pointerToken returns name as a JSON Pointer token.
func pointerToken(name string) string {
	return tokenEscaper.Replace(name)
}

// walker reads valid JSON text, a value at a time.
type walker struct {
	data []byte
	i    int
}

func (s *walker) space() {
	for s.i < len(s.data) && strings.IndexByte(" \t\r\n", s.data[s.i]) >= 0 {
		s.i++
	}
}

// skip passes over one value.
func (s *walker) skip() {
	s.space()
	if s.i >= len(s.data) {
		return
	}
	switch s.data[s.i] {
	case '"':
		s.i = stringEnd(s.data, s.i)
	case '{', '[':
		s.i = valueEnd(s.data, s.i)
	default:
		for s.i < len(s.data) && strings.IndexByte(",}] \t\r\n", s.data[s.i]) < 0 {
			s.i++
		}
	}
}

// object reads an object at ptr whose names must be among known, calling
// member, when not nil, to read each member's value in its place; it
// returns the pointer of the first unknown name, or member's first answer
// that is not "". A value that member does not read is skipped.
func (s *walker) object(ptr string, known []string, member func(name, ptr string) string) string {
	s.space()
	if s.i >= len(s.data) || s.data[s.i] != '{' {
		s.skip()
		return ""
	}
	for s.i++; ; {
		s.space()
		if s.i >= len(s.data) || s.data[s.i] == '}' {
			s.i++
			return ""
		}
		if s.data[s.i] == ',' {
			s.i++
			s.space()
		}
		end := stringEnd(s.data, s.i)
		raw := s.data[s.i:end]
		name := string(raw[1 : len(raw)-1])
		if bytes.IndexByte(raw, '\\') >= 0 {
			json.Unmarshal(raw, &name)
		}
		at := func() string { return ptr + "/" + pointerToken(name) }
		if !slices.Contains(known, name) {
			return at()
		}
		s.i = end
		s.space()
		s.i++ // the colon
		start := s.i
		if member != nil {
			if p := member(name, at()); p != "" {
				return p
			}
		}
		if s.i == start { // a value member did not read
			s.skip()
		}
	}
}

// array reads an array at ptr, calling elem to read each element; it
// returns elem's first answer that is not "".
func (s *walker) array(ptr string, elem func(ptr string) string) string {
	s.space()
	if s.i >= len(s.data) || s.data[s.i] != '[' {
		s.skip()
		return ""
	}
	s.i++
	for n := 0; ; n++ {
		s.space()
		if s.i >= len(s.data) || s.data[s.i] == ']' {
			s.i++
			return ""
		}
		if s.data[s.i] == ',' {
			s.i++
		}
		if p := elem(ptr + "/" + strconv.Itoa(n)); p != "" {
			return p
		}
	}
}
