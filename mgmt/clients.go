package mgmt

import (
	"net/http"
	"time"

	"github.com/metamerge/metamerge"
)

// Clients is the clients endpoints of the Management API: POST
// /api/v2/clients and PATCH /api/v2/clients/{id}. The zero value merges
// with Auth0's rules; Rules changes them.
type Clients struct {
	Rules metamerge.ClientRules // the merge rules; the zero value is Auth0's
}

func answerNoClient() *Answer {
	return Envelope(http.StatusNotFound, "The client does not exist.", "inexistent_client")
}

// clientDefaults are the settings Auth0 gives a new client that does not
// set them (from recorded answers of Auth0's API).
const clientDefaults = `"is_first_party":true,"is_token_endpoint_ip_header_trusted":false,` +
	`"oidc_conformant":false,"jwt_configuration":{"secret_encoded":false,"lifetime_in_seconds":36000},` +
	`"sso_disabled":false,"cross_origin_authentication":false,` +
	`"grant_types":["authorization_code","implicit","refresh_token","client_credentials"],` +
	`"custom_login_page_on":true,"refresh_token":{"rotation_type":"non-rotating",` +
	`"expiration_type":"non-expiring","leeway":0,"token_lifetime":2592000,` +
	`"infinite_token_lifetime":true,"infinite_idle_token_lifetime":true,"idle_token_lifetime":1296000}`

// Answer returns the answer to err (M5): 400 for a violation of the
// request, 404 inexistent_client for ErrNotFound (and ErrTaken: clients
// have no unique values but their id), 500 for a defect of a stored
// client, a setting out of range, or any other error.
func (c Clients) Answer(err error) *Answer {
	return answer(err, answerNoClient, func(error) *Answer { return answerNoClient() })
}

// Unique returns nil: no two clients share anything but what their id
// already keeps apart.
func (Clients) Unique([]byte) []string { return nil }

func (c Clients) check(body []byte, sc *schema) (members, error) {
	return checkBody(c.Rules.Check, body, sc)
}

// Create returns the client POST /api/v2/clients creates from body (M4):
// a client_id of 32 letters and digits and a client_secret of 64
// characters (M3), Auth0's defaults, and the request merged in by the
// rules, so client_metadata follows C1–C5 from the start. name is
// required; client_id, tenant, global and signing_keys are refused (M1).
func (c Clients) Create(body []byte, _ time.Time) ([]byte, string, error) {
	ms, err := c.check(body, clientCreate)
	if err != nil {
		return nil, "", err
	}
	id := randomString(32, alnum)
	base := `{"name":` + ms.find("name").Raw + `,"client_id":"` + id + `","client_secret":"` + randomString(64, secretChars) + `",` + clientDefaults + `}`
	doc, err := c.Rules.Merge([]byte(base), ms.rebuild(nil))
	if err != nil {
		return nil, "", err
	}
	return doc, id, nil
}

// Patch checks body, a PATCH /api/v2/clients/{id} (M1): the rules of the
// library, then the schema, which refuses client_id and every member
// Auth0's API does not list; client_secret may be sent.
func (c Clients) Patch(body []byte) (*Patch, error) {
	ms, err := c.check(body, clientPatch)
	if err != nil {
		return nil, err
	}
	return &Patch{
		patch:    ms.rebuild(nil),
		merge:    c.Rules.MergeReport,
		notFound: answerNoClient,
		taken:    func(error) *Answer { return answerNoClient() },
	}, nil
}
