package auth0fake

import (
	"strconv"
	"strings"

	"github.com/tidwall/gjson"
)

// kind is the JSON type a root member of a request body must have.
type kind uint8

const (
	anyKind    kind = iota // anything (checked elsewhere, or not at all)
	stringKind             // a string
	boolKind               // true or false
	arrayKind              // an array
	objectKind             // an object; metadata is checked by the library
)

var kindNames = [...]string{anyKind: "any", stringKind: "string", boolKind: "boolean", arrayKind: "array", objectKind: "object"}

// prop is the rule of one root member.
type prop struct {
	kind     kind
	nullable bool // null is allowed (and removes the member, R10)
	minLen   int  // for strings: at least this many characters
	maxLen   int  // for strings, when not 0: at most this many characters
	email    bool // for strings: an email address
}

// schema is the rules of the root members of one request body: which
// members there may be, their types, which are required. The first broken
// rule is reported, in Auth0's words, as its schema validator would.
type schema struct {
	props    map[string]prop
	required []string
	// open accepts members the schema does not list, with any value,
	// except those in readOnly.
	open     bool
	readOnly []string
}

// member is one root member of a checked body: its decoded name and its
// value, whose Raw is the exact text of the request.
type member struct {
	name  string
	value gjson.Result
}

// check checks body, already known to be a valid JSON object, and returns
// its members in order.
func (sc *schema) check(body []byte) ([]member, *apiError) {
	var members []member
	var failure *apiError
	gjson.ParseBytes(body).ForEach(func(k, v gjson.Result) bool {
		name := k.String()
		p, ok := sc.props[name]
		if !ok && (!sc.open || contains(sc.readOnly, name)) {
			failure = payloadError("Additional properties not allowed: "+cut(name, maxEcho), "")
			return false
		}
		if failure = p.check(name, v); failure != nil {
			return false
		}
		members = append(members, member{name, v})
		return true
	})
	if failure != nil {
		return nil, failure
	}
	for _, name := range sc.required {
		if find(members, name) == nil {
			return nil, payloadError("Missing required property: "+name, "")
		}
	}
	return members, nil
}

// check checks the value v of the member name.
func (p prop) check(name string, v gjson.Result) *apiError {
	found := typeName(v)
	switch {
	case p.kind == anyKind:
		return nil
	case found == "null" && p.nullable:
		return nil
	case found != kindNames[p.kind]:
		return payloadError("Expected type "+kindNames[p.kind]+" but found type "+found, name)
	case p.kind != stringKind:
		return nil
	}
	s := v.String()
	if n := utf16Len(s); n < p.minLen {
		return payloadError("String is too short ("+strconv.Itoa(n)+" chars), minimum "+strconv.Itoa(p.minLen), name)
	} else if p.maxLen > 0 && n > p.maxLen {
		return payloadError("String is too long ("+strconv.Itoa(n)+" chars), maximum "+strconv.Itoa(p.maxLen), name)
	}
	if p.email && !looksLikeEmail(s) {
		return payloadError("Object didn't pass validation for format email: "+cut(s, maxEcho), name)
	}
	return nil
}

// typeName names the JSON type of v as the schema validator does.
func typeName(v gjson.Result) string {
	switch v.Type {
	case gjson.Null:
		return "null"
	case gjson.False, gjson.True:
		return "boolean"
	case gjson.Number:
		return "number"
	case gjson.String:
		return "string"
	}
	if v.IsArray() {
		return "array"
	}
	return "object"
}

// utf16Len counts s in UTF-16 code units, as Auth0's Node runtime does (H4).
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r >= 0x10000 {
			n++
		}
	}
	return n
}

// looksLikeEmail is a loose check of an address: something, one "@",
// something with a dot, and no white space. Auth0's own check is not
// published; this one rejects what is plainly not an address.
func looksLikeEmail(s string) bool {
	local, domain, ok := strings.Cut(s, "@")
	return ok && local != "" && strings.Contains(domain, ".") && !strings.ContainsAny(domain, "@") &&
		!strings.HasPrefix(domain, ".") && !strings.HasSuffix(domain, ".") &&
		!strings.ContainsAny(s, " \t\r\n") && len(s) <= 512
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// find returns the member name of members, or nil.
func find(members []member, name string) *gjson.Result {
	for i := range members {
		if members[i].name == name {
			return &members[i].value
		}
	}
	return nil
}

// rebuild returns an object of the members of members not named in drop,
// each name written anew from its decoded text and each value copied
// exactly. Written anew, every root name of a stored document is plain
// (no escapes), so the fixed gjson paths this package reads always find
// it.
func rebuild(members []member, drop ...string) []byte {
	out := []byte{'{'}
	for _, m := range members {
		if contains(drop, m.name) {
			continue
		}
		if len(out) > 1 {
			out = append(out, ',')
		}
		out = append(out, jsonString(m.name)...)
		out = append(out, ':')
		out = append(out, m.value.Raw...)
	}
	return append(out, '}')
}
