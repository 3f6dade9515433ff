package metamerge

import (
	"bytes"
	"slices"
)

// DefaultMaxDepth is the nesting limit used when a MaxDepth field is 0 (H3):
// MongoDB's limit for BSON documents.
const DefaultMaxDepth = 100

// MaxMetadataBytes is the size limit of user_metadata and app_metadata after
// a merge (R9): 16 MiB of JSON text as this package emits it.
const MaxMetadataBytes = 16 << 20

// Unit says how the lengths of names and string values are counted (H4).
// Lengths are always those of the decoded text: the escape \u00e9 is one
// character.
type Unit int

const (
	// UTF16 counts UTF-16 code units, as JavaScript's String.length does and
	// so as Auth0's Node runtime does: an emoji counts 2. The default.
	UTF16 Unit = iota
	// Bytes counts the bytes of the UTF-8 encoding.
	Bytes
	// CodePoints counts Unicode code points: an emoji counts 1.
	CodePoints
)

// KeyRule says which member names a patch may use.
type KeyRule int

const (
	// AnyKey accepts every name.
	AnyKey KeyRule = iota
	// NoDotOrDollar rejects names that contain "." or "$", at any depth of
	// the patch (R7, S2).
	NoDotOrDollar
	// ClientKey accepts non-empty names made only of ASCII letters, digits,
	// tab, space and :,-+=_*?"/\()<>@ (C3). It applies to root names.
	ClientKey
)

// EmptyPatch says what a patch with no members ({}) does to the field.
type EmptyPatch int

const (
	// EmptyClears sets the field to {}, creating it if absent (R6,
	// user_metadata).
	EmptyClears EmptyPatch = iota
	// EmptyRemoves removes the field; [Merge] returns nil (R6, app_metadata).
	EmptyRemoves
	// EmptyIgnored changes nothing, and does not create the field (C5,
	// client_metadata).
	EmptyIgnored
)

// Policy holds the rules for one metadata field. The zero Policy merges
// without any limit but the default nesting depth; use [UserMetadata],
// [AppMetadata], [ClientMetadata] or [Signup] for Auth0's rules, and change
// fields of the returned value to build a custom one.
//
// A limit of 0 means no limit, except MaxDepth, where 0 means
// [DefaultMaxDepth] and a negative value means no limit.
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
	// MaxDepth is the nesting limit of each input document of [Merge] and
	// [Validate] (H3). [UserRules] and [ClientRules] have their own.
	MaxDepth int
	// Unit says how MaxKeyLen and MaxValueLen count characters (H4).
	Unit Unit
	// Keys is the rule member names must follow (R7, C3, S2).
	Keys KeyRule
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
	return Policy{MaxBytes: MaxMetadataBytes, Keys: NoDotOrDollar, Empty: EmptyClears}
}

// AppMetadata returns the policy of app_metadata in a user PATCH: as
// [UserMetadata], plus the 18 reserved root names (R8), and {} removes the
// field (R6).
func AppMetadata() Policy {
	p := UserMetadata()
	p.Reserved = ReservedAppMetadata()
	p.Empty = EmptyRemoves
	return p
}

// ClientMetadata returns the policy of client_metadata in a client PATCH:
// string values of at most 255 characters (C2), names of at most 255
// characters from a fixed set (C3), at most 10 keys (C4), and {} changes
// nothing (C5).
func ClientMetadata() Policy {
	return Policy{MaxKeys: 10, MaxKeyLen: 255, MaxValueLen: 255, StringValues: true, Keys: ClientKey, Empty: EmptyIgnored}
}

// Signup returns the policy of user_metadata sent to the signup endpoint:
// at most 10 members (S1), names of at most 100 characters without "." or
// "$" (S1, S2), string values of at most 500 characters (S1).
func Signup() Policy {
	return Policy{MaxKeys: 10, MaxKeyLen: 100, MaxValueLen: 500, StringValues: true, Keys: NoDotOrDollar}
}

// ReservedAppMetadata returns a new slice of the 18 root names app_metadata
// may not use (R8).
func ReservedAppMetadata() []string {
	return []string{"__tenant", "_id", "blocked", "clientID", "created_at", "email_verified", "email",
		"globalClientID", "global_client_id", "identities", "lastIP", "lastLogin", "loginsCount",
		"metadata", "multifactor_last_modified", "multifactor", "updated_at", "user_id"}
}

func (p *Policy) depth() int { return depthLimit(p.MaxDepth) }

func depthLimit(d int) int {
	if d == 0 {
		return DefaultMaxDepth
	}
	return d
}

// length counts the characters of decoded UTF-8 text in unit u.
func length(s []byte, u Unit) int {
	if u == Bytes {
		return len(s)
	}
	n := 0
	for _, c := range s {
		if c&0xC0 != 0x80 {
			n++
			if c >= 0xF0 && u == UTF16 {
				n++ // a four-byte sequence is a surrogate pair in UTF-16
			}
		}
	}
	return n
}

// nameOK reports whether a decoded name may stand in a patch under p;
// nested is true below the root of the field, where only the rules that
// reach every depth apply.
func (p *Policy) nameOK(name []byte, nested bool) bool {
	if p.NoPrototypeKeys && isPrototypeName(name) {
		return false
	}
	if nested && p.Keys != NoDotOrDollar {
		return true
	}
	return keyOK(p.Keys, name)
}

// checksNested reports whether names below the root of a field are checked.
func (p *Policy) checksNested() bool { return p.Keys == NoDotOrDollar || p.NoPrototypeKeys }

func isPrototypeName(name []byte) bool {
	switch string(name) {
	case "__proto__", "constructor", "prototype":
		return true
	}
	return false
}

// keyOK reports whether a decoded name follows rule k.
func keyOK(k KeyRule, name []byte) bool {
	switch k {
	case NoDotOrDollar:
		return bytes.IndexByte(name, '.') < 0 && bytes.IndexByte(name, '$') < 0
	case ClientKey:
		if len(name) == 0 {
			return false
		}
		for _, c := range name {
			if !clientKeyByte[c] {
				return false
			}
		}
	}
	return true
}

var clientKeyByte = func() (t [256]bool) {
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
	return slices.Contains(p.Reserved, string(name))
}
