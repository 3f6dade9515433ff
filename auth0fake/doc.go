// Package auth0fake is a stateful fake of Auth0's Management API for
// users and clients, and of the signup endpoint of its Authentication
// API. It stores what it is sent and applies every POST and PATCH through
// package [mgmt] (the endpoint contract M1–M7 on [metamerge.MergeUser]
// and [metamerge.MergeClient]), so a test can catch
// what static stubs never do: a PATCH that drops a user's nested
// addresses, a {} that clears user_metadata, an eleventh client_metadata
// key.
//
// Mount it in a Go test with net/http/httptest, or run it as a process
// with "metamerge serve":
//
//	srv, err := auth0fake.New(auth0fake.Options{Token: "secret"})
//	ts := httptest.NewServer(srv)
//	// point the code under test at ts.URL + "/api/v2/" with token "secret"
//
// # Endpoints
//
//	POST   /api/v2/users             create (connection required, and
//	                                 password but on "email" and "sms")   201
//	GET    /api/v2/users             list: page, per_page, include_totals,
//	                                 fields, include_fields, q, sort,
//	                                 connection, search_engine            200
//	GET    /api/v2/users/{id}        read: fields, include_fields         200
//	PATCH  /api/v2/users/{id}        mgmt.Users: schema, merge, stamps    200
//	DELETE /api/v2/users/{id}                                             204
//	GET    /api/v2/users-by-email    email, fields, include_fields: a
//	                                 bare array (M7)                      200
//	POST   /api/v2/clients           create (name required)               201
//	GET    /api/v2/clients           list: as users, and is_global,
//	                                 is_first_party, app_type,
//	                                 external_client_id, take, from       200
//	GET    /api/v2/clients/{id}                                           200
//	PATCH  /api/v2/clients/{id}      mgmt.Clients: schema, merge          200
//	DELETE /api/v2/clients/{id}                                           204
//	POST   /dbconnections/signup     user_metadata checked by
//	                                 metamerge.ValidateSignup (no token)  200
//
// Everything under /api/v2/ needs "Authorization: Bearer <Options.Token>".
//
// # What it imitates
//
//   - The merge rules of the contract, by the library: R1–R10 for
//     user_metadata and app_metadata, C1–C5 for client_metadata, S1–S3 for
//     signup, with the hygiene rules H1–H10 (stricter than Auth0 on
//     purpose: duplicate names and nesting past 100 levels are refused).
//   - Members Auth0 sets, in the shapes of recorded answers: user_id
//     "auth0|" and 24 hex digits (or "auth0|" and the user_id given),
//     identities [{connection, user_id, provider "auth0", isSocial
//     false}], created_at and updated_at as 2026-11-23T12:34:56.789Z
//     (updated_at on every PATCH that changes something), email_verified
//     false, name, nickname and
//     a Gravatar picture from the email, last_password_reset when a PATCH
//     sets a password; client_id of 32 letters and digits, client_secret of
//     64 URL-safe characters, global and callback_url_template false,
//     tenant ([Options].Tenant, when set), and the recorded defaults of a
//     new client.
//   - Emails stored and compared in lower case; one email and one
//     username per connection: 409 "The user already exists." on create,
//     400 "The specified new email already exists" (or "username") on
//     PATCH, naming the value taken, the email when both are.
//   - Request schemas: the members of each request as Auth0's API lists
//     them (others: "Additional properties not allowed: x"), their types,
//     required members, email format (package mgmt's schemas, M1).
//     password, verify_email and other instructions are never stored (M2).
//   - Error shapes, byte for byte: {"statusCode","error","message",
//     "errorCode"} with invalid_body, invalid_query_string,
//     inexistent_user, inexistent_client, auth0_idp_error, invalid_paging;
//     404 "The user does not exist." and "The client does not exist" (no
//     full stop, as recorded);
//     401 "Missing authentication" and "Invalid token"; 413 past the body
//     limit; signup's {"name","code","description","statusCode"}.
//     Messages are Auth0's where known (the contract's "Auth0's error
//     envelope", [mgmt.Message]) and in the same validator's style where
//     not (see "Decisions"); a body with several violations is answered
//     with the first in document order (M5).
//   - The clients endpoint's rules around the merge (package mgmt):
//     settings objects merged member by member, defaults by app_type and
//     for third-party clients, credentials made from a PEM (shown whole
//     once, then by id), no client_secret for a client on
//     client_authentication_methods.
//   - Search (M7): email, name, given_name, family_name and nickname
//     compare case-insensitively, other fields case-sensitively;
//     email.domain is searchable; ranges are read; a wildcard or range
//     on user_metadata is a 400.
//   - Lists: pages from 0, per_page at most 100 (default 50), the
//     include_totals shapes of recorded answers ({"start","limit",
//     "length","users","total"}; {"total","start","limit","clients"}),
//     and no paging past the first 1000 users.
//   - DELETE answers 204 also for a document that does not exist, as
//     recorded.
//
// # What it does not imitate
//
//   - Logins, tokens, roles, permissions, organizations, connections as
//     objects (any connection name is accepted), logs, jobs, rate limits
//     (but see [Server.InjectFault] and the control API),
//     email verification, blocked users' effects.
//   - Password policies and password storage: passwords are checked for
//     presence only and never kept.
//   - The full Lucene syntax of q (see below), search engine versions and
//     the delay of Auth0's search index (the fake's is immediate).
//   - Members a tenant adds or once answered otherwise (see the replay
//     test, TestReplay, for the measured list).
//   - The description of the property Auth0 adds after "on property x".
//   - Auth0's 10 KB profile cap (off by default in the library too).
//
// # Decisions where Auth0 is silent
//
//   - Texts for violations whose Auth0 wording is unknown are this
//     package's, in the validator's style: "Property name is not allowed"
//     ($, client name characters), "Property name is reserved" (R8),
//     "Property name is too long (n chars), maximum m", "Duplicate property
//     name" (H2), "Nesting is too deep (n levels), maximum m" (H3), "Object
//     is too large (n bytes), maximum m" (R9).
//   - Texts of 400s whose Auth0 wording is not recorded, in the schema
//     validator's style: "Missing required property: password" (a user
//     of a database connection), "Missing required property:
//     organization_id" (or flows) on property default_organization,
//     "Invalid PEM", "Invalid public key", "Invalid certificate" on the
//     credential's pem.
//   - A client that stops using client_authentication_methods gets a new
//     client_secret (Auth0 shows one again; whether the old is not
//     recorded).
//   - A PATCH to an email or username another user of the connection has
//     answers 400 with errorCode auth0_idp_error.
//   - Signup: password, connection and an identifier (email, or username
//     or phone_number, as a connection with flexible identifiers takes
//     them; recorded) are required; client_id is
//     not checked; unknown members are ignored; body errors have code
//     invalid_body, user_metadata violations invalid_signup with the S3
//     texts (other violations in the Management API's words at
//     user_metadata), and a taken email invalid_signup "Invalid sign up"
//     (the enumeration-safe answer). No password policy.
//   - q reads terms field:value, field:"quoted value", field:prefix*,
//     field:*, _exists_:field and ranges field:[a TO b] ({ } leave a
//     bound out, * is open; a bound is a value or a quoted value without
//     white space), joined by white space or AND; a field is a dotted
//     path into the document (metadata names never contain ".", R7, C3,
//     so an escaped \. is refused), arrays on the way matching when an
//     element does; email.domain is the part of the email after "@".
//     email, name, given_name, family_name and nickname compare in lower
//     case, other strings exactly (M7), numbers and booleans as written;
//     a range compares numbers as numbers and anything else as text (ISO
//     dates compare in order). A prefix, field:* or a range on
//     user_metadata is a 400, as Auth0 offers no wildcard or range
//     search there (M7). A backslash escapes any character of a name or
//     an unquoted value. Anything else is a 400 invalid_query_string that
//     says the fake does not read it, never a query read another way: OR,
//     NOT, && and ||, + - ! ( ) before a term, groups, < and >, regular
//     expressions (/), fuzziness and boosts (~ ^), wildcards other than
//     one trailing *, _exists_ with a wildcard or a quoted name, an AND
//     without a term on each side, an operator word as a name or value,
//     anything glued to a quoted value or a range, a lone trailing
//     backslash, and U+3000 (white space to Lucene) unescaped.
//   - sort takes field:1 or field:-1, the field read as q reads one;
//     documents without the field come last. Without sort, lists are in
//     creation order.
//   - A query parameter holds at most 4096 characters, and a repeated one
//     is refused (Auth0's framework reads it as an array).
//   - fields names root members only.
//   - Content-Type is not checked: every body is read as JSON.
//
// # In tests
//
// [Options].Now sets the clock (created_at, updated_at). [Server.PutUser]
// and [Server.PutClient] seed documents as given, [Server.User],
// [Server.Users], [Server.Client] and [Server.Clients] return copies of
// what is stored, and [Server.Reset] empties the fake, all without HTTP.
// [Server.InjectFault] answers the next matching requests with a 429
// (Retry-After and x-ratelimit-* headers), a 5xx or a delay, so that a
// client's retries can be tested; no fault is installed by default, each
// answers at most Times requests, a fault never changes what is stored,
// and [Server.Faults] lists those installed.
//
// # The control API
//
// A test suite that cannot call Go (one that starts "metamerge serve
// -control") has the same over HTTP when [Options].Control is set: under
// [ControlPrefix], with the Management API's bearer token, never answered
// by a fault.
//
//	POST   /_fake/reset         users, clients and faults removed, the
//	                            clock as the server started: {}        200
//	GET    /_fake/users         every user, in creation order (array)  200
//	POST   /_fake/users         the body stored as given (PutUser)     200
//	GET    /_fake/users/{id}    one user (User); 404 as the API's      200
//	GET    /_fake/clients       every client, in creation order        200
//	POST   /_fake/clients       the body stored as given (PutClient)   200
//	GET    /_fake/clients/{id}  one client (Client)                    200
//	GET    /_fake/faults        installed faults, with Times left      200
//	POST   /_fake/faults        install one (InjectFault): the fault   201
//	DELETE /_fake/faults        remove them all: []                    200
//	GET    /_fake/clock         {"fixed","time","step"}: the next
//	                            reading, without taking it             200
//	PUT    /_fake/clock         {"time": RFC 3339, "step": duration}   200
//	DELETE /_fake/clock         back to Options.Now (or time.Now)      200
//
// A fault is {"method","path","times","status","retry_after","delay"},
// the fields of [Fault], times required, the durations Go duration
// strings ("1s", "250ms"); a method is an HTTP token of at most 32
// bytes. A fixed clock answers time, then time + step, and so on: it
// takes one step after each write that stores something (a create, a
// PATCH that changes the document, a signup), never for a refused
// request, a read, a seed, a retried PATCH attempt or a 429's
// X-Ratelimit-Reset; writes are then served one at a time, so that each
// has its own time. step is 0 (the default) to 24h. The time is RFC 3339
// ("t" and "z" in either case, any offset) within the years 0000 to 9999
// in UTC, the years Auth0's timestamps show; a leap second (:60) is
// refused, as Go cannot represent it, and a clock that would step past
// 9999 stops at 9999-12-31T23:59:59.999999999Z, as does a server clock
// (Options.Now) beyond it.
// Bodies are read with Options.MaxBodyBytes and strictly: a member not
// listed, a member given twice, a wrong type or a value out of range is
// a 400 invalid_body naming the member, with InjectFault's bounds; a
// seeded document that is not valid JSON, not an object, or has no
// non-empty string id is a 400, a seeded user whose email or username
// another user of its connection has is a 409 "The user already
// exists.", and the 1025th fault is a 409 too_many_faults. Ids with "/"
// are sent escaped (%2F), "." and ".." as %2E. Without Options.Control
// those paths answer 404 as any path the fake does not serve.
//
// # Persistence
//
// With [Options].DataDir, each user and client is a JSON file, exactly as
// the API returns it, written atomically and durably before the request
// is answered (a temporary file, fsync, rename, fsync of the directory);
// a server started on the same directory loads them back in creation
// order. A file is named by its sequence number, 16 lower-case hex
// digits from 0000000000000001 to fffffffffffffffe and ".json"; New
// refuses any other name of 16 hex digits and ".json" (an upper-case
// seed would be saved under a second name), numbers never wrap (once
// fffffffffffffffe is taken, a create is answered 500), and a new
// document never takes the name of an existing file. One Server at a
// time holds a data directory: New locks it (an flock on the directory
// itself and on DataDir/lock, released by [Server.Close] or when the
// process ends, so that removing or replacing the lock file lets no
// second server in; where flock is missing, a lock file created
// exclusively and removed by Close), and a second Server, in any
// process, is refused with [ErrDataDirLocked] and the holder's process
// id. A lock file that is a symbolic link is refused, never followed.
// Plain files rather than
// an embedded database: the state of a
// test fake should be something a person can read, diff, seed and keep
// beside the tests, the write load is a test suite's, and files need no
// dependency, schema or migration.
//
// # Concurrency
//
// A Server is safe for concurrent use. Reads take a snapshot; a PATCH is
// applied by [mgmt.Update] (M6): it merges the latest document outside
// the lock and commits only if no other write came first (compare and
// swap on a version the store keeps per write), so concurrent PATCHes of
// one document each apply in full and none is lost. After 8 lost races
// a PATCH merges with the collection held, so it never gives up with
// mgmt's 409. A PATCH that changes nothing (D7) is not written: its
// answer is the stored document, updated_at included. Saves to DataDir
// are serialized and always write a document's latest state.
//
// # Security considerations
//
// The fake is for tests: bind it to a loopback address. A request costs a
// small multiple of its size, which Options.MaxBodyBytes caps (1 MiB by
// default; larger bodies get 413 before they are read): a PATCH of 1 MiB
// allocates at most 32 times its size, also into a stored document as
// large (25 times for 150,000 tiny members, 7 for one long string;
// TestPatchBytes), except a list,
// whose cost grows with what is stored: each list request has a work
// budget, Options.MaxWorkBytes (128 MiB by default), of stored bytes it
// may read, counting a document once for each q term, the sort key and
// the answer that go through it, each level of nested arrays again, and
// each element or member walked as at least 128 bytes. A request that
// would read more is answered 400 invalid_query_string "Request too
// costly for the fake", so one request takes at most about a third of a
// second of CPU (the worst shapes we know, deep and wide arrays and wide
// objects, spend the budget in 0.03 to 0.3 s), and allocates at most a
// copy of what it reads: the page is streamed, never built whole. Every
// loop over stored documents looks at the request's context, so a
// client that gives up stops the work within one document or 256 KiB of
// reading. Query parameters
// are capped at 4096 characters, q at 16 terms, per_page at 100, and page
// numbers never overflow. An error answer carries one message of at most
// 2 KiB, whatever the violations. Names from requests (fields, q, sort,
// metadata keys) are compared with decoded member names and never used as
// gjson paths, whose syntax ("." "*" "?" "#" "@" "|") a key may hold; gjson
// reads fixed members only, and server members are set by a merge. Bad input is
// answered with 4xx, never 500; a recovered panic is logged and answered
// with 500. Memory grows with what is stored: the signup endpoint, as
// Auth0's, needs no token, so anyone who can reach the fake can add users.
package auth0fake
