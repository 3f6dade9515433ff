package metamerge

// What are the rules of one metadata field? Policy, its enums and name rules.

import (
	"encoding/binary"
	"fmt"
	"strconv"
)

// Policy holds the rules of one metadata field. Start from [UserMetadata],
// [AppMetadata], [ClientMetadata] or [Signup] and change fields of the
// returned value to build a custom one.
//
// A limit of 0 means no limit; a negative limit, an unknown Unit or
// EmptyPatch, and a Policy whose Names is not set are refused by every
// call that takes them (an error naming the field), never run as a weaker
// rule. The zero Policy, in the fields of [UserRules] and [ClientRules],
// stands for that field's default.
type Policy struct {
	// MaxKeys is the most members the patch, and the merged object, may have
	// (C4, S1).
	MaxKeys int
	// MaxKeyLen is the longest member name, in Unit (C3, S1).
	MaxKeyLen int
	// MaxValueLen is the longest string value, in Unit (C2, S1).
	MaxValueLen int
	// StringValues requires every value to be a string (C2, S1). In a patch
	// null is accepted too, since it removes the member.
	StringValues bool
	// MaxBytes is the largest size of the merged object, in bytes of the
	// JSON text this package emits (R9).
	MaxBytes int
	// Unit says how MaxKeyLen and MaxValueLen count characters (H4).
	Unit Unit
	// Names is the rule member names must follow (R7, C3, S2).
	Names NameRule
	// Reserved lists the root names a patch may not use with any value,
	// null included (R8).
	Reserved []string
	// Empty says what a patch with no members does (R6, C5).
	Empty EmptyPatch
	// NoPrototypeKeys, an opt-in beyond Auth0's rules, rejects the names
	// __proto__, constructor and prototype at any depth of the patch
	// (invalid_key): JavaScript code that copies the result with a naive
	// deep merge can have its object prototypes polluted through them.
	NoPrototypeKeys bool
}

// UserMetadata returns the policy of user_metadata in a user PATCH: names
// without "." or "$" at any depth (R7), at most 16 MiB after the merge (R9),
// and {} clears the field (R6).
func UserMetadata() Policy {
	return Policy{MaxBytes: maxMetadataBytes, Names: NamesNoDotOrDollar, Empty: EmptyClears}
}

// AppMetadata returns the policy of app_metadata in a user PATCH: as
// [UserMetadata], plus 18 reserved root names (R8), and {} removes the
// field (R6).
func AppMetadata() Policy {
	p := UserMetadata()
	p.Reserved = []string{"__tenant", "_id", "blocked", "clientID", "created_at", "email_verified", "email",
		"globalClientID", "global_client_id", "identities", "lastIP", "lastLogin", "loginsCount",
		"metadata", "multifactor_last_modified", "multifactor", "updated_at", "user_id"}
	p.Empty = EmptyRemoves
	return p
}

// ClientMetadata returns the policy of client_metadata in a client PATCH:
// string values of at most 255 characters (C2), names of at most 255
// characters from a fixed set (C3), at most 10 keys (C4), and {} sets the
// field to {} (C5).
func ClientMetadata() Policy {
	return Policy{MaxKeys: 10, MaxKeyLen: 255, MaxValueLen: 255, StringValues: true, Names: NamesClient, Empty: EmptyClears}
}

// Signup returns the policy of user_metadata sent to the signup endpoint:
// at most 10 members (S1), names of at most 100 characters without "." or
// "$" (S1, S2), string values of at most 500 characters (S1). Merged as a
// patch, {} sets the field to {}.
func Signup() Policy {
	return Policy{MaxKeys: 10, MaxKeyLen: 100, MaxValueLen: 500, StringValues: true, Names: NamesNoDotOrDollar}
}

// The default policies, built once; never modified.
var (
	defaultUser   = UserMetadata()
	defaultApp    = AppMetadata()
	defaultClient = ClientMetadata()
	defaultSignup = Signup()
)

// Unit says how the lengths of names and string values are counted (H4).
// Lengths are always those of the decoded text: the escape \u00e9 is one
// character.
type Unit int

const (
	// UnitUTF16 counts UTF-16 code units, as JavaScript's String.length
	// does and so as Auth0's Node runtime does: an emoji counts 2. The
	// default.
	UnitUTF16 Unit = iota
	// UnitBytes counts the bytes of the UTF-8 encoding.
	UnitBytes
	// UnitCodePoints counts Unicode code points: an emoji counts 1.
	UnitCodePoints
)

// NameRule says which member names a patch may use. Its zero value is not
// a rule: a Policy must name one.
type NameRule int

const (
	// NamesAny accepts every name.
	NamesAny NameRule = iota + 1
	// NamesNoDotOrDollar rejects names that contain "." or "$", at any
	// depth of the patch (R7, S2).
	NamesNoDotOrDollar
	// NamesClient accepts non-empty names made only of ASCII letters,
	// digits, tab, space and :,-+=_*?"/\()<>@ (C3). It applies to the
	// field's own members.
	NamesClient
)

// EmptyPatch says what a patch with no members ({}) does to the field.
type EmptyPatch int

const (
	// EmptyClears sets the field to {}, creating it if absent (R6 for
	// user_metadata, C5).
	EmptyClears EmptyPatch = iota
	// EmptyRemoves removes the field (R6 for app_metadata).
	EmptyRemoves
	// EmptyIgnored changes nothing, and does not create the field: what
	// this package once assumed of client_metadata, before recordings of
	// live traffic showed C5.
	EmptyIgnored
)

// String returns the name of the constant u, such as "UnitUTF16", or
// "Unit(n)" for a value that is none of them.
func (u Unit) String() string {
	return enumName("Unit", int(u), int(UnitUTF16), "UnitUTF16", "UnitBytes", "UnitCodePoints")
}

// String returns the name of the constant n, such as "NamesAny", or
// "NameRule(n)" for a value that is none of them, 0 (not set) included.
func (n NameRule) String() string {
	return enumName("NameRule", int(n), int(NamesAny), "NamesAny", "NamesNoDotOrDollar", "NamesClient")
}

// String returns the name of the constant e, such as "EmptyClears", or
// "EmptyPatch(n)" for a value that is none of them.
func (e EmptyPatch) String() string {
	return enumName("EmptyPatch", int(e), int(EmptyClears), "EmptyClears", "EmptyRemoves", "EmptyIgnored")
}

// enumName returns names[v-first], or type(v) when v is out of range.
func enumName(typ string, v, first int, names ...string) string {
	if i := v - first; i >= 0 && i < len(names) {
		return names[i]
	}
	return typ + "(" + strconv.Itoa(v) + ")"
}

// isZero reports whether p is the zero Policy.
func (p *Policy) isZero() bool {
	return p.MaxKeys == 0 && p.MaxKeyLen == 0 && p.MaxValueLen == 0 && !p.StringValues && p.MaxBytes == 0 &&
		p.Unit == 0 && p.Names == 0 && p.Reserved == nil && p.Empty == 0 && !p.NoPrototypeKeys
}

// check returns an error naming the first field of p, called name, that is
// out of range.
func (p *Policy) check(name string) error {
	for _, f := range []struct {
		field string
		v     int
	}{{"MaxKeys", p.MaxKeys}, {"MaxKeyLen", p.MaxKeyLen}, {"MaxValueLen", p.MaxValueLen}, {"MaxBytes", p.MaxBytes}} {
		if f.v < 0 {
			return fmt.Errorf("metamerge: %s.%s is %d; a limit is 0 (none) or more", name, f.field, f.v)
		}
	}
	switch {
	case p.Names == 0:
		return fmt.Errorf("metamerge: %s.Names is not set; start from UserMetadata(), AppMetadata(), ClientMetadata() or Signup(), or set NamesAny", name)
	case p.Names < NamesAny || p.Names > NamesClient:
		return fmt.Errorf("metamerge: %s.Names is %d, not a NameRule", name, p.Names)
	case p.Unit < UnitUTF16 || p.Unit > UnitCodePoints:
		return fmt.Errorf("metamerge: %s.Unit is %d, not a Unit", name, p.Unit)
	case p.Empty < EmptyClears || p.Empty > EmptyIgnored:
		return fmt.Errorf("metamerge: %s.Empty is %d, not an EmptyPatch", name, p.Empty)
	}
	return nil
}

// policy checks p, or takes def when p is the zero Policy and def is not
// nil, and returns a copy held in w.pols[i], so that the caller's rules do
// not escape to the heap.
func (w *work) policy(i int, p, def *Policy, name string) (*Policy, error) {
	if def != nil && p.isZero() {
		return def, nil
	}
	if err := p.check(name); err != nil {
		return nil, err
	}
	w.pols[i], w.polsUsed = *p, true
	return &w.pols[i], nil
}

// length counts the characters of decoded UTF-8 text in unit u.
func length(s []byte, u Unit) int {
	if u == UnitBytes {
		return len(s)
	}
	n := 0
	for _, c := range s {
		if c&0xC0 != 0x80 {
			n++
			if c >= 0xF0 && u == UnitUTF16 {
				n++ // a four-byte sequence is a surrogate pair in UTF-16
			}
		}
	}
	return n
}

// nameOK reports whether a decoded name may stand in a patch under p;
// nested is true below the field's own members, where only the rules that
// reach every depth apply.
func (p *Policy) nameOK(name []byte, nested bool) bool {
	if p.NoPrototypeKeys && isPrototypeName(name) {
		return false
	}
	switch p.Names {
	case NamesNoDotOrDollar:
		return noDotOrDollar(name)
	case NamesClient:
		if nested {
			return true
		}
		if len(name) == 0 {
			return false
		}
		for _, c := range name {
			if !clientNameByte[c] {
				return false
			}
		}
	}
	return true
}

// noDotOrDollar reports whether name has neither '.' nor '$' (R7). It
// tests a word at a time, as the name table's hash reads names: each eight
// bytes, the last eight overlapping, and a shorter name in one word of
// its bytes (two overlapping halves, or its first, middle and last byte),
// padded with zeros, which are neither; two calls to bytes.IndexByte cost
// more than a short name's whole test.
func noDotOrDollar(name []byte) bool {
	n := len(name)
	var w uint64
	switch {
	case n >= 8:
		for i := 0; i < n-8; i += 8 {
			if dotOrDollar(binary.LittleEndian.Uint64(name[i:])) {
				return false
			}
		}
		w = binary.LittleEndian.Uint64(name[n-8:])
	case n >= 4:
		w = uint64(binary.LittleEndian.Uint32(name))<<32 | uint64(binary.LittleEndian.Uint32(name[n-4:]))
	case n > 0:
		w = uint64(name[0]) | uint64(name[n>>1])<<8 | uint64(name[n-1])<<16
	}
	return !dotOrDollar(w)
}

// dotOrDollar reports whether a byte of w is '.' or '$': whether w xored
// with either, in every byte, has a zero byte (the test is exact as a
// whole, though not byte by byte).
func dotOrDollar(w uint64) bool {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	d, s := w^('.'*lo), w^('$'*lo)
	return ((d-lo)&^d|(s-lo)&^s)&hi != 0
}

// deletable reports whether a patch may name a key to delete it: null
// does not spare a name the rules of names (R7, R8, C3, S1).
func (p *Policy) deletable(name []byte) bool {
	return p.nameOK(name, false) && !p.reserved(name) && (p.MaxKeyLen == 0 || length(name, p.Unit) <= p.MaxKeyLen)
}

// checksNested reports whether names below the field's own members are
// checked.
func (p *Policy) checksNested() bool { return p.Names == NamesNoDotOrDollar || p.NoPrototypeKeys }

func isPrototypeName(name []byte) bool {
	switch string(name) {
	case "__proto__", "constructor", "prototype":
		return true
	}
	return false
}

var clientNameByte = func() (t [256]bool) {
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c] = true
		t[c-'a'+'A'] = true
	}
	for _, c := range []byte(":,-+=_*?\"/\\()<>@\t ") {
		t[c] = true
	}
	return t
}()

func (p *Policy) reserved(name []byte) bool {
	for _, r := range p.Reserved {
		if string(name) == r { // no conversion, whatever the length of name
			return true
		}
	}
	return false
}

// field names a root member of a profile or client that is merged with a
// policy instead of being replaced.
type field struct {
	name string
	pol  *Policy
}

// fieldPolicy returns the policy of the field named name, or nil.
func fieldPolicy(fields []field, name []byte) *Policy {
	for i := range fields {
		if string(name) == fields[i].name {
			return fields[i].pol
		}
	}
	return nil
}
