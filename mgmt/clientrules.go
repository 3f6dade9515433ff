package mgmt

import (
	"time"

	"github.com/tidwall/gjson"

	"github.com/metamerge/metamerge/internal/jsonenc"
)

// The rules of the clients endpoints around the merge, each from recorded
// answers of Auth0's API (the replay test of package auth0fake measures
// them). MergeClient replaces a root member a PATCH names (R10); the
// endpoint does more, before and after that merge:
//
//   - Settings objects (settingsMembers) are merged member by member into
//     the stored one, or, where there is none, into the defaults
//     (settingsBase): a PATCH of jwt_configuration {"alg":"RS256"} keeps
//     the stored lifetime_in_seconds, and of native_social_login
//     {"facebook":…} keeps apple and google. A member set to null inside
//     one is removed; the merge goes one level deep.
//   - A refresh_token whose expiration_type is "expiring" has finite
//     lifetimes unless the request says otherwise.
//   - initiate_login_uri "" removes the member.
//   - default_organization needs organization_id and flows (400
//     otherwise).
//   - cross_origin_auth, the older name of cross_origin_authentication,
//     is sent beside it with the same value.
//   - oidc_backchannel_logout, the older name of oidc_logout, is sent
//     beside it with its backchannel_logout_urls; a request that sets
//     either to null removes both.
//   - Credentials given with a PEM are made into credential objects
//     (credentials.go).
//   - A client authenticated by client_authentication_methods
//     (private_key_jwt, TLS) has no client_secret; one that stops being
//     so gets a new one (Auth0 shows a secret again; whether the old one
//     is not recorded).
//   - At create, grant_types, oidc_conformant, jwt_configuration and
//     refresh_token default by app_type and, for a third-party client,
//     by third_party_security_mode (appDefaults).

// settingsMembers are the client settings Auth0 merges member by member.
var settingsMembers = []string{"jwt_configuration", "refresh_token", "mobile", "native_social_login", "session_transfer", "signed_request_object"}

// defaultSession is the base of a session_transfer a request sets on a
// client that has none.
const defaultSession = `{"can_create_session_transfer_token":false,"enforce_cascade_revocation":true,` +
	`"allowed_authentication_methods":[],"enforce_device_binding":"ip","allow_refresh_token":false,` +
	`"enforce_online_refresh_tokens":true}`

// settingsBase returns what a settings object the request sets is merged
// into when the client has none: the defaults Auth0 fills in.
func settingsBase(name string) gjson.Result {
	switch name {
	case "jwt_configuration":
		return gjson.Parse(jwtRequested)
	case "refresh_token":
		return gjson.Parse(defaultRefreshToken)
	case "session_transfer":
		return gjson.Parse(defaultSession)
	}
	return gjson.Result{}
}

// defaultRefreshToken is the refresh_token of a new client that sets none.
// The lifetimes are a tenant's defaults: recorded tenants differ (one
// answers 31557600 and 2592000); these are the other's.
const defaultRefreshToken = `{"rotation_type":"non-rotating","expiration_type":"non-expiring",` +
	`"leeway":0,"token_lifetime":2592000,"infinite_token_lifetime":true,` +
	`"infinite_idle_token_lifetime":true,"idle_token_lifetime":1296000}`

// clientDefaults are the settings Auth0 gives every new client that does
// not set them (from recorded answers of Auth0's API); appDefaults adds
// those that depend on app_type and on being a third-party client.
const clientDefaults = `"global":false,"callback_url_template":false,` +
	`"is_first_party":true,"is_token_endpoint_ip_header_trusted":false,` +
	`"sso_disabled":false,"cross_origin_authentication":false,"cross_origin_auth":false,` +
	`"custom_login_page_on":true`

const (
	allGrants    = `["authorization_code","implicit","refresh_token","client_credentials"]`
	jwtDefault   = `{"secret_encoded":false,"lifetime_in_seconds":36000}`
	jwtRS256     = `{"secret_encoded":false,"alg":"RS256"}`
	jwtRequested = `{"secret_encoded":false}` // the base of a jwt_configuration the request sets

	// A third-party client's refresh tokens expire: in "strict" mode
	// (third_party_security_mode) they do not rotate and only their idle
	// lifetime is finite; in "permissive" mode they rotate. Each from one
	// recorded answer.
	refreshStrict = `{"rotation_type":"non-rotating","expiration_type":"expiring",` +
		`"leeway":0,"token_lifetime":2592000,"infinite_token_lifetime":true,` +
		`"infinite_idle_token_lifetime":false,"idle_token_lifetime":1296000}`
	refreshPermissive = `{"rotation_type":"rotating","expiration_type":"expiring",` +
		`"leeway":0,"token_lifetime":2592000,"infinite_token_lifetime":false,` +
		`"infinite_idle_token_lifetime":false,"idle_token_lifetime":1296000}`
)

// appDefaults returns the defaults of a new client that depend on its
// appType and, for a third-party client (is_first_party false), on its
// third_party_security_mode mode ("" is "permissive"), as members of an
// object without braces, and the refresh_token among them.
func appDefaults(appType string, thirdParty bool, mode string) (members, refresh string) {
	var jwt, grants string
	oidc := "false"
	switch appType {
	case "native", "spa":
		jwt, grants = jwtDefault, `["authorization_code","implicit","refresh_token"]`
	case "resource_server":
		oidc, jwt, grants = "true", jwtRS256, `[]`
	case "express_configuration": // an Okta Integration Network application
		oidc, jwt, grants = "true", jwtRS256, `["authorization_code","client_credentials"]`
	default:
		jwt, grants = jwtDefault, allGrants
	}
	refresh = defaultRefreshToken
	extra := ""
	if appType == "express_configuration" {
		extra = `,"callbacks":["https://system-admin.okta.com/admin/app/generic/oauth20redirect"]` +
			`,"organization_usage":"require","organization_require_behavior":"pre_login_prompt"` +
			`,"client_authentication_methods":{"private_key_jwt":{"credentials":[]}}`
	}
	if thirdParty {
		oidc, refresh = "true", refreshPermissive
		if mode == "" {
			extra += `,"third_party_security_mode":"permissive"`
		}
		if mode == "strict" {
			jwt, grants, refresh = `{"secret_encoded":false,"alg":"RS256","lifetime_in_seconds":3600}`, `["authorization_code"]`, refreshStrict
		}
	}
	return `"oidc_conformant":` + oidc + `,"jwt_configuration":` + jwt + `,"grant_types":` + grants +
		`,"refresh_token":` + refresh + extra, refresh
}

// checkClientRules refuses what the endpoint refuses beyond the schema:
// a default_organization without organization_id or flows (recorded 400s;
// the wording is the schema validator's).
func checkClientRules(ms members) error {
	if d := ms.find("default_organization"); d != nil && d.IsObject() {
		for _, name := range []string{"organization_id", "flows"} {
			if !hasMember(*d, name) {
				return payloadError("Missing required property: "+name, "default_organization")
			}
		}
	}
	return nil
}

// requestMembers returns the request's members to merge, with the
// endpoint's rewriting: settings objects expanded against base (the
// stored document, or the defaults at create), "" of initiate_login_uri
// as a removal, the older names kept in step with the newer, inline
// credentials made at time now (credentials.go); or the 400 of a PEM
// that does not parse.
func requestMembers(ms members, base func(name string) gjson.Result, now time.Time) ([]byte, error) {
	out := make(members, 0, len(ms)+2)
	for _, m := range ms {
		if m.name == "client_authentication_methods" || m.name == "signed_request_object" {
			v, err := credentialsIn(m.name, m.value, now)
			if err != nil {
				return nil, err
			}
			m.value = v
		}
		switch {
		case m.name == "initiate_login_uri" && m.value.Type == gjson.String && m.value.Str == "":
			m.value = gjson.Parse("null")
		case contains(settingsMembers, m.name) && m.value.IsObject():
			raw := mergeObject(base(m.name), m.value)
			if m.name == "refresh_token" {
				raw = finiteWhenExpiring(raw, m.value)
			}
			m.value = gjson.ParseBytes(raw)
		case m.name == "cross_origin_authentication" && ms.find("cross_origin_auth") == nil:
			out = append(out, member{"cross_origin_auth", m.value})
		case m.name == "oidc_backchannel_logout" && m.value.Type == gjson.Null && ms.find("oidc_logout") == nil:
			out = append(out, member{"oidc_logout", m.value})
		case m.name == "oidc_backchannel_logout" && m.value.Get("backchannel_logout_urls").Exists() && ms.find("oidc_logout") == nil:
			urls := `{"backchannel_logout_urls":` + m.value.Get("backchannel_logout_urls").Raw + `}`
			out = append(out, member{"oidc_logout", gjson.ParseBytes(mergeObject(base("oidc_logout"), gjson.Parse(urls)))})
		case m.name == "oidc_logout" && m.value.Type == gjson.Null && ms.find("oidc_backchannel_logout") == nil:
			out = append(out, member{"oidc_backchannel_logout", m.value})
		}
		out = append(out, m)
	}
	return out.rebuild(nil), nil
}

// mergeObject returns the members of base that patch does not name,
// then the members of patch that are not null: one level of Auth0's
// member-by-member merge. A base that is not an object counts as {}.
func mergeObject(base, patch gjson.Result) []byte {
	out := []byte{'{'}
	add := func(name string, v gjson.Result) {
		if len(out) > 1 {
			out = append(out, ',')
		}
		out = append(jsonenc.AppendString(out, name), ':')
		out = append(out, v.Raw...)
	}
	if base.IsObject() {
		named := map[string]bool{} // one pass over patch: a body of many members stays linear
		patch.ForEach(func(k, _ gjson.Result) bool {
			named[k.String()] = true
			return true
		})
		base.ForEach(func(k, v gjson.Result) bool {
			if !named[k.String()] {
				add(k.String(), v)
			}
			return true
		})
	}
	patch.ForEach(func(k, v gjson.Result) bool {
		if v.Type != gjson.Null {
			add(k.String(), v)
		}
		return true
	})
	return append(out, '}')
}

// hasMember reports whether the object obj has a member named name,
// compared with decoded names (never a gjson path).
func hasMember(obj gjson.Result, name string) bool {
	found := false
	obj.ForEach(func(k, _ gjson.Result) bool {
		found = k.String() == name
		return !found
	})
	return found
}

// finiteWhenExpiring sets infinite_token_lifetime and
// infinite_idle_token_lifetime to false in the expanded refresh_token
// raw when the request req makes it expiring without naming them.
func finiteWhenExpiring(raw []byte, req gjson.Result) []byte {
	if e := req.Get("expiration_type"); e.Str != "expiring" {
		return raw
	}
	var set []byte
	for _, n := range []string{"infinite_token_lifetime", "infinite_idle_token_lifetime"} {
		if !hasMember(req, n) {
			set = append(set, `,"`+n+`":false`...)
		}
	}
	if set == nil {
		return raw
	}
	return mergeObject(gjson.ParseBytes(raw), gjson.ParseBytes(append([]byte{'{'}, append(set[1:], '}')...)))
}

// derivedMembers returns the members the endpoint derives from the merged
// client doc, as an object to merge into it, or nil when there are none
// to change: oidc_backchannel_logout from oidc_logout, no client_secret
// for a client authenticated by client_authentication_methods, and a new
// one for a client that stops being so (stored, the document before the
// PATCH, or nil at create).
func derivedMembers(stored, doc []byte) []byte {
	var out []byte
	add := func(s string) {
		if out == nil {
			out = []byte{'{'}
		} else {
			out = append(out, ',')
		}
		out = append(out, s...)
	}
	logout := gjson.GetBytes(doc, "oidc_logout")
	bcl := gjson.GetBytes(doc, "oidc_backchannel_logout")
	if urls := logout.Get("backchannel_logout_urls"); urls.Exists() {
		want := `{"backchannel_logout_urls":` + urls.Raw + `}`
		if bcl.Raw != want {
			add(`"oidc_backchannel_logout":` + want)
		}
	}
	methods := gjson.GetBytes(doc, "client_authentication_methods").IsObject()
	secret := gjson.GetBytes(doc, "client_secret").Exists()
	switch {
	case methods && secret:
		add(`"client_secret":null`)
	case !methods && !secret && gjson.GetBytes(stored, "client_authentication_methods").IsObject():
		add(`"client_secret":"` + randomString(64, secretChars) + `"`)
	}
	if out == nil {
		return nil
	}
	return append(out, '}')
}
