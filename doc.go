// Package metamerge applies PATCH bodies to stored user profiles and
// clients the way Auth0's Management API merges metadata, and validates
// signup metadata, as pure functions over JSON bytes.
//
//	merged, err := metamerge.MergeUser(storedProfile, patchBody)   // PATCH /api/v2/users/{id}
//	merged, err := metamerge.MergeClient(storedClient, patchBody)  // PATCH /api/v2/clients/{id}
//	err := metamerge.ValidateSignup(userMetadata)                  // POST /dbconnections/signup
//	merged, err := metamerge.Merge(existing, patch, policy)        // one metadata object
//
// Each function returns a new slice and never modifies its inputs. All of
// them are safe for concurrent use. No package-level setting changes what
// they do: rules are values passed in. The one package-level variable is a
// pool of scratch buffers, zeroed before they go back to it.
//
// # Rules
//
// The rule ids are those of the contract this package implements; the
// golden vectors in testdata/vectors cite them. DEC marks a decision of
// this package where Auth0 documents nothing.
//
// user_metadata and app_metadata (PATCH /api/v2/users/{id}):
//
//   - R1  The field in a PATCH must be a JSON object; null, strings,
//     numbers, booleans and arrays are rejected (not_object).
//   - R2  Stored metadata that is not an object is taken as {}, so a PATCH
//     repairs it (DEC).
//   - R3  Merge happens at the root only. For each patch member in order:
//     null removes the key (nothing happens if absent); any other value
//     replaces the stored value wholesale, in place, or is appended if new.
//     Nested objects are not merged and arrays are replaced. A non-empty
//     patch leaves the field present: created at the end of the profile
//     when absent, {} when its last key is removed.
//   - R4  A null inside a replacing value is stored as written (DEC).
//   - R5  Keys the patch does not name are kept byte for byte.
//   - R6  A patch with no members ({}, white space allowed) clears the
//     field: user_metadata becomes {} (created if absent); app_metadata is
//     removed from the profile. This is the only way app_metadata leaves.
//   - R7  Member names at any depth of the patch must not contain "." or
//     "$" (invalid_key).
//   - R8  app_metadata may not use 18 reserved root names, with any value,
//     null included (reserved_key); see [ReservedAppMetadata].
//   - R9  Each field is at most 16 MiB of JSON text after the merge, as
//     this package emits it (too_large, reported alongside other
//     violations). A whole-profile cap ([UserRules].MaxProfileBytes) is
//     off by default.
//   - R10 Every other root member of the PATCH replaces the stored one;
//     null removes it.
//
// client_metadata (PATCH /api/v2/clients/{id}):
//
//   - C1  The same root-level merge as R3; after the last key is removed
//     the field stays as {}. The field must be an object in a PATCH (null
//     does not remove it). Other root members follow R10.
//   - C2  Values must be strings (or null in a PATCH) (not_string), of at
//     most 255 characters (value_too_long).
//   - C3  Names: at most 255 characters (key_too_long); non-empty, and only
//     ASCII letters, digits, tab, space and :,-+=_*?"/\()<>@ (invalid_key).
//     A name can break both; both are reported.
//   - C4  At most 10 keys in the patch and in the merged result, counting
//     every patch member as applied (too_many_keys at /client_metadata,
//     reported once, alongside other violations).
//   - C5  A patch with no members changes nothing and does not create the
//     field (DEC).
//
// user_metadata at signup (POST /dbconnections/signup):
//
//   - S1  An object (not_object) of at most 10 members (too_many_keys),
//     names of at most 100 characters (key_too_long), string values of at
//     most 500 characters (not_string, value_too_long).
//   - S2  The R7 name rule applies too; null is not a string (DEC).
//   - S3  [Error.Auth0Message] gives Auth0's known texts.
//
// Every input (stricter than Auth0, on purpose):
//
//   - H1  Valid JSON text (RFC 8259) in UTF-8, nothing after the value, no
//     byte-order mark (invalid_json).
//   - H2  Duplicate member names at any depth are rejected (duplicate_key),
//     and so are escapes that leave a lone or reversed surrogate
//     (invalid_json). Names are compared after decoding escapes.
//     Noncharacters such as U+FFFF are accepted.
//   - H3  Nesting deeper than a limit is rejected (too_deep), never a
//     crash. Only objects and arrays are levels: the root container is
//     level 1, a container inside it level 2; a scalar adds no level.
//     Default 100 ([DefaultMaxDepth]).
//   - H4  Characters are counted as UTF-16 code units, as JavaScript does:
//     an emoji counts 2, the escape \u00e9 counts 1. See [Unit].
//   - H5  Number text, escapes and untouched members are copied exactly:
//     no float rounding, no HTML escaping.
//   - H6  Untouched and replaced keys keep their place; new keys are
//     appended in patch order. A replaced key keeps the stored spelling of
//     its name.
//   - H7  All or nothing: on any error the result is nil, and the inputs
//     are never modified.
//   - H8  Every rule violation is reported, in patch document order, each
//     as an [*Error] with a code and an RFC 6901 JSON Pointer.
//   - H9  Checking happens in stages and only the first stage that fails is
//     reported: (1) the stored document parses, (2) the PATCH body parses,
//     (3) both are objects (for [Merge], R2 applies to the stored side),
//     (4) the rules of the patch.
//
// # Output form
//
// Where an object is re-emitted (the root of the profile or client, and a
// merged metadata field), it is written as "{", the members joined by ","
// with ":" between name and value, and "}", without white space; each name
// and value inside is copied exactly as it was written.
//
// # Limits
//
//	limit                          default            where
//	nesting depth (H3)             100 levels         Policy.MaxDepth, UserRules.MaxDepth, ClientRules.MaxDepth
//	user/app_metadata size (R9)    16 MiB             Policy.MaxBytes
//	whole profile size (R9)        off                UserRules.MaxProfileBytes
//	client_metadata keys (C4)      10                 Policy.MaxKeys
//	client_metadata name (C3)      255 characters     Policy.MaxKeyLen
//	client_metadata value (C2)     255 characters     Policy.MaxValueLen
//	signup fields (S1)             10                 Policy.MaxKeys
//	signup name (S1)               100 characters     Policy.MaxKeyLen
//	signup value (S1)              500 characters     Policy.MaxValueLen
//	character unit (H4)            UTF-16 code units  Policy.Unit
//
// # Errors
//
// A function returns nil or one of:
//
//   - a single [*Error] for a parse error (invalid_json, duplicate_key,
//     too_deep), with Stored set when it is in the stored document;
//   - a single [*Error], or two joined, for not_object at pointer "";
//   - every rule violation of the patch, joined with [errors.Join] in patch
//     document order (a single one comes back as the *Error itself).
//
// Use [errors.As] to get the first *Error and its Code, Pointer, Offset,
// Limit and Actual, [errors.Is] with a sentinel such as [ErrTooManyKeys] to
// test for a code, and Unwrap() []error on a joined error to list them all.
// Messages are lower case with a "metamerge: " prefix; their text is not
// part of the API, the codes are.
//
// # Security considerations
//
// Duplicate member names are rejected because parsers disagree about them
// (the first wins, the last wins, both are kept): a document that a
// validator and a consumer read differently can smuggle a value past the
// validator. Escapes that leave lone surrogates are rejected for the same
// reason: they cannot round-trip through UTF-8.
//
// Nesting is limited to 100 levels by default and parsing never recurses,
// so deep input cannot exhaust the stack; the stored metadata size is
// limited to 16 MiB after the merge. Duplicate detection in large objects
// uses a hash with a random seed, so crafted names cannot force quadratic
// time.
//
// Output is not HTML-escaped: strings are copied exactly as written, so
// "<script>" stays "<script>". A caller that embeds the result in HTML
// must escape it there, as for any JSON.
//
// Names such as __proto__, constructor and prototype are valid JSON and
// Auth0 accepts them, but JavaScript code that copies the metadata with a
// naive deep merge can have its object prototypes polluted through them.
// [Policy].NoPrototypeKeys rejects them at any depth (invalid_key); it is
// off by default, to match Auth0.
//
// Every rule violation is reported, so the error list grows with the
// patch: a patch of a million bad members returns a million errors, about
// 100 bytes each. Cap request bodies before they reach the merge, as any
// HTTP service should.
package metamerge
