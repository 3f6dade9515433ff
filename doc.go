// Package metamerge applies PATCH bodies to stored user profiles and
// clients the way Auth0's Management API merges metadata, and validates
// signup metadata, as pure functions over JSON bytes.
//
//	merged, err := metamerge.MergeUser(storedProfile, patchBody)   // PATCH /api/v2/users/{id}
//	merged, err := metamerge.MergeClient(storedClient, patchBody)  // PATCH /api/v2/clients/{id}
//	err := metamerge.ValidateSignup(userMetadata)                  // POST /dbconnections/signup
//	err := metamerge.UserRules{}.Check(patchBody)                  // before the profile is read
//	err := metamerge.Valid(doc)                                    // any JSON document (H1–H3, H10)
//	merged, err := metamerge.FieldRules{Policy: p}.Merge(old, new) // one metadata object
//	for _, e := range metamerge.Errors(err) { ... }                // every violation, in order
//
// Each function returns a new slice and never modifies its inputs. All of
// them are safe for concurrent use. No package-level setting changes what
// they do: rules are values ([UserRules], [ClientRules], [FieldRules]),
// whose zero values are Auth0's rules where Auth0 has them. The one
// package-level variable is a pool of scratch buffers (see Resources).
//
// [MergeUser] and [MergeClient] merge two documents, not a request: by R10
// every root member of the patch other than the metadata fields replaces
// the stored one, user_id, identities and password included. To apply the
// body of a PATCH request as Auth0's endpoint does (its request schema,
// instructions such as password never stored, its answers), use package
// mgmt (github.com/metamerge/metamerge/mgmt): mgmt.Users.Patch or
// mgmt.Clients.Patch, then Patch.Apply.
//
// [FieldRules] works on one metadata object: its Merge and MergeReport, like
// its Diff and Diff3, take an empty document for the absent field; a
// document of white space only is invalid_json.
//
// # Rules
//
// The rule ids are those of the contract this package implements; the
// golden vectors in conformance/vectors cite them. DEC marks a decision of
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
//     null included (reserved_key); see [AppMetadata]. No reserved name
//     contains "." or "$": a name breaks R7 or R8, never both, and a
//     reserved name's value is still checked for R7.
//   - R9  Each field is at most 16 MiB of JSON text after the merge, as
//     this package emits it (too_large, reported alongside other
//     violations). A whole-profile cap ([UserRules].MaxProfileBytes) is
//     off by default. R9 measures the field's value text with every member
//     of the patch applied, those with violations included.
//     MaxProfileBytes measures the merged profile with each root member
//     applied and each field merged; a field whose patch is not an object
//     is left out. It holds for Merge, MergeReport, Diff and Diff3 of
//     [UserRules].
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
//     Every other character is refused, "." and "$" included: one
//     invalid_key, since R7 does not apply to client_metadata. A name can
//     break both the length and the character rule; both are reported.
//   - C4  At most 10 keys in the patch and in the merged result, counting
//     every patch member as applied (too_many_keys at /client_metadata,
//     reported once, alongside other violations).
//   - C5  A patch with no members ({}) sets client_metadata to {}: it
//     removes every key, and creates the field where the client had none,
//     as R6 does for user_metadata (observed in recordings of live Auth0
//     traffic). [EmptyIgnored] keeps the old "changes nothing" reading as an
//     opt-in.
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
//   - H8  Rule violations are reported in patch document order, each as an
//     [*Error] with a code and an RFC 6901 JSON Pointer. The list is
//     bounded: at most Limits.MaxErrors violations (default 100), fewer
//     where their pointers would together pass 64 KiB (the first is always
//     reported); a cut list ends with too_many_errors at pointer "", whose
//     Limit is MaxErrors and Actual the number found. Several violations at
//     one place come in a fixed order: whole-profile too_large first (it
//     has no place), then at a field too_many_keys before too_large, and at
//     a member key_too_long, invalid_key, reserved_key, then the value's
//     not_string or value_too_long, then names nested in the value.
//   - H9  Checking happens in stages and only the first stage that fails is
//     reported: (1) the stored document parses, (2) the PATCH body parses,
//     (3) both are objects (for [FieldRules], R2 applies to the stored
//     side), (4) the rules of the patch. When a document has several
//     defects, the first met reading it once from the start is reported:
//     invalid_json where the text stops being JSON (a literal, an escape
//     or a UTF-8 sequence that is wrong or cut short at its first byte, a
//     "-" that no digit follows at the "-", anything else at the first
//     byte that cannot stand where it is, the end of the document when it
//     is cut short), too_deep at the opening bracket of the container past
//     the limit, duplicate_key at the closing brace of the object that
//     repeats a name, pointing at its first member whose name repeats an
//     earlier one.
//   - H10 Each input is at most 2 GiB − 1 byte ([MaxDocumentBytes]; lower
//     with Limits.MaxDocumentBytes); a larger one is too_large at pointer
//     "" before anything else is checked.
//
// The inverse, which PATCH turns one document into another ([DiffUser],
// [DiffClient], the Diff, Diff3 and MergeReport methods, [Equal]):
//
//   - D1  Round trip: merging the diff into before with the same rules
//     gives after, value for value, with the text of every value in after.
//   - D2  Values are equal by meaning: strings after decoding, numbers by
//     exact decimal value (1 = 1.0 = 1e0; no rounding, any length), objects
//     as sets of members, arrays element by element ([Equal]).
//   - D3  Minimal: only what changes is named; a changed key of a field is
//     sent whole (R3); nothing changed gives {} at the root.
//   - D4  Deletions are explicit nulls; {} is sent for a field only to
//     remove app_metadata, to create a field empty, or to clear stored
//     names that no PATCH may name, or more of them than a PATCH may name
//     (C4).
//   - D5  Where no PATCH gives after, the diff fails with the merge's typed
//     errors, located in after: not_object for user_metadata or
//     client_metadata that after lacks, unreachable for a null that no
//     PATCH can set, and the rules' own codes otherwise.
//   - D6  Three-way (Diff3): keys and members that live has and the caller
//     never set survive; those the caller removed are deleted. A three-way
//     diff never sends {} to clear a field: a base key that desired drops
//     and no patch may name fails with its error.
//   - D7  MergeReport says what a merge changed, from the same pass; a
//     value set to an equal one is no change.
//
// A diff is read as the PATCH it is: longer than Limits.MaxDocumentBytes it
// is too_large at "", deeper than Limits.MaxDepth too_deep; neither has
// Stored.
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
//	input document size (H10)      2 GiB − 1 byte     Limits.MaxDocumentBytes
//	nesting depth (H3)             100 levels         Limits.MaxDepth (at most 10,000)
//	violations reported (H8)       100                Limits.MaxErrors (at most 1,000)
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
// [Limits] are the settings of a whole call; a [Policy] is the rules of one
// field. A setting of 0 means its default; a negative one, or one past the
// caps (MaxErrors 1,000, MaxDepth 10,000), is an error. A setting out of
// range (a negative limit, an unknown Unit, a Policy without Names) is
// refused with an error that names the field, never run as a weaker rule;
// it is not an [*Error], so [Errors] lists nothing for it.
//
// # Errors
//
// A function returns nil or one of:
//
//   - a single [*Error] for an input over its size limit (too_large, H10)
//     or a parse error (invalid_json, duplicate_key, too_deep), with Stored
//     set when it is in the stored document;
//   - a single [*Error], or two joined, for not_object at pointer "";
//   - the rule violations of the patch, joined with [errors.Join] in patch
//     document order and bounded as H8 says (a single one comes back as
//     the *Error itself);
//   - an error that is not an *Error for a setting out of range.
//
// [Errors] lists the *Error values of any of these, in order. A [Code] is
// also the sentinel of its kind: errors.Is(err, CodeTooManyKeys) tests for
// a code, and [errors.As] gets the first *Error. An *Error is plain data
// (code, pointer, offset, limit, actual value, the JSON type found); it
// encodes to JSON for API responses, and [Error.Auth0Message] gives Auth0's
// wording where it is known. Messages are lower case with a "metamerge: "
// prefix and shorten long pointers; their text is not part of the API, the
// codes are.
//
// # Resources
//
// For every input, a call allocates at most 10 times the size of its
// inputs plus 1 MiB, the Error and Auth0Message texts of its errors
// included (7.7 times at most in the tests, whose worst cases are the
// shortest distinct members and long names carried by many pointers; the
// diffs, which merge their result to check it, 35 times, and MergeReport
// 15), and takes time linear in that size, however deep the values up to
// the ceiling of MaxDepth. A pointer is exact, so it can be as long
// as the names it holds: encoding errors to JSON costs a few times their
// pointers (MarshalJSON does not HTML-escape; see there). Parsing never
// recurses, the error list is bounded (H8), and records use 32-bit offsets
// (H10).
//
// The package keeps a [sync.Pool] of scratch buffers. A buffer goes back to
// it only if it holds at most 64 KiB, as in package fmt, so what the pool
// keeps after a large call is bounded and a small call after a large one
// costs what it costs alone. A buffer is shortened only by zeroing what
// it drops, and is zeroed as far as it was written before it is pooled:
// the pool holds no reference to a caller's document and none of its
// bytes (only member offsets and hashes of names). A merge plans its result before writing it: the result is
// allocated once, at its exact size, and only when the patch keeps the
// rules. Every result is a new slice whose capacity exceeds its length by
// at most an eighth and 512 bytes, so it never pins the memory of large
// inputs.
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
// The cost of a call is bounded by its input (see Resources), so a hostile
// PATCH of a million violations costs a small multiple of its size and
// returns at most 100 errors. ValidateSignup, which usually faces
// unauthenticated users, has the same bounds. Cap request bodies before
// they reach the merge all the same, as any HTTP service should.
package metamerge
