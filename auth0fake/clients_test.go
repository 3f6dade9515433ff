package auth0fake

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/tidwall/gjson"
)

// TestCreateClient checks the members Auth0 sets on a new client, as
// recorded: a spa has no client_credentials grant, and jwt_configuration
// is merged into {"secret_encoded":false}.
func TestCreateClient(t *testing.T) {
	f := newFake(t, Options{})
	doc := gjson.Parse(f.must(http.StatusCreated, "POST", "/api/v2/clients",
		`{"name":"My App","description":"test","app_type":"spa","jwt_configuration":{"alg":"RS256"}}`))
	if id := doc.Get("client_id").Str; !regexp.MustCompile(`^[A-Za-z0-9]{32}$`).MatchString(id) {
		t.Errorf("client_id %q: want 32 letters and digits", id)
	}
	if s := doc.Get("client_secret").Str; !regexp.MustCompile(`^[A-Za-z0-9_-]{64}$`).MatchString(s) {
		t.Errorf("client_secret %q: want 64 URL-safe characters", s)
	}
	for path, want := range map[string]string{
		"name": "My App", "description": "test", "app_type": "spa", "is_first_party": "true",
		"jwt_configuration": `{"secret_encoded":false,"alg":"RS256"}`, "grant_types.#": "3", "client_metadata": "",
	} {
		if got := doc.Get(path).String(); got != want {
			t.Errorf("%s = %q, want %q", path, got, want)
		}
	}
	other := gjson.Get(f.must(http.StatusCreated, "POST", "/api/v2/clients", `{"name":"My App"}`), "client_id").Str
	if other == doc.Get("client_id").Str {
		t.Error("two clients share a client_id")
	}
}

// TestPatchClientMetadata replays C1–C5 through the API.
func TestPatchClientMetadata(t *testing.T) {
	f := newFake(t, Options{})
	noMeta := f.createClient("")
	id := f.createClient(`"client_metadata":{"foo":"zoo"}`)
	steps := []struct{ name, why, patch, want string }{
		{"add", "C1: root-level merge", `{"client_metadata":{"bar":"baz"}}`, `{"foo":"zoo","bar":"baz"}`},
		{"delete", "C1: null removes a key", `{"client_metadata":{"foo":null}}`, `{"bar":"baz"}`},
		{"ten keys", "C4: ten keys after the merge are allowed",
			`{"client_metadata":{"a":"1","b":"1","c":"1","d":"1","e":"1","f":"1","g":"1","h":"1","i":"1"}}`,
			`{"bar":"baz","a":"1","b":"1","c":"1","d":"1","e":"1","f":"1","g":"1","h":"1","i":"1"}`},
		{"255 characters", "C2: 255 characters is the most", `{"client_metadata":{"a":"` + strings.Repeat("é", 255) + `"}}`,
			`{"bar":"baz","a":"` + strings.Repeat("é", 255) + `","b":"1","c":"1","d":"1","e":"1","f":"1","g":"1","h":"1","i":"1"}`},
		{"clear", "C5: {} removes every key and leaves {}", `{"client_metadata":{}}`, `{}`},
		{"other member", "R10: other members replace; client_metadata stays", `{"name":"renamed"}`, `{}`},
	}
	for _, st := range steps {
		f.must(http.StatusOK, "PATCH", clientPath(id), st.patch)
		got := gjson.Get(f.must(http.StatusOK, "GET", clientPath(id), ""), "client_metadata").Raw
		if got != st.want {
			t.Errorf("%s (%s): client_metadata %s, want %s", st.name, st.why, got, st.want)
		}
	}
	// C5: {} creates client_metadata where there was none.
	if got := gjson.Get(f.must(http.StatusOK, "PATCH", clientPath(noMeta), `{"client_metadata":{}}`), "client_metadata").Raw; got != "{}" {
		t.Errorf("C5 on a client without client_metadata: %q", got)
	}
	// A refused PATCH changes nothing (H7).
	before := f.must(http.StatusOK, "GET", clientPath(id), "")
	f.must(http.StatusBadRequest, "PATCH", clientPath(id), `{"name":"x","client_metadata":{"n":1}}`)
	if after := f.must(http.StatusOK, "GET", clientPath(id), ""); after != before {
		t.Errorf("a refused PATCH changed the client:\n%s\n%s", before, after)
	}
	// client_secret may be set by PATCH.
	if got := gjson.Get(f.must(http.StatusOK, "PATCH", clientPath(id), `{"client_secret":"rotated"}`), "client_secret").Str; got != "rotated" {
		t.Errorf("client_secret %q", got)
	}
	f.must(http.StatusNoContent, "DELETE", clientPath(id), "")
	f.must(http.StatusNoContent, "DELETE", clientPath(id), "")
	f.must(http.StatusNotFound, "GET", clientPath(id), "")
}

// TestListClientsCheckpoint checks take and from of GET /api/v2/clients:
// Auth0 answers them (recorded), the fake used to refuse take.
func TestListClientsCheckpoint(t *testing.T) {
	f := newFake(t, Options{})
	var ids []string
	for range 3 {
		ids = append(ids, f.createClient(""))
	}
	body := f.must(http.StatusOK, "GET", "/api/v2/clients?take=2", "")
	if got := gjson.Get(body, "#.client_id").Raw; got != `["`+ids[0]+`","`+ids[1]+`"]` {
		t.Errorf("take=2: %s", got)
	}
	body = f.must(http.StatusOK, "GET", "/api/v2/clients?take=50&from="+ids[1], "")
	if got := gjson.Get(body, "#.client_id").Raw; got != `["`+ids[1]+`","`+ids[2]+`"]` {
		t.Errorf("from the second: %s", got)
	}
	code, body := f.do("GET", "/api/v2/clients?take=101", "")
	if code != http.StatusBadRequest || gjson.Get(body, "message").Str != "Query validation error: 'Value 101 is greater than maximum 100' on property take" {
		t.Errorf("take=101: %d %s", code, body)
	}
}

// TestInlineCredentialsShownOnce checks that a credential made from a PEM
// is shown whole in the answer that made it and by id afterwards, as
// Auth0 answers (recorded), on POST and on PATCH.
func TestInlineCredentialsShownOnce(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	pemText, _ := json.Marshal(string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})))
	cred := `{"name":"k","credential_type":"public_key","pem":` + string(pemText) + `}`
	f := newFake(t, Options{})
	created := gjson.Parse(f.must(http.StatusCreated, "POST", "/api/v2/clients", `{"name":"a","client_authentication_methods":{"private_key_jwt":{"credentials":[`+cred+`]}}}`))
	first := created.Get("client_authentication_methods.private_key_jwt.credentials.0")
	if len(first.Get("kid").Str) != 43 || first.Get("pem").Exists() || created.Get("client_secret").Exists() {
		t.Errorf("POST answer: credential %s, client_secret %s", first.Raw, created.Get("client_secret").Raw)
	}
	id := created.Get("client_id").Str
	byID := `{"id":"` + first.Get("id").Str + `"}`
	if got := gjson.Get(f.must(http.StatusOK, "GET", "/api/v2/clients/"+id, ""), "client_authentication_methods.private_key_jwt.credentials").Raw; got != "["+byID+"]" {
		t.Errorf("GET: %s, want [%s]", got, byID)
	}
	patched := gjson.Parse(f.must(http.StatusOK, "PATCH", "/api/v2/clients/"+id, `{"client_authentication_methods":{"private_key_jwt":{"credentials":[`+byID+`,`+cred+`]}}}`))
	list := patched.Get("client_authentication_methods.private_key_jwt.credentials").Array()
	if len(list) != 2 || list[0].Raw != byID || !list[1].Get("kid").Exists() {
		t.Errorf("PATCH answer: %s", patched.Get("client_authentication_methods").Raw)
	}
	again := gjson.Get(f.must(http.StatusOK, "GET", "/api/v2/clients/"+id, ""), "client_authentication_methods.private_key_jwt.credentials").Array()
	if len(again) != 2 || again[1].Raw != `{"id":"`+list[1].Get("id").Str+`"}` {
		t.Errorf("GET after PATCH: %v", again)
	}
	// a PATCH that changes nothing answers as GET does
	if got := f.must(http.StatusOK, "PATCH", "/api/v2/clients/"+id, `{}`); gjson.Get(got, "client_authentication_methods.private_key_jwt.credentials.1").Raw != again[1].Raw {
		t.Errorf("PATCH {}: %s", got)
	}
}

// TestClientTenant checks Options.Tenant (tenant on every client) and
// is_global, which selects by the global member every client has.
func TestClientTenant(t *testing.T) {
	f := newFake(t, Options{Tenant: "dev-1"})
	id := f.createClient("")
	doc := gjson.Parse(f.must(http.StatusOK, "GET", "/api/v2/clients/"+id, ""))
	if doc.Get("tenant").Str != "dev-1" || doc.Get("global").Raw != "false" {
		t.Errorf("tenant %s, global %s", doc.Get("tenant").Raw, doc.Get("global").Raw)
	}
	if got := f.must(http.StatusOK, "GET", "/api/v2/clients?is_global=true", ""); got != "[]" {
		t.Errorf("is_global=true: %s", got)
	}
	if got := gjson.Get(f.must(http.StatusOK, "GET", "/api/v2/clients?is_global=false", ""), "#.client_id").Raw; got != `["`+id+`"]` {
		t.Errorf("is_global=false: %s", got)
	}
}
