// Package mgmt is the Management API around the merge: what Auth0's
// endpoints POST and PATCH /api/v2/users and /api/v2/clients do with a
// request body and the stored document, as pure functions over JSON bytes,
// with every outcome as one answer in Auth0's shape. It implements the
// contract's rules M1–M6 on top of [metamerge.UserRules] and
// [metamerge.ClientRules], which merge documents (R10: any root member of
// a document replaces the stored one); a request body is not a document,
// and a service that takes one from a client needs this layer.
//
//	p, err := mgmt.Users{}.Patch(body)          // M1, M2: before the profile is read
//	if err != nil {
//		mgmt.Users{}.Answer(err).Write(w)   // 400 in Auth0's words
//		return
//	}
//	doc, err := mgmt.Update(ctx, mgmt.Retry{}, store, id, func(stored []byte) ([]byte, bool, error) {
//		return p.Apply(stored, time.Now())   // merge, stamp updated_at (M3)
//	})                                       // read, merge, write if unchanged, retry (M6)
//	if err != nil {
//		p.Answer(err).Write(w)              // 404, 400, 500 for a corrupt stored profile
//		return
//	}
//	(&mgmt.Answer{Status: 200, Body: doc}).Write(w)
//
// # Rules
//
//   - M1 Closed schemas: each request body's root members are those
//     Auth0's API lists for it, with their JSON types; any other member is
//     refused whole ("Additional properties not allowed: <name>"), so
//     user_id, identities, created_at, client_id and the like can never be
//     changed by a request. The four schemas are data, in one place.
//   - M2 Instructions (password, connection, verify_email,
//     verify_phone_number, client_id of a user PATCH) are never stored, and
//     so never echoed.
//   - M3 The server sets user_id, identities, created_at and updated_at
//     (on every PATCH that changes something), client_id, client_secret,
//     global, callback_url_template and tenant ([Clients].Tenant).
//   - M4 Create: POST users needs connection, and password but on the
//     passwordless connections "email" and "sms"; POST clients needs
//     name; the request's members are merged into what the server sets by
//     the rules, so metadata follow R1–R9 and C1–C5 from the start.
//   - M5 One answer per outcome (see [Answer], [Message]): 400 with
//     Auth0's envelope and wording for a body that breaks a rule, its first
//     violation in document order; 404 for a missing document; 413 for a
//     body over the cap ([ReadBody]); 500, which never blames the request,
//     for a defect of the stored document or a setting out of range.
//   - M6 [Update]: compare and swap with a bounded retry, over any store
//     that can write if unchanged; a PATCH that changes nothing is not
//     written.
//
// # Clients
//
// The clients endpoints do more around MergeClient than R10, as Auth0's
// answers show (clientrules.go lists each rule): a PATCH or create of
// jwt_configuration, refresh_token, mobile, native_social_login,
// session_transfer or signed_request_object is merged member by member
// into the stored (or default) object before the merge; defaults depend
// on app_type and, for a third-party client, on its security mode; a
// client on client_authentication_methods has no client_secret;
// cross_origin_auth and oidc_backchannel_logout follow their newer names;
// initiate_login_uri "" removes it; default_organization needs
// organization_id and flows; credentials given with a PEM are made into
// credential objects (kid, thumbprint, subject), shown whole in the
// answer that made them and by id afterwards: a store keeps
// [Clients.Stored] of the document it answers. The root library keeps
// R10.
//
// # Security
//
// Every answer is bounded: messages quote at most 64 bytes of the request
// ([Quote]) and are cut at 2 KiB once escaped, whatever the names in it.
// A whole PATCH (Patch, Apply, Answer) allocates at most 24 times the
// size of its body and the stored document: 20 times for a body of
// 150,000 tiny members, about 4 for strings and arrays (TestPatchBytes).
// A user's key is never
// used as a gjson path: root members are iterated, and server
// members are set by a merge. Nothing panics on input. Everything here is
// safe for concurrent use; the values Users and Clients hold only rules
// and a name.
package mgmt
