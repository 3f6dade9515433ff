package mgmt

import (
	"strings"
	"testing"

	"github.com/metamerge/metamerge"
	"github.com/tidwall/gjson"
)

// TestClientEndpointRules checks the rules of the clients endpoints around
// the merge (clientrules.go), each as recorded from Auth0's API: a create,
// then a PATCH of it, and the members of the result that the rule is
// about (absent: want "-").
func TestClientEndpointRules(t *testing.T) {
	cases := []struct {
		name, reason string
		create       string
		patch        string            // "" for none
		want         map[string]string // member: value as JSON, or "-" for absent
	}{
		{"jwt at create", "a jwt_configuration the request sets is merged into {secret_encoded:false}, without the default lifetime",
			`{"name":"a","jwt_configuration":{"alg":"RS256"}}`, "",
			map[string]string{"jwt_configuration": `{"alg":"RS256","secret_encoded":false}`}},
		{"jwt patch keeps lifetime", "a PATCH of jwt_configuration keeps the stored members it does not name",
			`{"name":"a"}`, `{"jwt_configuration":{"alg":"RS256"}}`,
			map[string]string{"jwt_configuration": `{"alg":"RS256","secret_encoded":false,"lifetime_in_seconds":36000}`}},
		{"jwt member null", "a member set to null inside a settings object is removed",
			`{"name":"a"}`, `{"jwt_configuration":{"lifetime_in_seconds":null}}`,
			map[string]string{"jwt_configuration": `{"secret_encoded":false}`}},
		{"jwt null", "the settings object itself set to null is removed (R10)",
			`{"name":"a"}`, `{"jwt_configuration":null}`,
			map[string]string{"jwt_configuration": "-"}},
		{"native social login", "native_social_login merges provider by provider",
			`{"name":"a","native_social_login":{"apple":{"enabled":true},"facebook":{"enabled":true},"google":{"enabled":true}}}`, `{"native_social_login":{"facebook":{"enabled":false}}}`,
			map[string]string{"native_social_login": `{"apple":{"enabled":true},"facebook":{"enabled":false},"google":{"enabled":true}}`}},
		{"mobile", "mobile keeps ios when a PATCH names android",
			`{"name":"a","mobile":{"ios":{"team_id":"1"},"android":{"app_package_name":"x"}}}`, `{"mobile":{"android":{"app_package_name":"y"}}}`,
			map[string]string{"mobile": `{"ios":{"team_id":"1"},"android":{"app_package_name":"y"}}`}},
		{"refresh expiring", "an expiring refresh token has finite lifetimes unless the request says otherwise; the other defaults stay",
			`{"name":"a","refresh_token":{"rotation_type":"non-rotating","expiration_type":"expiring"}}`, "",
			map[string]string{"refresh_token": `{"rotation_type":"non-rotating","expiration_type":"expiring","leeway":0,"token_lifetime":2592000,"infinite_token_lifetime":false,"infinite_idle_token_lifetime":false,"idle_token_lifetime":1296000}`}},
		{"refresh patch", "a PATCH of refresh_token keeps what it does not name",
			`{"name":"a"}`, `{"refresh_token":{"leeway":30}}`,
			map[string]string{"refresh_token": `{"rotation_type":"non-rotating","expiration_type":"non-expiring","leeway":30,"token_lifetime":2592000,"infinite_token_lifetime":true,"infinite_idle_token_lifetime":true,"idle_token_lifetime":1296000}`}},
		{"initiate_login_uri empty", "\"\" removes initiate_login_uri",
			`{"name":"a","initiate_login_uri":"https://a.example/login"}`, `{"initiate_login_uri":""}`,
			map[string]string{"initiate_login_uri": "-"}},
		{"cross origin both names", "cross_origin_auth is sent beside cross_origin_authentication, with its value",
			`{"name":"a"}`, `{"cross_origin_authentication":true}`,
			map[string]string{"cross_origin_authentication": "true", "cross_origin_auth": "true"}},
		{"oidc logout alias", "oidc_backchannel_logout carries oidc_logout's backchannel_logout_urls",
			`{"name":"a","oidc_logout":{"backchannel_logout_urls":["https://a.example/l"],"backchannel_logout_initiators":{"mode":"all"}}}`, "",
			map[string]string{"oidc_backchannel_logout": `{"backchannel_logout_urls":["https://a.example/l"]}`}},
		{"oidc alias null", "{\"oidc_backchannel_logout\":null} removes oidc_logout too",
			`{"name":"a","oidc_logout":{"backchannel_logout_urls":["https://a.example/l"]}}`, `{"oidc_backchannel_logout":null}`,
			map[string]string{"oidc_backchannel_logout": "-", "oidc_logout": "-"}},
		{"oidc logout null", "{\"oidc_logout\":null} removes the alias too",
			`{"name":"a","oidc_logout":{"backchannel_logout_urls":["https://a.example/l"]}}`, `{"oidc_logout":null}`,
			map[string]string{"oidc_backchannel_logout": "-", "oidc_logout": "-"}},
		{"oidc alias set", "setting the alias sets oidc_logout's urls, keeping its other members",
			`{"name":"a","oidc_logout":{"backchannel_logout_urls":["https://a.example/l"],"backchannel_logout_initiators":{"mode":"all"}}}`, `{"oidc_backchannel_logout":{"backchannel_logout_urls":["https://b.example/l"]}}`,
			map[string]string{"oidc_logout": `{"backchannel_logout_urls":["https://b.example/l"],"backchannel_logout_initiators":{"mode":"all"}}`, "oidc_backchannel_logout": `{"backchannel_logout_urls":["https://b.example/l"]}`}},
		{"private_key_jwt hides the secret", "a client authenticated by client_authentication_methods has no client_secret",
			`{"name":"a"}`, `{"client_authentication_methods":{"private_key_jwt":{"credentials":[{"id":"cred_1"}]}},"token_endpoint_auth_method":null}`,
			map[string]string{"client_secret": "-"}},
		{"express configuration", "an Okta Integration Network application gets its own defaults and no secret",
			`{"name":"a","app_type":"express_configuration"}`, "",
			map[string]string{"client_secret": "-", "oidc_conformant": "true", "grant_types": `["authorization_code","client_credentials"]`,
				"jwt_configuration": `{"secret_encoded":false,"alg":"RS256"}`, "organization_usage": `"require"`, "organization_require_behavior": `"pre_login_prompt"`,
				"client_authentication_methods": `{"private_key_jwt":{"credentials":[]}}`}},
		{"spa grants", "grant_types default by app_type: spa and native have no client_credentials",
			`{"name":"a","app_type":"spa"}`, "",
			map[string]string{"grant_types": `["authorization_code","implicit","refresh_token"]`, "oidc_conformant": "false"}},
		{"native grants", "as spa",
			`{"name":"a","app_type":"native"}`, "",
			map[string]string{"grant_types": `["authorization_code","implicit","refresh_token"]`}},
		{"resource server", "a resource server's client has no grants, RS256 and is OIDC conformant",
			`{"name":"a","app_type":"resource_server"}`, "",
			map[string]string{"grant_types": `[]`, "oidc_conformant": "true", "jwt_configuration": `{"secret_encoded":false,"alg":"RS256"}`}},
		{"regular web grants", "every other app_type gets all four grants",
			`{"name":"a","app_type":"regular_web"}`, "",
			map[string]string{"grant_types": `["authorization_code","implicit","refresh_token","client_credentials"]`, "jwt_configuration": `{"secret_encoded":false,"lifetime_in_seconds":36000}`}},
		{"session transfer", "session_transfer is merged into its defaults",
			`{"name":"a","session_transfer":{"enforce_device_binding":"none"}}`, "",
			map[string]string{"session_transfer": `{"can_create_session_transfer_token":false,"enforce_cascade_revocation":true,"allowed_authentication_methods":[],"enforce_device_binding":"none","allow_refresh_token":false,"enforce_online_refresh_tokens":true}`}},
		{"session transfer member null", "a null member of session_transfer is removed, the rest kept",
			`{"name":"a","session_transfer":{"delegation":{"allow_delegated_access":true},"allow_refresh_token":true}}`, `{"session_transfer":{"delegation":null}}`,
			map[string]string{"session_transfer": `{"can_create_session_transfer_token":false,"enforce_cascade_revocation":true,"allowed_authentication_methods":[],"enforce_device_binding":"ip","allow_refresh_token":true,"enforce_online_refresh_tokens":true}`}},
		{"settings on a client without them", "a PATCH of a settings object the client lacks merges into the defaults",
			`{"name":"a"}`, `{"session_transfer":{"allow_refresh_token":true}}`,
			map[string]string{"session_transfer": `{"can_create_session_transfer_token":false,"enforce_cascade_revocation":true,"allowed_authentication_methods":[],"enforce_device_binding":"ip","allow_refresh_token":true,"enforce_online_refresh_tokens":true}`}},
		{"settings removed", "null removes a settings object",
			`{"name":"a","session_transfer":{}}`, `{"session_transfer":null}`,
			map[string]string{"session_transfer": "-"}},
		{"third party permissive", "a third-party client is OIDC conformant, permissive by default, with rotating, expiring refresh tokens",
			`{"name":"a","app_type":"spa","is_first_party":false}`, "",
			map[string]string{"oidc_conformant": "true", "third_party_security_mode": `"permissive"`, "grant_types": `["authorization_code","implicit","refresh_token"]`,
				"refresh_token": `{"rotation_type":"rotating","expiration_type":"expiring","leeway":0,"token_lifetime":2592000,"infinite_token_lifetime":false,"infinite_idle_token_lifetime":false,"idle_token_lifetime":1296000}`}},
		{"third party strict", "strict mode: the code grant only, RS256 for an hour, non-rotating tokens",
			`{"name":"a","app_type":"regular_web","is_first_party":false,"third_party_security_mode":"strict"}`, "",
			map[string]string{"oidc_conformant": "true", "third_party_security_mode": `"strict"`, "grant_types": `["authorization_code"]`,
				"jwt_configuration": `{"secret_encoded":false,"alg":"RS256","lifetime_in_seconds":3600}`,
				"refresh_token":     `{"rotation_type":"non-rotating","expiration_type":"expiring","leeway":0,"token_lifetime":2592000,"infinite_token_lifetime":true,"infinite_idle_token_lifetime":false,"idle_token_lifetime":1296000}`}},
		{"first party", "is_first_party true is the default: no third_party_security_mode",
			`{"name":"a","is_first_party":true}`, "",
			map[string]string{"third_party_security_mode": "-", "oidc_conformant": "false"}},
		{"grants sent", "grant_types the request sends win over the default",
			`{"name":"a","app_type":"spa","grant_types":["authorization_code"]}`, "",
			map[string]string{"grant_types": `["authorization_code"]`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, _, err := Clients{}.Create([]byte(c.create), now)
			if err != nil {
				t.Fatalf("%s: create: %v", c.reason, err)
			}
			if c.patch != "" {
				p, err := Clients{}.Patch([]byte(c.patch))
				if err != nil {
					t.Fatalf("%s: patch: %v", c.reason, err)
				}
				if doc, _, err = p.Apply(doc, now); err != nil {
					t.Fatalf("%s: apply: %v", c.reason, err)
				}
			}
			for name, want := range c.want {
				got := gjson.GetBytes(doc, name)
				if want == "-" {
					if got.Exists() {
						t.Errorf("%s: %s = %s, want it absent", c.reason, name, got.Raw)
					}
					continue
				}
				if eq, err := metamerge.Equal([]byte(got.Raw), []byte(want)); err != nil || !eq {
					t.Errorf("%s: %s = %s, want %s", c.reason, name, cmpOr(got.Raw, "absent"), want)
				}
			}
		})
	}
}

// TestClientSecretBack checks that a client that stops using
// client_authentication_methods has a client_secret again, and that one
// that starts has none.
func TestClientSecretBack(t *testing.T) {
	doc, _, err := Clients{}.Create([]byte(`{"name":"a"}`), now)
	if err != nil {
		t.Fatal(err)
	}
	for i, step := range []struct {
		patch  string
		secret bool
	}{
		{`{"client_authentication_methods":{"tls_client_auth":{"credentials":[]}}}`, false},
		{`{"client_authentication_methods":null,"token_endpoint_auth_method":"client_secret_basic"}`, true},
	} {
		p, err := Clients{}.Patch([]byte(step.patch))
		if err != nil {
			t.Fatal(err)
		}
		if doc, _, err = p.Apply(doc, now); err != nil {
			t.Fatal(err)
		}
		s := gjson.GetBytes(doc, "client_secret")
		if s.Exists() != step.secret || step.secret && len(s.Str) != 64 {
			t.Errorf("step %d: client_secret %s, want present %v (64 characters)", i, s.Raw, step.secret)
		}
	}
}

// TestClientDefaultOrganization checks that default_organization needs
// organization_id and flows, at create and on PATCH (Auth0 answers 400).
func TestClientDefaultOrganization(t *testing.T) {
	const want = `{"statusCode":400,"error":"Bad Request","message":"Payload validation error: 'Missing required property: organization_id' on property default_organization","errorCode":"invalid_body"}`
	_, _, err := Clients{}.Create([]byte(`{"name":"a","default_organization":{"flows":["client_credentials"]}}`), now)
	if got := string(Clients{}.Answer(err).Body); got != want {
		t.Errorf("create: got %s\nwant %s", got, want)
	}
	_, err = Clients{}.Patch([]byte(`{"default_organization":{"flows":["client_credentials"]}}`))
	if got := string(Clients{}.Answer(err).Body); got != want {
		t.Errorf("patch: got %s\nwant %s", got, want)
	}
	_, err = Clients{}.Patch([]byte(`{"default_organization":{"organization_id":"org_1"}}`))
	if got, want := string(Clients{}.Answer(err).Body), `{"statusCode":400,"error":"Bad Request","message":"Payload validation error: 'Missing required property: flows' on property default_organization","errorCode":"invalid_body"}`; got != want {
		t.Errorf("without flows: got %s\nwant %s", got, want)
	}
	if _, err := (Clients{}).Patch([]byte(`{"default_organization":{"flows":["client_credentials"],"organization_id":"org_1"}}`)); err != nil {
		t.Errorf("with organization_id: %v", err)
	}
	if _, err := (Clients{}).Patch([]byte(`{"default_organization":null}`)); err != nil {
		t.Errorf("null removes it: %v", err)
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// TestClientServerMembers checks the members the server sets on every new
// client (M3), as Auth0's answers show them: global and
// callback_url_template false, and tenant when Clients.Tenant names one.
func TestClientServerMembers(t *testing.T) {
	doc, _, err := Clients{Tenant: "dev-1"}.Create([]byte(`{"name":"a"}`), now)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"tenant": `"dev-1"`, "global": "false", "callback_url_template": "false"} {
		if got := gjson.GetBytes(doc, name).Raw; got != want {
			t.Errorf("%s = %s, want %s", name, got, want)
		}
	}
	doc, _, err = Clients{}.Create([]byte(`{"name":"a"}`), now)
	if err != nil || gjson.GetBytes(doc, "tenant").Exists() {
		t.Errorf("without a tenant: %s %v", doc, err)
	}
	for _, body := range []string{`{"name":"a","tenant":"x"}`, `{"name":"a","global":true}`, `{"name":"a","callback_url_template":true}`} {
		_, _, err := Clients{}.Create([]byte(body), now)
		if a := (Clients{}).Answer(err); a == nil || a.Status != 400 || !strings.HasPrefix(a.message(), "Payload validation error: 'Additional properties not allowed: ") {
			t.Errorf("%s: %v, want M1's 400", body, a)
		}
	}
}
