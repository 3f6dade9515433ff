package mgmt

import (
	"encoding/json"
	"os"
	"regexp"
	"testing"

	"github.com/metamerge/metamerge"
	"github.com/tidwall/gjson"
)

func readPEM(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/credentials/" + name + ".pem")
	if err != nil {
		t.Fatal(err)
	}
	q, _ := json.Marshal(string(b))
	return string(q)
}

var credID = regexp.MustCompile(`^cred_[A-Za-z0-9]{22}$`)

// TestInlineCredentials checks that credentials a client request gives
// with a PEM are made as Auth0 made them in recorded answers (the same
// key and certificates, from go-auth0's tests): the kid, thumbprint,
// expiry and subject Auth0 computed, an id, the times, and no PEM; and
// that later answers show them by id (Clients.Stored).
func TestInlineCredentials(t *testing.T) {
	cases := []struct {
		name, member, path, cred string
		want                     string // the credential without id
	}{
		{"public key", "client_authentication_methods", "client_authentication_methods.private_key_jwt.credentials.0",
			`{"name":"k","credential_type":"public_key","pem":` + readPEM(t, "public_key") + `}`,
			`{"name":"k","kid":"4e7yYf0TKdyTLbVnpq2wLN6mZ8t7eb9UJkMksyHj9iU","credential_type":"public_key","alg":"RS256","created_at":"2026-12-02T04:05:06.789Z","updated_at":"2026-12-02T04:05:06.789Z"}`},
		{"x509 certificate", "client_authentication_methods", "client_authentication_methods.self_signed_tls_client_auth.credentials.0",
			`{"name":"c","credential_type":"x509_cert","pem":` + readPEM(t, "x509_cert") + `}`,
			`{"name":"c","credential_type":"x509_cert","created_at":"2026-12-02T04:05:06.789Z","updated_at":"2026-12-02T04:05:06.789Z","expires_at":"9999-12-31T23:59:59Z","thumbprint_sha256":"NTkulT-DcSrRSevqZd26aq0DCz8YbOFGjKVs-Expu4w"}`},
		{"subject dn", "client_authentication_methods", "client_authentication_methods.tls_client_auth.credentials.0",
			`{"name":"s","credential_type":"cert_subject_dn","pem":` + readPEM(t, "cert_subject_dn") + `}`,
			`{"name":"s","credential_type":"cert_subject_dn","created_at":"2026-12-02T04:05:06.789Z","updated_at":"2026-12-02T04:05:06.789Z","subject_dn":"C=JP\nST=Tokyo\nL=Chiyoda-ku\nO=Client\nCN=client.example.org"}`},
		{"signed request object", "signed_request_object", "signed_request_object.credentials.0",
			`{"name":"k","credential_type":"public_key","alg":"PS256","pem":` + readPEM(t, "public_key") + `}`,
			`{"name":"k","kid":"4e7yYf0TKdyTLbVnpq2wLN6mZ8t7eb9UJkMksyHj9iU","credential_type":"public_key","alg":"PS256","created_at":"2026-12-02T04:05:06.789Z","updated_at":"2026-12-02T04:05:06.789Z"}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var body string
			switch c.member {
			case "signed_request_object":
				body = `{"name":"a","signed_request_object":{"required":true,"credentials":[` + c.cred + `]}}`
			default:
				method := regexp.MustCompile(`client_authentication_methods\.([a-z_]+)\.`).FindStringSubmatch(c.path)[1]
				body = `{"name":"a","client_authentication_methods":{"` + method + `":{"credentials":[` + c.cred + `]}}}`
			}
			doc, _, err := Clients{}.Create([]byte(body), now)
			if err != nil {
				t.Fatal(err)
			}
			got := gjson.GetBytes(doc, c.path)
			id := got.Get("id").Str
			if !credID.MatchString(id) {
				t.Errorf("id %q, want cred_ and 22 letters and digits", id)
			}
			want := `{"id":"` + id + `",` + c.want[1:]
			if eq, err := metamerge.Equal([]byte(got.Raw), []byte(want)); err != nil || !eq {
				t.Errorf("got  %s\nwant %s", got.Raw, want)
			}
			kept := Clients{}.Stored(doc)
			if g := gjson.GetBytes(kept, c.path).Raw; g != `{"id":"`+id+`"}` {
				t.Errorf("Stored: %s, want the id only", g)
			}
		})
	}
}

// TestInlineCredentialErrors checks that a PEM that does not parse is a
// 400 naming the credential, and that a credential given by id is kept.
func TestInlineCredentialErrors(t *testing.T) {
	for _, c := range []struct{ body, want string }{
		{`{"name":"a","client_authentication_methods":{"private_key_jwt":{"credentials":[{"credential_type":"public_key","pem":"not a pem"}]}}}`,
			`Payload validation error: 'Invalid PEM' on property client_authentication_methods.private_key_jwt.credentials[0].pem`},
		{`{"name":"a","client_authentication_methods":{"private_key_jwt":{"credentials":[{"id":"cred_1"},{"credential_type":"public_key","pem":"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"}]}}}`,
			`Payload validation error: 'Invalid public key' on property client_authentication_methods.private_key_jwt.credentials[1].pem`},
		{`{"name":"a","signed_request_object":{"credentials":[{"credential_type":"x509_cert","pem":"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"}]}}`,
			`Payload validation error: 'Invalid certificate' on property signed_request_object.credentials[0].pem`},
		{`{"name":"a","signed_request_object":{"credentials":[{"credential_type":"password","pem":"-----BEGIN X-----\nAAAA\n-----END X-----\n"}]}}`,
			`Payload validation error: 'Invalid credential_type for a pem: password' on property signed_request_object.credentials[0].pem`},
	} {
		_, _, err := Clients{}.Create([]byte(c.body), now)
		a := Clients{}.Answer(err)
		if a == nil || a.Status != 400 || a.message() != c.want || gjson.GetBytes(a.Body, "errorCode").Str != "invalid_body" {
			t.Errorf("%s:\ngot  %v\nwant 400 %s", c.body, a, c.want)
		}
	}
	doc, _, err := Clients{}.Create([]byte(`{"name":"a","client_authentication_methods":{"private_key_jwt":{"credentials":[{"id":"cred_1"}]}}}`), now)
	if err != nil || gjson.GetBytes(doc, "client_authentication_methods").Raw != `{"private_key_jwt":{"credentials":[{"id":"cred_1"}]}}` {
		t.Errorf("by id: %s %v", doc, err)
	}
}
