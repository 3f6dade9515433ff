package mgmt

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/metamerge/metamerge"
	"github.com/tidwall/gjson"
)

// FuzzPatch sends any body to any stored document, through the users and
// the clients endpoints, and checks the answer: no panic; an error answer
// is Auth0's envelope with 400 or 500, and 500 exactly when the stored
// document is defective (the library refuses it); a document never holds a
// password the body sent, and never a user_id or client_id other than the
// stored one.
func FuzzPatch(f *testing.F) {
	for _, s := range [][2]string{
		{`{"user_id":"auth0|1","user_metadata":{"a":1}}`, `{"user_metadata":{"b":2},"password":"pw"}`},
		{`{"user_id":"auth0|1"}`, `{"user_id":"evil","identities":null}`},
		{`{"client_id":"c","client_metadata":{"a":"1"}}`, `{"client_metadata":{"b":"2"},"client_secret":"s"}`},
		{`{"a":1,"a":2}`, `{"name":"n"}`},
		{`{}`, `{"email":"A@B.co","email_verified":true}`},
		{`{}`, `{"user_metadata":{"a.b":1},"user_id":"x"}`},
		{`{}`, `{"name":`},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, stored, body string) {
		for _, r := range []Resource{Users{}, Clients{}} {
			a := patchAnswer(r, stored, body)
			if a.Status == 200 {
				checkDoc(t, stored, body, a.Body)
				continue
			}
			var env map[string]any
			if err := json.Unmarshal(a.Body, &env); err != nil || env["statusCode"] != float64(a.Status) {
				t.Fatalf("answer %d %s: %v", a.Status, a.Body, err)
			}
			switch a.Status {
			case 400:
			case 500:
				if _, err := metamerge.MergeUser([]byte(stored), []byte(`{}`)); err == nil {
					t.Fatalf("500 for a stored document the library reads: %q, body %q", stored, body)
				}
			default:
				t.Fatalf("status %d: %s", a.Status, a.Body)
			}
		}
	})
}

// checkDoc checks a merged document against what M1-M3 forbid.
func checkDoc(t *testing.T, stored, body string, doc []byte) {
	if pw := gjson.Get(body, "password"); pw.Type == gjson.String && pw.Str != "" &&
		strings.Contains(string(doc), pw.Raw) && !strings.Contains(stored, pw.Raw) {
		t.Fatalf("password %s stored: %s", pw.Raw, doc)
	}
	for _, m := range []string{"user_id", "client_id", "identities"} {
		if gjson.GetBytes(doc, m).Raw != gjson.Get(stored, m).Raw {
			t.Fatalf("%s changed by %s: %s -> %s", m, body, stored, doc)
		}
	}
}
